/* cm-account-search.c: the springboard's search, as a GListModel of the
 * CmAccount that match it, in the order of the session's accounts. A search
 * matches every field the list shows (number, name, city, status and type, as
 * sent and as translated), case-folded and without accents.
 *
 * Not a GtkFilterListModel with a GtkFilter: that asks for every account
 * through g_list_model_get_item() and the filter's vfunc, and keeps its matches
 * in a GtkBitset, about 250 ns an account, 25 ms a keystroke with 100,000. Here
 * a search is one loop of strstr() over an array of search keys, and the
 * matches are an array of positions (docs/benchmarks.md).
 *
 * Keys are made while idle, KEYS_PER_TURN at a time. A search that would have
 * to make more than that first (typed just after 100,000 accounts arrived, or
 * a refresh under a search) waits for them instead of stalling the window:
 * the model keeps showing what it showed, and changes once the keys are made,
 * within about 50 ms for 100,000 accounts.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-account-search"

#include "config.h"

#include <string.h>

#include "cm-account-row.h"
#include "cm-account-search-private.h"

/* One account. The pointer is kept once it is needed, so that a view's many
 * calls to get_item() (GTK 4.8's list item manager makes one for every item a
 * change adds) do not each look it up in the session's GListStore. Pointer
 * and key are made while idle, or when a search needs them first: without a
 * search a change of the accounts makes neither, under a search it makes
 * those of the accounts it adds. */
typedef struct
{
  CmAccount *account;  /* owned, nullable: the account, until it is needed */
  char      *key;      /* owned, nullable: its search key, until it is made */
} Entry;

struct _CmAccountSearch
{
  GObject     parent_instance;

  GListModel *accounts;       /* the session's accounts */
  Entry      *entries;        /* each of @accounts, in its order */
  guint       n_entries;
  guint       allocated;      /* the room in @entries */
  GArray     *shown;          /* nullable: guint positions in @accounts that match, in order */
  char       *search_folded;  /* nullable: the folded search @shown is of; NULL shows all */
  char       *waiting_folded; /* nullable: a folded search that waits for keys (see the top) */
  GHashTable *folded_labels;  /* status to (type to what folded_labels() makes) */
  guint       n_folded_labels;
  guint       warm_up_id;     /* the idle that makes search keys */
  guint       warm_up_next;   /* no key is missing before this position */
  guint       n_keys_missing;
  guint       keys_per_turn;  /* KEYS_PER_TURN, but in tests */
};

/* The most search keys made in one turn of the main loop: 0.5 to 2.5 ms. */
#define KEYS_PER_TURN 2000

/* Status and type pairs whose folded labels are kept (folded_labels()). */
#define MAX_FOLDED_LABELS 64

enum
{
  PROP_WAITING = 1,
  N_PROPS
};

static GParamSpec *obj_props[N_PROPS];

static void cm_account_search_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CmAccountSearch, cm_account_search, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cm_account_search_list_model_init))

/* What a search compares: case-folded, then without accents and other
 * combining marks (compatibility decomposition), so "jose" finds "José",
 * "strasse" finds "Straße" and an Arabic word matches with or without its
 * diacritics; then case-folded again, as the decomposition can bring back
 * capitals ("™" is "TM", "ℍ" is "H"). */
static char *
fold_for_search (const char *text)
{
  g_autofree char *folded = NULL;
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) out = NULL;

  /* Most keys: the same as g_utf8_casefold() on ASCII, at a fraction of it. */
  if (g_str_is_ascii (text))
    return g_ascii_strdown (text, -1);
  folded = g_utf8_casefold (text, -1);
  if (g_str_is_ascii (folded))
    return g_steal_pointer (&folded);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_steal_pointer (&folded);

  out = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (out, c);
    }
  return g_utf8_casefold (out->str, out->len);
}

/* The folded status, its label and the label of the type: the same for
 * thousands of accounts, and two gettext lookups to make, so made once for
 * each status and type, up to MAX_FOLDED_LABELS pairs. Past that (only a
 * hostile back-end sends hundreds of statuses) they are folded for each
 * account and returned in @owned, for the caller to free. Looked up by status,
 * then by type: one string made of the two would let a status "a\nb" with
 * type "c" pass for status "a" with type "b\nc" (JSON allows the newline). */
