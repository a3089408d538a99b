/* test-springboard.c: the springboard window: 10,000 accounts, search (every
 * field, case and accents, narrowing and widening), recycled rows, the row's
 * layout left to right and right to left, the empty state, remove access
 * (asks first), Log Off (clears the keyring).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "a11y-test-util.h"
#include "access-test-util.h"
#include "cm-account-details-dialog.h"
#include "cm-account-row-private.h"
#include "cm-account-search.h"
#include "cm-bidi.h"
#include "cm-session-private.h"
#include "cm-springboard-window-private.h"
#include "cm-state-header.h"

#define N_MANY 10000

static CmSpringboardWindow *
present_springboard (CmSession *session)
{
  CmSpringboardWindow *window = cm_springboard_window_new (NULL, session);

  gtk_window_set_default_size (GTK_WINDOW (window), 720, 640);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
wait_for_draw (GtkWidget *widget)
{
  /* gtk_test_widget_wait_for_draw() is what it is made for. */
  gtk_test_widget_wait_for_draw (widget);
}

/* What the search entry does once its typing delay ends, and the wait for
 * the accounts' search keys when the search waits for them (just after 10,000
 * accounts arrived, cm-account-search.c). */
static void
search_for (CmSpringboardWindow *window,
            const char          *text)
{
  CmAccountSearch *search = CM_ACCOUNT_SEARCH (cm_springboard_window_get_model (window));

  cm_springboard_window_set_search_text (window, text);
  while (cm_account_search_is_waiting (search))
    g_main_context_iteration (NULL, TRUE);
}

static guint
count_rows (GtkWidget *widget)
{
  guint n = CM_IS_ACCOUNT_ROW (widget) &&
            cm_account_row_get_account (CM_ACCOUNT_ROW (widget)) != NULL ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows (child);

  return n;
}

static GPtrArray *
make_accounts (guint n)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) linked = g_date_time_new_utc (2026, 1, 15, 12, 0, 0);
  g_autoptr(GDateTime) expires = g_date_time_new_utc (2028, 6, 30, 0, 0, 0);
  static const char *cities[] = { "Lansing", "Detroit", "Grand Rapids", "Flint", "Ypsilanti" };

  for (guint i = 0; i < n; i++)
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

/* @n accounts in place of the session's, all new objects. */
static void
fill_accounts (CmSession *session,
               guint      n)
{
  GListStore *store = G_LIST_STORE (cm_session_get_accounts (session));
  g_autoptr(GPtrArray) accounts = make_accounts (n);

  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       accounts->pdata, accounts->len);
}

/* @n accounts, the springboard drawn over them, and its grid view. */
static CmSpringboardWindow *
present_filled (AccessFixture *fixture,
                guint          n,
                GtkWidget    **list)
{
  CmSpringboardWindow *window;

  fill_accounts (fixture->session, n);
  window = present_springboard (fixture->session);
  *list = GTK_WIDGET (cm_springboard_window_get_account_grid (window));
  wait_for_draw (GTK_WIDGET (window));
  return window;
}

static void
test_many_accounts (AccessFixture *fixture,
                    gconstpointer  data)
{
  CmSpringboardWindow *window;
  GListModel *model;
  guint drawn;
  g_autoptr(CmAccount) found = NULL;

  fill_accounts (fixture->session, N_MANY);
  window = present_springboard (fixture->session);
  wait_for_draw (GTK_WIDGET (window));

  model = cm_springboard_window_get_model (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_MANY);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "list");
  /* The grid view makes rows around what is on screen, not one per account:
   * GTK_GRID_VIEW_MAX_VISIBLE_ROWS (30) and a row or two for its focus and
   * its anchor (33 here). A GtkListView would make 200, and bind them all
   * again on every search. */
  drawn = count_rows (GTK_WIDGET (cm_springboard_window_get_account_grid (window)));
  g_assert_cmpuint (drawn, >, 0);
  g_assert_cmpuint (drawn, <=, 35);

  search_for (window, "z0004242");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  found = g_list_model_get_item (model, 0);
  g_assert_cmpstr (cm_account_get_account_number (found), ==, "Z0004242");
  wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpuint (count_rows (GTK_WIDGET (cm_springboard_window_get_account_grid (window))), ==,
                    1);

  /* By city, case-insensitively: every fifth account is in Flint. */
  search_for (window, "FLINT");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_MANY / 5);

  search_for (window, "no such garage");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "no-results");

  search_for (window, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_MANY);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "list");
}

/* ---- search ------------------------------------------------------------- */

static gboolean
is_search_entry (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_SEARCH_ENTRY (widget);
}

/* Searched as 10,000 accounts arrive: the search waits for their search keys,
 * made while idle, and the list stays meanwhile, not "No Results" (nothing
 * was looked at yet); then what it finds. Enter in the search entry does not
 * wait: it goes to the account found. */
