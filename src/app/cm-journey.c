/* cm-journey.c: where the user stands in the whole journey (signed up, code
 * requested and waiting, linked), remembered locally so the app picks up
 * there on the next start. Only non-secret facts: account numbers,
 * confirmation numbers, how the code travels and when it was asked for.
 * One small JSON file per back-end and user in the app's data folder,
 * written on a worker thread: an fsync can take far longer than a frame.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-journey"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cm-journey.h"
#include "cm-journey-private.h"
#include "cm-protocol.h"

typedef struct
{
  char   *account_type;
  char   *account_number;
  char   *delivery;
  char   *confirmation_number;
  gint64  requested_at;   /* Unix time */
} Request;

struct _CmJourney
{
  GObject    parent_instance;

  /* owned */
  char      *path;
  GPtrArray *requests;   /* Request, oldest first; only the ones still waiting */
  guint      n_linked;

  /* Saving: one write at a time; a change made during a write is saved by
   * the next one, so the file always ends with the newest state. */
  gboolean   writing;
  gboolean   dirty;
  GError    *write_error;   /* of the last write, for the flushes waiting on it */
  GPtrArray *flushes;       /* GTask, waiting for the file to hold every change */
};

G_DEFINE_FINAL_TYPE (CmJourney, cm_journey, G_TYPE_OBJECT)

static void
request_free (Request *request)
{
  g_free (request->account_type);
  g_free (request->account_number);
  g_free (request->delivery);
  g_free (request->confirmation_number);
  g_free (request);
}

static void
cm_journey_finalize (GObject *object)
{
  CmJourney *self = CM_JOURNEY (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_error (&self->write_error);
  g_clear_pointer (&self->flushes, g_ptr_array_unref);

  G_OBJECT_CLASS (cm_journey_parent_class)->finalize (object);
}

static void
cm_journey_class_init (CmJourneyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cm_journey_finalize;
}

static void
cm_journey_init (CmJourney *self)
{
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->flushes = g_ptr_array_new_with_free_func (g_object_unref);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* A damaged file only loses the reminder, never blocks the app. */
static void
load (CmJourney *self)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *requests;

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    return;
  if (!json_parser_load_from_mapped_file (parser, self->path, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_warning ("Ignoring a damaged journey file: %s", error != NULL ? error->message : "");
      return;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (root, "linked") &&
      json_node_get_value_type (json_object_get_member (root, "linked")) == G_TYPE_INT64)
    self->n_linked = (guint) CLAMP (json_object_get_int_member (root, "linked"), 0, G_MAXINT);
  if (!json_object_has_member (root, "requests") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "requests")))
    return;

  requests = json_object_get_array_member (root, "requests");
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonNode *node = json_array_get_element (requests, i);
      JsonObject *object;
      Request *request;
      JsonNode *when;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      if (get_string (object, CM_MEMBER_ACCOUNT_TYPE) == NULL ||
          get_string (object, CM_MEMBER_ACCOUNT_NUMBER) == NULL ||
          get_string (object, CM_MEMBER_DELIVERY) == NULL ||
          get_string (object, CM_MEMBER_CONFIRMATION_NUMBER) == NULL)
        continue;
      request = g_new0 (Request, 1);
      request->account_type = g_strdup (get_string (object, CM_MEMBER_ACCOUNT_TYPE));
      request->account_number = g_strdup (get_string (object, CM_MEMBER_ACCOUNT_NUMBER));
      request->delivery = g_strdup (get_string (object, CM_MEMBER_DELIVERY));
      request->confirmation_number = g_strdup (get_string (object,
                                                           CM_MEMBER_CONFIRMATION_NUMBER));
      when = json_object_get_member (object, "requested_at");
      if (when != NULL && json_node_get_value_type (when) == G_TYPE_INT64)
        request->requested_at = json_node_get_int (when);
      g_ptr_array_add (self->requests, request);
    }
}

