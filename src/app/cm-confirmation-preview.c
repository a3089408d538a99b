/* cm-confirmation-preview.c: Printable View, a print preview of the
 * confirmation page in a window of its own, drawn by the printer's own
 * code (cm_confirmation_printer_draw_page()), with Print… for the print
 * dialog (which also saves a PDF). GTK's own preview action would hand a
 * PDF to an outside viewer (gtk-print-preview-command), which a Flatpak or
 * a desktop without Evince does not have: docs/account-access.md.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-confirmation-preview"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-confirmation-preview.h"

/* US Letter at 96 pixels an inch, with one-inch margins. */
#define PAGE_WIDTH  816.0
#define PAGE_HEIGHT 1056.0
#define PAGE_MARGIN 72.0

struct _CmConfirmationPreview
{
  AdwWindow              parent_instance;

  CmConfirmationPrinter *printer;
  GtkWidget             *page;
};

G_DEFINE_FINAL_TYPE (CmConfirmationPreview, cm_confirmation_preview, ADW_TYPE_WINDOW)

/* The page scaled to fit, white on the window's background, then its content. */
static void
draw_page_cb (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  CmConfirmationPreview *self = CM_CONFIRMATION_PREVIEW (user_data);
  double scale = MIN (width / PAGE_WIDTH, height / PAGE_HEIGHT);

  cairo_translate (cr, (width - PAGE_WIDTH * scale) / 2, (height - PAGE_HEIGHT * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_rectangle (cr, 0, 0, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  cairo_translate (cr, PAGE_MARGIN, PAGE_MARGIN);
  g_free (cm_confirmation_printer_draw_page (self->printer, cr, PAGE_WIDTH - 2 * PAGE_MARGIN));
}

static void
on_print_clicked_cb (CmConfirmationPreview *self)
{
  cm_confirmation_printer_show (self->printer, GTK_WINDOW (self));
}

/* A screen reader reads the page: its text is the drawing's description. */
static void
describe_page (CmConfirmationPreview *self)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR, NULL);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *text = cm_confirmation_printer_draw_page (self->printer, cr,
                                                              PAGE_WIDTH - 2 * PAGE_MARGIN);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->page),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Page preview"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static GtkWidget *
header_bar_new (CmConfirmationPreview *self)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *print = gtk_button_new_with_mnemonic (_("_Print…"));

  gtk_widget_set_name (print, "preview-print-button");
  gtk_widget_add_css_class (print, "suggested-action");
  g_signal_connect_object (print, "clicked", G_CALLBACK (on_print_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), print);
  return header;
}

static void
cm_confirmation_preview_dispose (GObject *object)
{
  g_clear_object (&CM_CONFIRMATION_PREVIEW (object)->printer);

  G_OBJECT_CLASS (cm_confirmation_preview_parent_class)->dispose (object);
}

static void
cm_confirmation_preview_class_init (CmConfirmationPreviewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cm_confirmation_preview_dispose;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0,
                                       "window.close", NULL);
}

static void
cm_confirmation_preview_init (CmConfirmationPreview *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_set_name (GTK_WIDGET (self), "print-preview");
  gtk_window_set_title (GTK_WINDOW (self), _("Printable View"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 720);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  self->page = gtk_drawing_area_new ();
  gtk_widget_set_name (self->page, "preview-page");
  gtk_widget_set_vexpand (self->page, TRUE);
  gtk_widget_set_hexpand (self->page, TRUE);
  gtk_widget_set_margin_top (self->page, 12);
  gtk_widget_set_margin_bottom (self->page, 12);
  gtk_widget_set_margin_start (self->page, 12);
  gtk_widget_set_margin_end (self->page, 12);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->page), draw_page_cb, self, NULL);
  gtk_box_append (GTK_BOX (box), header_bar_new (self));
  gtk_box_append (GTK_BOX (box), self->page);
  adw_window_set_content (ADW_WINDOW (self), box);
}

/**
 * cm_confirmation_preview_new:
 * @parent: (nullable): the window it is for
 *
 * Returns: (transfer none): a new preview window; present it
 */
CmConfirmationPreview *
cm_confirmation_preview_new (CmConfirmationPrinter *printer,
                             GtkWindow             *parent)
{
  CmConfirmationPreview *self = g_object_new (CM_TYPE_CONFIRMATION_PREVIEW, NULL);

  self->printer = g_object_ref (printer);
  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  describe_page (self);
  return self;
}
