/* test-credential-store.c: CmCredentialStore on the memory backend and on the
 * real gnome-keyring (the one scripts/headless-session starts), and its health
 * check on private buses: with no Secret Service, with a locked collection and
 * with none.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <stdio.h>
#include <string.h>

#include "cm-test-util.h"
#include "cm-api-types.h"
#include "cm-credential-store.h"
#include "cm-credential-store-private.h"
#include "cm-error.h"

static const char *self_path;

static CmCredentialHealth
check_health (CmCredentialStore *store)
{
  CmTestAsync async = { 0 };
  CmCredentialHealth health;

  cm_credential_store_check_health_async (store, NULL, cm_test_async_cb, &async);
  health = cm_credential_store_check_health_finish (store, cm_test_async_wait (&async));
  cm_test_async_clear (&async);
  return health;
}

static const char *
health_name (CmCredentialHealth health)
{
  switch (health)
    {
    case CM_CREDENTIAL_HEALTH_WORKS:
      return "works";
    case CM_CREDENTIAL_HEALTH_NO_SERVICE:
      return "no-service";
    case CM_CREDENTIAL_HEALTH_LOCKED:
      return "locked";
    case CM_CREDENTIAL_HEALTH_NO_COLLECTION:
      return "no-collection";
    default:
      return "?";
    }
}

static void
store_secret (CmCredentialStore *store,
              const char        *server,
              const char        *user_id,
              CmCredentialKind   kind,
              const char        *secret)
{
  CmTestAsync async = { 0 };
  g_autoptr(GError) error = NULL;

  cm_credential_store_store_async (store, server, user_id, kind, secret, NULL, cm_test_async_cb,
                                   &async);
  g_assert_true (cm_credential_store_store_finish (store, cm_test_async_wait (&async), &error));
  g_assert_no_error (error);
  cm_test_async_clear (&async);
}

static char *
lookup_secret (CmCredentialStore *store,
               const char        *server,
               const char        *user_id,
               CmCredentialKind   kind)
{
  CmTestAsync async = { 0 };
  g_autoptr(GError) error = NULL;
  char *secret;

  cm_credential_store_lookup_async (store, server, user_id, kind, NULL, cm_test_async_cb, &async);
  secret = cm_credential_store_lookup_finish (store, cm_test_async_wait (&async), &error);
  g_assert_no_error (error);
  cm_test_async_clear (&async);
  return secret;
}

static gboolean
lookup_remembered (CmCredentialStore  *store,
                   const char         *server,
                   char              **user_id,
                   char              **token)
{
  CmTestAsync async = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean found;

  cm_credential_store_lookup_remembered_async (store, server, NULL, cm_test_async_cb, &async);
  found = cm_credential_store_lookup_remembered_finish (store, cm_test_async_wait (&async),
                                                        user_id, token, &error);
  g_assert_no_error (error);
  cm_test_async_clear (&async);
  return found;
}

static void
clear_secrets (CmCredentialStore *store,
               const char        *server,
               const char        *user_id)
{
  CmTestAsync async = { 0 };
  g_autoptr(GError) error = NULL;

  cm_credential_store_clear_async (store, server, user_id, NULL, cm_test_async_cb, &async);
  g_assert_true (cm_credential_store_clear_finish (store, cm_test_async_wait (&async), &error));
  g_assert_no_error (error);
  cm_test_async_clear (&async);
}

/* The same story on every backend. */
static void
exercise_store (CmCredentialStore *store)
{
  g_autofree char *server = g_strdup_printf ("https://test-%u.example.org/", g_random_int ());
  g_autofree char *other_server = g_strdup_printf ("%sother/", server);
  g_autofree char *user_id = NULL;
  char *secret;
  char *token = NULL;

  /* Nothing yet: no error, no secret. */
  g_assert_null (lookup_secret (store, server, "smithj9999", CM_CREDENTIAL_KIND_TOKEN));
  g_assert_false (lookup_remembered (store, server, &user_id, &token));
  g_assert_null (user_id);

  store_secret (store, server, "smithj9999", CM_CREDENTIAL_KIND_TOKEN, "token-one");
  store_secret (store, server, "smithj9999", CM_CREDENTIAL_KIND_PASSWORD, "Secret#123");
  store_secret (store, other_server, "doej1234", CM_CREDENTIAL_KIND_TOKEN, "token-other");

  secret = lookup_secret (store, server, "smithj9999", CM_CREDENTIAL_KIND_TOKEN);
  g_assert_cmpstr (secret, ==, "token-one");
  cm_secret_free (secret);
  secret = lookup_secret (store, server, "smithj9999", CM_CREDENTIAL_KIND_PASSWORD);
  g_assert_cmpstr (secret, ==, "Secret#123");
  cm_secret_free (secret);

  g_assert_true (lookup_remembered (store, server, &user_id, &token));
  g_assert_cmpstr (user_id, ==, "smithj9999");
  g_assert_cmpstr (token, ==, "token-one");
  g_clear_pointer (&user_id, g_free);
  g_clear_pointer (&token, cm_secret_free);

  /* One remembered session per server: a new token replaces the old user's. */
  store_secret (store, server, "jonesk1111", CM_CREDENTIAL_KIND_TOKEN, "token-two");
  g_assert_null (lookup_secret (store, server, "smithj9999", CM_CREDENTIAL_KIND_TOKEN));
  g_assert_true (lookup_remembered (store, server, &user_id, &token));
  g_assert_cmpstr (user_id, ==, "jonesk1111");
  g_assert_cmpstr (token, ==, "token-two");
  g_clear_pointer (&user_id, g_free);
  g_clear_pointer (&token, cm_secret_free);
  /* ...but the password the user asked to keep stays. */
  secret = lookup_secret (store, server, "smithj9999", CM_CREDENTIAL_KIND_PASSWORD);
  g_assert_cmpstr (secret, ==, "Secret#123");
  cm_secret_free (secret);

  /* Log off of one user. */
  clear_secrets (store, server, "smithj9999");
  g_assert_null (lookup_secret (store, server, "smithj9999", CM_CREDENTIAL_KIND_PASSWORD));
  secret = lookup_secret (store, server, "jonesk1111", CM_CREDENTIAL_KIND_TOKEN);
  g_assert_cmpstr (secret, ==, "token-two");
  cm_secret_free (secret);

  /* Everyone on the server; the other server is not touched. */
  clear_secrets (store, server, NULL);
  g_assert_false (lookup_remembered (store, server, NULL, NULL));
  secret = lookup_secret (store, other_server, "doej1234", CM_CREDENTIAL_KIND_TOKEN);
  g_assert_cmpstr (secret, ==, "token-other");
  cm_secret_free (secret);
  clear_secrets (store, other_server, NULL);
  g_assert_false (lookup_remembered (store, other_server, NULL, NULL));
}

