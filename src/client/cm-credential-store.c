/* cm-credential-store.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-credential-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "cm-api-types.h"
#include "cm-credential-store.h"
#include "cm-credential-store-private.h"
#include "cm-error.h"

#define ATTRIBUTE_SERVER      "server"
#define ATTRIBUTE_USER_ID     "user-id"
#define ATTRIBUTE_KIND        "kind"
#define ATTRIBUTE_GENERATION  "generation"
/* Bump when the meaning of the items changes, and migrate the older ones. */
#define GENERATION            "1"

/* One schema, named after the app id (GOA's habit): the items of a .Devel build stay apart. */
static const SecretSchema credential_schema = {
  APP_ID, SECRET_SCHEMA_NONE,
  {
    { ATTRIBUTE_SERVER, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { ATTRIBUTE_USER_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { ATTRIBUTE_KIND, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { ATTRIBUTE_GENERATION, SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { NULL, 0 },
  }
};

struct _CmCredentialStore
{
  GObject             parent_instance;

  CmCredentialBackend backend;
};

G_DEFINE_FINAL_TYPE (CmCredentialStore, cm_credential_store, G_TYPE_OBJECT)

typedef enum
{
  PROP_BACKEND = 1,
  N_PROPS
} CmCredentialStoreProperty;

static GParamSpec *obj_props[N_PROPS];

/* The memory backend: one table per process, like one keyring per session. */
G_LOCK_DEFINE_STATIC (memory);
static GHashTable *memory_items;  /* (owned) key -> secret */

static const char *
kind_to_string (CmCredentialKind kind)
{
  switch (kind)
    {
    case CM_CREDENTIAL_KIND_TOKEN:
      return "token";
    case CM_CREDENTIAL_KIND_PASSWORD:
      return "password";
    default:
      g_assert_not_reached ();
    }
}

static char *
memory_key (const char       *server,
            const char       *user_id,
            CmCredentialKind  kind)
{
  return g_strdup_printf ("%s\x1f%s\x1f%s", server, user_id, kind_to_string (kind));
}

static GHashTable *
memory_table (void)
{
  if (memory_items == NULL)
    memory_items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) cm_secret_free);
  return memory_items;
}

/* Removes the items of @server (and @user_id, and @kind, when not NULL / -1). */
static void
memory_remove (const char *server,
               const char *user_id,
               int         kind)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, memory_table ());
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_auto(GStrv) parts = g_strsplit (key, "\x1f", 3);

      if (g_strcmp0 (parts[0], server) == 0 &&
          (user_id == NULL || g_strcmp0 (parts[1], user_id) == 0) &&
          (kind < 0 || g_strcmp0 (parts[2], kind_to_string ((CmCredentialKind) kind)) == 0))
        g_hash_table_iter_remove (&iter);
    }
}

static GError *
keyring_error (const GError *error,
               const char   *what)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  /* libsecret's own words are for support staff, not for the user. */
  g_debug ("%s: %s", what, error->message);
  return g_error_new_literal (CM_ERROR, CM_ERROR_KEYRING,
                              _("The keyring could not be used, so your sign-in cannot be "
                                "remembered on this computer."));
}

/* libsecret may read the table after the call returns: it owns copies. */
static GHashTable *
attributes_new (const char *server,
                const char *user_id,
                int         kind)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (attributes, g_strdup (ATTRIBUTE_SERVER), g_strdup (server));
  if (user_id != NULL)
    g_hash_table_insert (attributes, g_strdup (ATTRIBUTE_USER_ID), g_strdup (user_id));
  if (kind >= 0)
    g_hash_table_insert (attributes, g_strdup (ATTRIBUTE_KIND),
                         g_strdup (kind_to_string ((CmCredentialKind) kind)));
  return attributes;
}

/* ---- Store ---- */

typedef struct
{
  char             *server;
  char             *user_id;
  CmCredentialKind  kind;
  char             *secret;   /* (owned): wiped on free */
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_free (data->server);
  g_free (data->user_id);
  cm_secret_free (data->secret);
  g_free (data);
}

static void
store_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error (error, "store"));
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_write (GTask *task)
{
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = attributes_new (data->server, data->user_id, data->kind);
  g_autofree char *label = NULL;

  g_hash_table_insert (attributes, g_strdup (ATTRIBUTE_GENERATION), g_strdup (GENERATION));

  if (data->kind == CM_CREDENTIAL_KIND_TOKEN)
    /* Translators: the keyring item's label; %s is a User ID */
    label = g_strdup_printf (_("CARS Mechanic session for %s"), data->user_id);
  else
    /* Translators: the keyring item's label; %s is a User ID */
    label = g_strdup_printf (_("CARS Mechanic password for %s"), data->user_id);

  secret_password_storev (&credential_schema, attributes, SECRET_COLLECTION_DEFAULT, label,
                          data->secret, g_task_get_cancellable (task), store_done_cb, task);
}

