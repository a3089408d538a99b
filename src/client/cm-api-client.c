/* cm-api-client.c: CmApiClient, the object: its settings (base URL, CA file, timeouts, size
 * cap, token), the checks of the base URL and the Accept-Language it sends, and GET health.
 * The calls are in cm-api-client-{milogin,access,accounts}.c, one request's life in
 * cm-api-client-request.c, the decoding of answers in cm-api-client-answer.c.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-api-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cm-api-client.h"
#include "cm-api-client-private.h"
#include "cm-client-private.h"
#include "cm-error.h"
#include "cm-json.h"
#include "cm-protocol.h"

/* Enough for a region, its language and a fallback; more only makes every request longer. */
#define MAX_ACCEPT_LANGUAGES 4

G_DEFINE_FINAL_TYPE (CmApiClient, cm_api_client, G_TYPE_OBJECT)

typedef enum
{
  PROP_BASE_URI = 1,
  PROP_CA_FILE,
  PROP_TIMEOUT,
  PROP_REQUEST_TIMEOUT,
  PROP_MAX_RESPONSE_SIZE,
  N_PROPS
} CmApiClientProperty;

static GParamSpec *obj_props[N_PROPS];

enum
{
  SIGNAL_SESSION_EXPIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
cm_api_client_emit_session_expired (CmApiClient *self)
{
  g_signal_emit (self, signals[SIGNAL_SESSION_EXPIRED], 0);
}

/* A language tag as HTTP wants it: letters, digits and '-', nothing that could end a header. */
static gboolean
is_language_tag (const char *tag)
{
  gsize len = strlen (tag);

  if (len == 0 || len > 35 || !g_ascii_isalpha (tag[0]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (tag[i]) && tag[i] != '-')
        return FALSE;
    }
  return TRUE;
}

/**
 * cm_api_client_build_accept_language:
 * @language_names: (array zero-terminated=1): locale names, most wanted first, as
 *   g_get_language_names() gives them
 *
 * Builds an `Accept-Language` value: "es_MX.UTF-8", "es_MX", "es", "C" become
 * "es-MX, es;q=0.9". Encodings and modifiers are dropped, "C" and "POSIX" are
 * skipped, duplicates kept once, at most MAX_ACCEPT_LANGUAGES entries.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when no language is left
 */
char *
cm_api_client_build_accept_language (const char * const *language_names)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  GString *value;

  for (guint i = 0; language_names[i] != NULL && tags->len < MAX_ACCEPT_LANGUAGES; i++)
    {
      g_autofree char *tag = g_strdup (language_names[i]);
      char *cut = strpbrk (tag, ".@");
      gboolean seen = FALSE;

      if (cut != NULL)
        *cut = '\0';
      g_strdelimit (tag, "_", '-');
      if (strcmp (tag, "C") == 0 || strcmp (tag, "POSIX") == 0 || !is_language_tag (tag))
        continue;
      for (guint j = 0; j < tags->len && !seen; j++)
        seen = g_ascii_strcasecmp (tags->pdata[j], tag) == 0;
      if (!seen)
        g_ptr_array_add (tags, g_steal_pointer (&tag));
    }

  if (tags->len == 0)
    return NULL;