static const char *
folded_labels (CmAccountSearch *self,
               const char      *status,
               const char      *account_type,
               char           **owned)
{
  GHashTable *by_type = g_hash_table_lookup (self->folded_labels, status);
  g_autofree char *joined = NULL;
  char *folded = by_type != NULL ? g_hash_table_lookup (by_type, account_type) : NULL;

  if (folded != NULL)
    return folded;

  joined = g_strjoin ("\n", status, cm_account_status_get_label (status),
                      cm_account_type_get_label (account_type), NULL);
  folded = fold_for_search (joined);
  if (self->n_folded_labels >= MAX_FOLDED_LABELS)
    return *owned = folded;
  if (by_type == NULL)
    {
      by_type = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (self->folded_labels, g_strdup (status), by_type);
    }
  g_hash_table_insert (by_type, g_strdup (account_type), folded);
  self->n_folded_labels++;
  return folded;
}

/* Everything a search can match in one account, folded once. Fields are
 * joined with a newline, which nobody types into the search entry, so a
 * match never spans two. */
static char *
make_search_key (CmAccountSearch *self,
                 CmAccount       *account)
{
  const char *fields[] = { cm_account_get_account_number (account) ?: "",
                           cm_account_get_name (account) ?: "",
                           cm_account_get_city (account) ?: "" };
  g_autofree char *owned_labels = NULL;
  const char *labels = folded_labels (self, cm_account_get_status (account) ?: "",
                                      cm_account_get_account_type (account) ?: "",
                                      &owned_labels);
  gsize lengths[G_N_ELEMENTS (fields)];
  gsize size = strlen (labels) + 1;
  gboolean ascii = TRUE;
  char *key, *out;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      lengths[i] = strlen (fields[i]);
      size += lengths[i] + 1;
      ascii = ascii && g_str_is_ascii (fields[i]);
    }

  if (!ascii)
    {
      g_autofree char *joined = g_strjoin ("\n", fields[0], fields[1], fields[2], NULL);
      g_autofree char *folded = fold_for_search (joined);

      return g_strconcat (folded, "\n", labels, NULL);
    }

  /* Most accounts: lowercased into one allocation, as fold_for_search() would. */
  key = out = g_malloc (size);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      for (gsize c = 0; c < lengths[i]; c++)
        *out++ = g_ascii_tolower (fields[i][c]);
      *out++ = '\n';
    }
  strcpy (out, labels);
  return key;
}

static void
entry_clear (Entry *entry)
{
  g_clear_object (&entry->account);
  g_clear_pointer (&entry->key, g_free);
}

static inline Entry *
entry_at (CmAccountSearch *self,
          guint            position)
{
  return &self->entries[position];
}

/* Looked up by position in @accounts: right as long as the entries follow
 * every change of @accounts before anything asks for an item (they do: this
 * model's own handler is the one that tells the view). */
static CmAccount *
account_at (CmAccountSearch *self,
            guint            position)
{
  Entry *entry = entry_at (self, position);

  if (G_UNLIKELY (entry->account == NULL))
    entry->account = g_list_model_get_item (self->accounts, position);
  return entry->account;
}

static const char *
search_key_at (CmAccountSearch *self,
               guint            position)
{
  Entry *entry = entry_at (self, position);

  if (G_UNLIKELY (entry->key == NULL))
    {
      entry->key = make_search_key (self, account_at (self, position));
      self->n_keys_missing--;
    }
  return entry->key;
}

/* The one rule of a search: the account's key has the search text. */
static gboolean
matches_at (CmAccountSearch *self,
            guint            position)
{
  return strstr (search_key_at (self, position), self->search_folded) != NULL;
}

/* The position in @accounts of item @index of @shown (NULL: all are shown). */
static inline guint
position_at (const GArray *shown,
             guint         index)
{
  return shown != NULL ? g_array_index (shown, guint, index) : index;
}

static guint
count_shown (CmAccountSearch *self,
             const GArray    *shown)
{
  return shown != NULL ? shown->len : self->n_entries;
}

/* The positions among @candidates (NULL: all accounts) whose key has the
 * search text. */
static GArray *
find_matches (CmAccountSearch *self,
              const GArray    *candidates)
{
  guint n = count_shown (self, candidates);
  GArray *found = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);
  guint *positions = (guint *) (gpointer) found->data;
  guint n_found = 0;

  for (guint i = 0; i < n; i++)
    {
      guint position = position_at (candidates, i);

      if (matches_at (self, position))
        positions[n_found++] = position;
    }
  return g_array_set_size (found, n_found);
}

