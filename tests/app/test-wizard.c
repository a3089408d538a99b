/* test-wizard.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CmWizard with stub pages, so no real page or server is needed (docs/ui.md,
 * "Tests"): Next follows complete and busy, Back never applies, Escape goes
 * back, hidden pages are skipped, only the current page is visible and takes
 * focus (it lands on its first field, or its first error), the step
 * indicator lists the current flow, Cancel asks first when something was
 * typed and leaves a flow for where it was entered; and pages added lazily
 * are built only when needed or after the first frame.
 */

#define G_LOG_DOMAIN "test-wizard"

#include "config.h"

#include <adwaita.h>

#include "cm-page.h"
#include "cm-stepper-private.h"
#include "cm-wizard-private.h"
#include "shortcut-test-util.h"

/* ---- a stub page whose apply the test finishes by hand ------------------ */

#define TEST_TYPE_STUB_PAGE (test_stub_page_get_type ())
G_DECLARE_FINAL_TYPE (TestStubPage, test_stub_page, TEST, STUB_PAGE, CmPage)

struct _TestStubPage
{
  CmPage    parent_instance;
  GTask    *pending;     /* the apply in flight */
  guint     n_applied;
  guint     n_shown;
  guint     n_reset;
  gboolean  has_input;
};

G_DEFINE_FINAL_TYPE (TestStubPage, test_stub_page, CM_TYPE_PAGE)

static void
stub_apply_async (CmPage              *page,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  TestStubPage *self = TEST_STUB_PAGE (page);

  g_assert_null (self->pending);
  self->n_applied++;
  self->pending = g_task_new (page, cancellable, callback, user_data);
}

static gboolean
stub_apply_finish (CmPage        *page,
                   GAsyncResult  *result,
                   GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
stub_shown (CmPage *page)
{
  TEST_STUB_PAGE (page)->n_shown++;
}

static gboolean
stub_has_input (CmPage *page)
{
  return TEST_STUB_PAGE (page)->has_input;
}

static void
stub_reset (CmPage *page)
{
  TEST_STUB_PAGE (page)->n_reset++;
  TEST_STUB_PAGE (page)->has_input = FALSE;
}

static void
test_stub_page_dispose (GObject *object)
{
  g_clear_object (&TEST_STUB_PAGE (object)->pending);
  G_OBJECT_CLASS (test_stub_page_parent_class)->dispose (object);
}

static void
test_stub_page_class_init (TestStubPageClass *klass)
{
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = test_stub_page_dispose;
  page_class->apply_async = stub_apply_async;
  page_class->apply_finish = stub_apply_finish;
  page_class->shown = stub_shown;
  page_class->has_input = stub_has_input;
  page_class->reset = stub_reset;
}

static void
test_stub_page_init (TestStubPage *self)
{
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}

static TestStubPage *
stub_new (const char *title,
          gboolean    complete)
{
  TestStubPage *page = g_object_new (TEST_TYPE_STUB_PAGE, "title", title, NULL);

  cm_page_set_complete (CM_PAGE (page), complete);
  return page;
}

static void
flush_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Finishes the pending apply of @page with @ok, then lets the callbacks run. */
static void
stub_finish (TestStubPage *page,
             gboolean      ok)
{
  g_autoptr(GTask) task = g_steal_pointer (&page->pending);

  g_assert_nonnull (task);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "stub refused");
  g_clear_object (&task);
  flush_main_context ();
}

/* ---- fixture ------------------------------------------------------------- */

typedef struct
{
  GtkWindow    *window;
  CmWizard     *wizard;
  TestStubPage *pages[4];

  /* lazy fixture: what the factory did and will do, per page */
  guint         n_built[4];
  gboolean      hidden[4];     /* built hidden */
  const char   *needs[4];      /* another page the factory asks for first */
} Fixture;

static const char *page_names[] = { "one", "two", "three", "end" };

static gboolean have_display;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  if (!have_display)
    return;

  fixture->window = GTK_WINDOW (adw_window_new ());
  fixture->wizard = cm_wizard_new ();
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      fixture->pages[i] = stub_new (page_names[i], FALSE);
      cm_wizard_add_page (fixture->wizard, page_names[i], CM_PAGE (fixture->pages[i]));
    }
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->wizard));
  gtk_window_set_default_size (fixture->window, 600, 500);
  gtk_window_present (fixture->window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  flush_main_context ();
}

static gboolean
skip_without_display (void)
{
  if (!have_display)
    g_test_skip ("No display: run the suite inside scripts/headless-session");
  return !have_display;
}

static GtkWidget *
next_button (Fixture *fixture)
{
  return cm_wizard_get_next_button (fixture->wizard);
}

static GtkWidget *
template_child (Fixture    *fixture,
                const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->wizard),
                                                    CM_TYPE_WIZARD, name));
}

