/* cm-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-session.h"

G_BEGIN_DECLS

#define CM_TYPE_PAGE (cm_page_get_type ())

/* Field messages wait for this pause in typing (gnome-initial-setup's habit). */
#define CM_PAGE_VALIDATE_DELAY_MS 600

G_DECLARE_DERIVABLE_TYPE (CmPage, cm_page, CM, PAGE, AdwBin)

/**
 * CmPageClass:
 * @shown: the wizard scrolled to the page
 * @apply_async: (nullable): what Next does before the wizard moves on; a page
 *   without it moves on at once
 * @apply_finish: returns %FALSE with an error to stay on the page
 * @has_input: whether the user typed something Cancel would throw away
 * @reset: empties the page (Cancel, RESET)
 */
struct _CmPageClass
{
  AdwBinClass parent_class;

  void      (*shown)        (CmPage               *self);
  void      (*apply_async)  (CmPage               *self,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data);
  gboolean  (*apply_finish) (CmPage               *self,
                             GAsyncResult         *result,
                             GError              **error);
  gboolean  (*has_input)    (CmPage               *self);
  void      (*reset)        (CmPage               *self);

  gpointer padding[8];
};

const char *cm_page_get_title        (CmPage               *self);
void        cm_page_set_title        (CmPage               *self,
                                      const char           *title);
gboolean    cm_page_get_complete     (CmPage               *self);
void        cm_page_set_complete     (CmPage               *self,
                                      gboolean              complete);
gboolean    cm_page_get_busy         (CmPage               *self);
void        cm_page_set_busy         (CmPage               *self,
                                      gboolean              busy);
const char *cm_page_get_next_page    (CmPage               *self);
void        cm_page_set_next_page    (CmPage               *self,
                                      const char           *next_page);
const char *cm_page_get_next_label   (CmPage               *self);
void        cm_page_set_next_label   (CmPage               *self,
                                      const char           *next_label);
const char *cm_page_get_flow         (CmPage               *self);
const char *cm_page_get_step         (CmPage               *self);
CmSession  *cm_page_get_session      (CmPage               *self);
GSettings  *cm_page_get_settings     (CmPage               *self);

void        cm_page_shown            (CmPage               *self);
gboolean    cm_page_has_input        (CmPage               *self);
void        cm_page_reset            (CmPage               *self);
void        cm_page_apply_async      (CmPage               *self,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean    cm_page_apply_finish     (CmPage               *self,
                                      GAsyncResult         *result,
                                      GError              **error);

/* Helpers shared by the pages */
void        cm_page_add_toast        (CmPage               *self,
                                      AdwToast             *toast);
void        cm_page_show_error_toast (CmPage               *self,
                                      const GError         *error,
                                      gboolean              with_retry);
void        cm_page_set_field_error  (CmPage               *self,
                                      GtkWidget            *row,
                                      const char           *message);
void        cm_page_clear_field_errors (CmPage             *self);
typedef void (*CmPageCheckFunc) (CmPage *page);
void        cm_page_schedule_check   (CmPage               *self,
                                      CmPageCheckFunc       check);
void        cm_page_cancel_check     (CmPage               *self);
void        cm_page_show_check       (CmPage               *self,
                                      GtkWidget            *row,
                                      const GError         *error);
gboolean    cm_page_focus_first_field (CmPage              *self);
gboolean    cm_page_focus_first_error (CmPage              *self);
void        cm_widget_fix_mnemonic_names (GtkWidget        *widget);
void        cm_menu_button_set_menu_model_on_open (GtkMenuButton *button,
                                                   GMenuModel    *menu_model);
void        cm_entry_row_set_placeholder (AdwEntryRow      *row,
                                          const char       *text);

G_END_DECLS
