/* bench-springboard.c: the springboard window with 100,000 linked accounts
 * (BENCH_ACCOUNTS; its list is a one-column GtkGridView), against a bare
 * GtkListView of as many GtkStringObject with a GtkStringFilter built the
 * same way, in the same process, rounds interleaved.
 *
 * For each: open (a new window over a store that has all the items, as the
 * app's session has the accounts before it opens the window, to its first
 * frame),
 * populate (a drawn, empty window gets all the items in one splice, to the
 * next frame) and filter keystrokes ("garage 123" typed one character at a
 * time: from the text change to the next frame, and the work of it: the
 * filtering plus the frame from its before-paint, without the wait for the
 * frame clock's next tick, which alone is up to a frame). The springboard's search
 * entry waits 150 ms after a key before it filters (a design choice, not
 * measured): cm_springboard_window_set_search_text() filters at once, so the
 * figure is the work a keystroke costs.
 *
 * Then two refreshes while "garage 123" is searched: the app's own
 * (cm_session_refresh_accounts_async() over CmApiClient, from a SoupServer
 * on a thread of its own that lists the same accounts again, 19 MB of JSON
 * for 100,000; springboard only) and one where every item changed (all of
 * them spliced in again): to the frame that shows the search's result, and
 * the main loop's longest stall until 300 ms after ("refresh-backend",
 * "refresh").
 *
 * Also: open-stall, the longest gap of a 1 ms watchdog at G_PRIORITY_HIGH
 * from the call that opens the window to 300 ms after its first frame (the
 * main loop's longest stall, with the work opening defers), with an empty
 * AdwWindow of the same size and header bar opened the same way in every
 * round as the baseline (kind "window"); and
 * bytes per item, the heap in use (mallinfo2) of the items themselves
 * ("model": the CmAccount or GtkStringObject) and what the populated window
 * adds over the empty one ("view": search keys, filter state, rows), over the
 * number of items. Prints one line per measure:
 *   KIND MEASURE median max
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include <libsoup/soup.h>
#include <malloc.h>

#include "bench-util.h"
#include "cm-account-search.h"
#include "cm-protocol.h"
#include "cm-springboard-window-private.h"

#define TYPED "garage 123"

/* The open stall counts what opening leaves for later too (rows and search
 * keys made while idle): the longest stall until this long after the first
 * frame. */
#define OPEN_SETTLE_MS 300

static guint n_accounts = 100000;

typedef enum
{
  KIND_BARE,
  KIND_APP,
  KIND_WINDOW,   /* an empty AdwWindow: open-stall only */
  N_KINDS
} Kind;

static const char *kind_names[N_KINDS] = { "bare", "springboard", "window" };

typedef struct
{
  GArray *open;
  GArray *open_stall;
  GArray *populate;
  GArray *keystroke;
  GArray *keystroke_work;
  GArray *refresh;
  GArray *refresh_stall;
  GArray *refresh_backend;
  GArray *refresh_backend_stall;
  GArray *view_bytes;
} Samples;

/* ---- a back-end that lists the accounts ----------------------------------- */

/* The answer of GET cars/accounts for make_accounts()'s accounts (19 MB for
 * 100,000), served on a thread of its own with its own main context, so the
 * app's refresh goes through CmApiClient and CmSession as it does in the
 * app, and only the app's work is on the main loop. */
typedef struct
{
  GMutex        lock;
  GCond         ready;
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  char         *body;
  gsize         length;
  guint16       port;
} Backend;

static void
backend_answer_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  Backend *backend = user_data;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, backend->body,
                                    backend->length);
}