static void
test_search_waits_for_keys (AccessFixture *fixture,
                            gconstpointer  data)
{
  CmSpringboardWindow *window = present_springboard (fixture->session);
  GListModel *model = cm_springboard_window_get_model (window);
  CmAccountSearch *search = CM_ACCOUNT_SEARCH (model);
  GtkWidget *grid = GTK_WIDGET (cm_springboard_window_get_account_grid (window));
  GtkWidget *entry = access_find_if (GTK_WIDGET (window), is_search_entry, NULL);
  GtkWidget *focus;

  wait_for_draw (GTK_WIDGET (window));
  fill_accounts (fixture->session, N_MANY);
  cm_springboard_window_set_search_text (window, "no such garage");
  g_assert_true (cm_account_search_is_waiting (search));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_MANY);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "list");
  while (cm_account_search_is_waiting (search))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "no-results");

  /* A refresh under the search, then another search and Enter at once. */
  fill_accounts (fixture->session, N_MANY);
  g_assert_true (cm_account_search_is_waiting (search));
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "list");
  gtk_editable_set_text (GTK_EDITABLE (entry), "z0004242");
  g_signal_emit_by_name (entry, "activate");
  g_assert_false (cm_account_search_is_waiting (search));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "list");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (focus == grid || gtk_widget_is_ancestor (focus, grid));

  /* A refresh takes away what was found, and the next search finds nothing:
   * no item changes when it is done, and still the page does. */
  fill_accounts (fixture->session, N_MANY);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "list");
  search_for (window, "no such garage");
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "no-results");
}

typedef struct
{
  const char *type;
  const char *number;
  const char *name;
  const char *status;
  const char *city;     /* nullable */
} AccountSpec;

static const AccountSpec search_accounts[] = {
  { "mechanic", "Z1000001", "Lakeside Auto", "active", "Lansing" },
  { "mechanic_school", "S2000002", "Northern Tech", "suspended", "Marquette" },
  { "mechanic", "Z3000003", "José's Garage", "expired", "Detroit" },
  { "mechanic", "Z4000004", "Straße Motors", "revoked", "Ypsilanti" },
  { "mechanic", "Z5000005", "Ann Arbor Repair", "pending_review", NULL },
};

static void
add_accounts (CmSession         *session,
              const AccountSpec *specs,
              guint              n)
{
  GListStore *store = G_LIST_STORE (cm_session_get_accounts (session));
  g_autoptr(GDateTime) linked = g_date_time_new_utc (2026, 1, 15, 12, 0, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmAccount) account = cm_account_new (specs[i].type, specs[i].number,
                                                     specs[i].name, specs[i].status,
                                                     specs[i].city, linked, NULL);

      g_list_store_append (store, account);
    }
}

/* The numbers of the accounts the list shows, in order, joined by spaces. */
static char *
shown_numbers (CmSpringboardWindow *window)
{
  GListModel *model = cm_springboard_window_get_model (window);
  g_autoptr(GString) numbers = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CmAccount) account = g_list_model_get_item (model, i);

      if (i > 0)
        g_string_append_c (numbers, ' ');
      g_string_append (numbers, cm_account_get_account_number (account));
    }
  return g_strdup (numbers->str);
}

static void
test_search_fields (AccessFixture *fixture,
                    gconstpointer  data)
{
  static const struct
  {
    const char *search;
    const char *shown;
  } cases[] = {
    { "z1000001", "Z1000001" },                /* number, any case */
    { "northern", "S2000002" },                /* name */
    { "MARQUETTE", "S2000002" },               /* city */
    { "suspended", "S2000002" },               /* status */
    { "mechanic school", "S2000002" },         /* type, as the list names it */
    { "pending_review", "Z5000005" },          /* a status the app does not know, as sent */
    { "mechanic", "Z1000001 S2000002 Z3000003 Z4000004 Z5000005" },
    { "  lakeside  ", "Z1000001" },            /* spaces around are not searched */
    { "jose", "Z3000003" },                    /* without the accent */
    { "JOSÉ'S", "Z3000003" },                  /* with it, in capitals */
    { "strasse", "Z4000004" },                 /* ß folds to ss */
    { "STRASSE MOTORS", "Z4000004" },
    { "auto lansing", "" },                    /* a match never spans two fields */
    { "no such garage", "" },
  };
  CmSpringboardWindow *window;

  add_accounts (fixture->session, search_accounts, G_N_ELEMENTS (search_accounts));
  window = present_springboard (fixture->session);
  wait_for_draw (GTK_WIDGET (window));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = NULL;

      search_for (window, cases[i].search);
      shown = shown_numbers (window);
      g_test_message ("search \"%s\": %s", cases[i].search, shown);
      g_assert_cmpstr (shown, ==, cases[i].shown);
      g_assert_cmpstr (cm_springboard_window_get_view (window), ==,
                       *cases[i].shown != '\0' ? "list" : "no-results");
    }
}

