/* cm-rate-limiter.c: who the client of a request is, for the per-address rate limits: its
 * address past trusted proxies, and its host (/32, /64) and network (/24, /48) keys.
 *
 * The counts are not here: they are token buckets in the store
 * (cm_server_db_take_rate_token()), so that every instance on one database shares them.
 * What is here is a front tier: the buckets the store said are empty, and until when, so
 * that a flood past the limit is refused without a store write per request (docs/server.md,
 * "The storage seam").
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-rate-limiter"

#include "config.h"

#include <string.h>

#include "cm-rate-limiter-private.h"

/* No bucket is empty longer than a minute (it refills its whole capacity a minute): a wait
 * longer than that is a wall clock set back, and the store is asked again. */
#define MAX_EMPTY_USEC (60 * G_USEC_PER_SEC)

typedef struct
{
  GList  link;    /* in CmRateLimiter.empty_order; data: this */
  char  *key;     /* (owned) */
  gint64 until;   /* microseconds: the bucket can hold a token from then */
} EmptyBucket;

struct _CmRateLimiter
{
  GObject     parent_instance;

  GPtrArray  *trusted;      /* (owned) of GInetAddressMask */

  GMutex      lock;         /* the tests read the front tier from their own thread */
  GHashTable *empty;        /* (owned) key → (owned) EmptyBucket */
  GQueue      empty_order;  /* oldest learned first */
  guint       max_empty;
  gint        store_allowed;  /* atomic */
  gint        store_refused;  /* atomic */
};

G_DEFINE_FINAL_TYPE (CmRateLimiter, cm_rate_limiter, G_TYPE_OBJECT)

static void
cm_rate_limiter_finalize (GObject *object)
{
  CmRateLimiter *self = CM_RATE_LIMITER (object);

  g_ptr_array_unref (self->trusted);
  g_hash_table_unref (self->empty);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cm_rate_limiter_parent_class)->finalize (object);
}

static void
cm_rate_limiter_class_init (CmRateLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cm_rate_limiter_finalize;
}

static void
empty_bucket_free (gpointer data)
{
  EmptyBucket *bucket = data;

  g_free (bucket->key);
  g_free (bucket);
}

static void
cm_rate_limiter_init (CmRateLimiter *self)
{
  self->trusted = g_ptr_array_new_with_free_func (g_object_unref);
  g_mutex_init (&self->lock);
  /* The key is the bucket's own: freed with it. */
  self->empty = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, empty_bucket_free);
  g_queue_init (&self->empty_order);
  self->max_empty = CM_RATE_LIMITER_MAX_EMPTY;
}

CmRateLimiter *
cm_rate_limiter_new (void)
{
  return g_object_new (CM_TYPE_RATE_LIMITER, NULL);
}

/* ---- Addresses ---- */

/* ::ffff:a.b.c.d (a dual-stack listener's IPv4 clients) as the IPv4 address it is. */
static GInetAddress *
unmap (GInetAddress *address)
{
  const guint8 *bytes;

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    {
      static const guint8 prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

      bytes = g_inet_address_to_bytes (address);
      if (memcmp (bytes, prefix, sizeof prefix) == 0)
        return g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
    }
  return g_object_ref (address);
}

char *
cm_rate_limiter_address_key (GInetAddress *address,
                             guint         prefix_v4,
                             guint         prefix_v6)
{
  g_autoptr(GInetAddress) plain = unmap (address);
  g_autoptr(GInetAddress) masked = NULL;
  g_autofree char *text = NULL;
  GSocketFamily family = g_inet_address_get_family (plain);
  gsize size = g_inet_address_get_native_size (plain);
  guint prefix = family == G_SOCKET_FAMILY_IPV4 ? prefix_v4 : prefix_v6;
  guint8 bytes[16];

  g_return_val_if_fail (size <= sizeof bytes, NULL);
  memcpy (bytes, g_inet_address_to_bytes (plain), size);
  for (gsize i = 0; i < size; i++)
    {
      guint keep = prefix > i * 8 ? MIN (8, prefix - i * 8) : 0;

      bytes[i] &= (guint8) (0xff00 >> keep);
    }
  masked = g_inet_address_new_from_bytes (bytes, family);
  text = g_inet_address_to_string (masked);
  return g_strdup_printf ("%s/%u", text, MIN (prefix, (guint) size * 8));
}