static CmPage *
build_stub_cb (CmWizard   *wizard,
               const char *name,
               gpointer    user_data)
{
  Fixture *fixture = user_data;
  guint i;

  for (i = 0; g_strcmp0 (page_names[i], name) != 0; i++)
    g_assert_cmpuint (i, <, G_N_ELEMENTS (page_names) - 1);

  fixture->n_built[i]++;
  if (fixture->needs[i] != NULL)
    g_assert_nonnull (cm_wizard_get_page (wizard, fixture->needs[i]));
  fixture->pages[i] = stub_new (name, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (fixture->pages[i]), !fixture->hidden[i]);

  return CM_PAGE (fixture->pages[i]);
}

/* The same four pages, all added lazily, in a window not shown yet: nothing
 * builds a page behind the test's back. */
static void
lazy_fixture_setup (Fixture       *fixture,
                    gconstpointer  data)
{
  if (!have_display)
    return;

  fixture->window = GTK_WINDOW (adw_window_new ());
  fixture->wizard = cm_wizard_new ();
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    cm_wizard_add_page_lazy (fixture->wizard, page_names[i], build_stub_cb, fixture);
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->wizard));
  gtk_window_set_default_size (fixture->window, 600, 500);
}

static void
present (Fixture *fixture)
{
  gtk_window_present (fixture->window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
}

static guint
count_built (Fixture *fixture)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    n += cm_wizard_peek_page (fixture->wizard, page_names[i]) != NULL;

  return n;
}

static GtkWidget *
nth_stack_child (GtkStack *stack,
                 guint     n)
{
  g_autoptr(GListModel) pages = G_LIST_MODEL (gtk_stack_get_pages (stack));
  g_autoptr(GObject) page = g_list_model_get_item (pages, n);

  return page != NULL ? gtk_stack_page_get_child (GTK_STACK_PAGE (page)) : NULL;
}

/* Each built page sits in its own child of the stack, in the order added. */
static void
assert_pages_in_order (Fixture *fixture)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->wizard),
                                                              CM_TYPE_WIZARD, "stack"));

  g_autoptr(GListModel) pages = G_LIST_MODEL (gtk_stack_get_pages (stack));

  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, G_N_ELEMENTS (page_names));
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      CmPage *page = cm_wizard_peek_page (fixture->wizard, page_names[i]);

      if (page != NULL)
        g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (page), nth_stack_child (stack, i)));
    }
}

/* Only the current page is visible on screen (so only it takes focus, keys,
 * mnemonics and is read by a screen reader); the others are hidden. */
static void
assert_only_current_shown (Fixture *fixture)
{
  CmPage *current = cm_wizard_get_current_page (fixture->wizard);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      CmPage *page = cm_wizard_peek_page (fixture->wizard, page_names[i]);

      if (page == NULL)
        continue;
      g_assert_cmpint (gtk_widget_is_visible (GTK_WIDGET (page)), ==, page == current);
      g_assert_cmpint (gtk_widget_get_mapped (GTK_WIDGET (page)), ==,
                       page == current && gtk_widget_get_mapped (GTK_WIDGET (fixture->wizard)));
    }
}

/* ---- tests --------------------------------------------------------------- */

static void
test_next_insensitive_until_complete (Fixture       *fixture,
                                      gconstpointer  data)
{
  if (skip_without_display ())
    return;

  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));
  g_assert_false (gtk_widget_get_sensitive (next_button (fixture)));

  /* Next does nothing on an incomplete page, even when forced. */
  cm_wizard_next (fixture->wizard);
  g_assert_cmpuint (fixture->pages[0]->n_applied, ==, 0);

  cm_page_set_complete (CM_PAGE (fixture->pages[0]), TRUE);
  g_assert_true (gtk_widget_get_sensitive (next_button (fixture)));

  cm_page_set_complete (CM_PAGE (fixture->pages[0]), FALSE);
  g_assert_false (gtk_widget_get_sensitive (next_button (fixture)));
}

static void
test_next_insensitive_while_busy (Fixture       *fixture,
                                  gconstpointer  data)
{
  GtkWidget *spinner;

  if (skip_without_display ())
    return;

  spinner = template_child (fixture, "spinner");
  cm_page_set_complete (CM_PAGE (fixture->pages[0]), TRUE);
  g_assert_false (gtk_widget_get_visible (spinner));

  /* The page's own busy state (e.g. loading) also blocks Next. */
  cm_page_set_busy (CM_PAGE (fixture->pages[0]), TRUE);
  g_assert_false (gtk_widget_get_sensitive (next_button (fixture)));
  g_assert_true (gtk_widget_get_visible (spinner));
  cm_page_set_busy (CM_PAGE (fixture->pages[0]), FALSE);
  g_assert_true (gtk_widget_get_sensitive (next_button (fixture)));

  /* While the apply runs: busy, insensitive, spinning; a second Next is ignored. */
  g_signal_emit_by_name (next_button (fixture), "clicked");
  g_assert_cmpuint (fixture->pages[0]->n_applied, ==, 1);
  g_assert_true (cm_page_get_busy (CM_PAGE (fixture->pages[0])));
  g_assert_false (gtk_widget_get_sensitive (next_button (fixture)));
  g_assert_true (gtk_widget_get_visible (spinner));
  cm_wizard_next (fixture->wizard);
  g_assert_cmpuint (fixture->pages[0]->n_applied, ==, 1);
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));

  stub_finish (fixture->pages[0], TRUE);
  g_assert_false (cm_page_get_busy (CM_PAGE (fixture->pages[0])));
  g_assert_false (gtk_widget_get_visible (spinner));
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[1]));
  g_assert_cmpuint (fixture->pages[1]->n_shown, ==, 1);
}