/* The status and the type as the list shows them, in the user's language. */
static void
test_search_translated (AccessFixture *fixture,
                        gconstpointer  data)
{
  g_autofree char *po_dir = g_build_filename (g_getenv ("CM_BUILD_DIR"), "po", NULL);
  g_autofree char *old_language = g_strdup (g_getenv ("LANGUAGE"));
  g_autofree char *old_domain = g_strdup (textdomain (NULL));
  g_autofree char *old_messages = g_strdup (setlocale (LC_MESSAGES, NULL));
  g_autofree char *shown = NULL;
  CmSpringboardWindow *window;
  gboolean translated;

  /* What main.c does, with the catalogues of this build and in Spanish; a new
   * locale also clears gettext's cache of earlier lookups. */
  bindtextdomain (GETTEXT_PACKAGE, po_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("LANGUAGE", "es", TRUE);
  setlocale (LC_MESSAGES, "C.UTF-8");
  translated = g_strcmp0 (cm_account_status_get_label ("suspended"), "Suspended") != 0;

  if (translated)
    {
      add_accounts (fixture->session, search_accounts, G_N_ELEMENTS (search_accounts));
      window = present_springboard (fixture->session);

      search_for (window, cm_account_status_get_label ("suspended"));
      shown = shown_numbers (window);
      g_assert_cmpstr (shown, ==, "S2000002");
      g_clear_pointer (&shown, g_free);

      /* The type's translation, typed without its accent. */
      g_assert_cmpstr (cm_account_type_get_label ("mechanic_school"), ==, "Escuela de mecánica");
      search_for (window, "escuela de mecanica");
      shown = shown_numbers (window);
      g_assert_cmpstr (shown, ==, "S2000002");
      g_clear_pointer (&shown, g_free);

      /* The status as the back-end sends it still matches. */
      search_for (window, "suspended");
      shown = shown_numbers (window);
      g_assert_cmpstr (shown, ==, "S2000002");
    }

  if (old_language != NULL)
    g_setenv ("LANGUAGE", old_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  textdomain (old_domain);
  setlocale (LC_MESSAGES, old_messages);

  if (!translated)
    g_test_skip ("No Spanish catalogue in this build (po/es): run ninja first");
}

/* Whether the account @i of fill_accounts() matches @search (lower case ASCII):
 * the same fields, worked out here without the springboard's code. */
static gboolean
expect_match (guint       i,
              const char *search)
{
  static const char *cities[] = { "lansing", "detroit", "grand rapids", "flint", "ypsilanti" };
  g_autofree char *number = g_strdup_printf ("z%07u", i);
  g_autofree char *name = g_strdup_printf ("garage %u", i);
  const char *fields[] = {
    number, name, cities[i % G_N_ELEMENTS (cities)],
    i % 7 == 0 ? "suspended" : "active",
    i % 10 == 0 ? "mechanic school" : "mechanic",
  };

  if (*search == '\0')
    return TRUE;
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    if (strstr (fields[f], search) != NULL)
      return TRUE;
  return FALSE;
}

typedef struct
{
  guint changes;
  guint most;     /* the most items the list had during a change */
} ModelWatch;

static void
on_model_items_changed_cb (GListModel *model,
                           guint       position,
                           guint       removed,
                           guint       added,
                           ModelWatch *watch)
{
  watch->changes++;
  watch->most = MAX (watch->most, g_list_model_get_n_items (model));
}

static void
test_search_narrow_widen (AccessFixture *fixture,
                          gconstpointer  data)
{
  /* Typed on (narrower), then back (wider), then something else. */
  static const char *steps[] = {
    "garage 1", "garage 12", "garage 123", "garage 12", "garage 1", "garage 1 ",
    "", "flint", "grand", "grand rapids", "z00099", "suspended", "school", "",
  };
  CmSpringboardWindow *window;
  GListModel *model;
  ModelWatch watch = { 0, 0 };
  guint previous = N_MANY;

  fill_accounts (fixture->session, N_MANY);
  window = present_springboard (fixture->session);
  wait_for_draw (GTK_WIDGET (window));
  model = cm_springboard_window_get_model (window);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_model_items_changed_cb), &watch);

  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      g_autofree char *search = g_strstrip (g_strdup (steps[s]));
      guint expected = 0;
      guint n;

      for (guint i = 0; i < N_MANY; i++)
        expected += expect_match (i, search);

      watch.changes = 0;
      watch.most = 0;
      search_for (window, steps[s]);
      n = g_list_model_get_n_items (model);
      g_test_message ("search \"%s\": %u shown, %u expected", steps[s], n, expected);
      g_assert_cmpuint (n, ==, expected);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CmAccount) account = g_list_model_get_item (model, i);
          guint index = (guint) g_ascii_strtoull (cm_account_get_account_number (account) + 1,
                                                   NULL, 10);

          g_assert_true (expect_match (index, search));
        }
      /* One change at most, straight to the result: never every account on the way. */
      g_assert_cmpuint (watch.changes, <=, 1);
      if (watch.changes == 1)
        g_assert_cmpuint (watch.most, <=, MAX (previous, expected));
      else
        g_assert_cmpuint (expected, ==, previous);
      previous = expected;
      wait_for_draw (GTK_WIDGET (window));
    }
  g_signal_handlers_disconnect_by_func (model, on_model_items_changed_cb, &watch);
}