static gpointer
backend_thread (gpointer data)
{
  Backend *backend = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (backend->context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, CM_PATH_ACCOUNTS, backend_answer_cb, backend, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("bench back-end: %s", error->message);
  uris = soup_server_get_uris (server);
  g_mutex_lock (&backend->lock);
  backend->port = g_uri_get_port (uris->data);
  g_cond_signal (&backend->ready);
  g_mutex_unlock (&backend->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_main_loop_run (backend->loop);
  g_main_context_pop_thread_default (backend->context);
  return NULL;
}

static char *
accounts_json (GPtrArray *accounts,
               gsize     *length)
{
  GString *json = g_string_new ("{\"" CM_MEMBER_ACCOUNTS "\": [");

  for (guint i = 0; i < accounts->len; i++)
    {
      CmAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *linked = g_date_time_format_iso8601 (cm_account_get_linked_at (account));
      GDateTime *expires = cm_account_get_certificate_expires (account);
      g_autofree char *expires_text = expires != NULL ? g_date_time_format_iso8601 (expires)
                                                      : NULL;

      /* The bench's texts need no escapes. */
      g_string_append_printf (json, "%s{\"account_type\": \"%s\", \"account_number\": \"%s\", "
                              "\"name\": \"%s\", \"status\": \"%s\", \"city\": \"%s\", "
                              "\"linked_at\": \"%s\"",
                              i > 0 ? ", " : "", cm_account_get_account_type (account),
                              cm_account_get_account_number (account),
                              cm_account_get_name (account), cm_account_get_status (account),
                              cm_account_get_city (account), linked);
      if (expires_text != NULL)
        g_string_append_printf (json, ", \"certificate_expires\": \"%s\"", expires_text);
      g_string_append_c (json, '}');
    }
  g_string_append (json, "]}");
  *length = json->len;
  return g_string_free (json, FALSE);
}

static void
backend_start (Backend   *backend,
               GPtrArray *accounts)
{
  memset (backend, 0, sizeof *backend);
  g_mutex_init (&backend->lock);
  g_cond_init (&backend->ready);
  backend->body = accounts_json (accounts, &backend->length);
  backend->context = g_main_context_new ();
  backend->loop = g_main_loop_new (backend->context, FALSE);
  backend->thread = g_thread_new ("bench-back-end", backend_thread, backend);
  g_mutex_lock (&backend->lock);
  while (backend->port == 0)
    g_cond_wait (&backend->ready, &backend->lock);
  g_mutex_unlock (&backend->lock);
}

static void
backend_stop (Backend *backend)
{
  g_main_loop_quit (backend->loop);
  g_thread_join (backend->thread);
  g_main_loop_unref (backend->loop);
  g_main_context_unref (backend->context);
  g_free (backend->body);
  g_mutex_clear (&backend->lock);
  g_cond_clear (&backend->ready);
}

static Backend backend;

/* ---- the watchdog: the main loop's longest stall -------------------------- */

static gint64 watchdog_last;
static gint64 watchdog_max;

static gboolean
watchdog_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  /* Less the 1 ms it asks for. */
  watchdog_max = MAX (watchdog_max, now - watchdog_last - 1000);
  watchdog_last = now;
  return G_SOURCE_CONTINUE;
}

/* Starts counting from a tick, so the call that follows is all in one gap. */
static void
watchdog_reset (void)
{
  gint64 before = watchdog_last;

  while (watchdog_last == before)
    g_main_context_iteration (NULL, TRUE);
  watchdog_max = 0;
}

/* Starts counting now, with no turn of the main loop first. */
static void
watchdog_restart (void)
{
  watchdog_last = g_get_monotonic_time ();
  watchdog_max = 0;
}

static size_t
heap_in_use (void)
{
  struct mallinfo2 info;

  malloc_trim (0);
  info = mallinfo2 ();
  return info.uordblks + info.hblkhd;
}

/* What both kinds need: a window, its list, and how to fill and filter it. */
typedef struct
{
  GtkWindow  *window;
  GtkWidget  *list;
  GListStore *store;
  CmSession  *session;    /* app only */
  GtkFilter  *filter;     /* bare only */
  GtkWidget  *entry;      /* bare only */
} Subject;

static const char *cities[] = { "Lansing", "Detroit", "Grand Rapids", "Flint", "Ypsilanti" };

static GPtrArray *
make_accounts (void)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) linked = g_date_time_new_utc (2026, 1, 15, 12, 0, 0);
  g_autoptr(GDateTime) expires = g_date_time_new_utc (2028, 6, 30, 0, 0, 0);

  /* The same data as tests/app/test-springboard.c. */
  for (guint i = 0; i < n_accounts; i++)
    {
      g_autofree char *number = g_strdup_printf ("Z%07u", i);
      g_autofree char *name = g_strdup_printf ("Garage %u", i);

      g_ptr_array_add (accounts, cm_account_new (i % 10 == 0 ? "mechanic_school" : "mechanic",
                                                 number, name,
                                                 i % 7 == 0 ? "suspended" : "active",
                                                 cities[i % G_N_ELEMENTS (cities)], linked,
                                                 i % 3 == 0 ? NULL : expires));
    }
  return accounts;
}