  value = g_string_new (tags->pdata[0]);
  for (guint i = 1; i < tags->len; i++)
    g_string_append_printf (value, ", %s;q=0.%u", (const char *) tags->pdata[i], 10 - i);
  return g_string_free (value, FALSE);
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static GUri *
parse_base_uri (const char  *uri,
                GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *host;

  if (uri == NULL || *uri == '\0')
    {
      g_set_error_literal (error, CM_ERROR, CM_ERROR_INSECURE_URL,
                           _("No server address is set."));
      return NULL;
    }

  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    {
      g_set_error (error, CM_ERROR, CM_ERROR_INSECURE_URL,
                   /* Translators: %s is the server address the user typed */
                   _("“%s” is not a valid server address."), uri);
      return NULL;
    }

  scheme = g_uri_get_scheme (parsed);
  host = g_uri_get_host (parsed);

  /* A password in the address would end up in logs and settings. */
  if (g_uri_get_userinfo (parsed) != NULL)
    {
      g_set_error_literal (error, CM_ERROR, CM_ERROR_INSECURE_URL,
                           _("The server address must not contain a user name or password."));
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return g_steal_pointer (&parsed);

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (is_loopback_host (host))
        return g_steal_pointer (&parsed);

      g_set_error (error, CM_ERROR, CM_ERROR_INSECURE_URL,
                   /* Translators: %s is a host name */
                   _("The connection to %s would not be encrypted. Use an address that "
                     "starts with https://."), host);
      return NULL;
    }

  g_set_error (error, CM_ERROR, CM_ERROR_INSECURE_URL,
               /* Translators: %s is the server address the user typed */
               _("“%s” is not a valid server address. It must start with https://."), uri);
  return NULL;
}

/**
 * cm_api_client_check_uri:
 * @uri: a back-end base URL
 *
 * Checks a base URL the way the client will: `https://`, or `http://` to a
 * loopback address (127.0.0.0/8, ::1, localhost), no user name or password.
 * The preferences use it to check the `server-url` setting as it is typed.
 *
 * Returns: %TRUE if the client would use @uri, or %FALSE with a
 *   CM_ERROR_INSECURE_URL
 */
gboolean
cm_api_client_check_uri (const char  *uri,
                         GError     **error)
{
  g_autoptr(GUri) parsed = parse_base_uri (uri, error);

  return parsed != NULL;
}


/* ---- GET health ---- */

typedef struct
{
  char *status;
  char *version;
} Health;

static void
health_free (Health *health)
{
  g_free (health->status);
  g_free (health->version);
  g_free (health);
}

static gpointer
parse_health (JsonNode  *root,
              GError   **error)
{
  JsonObject *object = cm_api_answer_object (root, error);
  Health *health;

  if (object == NULL)
    return NULL;

  health = g_new0 (Health, 1);
  if (!cm_client_json_dup_string (object, CM_MEMBER_STATUS, TRUE, &health->status, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_VERSION, FALSE, &health->version, error))
    {
      health_free (health);
      return NULL;
    }
  return health;
}

/* ---- GObject ---- */

static void
log_printer (SoupLogger         *logger,
             SoupLoggerLogLevel  level,
             char                direction,
             const char         *data,
             gpointer            user_data)
{
  /* Headers only, and never the token. */
  if (g_ascii_strncasecmp (data, CM_HEADER_AUTHORIZATION ":",
                           strlen (CM_HEADER_AUTHORIZATION ":")) == 0 ||
      g_ascii_strncasecmp (data, "Cookie:", strlen ("Cookie:")) == 0 ||
      g_ascii_strncasecmp (data, "Set-Cookie:", strlen ("Set-Cookie:")) == 0)
    {
      g_debug ("%c (a header that holds a secret)", direction);
      return;
    }
  g_debug ("%c %s", direction, data);
}

static void
cm_api_client_dispose (GObject *object)
{
  CmApiClient *self = CM_API_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cm_api_client_parent_class)->dispose (object);
}

static void
cm_api_client_finalize (GObject *object)
{
  CmApiClient *self = CM_API_CLIENT (object);

  g_free (self->base_uri);
  g_clear_pointer (&self->base, g_uri_unref);
  g_clear_error (&self->uri_error);
  g_clear_pointer (&self->token, cm_secret_free);
  g_free (self->ca_file);
  g_clear_error (&self->ca_error);
  g_free (self->accept_language);

  G_OBJECT_CLASS (cm_api_client_parent_class)->finalize (object);
}

static void
cm_api_client_constructed (GObject *object)
{
  CmApiClient *self = CM_API_CLIENT (object);

  G_OBJECT_CLASS (cm_api_client_parent_class)->constructed (object);

  self->base = parse_base_uri (self->base_uri, &self->uri_error);
  if (self->uri_error != NULL)
    g_debug ("base URI refused: %s", self->uri_error->message);
}