static void
test_failed_apply_stays (Fixture       *fixture,
                         gconstpointer  data)
{
  if (skip_without_display ())
    return;

  cm_page_set_complete (CM_PAGE (fixture->pages[0]), TRUE);
  cm_wizard_next (fixture->wizard);
  stub_finish (fixture->pages[0], FALSE);

  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));
  g_assert_true (gtk_widget_get_sensitive (next_button (fixture)));
}

static void
test_back_never_applies (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *back;

  if (skip_without_display ())
    return;

  back = template_child (fixture, "back_button");
  g_assert_false (gtk_widget_get_visible (back));

  cm_page_set_complete (CM_PAGE (fixture->pages[0]), TRUE);
  cm_wizard_next (fixture->wizard);
  stub_finish (fixture->pages[0], TRUE);
  g_assert_true (gtk_widget_get_visible (back));

  g_signal_emit_by_name (back, "clicked");
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));
  g_assert_cmpuint (fixture->pages[0]->n_applied, ==, 1);
  g_assert_cmpuint (fixture->pages[1]->n_applied, ==, 0);
  g_assert_false (gtk_widget_get_visible (back));
  /* Nothing left to go back to. */
  g_assert_false (cm_wizard_back (fixture->wizard));
}

static void
test_escape_goes_back (Fixture       *fixture,
                       gconstpointer  data)
{
  if (skip_without_display ())
    return;

  cm_page_set_complete (CM_PAGE (fixture->pages[0]), TRUE);
  cm_wizard_next (fixture->wizard);
  stub_finish (fixture->pages[0], TRUE);
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[1]));

  gtk_widget_grab_focus (GTK_WIDGET (fixture->pages[1]));
  /* The key binding runs the same action as Back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->pages[1]), "wizard.back",
                                             NULL));
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));

  /* And Escape is bound to that action on the wizard. */
  {
    g_autoptr(GHashTable) keys = shortcut_test_keys_of (GTK_WIDGET (fixture->wizard));

    g_assert_true (g_hash_table_contains (keys, "Escape wizard.back"));
  }
}

static void
test_only_current_shown (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *focus;

  if (skip_without_display ())
    return;

  assert_pages_in_order (fixture);
  assert_only_current_shown (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      g_assert_true (cm_wizard_go_to (fixture->wizard, page_names[i]));
      assert_only_current_shown (fixture);
      /* Focus is on the page arrived at (the stub page itself takes it). */
      focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
      g_assert_true (focus == GTK_WIDGET (fixture->pages[i]));
      /* Tab never reaches a hidden page. */
      for (guint j = 0; j < 12; j++)
        {
          g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window),
                                                 GTK_DIR_TAB_FORWARD));
          focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
          for (guint k = 0; k < G_N_ELEMENTS (page_names); k++)
            if (k != i)
              g_assert_false (focus == GTK_WIDGET (fixture->pages[k]));
        }
    }
}

static void
on_transition_running_cb (GtkStack *stack,
                          GParamSpec *pspec,
                          gboolean *running)
{
  *running = gtk_stack_get_transition_running (stack);
}

/* With animations on, the pages slide, and the one left is hidden once the
 * slide ends. */
static void
test_slide_then_hide (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkStack *stack;
  gboolean running = FALSE;

  if (skip_without_display ())
    return;

  stack = GTK_STACK (template_child (fixture, "stack"));
  g_signal_connect (stack, "notify::transition-running",
                    G_CALLBACK (on_transition_running_cb), &running);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  g_assert_true (cm_wizard_go_to (fixture->wizard, "two"));
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_assert_cmpint (gtk_stack_get_transition_type (stack), ==,
                   GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT);
  if (running)
    {
      /* Both on screen while sliding; the old one no longer takes focus. */
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->pages[0])));
      g_assert_false (gtk_widget_get_can_focus (gtk_widget_get_parent (
                                                  GTK_WIDGET (fixture->pages[0]))));
      while (running)
        g_main_context_iteration (NULL, TRUE);
    }
  assert_only_current_shown (fixture);

  /* Back slides the other way, and right to left mirrors both. */
  gtk_widget_set_direction (GTK_WIDGET (fixture->wizard), GTK_TEXT_DIR_RTL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  g_assert_true (cm_wizard_back (fixture->wizard));
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_assert_cmpint (gtk_stack_get_transition_type (stack), ==,
                   GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT);
  while (running)
    g_main_context_iteration (NULL, TRUE);
  assert_only_current_shown (fixture);

  /* No animation: nothing slides. */
  g_assert_true (cm_wizard_go_to (fixture->wizard, "three"));
  g_assert_cmpint (gtk_stack_get_transition_type (stack), ==, GTK_STACK_TRANSITION_TYPE_NONE);
  assert_only_current_shown (fixture);
  g_signal_handlers_disconnect_by_data (stack, &running);
}

