/* test-account-search.c: the springboard's search model (cm-account-search.c).
 *
 * What the grid view sees of the model is only what items-changed tells it,
 * so each test keeps a copy built from the signals alone and checks it
 * against the model and against a search made from scratch, after searches
 * and after the accounts change under a search, in a seeded random walk.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>

#include "cm-account.h"
#include "cm-account-search-private.h"

static const char *names[] = { "Garage 1", "José's Garage", "STRASSE Motors", "Straße Motors",
                               "مرآب الحسن", "Lansing Auto", "garage 12", "Bob" };
static const char *cities[] = { "Lansing", "Detroit", "Grand Rapids", "", "Flint" };
static const char *searches[] = { "", "g", "ga", "garage", "garage 1", "garage 12", "jose",
                                  "strasse", "مرآب", "z00", "z0001", "lansing", "active",
                                  "susp", "school", "  garage  ", "nothing at all" };

static guint next_number;

static CmAccount *
new_account (GRand *rand)
{
  g_autofree char *number = g_strdup_printf ("Z%06u", next_number++);

  return cm_account_new (g_rand_boolean (rand) ? "mechanic" : "mechanic_school", number,
                         names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))],
                         g_rand_boolean (rand) ? "active" : "suspended",
                         cities[g_rand_int_range (rand, 0, G_N_ELEMENTS (cities))], NULL, NULL);
}

/* The model as the signals describe it. */
static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GPtrArray  *copy)
{
  g_assert_cmpuint (position + removed, <=, copy->len);
  g_assert_true (removed > 0 || added > 0);
  g_ptr_array_remove_range (copy, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (copy, position + i, g_list_model_get_item (model, position + i));
}

static void
assert_same_items (GListModel *model,
                   GPtrArray  *items)
{
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, items->len);
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(CmAccount) account = g_list_model_get_item (model, i);

      g_assert_true (account == g_ptr_array_index (items, i));
    }
  g_assert_null (g_list_model_get_item (model, items->len));
}

/* What a new search model over the same accounts shows for @text. */
static GPtrArray *
search_from_scratch (GListModel *accounts,
                     const char *text)
{
  g_autoptr(CmAccountSearch) fresh = cm_account_search_new (accounts);
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  cm_account_search_set_text (fresh, text);
  cm_account_search_finish_waiting (fresh);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fresh)); i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (fresh), i));
  return items;
}

static void
assert_same_accounts (GPtrArray *found,
                      GPtrArray *expected)
{
  g_assert_cmpuint (found->len, ==, expected->len);
  for (guint i = 0; i < found->len; i++)
    g_assert_true (g_ptr_array_index (found, i) == g_ptr_array_index (expected, i));
}

/* @data: the keys made per turn of the main loop; a small number makes
 * searches wait for keys (cm_account_search_is_waiting()) all the time. */
static void
test_random_walk (gconstpointer data)
{
  guint keys_per_turn = GPOINTER_TO_UINT (data);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);
  g_autoptr(GListStore) store = g_list_store_new (CM_TYPE_ACCOUNT);
  g_autoptr(CmAccountSearch) search = cm_account_search_new (G_LIST_MODEL (store));
  g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) expected = NULL;
  const char *text = "";
  guint searched = 0, narrowed = 0, changed_under_search = 0, waited = 0;

  if (keys_per_turn > 0)
    cm_account_search_set_keys_per_turn (search, keys_per_turn);
  g_signal_connect (search, "items-changed", G_CALLBACK (on_items_changed_cb), copy);

  for (guint step = 0; step < 2000; step++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

      if (g_rand_int_range (rand, 0, 3) == 0)
        {
          const char *next = searches[g_rand_int_range (rand, 0, G_N_ELEMENTS (searches))];

          narrowed += *text != '\0' && strstr (next, text) != NULL && strcmp (next, text) != 0;
          cm_account_search_set_text (search, next);
          text = next;
          searched++;
        }
      else
        {
          /* Remove some, add some, anywhere: a refresh, an unlink, a new link. */
          guint position = g_rand_int_range (rand, 0, n + 1);
          guint removed = g_rand_int_range (rand, 0, MIN (n - position, 5) + 1);
          guint added = g_rand_int_range (rand, 0, n < 200 ? 8 : 2);
          g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);

          for (guint i = 0; i < added; i++)
            g_ptr_array_add (fresh, new_account (rand));
          g_list_store_splice (store, position, removed, fresh->pdata, fresh->len);
          changed_under_search += *text != '\0';
        }

      /* Now and then the idle that makes keys and pointers runs, between
       * changes, as it does in the app. */
      if (step % 7 == 0)
        while (g_main_context_iteration (NULL, FALSE))
          ;
      assert_same_items (G_LIST_MODEL (search), copy);
      /* A search that waits shows what it showed: checked once it is done. */
      if (cm_account_search_is_waiting (search))
        {
          waited++;
          continue;
        }
      g_clear_pointer (&expected, g_ptr_array_unref);
      expected = search_from_scratch (G_LIST_MODEL (store), text);
      assert_same_accounts (copy, expected);
    }

  /* The last search, once its keys are made. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (cm_account_search_is_waiting (search));
  assert_same_items (G_LIST_MODEL (search), copy);
  g_clear_pointer (&expected, g_ptr_array_unref);
  expected = search_from_scratch (G_LIST_MODEL (store), text);
  assert_same_accounts (copy, expected);
  if (keys_per_turn > 0)
    g_assert_cmpuint (waited, >, 100);
  else
    g_assert_cmpuint (waited, ==, 0);

  /* The walk went where it had to. */
  g_assert_cmpuint (searched, >, 100);
  g_assert_cmpuint (narrowed, >, 10);
  g_assert_cmpuint (changed_under_search, >, 100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), >, 50);
}