static void
test_memory (void)
{
  g_autoptr(CmCredentialStore) store =
    cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_MEMORY);

  g_assert_cmpint (check_health (store), ==, CM_CREDENTIAL_HEALTH_WORKS);
  exercise_store (store);
}

static void
test_memory_from_environment (void)
{
  g_autoptr(CmCredentialStore) store = NULL;

  g_setenv ("CM_CREDENTIAL_BACKEND", "memory", TRUE);
  store = cm_credential_store_new ();
  g_unsetenv ("CM_CREDENTIAL_BACKEND");
  g_assert_cmpint (cm_credential_store_get_backend (store), ==, CM_CREDENTIAL_BACKEND_MEMORY);

  g_clear_object (&store);
  store = cm_credential_store_new ();
  g_assert_cmpint (cm_credential_store_get_backend (store), ==, CM_CREDENTIAL_BACKEND_SECRET);
}

/* The real keyring: the suite runs inside scripts/headless-session. */
static CmCredentialStore *
real_store (void)
{
  CmCredentialStore *store = cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_SECRET);
  CmCredentialHealth health = check_health (store);

  if (health != CM_CREDENTIAL_HEALTH_WORKS)
    {
      g_test_message ("the keyring is %s: run this suite inside scripts/headless-session",
                      health_name (health));
      g_test_fail ();
    }
  return store;
}

static void
test_keyring (void)
{
  g_autoptr(CmCredentialStore) store = real_store ();

  if (g_test_failed ())
    return;
  exercise_store (store);
}

/* Matches items by the "server" attribute whatever their schema. */
static const SecretSchema any_schema = {
  "org.example.AnySchema", SECRET_SCHEMA_DONT_MATCH_NAME,
  { { "server", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

static void
test_keyring_item (void)
{
  g_autoptr(CmCredentialStore) store = real_store ();
  g_autofree char *server = g_strdup_printf ("https://item-%u.example.org/", g_random_int ());
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GList *items;

  if (g_test_failed ())
    return;

  store_secret (store, server, "smithj9999", CM_CREDENTIAL_KIND_TOKEN, "token-one");

  /* Read it back as any other Secret Service client would. */
  items = secret_password_search_sync (&any_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "server", server, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  attributes = secret_retrievable_get_attributes (items->data);
  g_list_free_full (items, g_object_unref);

  g_assert_cmpstr (label, ==, "CARS Mechanic session for smithj9999");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, APP_ID);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "user-id"), ==, "smithj9999");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "kind"), ==, "token");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "generation"), ==, "1");
  /* The secret is not an attribute, and attributes are not secret. */
  g_assert_false (g_hash_table_contains (attributes, "token"));

  clear_secrets (store, server, NULL);
}