static void
test_hidden_pages_skipped (Fixture       *fixture,
                           gconstpointer  data)
{
  if (skip_without_display ())
    return;

  gtk_widget_set_visible (GTK_WIDGET (fixture->pages[1]), FALSE);
  cm_page_set_complete (CM_PAGE (fixture->pages[0]), TRUE);
  cm_wizard_next (fixture->wizard);
  stub_finish (fixture->pages[0], TRUE);

  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[2]));
  g_assert_cmpuint (fixture->pages[1]->n_shown, ==, 0);
}

static void
test_next_page_and_go_to (Fixture       *fixture,
                          gconstpointer  data)
{
  if (skip_without_display ())
    return;

  /* A page may name where Next goes (sign-in -> access options). */
  cm_page_set_next_page (CM_PAGE (fixture->pages[0]), "three");
  cm_page_set_complete (CM_PAGE (fixture->pages[0]), TRUE);
  cm_wizard_next (fixture->wizard);
  stub_finish (fixture->pages[0], TRUE);
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[2]));

  /* Back follows the path taken, not the carousel order. */
  g_assert_true (cm_wizard_back (fixture->wizard));
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));

  /* go-to (Sign Up, Forgot password) moves without applying. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->pages[0]), "wizard.go-to",
                                             "s", "two"));
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[1]));
  g_assert_cmpuint (fixture->pages[0]->n_applied, ==, 1);
  g_assert_cmpstr (cm_wizard_get_current_name (fixture->wizard), ==, "two");
}

static void
test_final_page_hides_navigation (Fixture       *fixture,
                                  gconstpointer  data)
{
  if (skip_without_display ())
    return;

  cm_page_set_next_page (CM_PAGE (fixture->pages[0]), "end");
  cm_page_set_complete (CM_PAGE (fixture->pages[0]), TRUE);
  cm_wizard_next (fixture->wizard);
  stub_finish (fixture->pages[0], TRUE);

  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[3]));
  g_assert_false (gtk_widget_get_visible (template_child (fixture, "back_button")));
  g_assert_false (gtk_widget_get_visible (next_button (fixture)));
  g_assert_false (gtk_widget_get_visible (template_child (fixture, "cancel_button")));
  g_assert_false (cm_wizard_back (fixture->wizard));
}

static void
on_cancelled_cb (CmWizard *wizard,
                 guint    *count)
{
  (*count)++;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static void
test_cancel_asks_when_typed (Fixture       *fixture,
                             gconstpointer  data)
{
  AdwMessageDialog *dialog;
  guint cancelled = 0;

  if (skip_without_display ())
    return;

  g_signal_connect (fixture->wizard, "cancelled", G_CALLBACK (on_cancelled_cb), &cancelled);
  g_assert_true (cm_wizard_go_to (fixture->wizard, "two"));
  g_assert_true (gtk_widget_get_visible (template_child (fixture, "cancel_button")));

  /* Nothing typed: cancel at once, back to the first page. */
  cm_wizard_cancel (fixture->wizard);
  g_assert_cmpuint (cancelled, ==, 1);
  g_assert_null (find_message_dialog ());
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));

  /* Something typed: ask; "keep" changes nothing. */
  g_assert_true (cm_wizard_go_to (fixture->wizard, "two"));
  fixture->pages[1]->has_input = TRUE;
  cm_wizard_cancel (fixture->wizard);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "keep");
  flush_main_context ();
  g_assert_cmpuint (cancelled, ==, 1);
  g_assert_true (fixture->pages[1]->has_input);
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[1]));

  /* "discard" resets every page. */
  cm_wizard_cancel (fixture->wizard);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  flush_main_context ();
  g_assert_cmpuint (cancelled, ==, 2);
  g_assert_false (fixture->pages[1]->has_input);
  g_assert_cmpuint (fixture->pages[1]->n_reset, >=, 1);
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));
}

static void
test_title_follows_page (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkLabel *title;

  if (skip_without_display ())
    return;

  /* Under the header bar, where it wraps rather than being cut at 360 px. */
  title = GTK_LABEL (template_child (fixture, "title_label"));
  g_assert_true (gtk_label_get_wrap (title));
  g_assert_cmpstr (gtk_label_get_label (title), ==, "one");
  cm_wizard_go_to (fixture->wizard, "three");
  g_assert_cmpstr (gtk_label_get_label (title), ==, "three");
  cm_page_set_title (CM_PAGE (fixture->pages[2]), "renamed");
  g_assert_cmpstr (gtk_label_get_label (title), ==, "renamed");
}