gboolean
cm_rate_limiter_set_trusted_proxies (CmRateLimiter      *self,
                                     const char * const *proxies,
                                     GError            **error)
{
  g_autoptr(GPtrArray) trusted = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (CM_IS_RATE_LIMITER (self), FALSE);

  for (guint i = 0; proxies != NULL && proxies[i] != NULL; i++)
    {
      GInetAddressMask *mask = g_inet_address_mask_new_from_string (proxies[i], error);

      if (mask == NULL)
        return FALSE;
      g_ptr_array_add (trusted, mask);
    }
  g_ptr_array_unref (self->trusted);
  self->trusted = g_steal_pointer (&trusted);
  return TRUE;
}

gboolean
cm_rate_limiter_is_trusted (CmRateLimiter *self,
                            GInetAddress  *address)
{
  g_autoptr(GInetAddress) plain = NULL;

  g_return_val_if_fail (CM_IS_RATE_LIMITER (self), FALSE);

  if (self->trusted->len == 0)
    return FALSE;
  plain = unmap (address);
  for (guint i = 0; i < self->trusted->len; i++)
    if (g_inet_address_mask_matches (self->trusted->pdata[i], plain) ||
        g_inet_address_mask_matches (self->trusted->pdata[i], address))
      return TRUE;
  return FALSE;
}

/* One hop of X-Forwarded-For or the value of a Forwarded "for=": an address, perhaps
 * quoted, IPv6 perhaps in brackets, perhaps with a port. NULL for anything else
 * ("unknown", obfuscated names). */
static GInetAddress *
parse_node (const char *text)
{
  g_autofree char *node = g_strstrip (g_strdup (text));
  char *start = node;
  char *end;

  if (*start == '"')
    {
      start++;
      end = strchr (start, '"');
      if (end == NULL)
        return NULL;
      *end = '\0';
    }
  if (*start == '[')
    {
      end = strchr (++start, ']');
      if (end == NULL)
        return NULL;
      *end = '\0';
    }
  else if (strchr (start, ':') == strrchr (start, ':') && (end = strchr (start, ':')) != NULL)
    {
      *end = '\0';  /* a.b.c.d:port */
    }
  return g_inet_address_new_from_string (start);
}

/* The hops of the header, nearest last: X-Forwarded-For "a, b", or Forwarded
 * "for=a;proto=https, for=b". */
static GPtrArray *
forwarded_hops (SoupMessageHeaders *headers)
{
  GPtrArray *hops = g_ptr_array_new_with_free_func ((GDestroyNotify) g_free);
  const char *xff = soup_message_headers_get_list (headers, "X-Forwarded-For");
  const char *forwarded = soup_message_headers_get_list (headers, "Forwarded");
  g_auto(GStrv) elements = NULL;

  if (xff != NULL)
    {
      elements = g_strsplit (xff, ",", -1);
      for (guint i = 0; elements[i] != NULL; i++)
        g_ptr_array_add (hops, g_strdup (elements[i]));
      return hops;
    }
  if (forwarded == NULL)
    return hops;
  elements = g_strsplit (forwarded, ",", -1);
  for (guint i = 0; elements[i] != NULL; i++)
    {
      g_auto(GStrv) pairs = g_strsplit (elements[i], ";", -1);
      char *node = NULL;

      for (guint j = 0; pairs[j] != NULL && node == NULL; j++)
        {
          const char *pair = pairs[j] + strspn (pairs[j], " \t");

          if (g_ascii_strncasecmp (pair, "for=", 4) == 0)
            node = g_strdup (pair + 4);
        }
      /* An element without for= is a hop we cannot name. */
      g_ptr_array_add (hops, node != NULL ? node : g_strdup (""));
    }
  return hops;
}

GInetAddress *
cm_rate_limiter_client_address (CmRateLimiter      *self,
                                GInetAddress       *peer,
                                SoupMessageHeaders *headers)
{
  g_autoptr(GPtrArray) hops = NULL;
  g_autoptr(GInetAddress) client = NULL;

  g_return_val_if_fail (CM_IS_RATE_LIMITER (self), NULL);

  if (!cm_rate_limiter_is_trusted (self, peer))
    return g_object_ref (peer);

  /* From the nearest hop back: each trusted proxy vouches for the hop before it; the first
   * address no proxy of ours wrote is the client. A hop we cannot read stops the walk at
   * the proxy that wrote it, so a forged header never gets a client a fresh count. */
  client = g_object_ref (peer);
  hops = forwarded_hops (headers);
  for (guint i = hops->len; i > 0; i--)
    {
      g_autoptr(GInetAddress) hop = parse_node (hops->pdata[i - 1]);

      if (hop == NULL)
        break;
      g_set_object (&client, hop);
      if (!cm_rate_limiter_is_trusted (self, hop))
        break;
    }
  return g_steal_pointer (&client);
}