/* One items-changed for what differs between two lists of positions (over
 * the same accounts): the common start and end stay, so the grid view keeps
 * the rows there and its scroll position. */
static void
emit_difference (CmAccountSearch *self,
                 const GArray    *before,
                 const GArray    *after)
{
  guint n_before = count_shown (self, before);
  guint n_after = count_shown (self, after);
  guint start = 0, end = 0;

  while (start < n_before && start < n_after &&
         position_at (before, start) == position_at (after, start))
    start++;
  while (end < n_before - start && end < n_after - start &&
         position_at (before, n_before - 1 - end) == position_at (after, n_after - 1 - end))
    end++;
  if (n_before - start - end > 0 || n_after - start - end > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), start, n_before - start - end,
                                n_after - start - end);
}

static gboolean warm_up_cb (gpointer data);

static void
start_warm_up (CmAccountSearch *self)
{
  if (self->warm_up_id == 0)
    self->warm_up_id = g_idle_add_full (G_PRIORITY_LOW, warm_up_cb, self, NULL);
}

/* Shows the matches of @folded (NULL: every account), in place of what is
 * shown; @narrower: @folded has the search @shown is of, so only that is
 * searched. */
static void
show_search (CmAccountSearch *self,
             char            *folded,
             gboolean         narrower)
{
  g_autoptr(GArray) before = g_steal_pointer (&self->shown);
  gboolean waited = self->waiting_folded != NULL;

  g_clear_pointer (&self->waiting_folded, g_free);
  g_free (self->search_folded);
  self->search_folded = folded;
  if (folded != NULL)
    self->shown = find_matches (self, narrower ? before : NULL);
  emit_difference (self, before, self->shown);
  /* After the change: a view that asks sees the search done. */
  if (waited)
    g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_WAITING]);
}

/* @folded waits for keys, in place of any search that did. */
static void
wait_for_keys (CmAccountSearch *self,
               char            *folded)
{
  gboolean waited = self->waiting_folded != NULL;

  g_free (self->waiting_folded);
  self->waiting_folded = folded;
  start_warm_up (self);
  if (!waited)
    g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_WAITING]);
}

/* ---- keeping up with the session's accounts ------------------------------ */

/* While the window is idle: the search key of every account, a few at a
 * time so no turn of the main loop takes long. */
static gboolean
warm_up_cb (gpointer data)
{
  CmAccountSearch *self = data;
  guint made = 0;

  for (; self->warm_up_next < self->n_entries && made < self->keys_per_turn;
       self->warm_up_next++)
    if (entry_at (self, self->warm_up_next)->key == NULL)
      {
        search_key_at (self, self->warm_up_next);
        made++;
      }
  if (self->warm_up_next < self->n_entries)
    return G_SOURCE_CONTINUE;

  /* The search that waited for the keys, in a turn of its own. */
  if (self->waiting_folded != NULL && made > 0)
    return G_SOURCE_CONTINUE;

  self->warm_up_id = 0;
  if (self->waiting_folded != NULL)
    show_search (self, g_strdup (self->waiting_folded), FALSE);
  return G_SOURCE_REMOVE;
}

/* At most a turn's worth of keys to make before every account can be
 * searched. */
static gboolean
keys_ready_soon (CmAccountSearch *self)
{
  return self->n_keys_missing <= self->keys_per_turn;
}

/* The entries of @accounts' change: @removed out at @position, @added empty
 * ones in. */
static void
splice_entries (CmAccountSearch *self,
                guint            position,
                guint            removed,
                guint            added)
{
  guint kept = self->n_entries - removed;

  if (self->entries == NULL && added == 0)
    return;
  for (guint i = position; i < position + removed; i++)
    {
      self->n_keys_missing -= entry_at (self, i)->key == NULL;
      entry_clear (entry_at (self, i));
    }
  self->n_keys_missing += added;
  if (kept + added > self->allocated)
    {
      guint allocated = MAX (kept + added, MIN (self->allocated, G_MAXUINT / 2) * 2);

      /* Nothing to keep (the first fill, a refresh): zeroed memory that is
       * only touched as the entries are made, not 1.6 MB written up front
       * for 100,000 accounts. */
      if (kept == 0)
        {
          g_free (self->entries);
          self->entries = g_new0 (Entry, allocated);
          self->allocated = allocated;
          self->n_entries = added;
          return;
        }
      self->entries = g_renew (Entry, self->entries, allocated);
      self->allocated = allocated;
    }
  memmove (entry_at (self, position + added), entry_at (self, position + removed),
           (self->n_entries - position - removed) * sizeof (Entry));
  memset (entry_at (self, position), 0, added * sizeof (Entry));
  self->n_entries = kept + added;
}

