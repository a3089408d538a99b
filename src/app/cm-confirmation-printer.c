/* cm-confirmation-printer.c: the "Printable View" of a confirmation: one
 * page under the State's header (Michigan Department of State, CARS
 * e-Services, the date in the user's locale), drawn by one function for the
 * preview window (CmConfirmationPreview) and for GtkPrintOperation, so the
 * user can print it or save it as a PDF (the print dialog's "Print to File").
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-confirmation-printer"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cm-confirmation-printer-private.h"

struct _CmConfirmationPrinter
{
  GObject  parent_instance;

  /* owned */
  char      *title;
  GString   *markup;   /* the body, Pango markup, escaped */
  GDateTime *date;     /* printed in the user's locale */
};

G_DEFINE_FINAL_TYPE (CmConfirmationPrinter, cm_confirmation_printer, G_TYPE_OBJECT)

static void
cm_confirmation_printer_finalize (GObject *object)
{
  CmConfirmationPrinter *self = CM_CONFIRMATION_PRINTER (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_string_free (self->markup, TRUE);

  G_OBJECT_CLASS (cm_confirmation_printer_parent_class)->finalize (object);
}

static void
cm_confirmation_printer_class_init (CmConfirmationPrinterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cm_confirmation_printer_finalize;
}

static void
cm_confirmation_printer_init (CmConfirmationPrinter *self)
{
  self->markup = g_string_new (NULL);
  self->date = g_date_time_new_now_local ();
}

static void
on_begin_print_cb (GtkPrintOperation *operation,
                   GtkPrintContext   *context,
                   gpointer           user_data)
{
  /* A confirmation always fits on one page. */
  gtk_print_operation_set_n_pages (operation, 1);
}

/* The State's header, as Pango markup. */
static char *
dup_header_markup (CmConfirmationPrinter *self)
{
  /* "%x": the date as the user's locale writes it. */
  g_autofree char *date = g_date_time_format (self->date, "%x");

  return g_markup_printf_escaped ("<span size='xx-large' weight='bold'>%s</span>\n"
                                  "<span size='large'>%s</span>\n%s\n",
                                  _("Michigan Department of State"), _("CARS e-Services"),
                                  date);
}

/**
 * cm_confirmation_printer_draw_page:
 * @cr: where to draw, its origin the page's printable top left corner
 * @width: the printable width, in @cr's units
 *
 * Draws the page, for the preview and the print job alike.
 *
 * Returns: (transfer full): the text drawn, without markup
 */
char *
cm_confirmation_printer_draw_page (CmConfirmationPrinter *self,
                                   cairo_t               *cr,
                                   double                 width)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 12");
  g_autofree char *header = dup_header_markup (self);
  g_autofree char *title = g_markup_printf_escaped ("\n<span size='x-large' weight='bold'>%s"
                                                    "</span>\n\n", self->title);
  g_autofree char *text = g_strconcat (header, title, self->markup->str, NULL);
  int header_height;

  g_return_val_if_fail (CM_IS_CONFIRMATION_PRINTER (self), NULL);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  /* The header's three lines, without the line break that ends them. */
  pango_layout_set_markup (layout, header, strlen (header) - 1);
  pango_layout_get_pixel_size (layout, NULL, &header_height);
  pango_layout_set_markup (layout, text, -1);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, layout);
  /* A rule under the header, as on the State's pages. */
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, 0, header_height + 8);
  cairo_line_to (cr, width, header_height + 8);
  cairo_stroke (cr);
  cairo_restore (cr);

  return g_strdup (pango_layout_get_text (layout));
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 gint               page_nr,
                 gpointer           user_data)
{
  CmConfirmationPrinter *self = CM_CONFIRMATION_PRINTER (user_data);

  g_free (cm_confirmation_printer_draw_page (self, gtk_print_context_get_cairo_context (context),
                                             gtk_print_context_get_width (context)));
}

/**
 * cm_confirmation_printer_new:
 * @title: the heading of the page, translated
 *
 * Returns: (transfer full): a printer for one confirmation
 */