/* ---- rows --------------------------------------------------------------- */

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (CM_IS_ACCOUNT_ROW (widget) && cm_account_row_get_account (CM_ACCOUNT_ROW (widget)) != NULL)
    g_ptr_array_add (rows, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static GtkWidget *
row_remove_button (GtkWidget *row)
{
  GtkWidget *button = gtk_widget_get_last_child (row);

  g_assert_true (GTK_IS_BUTTON (button));
  return button;
}

/* The grid view makes and destroys rows as a search changes what it shows,
 * and the springboard gives the rows it let go of to the next items: the
 * remove button of such a row must name and remove its new account. */
static void
test_recycled_row_removes_its_account (AccessFixture *fixture,
                                       gconstpointer  data)
{
  static const char *searches[] = { "garage 1", "garage 2", "garage 3", "garage 4", "garage 5" };
  g_autoptr(GHashTable) bound = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  CmSpringboardWindow *window;
  GtkWidget *list;
  GtkWidget *recycled = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  CmAccount *account;

  window = present_filled (fixture, 1000, &list);

  for (guint s = 0; s < G_N_ELEMENTS (searches) && recycled == NULL; s++)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new ();

      search_for (window, searches[s]);
      wait_for_draw (GTK_WIDGET (window));
      collect_rows (list, rows);
      g_assert_cmpuint (rows->len, >, 0);
      for (guint r = 0; r < rows->len; r++)
        {
          GtkWidget *row = g_ptr_array_index (rows, r);
          const char *number = cm_account_get_account_number (
            cm_account_row_get_account (CM_ACCOUNT_ROW (row)));
          const char *before = g_hash_table_lookup (bound, row);

          /* Every row shows an account of this search. */
          g_assert_true (expect_match ((guint) g_ascii_strtoull (number + 1, NULL, 10),
                                       searches[s]));
          if (recycled == NULL && before != NULL && g_strcmp0 (before, number) != 0)
            recycled = row;
          g_hash_table_insert (bound, row, g_strdup (number));
        }
    }
  g_assert_nonnull (recycled);

  account = cm_account_row_get_account (CM_ACCOUNT_ROW (recycled));
  g_signal_emit_by_name (row_remove_button (recycled), "clicked");
  dialog = GTK_WIDGET (access_find_toplevel ("remove-dialog"));
  g_assert_nonnull (dialog);
  heading = g_strdup_printf ("Remove Access to %s?", cm_account_get_account_number (account));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, heading);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            cm_account_get_name (account)));
  /* What "Remove Access" would unlink. */
  g_assert_cmpstr (g_object_get_data (G_OBJECT (dialog), "cm-type"), ==,
                   cm_account_get_account_type (account));
  g_assert_cmpstr (g_object_get_data (G_OBJECT (dialog), "cm-number"), ==,
                   cm_account_get_account_number (account));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The x of @widget's left edge in @row. */
static double
x_in (GtkWidget *widget,
      GtkWidget *row)
{
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (widget, row, &GRAPHENE_POINT_INIT (0, 0), &point));
  return point.x;
}

/* Name, type and number, and dates at the start (after the icon), then the
 * status, then the remove button at the end: left to right in English, right
 * to left in Arabic. */
static void
test_row_layout (gconstpointer data)
{
  GtkTextDirection direction = GPOINTER_TO_INT (data);
  GtkTextDirection old_default = gtk_widget_get_default_direction ();
  g_autoptr(GDateTime) linked = g_date_time_new_utc (2026, 1, 15, 12, 0, 0);
  g_autoptr(CmAccount) account = NULL;
  GtkWidget *window;
  GtkWidget *row;
  GtkWidget *name, *subtitle, *dates, *status, *button;
  double width;

  gtk_widget_set_default_direction (direction);
  account = cm_account_new ("mechanic", "Z123456", "Emily Hall", "active", "Lansing", linked,
                            linked);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 100);
  row = GTK_WIDGET (cm_account_row_new ());
  cm_account_row_set_account (CM_ACCOUNT_ROW (row), account);
  gtk_window_set_child (GTK_WINDOW (window), row);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_draw (window);

  /* The children, in reading order. */
  name = gtk_widget_get_first_child (row);
  subtitle = gtk_widget_get_next_sibling (name);
  dates = gtk_widget_get_next_sibling (subtitle);
  status = gtk_widget_get_next_sibling (dates);
  button = gtk_widget_get_next_sibling (status);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (name)), ==, "Emily Hall");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (subtitle)), ==, "Mechanic · " CM_BIDI_LRI "Z123456" CM_BIDI_PDI " · Lansing");
  g_assert_true (gtk_widget_get_visible (dates));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, "Active");
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_null (gtk_widget_get_next_sibling (button));

  width = gtk_widget_get_width (row);
  g_assert_cmpfloat (width, >, 400);
  /* The three texts share a column, one under the other. */
  g_assert_cmpfloat (x_in (subtitle, row), ==, x_in (name, row));
  g_assert_cmpfloat (x_in (dates, row), ==, x_in (name, row));
  if (direction == GTK_TEXT_DIR_RTL)
    {
      g_assert_cmpfloat (x_in (button, row), >=, 0);
      g_assert_cmpfloat (x_in (button, row) + gtk_widget_get_width (button), <, x_in (status, row));
      g_assert_cmpfloat (x_in (status, row) + gtk_widget_get_width (status), <, x_in (name, row));
      /* The icon's room at the right. */
      g_assert_cmpfloat (x_in (name, row) + gtk_widget_get_width (name), <=, width - 32);
    }
  else
    {
      g_assert_cmpfloat (x_in (name, row), >=, 32);
      g_assert_cmpfloat (x_in (name, row) + gtk_widget_get_width (name), <, x_in (status, row));
      g_assert_cmpfloat (x_in (status, row) + gtk_widget_get_width (status), <, x_in (button, row));
      g_assert_cmpfloat (x_in (button, row) + gtk_widget_get_width (button), <=, width);
    }
  g_assert_cmpfloat (gtk_widget_get_width (name), >, 0);

  /* No dates: the line goes, and the row is shorter. */
  {
    int height, undated_height;
    g_autoptr(CmAccount) undated = cm_account_new ("mechanic", "Z654321", "Garage 7", "expired",
                                                   NULL, NULL, NULL);

    gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, -1, NULL, &height, NULL, NULL);
    cm_account_row_set_account (CM_ACCOUNT_ROW (row), undated);
    wait_for_draw (window);
    gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, -1, NULL, &undated_height, NULL, NULL);
    g_assert_false (gtk_widget_get_visible (dates));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (subtitle)), ==, "Mechanic · " CM_BIDI_LRI "Z654321" CM_BIDI_PDI);
    g_assert_cmpint (undated_height, <, height);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_widget_set_default_direction (old_default);
  access_flush ();
}