typedef struct
{
  gboolean  store_gone;
  gboolean  callback_ran;
  gboolean  callback_after_gone;
  GError   *error;
} CancelState;

static void
store_gone_cb (gpointer  user_data,
               GObject  *where_the_object_was)
{
  ((CancelState *) user_data)->store_gone = TRUE;
}

static void
cancel_lookup_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CancelState *state = user_data;
  char *secret;

  g_assert_false (state->callback_ran);
  state->callback_ran = TRUE;
  state->callback_after_gone = state->store_gone;
  secret = cm_credential_store_lookup_finish (CM_CREDENTIAL_STORE (object), result,
                                              &state->error);
  g_assert_null (secret);
}

static void
test_cancel (gconstpointer data)
{
  CmCredentialBackend backend = GPOINTER_TO_INT (data);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      CancelState state = { 0 };
      CmCredentialStore *store = cm_credential_store_new_for_backend (backend);

      g_object_weak_ref (G_OBJECT (store), store_gone_cb, &state);
      cm_credential_store_lookup_async (store, "https://cancel.example.org/", "smithj9999",
                                        CM_CREDENTIAL_KIND_TOKEN, cancellable, cancel_lookup_cb,
                                        &state);
      /* Once with the last reference dropped before the cancellation, once after. */
      if (round == 0)
        g_object_unref (store);
      g_cancellable_cancel (cancellable);
      if (round == 1)
        g_object_unref (store);

      cm_test_wait_for (&state.callback_ran);
      g_assert_false (state.callback_after_gone);
      g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&state.error);
      cm_test_flush_main_context ();
      g_assert_true (state.store_gone);
    }
}

static void
test_health_works (void)
{
  g_autoptr(CmCredentialStore) store =
    cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_SECRET);
  CmCredentialHealth health = check_health (store);

  g_test_message ("health: %s", health_name (health));
  g_assert_cmpint (health, ==, CM_CREDENTIAL_HEALTH_WORKS);
}

/* ---- Private sessions for the other health states ---- */

static char **
setenv_path (char       **envp,
             const char  *variable,
             const char  *dir,
             const char  *subdir)
{
  g_autofree char *path = g_build_filename (dir, subdir, NULL);

  return g_environ_setenv (envp, variable, path, TRUE);
}

static char *
make_private_session (char ***envp)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *conf_path = NULL;
  char *dir;
  const char *subdirs[] = { "home", "data", "config", "cache", "runtime" };

  dir = cm_test_make_tmp_dir ("cm-keyring-XXXXXX");
  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (dir, subdirs[i], NULL);

      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
    }

  /* A bus that can activate nothing: whatever runs on it was started by us. */
  conf = g_strdup_printf ("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus "
                          "Configuration 1.0//EN\" "
                          "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                          "<busconfig><type>session</type><listen>unix:dir=%s</listen>"
                          "<policy context=\"default\">"
                          "<allow send_destination=\"*\" eavesdrop=\"true\"/>"
                          "<allow eavesdrop=\"true\"/><allow own=\"*\"/>"
                          "</policy></busconfig>\n", dir);
  conf_path = g_build_filename (dir, "bus.conf", NULL);
  g_file_set_contents (conf_path, conf, -1, &error);
  g_assert_no_error (error);

  *envp = g_get_environ ();
  *envp = setenv_path (*envp, "HOME", dir, "home");
  *envp = setenv_path (*envp, "XDG_DATA_HOME", dir, "data");
  *envp = setenv_path (*envp, "XDG_CONFIG_HOME", dir, "config");
  *envp = setenv_path (*envp, "XDG_CACHE_HOME", dir, "cache");
  *envp = setenv_path (*envp, "XDG_RUNTIME_DIR", dir, "runtime");
  *envp = g_environ_unsetenv (*envp, "DBUS_SESSION_BUS_ADDRESS");
  *envp = g_environ_unsetenv (*envp, "DISPLAY");
  return dir;
}