static void
on_accounts_changed_cb (GListModel      *accounts,
                        guint            position,
                        guint            removed,
                        guint            added,
                        CmAccountSearch *self)
{
  g_return_if_fail (position + removed <= self->n_entries);

  /* g_list_store_splice() tells of a splice that changed nothing too. */
  if (removed == 0 && added == 0)
    return;

  splice_entries (self, position, removed, added);
  self->warm_up_next = MIN (self->warm_up_next, position);
  start_warm_up (self);

  if (self->shown == NULL)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
    }
  else
    {
      g_autoptr(GArray) before = g_steal_pointer (&self->shown);
      /* Too many keys to make now (a refresh): the accounts it added are
       * searched once their keys are made, with the whole search again. */
      gboolean later = added > self->keys_per_turn;
      gboolean was_waiting = self->waiting_folded != NULL;
      guint first = 0, gone = 0, found;

      /* The matches before the change stay, those in it go, the accounts it
       * added are searched, and the matches after it move along. */
      while (first < before->len && g_array_index (before, guint, first) < position)
        first++;
      while (first + gone < before->len &&
             g_array_index (before, guint, first + gone) < position + removed)
        gone++;
      self->shown = g_array_sized_new (FALSE, FALSE, sizeof (guint), before->len);
      g_array_append_vals (self->shown, before->data, first);
      for (guint p = position; p < position + added && !later; p++)
        if (matches_at (self, p))
          g_array_append_val (self->shown, p);
      if (later && !was_waiting)
        self->waiting_folded = g_strdup (self->search_folded);
      found = self->shown->len - first;
      for (guint i = first + gone; i < before->len; i++)
        {
          guint moved = g_array_index (before, guint, i) - removed + added;

          g_array_append_val (self->shown, moved);
        }
      if (gone > 0 || found > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), first, gone, found);
      if (later && !was_waiting)
        g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_WAITING]);
    }
}

/* ---- GListModel ---------------------------------------------------------- */

static GType
cm_account_search_get_item_type (GListModel *model)
{
  return CM_TYPE_ACCOUNT;
}

static guint
cm_account_search_get_n_items (GListModel *model)
{
  CmAccountSearch *self = CM_ACCOUNT_SEARCH (model);

  return count_shown (self, self->shown);
}

static gpointer
cm_account_search_get_item (GListModel *model,
                            guint       index)
{
  CmAccountSearch *self = CM_ACCOUNT_SEARCH (model);

  if (index >= count_shown (self, self->shown))
    return NULL;
  return g_object_ref (account_at (self, position_at (self->shown, index)));
}

static void
cm_account_search_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cm_account_search_get_item_type;
  iface->get_n_items = cm_account_search_get_n_items;
  iface->get_item = cm_account_search_get_item;
}

/* ---- GObject ------------------------------------------------------------- */

static void
cm_account_search_dispose (GObject *object)
{
  CmAccountSearch *self = CM_ACCOUNT_SEARCH (object);

  g_clear_handle_id (&self->warm_up_id, g_source_remove);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (cm_account_search_parent_class)->dispose (object);
}

static void
cm_account_search_finalize (GObject *object)
{
  CmAccountSearch *self = CM_ACCOUNT_SEARCH (object);

  for (guint i = 0; i < self->n_entries; i++)
    entry_clear (entry_at (self, i));
  g_clear_pointer (&self->entries, g_free);
  g_clear_pointer (&self->shown, g_array_unref);
  g_clear_pointer (&self->search_folded, g_free);
  g_clear_pointer (&self->waiting_folded, g_free);
  g_clear_pointer (&self->folded_labels, g_hash_table_unref);

  G_OBJECT_CLASS (cm_account_search_parent_class)->finalize (object);
}