static void
test_accessible_labels (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char *buttons[] = { "cancel_button", "next_button" };
  GtkWidget *back;

  if (skip_without_display ())
    return;

  /* Each button carries a mnemonic and is named as the slides name it. */
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkButton *button = GTK_BUTTON (template_child (fixture, buttons[i]));

      g_assert_true (gtk_button_get_use_underline (button));
      g_assert_nonnull (strchr (gtk_button_get_label (button), '_'));
    }
  /* Their accessible name comes from that label (an explicit one would be
   * read twice by GTK 4.8's AT-SPI bridge). */
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (next_button (fixture))), ==, "_Next");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (template_child (fixture, "cancel_button"))),
                   ==, "_Cancel");
  /* Back is an arrow (the header fits 360 px), named for screen readers. */
  back = template_child (fixture, "back_button");
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (back)), ==, "go-previous-symbolic");
  gtk_test_accessible_assert_property (back, GTK_ACCESSIBLE_PROPERTY_LABEL, "Back");
}

static TestStubPage *
flow_stub_new (const char *title,
               const char *flow,
               const char *step)
{
  return g_object_new (TEST_TYPE_STUB_PAGE, "title", title, "flow", flow, "step", step, NULL);
}

/* Cancel in a flow resets the flow and goes back to where it was entered;
 * the step indicator lists the flow's steps. */
static void
test_cancel_in_flow (Fixture       *fixture,
                     gconstpointer  data)
{
  CmWizard *wizard;
  GtkWindow *window;
  TestStubPage *start, *a, *b;
  GtkWidget *stepper;
  guint cancelled = 0;

  if (skip_without_display ())
    return;

  window = GTK_WINDOW (adw_window_new ());
  wizard = cm_wizard_new ();
  start = stub_new ("start", TRUE);
  a = flow_stub_new ("a", "flow", "STEP A");
  b = flow_stub_new ("b", "flow", "STEP B");
  cm_wizard_add_page (wizard, "start", CM_PAGE (start));
  cm_wizard_add_page (wizard, "a", CM_PAGE (a));
  cm_wizard_add_page (wizard, "b", CM_PAGE (b));
  cm_wizard_add_page (wizard, "end", CM_PAGE (stub_new ("end", FALSE)));
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (wizard));
  g_signal_connect (wizard, "cancelled", G_CALLBACK (on_cancelled_cb), &cancelled);
  stepper = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (wizard), CM_TYPE_WIZARD,
                                                       "stepper"));

  /* Outside a flow: no steps. */
  g_assert_false (gtk_widget_get_visible (stepper));
  g_assert_true (cm_wizard_go_to (wizard, "a"));
  g_assert_true (cm_wizard_go_to (wizard, "b"));
  g_assert_true (gtk_widget_get_visible (stepper));
  g_assert_cmpuint (cm_stepper_get_n_steps (CM_STEPPER (stepper)), ==, 2);
  g_assert_cmpuint (cm_stepper_get_current (CM_STEPPER (stepper)), ==, 1);
  gtk_test_accessible_assert_property (stepper, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Step 2 of 2: STEP B");

  cm_wizard_cancel (wizard);
  g_assert_true (cm_wizard_get_current_page (wizard) == CM_PAGE (start));
  g_assert_cmpuint (a->n_reset, ==, 1);
  g_assert_cmpuint (b->n_reset, ==, 1);
  g_assert_cmpuint (start->n_reset, ==, 0);
  g_assert_cmpuint (cancelled, ==, 0);
  g_assert_false (gtk_widget_get_visible (stepper));
  gtk_window_destroy (window);

  /* A wizard holding only the flow: nowhere to go back to. */
  window = GTK_WINDOW (adw_window_new ());
  wizard = cm_wizard_new ();
  a = flow_stub_new ("a", "flow", "STEP A");
  cm_wizard_add_page (wizard, "a", CM_PAGE (a));
  cm_wizard_add_page (wizard, "b", CM_PAGE (flow_stub_new ("b", "flow", "STEP B")));
  cm_wizard_add_page (wizard, "end", CM_PAGE (stub_new ("end", FALSE)));
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (wizard));
  g_signal_connect (wizard, "cancelled", G_CALLBACK (on_cancelled_cb), &cancelled);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (
                                           GTK_WIDGET (wizard), CM_TYPE_WIZARD, "cancel_button"))));
  cm_wizard_cancel (wizard);
  g_assert_cmpuint (cancelled, ==, 1);
  g_assert_cmpuint (a->n_reset, ==, 1);
  gtk_window_destroy (window);
  flush_main_context ();
}

/* Steps of a flow entered from the final page (Account Access Options in
 * the main window, the last page added): Next shows again and is the
 * window's default, so Enter in a field presses it; a flow's last step,
 * even added last, keeps Next (its label as the page says) and Cancel. */