static void
collect_menu_buttons (GtkWidget *widget,
                      GPtrArray *buttons)
{
  /* The State's header has its own menu, for narrow windows (test-state-header). */
  if (CM_IS_STATE_HEADER (widget))
    return;
  if (GTK_IS_MENU_BUTTON (widget))
    g_ptr_array_add (buttons, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_menu_buttons (child, buttons);
}

/* The header bar's menus are made when they first open: they do open, with
 * their items. */
static void
test_menus (AccessFixture *fixture,
            gconstpointer  data)
{
  CmSpringboardWindow *window;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  guint items[2] = { 0, 0 };

  fill_accounts (fixture->session, 3);
  window = present_springboard (fixture->session);
  wait_for_draw (GTK_WIDGET (window));
  collect_menu_buttons (GTK_WIDGET (window), buttons);
  g_assert_cmpuint (buttons->len, ==, 2);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkMenuButton *button = g_ptr_array_index (buttons, i);
      GMenuModel *model;

      g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
      gtk_menu_button_popup (button);
      access_flush ();
      g_assert_nonnull (gtk_menu_button_get_popover (button));
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (button))));
      model = gtk_menu_button_get_menu_model (button);
      g_assert_nonnull (model);
      /* The main menu holds one section. */
      if (g_menu_model_get_n_items (model) == 1)
        model = g_menu_model_get_item_link (model, 0, G_MENU_LINK_SECTION);
      items[i] = g_menu_model_get_n_items (model);
      if (model != gtk_menu_button_get_menu_model (button))
        g_object_unref (model);
      gtk_menu_button_popdown (button);
    }
  /* Another Account: Add Account Access and Request Code; the main menu: Preferences,
   * Practice Inbox, Keyboard Shortcuts, About. */
  g_assert_cmpuint (items[0], ==, 2);
  g_assert_cmpuint (items[1], ==, 4);
}

static void
test_empty (AccessFixture *fixture,
            gconstpointer  data)
{
  CmSpringboardWindow *window = present_springboard (fixture->session);

  wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "empty");

  fill_accounts (fixture->session, 3);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "list");
}

static void
link_z123456 (AccessFixture *fixture)
{
  AccessAsync async = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccount) account = NULL;
  g_autofree char *code = access_request_code (fixture, "Z123456", "48909", "email");

  cm_session_link_account_async (fixture->session, code, "mechanic", "Z123456", "48909", NULL,
                                 TRUE, NULL, access_async_cb, &async);
  account = cm_session_link_account_finish (fixture->session, access_async_wait (&async),
                                            &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);
  g_assert_cmpstr (cm_account_get_name (account), ==, "Emily Hall");
}

static gboolean
model_empty_cb (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 0;
}

static void
test_remove_asks_first (AccessFixture *fixture,
                        gconstpointer  data)
{
  CmSpringboardWindow *window;
  GListModel *model;
  GtkWidget *dialog;

  access_sign_up_and_in (fixture, FALSE);
  link_z123456 (fixture);
  window = present_springboard (fixture->session);
  wait_for_draw (GTK_WIDGET (window));
  model = cm_springboard_window_get_model (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* The row's trash button goes through win.remove-access: a question, nothing removed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-access", "(ss)",
                                             "mechanic", "Z123456"));
  dialog = GTK_WIDGET (access_find_toplevel ("remove-dialog"));
  g_assert_nonnull (dialog);
  access_flush ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  access_flush ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  dialog = cm_springboard_window_ask_remove (window, "mechanic", "Z123456");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
  access_test_wait (model_empty_cb, model);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "empty");
}