static GPtrArray *
make_strings (void)
{
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_object_unref);

  /* One string with the fields the springboard searches. */
  for (guint i = 0; i < n_accounts; i++)
    {
      g_autofree char *text = g_strdup_printf ("Z%07u Garage %u %s %s", i, i,
                                               cities[i % G_N_ELEMENTS (cities)],
                                               i % 7 == 0 ? "Suspended" : "Active");

      g_ptr_array_add (strings, gtk_string_object_new (text));
    }
  return strings;
}

static void
bare_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_list_item_set_child (item, label);
}

static void
bare_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (string));
}

/* The items before the window: the app fetches the accounts, then opens it. */
static void
subject_prepare (Subject   *subject,
                 Kind       kind,
                 GPtrArray *items)
{
  memset (subject, 0, sizeof *subject);

  if (kind == KIND_APP)
    {
      /* The list is filled by hand, as in test-springboard; only the refresh
       * from the back-end asks it. */
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/", backend.port);
      g_autoptr(CmApiClient) client = cm_api_client_new (uri);
      g_autoptr(CmCredentialStore) store =
        cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_MEMORY);

      subject->session = cm_session_new (client, store);
      subject->store = G_LIST_STORE (cm_session_get_accounts (subject->session));
    }
  else if (kind == KIND_BARE)
    {
      subject->store = g_list_store_new (GTK_TYPE_STRING_OBJECT);
    }
  if (items != NULL)
    g_list_store_splice (subject->store, 0, 0, items->pdata, items->len);
}

static void
subject_open (Subject *subject,
              Kind     kind)
{
  if (kind == KIND_APP)
    {
      CmSpringboardWindow *window;

      window = cm_springboard_window_new (NULL, subject->session);
      subject->window = GTK_WINDOW (window);
      subject->list = GTK_WIDGET (cm_springboard_window_get_account_grid (window));
    }
  else if (kind == KIND_WINDOW)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
      subject->window = GTK_WINDOW (adw_window_new ());
      adw_window_set_content (ADW_WINDOW (subject->window), box);
      subject->list = box;
    }
  else
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkFilterListModel *filtered;
      GtkStringFilter *filter;

      filter = gtk_string_filter_new (gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                                   "string"));
      gtk_string_filter_set_match_mode (filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
      gtk_string_filter_set_ignore_case (filter, TRUE);
      subject->filter = GTK_FILTER (filter);
      filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (subject->store)),
                                            g_object_ref (subject->filter));
      g_signal_connect (factory, "setup", G_CALLBACK (bare_setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bare_bind_cb), NULL);
      subject->list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (
                                           G_LIST_MODEL (filtered))), factory);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), subject->list);
      gtk_widget_set_vexpand (scrolled, TRUE);

      subject->entry = gtk_search_entry_new ();
      gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
      gtk_box_append (GTK_BOX (box), subject->entry);
      gtk_box_append (GTK_BOX (box), scrolled);
      subject->window = GTK_WINDOW (adw_window_new ());
      adw_window_set_content (ADW_WINDOW (subject->window), box);
    }
  gtk_window_set_default_size (subject->window, 720, 640);
}