static void
test_flow_after_final_page (Fixture       *fixture,
                            gconstpointer  data)
{
  CmWizard *wizard;
  GtkWindow *window;
  TestStubPage *b;
  GtkWidget *next;

  if (skip_without_display ())
    return;

  window = GTK_WINDOW (adw_window_new ());
  wizard = cm_wizard_new ();
  next = cm_wizard_get_next_button (wizard);
  cm_wizard_add_page (wizard, "start", CM_PAGE (stub_new ("start", FALSE)));
  cm_wizard_add_page (wizard, "a", CM_PAGE (flow_stub_new ("a", "flow", "STEP A")));
  cm_wizard_add_page (wizard, "hub", CM_PAGE (stub_new ("hub", FALSE)));
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (wizard));
  gtk_window_present (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_window_get_default_widget (window) == next);

  g_assert_true (cm_wizard_go_to (wizard, "hub"));
  g_assert_false (gtk_widget_get_visible (next));
  g_assert_true (cm_wizard_go_to (wizard, "a"));
  g_assert_true (gtk_widget_get_visible (next));
  g_assert_true (gtk_window_get_default_widget (window) == next);
  gtk_window_destroy (window);

  window = GTK_WINDOW (adw_window_new ());
  wizard = cm_wizard_new ();
  next = cm_wizard_get_next_button (wizard);
  b = flow_stub_new ("b", "flow", "STEP B");
  cm_page_set_next_label (CM_PAGE (b), "_OK");
  cm_wizard_add_page (wizard, "a", CM_PAGE (flow_stub_new ("a", "flow", "STEP A")));
  cm_wizard_add_page (wizard, "b", CM_PAGE (b));
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (wizard));
  gtk_window_present (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (next)), ==, "_Next");
  g_assert_true (cm_wizard_go_to (wizard, "b"));
  g_assert_true (gtk_widget_get_visible (next));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (
                                           GTK_WIDGET (wizard), CM_TYPE_WIZARD, "cancel_button"))));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (next)), ==, "_OK");
  /* Named by its visible words alone, not "_OK OK". */
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (next),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL));
  g_assert_true (cm_wizard_back (wizard));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (next)), ==, "_Next");
  gtk_window_destroy (window);
  flush_main_context ();
}

/* ---- lazy pages ------------------------------------------------------------ */

static void
test_lazy_not_built_until_needed (Fixture       *fixture,
                                  gconstpointer  data)
{
  if (skip_without_display ())
    return;

  /* The first page is shown first, so it is built at once; no other. */
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));
  g_assert_cmpuint (count_built (fixture), ==, 1);
  g_assert_null (cm_wizard_peek_page (fixture->wizard, "three"));
  g_assert_null (fixture->pages[2]);
  /* Yet every step has its place: the dots and the last page are as before. */
  assert_pages_in_order (fixture);
  g_assert_true (gtk_widget_get_visible (next_button (fixture)));

  /* Asking for a page builds it, once. */
  g_assert_true (cm_wizard_get_page (fixture->wizard, "three") == CM_PAGE (fixture->pages[2]));
  g_assert_true (cm_wizard_get_page (fixture->wizard, "three") == CM_PAGE (fixture->pages[2]));
  g_assert_true (cm_wizard_peek_page (fixture->wizard, "three") == CM_PAGE (fixture->pages[2]));
  g_assert_cmpuint (fixture->n_built[2], ==, 1);
  g_assert_cmpuint (count_built (fixture), ==, 2);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (fixture->pages[2])), ==, "three");
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));
  g_assert_null (cm_wizard_get_page (fixture->wizard, "no-such-page"));
  assert_pages_in_order (fixture);
}

static void
test_lazy_go_to_builds_in_order (Fixture       *fixture,
                                 gconstpointer  data)
{
  if (skip_without_display ())
    return;

  present (fixture);

  g_assert_true (cm_wizard_go_to (fixture->wizard, "three"));
  g_assert_nonnull (fixture->pages[2]);
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[2]));
  g_assert_cmpuint (fixture->pages[2]->n_shown, ==, 1);
  assert_pages_in_order (fixture);

  g_assert_true (cm_wizard_go_to (fixture->wizard, "two"));
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[1]));
  assert_pages_in_order (fixture);

  /* The stack shows the page, not an empty step. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  flush_main_context ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->pages[1])));
  assert_only_current_shown (fixture);

  /* Back follows the path: two -> three -> one. */
  g_assert_true (cm_wizard_back (fixture->wizard));
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[2]));
  g_assert_true (cm_wizard_back (fixture->wizard));
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (fixture->n_built[i], ==, 1);
}

static void
test_lazy_go_to_before_shown (Fixture       *fixture,
                              gconstpointer  data)
{
  if (skip_without_display ())
    return;

  /* As a resumed sign-up or a restored session does: going to a page
   * before the window is shown. */
  g_assert_true (cm_wizard_go_to (fixture->wizard, "three"));
  flush_main_context ();
  present (fixture);
  flush_main_context ();
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));

  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[2]));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->pages[2])));
  assert_only_current_shown (fixture);
}

static void
test_lazy_next_skips_hidden (Fixture       *fixture,
                             gconstpointer  data)
{
  if (skip_without_display ())
    return;

  /* Whether "two" is hidden is known once it is built: Next builds it to see. */
  fixture->hidden[1] = TRUE;
  present (fixture);
  cm_page_set_complete (CM_PAGE (fixture->pages[0]), TRUE);
  cm_wizard_next (fixture->wizard);
  stub_finish (fixture->pages[0], TRUE);

  g_assert_nonnull (fixture->pages[1]);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->pages[1])));
  g_assert_cmpuint (fixture->pages[1]->n_shown, ==, 0);
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[2]));
  g_assert_true (cm_wizard_back (fixture->wizard));
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));
  assert_pages_in_order (fixture);
}