typedef struct
{
  guint emissions;
  guint position;
} Emissions;

static void
count_cb (GListModel *model,
          guint       position,
          guint       removed,
          guint       added,
          Emissions  *emissions)
{
  emissions->emissions++;
  emissions->position = position;
}

/* A search changes only what differs: one items-changed, from the first
 * account that differs to the last, so the grid view keeps the other rows. */
static void
test_one_change_for_what_differs (void)
{
  g_autoptr(GListStore) store = g_list_store_new (CM_TYPE_ACCOUNT);
  g_autoptr(CmAccountSearch) search = cm_account_search_new (G_LIST_MODEL (store));
  g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_object_unref);
  Emissions emitted = { 0 };

  /* Z000000 "Garage 0" to Z000029 "Garage 29". */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *number = g_strdup_printf ("Z%06u", i);
      g_autofree char *name = g_strdup_printf ("Garage %u", i);
      g_autoptr(CmAccount) account = cm_account_new ("mechanic", number, name, "active",
                                                     "Lansing", NULL, NULL);

      g_list_store_append (store, account);
    }
  for (guint i = 0; i < 30; i++)
    g_ptr_array_add (copy, g_list_model_get_item (G_LIST_MODEL (search), i));
  g_signal_connect (search, "items-changed", G_CALLBACK (on_items_changed_cb), copy);
  g_signal_connect (search, "items-changed", G_CALLBACK (count_cb), &emitted);

  /* Every account is active: the text changed, what is shown did not. */
  g_assert_true (cm_account_search_set_text (search, "Active"));
  g_assert_cmpuint (emitted.emissions, ==, 0);

  /* Z000000 to Z000009 stay where they are: the change starts after them. */
  g_assert_true (cm_account_search_set_text (search, "z00000"));
  g_assert_cmpuint (emitted.emissions, ==, 1);
  g_assert_cmpuint (emitted.position, ==, 10);
  g_assert_cmpuint (copy->len, ==, 10);
  assert_same_items (G_LIST_MODEL (search), copy);

  /* The same search, with spaces around it and in capitals: nothing to do. */
  g_assert_false (cm_account_search_set_text (search, "  Z00000 "));
  g_assert_cmpuint (emitted.emissions, ==, 1);

  /* Narrower: Z000009 stays, as the end of the list; the change is before it. */
  g_assert_true (cm_account_search_set_text (search, "z000009"));
  g_assert_cmpuint (emitted.emissions, ==, 2);
  g_assert_cmpuint (emitted.position, ==, 0);
  g_assert_cmpuint (copy->len, ==, 1);
  assert_same_items (G_LIST_MODEL (search), copy);

  /* Nothing found, then all again. */
  g_assert_true (cm_account_search_set_text (search, "z0000099"));
  g_assert_cmpuint (copy->len, ==, 0);
  g_assert_true (cm_account_search_set_text (search, NULL));
  g_assert_cmpuint (emitted.emissions, ==, 4);
  g_assert_cmpuint (copy->len, ==, 30);
  assert_same_items (G_LIST_MODEL (search), copy);
}

/* A status or type from the back-end as long as it likes (a hostile one) is
 * searched like any other, and twice the same is found twice. */