CmConfirmationPrinter *
cm_confirmation_printer_new (const char *title)
{
  CmConfirmationPrinter *self = g_object_new (CM_TYPE_CONFIRMATION_PRINTER, NULL);

  self->title = g_strdup (title);

  return self;
}

/* Tests: the day printed (else today). */
void
cm_confirmation_printer_set_date (CmConfirmationPrinter *self,
                                  GDateTime             *date)
{
  g_return_if_fail (CM_IS_CONFIRMATION_PRINTER (self));

  g_date_time_unref (self->date);
  self->date = g_date_time_ref (date);
}

/**
 * cm_confirmation_printer_add_line:
 * @label: (nullable): e.g. "Account Number", or %NULL for a paragraph
 * @value: the text
 */
void
cm_confirmation_printer_add_line (CmConfirmationPrinter *self,
                                  const char            *label,
                                  const char            *value)
{
  g_autofree char *line = NULL;

  g_return_if_fail (CM_IS_CONFIRMATION_PRINTER (self));
  g_return_if_fail (value != NULL);

  if (label != NULL)
    /* Translators: a line of the printed confirmation, "Account Number: Z123456". */
    line = g_markup_printf_escaped (_("<b>%s:</b> %s"), label, value);
  else
    line = g_markup_escape_text (value, -1);
  g_string_append (self->markup, line);
  g_string_append (self->markup, "\n\n");
}

/**
 * cm_confirmation_printer_create_operation:
 *
 * Returns: (transfer full): a #GtkPrintOperation that draws the confirmation
 */
GtkPrintOperation *
cm_confirmation_printer_create_operation (CmConfirmationPrinter *self)
{
  GtkPrintOperation *operation;

  g_return_val_if_fail (CM_IS_CONFIRMATION_PRINTER (self), NULL);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, self->title);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_object (operation, "begin-print", G_CALLBACK (on_begin_print_cb), self, 0);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (on_draw_page_cb), self, 0);

  return operation;
}

/**
 * cm_confirmation_printer_export_pdf:
 * @filename: where to write the PDF
 *
 * Writes the confirmation to @filename without a dialog.
 *
 * Returns: %TRUE on success
 */
gboolean
cm_confirmation_printer_export_pdf (CmConfirmationPrinter  *self,
                                    const char             *filename,
                                    GError                **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  GtkPrintOperationResult result;

  g_return_val_if_fail (CM_IS_CONFIRMATION_PRINTER (self), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  operation = cm_confirmation_printer_create_operation (self);
  gtk_print_operation_set_export_filename (operation, filename);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error);

  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
on_done_cb (GtkPrintOperation       *operation,
            GtkPrintOperationResult  result,
            gpointer                 user_data)
{
  g_autoptr(GError) error = NULL;

  if (result != GTK_PRINT_OPERATION_RESULT_ERROR)
    return;

  gtk_print_operation_get_error (operation, &error);
  g_warning ("Printing failed: %s", error != NULL ? error->message : "unknown error");
}

/**
 * cm_confirmation_printer_show:
 * @parent: (nullable): the window the print dialog belongs to
 *
 * Opens the print dialog, which also offers saving as a PDF file.
 */
void
cm_confirmation_printer_show (CmConfirmationPrinter *self,
                              GtkWindow             *parent)
{
  GtkPrintOperation *operation;

  g_return_if_fail (CM_IS_CONFIRMATION_PRINTER (self));

  operation = cm_confirmation_printer_create_operation (self);
  gtk_print_operation_set_allow_async (operation, TRUE);
  /* The operation keeps the printer alive until it is done. */
  g_object_set_data_full (G_OBJECT (operation), "cm-printer", g_object_ref (self), g_object_unref);
  g_signal_connect (operation, "done", G_CALLBACK (on_done_cb), NULL);
  /* GTK holds the operation while its dialog or job is running. */
  gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, NULL);
  g_object_unref (operation);
}