static void
test_lazy_next_page_to_last (Fixture       *fixture,
                             gconstpointer  data)
{
  if (skip_without_display ())
    return;

  /* next-page names a lazy last page: built, shown, and the end of the wizard. */
  cm_page_set_next_page (CM_PAGE (fixture->pages[0]), "end");
  cm_page_set_complete (CM_PAGE (fixture->pages[0]), TRUE);
  cm_wizard_next (fixture->wizard);
  stub_finish (fixture->pages[0], TRUE);

  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[3]));
  g_assert_false (gtk_widget_get_visible (next_button (fixture)));
  g_assert_false (cm_wizard_back (fixture->wizard));
  g_assert_null (fixture->pages[1]);
  g_assert_null (fixture->pages[2]);
}

static void
test_lazy_factory_needs_other_page (Fixture       *fixture,
                                    gconstpointer  data)
{
  if (skip_without_display ())
    return;

  /* As the security page needs the profile page. */
  fixture->needs[2] = "two";
  g_assert_nonnull (cm_wizard_get_page (fixture->wizard, "three"));
  g_assert_cmpuint (fixture->n_built[1], ==, 1);
  g_assert_cmpuint (fixture->n_built[2], ==, 1);
  g_assert_null (fixture->pages[3]);
  assert_pages_in_order (fixture);
}

static void
test_lazy_reset_builds_nothing (Fixture       *fixture,
                                gconstpointer  data)
{
  guint cancelled = 0;

  if (skip_without_display ())
    return;

  g_assert_true (cm_wizard_go_to (fixture->wizard, "three"));
  fixture->pages[2]->has_input = TRUE;

  /* Reset empties the pages built so far and builds no other. */
  cm_wizard_reset (fixture->wizard);
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[0]));
  g_assert_cmpuint (fixture->pages[0]->n_reset, ==, 1);
  g_assert_cmpuint (fixture->pages[2]->n_reset, ==, 1);
  g_assert_false (fixture->pages[2]->has_input);
  g_assert_cmpuint (count_built (fixture), ==, 2);

  /* Cancel asks the built pages only whether something was typed. */
  g_signal_connect (fixture->wizard, "cancelled", G_CALLBACK (on_cancelled_cb), &cancelled);
  g_assert_true (cm_wizard_go_to (fixture->wizard, "three"));
  cm_wizard_cancel (fixture->wizard);
  g_assert_cmpuint (cancelled, ==, 1);
  g_assert_cmpuint (count_built (fixture), ==, 2);
  g_assert_null (fixture->pages[1]);
  g_assert_null (fixture->pages[3]);
}

typedef struct
{
  guint    n_frames;
  gboolean expired;
} Watch;

static void
on_after_paint_count_cb (GdkFrameClock *frame_clock,
                         Watch         *watch)
{
  watch->n_frames++;
}

static gboolean
expire_cb (gpointer user_data)
{
  ((Watch *) user_data)->expired = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_lazy_frames_build_nothing (Fixture       *fixture,
                                gconstpointer  data)
{
  Watch watch = { 0, FALSE };
  GdkFrameClock *frame_clock;
  guint guard_id;
  gulong paint_id;

  if (skip_without_display ())
    return;

  gtk_window_present (fixture->window);
  g_assert_cmpuint (count_built (fixture), ==, 1);

  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->window));
  g_assert_nonnull (frame_clock);
  paint_id = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint_count_cb),
                               &watch);
  /* Not a timing check: only a bound, so a missing frame fails instead of hanging. */
  guard_id = g_timeout_add_seconds (20, expire_cb, &watch);

  /* Frames come and the loop goes idle: no page is built ahead of time
   * (issue 16: they cost memory most starts never use). */
  while (watch.n_frames < 3 && !watch.expired)
    {
      gtk_widget_queue_draw (GTK_WIDGET (fixture->window));
      g_main_context_iteration (NULL, TRUE);
    }
  flush_main_context ();
  g_assert_false (watch.expired);
  g_clear_handle_id (&guard_id, g_source_remove);
  g_signal_handler_disconnect (frame_clock, paint_id);
  g_assert_cmpuint (count_built (fixture), ==, 1);

  /* Next builds the page it goes to, and no other. */
  cm_page_set_complete (CM_PAGE (fixture->pages[0]), TRUE);
  cm_wizard_next (fixture->wizard);
  stub_finish (fixture->pages[0], TRUE);
  flush_main_context ();
  g_assert_true (cm_wizard_get_current_page (fixture->wizard) == CM_PAGE (fixture->pages[1]));
  g_assert_cmpuint (count_built (fixture), ==, 2);
  g_assert_null (fixture->pages[2]);
}

static gboolean
stepper_width_is_cb (gpointer data)
{
  GtkWidget *window = data;
  int wanted = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "wanted-width"));

  return gtk_widget_get_width (window) == wanted;
}

