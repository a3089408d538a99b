/* bench-bare-server.c: the floor for scripts/bench: a bare SoupServer answering the same
 * JSON as cars-mechanic-server on the same paths, with no database, auth or checks.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-bare-server"

#include "config.h"

#include <glib-unix.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

static const char health[] = "{\"status\":\"ok\",\"version\":\"" PACKAGE_VERSION "\"}";
static const char accounts[] =
  "{\"accounts\":[{\"account_type\":\"mechanic\",\"account_number\":\"Z123456\","
  "\"name\":\"Emily Hall\",\"status\":\"active\",\"city\":\"Lansing\","
  "\"linked_at\":\"2026-01-01T00:00:00Z\",\"certificate_expires\":\"2027-06-30\"}]}";

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  const char *body = NULL;

  if (strcmp (path, "/api/v1/health") == 0)
    body = health;
  else if (strcmp (path, "/api/v1/cars/accounts") == 0)
    body = accounts;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  if (body == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

static gboolean
on_signal_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, handler, NULL, NULL);
  if (!soup_server_listen_local (server, argc > 1 ? atoi (argv[1]) : 0,
                                 SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  uri = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  printf ("%s\n", uri);
  fflush (stdout);
  g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_unix_signal_add (SIGINT, on_signal_cb, loop);
  g_main_loop_run (loop);
  return 0;
}