static char *
to_json (CmJourney *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "linked");
  json_builder_add_int_value (builder, self->n_linked);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->requests->len; i++)
    {
      Request *request = g_ptr_array_index (self->requests, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, CM_MEMBER_ACCOUNT_TYPE);
      json_builder_add_string_value (builder, request->account_type);
      json_builder_set_member_name (builder, CM_MEMBER_ACCOUNT_NUMBER);
      json_builder_add_string_value (builder, request->account_number);
      json_builder_set_member_name (builder, CM_MEMBER_DELIVERY);
      json_builder_add_string_value (builder, request->delivery);
      json_builder_set_member_name (builder, CM_MEMBER_CONFIRMATION_NUMBER);
      json_builder_add_string_value (builder, request->confirmation_number);
      json_builder_set_member_name (builder, "requested_at");
      json_builder_add_int_value (builder, request->requested_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}

/* Runs on a worker thread; the task data is the file's text. */
static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CmJourney *self = source_object;
  const char *text = task_data;
  g_autofree char *dir = g_path_get_dirname (self->path);
  GError *error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "Cannot create %s: %s", dir, g_strerror (saved_errno));
      return;
    }
  if (!g_file_set_contents_full (self->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
complete_flushes (CmJourney *self)
{
  g_autoptr(GPtrArray) flushes = g_steal_pointer (&self->flushes);

  self->flushes = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < flushes->len; i++)
    {
      GTask *flush = g_ptr_array_index (flushes, i);

      if (self->write_error != NULL)
        g_task_return_error (flush, g_error_copy (self->write_error));
      else
        g_task_return_boolean (flush, TRUE);
    }
}

static void start_write (CmJourney *self);

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CmJourney *self = CM_JOURNEY (object);
  GApplication *app = g_application_get_default ();

  self->writing = FALSE;
  g_clear_error (&self->write_error);
  if (!g_task_propagate_boolean (G_TASK (result), &self->write_error))
    /* Only the reminder is lost; the account itself is on the back-end. */
    g_warning ("Cannot remember the journey in %s: %s", self->path, self->write_error->message);

  if (self->dirty)
    start_write (self);
  else
    complete_flushes (self);

  if (app != NULL)
    g_application_release (app);
}

static void
start_write (CmJourney *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, write_cb, NULL);
  GApplication *app = g_application_get_default ();

  g_task_set_source_tag (task, start_write);
  g_task_set_task_data (task, to_json (self), g_free);
  self->writing = TRUE;
  self->dirty = FALSE;
  /* The app stays up until the file is written, even when its last window
   * closes meanwhile. */
  if (app != NULL)
    g_application_hold (app);
  g_task_run_in_thread (task, write_thread);
}

static void
save (CmJourney *self)
{
  if (self->writing)
    self->dirty = TRUE;
  else
    start_write (self);
}

/**
 * cm_journey_new:
 * @data_dir: the app's data folder, e.g. `$XDG_DATA_HOME/cars-mechanic`
 * @server: the back-end's URL (each back-end has its own journey)
 * @user_id: the signed-in User ID
 *
 * Returns: (transfer full): the journey, loaded from disk when it exists
 */
CmJourney *
cm_journey_new (const char *data_dir,
                const char *server,
                const char *user_id)
{
  CmJourney *self;
  g_autofree char *key = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  self = g_object_new (CM_TYPE_JOURNEY, NULL);
  /* A hash keeps odd characters of a URL out of the file name. */
  key = g_strdup_printf ("%s\n%s", server != NULL ? server : "", user_id);
  checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  name = g_strdup_printf ("journey-%.16s.json", checksum);
  self->path = g_build_filename (data_dir, name, NULL);
  load (self);

  return self;
}

const char *
cm_journey_get_path (CmJourney *self)
{
  g_return_val_if_fail (CM_IS_JOURNEY (self), NULL);

  return self->path;
}

/**
 * cm_journey_get_n_pending:
 *
 * Returns: how many requested codes have not been used yet
 */
guint
cm_journey_get_n_pending (CmJourney *self)
{
  g_return_val_if_fail (CM_IS_JOURNEY (self), 0);

  return self->requests->len;
}