/* The subtitle of the visible row titled @title in @dialog, or NULL. */
static const char *
detail (GtkWidget  *widget,
        const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return adw_action_row_get_subtitle (ADW_ACTION_ROW (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *found = detail (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_details (AccessFixture *fixture,
              gconstpointer  data)
{
  CmSpringboardWindow *window;
  g_autoptr(CmAccount) account = NULL;
  g_autoptr(CmAccount) undated = cm_account_new ("mechanic", "Z654321", "Garage 7", "expired",
                                                 NULL, NULL, NULL);
  GtkWidget *dialog;

  fill_accounts (fixture->session, 5);
  window = present_springboard (fixture->session);
  account = g_list_model_get_item (cm_springboard_window_get_model (window), 1);
  dialog = cm_springboard_window_show_details (window, account);
  g_assert_true (CM_IS_ACCOUNT_DETAILS_DIALOG (dialog));
  access_flush ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Garage 1");
  g_assert_cmpstr (detail (dialog, "Account Type"), ==, "Mechanic");
  g_assert_cmpstr (detail (dialog, "Account Number"), ==, CM_BIDI_LRI "Z0000001" CM_BIDI_PDI);
  g_assert_cmpstr (detail (dialog, "City"), ==, "Detroit");
  g_assert_cmpstr (detail (dialog, "Status"), ==, "Active");
  g_assert_nonnull (detail (dialog, "Linked Since"));
  g_assert_nonnull (detail (dialog, "Certificate Expires"));
  g_assert_cmpuint (a11y_assert_named_once (dialog), >, 10);

  /* Copy gives the number as the State writes it, without the direction marks. */
  g_signal_emit_by_name (access_get (dialog, "copy-number-button"), "clicked");
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (dialog);
    AccessAsync async = { NULL };
    g_autofree char *copied = NULL;
    g_autoptr(GError) error = NULL;

    gdk_clipboard_read_text_async (clipboard, NULL, access_async_cb, &async);
    copied = gdk_clipboard_read_text_finish (clipboard, access_async_wait (&async), &error);
    g_clear_object (&async.result);
    g_assert_no_error (error);
    g_assert_cmpstr (copied, ==, "Z0000001");
  }

  /* Remove Access…: the question, for this account; the details close. */
  g_signal_emit_by_name (access_get (dialog, "remove-button"), "clicked");
  access_flush ();
  g_assert_null (access_find_toplevel ("details-dialog"));
  dialog = GTK_WIDGET (access_find_toplevel ("remove-dialog"));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (dialog), "cm-number"), ==, "Z0000001");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* No city and no dates: those rows go. */
  dialog = cm_springboard_window_show_details (window, undated);
  g_assert_null (detail (dialog, "City"));
  g_assert_null (detail (dialog, "Linked Since"));
  g_assert_cmpstr (detail (dialog, "Status"), ==, "Expired");
  g_assert_true (gtk_widget_activate_action (dialog, "window.close", NULL));
  access_flush ();
  g_assert_null (access_find_toplevel ("details-dialog"));
}

/* The button follows win.refresh: sensitive again once the accounts came. */
static gboolean
refresh_enabled_cb (gpointer data)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (data));
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
retry_shown_cb (gpointer data)
{
  return find_button_labelled (GTK_WIDGET (data), "_Retry") != NULL;
}

static GtkWidget *
refresh_button (CmSpringboardWindow *window)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                    CM_TYPE_SPRINGBOARD_WINDOW,
                                                    "refresh_button"));
}

/* Refresh shows that it works (a spinner, no second Refresh), and says why it failed. */
static void
test_refresh_progress (AccessFixture *fixture,
                       gconstpointer  data)
{
  CmSpringboardWindow *window;
  GtkWidget *button;

  access_sign_up_and_in (fixture, FALSE);
  window = present_springboard (fixture->session);
  button = refresh_button (window);
  g_assert_true (gtk_widget_get_sensitive (button));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_true (GTK_IS_SPINNER (gtk_button_get_child (GTK_BUTTON (button))));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_BUSY, TRUE);
  access_test_wait (refresh_enabled_cb, button);
  g_assert_true (GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (button))));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_BUSY, FALSE);
  g_assert_null (find_button_labelled (GTK_WIDGET (window), "_Retry"));

  /* The back-end is gone: the reason, with Retry. */
  cm_server_stop (fixture->server);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  access_test_wait (retry_shown_cb, window);
  g_assert_true (gtk_widget_get_sensitive (button));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
on_logged_off_cb (CmSpringboardWindow *window,
                  gboolean            *done)
{
  *done = TRUE;
}

static void
test_log_off_clears_keyring (AccessFixture *fixture,
                             gconstpointer  data)
{
  CmSpringboardWindow *window;
  AccessAsync async = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *token = NULL;
  gboolean done = FALSE;
  const char *server = cm_api_client_get_base_uri (fixture->client);

  access_sign_up_and_in (fixture, TRUE);
  g_assert_true (cm_session_get_remembered (fixture->session));
  cm_credential_store_lookup_remembered_async (fixture->store, server, NULL, access_async_cb,
                                               &async);
  g_assert_true (cm_credential_store_lookup_remembered_finish (fixture->store,
                                                               access_async_wait (&async),
                                                               &user_id, &token, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (user_id, ==, "smithj1234");
  g_assert_nonnull (token);
  g_clear_object (&async.result);
  g_clear_pointer (&user_id, g_free);
  g_clear_pointer (&token, g_free);

  window = present_springboard (fixture->session);
  g_signal_connect (window, "logged-off", G_CALLBACK (on_logged_off_cb), &done);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-off", NULL));
  access_test_wait_flag (&done);

  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_OUT);
  cm_credential_store_lookup_remembered_async (fixture->store, server, NULL, access_async_cb,
                                               &async);
  cm_credential_store_lookup_remembered_finish (fixture->store, access_async_wait (&async),
                                                &user_id, &token, &error);
  g_clear_object (&async.result);
  g_assert_null (token);
}

/* ---- keyboard, screen reader, width ------------------------------------- */

/* "Z0000001, Garage 1, Detroit, Active": what a screen reader says for the
 * account @i of fill_accounts(), the number isolated left to right. */
static char *
expected_row_name (CmAccount *account)
{
  return g_strdup_printf (CM_BIDI_LRI "%s" CM_BIDI_PDI ", %s, %s, %s",
                          cm_account_get_account_number (account),
                          cm_account_get_name (account), cm_account_get_city (account),
                          cm_account_status_get_label (cm_account_get_status (account)));
}

/* The account of the list item that has the focus, or NULL when the focus
 * is not on a list item of @list. */
static CmAccount *
focused_account (GtkWidget *list,
                 GtkWidget *focus)
{
  GtkWidget *child;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, list))
    return NULL;
  child = gtk_widget_get_first_child (focus);
  if (child == NULL || !CM_IS_ACCOUNT_ROW (child))
    return NULL;
  return cm_account_row_get_account (CM_ACCOUNT_ROW (child));
}