static void
cm_api_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CmApiClient *self = CM_API_CLIENT (object);

  switch ((CmApiClientProperty) prop_id)
    {
    case PROP_BASE_URI:
      g_value_set_string (value, self->base_uri);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, cm_api_client_get_timeout (self));
      break;
    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
      break;
    case PROP_MAX_RESPONSE_SIZE:
      g_value_set_uint64 (value, self->max_response_size);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_api_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CmApiClient *self = CM_API_CLIENT (object);

  switch ((CmApiClientProperty) prop_id)
    {
    case PROP_BASE_URI:
      self->base_uri = g_value_dup_string (value);
      break;
    case PROP_CA_FILE:
      cm_api_client_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      cm_api_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_REQUEST_TIMEOUT:
      cm_api_client_set_request_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RESPONSE_SIZE:
      cm_api_client_set_max_response_size (self, g_value_get_uint64 (value));
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_api_client_class_init (CmApiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_api_client_dispose;
  object_class->finalize = cm_api_client_finalize;
  object_class->constructed = cm_api_client_constructed;
  object_class->get_property = cm_api_client_get_property;
  object_class->set_property = cm_api_client_set_property;

  /**
   * CmApiClient:base-uri:
   *
   * The back-end, e.g. "https://cars.example.org/". Checked like
   * cm_api_client_check_uri(); a refused URI makes every call fail with
   * CM_ERROR_INSECURE_URL before any connection.
   */
  obj_props[PROP_BASE_URI] =
    g_param_spec_string ("base-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * CmApiClient:ca-file:
   *
   * A PEM file of certificate authorities to trust instead of the system's,
   * for self-hosted back-ends (the GSettings key `ca-file`). %NULL or empty
   * means the system's.
   */
  obj_props[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * CmApiClient:timeout:
   *
   * Seconds a connection attempt or a read may wait without progress.
   */
  obj_props[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 3600, CM_API_CLIENT_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * CmApiClient:request-timeout:
   *
   * Seconds a whole request may take, retries included; 0 for no limit.
   */
  obj_props[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL, 0, 3600,
                       CM_API_CLIENT_DEFAULT_REQUEST_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * CmApiClient:max-response-size:
   *
   * The largest answer body read, in bytes; a larger one is CM_ERROR_PROTOCOL.
   */
  obj_props[PROP_MAX_RESPONSE_SIZE] =
    g_param_spec_uint64 ("max-response-size", NULL, NULL, 1024, G_MAXUINT32,
                         CM_API_CLIENT_DEFAULT_MAX_RESPONSE_SIZE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, obj_props);

  /**
   * CmApiClient::session-expired:
   *
   * An authenticated call was answered 401 `session_expired`. Emitted before
   * that call's callback runs. CmSession listens to it.
   */
  signals[SIGNAL_SESSION_EXPIRED] =
    g_signal_new ("session-expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cm_api_client_init (CmApiClient *self)
{
  self->request_timeout = CM_API_CLIENT_DEFAULT_REQUEST_TIMEOUT;
  self->max_response_size = CM_API_CLIENT_DEFAULT_MAX_RESPONSE_SIZE;
  self->accept_language = cm_api_client_build_accept_language (g_get_language_names ());
  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 "timeout", CM_API_CLIENT_DEFAULT_TIMEOUT,
                                                 "idle-timeout", 60,
                                                 NULL);

  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    {
      g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);

      soup_logger_set_printer (logger, log_printer, NULL, NULL);
      soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (logger));
    }
}

/* ---- Public API ---- */

/**
 * cm_api_client_new:
 * @base_uri: the back-end, e.g. "https://cars.example.org/"
 *
 * Returns: (transfer full): a new client; a refused @base_uri shows as
 *   CM_ERROR_INSECURE_URL on the first call
 */
CmApiClient *
cm_api_client_new (const char *base_uri)
{
  return g_object_new (CM_TYPE_API_CLIENT, "base-uri", base_uri, NULL);
}

const char *
cm_api_client_get_base_uri (CmApiClient *self)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (self), NULL);
  return self->base_uri;
}

/**
 * cm_api_client_set_token:
 * @token: (nullable): the bearer token, or %NULL to forget it
 *
 * Sets the token sent as `Authorization: Bearer` on authenticated calls. It
 * is not a property so that it never shows in a property dump.
 */
void
cm_api_client_set_token (CmApiClient *self,
                         const char  *token)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  if (token == self->token)
    return;
  g_clear_pointer (&self->token, cm_secret_free);
  self->token = g_strdup (token);
}

gboolean
cm_api_client_has_token (CmApiClient *self)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (self), FALSE);
  return self->token != NULL;
}