static void
remove_account (CmJourney  *self,
                const char *account_type,
                const char *account_number)
{
  for (guint i = self->requests->len; i > 0; i--)
    {
      Request *request = g_ptr_array_index (self->requests, i - 1);

      if (g_strcmp0 (request->account_type, account_type) == 0 &&
          g_strcmp0 (request->account_number, account_number) == 0)
        g_ptr_array_remove_index (self->requests, i - 1);
    }
}

/**
 * cm_journey_add_request:
 *
 * Remembers a code request. The newest request for an account voids older
 * codes on the back-end, so it replaces them here too. The file is written
 * in the background; cm_journey_flush_async() waits for it.
 */
void
cm_journey_add_request (CmJourney  *self,
                        const char *account_type,
                        const char *account_number,
                        const char *delivery,
                        const char *confirmation_number)
{
  Request *request;

  g_return_if_fail (CM_IS_JOURNEY (self));
  g_return_if_fail (account_type != NULL && account_number != NULL);
  g_return_if_fail (delivery != NULL && confirmation_number != NULL);

  remove_account (self, account_type, account_number);
  request = g_new0 (Request, 1);
  request->account_type = g_strdup (account_type);
  request->account_number = g_strdup (account_number);
  request->delivery = g_strdup (delivery);
  request->confirmation_number = g_strdup (confirmation_number);
  request->requested_at = g_get_real_time () / G_USEC_PER_SEC;
  g_ptr_array_add (self->requests, request);
  save (self);
}

/**
 * cm_journey_mark_linked:
 *
 * The account is linked: its requests are done.
 */
void
cm_journey_mark_linked (CmJourney  *self,
                        const char *account_type,
                        const char *account_number)
{
  g_return_if_fail (CM_IS_JOURNEY (self));

  remove_account (self, account_type, account_number);
  self->n_linked++;
  save (self);
}

/**
 * cm_journey_flush_async:
 *
 * Completes once the file holds every change made so far (at once when no
 * write is due), with the error of the last write if it failed.
 */
void
cm_journey_flush_async (CmJourney           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CM_IS_JOURNEY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_journey_flush_async);
  if (!self->writing)
    {
      if (self->write_error != NULL)
        g_task_return_error (task, g_error_copy (self->write_error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  g_ptr_array_add (self->flushes, g_steal_pointer (&task));
}

gboolean
cm_journey_flush_finish (CmJourney     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (CM_IS_JOURNEY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, cm_journey_flush_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cm_journey_dup_summary:
 *
 * Returns: (transfer full) (nullable): a translated sentence about where the
 *   user stands, or %NULL when nothing is waiting
 */
char *
cm_journey_dup_summary (CmJourney *self)
{
  Request *request;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *date = NULL;

  g_return_val_if_fail (CM_IS_JOURNEY (self), NULL);

  if (self->requests->len == 0)
    {
      if (self->n_linked > 0)
        return NULL;
      return g_strdup (_("Next step: request an authorization code for your account, then add "
                         "account access with it."));
    }

  request = g_ptr_array_index (self->requests, self->requests->len - 1);
  when = g_date_time_new_from_unix_local (request->requested_at);
  date = g_date_time_format (when, "%x");
  if (g_strcmp0 (request->delivery, CM_DELIVERY_MAIL) == 0)
    /* Translators: account number, date, confirmation number. */
    return g_strdup_printf (_("Waiting for the letter: you requested a code for %s by mail on %s "
                              "(confirmation number %s). A letter takes 1–2 weeks. When it "
                              "arrives, choose Add Account Access."),
                            request->account_number, date, request->confirmation_number);

  /* Translators: account number, date, confirmation number. */
  return g_strdup_printf (_("Waiting for the email: you requested a code for %s on %s "
                            "(confirmation number %s). An emailed code is valid for 3 days. "
                            "When it arrives, choose Add Account Access."),
                          request->account_number, date, request->confirmation_number);
}