static void
assert_row_named (GtkWidget *item,
                  CmAccount *account)
{
  g_autofree char *name = expected_row_name (account);

  g_test_message ("row: %s", name);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       name);
}

/* Tab from the window's start: every stop is in the window, and one of them
 * is a row of the list, named after its account; Down moves to the next row,
 * Enter opens its details. */
static void
test_tab_walk (AccessFixture *fixture,
               gconstpointer  data)
{
  CmSpringboardWindow *window;
  GtkWidget *list;
  GtkWidget *focus;
  GtkWidget *first = NULL;
  GtkWidget *row_item = NULL;
  CmAccount *account = NULL;
  GtkWidget *dialog;
  guint stops = 0, row_stops = 0;
  gboolean search_reached = FALSE;

  window = present_filled (fixture, 5, &list);
  gtk_window_set_focus (GTK_WINDOW (window), NULL);

  for (; stops < 30; stops++)
    {
      focus = a11y_press_tab (GTK_WINDOW (window));
      g_assert_nonnull (focus);
      g_test_message ("Tab %u: %s %s", stops, G_OBJECT_TYPE_NAME (focus),
                      gtk_widget_get_name (focus));
      g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (window)));
      if (focus == first)
        break;
      if (first == NULL)
        first = focus;
      if (focused_account (list, focus) != NULL)
        row_stops++;
      if (row_item == NULL && (account = focused_account (list, focus)) != NULL)
        row_item = focus;
      if (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY) != NULL)
        search_reached = TRUE;
    }
  g_assert_cmpuint (stops, <, 30);
  g_assert_true (search_reached);
  g_assert_nonnull (row_item);
  /* One Tab stop in the list, not one per account. */
  g_assert_cmpuint (row_stops, ==, 1);
  g_assert_cmpuint (a11y_assert_named_once (GTK_WIDGET (window)), >, 20);
  /* The first account: the list's focus starts at its top. */
  g_assert_cmpstr (cm_account_get_account_number (account), ==, "Z0000000");
  assert_row_named (row_item, account);

  /* Down (GtkGridView moves the focus to the next item: one column) and Up. */
  gtk_widget_grab_focus (row_item);
  g_assert_true (gtk_widget_child_focus (list, GTK_DIR_DOWN));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  account = focused_account (list, focus);
  g_assert_nonnull (account);
  g_assert_cmpstr (cm_account_get_account_number (account), ==, "Z0000001");
  assert_row_named (focus, account);
  /* Right and Left too, in a grid of one column (docs/account-access.md). */
  g_assert_true (gtk_widget_child_focus (list, GTK_DIR_RIGHT));
  g_assert_cmpstr (cm_account_get_account_number (focused_account (
                     list, gtk_root_get_focus (GTK_ROOT (window)))), ==, "Z0000002");
  g_assert_true (gtk_widget_child_focus (list, GTK_DIR_LEFT));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_cmpstr (cm_account_get_account_number (focused_account (list, focus)), ==,
                   "Z0000001");

  /* Enter: what the Return key binding of a list item emits. */
  g_assert_true (gtk_widget_activate (focus));
  dialog = GTK_WIDGET (access_find_toplevel ("details-dialog"));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Garage 1");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A refresh that brings nothing new (the usual one) leaves the list as it
 * is: the focus stays on the account it was on, for keyboard and screen
 * reader users alike. */
static void
test_refresh_keeps_focus (AccessFixture *fixture,
                          gconstpointer  data)
{
  CmSpringboardWindow *window;
  GtkWidget *list;
  GtkWidget *focus;
  g_autoptr(GPtrArray) again = make_accounts (50);

  window = present_filled (fixture, 50, &list);
  g_assert_true (gtk_widget_child_focus (list, GTK_DIR_TAB_FORWARD));
  for (guint i = 0; i < 3; i++)
    g_assert_true (gtk_widget_child_focus (list, GTK_DIR_DOWN));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_cmpstr (cm_account_get_account_number (focused_account (list, focus)), ==,
                   "Z0000003");

  cm_session_update_accounts (fixture->session, again);
  wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == focus);
  g_assert_cmpstr (cm_account_get_account_number (focused_account (list, focus)), ==,
                   "Z0000003");
}

/* The same through the app's refresh (win.refresh, the real back-end): the
 * account listed again is the same, so its row keeps the focus. */
static void
test_refresh_keeps_focus_from_back_end (AccessFixture *fixture,
                                        gconstpointer  data)
{
  CmSpringboardWindow *window;
  GtkWidget *list;
  GtkWidget *focus;
  GtkWidget *button;

  access_sign_up_and_in (fixture, FALSE);
  link_z123456 (fixture);
  window = present_springboard (fixture->session);
  wait_for_draw (GTK_WIDGET (window));
  list = GTK_WIDGET (cm_springboard_window_get_account_grid (window));
  button = refresh_button (window);
  g_assert_true (gtk_widget_child_focus (list, GTK_DIR_TAB_FORWARD));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_cmpstr (cm_account_get_account_number (focused_account (list, focus)), ==, "Z123456");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_false (gtk_widget_get_sensitive (button));
  access_test_wait (refresh_enabled_cb, button);
  wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == focus);
  g_assert_cmpstr (cm_account_get_account_number (focused_account (list, focus)), ==, "Z123456");
}