static void
store_cleared_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_task_return_error (task, keyring_error (error, "clear before store"));
      return;
    }

  store_write (g_steal_pointer (&task));
}

/**
 * cm_credential_store_store_async:
 * @server: the back-end's base URI
 * @user_id: whose secret it is
 * @kind: a token or a password
 * @secret: the secret
 *
 * Stores a secret in the default collection. A token replaces every token
 * remembered for @server, so that there is one remembered session per
 * back-end and cm_credential_store_lookup_remembered_async() is never
 * ambiguous.
 */
void
cm_credential_store_store_async (CmCredentialStore   *self,
                                 const char          *server,
                                 const char          *user_id,
                                 CmCredentialKind     kind,
                                 const char          *secret,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreData *data;

  g_return_if_fail (CM_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (server != NULL);
  g_return_if_fail (user_id != NULL);
  g_return_if_fail (secret != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_credential_store_store_async);

  if (self->backend == CM_CREDENTIAL_BACKEND_MEMORY)
    {
      G_LOCK (memory);
      if (kind == CM_CREDENTIAL_KIND_TOKEN)
        memory_remove (server, NULL, kind);
      g_hash_table_replace (memory_table (), memory_key (server, user_id, kind),
                            g_strdup (secret));
      G_UNLOCK (memory);
      g_task_return_boolean (task, TRUE);
      return;
    }

  data = g_new0 (StoreData, 1);
  data->server = g_strdup (server);
  data->user_id = g_strdup (user_id);
  data->kind = kind;
  data->secret = g_strdup (secret);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);

  if (kind == CM_CREDENTIAL_KIND_TOKEN)
    {
      g_autoptr(GHashTable) attributes = attributes_new (server, NULL, kind);

      secret_password_clearv (&credential_schema, attributes, cancellable, store_cleared_cb,
                              g_steal_pointer (&task));
      return;
    }

  store_write (g_steal_pointer (&task));
}

gboolean
cm_credential_store_store_finish (CmCredentialStore  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cm_credential_store_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Lookup ---- */

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error, "lookup"));
      return;
    }

  if (secret != NULL)
    {
      char *copy = g_strdup (secret);

      secret_password_free (secret);
      g_task_return_pointer (task, copy, (GDestroyNotify) cm_secret_free);
    }
  else
    g_task_return_pointer (task, NULL, NULL);
}

void
cm_credential_store_lookup_async (CmCredentialStore   *self,
                                  const char          *server,
                                  const char          *user_id,
                                  CmCredentialKind     kind,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (CM_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (server != NULL);
  g_return_if_fail (user_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_credential_store_lookup_async);

  if (self->backend == CM_CREDENTIAL_BACKEND_MEMORY)
    {
      g_autofree char *key = memory_key (server, user_id, kind);
      char *secret;

      G_LOCK (memory);
      secret = g_strdup (g_hash_table_lookup (memory_table (), key));
      G_UNLOCK (memory);
      g_task_return_pointer (task, secret, (GDestroyNotify) cm_secret_free);
      return;
    }

  attributes = attributes_new (server, user_id, kind);
  secret_password_lookupv (&credential_schema, attributes, cancellable, lookup_done_cb,
                           g_steal_pointer (&task));
}

/**
 * cm_credential_store_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret, to be freed with
 *   cm_secret_free(); %NULL with no error when there is none
 */
char *
cm_credential_store_lookup_finish (CmCredentialStore  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cm_credential_store_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- The remembered session ---- */

typedef struct
{
  char *user_id;
  char *token;   /* (owned): wiped on free */
} Remembered;

static void
remembered_free (Remembered *remembered)
{
  g_free (remembered->user_id);
  cm_secret_free (remembered->token);
  g_free (remembered);
}

static void
remembered_lookup_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Remembered *remembered;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error, "lookup remembered"));
      return;
    }
  if (secret == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  remembered = g_new0 (Remembered, 1);
  remembered->user_id = g_strdup (g_task_get_task_data (task));
  remembered->token = g_strdup (secret);
  secret_password_free (secret);
  g_task_return_pointer (task, remembered, (GDestroyNotify) remembered_free);
}

