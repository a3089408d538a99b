/* cm-account-row-pool.c: the rows of the springboard's list. A list item
 * factory that makes CmAccountRow, keeps the rows the grid view lets go of
 * for the next items, makes a few spare rows while the window is idle, and
 * names each list item after its account for screen readers.
 *
 * GTK 4.8's grid view (the springboard's is one column wide) makes a new row
 * for every item a search or a refresh brings in (up to 30 a column, and a
 * few around them) before it destroys the rows of the items that leave. Rows
 * it lets go of are kept for the rows it asks for next, and while the window
 * is idle the pool makes enough of them for one such change, so even the
 * first search does not build rows.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-account-row-pool"

#include "config.h"

#include "cm-account-row.h"
#include "cm-account-row-pool.h"

/* GTK_GRID_VIEW_MAX_VISIBLE_ROWS (30) and the grid view's extra rows. */
#define WARM_UP_ROWS 33
#define MAX_SPARE_ROWS 40
#define WARM_UP_ROWS_PER_IDLE 4

struct _CmAccountRowPool
{
  GObject             parent_instance;

  GListModel         *accounts;     /* how many spare rows are worth making */
  GtkListItemFactory *factory;
  GPtrArray          *spare_rows;   /* CmAccountRow the grid view let go of */
  guint               warm_up_id;   /* the idle that makes spare rows */
};

G_DEFINE_FINAL_TYPE (CmAccountRowPool, cm_account_row_pool, G_TYPE_OBJECT)

/* The grid view lets go of a row by taking it out of its list item (the
 * "teardown" signal comes after that, with the row gone). */
static void
on_row_parent_cb (CmAccountRowPool *self,
                  GParamSpec       *pspec,
                  GtkWidget        *row)
{
  if (gtk_widget_get_parent (row) != NULL || self->spare_rows == NULL ||
      self->spare_rows->len >= MAX_SPARE_ROWS)
    return;

  g_ptr_array_add (self->spare_rows, g_object_ref (row));
}

static GtkWidget *
new_row (CmAccountRowPool *self)
{
  GtkWidget *row = GTK_WIDGET (cm_account_row_new ());

  g_signal_connect_object (row, "notify::parent", G_CALLBACK (on_row_parent_cb), self,
                           G_CONNECT_SWAPPED);
  return row;
}

static void
setup_row_cb (CmAccountRowPool *self,
              GtkListItem      *item)
{
  GtkWidget *row;

  if (self->spare_rows != NULL && self->spare_rows->len > 0)
    {
      row = g_ptr_array_steal_index_fast (self->spare_rows, self->spare_rows->len - 1);
      gtk_list_item_set_child (item, row);
      g_object_unref (row);
      return;
    }

  gtk_list_item_set_child (item, new_row (self));
}

/* What keyboard focus lands on is the list item, the row's parent (GTK 4.8
 * has no accessible label on GtkListItem): it carries the account's name. */
static void
bind_row_cb (CmAccountRowPool *self,
             GtkListItem      *item)
{
  CmAccountRow *row = CM_ACCOUNT_ROW (gtk_list_item_get_child (item));
  GtkWidget *owner;

  cm_account_row_set_account (row, gtk_list_item_get_item (item));
  owner = gtk_widget_get_parent (GTK_WIDGET (row));
  if (owner != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (owner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    cm_account_row_get_accessible_name (row), -1);
}

static void
unbind_row_cb (CmAccountRowPool *self,
               GtkListItem      *item)
{
  cm_account_row_set_account (CM_ACCOUNT_ROW (gtk_list_item_get_child (item)), NULL);
}

/* While the window is idle: spare rows for the next change of the list, no
 * more than there are accounts. */
static gboolean
warm_up_cb (gpointer data)
{
  CmAccountRowPool *self = data;
  guint rows = MIN (g_list_model_get_n_items (self->accounts), WARM_UP_ROWS);

  for (guint i = 0; i < WARM_UP_ROWS_PER_IDLE && self->spare_rows->len < rows; i++)
    g_ptr_array_add (self->spare_rows, g_object_ref_sink (new_row (self)));
  if (self->spare_rows->len < rows)
    return G_SOURCE_CONTINUE;

  self->warm_up_id = 0;
  return G_SOURCE_REMOVE;
}

static void
on_accounts_changed_cb (CmAccountRowPool *self)
{
  if (self->warm_up_id == 0 && self->spare_rows != NULL)
    self->warm_up_id = g_idle_add_full (G_PRIORITY_LOW, warm_up_cb, self, NULL);
}

static void
cm_account_row_pool_dispose (GObject *object)
{
  CmAccountRowPool *self = CM_ACCOUNT_ROW_POOL (object);

  g_clear_handle_id (&self->warm_up_id, g_source_remove);
  g_clear_pointer (&self->spare_rows, g_ptr_array_unref);
  g_clear_object (&self->factory);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (cm_account_row_pool_parent_class)->dispose (object);
}

static void
cm_account_row_pool_class_init (CmAccountRowPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cm_account_row_pool_dispose;
}

static void
cm_account_row_pool_init (CmAccountRowPool *self)
{
  self->spare_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (self->factory, "setup", G_CALLBACK (setup_row_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->factory, "bind", G_CALLBACK (bind_row_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->factory, "unbind", G_CALLBACK (unbind_row_cb), self,
                           G_CONNECT_SWAPPED);
}

/**
 * cm_account_row_pool_new:
 * @accounts: every account the list can show (not only the filtered ones)
 *
 * Returns: (transfer full): a new pool
 */
CmAccountRowPool *
cm_account_row_pool_new (GListModel *accounts)
{
  CmAccountRowPool *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (accounts), NULL);

  self = g_object_new (CM_TYPE_ACCOUNT_ROW_POOL, NULL);
  self->accounts = g_object_ref (accounts);
  g_signal_connect_object (accounts, "items-changed", G_CALLBACK (on_accounts_changed_cb), self,
                           G_CONNECT_SWAPPED);
  on_accounts_changed_cb (self);
  return self;
}

/**
 * cm_account_row_pool_get_factory:
 *
 * Returns: (transfer none): the factory for the grid view
 */
GtkListItemFactory *
cm_account_row_pool_get_factory (CmAccountRowPool *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT_ROW_POOL (self), NULL);

  return self->factory;
}