static void
test_long_status (void)
{
  g_autoptr(GListStore) store = g_list_store_new (CM_TYPE_ACCOUNT);
  g_autoptr(CmAccountSearch) search = cm_account_search_new (G_LIST_MODEL (store));
  g_autofree char *status = g_strnfill (300, 'Q');
  g_autofree char *type = g_strconcat (status, "-TYPE", NULL);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *number = g_strdup_printf ("Z%06u", i);
      g_autoptr(CmAccount) account = cm_account_new (i == 1 ? "mechanic" : type, number,
                                                     "Garage", i == 1 ? "active" : status,
                                                     "Lansing", NULL, NULL);

      g_list_store_append (store, account);
    }
  g_assert_true (cm_account_search_set_text (search, "qqqq"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (search)), ==, 2);
  g_assert_true (cm_account_search_set_text (search, "q-type"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (search)), ==, 2);
  g_assert_true (cm_account_search_set_text (search, "activ"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (search)), ==, 1);
}

static CmAccount *
account_with (const char *type,
              const char *name,
              const char *status)
{
  g_autofree char *number = g_strdup_printf ("Z%06u", next_number++);

  return cm_account_new (type, number, name, status, "Lansing", NULL, NULL);
}

static guint
count_found (CmAccountSearch *search,
             const char      *text)
{
  cm_account_search_set_text (search, text);
  return g_list_model_get_n_items (G_LIST_MODEL (search));
}

/* What a hostile back-end can send: a newline inside a status or a type
 * (the two must not pass for each other), more statuses than are kept folded,
 * and text whose decomposition brings capitals back. */
static void
test_hostile_fields (void)
{
  g_autoptr(GListStore) store = g_list_store_new (CM_TYPE_ACCOUNT);
  g_autoptr(CmAccountSearch) search = cm_account_search_new (G_LIST_MODEL (store));
  g_autoptr(CmAccount) school = account_with ("mechanic_school", "Garage", "x\ny");
  g_autoptr(CmAccount) odd = account_with ("y\nmechanic_school", "Garage", "x");
  g_autoptr(CmAccount) trademark = account_with ("mechanic", "Acme ™ Repair", "active");
  g_autoptr(CmAccount) double_struck = account_with ("mechanic", "ℍolland Motors", "active");

  g_list_store_append (store, school);
  g_list_store_append (store, odd);
  g_list_store_append (store, trademark);
  g_list_store_append (store, double_struck);

  /* Only the first has the type whose label is "Mechanic School". */
  g_assert_cmpuint (count_found (search, "mechanic school"), ==, 1);
  g_assert_cmpuint (count_found (search, "y\nmechanic_school"), ==, 1);
  g_assert_cmpuint (count_found (search, "acme tm repair"), ==, 1);
  g_assert_cmpuint (count_found (search, "holland"), ==, 1);

  /* 200 statuses, more than the 64 kept folded: each still found. */
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *status = g_strdup_printf ("status-%03u", i);
      g_autoptr(CmAccount) account = account_with ("mechanic", "Garage", status);

      g_list_store_append (store, account);
    }
  g_assert_cmpuint (count_found (search, "status-"), ==, 200);
  g_assert_cmpuint (count_found (search, "status-1"), ==, 100);
  g_assert_cmpuint (count_found (search, "status-199"), ==, 1);
}

static GListStore *
store_of_garages (guint n)
{
  GListStore *store = g_list_store_new (CM_TYPE_ACCOUNT);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *number = g_strdup_printf ("Z%06u", i);
      g_autofree char *name = g_strdup_printf ("Garage %u", i);

      g_ptr_array_add (accounts, cm_account_new ("mechanic", number, name, "active",
                                                 "Lansing", NULL, NULL));
    }
  g_list_store_splice (store, 0, 0, accounts->pdata, accounts->len);
  return store;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* Typed as soon as 10,000 accounts arrive: more keys to make than a turn of
 * the main loop may take, so the search waits for them and keeps showing
 * what it showed; then one change, to what it finds. Enter does not wait. */