static void
cm_account_search_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CmAccountSearch *self = CM_ACCOUNT_SEARCH (object);

  switch (prop_id)
    {
    case PROP_WAITING:
      g_value_set_boolean (value, cm_account_search_is_waiting (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_account_search_class_init (CmAccountSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_account_search_dispose;
  object_class->finalize = cm_account_search_finalize;
  object_class->get_property = cm_account_search_get_property;

  /**
   * CmAccountSearch:waiting:
   *
   * Whether a search waits for the search keys of accounts that just arrived
   * (cm_account_search_set_text()).
   */
  obj_props[PROP_WAITING] =
    g_param_spec_boolean ("waiting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);
}

static void
cm_account_search_init (CmAccountSearch *self)
{
  self->folded_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_hash_table_unref);
  self->keys_per_turn = KEYS_PER_TURN;
}

/**
 * cm_account_search_new:
 * @accounts: the #CmAccount to search, followed as they change; their search
 *   keys are made while the main loop is idle, so that a search does not
 *   have to make them
 *
 * Returns: (transfer full): a model of all of @accounts, until a search
 */
CmAccountSearch *
cm_account_search_new (GListModel *accounts)
{
  CmAccountSearch *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (accounts), NULL);
  g_return_val_if_fail (g_list_model_get_item_type (accounts) == CM_TYPE_ACCOUNT, NULL);

  self = g_object_new (CM_TYPE_ACCOUNT_SEARCH, NULL);
  self->accounts = g_object_ref (accounts);
  g_signal_connect (accounts, "items-changed", G_CALLBACK (on_accounts_changed_cb), self);
  splice_entries (self, 0, 0, g_list_model_get_n_items (accounts));
  start_warm_up (self);
  return self;
}

/**
 * cm_account_search_set_text:
 * @text: (nullable): what the user typed; spaces around it are not searched,
 *   and nothing (or only spaces) shows every account
 *
 * Searches at once, unless the accounts' search keys are not made yet (just
 * after many accounts arrived): then the search waits for them, and the model
 * changes when they are (cm_account_search_is_waiting()).
 *
 * Returns: %TRUE when what the model shows may have changed (it emitted
 *   #GListModel::items-changed for what did)
 */
gboolean
cm_account_search_set_text (CmAccountSearch *self,
                            const char      *text)
{
  g_autofree char *stripped = NULL;
  g_autofree char *folded = NULL;
  const char *wanted;
  gboolean narrower;

  g_return_val_if_fail (CM_IS_ACCOUNT_SEARCH (self), FALSE);

  stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (*stripped != '\0')
    folded = fold_for_search (stripped);
  /* The same search (a space typed, or the entry's own delayed signal after
   * the text was set from code): nothing to search again. */
  wanted = self->waiting_folded != NULL ? self->waiting_folded : self->search_folded;
  if (g_strcmp0 (wanted, folded) == 0)
    return FALSE;

  /* Typing on only narrows the list: then only what is shown is searched,
   * and all of it has keys. */
  narrower = self->waiting_folded == NULL && self->search_folded != NULL && folded != NULL &&
             strstr (folded, self->search_folded) != NULL;
  if (folded != NULL && !narrower && !keys_ready_soon (self))
    {
      wait_for_keys (self, g_steal_pointer (&folded));
      return FALSE;
    }

  show_search (self, g_steal_pointer (&folded), narrower);
  return TRUE;
}

/**
 * cm_account_search_is_waiting:
 *
 * Returns: %TRUE while a search waits for the keys of accounts that just
 *   arrived; the model shows what it showed before until then
 */
gboolean
cm_account_search_is_waiting (CmAccountSearch *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT_SEARCH (self), FALSE);

  return self->waiting_folded != NULL;
}

/**
 * cm_account_search_finish_waiting:
 *
 * Searches now for a search that waits for keys, making them all: for when
 * the user asks for the result (Enter in the search entry) and waiting would
 * give a wrong one.
 */
void
cm_account_search_finish_waiting (CmAccountSearch *self)
{
  g_return_if_fail (CM_IS_ACCOUNT_SEARCH (self));

  if (self->waiting_folded != NULL)
    show_search (self, g_strdup (self->waiting_folded), FALSE);
}

/* Tests: a smaller turn, so a few accounts make a search wait. */
void
cm_account_search_set_keys_per_turn (CmAccountSearch *self,
                                     guint            keys_per_turn)
{
  g_return_if_fail (CM_IS_ACCOUNT_SEARCH (self));
  g_return_if_fail (keys_per_turn > 0);

  self->keys_per_turn = keys_per_turn;
}
