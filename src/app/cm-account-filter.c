/* cm-account-filter.c: the springboard's search, as a GtkFilter over
 * CmAccount: every field the list shows (number, name, city, status and type,
 * as sent and as translated), case-folded and without accents.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-account-filter"

#include "config.h"

#include "cm-account-filter.h"
#include "cm-account-row.h"

struct _CmAccountFilter
{
  GtkFilter  parent_instance;

  char       *search_folded;  /* nullable: the folded search text */
  GListModel *accounts;       /* nullable: the accounts whose keys to make ahead */
  guint       warm_up_id;     /* the idle that makes search keys */
  guint       warm_up_next;   /* the next account whose key it makes */
};

/* Keys made per turn of the main loop while the window is idle. */
#define WARM_UP_KEYS_PER_IDLE 500

G_DEFINE_FINAL_TYPE (CmAccountFilter, cm_account_filter, GTK_TYPE_FILTER)

static GQuark
search_key_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("cm-springboard-search-key");
  return quark;
}

/* What a search compares: case-folded, then without accents and other
 * combining marks (compatibility decomposition), so "jose" finds "José",
 * "strasse" finds "Straße" and an Arabic word matches with or without its
 * diacritics. */
static char *
fold_for_search (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *decomposed = NULL;
  GString *out;

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
  return g_string_free (out, FALSE);
}

/* Everything a search can match in one account, folded once and kept on the
 * account: folding six fields of every account on every keystroke was most of
 * the filter's cost with 10,000 accounts. Fields are joined with a newline,
 * which nobody types into the search entry, so a match never spans two. */
static const char *
account_search_key (CmAccount *account)
{
  const char *key = g_object_get_qdata (G_OBJECT (account), search_key_quark ());

  if (key == NULL)
    {
      const char *status = cm_account_get_status (account);
      g_autofree char *joined = NULL;
      char *folded;

      joined = g_strjoin ("\n",
                          cm_account_get_account_number (account) ?: "",
                          cm_account_get_name (account) ?: "",
                          cm_account_get_city (account) ?: "",
                          status ?: "",
                          cm_account_status_get_label (status) ?: "",
                          cm_account_type_get_label (cm_account_get_account_type (account)) ?: "",
                          NULL);
      folded = fold_for_search (joined);
      g_object_set_qdata_full (G_OBJECT (account), search_key_quark (), folded, g_free);
      key = folded;
    }

  return key;
}

static gboolean
cm_account_filter_match (GtkFilter *filter,
                         gpointer   item)
{
  CmAccountFilter *self = CM_ACCOUNT_FILTER (filter);

  if (self->search_folded == NULL)
    return TRUE;

  return strstr (account_search_key (CM_ACCOUNT (item)), self->search_folded) != NULL;
}

static GtkFilterMatch
cm_account_filter_get_strictness (GtkFilter *filter)
{
  CmAccountFilter *self = CM_ACCOUNT_FILTER (filter);

  return self->search_folded == NULL ? GTK_FILTER_MATCH_ALL : GTK_FILTER_MATCH_SOME;
}

static void
cm_account_filter_dispose (GObject *object)
{
  CmAccountFilter *self = CM_ACCOUNT_FILTER (object);

  g_clear_handle_id (&self->warm_up_id, g_source_remove);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (cm_account_filter_parent_class)->dispose (object);
}

static void
cm_account_filter_finalize (GObject *object)
{
  CmAccountFilter *self = CM_ACCOUNT_FILTER (object);

  g_clear_pointer (&self->search_folded, g_free);

  G_OBJECT_CLASS (cm_account_filter_parent_class)->finalize (object);
}

static void
cm_account_filter_class_init (CmAccountFilterClass *klass)
{
  GtkFilterClass *filter_class = GTK_FILTER_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cm_account_filter_dispose;
  G_OBJECT_CLASS (klass)->finalize = cm_account_filter_finalize;
  filter_class->match = cm_account_filter_match;
  filter_class->get_strictness = cm_account_filter_get_strictness;
}

static void
cm_account_filter_init (CmAccountFilter *self)
{
}

CmAccountFilter *
cm_account_filter_new (void)
{
  return g_object_new (CM_TYPE_ACCOUNT_FILTER, NULL);
}

/**
 * cm_account_filter_set_search:
 * @text: (nullable): what the user typed; spaces around it are not searched
 *
 * Returns: %TRUE when the filter changed (and told its models so)
 */
gboolean
cm_account_filter_set_search (CmAccountFilter *self,
                              const char      *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *previous = g_steal_pointer (&self->search_folded);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_return_val_if_fail (CM_IS_ACCOUNT_FILTER (self), FALSE);

  if (*stripped != '\0')
    self->search_folded = fold_for_search (stripped);
  /* The same search (a space typed, or the entry's own delayed signal after
   * the text was set from code): nothing to filter again. */
  if (g_strcmp0 (previous, self->search_folded) == 0)
    return FALSE;
  /* Typing on only narrows the list: GTK then filters just what is still shown. */
  if (previous == NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->search_folded == NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else if (strstr (self->search_folded, previous) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (strstr (previous, self->search_folded) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  gtk_filter_changed (GTK_FILTER (self), change);
  return TRUE;
}

/* While the window is idle: the search key of every account, a few at a
 * time so no turn of the main loop takes long. */
static gboolean
warm_up_cb (gpointer data)
{
  CmAccountFilter *self = data;
  guint n = g_list_model_get_n_items (self->accounts);

  for (guint i = 0; i < WARM_UP_KEYS_PER_IDLE && self->warm_up_next < n; i++)
    {
      g_autoptr(CmAccount) account = g_list_model_get_item (self->accounts, self->warm_up_next++);

      account_search_key (account);
    }
  if (self->warm_up_next < n)
    return G_SOURCE_CONTINUE;

  self->warm_up_id = 0;
  return G_SOURCE_REMOVE;
}

static void
on_accounts_changed_cb (GListModel      *accounts,
                        guint            position,
                        guint            removed,
                        guint            added,
                        CmAccountFilter *self)
{
  self->warm_up_next = MIN (self->warm_up_next, position);
  if (self->warm_up_id == 0)
    self->warm_up_id = g_idle_add_full (G_PRIORITY_LOW, warm_up_cb, self, NULL);
}

/**
 * cm_account_filter_watch:
 * @accounts: the #CmAccount the filter will see
 *
 * Makes the search key of every account in @accounts (now and when they
 * change) while the main loop is idle, so the first search does not.
 */
void
cm_account_filter_watch (CmAccountFilter *self,
                         GListModel      *accounts)
{
  g_return_if_fail (CM_IS_ACCOUNT_FILTER (self));
  g_return_if_fail (G_IS_LIST_MODEL (accounts));
  g_return_if_fail (self->accounts == NULL);

  self->accounts = g_object_ref (accounts);
  g_signal_connect (accounts, "items-changed", G_CALLBACK (on_accounts_changed_cb), self);
  on_accounts_changed_cb (accounts, 0, 0, 0, self);
}