static void
test_waits_for_keys (void)
{
  g_autoptr(GListStore) store = store_of_garages (10000);
  g_autoptr(CmAccountSearch) search = cm_account_search_new (G_LIST_MODEL (store));
  g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) expected = NULL;
  Emissions emitted = { 0 };
  guint notified = 0, turns = 0;

  for (guint i = 0; i < 10000; i++)
    g_ptr_array_add (copy, g_list_model_get_item (G_LIST_MODEL (search), i));
  g_signal_connect (search, "items-changed", G_CALLBACK (on_items_changed_cb), copy);
  g_signal_connect (search, "items-changed", G_CALLBACK (count_cb), &emitted);
  g_signal_connect (search, "notify::waiting", G_CALLBACK (count_notify_cb), &notified);

  g_assert_false (cm_account_search_set_text (search, "garage 12"));
  g_assert_true (cm_account_search_is_waiting (search));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (search)), ==, 10000);
  /* The same text again is the same search, still waiting. */
  g_assert_false (cm_account_search_set_text (search, " Garage 12 "));
  g_assert_cmpuint (notified, ==, 1);

  while (cm_account_search_is_waiting (search))
    {
      g_main_context_iteration (NULL, TRUE);
      turns++;
    }
  /* 10,000 keys at 2,000 a turn, then the search in a turn of its own. */
  g_assert_cmpuint (turns, >=, 6);
  g_assert_cmpuint (emitted.emissions, ==, 1);
  g_assert_cmpuint (notified, ==, 2);
  expected = search_from_scratch (G_LIST_MODEL (store), "garage 12");
  g_assert_cmpuint (expected->len, ==, 111);
  assert_same_accounts (copy, expected);

  /* Every key made: the next search is at once. */
  g_assert_true (cm_account_search_set_text (search, "garage 3"));
  g_assert_false (cm_account_search_is_waiting (search));
  g_assert_cmpuint (copy->len, ==, 1111);

  /* A new model, keys not made: the search text emptied while a search
   * waits shows every account at once, and nothing waits. */
  g_clear_object (&search);
  search = cm_account_search_new (G_LIST_MODEL (store));
  g_assert_false (cm_account_search_set_text (search, "garage 4"));
  g_assert_true (cm_account_search_is_waiting (search));
  g_assert_true (cm_account_search_set_text (search, ""));
  g_assert_false (cm_account_search_is_waiting (search));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (search)), ==, 10000);

  /* Enter: the search now, whatever it costs. */
  g_assert_false (cm_account_search_set_text (search, "garage 4"));
  cm_account_search_finish_waiting (search);
  g_assert_false (cm_account_search_is_waiting (search));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (search)), ==, 1111);
}

/* A refresh under a search (every account again, new objects): the keys are
 * made while idle, not in the splice; meanwhile the search shows what it
 * found of the accounts the refresh kept, then all it finds. */
static void
test_refresh_under_search (void)
{
  g_autoptr(GListStore) store = store_of_garages (10000);
  g_autoptr(GListStore) refreshed = store_of_garages (10000);
  g_autoptr(CmAccountSearch) search = cm_account_search_new (G_LIST_MODEL (store));
  g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) expected = NULL;
  guint notified = 0;

  g_assert_false (cm_account_search_set_text (search, "garage 99"));
  cm_account_search_finish_waiting (search);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (search)); i++)
    g_ptr_array_add (copy, g_list_model_get_item (G_LIST_MODEL (search), i));
  g_assert_cmpuint (copy->len, ==, 111);
  g_signal_connect (search, "items-changed", G_CALLBACK (on_items_changed_cb), copy);
  g_signal_connect (search, "notify::waiting", G_CALLBACK (count_notify_cb), &notified);

  /* Garage 0 and 1 stay; the rest comes again as new accounts. */
  for (guint i = 2; i < 10000; i++)
    g_ptr_array_add (fresh, g_list_model_get_item (G_LIST_MODEL (refreshed), i));
  g_list_store_splice (store, 2, 9998, fresh->pdata, fresh->len);
  g_assert_true (cm_account_search_is_waiting (search));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (copy->len, ==, 0);
  assert_same_items (G_LIST_MODEL (search), copy);

  /* A small change meanwhile is followed at once. */
  g_list_store_remove (store, 0);
  assert_same_items (G_LIST_MODEL (search), copy);

  while (cm_account_search_is_waiting (search))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (notified, ==, 2);
  assert_same_items (G_LIST_MODEL (search), copy);
  expected = search_from_scratch (G_LIST_MODEL (store), "garage 99");
  g_assert_cmpuint (expected->len, ==, 111);
  assert_same_accounts (copy, expected);
  g_assert_true (g_ptr_array_index (copy, 0) == g_ptr_array_index (fresh, 97));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/account-search/random-walk", GUINT_TO_POINTER (0), test_random_walk);
  g_test_add_data_func ("/account-search/random-walk-waiting", GUINT_TO_POINTER (3),
                        test_random_walk);
  g_test_add_func ("/account-search/waits-for-keys", test_waits_for_keys);
  g_test_add_func ("/account-search/refresh-under-search", test_refresh_under_search);
  g_test_add_func ("/account-search/one-change-for-what-differs",
                   test_one_change_for_what_differs);
  g_test_add_func ("/account-search/long-status", test_long_status);
  g_test_add_func ("/account-search/hostile-fields", test_hostile_fields);

  return g_test_run ();
}