static void
subject_set_search (Subject    *subject,
                    const char *text)
{
  if (subject->session != NULL)
    {
      cm_springboard_window_set_search_text (CM_SPRINGBOARD_WINDOW (subject->window), text);
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (subject->entry), text);
      gtk_string_filter_set_search (GTK_STRING_FILTER (subject->filter), text);
    }
}

/* The springboard's search waits for the search keys of accounts that just
 * arrived (cm-account-search.c). */
static gboolean
subject_search_waits (Subject *subject)
{
  return subject->session != NULL &&
         cm_account_search_is_waiting (CM_ACCOUNT_SEARCH (cm_springboard_window_get_model (
                                         CM_SPRINGBOARD_WINDOW (subject->window))));
}

static void
subject_wait_for_search (Subject *subject)
{
  while (subject_search_waits (subject))
    g_main_context_iteration (NULL, TRUE);
}

static guint
subject_count_shown (Subject *subject)
{
  if (subject->session != NULL)
    return g_list_model_get_n_items (cm_springboard_window_get_model (
                                       CM_SPRINGBOARD_WINDOW (subject->window)));
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (
                                     GTK_LIST_VIEW (subject->list))));
}

static void
subject_close (Subject *subject)
{
  gtk_window_destroy (subject->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (subject->session != NULL)
    g_clear_object (&subject->session);
  else if (subject->store != NULL)
    {
      g_clear_object (&subject->store);
      g_clear_object (&subject->filter);
    }
}

static double
ms_since (gint64 start,
          gint64 end)
{
  return (end - start) / 1000.0;
}

/* The stall of opening an empty AdwWindow the same way: the baseline. */
static void
run_window_round (Samples *samples)
{
  Subject subject;
  double ms;

  subject_prepare (&subject, KIND_WINDOW, NULL);
  watchdog_reset ();
  subject_open (&subject, KIND_WINDOW);
  gtk_window_present (subject.window);
  bench_wait_for_frame (subject.list);
  bench_settle (OPEN_SETTLE_MS);
  ms = watchdog_max / 1000.0;
  g_array_append_val (samples->open_stall, ms);
  subject_close (&subject);
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cm_session_refresh_accounts_finish (CM_SESSION (object), result, &error))
    g_error ("refresh from the bench back-end: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

/* A refresh, to the frame that shows what the search finds after it, and
 * the main loop's longest stall until 300 ms after; @items: spliced in place
 * of every item; NULL: the session's own refresh from the bench back-end. */
static void
run_refresh (Subject    *subject,
             const char *what,
             GPtrArray  *items,
             GArray     *to_frame,
             GArray     *stall)
{
  gint64 start;
  double ms;
  gboolean done = FALSE;

  watchdog_reset ();
  start = g_get_monotonic_time ();
  if (items != NULL)
    g_list_store_splice (subject->store, 0, items->len, items->pdata, items->len);
  else
    {
      cm_session_refresh_accounts_async (subject->session, NULL, refreshed_cb, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
    }
  subject_wait_for_search (subject);
  ms = ms_since (start, bench_wait_for_frame (subject->list));
  g_array_append_val (to_frame, ms);
  bench_settle (OPEN_SETTLE_MS);
  ms = watchdog_max / 1000.0;
  g_array_append_val (stall, ms);
  if (g_getenv ("BENCH_VERBOSE") != NULL)
    g_printerr ("%s refresh (%s) under \"%s\": %.2f ms to the frame, longest stall %.2f ms, "
                "%u shown\n", subject->session != NULL ? "springboard" : "bare", what, TYPED,
                g_array_index (to_frame, double, to_frame->len - 1), ms,
                subject_count_shown (subject));
}

static void
run_round (Kind       kind,
           GPtrArray *items,
           Samples   *samples)
{
  Subject subject;
  gint64 start, filtered, frame_us, waited_us;
  double ms, work, bytes;
  char typed[sizeof TYPED] = "";
  size_t heap_empty;

  /* Open: a new window over all the items, to its first frame; the stall is
   * the longest the main loop did not turn meanwhile. */
  subject_prepare (&subject, kind, items);
  watchdog_reset ();
  start = g_get_monotonic_time ();
  subject_open (&subject, kind);
  gtk_window_present (subject.window);
  ms = ms_since (start, bench_wait_for_frame (subject.list));
  g_array_append_val (samples->open, ms);
  bench_settle (OPEN_SETTLE_MS);
  ms = watchdog_max / 1000.0;
  g_array_append_val (samples->open_stall, ms);

  /* Populate: empty and drawn, then all the items in one splice. */
  g_list_store_remove_all (subject.store);
  bench_wait_for_frame (GTK_WIDGET (subject.window));
  bench_settle (50);
  heap_empty = heap_in_use ();
  start = g_get_monotonic_time ();
  g_list_store_splice (subject.store, 0, 0, items->pdata, items->len);
  ms = ms_since (start, bench_wait_for_frame (subject.list));
  g_array_append_val (samples->populate, ms);
  bench_settle (50);
  bytes = ((double) heap_in_use () - heap_empty) / items->len;
  g_array_append_val (samples->view_bytes, bytes);

  /* Keystrokes: each prefix of TYPED, then settle (the entry's own delayed
   * search-changed refilters once more then; it is not measured). */
  for (guint i = 0; i < strlen (TYPED); i++)
    {
      typed[i] = TYPED[i];
      typed[i + 1] = '\0';
      start = g_get_monotonic_time ();
      subject_set_search (&subject, typed);
      filtered = g_get_monotonic_time ();
      /* A search that waits for keys searches in a later turn of the main
       * loop: the longest turn until it is done (that one, or one that made
       * keys) counts as its search. */
      waited_us = 0;
      if (subject_search_waits (&subject))
        {
          watchdog_restart ();
          subject_wait_for_search (&subject);
          waited_us = watchdog_max;
        }
      ms = ms_since (start, bench_wait_for_frame_work (subject.list, &frame_us));
      work = (filtered - start + waited_us + frame_us) / 1000.0;
      g_array_append_val (samples->keystroke, ms);
      g_array_append_val (samples->keystroke_work, work);
      if (g_getenv ("BENCH_VERBOSE") != NULL)
        g_printerr ("%s keystroke \"%s\": %.2f ms to the frame, %.2f ms of work "
                    "(search %.2f, frame %.2f), %u shown\n",
                    kind_names[kind], typed, ms, work, (filtered - start + waited_us) / 1000.0,
                    frame_us / 1000.0, subject_count_shown (&subject));
      bench_settle (200);
    }

  /* Refreshes under the search (TYPED): the app's own, from the back-end
   * (the same accounts listed again), and one where every account changed
   * (all of them spliced in again, new to the search). */
  if (kind == KIND_APP)
    run_refresh (&subject, "from the back-end", NULL, samples->refresh_backend,
                 samples->refresh_backend_stall);
  run_refresh (&subject, "all changed", items, samples->refresh, samples->refresh_stall);

  subject_close (&subject);
}

static void
print_measure (Kind        kind,
               const char *measure,
               GArray     *values)
{
  double median, max;

  if (values->len == 0)
    return;
  median = bench_median ((double *) values->data, values->len);
  max = g_array_index (values, double, values->len - 1);
  g_print ("%s %s %.2f %.2f\n", kind_names[kind], measure, median, max);
}

static void
samples_init (Samples *samples)
{
  samples->open = g_array_new (FALSE, FALSE, sizeof (double));
  samples->open_stall = g_array_new (FALSE, FALSE, sizeof (double));
  samples->populate = g_array_new (FALSE, FALSE, sizeof (double));
  samples->keystroke = g_array_new (FALSE, FALSE, sizeof (double));
  samples->keystroke_work = g_array_new (FALSE, FALSE, sizeof (double));
  samples->refresh = g_array_new (FALSE, FALSE, sizeof (double));
  samples->refresh_stall = g_array_new (FALSE, FALSE, sizeof (double));
  samples->refresh_backend = g_array_new (FALSE, FALSE, sizeof (double));
  samples->refresh_backend_stall = g_array_new (FALSE, FALSE, sizeof (double));
  samples->view_bytes = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
samples_clear (Samples *samples)
{
  g_array_unref (samples->open);
  g_array_unref (samples->open_stall);
  g_array_unref (samples->populate);
  g_array_unref (samples->keystroke);
  g_array_unref (samples->keystroke_work);
  g_array_unref (samples->refresh);
  g_array_unref (samples->refresh_stall);
  g_array_unref (samples->refresh_backend);
  g_array_unref (samples->refresh_backend_stall);
  g_array_unref (samples->view_bytes);
}

/* Heap bytes per item of what @make makes. */
static GPtrArray *
make_measured (GPtrArray * (*make) (void),
               double      *bytes_per_item)
{
  size_t before = heap_in_use ();
  GPtrArray *items = make ();

  *bytes_per_item = ((double) heap_in_use () - before) / items->len;
  return items;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) strings = NULL;
  Samples samples[N_KINDS];
  guint runs = bench_runs (5);
  double model_bytes[2];
  GSource *watchdog;

  if (g_getenv ("BENCH_ACCOUNTS") != NULL)
    n_accounts = MAX (1, atoi (g_getenv ("BENCH_ACCOUNTS")));

  gtk_init ();
  adw_init ();

  accounts = make_measured (make_accounts, &model_bytes[KIND_APP]);
  strings = make_measured (make_strings, &model_bytes[KIND_BARE]);
  backend_start (&backend, accounts);
  for (guint k = 0; k < N_KINDS; k++)
    samples_init (&samples[k]);

  watchdog = g_timeout_source_new (1);
  g_source_set_priority (watchdog, G_PRIORITY_HIGH);
  g_source_set_callback (watchdog, watchdog_cb, NULL, NULL);
  g_source_attach (watchdog, NULL);

  /* One warm-up round of each (fonts, icons, shaders), then interleaved rounds. */
  for (guint r = 0; r <= runs; r++)
    for (guint k = 0; k < N_KINDS; k++)
      {
        Samples warm_up;

        samples_init (&warm_up);
        if (k == KIND_WINDOW)
          run_window_round (r == 0 ? &warm_up : &samples[k]);
        else
          run_round (k, k == KIND_APP ? accounts : strings, r == 0 ? &warm_up : &samples[k]);
        samples_clear (&warm_up);
      }

  backend_stop (&backend);
  g_source_destroy (watchdog);
  g_source_unref (watchdog);

  g_print ("items %u %u\n", n_accounts, n_accounts);
  for (guint k = 0; k < N_KINDS; k++)
    {
      print_measure (k, "open", samples[k].open);
      print_measure (k, "open-stall", samples[k].open_stall);
      print_measure (k, "populate", samples[k].populate);
      print_measure (k, "keystroke", samples[k].keystroke);
      print_measure (k, "keystroke-work", samples[k].keystroke_work);
      print_measure (k, "refresh", samples[k].refresh);
      print_measure (k, "refresh-stall", samples[k].refresh_stall);
      print_measure (k, "refresh-backend", samples[k].refresh_backend);
      print_measure (k, "refresh-backend-stall", samples[k].refresh_backend_stall);
      print_measure (k, "view-bytes", samples[k].view_bytes);
      if (k != KIND_WINDOW)
        g_print ("%s model-bytes %.1f %.1f\n", kind_names[k], model_bytes[k], model_bytes[k]);
      samples_clear (&samples[k]);
    }

  return EXIT_SUCCESS;
}