const char *
cm_api_client_get_ca_file (CmApiClient *self)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (self), NULL);
  return self->ca_file;
}

/**
 * cm_api_client_set_ca_file:
 * @ca_file: (nullable): a PEM file, or %NULL or "" for the system's authorities
 *
 * A file that cannot be read makes every call fail with CM_ERROR_TLS until
 * it is fixed, rather than silently falling back to the system's.
 */
void
cm_api_client_set_ca_file (CmApiClient *self,
                           const char  *ca_file)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));

  if (ca_file != NULL && *ca_file == '\0')
    ca_file = NULL;
  if (g_strcmp0 (ca_file, self->ca_file) == 0)
    return;

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_clear_error (&self->ca_error);

  if (ca_file != NULL)
    {
      database = g_tls_file_database_new (ca_file, &error);
      if (database == NULL)
        {
          g_debug ("CA file refused: %s", error->message);
          self->ca_error = g_error_new (CM_ERROR, CM_ERROR_TLS,
                                        /* Translators: %s is a file name */
                                        _("The certificate authority file “%s” could not be "
                                          "read."), ca_file);
        }
    }
  else
    {
      /* Setting NULL would leave the session with no authorities at all. */
      database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
    }

  if (database != NULL)
    soup_session_set_tls_database (self->session, database);

  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_CA_FILE]);
}

guint
cm_api_client_get_timeout (CmApiClient *self)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (self), 0);
  return soup_session_get_timeout (self->session);
}

void
cm_api_client_set_timeout (CmApiClient *self,
                           guint        seconds)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  if (seconds == soup_session_get_timeout (self->session))
    return;
  soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_TIMEOUT]);
}

guint
cm_api_client_get_request_timeout (CmApiClient *self)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (self), 0);
  return self->request_timeout;
}

void
cm_api_client_set_request_timeout (CmApiClient *self,
                                   guint        seconds)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  if (seconds == self->request_timeout)
    return;
  self->request_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_REQUEST_TIMEOUT]);
}

gsize
cm_api_client_get_max_response_size (CmApiClient *self)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (self), 0);
  return self->max_response_size;
}

void
cm_api_client_set_max_response_size (CmApiClient *self,
                                     gsize        max_bytes)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  if (max_bytes == self->max_response_size)
    return;
  self->max_response_size = max_bytes;
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_MAX_RESPONSE_SIZE]);
}

/* GET health */

void
cm_api_client_get_health_async (CmApiClient         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  cm_api_client_request_start (self, cm_api_client_get_health_async, "GET", CM_PATH_HEALTH, NULL,
                               CM_API_REQUEST_IDEMPOTENT, parse_health,
                               (GDestroyNotify) health_free, cancellable, callback, user_data);
}

/**
 * cm_api_client_get_health_finish:
 * @status: (out) (optional) (transfer full):
 * @version: (out) (optional) (transfer full) (nullable):
 */
gboolean
cm_api_client_get_health_finish (CmApiClient   *self,
                                 GAsyncResult  *result,
                                 char         **status,
                                 char         **version,
                                 GError       **error)
{
  Health *health = cm_api_client_request_propagate (self, result,
                                                     cm_api_client_get_health_async, error);

  if (health == NULL)
    return FALSE;
  if (status != NULL)
    *status = g_steal_pointer (&health->status);
  if (version != NULL)
    *version = g_steal_pointer (&health->version);
  health_free (health);
  return TRUE;
}