/* ---- The front tier: buckets known to be empty ---- */

/* With the lock held. */
static void
forget (CmRateLimiter *self,
        EmptyBucket   *bucket)
{
  g_queue_unlink (&self->empty_order, &bucket->link);
  g_hash_table_remove (self->empty, bucket->key);
}

/* With the lock held: room for one more, the buckets refilled by @now first, then the one
 * learned longest ago. Forgetting a bucket only costs its next request a store write. */
static void
make_room (CmRateLimiter *self,
           gint64         now)
{
  EmptyBucket *oldest;

  while ((oldest = g_queue_peek_head (&self->empty_order)) != NULL && oldest->until <= now)
    forget (self, oldest);
  while (self->empty_order.length >= self->max_empty &&
         (oldest = g_queue_peek_head (&self->empty_order)) != NULL)
    forget (self, oldest);
}

void
cm_rate_limiter_learn (CmRateLimiter *self,
                       const char    *key,
                       gboolean       allowed,
                       gint64         now,
                       gint64         next_token_at)
{
  EmptyBucket *bucket;

  g_return_if_fail (CM_IS_RATE_LIMITER (self));
  g_return_if_fail (key != NULL);

  g_atomic_int_inc (allowed ? &self->store_allowed : &self->store_refused);
  g_mutex_lock (&self->lock);
  bucket = g_hash_table_lookup (self->empty, key);
  if (next_token_at <= now || self->max_empty == 0)
    {
      if (bucket != NULL)
        forget (self, bucket);
    }
  else
    {
      if (bucket == NULL)
        {
          make_room (self, now);
          bucket = g_new0 (EmptyBucket, 1);
          bucket->link.data = bucket;
          bucket->key = g_strdup (key);
          g_hash_table_insert (self->empty, bucket->key, bucket);
        }
      else
        {
          g_queue_unlink (&self->empty_order, &bucket->link);
        }
      bucket->until = next_token_at;
      g_queue_push_tail_link (&self->empty_order, &bucket->link);
    }
  g_mutex_unlock (&self->lock);
}

gint64
cm_rate_limiter_known_wait (CmRateLimiter *self,
                            const char    *key,
                            gint64         now)
{
  EmptyBucket *bucket;
  gint64 wait = 0;

  g_return_val_if_fail (CM_IS_RATE_LIMITER (self), 0);
  g_return_val_if_fail (key != NULL, 0);

  g_mutex_lock (&self->lock);
  bucket = g_hash_table_lookup (self->empty, key);
  if (bucket != NULL)
    {
      if (bucket->until > now && bucket->until - now <= MAX_EMPTY_USEC)
        wait = bucket->until - now;
      else
        forget (self, bucket);
    }
  g_mutex_unlock (&self->lock);
  return wait;
}

void
cm_rate_limiter_set_max_empty (CmRateLimiter *self,
                               guint          max_empty)
{
  g_return_if_fail (CM_IS_RATE_LIMITER (self));

  g_mutex_lock (&self->lock);
  self->max_empty = max_empty;
  while (self->empty_order.length > max_empty)
    forget (self, g_queue_peek_head (&self->empty_order));
  g_mutex_unlock (&self->lock);
}

guint
cm_rate_limiter_get_n_empty (CmRateLimiter *self)
{
  guint n;

  g_return_val_if_fail (CM_IS_RATE_LIMITER (self), 0);

  g_mutex_lock (&self->lock);
  n = g_hash_table_size (self->empty);
  g_mutex_unlock (&self->lock);
  return n;
}

void
cm_rate_limiter_get_store_answers (CmRateLimiter *self,
                                   guint         *allowed,
                                   guint         *refused)
{
  g_return_if_fail (CM_IS_RATE_LIMITER (self));

  *allowed = (guint) g_atomic_int_get (&self->store_allowed);
  *refused = (guint) g_atomic_int_get (&self->store_refused);
}