static void
remembered_search_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) newest_attributes = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GList *items;
  guint64 newest = 0;
  const char *user_id;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error, "search"));
      return;
    }

  /* Storing a token replaces the older ones; should two remain, the newest wins. */
  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretRetrievable *item = l->data;
      guint64 modified = secret_retrievable_get_modified (item);

      if (newest_attributes == NULL || modified > newest)
        {
          g_clear_pointer (&newest_attributes, g_hash_table_unref);
          newest_attributes = secret_retrievable_get_attributes (item);
          newest = modified;
        }
    }
  g_list_free_full (items, g_object_unref);

  user_id = newest_attributes != NULL ?
            g_hash_table_lookup (newest_attributes, ATTRIBUTE_USER_ID) : NULL;
  if (user_id == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  g_task_set_task_data (task, g_strdup (user_id), g_free);
  attributes = attributes_new (g_hash_table_lookup (newest_attributes, ATTRIBUTE_SERVER),
                               user_id, CM_CREDENTIAL_KIND_TOKEN);
  secret_password_lookupv (&credential_schema, attributes, cancellable, remembered_lookup_cb,
                           g_steal_pointer (&task));
}

/**
 * cm_credential_store_lookup_remembered_async:
 * @server: the back-end's base URI
 *
 * Finds the session token remembered for @server without knowing the user:
 * the keyring item's `user-id` attribute says whose it is.
 */
void
cm_credential_store_lookup_remembered_async (CmCredentialStore   *self,
                                             const char          *server,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (CM_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (server != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_credential_store_lookup_remembered_async);

  if (self->backend == CM_CREDENTIAL_BACKEND_MEMORY)
    {
      Remembered *remembered = NULL;
      GHashTableIter iter;
      gpointer key, value;

      G_LOCK (memory);
      g_hash_table_iter_init (&iter, memory_table ());
      while (remembered == NULL && g_hash_table_iter_next (&iter, &key, &value))
        {
          g_auto(GStrv) parts = g_strsplit (key, "\x1f", 3);

          if (g_strcmp0 (parts[0], server) == 0 &&
              g_strcmp0 (parts[2], kind_to_string (CM_CREDENTIAL_KIND_TOKEN)) == 0)
            {
              remembered = g_new0 (Remembered, 1);
              remembered->user_id = g_strdup (parts[1]);
              remembered->token = g_strdup (value);
            }
        }
      G_UNLOCK (memory);
      g_task_return_pointer (task, remembered, (GDestroyNotify) remembered_free);
      return;
    }

  attributes = attributes_new (server, NULL, CM_CREDENTIAL_KIND_TOKEN);
  secret_password_searchv (&credential_schema, attributes, SECRET_SEARCH_ALL, cancellable,
                           remembered_search_cb, g_steal_pointer (&task));
}

/**
 * cm_credential_store_lookup_remembered_finish:
 * @user_id: (out) (optional) (transfer full): whose session it is
 * @token: (out) (optional) (transfer full): free with cm_secret_free()
 *
 * Returns: %TRUE when a session is remembered; %FALSE with no error when none is
 */
gboolean
cm_credential_store_lookup_remembered_finish (CmCredentialStore  *self,
                                              GAsyncResult       *result,
                                              char              **user_id,
                                              char              **token,
                                              GError            **error)
{
  Remembered *remembered;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cm_credential_store_lookup_remembered_async, FALSE);

  remembered = g_task_propagate_pointer (G_TASK (result), error);
  if (remembered == NULL)
    return FALSE;

  if (user_id != NULL)
    *user_id = g_steal_pointer (&remembered->user_id);
  if (token != NULL)
    *token = g_steal_pointer (&remembered->token);
  remembered_free (remembered);
  return TRUE;
}

/* ---- Clear ---- */

static void
clear_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error only means there was nothing to remove. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, keyring_error (error, "clear"));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cm_credential_store_clear_async:
 * @server: the back-end's base URI
 * @user_id: (nullable): whose secrets, or %NULL for everyone's on @server
 *
 * Removes the token and the password (log off).
 */
