/* test-mask.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-mask"

#include "config.h"

#include "cm-mask.h"

static void
test_mask_email (void)
{
  const struct
  {
    const char *email;
    const char *expected;
  } cases[] = {
    /* The slide's */
    { "email@email.com", "E************L@EMAIL.COM" },
    { "EMAIL@EMAIL.COM", "E************L@EMAIL.COM" },
    { "john.smith@example.com", "J************H@EXAMPLE.COM" },
    { "ab@x.org", "A************B@X.ORG" },
    { " jo@x.org ", "J************O@X.ORG" },
    /* One character: that character and the asterisks */
    { "e@email.com", "E************@EMAIL.COM" },
    { "\u00e9mile.zola@exemple.fr", "\u00c9************A@EXEMPLE.FR" },
    { "zo\u00eb@example.com", "Z************\u00cb@EXAMPLE.COM" },
    /* Not addresses */
    { NULL, NULL },
    { "", NULL },
    { "nobody", NULL },
    { "@x.org", NULL },
    { "a@", NULL },
    { "a@b@c.org", NULL },
    { "\xff@x.org", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = cm_mask_email (cases[i].email);

      g_test_message ("row %u", i);
      g_assert_cmpstr (masked, ==, cases[i].expected);
    }
}

/* The mask does not tell how long the local part is. */
static void
test_mask_hides_length (void)
{
  const char *emails[] = { "ab@x.org", "axb@x.org", "axxxxxxxxxxxxxxxxxxxxxxxxxxxxxb@x.org" };
  g_autofree char *first = cm_mask_email (emails[0]);

  for (guint i = 1; i < G_N_ELEMENTS (emails); i++)
    {
      g_autofree char *masked = cm_mask_email (emails[i]);

      g_assert_cmpstr (masked, ==, first);
    }
}

/* The street is masked word by word; the city, state and ZIP stay. */
static void
test_mask_mailing_address (void)
{
  const struct
  {
    const char *address;
    const char *expected;
  } cases[] = {
    { "7064 Crowner Dr, Lansing, MI 48909", "7*** C****** D*, Lansing, MI 48909" },
    { " 412 Division Ave S, Grand Rapids, MI 49503 ",
      "4** D******* A** S, Grand Rapids, MI 49503" },
    { "PO Box 9\nDetroit, MI 48201", "P* B** 9\nDetroit, MI 48201" },
    { "\u00c9cole Rd", "\u00c9**** R*" },
    { NULL, NULL },
    { "", NULL },
    { "  ", NULL },
    { "\xff Rd", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = cm_mask_mailing_address (cases[i].address);

      g_test_message ("row %u", i);
      g_assert_cmpstr (masked, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mask/email", test_mask_email);
  g_test_add_func ("/mask/email/hides-length", test_mask_hides_length);
  g_test_add_func ("/mask/mailing-address", test_mask_mailing_address);

  return g_test_run ();
}