/* Every row the list shows carries its account's name, also after a search
 * hands the rows to other accounts. */
static void
test_row_names (AccessFixture *fixture,
                gconstpointer  data)
{
  CmSpringboardWindow *window;
  GtkWidget *list;

  window = present_filled (fixture, 300, &list);

  for (guint s = 0; s < 2; s++)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new ();

      search_for (window, s == 0 ? "" : "flint");
      wait_for_draw (GTK_WIDGET (window));
      collect_rows (list, rows);
      g_assert_cmpuint (rows->len, >, 0);
      for (guint r = 0; r < rows->len; r++)
        {
          GtkWidget *row = g_ptr_array_index (rows, r);
          CmAccount *account = cm_account_row_get_account (CM_ACCOUNT_ROW (row));

          if (s == 1)
            g_assert_cmpstr (cm_account_get_city (account), ==, "Flint");
          assert_row_named (gtk_widget_get_parent (row), account);
        }
    }
}

/* A name without a city, and in the order the format says. */
static void
test_row_name_no_city (void)
{
  g_autoptr(CmAccount) account = cm_account_new ("mechanic", "Z654321", "Garage 7", "expired",
                                                 NULL, NULL, NULL);
  CmAccountRow *row = g_object_ref_sink (cm_account_row_new ());

  g_assert_null (cm_account_row_get_accessible_name (row));
  cm_account_row_set_account (row, account);
  g_assert_cmpstr (cm_account_row_get_accessible_name (row), ==,
                   CM_BIDI_LRI "Z654321" CM_BIDI_PDI ", Garage 7, Expired");
  g_object_unref (row);
}

/* At 1280 px the rows stay as wide as the clamp lets them; at 360 px the
 * name still has room. */
static void
test_clamp (AccessFixture *fixture,
            gconstpointer  data)
{
  static const int widths[] = { 1280, 360 };
  CmSpringboardWindow *window;
  GtkWidget *list;

  fill_accounts (fixture->session, 5);
  window = present_springboard (fixture->session);
  list = GTK_WIDGET (cm_springboard_window_get_account_grid (window));
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new ();
      GtkWidget *row;
      GtkWidget *name;

      gtk_window_set_default_size (GTK_WINDOW (window), widths[w], 640);
      wait_for_draw (GTK_WIDGET (window));
      access_flush ();
      wait_for_draw (GTK_WIDGET (window));
      /* Less the window's frame, when the window manager leaves it to GTK. */
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >=, widths[w] - 20);
      collect_rows (list, rows);
      g_assert_cmpuint (rows->len, >, 0);
      row = g_ptr_array_index (rows, 0);
      name = gtk_widget_get_first_child (row);
      g_test_message ("window %d: list %d, row %d, name %d", widths[w],
                      gtk_widget_get_width (list), gtk_widget_get_width (row),
                      gtk_widget_get_width (name));
      g_assert_cmpint (gtk_widget_get_width (list), <=, 840);
      g_assert_cmpint (gtk_widget_get_width (row), <=, 840);
      if (widths[w] > 840)
        g_assert_cmpint (gtk_widget_get_width (list), >=, 800);
      else
        g_assert_cmpint (gtk_widget_get_width (name), >=, 120);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* GTK's test accessibility backend: the accessible names are read back in-process. */
  g_setenv ("GTK_A11Y", "test", TRUE);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, AccessFixture, NULL, access_fixture_setup, func, access_fixture_teardown)

  ADD ("/springboard/10000-accounts-draw-and-filter", test_many_accounts);
  ADD ("/springboard/search/every-field", test_search_fields);
  ADD ("/springboard/search/translated-status-and-type", test_search_translated);
  ADD ("/springboard/search/narrow-and-widen", test_search_narrow_widen);
  ADD ("/springboard/search/waits-for-keys", test_search_waits_for_keys);
  ADD ("/springboard/recycled-row-removes-its-account", test_recycled_row_removes_its_account);
  g_test_add_data_func ("/springboard/row-layout/ltr", GINT_TO_POINTER (GTK_TEXT_DIR_LTR),
                        test_row_layout);
  g_test_add_data_func ("/springboard/row-layout/rtl", GINT_TO_POINTER (GTK_TEXT_DIR_RTL),
                        test_row_layout);
  ADD ("/springboard/empty-status-page", test_empty);
  ADD ("/springboard/menus-open", test_menus);
  ADD ("/springboard/details", test_details);
  ADD ("/springboard/refresh-shows-progress", test_refresh_progress);
  ADD ("/springboard/remove-asks-first", test_remove_asks_first);
  ADD ("/springboard/log-off-clears-keyring", test_log_off_clears_keyring);
  ADD ("/springboard/keyboard/tab-walk", test_tab_walk);
  ADD ("/springboard/keyboard/refresh-keeps-focus", test_refresh_keeps_focus);
  ADD ("/springboard/keyboard/refresh-from-back-end-keeps-focus",
       test_refresh_keeps_focus_from_back_end);
  ADD ("/springboard/a11y/row-names", test_row_names);
  g_test_add_func ("/springboard/a11y/row-name-without-city", test_row_name_no_city);
  ADD ("/springboard/clamp", test_clamp);

  return g_test_run ();
}