/* Not a timing check: only a bound, so a window that never gets the width
 * fails instead of hanging. */
static void
show_stepper_at (GtkWidget *window,
                 int        width)
{
  Watch watch = { 0 };
  guint guard_id;

  gtk_window_set_default_size (GTK_WINDOW (window), width, 200);
  g_object_set_data (G_OBJECT (window), "wanted-width", GINT_TO_POINTER (width));
  gtk_window_present (GTK_WINDOW (window));
  guard_id = g_timeout_add_seconds (20, expire_cb, &watch);
  while (!stepper_width_is_cb (window) && !watch.expired)
    g_main_context_iteration (NULL, TRUE);
  if (!watch.expired)
    g_source_remove (guard_id);
  g_assert_cmpint (gtk_widget_get_width (window), ==, width);
  gtk_test_widget_wait_for_draw (window);
}

/* Six steps do not fit 360 px even with every name wrapped between words:
 * the stepper then shows one line, the words a screen reader hears, rather
 * than names broken inside a word; in a wide window, the row again. */
static void
test_stepper_compact_when_narrow (Fixture       *fixture,
                                  gconstpointer  data)
{
  static const char * const steps[] = { "SELECT", "ACCOUNT INFO", "ACCOUNT DETAILS",
                                        "EMAIL OPTION", "SUMMARY", "CONFIRMATION", NULL };
  GtkWidget *window;
  GtkWidget *row;
  CmStepper *stepper;

  if (skip_without_display ())
    return;

  window = gtk_window_new ();
  stepper = cm_stepper_new (steps);
  /* The row of steps: the squeezer's first child. */
  row = gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (stepper)));
  g_assert_true (GTK_IS_BOX (row));
  cm_stepper_set_current (stepper, 1);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (stepper));

  show_stepper_at (window, 360);
  g_assert_cmpstr (cm_stepper_get_compact_text (stepper), ==, "Step 2 of 6: ACCOUNT INFO");
  gtk_test_accessible_assert_property (stepper, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Step 2 of 6: ACCOUNT INFO");
  /* Nor are the six steps nobody sees in the accessible tree. */
  gtk_test_accessible_assert_state (row, GTK_ACCESSIBLE_STATE_HIDDEN, TRUE);
  cm_stepper_set_current (stepper, 5);
  g_assert_cmpstr (cm_stepper_get_compact_text (stepper), ==, "Step 6 of 6: CONFIRMATION");

  show_stepper_at (window, 1000);
  g_assert_null (cm_stepper_get_compact_text (stepper));
  gtk_test_accessible_assert_state (row, GTK_ACCESSIBLE_STATE_HIDDEN, FALSE);
  gtk_test_accessible_assert_property (stepper, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Step 6 of 6: CONFIRMATION");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* The test accessibility backend, so accessible names and states can be checked. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/wizard/next/insensitive-until-complete", test_next_insensitive_until_complete);
  ADD ("/wizard/next/insensitive-while-busy", test_next_insensitive_while_busy);
  ADD ("/wizard/next/failed-apply-stays", test_failed_apply_stays);
  ADD ("/wizard/back/never-applies", test_back_never_applies);
  ADD ("/wizard/back/escape", test_escape_goes_back);
  ADD ("/wizard/stack/only-current-shown", test_only_current_shown);
  ADD ("/wizard/stack/slide-then-hide", test_slide_then_hide);
  ADD ("/wizard/next/hidden-pages-skipped", test_hidden_pages_skipped);
  ADD ("/wizard/next/next-page-and-go-to", test_next_page_and_go_to);
  ADD ("/wizard/final-page-hides-navigation", test_final_page_hides_navigation);
  ADD ("/wizard/cancel/asks-when-typed", test_cancel_asks_when_typed);
  ADD ("/wizard/cancel/in-flow", test_cancel_in_flow);
  ADD ("/wizard/flow/after-final-page", test_flow_after_final_page);
  ADD ("/wizard/title-follows-page", test_title_follows_page);
  ADD ("/wizard/accessible-labels", test_accessible_labels);
  ADD ("/wizard/stepper/compact-when-narrow", test_stepper_compact_when_narrow);
#undef ADD
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, lazy_fixture_setup, func, fixture_teardown)
  ADD ("/wizard/lazy/not-built-until-needed", test_lazy_not_built_until_needed);
  ADD ("/wizard/lazy/go-to-builds-in-order", test_lazy_go_to_builds_in_order);
  ADD ("/wizard/lazy/go-to-before-shown", test_lazy_go_to_before_shown);
  ADD ("/wizard/lazy/next-skips-hidden", test_lazy_next_skips_hidden);
  ADD ("/wizard/lazy/next-page-to-last", test_lazy_next_page_to_last);
  ADD ("/wizard/lazy/factory-needs-other-page", test_lazy_factory_needs_other_page);
  ADD ("/wizard/lazy/reset-builds-nothing", test_lazy_reset_builds_nothing);
  ADD ("/wizard/lazy/frames-build-nothing", test_lazy_frames_build_nothing);
#undef ADD

  return g_test_run ();
}