void
cm_credential_store_clear_async (CmCredentialStore   *self,
                                 const char          *server,
                                 const char          *user_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (CM_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (server != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_credential_store_clear_async);

  if (self->backend == CM_CREDENTIAL_BACKEND_MEMORY)
    {
      G_LOCK (memory);
      memory_remove (server, user_id, -1);
      G_UNLOCK (memory);
      g_task_return_boolean (task, TRUE);
      return;
    }

  attributes = attributes_new (server, user_id, -1);
  secret_password_clearv (&credential_schema, attributes, cancellable, clear_done_cb,
                          g_steal_pointer (&task));
}

gboolean
cm_credential_store_clear_finish (CmCredentialStore  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cm_credential_store_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Health ---- */

static void
health_collection_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  collection = secret_collection_for_alias_finish (result, &error);
  if (collection == NULL)
    {
      if (error != NULL)
        g_debug ("no default collection: %s", error->message);
      g_task_return_int (task, CM_CREDENTIAL_HEALTH_NO_COLLECTION);
      return;
    }

  g_task_return_int (task, secret_collection_get_locked (collection) ?
                           CM_CREDENTIAL_HEALTH_LOCKED : CM_CREDENTIAL_HEALTH_WORKS);
}

static void
health_service_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      g_debug ("no Secret Service: %s", error->message);
      g_task_return_int (task, CM_CREDENTIAL_HEALTH_NO_SERVICE);
      return;
    }

  secret_collection_for_alias (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                               cancellable, health_collection_cb,
                               g_steal_pointer (&task));
}

/**
 * cm_credential_store_check_health_async:
 *
 * Finds out whether secrets can be kept, so that the UI can offer "remember
 * me" or say plainly why not. Opening a session with the service makes a
 * bus without a Secret Service fail here rather than on the first store.
 */
void
cm_credential_store_check_health_async (CmCredentialStore   *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CM_IS_CREDENTIAL_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_credential_store_check_health_async);

  if (self->backend == CM_CREDENTIAL_BACKEND_MEMORY)
    {
      g_task_return_int (task, CM_CREDENTIAL_HEALTH_WORKS);
      return;
    }

  secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable, health_service_cb,
                      g_steal_pointer (&task));
}

/**
 * cm_credential_store_check_health_finish:
 *
 * Returns: the state of the keyring; a cancelled check reads as
 *   CM_CREDENTIAL_HEALTH_NO_SERVICE
 */
CmCredentialHealth
cm_credential_store_check_health_finish (CmCredentialStore *self,
                                         GAsyncResult      *result)
{
  g_autoptr(GError) error = NULL;
  gssize health;

  g_return_val_if_fail (g_task_is_valid (result, self), CM_CREDENTIAL_HEALTH_NO_SERVICE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cm_credential_store_check_health_async,
                        CM_CREDENTIAL_HEALTH_NO_SERVICE);

  health = g_task_propagate_int (G_TASK (result), &error);
  if (error != NULL)
    return CM_CREDENTIAL_HEALTH_NO_SERVICE;
  return (CmCredentialHealth) health;
}

/* ---- GObject ---- */

static void
cm_credential_store_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CmCredentialStore *self = CM_CREDENTIAL_STORE (object);

  switch ((CmCredentialStoreProperty) prop_id)
    {
    case PROP_BACKEND:
      g_value_set_int (value, self->backend);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_credential_store_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CmCredentialStore *self = CM_CREDENTIAL_STORE (object);

  switch ((CmCredentialStoreProperty) prop_id)
    {
    case PROP_BACKEND:
      self->backend = g_value_get_int (value);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_credential_store_class_init (CmCredentialStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cm_credential_store_get_property;
  object_class->set_property = cm_credential_store_set_property;

  /* An int rather than a registered enum: nobody binds it. */
  obj_props[PROP_BACKEND] =
    g_param_spec_int ("backend", NULL, NULL,
                      CM_CREDENTIAL_BACKEND_SECRET, CM_CREDENTIAL_BACKEND_MEMORY,
                      CM_CREDENTIAL_BACKEND_SECRET,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, obj_props);
}

static void
cm_credential_store_init (CmCredentialStore *self)
{
}

/**
 * cm_credential_store_new:
 *
 * Returns: (transfer full): a store on libsecret, or on memory when the
 *   environment variable `CM_CREDENTIAL_BACKEND` is `memory` (unit tests)
 */
CmCredentialStore *
cm_credential_store_new (void)
{
  CmCredentialBackend backend = CM_CREDENTIAL_BACKEND_SECRET;

  if (g_strcmp0 (g_getenv ("CM_CREDENTIAL_BACKEND"), "memory") == 0)
    backend = CM_CREDENTIAL_BACKEND_MEMORY;

  return cm_credential_store_new_for_backend (backend);
}

CmCredentialStore *
cm_credential_store_new_for_backend (CmCredentialBackend backend)
{
  return g_object_new (CM_TYPE_CREDENTIAL_STORE, "backend", (int) backend, NULL);
}

CmCredentialBackend
cm_credential_store_get_backend (CmCredentialStore *self)
{
  g_return_val_if_fail (CM_IS_CREDENTIAL_STORE (self), CM_CREDENTIAL_BACKEND_SECRET);
  return self->backend;
}