/* Runs this program with @mode on a private bus, after @keyring_command (if any). */
static char *
run_in_private_session (const char *mode,
                        const char *keyring_command)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = NULL;
  g_autofree char *dir = make_private_session (&envp);
  g_autofree char *conf_arg = g_strdup_printf ("--config-file=%s/bus.conf", dir);
  g_autofree char *script = NULL;
  g_autofree char *output = NULL;
  int status = 0;

  /* The keyring daemon ends by PID; dbus-run-session ends the bus. */
  script = g_strdup_printf ("%s\n\"$0\" \"$1\"\nst=$?\n"
                            "[ -n \"$kpid\" ] && kill \"$kpid\" 2>/dev/null\n"
                            "wait\nexit $st",
                            keyring_command != NULL ? keyring_command : "kpid=");
  {
    const char *argv[] = { "dbus-run-session", conf_arg, "--", "sh", "-c", script,
                           self_path, mode, NULL };

    g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &output, NULL,
                  &status, &error);
  }
  g_assert_no_error (error);
  cm_test_remove_tree (dir);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  g_strstrip (output);
  g_test_message ("private session said: %s", output);
  return g_steal_pointer (&output);
}

static void
test_health_no_service (void)
{
  g_autofree char *output = run_in_private_session ("--print-health", NULL);

  g_assert_cmpstr (output, ==, "no-service");
}

static void
test_health_no_collection (void)
{
  /* Without --unlock, a fresh gnome-keyring has no login collection and no default. */
  g_autofree char *output =
    run_in_private_session ("--print-health-when-up",
                            "gnome-keyring-daemon --foreground --components=secrets "
                            "</dev/null >/dev/null 2>&1 & kpid=$!");

  g_assert_cmpstr (output, ==, "no-collection");
}

static void
test_health_locked (void)
{
  g_autofree char *output =
    run_in_private_session ("--lock-and-print-health",
                            "printf pw | gnome-keyring-daemon --foreground --unlock "
                            "--components=secrets >/dev/null 2>&1 & kpid=$!");

  g_assert_cmpstr (output, ==, "locked");
}

/* ---- Helper modes, run on the private buses ---- */

static gboolean
wait_for_secret_service (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  /* Bounded: the daemon takes its name within a moment, or something is wrong. */
  for (guint i = 0; bus != NULL && i < 400; i++)
    {
      g_autoptr(GVariant) reply = NULL;
      gboolean has_owner = FALSE;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", "org.freedesktop.secrets"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, NULL);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &has_owner);
      if (has_owner)
        return TRUE;
      g_usleep (25 * 1000);
    }
  return FALSE;
}

static int
helper_main (const char *mode)
{
  g_autoptr(CmCredentialStore) store =
    cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_SECRET);

  if (g_str_equal (mode, "--print-health-when-up") || g_str_equal (mode, "--lock-and-print-health"))
    {
      if (!wait_for_secret_service ())
        {
          printf ("keyring-did-not-start\n");
          return 1;
        }
    }

  if (g_str_equal (mode, "--lock-and-print-health"))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SecretService) service = NULL;
      g_autoptr(SecretCollection) collection = NULL;
      GList *objects;

      service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION |
                                         SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
      if (service != NULL)
        collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                       SECRET_COLLECTION_NONE, NULL, &error);
      if (collection == NULL || secret_collection_get_locked (collection))
        {
          printf ("not-unlocked-at-start\n");
          return 1;
        }
      objects = g_list_append (NULL, collection);
      secret_service_lock_sync (service, objects, NULL, NULL, &error);
      g_list_free (objects);
      if (error != NULL)
        {
          printf ("lock-failed\n");
          return 1;
        }
    }

  printf ("%s\n", health_name (check_health (store)));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  self_path = argv[0];
  if (argc == 2 && g_str_has_prefix (argv[1], "--") && strstr (argv[1], "health") != NULL)
    return helper_main (argv[1]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/credential-store/memory/store-lookup-clear", test_memory);
  g_test_add_func ("/credential-store/memory/from-environment", test_memory_from_environment);
  g_test_add_data_func ("/credential-store/memory/cancel",
                        GINT_TO_POINTER (CM_CREDENTIAL_BACKEND_MEMORY), test_cancel);
  g_test_add_func ("/credential-store/keyring/store-lookup-clear", test_keyring);
  g_test_add_func ("/credential-store/keyring/item", test_keyring_item);
  g_test_add_data_func ("/credential-store/keyring/cancel",
                        GINT_TO_POINTER (CM_CREDENTIAL_BACKEND_SECRET), test_cancel);
  g_test_add_func ("/credential-store/health/works", test_health_works);
  g_test_add_func ("/credential-store/health/no-service", test_health_no_service);
  g_test_add_func ("/credential-store/health/no-collection", test_health_no_collection);
  g_test_add_func ("/credential-store/health/locked", test_health_locked);

  return g_test_run ();
}
