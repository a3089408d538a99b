/* bench-springboard.c: the springboard window with 10,000 linked accounts,
 * against a bare GtkListView of 10,000 GtkStringObject with a GtkStringFilter
 * built the same way, in the same process, rounds interleaved.
 *
 * For each: open (a new window with the 10,000 items, to its first frame),
 * populate (a drawn, empty window gets the 10,000 items in one splice, to the
 * next frame) and filter keystrokes ("garage 123" typed one character at a
 * time: from the text change to the next frame, and the work of it: the
 * filtering plus the frame from its before-paint, without the wait for the
 * frame clock's next tick, which alone is up to a frame). The springboard's search
 * entry waits 150 ms after a key before it filters (a design choice, not
 * measured): cm_springboard_window_set_search_text() filters at once, so the
 * figure is the work a keystroke costs. Prints one line per measure:
 *   KIND MEASURE median-ms max-ms
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include "bench-util.h"
#include "cm-springboard-window-private.h"

#define N_ACCOUNTS 10000
#define TYPED "garage 123"

typedef enum
{
  KIND_BARE,
  KIND_APP,
  N_KINDS
} Kind;

static const char *kind_names[N_KINDS] = { "bare", "springboard" };

typedef struct
{
  GArray *open;
  GArray *populate;
  GArray *keystroke;
  GArray *keystroke_work;
} Samples;

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
  for (guint i = 0; i < N_ACCOUNTS; i++)
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
  for (guint i = 0; i < N_ACCOUNTS; i++)
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

static void
subject_open (Subject *subject,
              Kind     kind)
{
  memset (subject, 0, sizeof *subject);

  if (kind == KIND_APP)
    {
      /* No request is made: the list is filled by hand, as in test-springboard. */
      g_autoptr(CmApiClient) client = cm_api_client_new ("http://127.0.0.1:9/");
      g_autoptr(CmCredentialStore) store =
        cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_MEMORY);
      CmSpringboardWindow *window;

      subject->session = cm_session_new (client, store);
      subject->store = G_LIST_STORE (cm_session_get_accounts (subject->session));
      window = cm_springboard_window_new (NULL, subject->session);
      subject->window = GTK_WINDOW (window);
      subject->list = GTK_WIDGET (cm_springboard_window_get_list_view (window));
    }
  else
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkFilterListModel *filtered;
      GtkStringFilter *filter;

      subject->store = g_list_store_new (GTK_TYPE_STRING_OBJECT);
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

static void
subject_close (Subject *subject)
{
  gtk_window_destroy (subject->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (subject->session != NULL)
    g_clear_object (&subject->session);
  else
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

static void
run_round (Kind       kind,
           GPtrArray *items,
           Samples   *samples)
{
  Subject subject;
  gint64 start, filtered, frame_us;
  double ms, work;
  char typed[sizeof TYPED] = "";

  /* Open: a new window over 10,000 items, to its first frame. */
  subject_open (&subject, kind);
  start = g_get_monotonic_time ();
  g_list_store_splice (subject.store, 0, 0, items->pdata, items->len);
  gtk_window_present (subject.window);
  ms = ms_since (start, bench_wait_for_frame (subject.list));
  g_array_append_val (samples->open, ms);
  bench_settle (50);

  /* Populate: empty and drawn, then 10,000 items in one splice. */
  g_list_store_remove_all (subject.store);
  bench_wait_for_frame (GTK_WIDGET (subject.window));
  bench_settle (50);
  start = g_get_monotonic_time ();
  g_list_store_splice (subject.store, 0, 0, items->pdata, items->len);
  ms = ms_since (start, bench_wait_for_frame (subject.list));
  g_array_append_val (samples->populate, ms);
  bench_settle (50);

  /* Keystrokes: each prefix of TYPED, then settle (the entry's own delayed
   * search-changed refilters once more then; it is not measured). */
  for (guint i = 0; i < strlen (TYPED); i++)
    {
      typed[i] = TYPED[i];
      typed[i + 1] = '\0';
      start = g_get_monotonic_time ();
      subject_set_search (&subject, typed);
      filtered = g_get_monotonic_time ();
      ms = ms_since (start, bench_wait_for_frame_work (subject.list, &frame_us));
      work = ms_since (start, filtered) + frame_us / 1000.0;
      g_array_append_val (samples->keystroke, ms);
      g_array_append_val (samples->keystroke_work, work);
      if (g_getenv ("BENCH_VERBOSE") != NULL)
        g_printerr ("%s keystroke \"%s\": %.2f ms to the frame, %.2f ms of work, %u shown\n",
                    kind_names[kind], typed, ms, work,
                    g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (
                                                GTK_LIST_VIEW (subject.list)))));
      bench_settle (200);
    }

  subject_close (&subject);
}

static void
print_measure (Kind        kind,
               const char *measure,
               GArray     *values)
{
  double median = bench_median ((double *) values->data, values->len);
  double max = values->len > 0 ? g_array_index (values, double, values->len - 1) : 0;

  g_print ("%s %s %.2f %.2f\n", kind_names[kind], measure, median, max);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) strings = NULL;
  Samples samples[N_KINDS];
  guint runs = bench_runs (5);

  gtk_init ();
  adw_init ();

  accounts = make_accounts ();
  strings = make_strings ();
  for (guint k = 0; k < N_KINDS; k++)
    {
      samples[k].open = g_array_new (FALSE, FALSE, sizeof (double));
      samples[k].populate = g_array_new (FALSE, FALSE, sizeof (double));
      samples[k].keystroke = g_array_new (FALSE, FALSE, sizeof (double));
      samples[k].keystroke_work = g_array_new (FALSE, FALSE, sizeof (double));
    }

  /* One warm-up round of each (fonts, icons, shaders), then interleaved rounds. */
  for (guint r = 0; r <= runs; r++)
    for (guint k = 0; k < N_KINDS; k++)
      {
        Samples warm_up = { g_array_new (FALSE, FALSE, sizeof (double)),
                            g_array_new (FALSE, FALSE, sizeof (double)),
                            g_array_new (FALSE, FALSE, sizeof (double)),
                            g_array_new (FALSE, FALSE, sizeof (double)) };

        run_round (k, k == KIND_APP ? accounts : strings, r == 0 ? &warm_up : &samples[k]);
        g_array_unref (warm_up.open);
        g_array_unref (warm_up.populate);
        g_array_unref (warm_up.keystroke);
        g_array_unref (warm_up.keystroke_work);
      }

  for (guint k = 0; k < N_KINDS; k++)
    {
      print_measure (k, "open", samples[k].open);
      print_measure (k, "populate", samples[k].populate);
      print_measure (k, "keystroke", samples[k].keystroke);
      print_measure (k, "keystroke-work", samples[k].keystroke_work);
      g_array_unref (samples[k].open);
      g_array_unref (samples[k].populate);
      g_array_unref (samples[k].keystroke);
      g_array_unref (samples[k].keystroke_work);
    }

  return EXIT_SUCCESS;
}
