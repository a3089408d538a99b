/* cm-http-guard.c: strict HTTP/1.1 request framing in front of libsoup.
 *
 * libsoup 3.2.3 accepts two Content-Length fields (the last wins), Content-Length beside
 * Transfer-Encoding, a folded Transfer-Encoding and "Content-Length: +5". A proxy in front
 * that reads them another way would let a second request hide in a body ("smuggling").
 * The guard reads what the client sends, holds each request head back until it is whole,
 * checks its framing and only then passes it on; it follows the body (length or chunks)
 * to know where the next head starts, so every request of a kept-alive connection is
 * checked. On a refusal libsoup reads an end of stream after the last good request, and
 * whoever gets the close (cm-server-listener.c) answers 400 on the base stream and hangs up.
 *
 * libsoup 3.2.3 never lets go of a kept-alive connection whose next request starts with an
 * end of stream (the new message has no completion callback yet), so an end of stream (the
 * client left, a refusal, a timeout) where a request would start is given to libsoup as a
 * lone "\n" and then the end: libsoup takes that for a request, cannot parse it, and its
 * answer fails on the guard's output, now cut; that failure makes it close the connection.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-http-guard"

#include "config.h"

#include <string.h>

#include "cm-http-guard-private.h"

#define FIELD_HEADERS           "headers"
#define FIELD_CONTENT_LENGTH    "Content-Length"
#define FIELD_TRANSFER_ENCODING "Transfer-Encoding"
/* A chunk-size line or a trailer line (extensions and trailers are not used by the API). */
#define MAX_LINE 1024

typedef enum
{
  STATE_HEAD,        /* collecting a head, held back */
  STATE_BODY,        /* @remaining bytes of a Content-Length body */
  STATE_CHUNK_SIZE,  /* collecting a chunk-size line */
  STATE_CHUNK_DATA,  /* @remaining bytes of a chunk */
  STATE_CHUNK_END,   /* the CRLF after a chunk's data */
  STATE_TRAILER,     /* trailer lines up to an empty one */
} State;

#define CM_TYPE_HTTP_GUARD_INPUT (cm_http_guard_input_get_type ())
G_DECLARE_FINAL_TYPE (CmHttpGuardInput, cm_http_guard_input, CM, HTTP_GUARD_INPUT, GInputStream)
#define CM_TYPE_HTTP_GUARD_OUTPUT (cm_http_guard_output_get_type ())
G_DECLARE_FINAL_TYPE (CmHttpGuardOutput, cm_http_guard_output, CM, HTTP_GUARD_OUTPUT,
                      GOutputStream)

struct _CmHttpGuardInput
{
  GInputStream  parent_instance;

  GInputStream *base;      /* (owned) */
  State         state;
  GByteArray   *line;      /* (owned): the head, or a chunk-size or trailer line */
  GByteArray   *ready;     /* (owned): checked bytes libsoup has not read yet */
  gsize         ready_at;  /* how much of @ready was read */
  guint64       remaining;
  guint         n_complete;
  gint64        started;
  const char   *refusal;
  gboolean      base_eof;
  gboolean      ended;     /* the lone "\n" went to libsoup */
  CmHttpGuardOutput *output; /* (unowned): cut when the "\n" goes */
  guint8        buffer[8192];
};

struct _CmHttpGuardOutput
{
  GOutputStream  parent_instance;

  GOutputStream *base;  /* (owned) */
  gboolean       cut;   /* writes fail */
};

struct _CmHttpGuard
{
  GIOStream          parent_instance;

  GIOStream         *base;   /* (owned) */
  CmHttpGuardInput  *input;  /* (owned) */
  CmHttpGuardOutput *output; /* (owned) */
  CmHttpGuardClosed  closed;
  gpointer           user_data;
};

static void cm_http_guard_input_pollable_init (GPollableInputStreamInterface *iface);
static void cm_http_guard_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CmHttpGuardInput, cm_http_guard_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      cm_http_guard_input_pollable_init))
G_DEFINE_FINAL_TYPE_WITH_CODE (CmHttpGuardOutput, cm_http_guard_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      cm_http_guard_output_pollable_init))
G_DEFINE_FINAL_TYPE (CmHttpGuard, cm_http_guard, G_TYPE_IO_STREAM)

enum { PROP_0, PROP_BASE_IO_STREAM };

/* ---- The rules ---- */

static gboolean
is_tchar (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Field values: visible characters, spaces, tabs and obs-text; no other control character. */
static gboolean
is_value_char (guchar c)
{
  return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static gboolean
check_request_line (const char *line,
                    gsize       length,
                    gboolean   *http10)
{
  const char *end = line + length;
  const char *p = line;
  const char *target;

  while (p < end && is_tchar (*p))
    p++;
  if (p == line || p == end || *p != ' ')
    return FALSE;
  target = ++p;
  while (p < end && (guchar) *p > 0x20 && *p != 0x7f)
    p++;
  if (p == target || p == end || *p != ' ')
    return FALSE;
  p++;
  if ((gsize) (end - p) != strlen ("HTTP/1.1") ||
      (memcmp (p, "HTTP/1.1", 8) != 0 && memcmp (p, "HTTP/1.0", 8) != 0))
    return FALSE;
  *http10 = p[7] == '0';
  return TRUE;
}

/* A field line "name: value" (without its CRLF): the name's length and the value without
 * the spaces around it. FALSE for an obs-fold, a space before the colon, a name that is no
 * token or a character no value may hold. */
static gboolean
split_field_line (const char  *p,
                  const char  *eol,
                  gsize       *name_length,
                  const char **value,
                  const char **value_end)
{
  const char *colon = p;

  /* obs-fold: a line that starts with a space or tab continues the previous one. */
  if (*p == ' ' || *p == '\t')
    return FALSE;
  while (colon < eol && is_tchar (*colon))
    colon++;
  /* No space before the colon (RFC 9112 §5.1). */
  if (colon == p || colon == eol || *colon != ':')
    return FALSE;
  *name_length = colon - p;
  *value = colon + 1;
  *value_end = eol;
  for (const char *c = *value; c < *value_end; c++)
    if (!is_value_char (*c))
      return FALSE;
  while (*value < *value_end && (**value == ' ' || **value == '\t'))
    (*value)++;
  while (*value_end > *value && ((*value_end)[-1] == ' ' || (*value_end)[-1] == '\t'))
    (*value_end)--;
  return TRUE;
}

/* Plain digits only: no sign, no list; 18 digits cannot overflow. */
static gboolean
parse_content_length (const char *value,
                      const char *value_end,
                      guint64    *length)
{
  guint64 n = 0;

  if (value == value_end || value_end - value > 18)
    return FALSE;
  for (const char *c = value; c < value_end; c++)
    {
      if (!g_ascii_isdigit (*c))
        return FALSE;
      n = n * 10 + (*c - '0');
    }
  *length = n;
  return TRUE;
}

const char *
cm_http_guard_check_head (const char *head,
                          gsize       length,
                          guint64    *body_length,
                          gboolean   *chunked)
{
  const char *p = head;
  const char *end = head + length;
  gboolean http10 = FALSE;
  gboolean request_line = TRUE;
  guint n_length = 0, n_encoding = 0;

  *body_length = 0;
  *chunked = FALSE;

  /* Empty lines before the request line are allowed (RFC 9112 §2.2). */
  while (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
    p += 2;

  while (p < end)
    {
      const char *eol = memchr (p, '\r', end - p);
      const char *value, *value_end;
      gsize name_length;

      /* Only CRLF ends a line: a lone CR or LF anywhere is refused. */
      if (eol == NULL || eol + 1 >= end || eol[1] != '\n' || memchr (p, '\n', eol - p) != NULL)
        return FIELD_HEADERS;
      if (eol == p)
        break;  /* the empty line that ends the head */

      if (request_line)
        {
          if (!check_request_line (p, eol - p, &http10))
            return FIELD_HEADERS;
          request_line = FALSE;
          p = eol + 2;
          continue;
        }

      if (!split_field_line (p, eol, &name_length, &value, &value_end))
        return FIELD_HEADERS;

      if (name_length == strlen (FIELD_CONTENT_LENGTH) &&
          g_ascii_strncasecmp (p, FIELD_CONTENT_LENGTH, name_length) == 0)
        {
          if (++n_length > 1 || !parse_content_length (value, value_end, body_length))
            return FIELD_CONTENT_LENGTH;
        }
      else if (name_length == strlen (FIELD_TRANSFER_ENCODING) &&
               g_ascii_strncasecmp (p, FIELD_TRANSFER_ENCODING, name_length) == 0)
        {
          /* Exactly "chunked": no other coding, no list, and never in HTTP/1.0. */
          if (++n_encoding > 1 || http10 || value_end - value != strlen ("chunked") ||
              g_ascii_strncasecmp (value, "chunked", value_end - value) != 0)
            return FIELD_TRANSFER_ENCODING;
          *chunked = TRUE;
        }
      p = eol + 2;
    }

  if (request_line)
    return FIELD_HEADERS;
  /* Both say where the body ends, differently (RFC 9112 §6.1). */
  if (n_length > 0 && n_encoding > 0)
    return FIELD_TRANSFER_ENCODING;
  return NULL;
}

/* chunk-size [ ";" extensions ]: hexadecimal digits, at most 15 of them. */
static gboolean
parse_chunk_size (const guint8 *line,
                  gsize         length,
                  guint64      *size)
{
  gsize i = 0;

  *size = 0;
  for (; i < length && g_ascii_isxdigit (line[i]); i++)
    {
      if (i == 15)
        return FALSE;
      *size = *size * 16 + g_ascii_xdigit_value (line[i]);
    }
  if (i == 0)
    return FALSE;
  if (i == length)
    return TRUE;
  if (line[i] != ';')
    return FALSE;
  for (; i < length; i++)
    if (!is_value_char (line[i]))
      return FALSE;
  return TRUE;
}

/* ---- The state machine ---- */

static void
refuse (CmHttpGuardInput *self,
        const char       *field)
{
  g_debug ("Refusing a request: %s", field);
  self->refusal = field;
  g_byte_array_set_size (self->line, 0);
}

static void
message_done (CmHttpGuardInput *self)
{
  self->n_complete++;
  self->started = 0;
  self->state = STATE_HEAD;
}

static void
pass (CmHttpGuardInput *self,
      const guint8     *data,
      gsize             length)
{
  g_byte_array_append (self->ready, data, length);
}

/* A line of @self->line just got a byte: FALSE when it breaks the CRLF rule. */
static gboolean
line_byte_ok (GByteArray *line)
{
  guint8 c = line->data[line->len - 1];
  guint8 before = line->len > 1 ? line->data[line->len - 2] : 0;

  if (c == '\n')
    return before == '\r';
  return before != '\r';
}

static gboolean
line_complete (GByteArray *line)
{
  return line->len >= 2 && line->data[line->len - 1] == '\n';
}

static void
head_complete (CmHttpGuardInput *self)
{
  const char *field;
  guint64 length;
  gboolean chunked;

  field = cm_http_guard_check_head ((const char *) self->line->data, self->line->len, &length,
                                    &chunked);
  if (field != NULL)
    {
      refuse (self, field);
      return;
    }
  pass (self, self->line->data, self->line->len);
  g_byte_array_set_size (self->line, 0);
  if (chunked)
    self->state = STATE_CHUNK_SIZE;
  else if (length > 0)
    {
      self->state = STATE_BODY;
      self->remaining = length;
    }
  else
    message_done (self);
}

/* Body or chunk data: passed on as it comes; returns the bytes taken. */
static gsize
feed_data (CmHttpGuardInput *self,
           const guint8     *data,
           gsize             length)
{
  gsize n = MIN (length, self->remaining);

  pass (self, data, n);
  self->remaining -= n;
  if (self->remaining == 0)
    {
      if (self->state == STATE_BODY)
        message_done (self);
      else
        self->state = STATE_CHUNK_END;
    }
  return n;
}

/* Exactly CRLF after the data: the size said where the data ends. */
static void
feed_chunk_end (CmHttpGuardInput *self,
                const guint8     *byte)
{
  g_byte_array_append (self->line, byte, 1);
  pass (self, byte, 1);
  if (self->line->len == 1 && self->line->data[0] != '\r')
    refuse (self, FIELD_TRANSFER_ENCODING);
  else if (self->line->len == 2)
    {
      if (self->line->data[1] != '\n')
        refuse (self, FIELD_TRANSFER_ENCODING);
      g_byte_array_set_size (self->line, 0);
      self->state = STATE_CHUNK_SIZE;
    }
}

/* Bytes of a head, up to its end; returns how many were taken. Scanned as they come (the
 * CRLF rule, the size, the blank line that ends it) and kept in one copy per read: a byte
 * at a time cost more than the rest of a small request's checks. */
static gsize
feed_head (CmHttpGuardInput *self,
           const guint8     *data,
           gsize             length)
{
  GByteArray *line = self->line;
  guint8 before = line->len > 0 ? line->data[line->len - 1] : 0;
  guint8 before2 = line->len > 1 ? line->data[line->len - 2] : 0;
  const char *refusal = NULL;
  gboolean complete = FALSE;
  gsize i = 0;

  if (line->len == 0)
    {
      self->started = g_get_monotonic_time ();
      if (self->started == 0)
        self->started = 1;
    }
  while (i < length && refusal == NULL && !complete)
    {
      guint8 c = data[i++];

      /* Only CRLF ends a line; the head ends at the first empty one (CRLF CRLF). */
      if ((c == '\n') != (before == '\r') || line->len + i > CM_HTTP_GUARD_MAX_HEAD)
        refusal = FIELD_HEADERS;
      else
        complete = c == '\n' && before2 == '\n';
      before2 = before;
      before = c;
    }
  g_byte_array_append (line, data, i);
  if (refusal != NULL)
    refuse (self, refusal);
  else if (complete)
    head_complete (self);
  return i;
}

/* A chunk-size line or a trailer line, once whole. */
static void
chunk_line_complete (CmHttpGuardInput *self)
{
  guint64 size;

  if (self->state == STATE_TRAILER)
    {
      /* A trailer field, or the empty line that ends the request. */
      if (self->line->len == 2)
        message_done (self);
      else if (self->line->data[0] == ' ' || self->line->data[0] == '\t')
        refuse (self, FIELD_HEADERS);
    }
  else if (!parse_chunk_size (self->line->data, self->line->len - 2, &size))
    refuse (self, FIELD_TRANSFER_ENCODING);
  else if (size == 0)
    self->state = STATE_TRAILER;
  else
    {
      self->state = STATE_CHUNK_DATA;
      self->remaining = size;
    }
  g_byte_array_set_size (self->line, 0);
}

static void
feed_chunk_line (CmHttpGuardInput *self,
                 const guint8     *byte)
{
  g_byte_array_append (self->line, byte, 1);
  pass (self, byte, 1);
  if (!line_byte_ok (self->line) || self->line->len > MAX_LINE)
    refuse (self, self->state == STATE_TRAILER ? FIELD_HEADERS : FIELD_TRANSFER_ENCODING);
  else if (line_complete (self->line))
    chunk_line_complete (self);
}

/* Takes @length bytes from the client; what is checked goes to @self->ready. */
static void
feed (CmHttpGuardInput *self,
      const guint8     *data,
      gsize             length)
{
  gsize i = 0;

  while (i < length && self->refusal == NULL)
    {
      switch (self->state)
        {
        case STATE_BODY:
        case STATE_CHUNK_DATA:
          i += feed_data (self, data + i, length - i);
          break;
        case STATE_CHUNK_END:
          feed_chunk_end (self, data + i++);
          break;
        case STATE_HEAD:
          i += feed_head (self, data + i, length - i);
          break;
        case STATE_CHUNK_SIZE:
        case STATE_TRAILER:
          feed_chunk_line (self, data + i++);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

/* ---- The input stream ---- */

static gsize
take_ready (CmHttpGuardInput *self,
            void             *buffer,
            gsize             count)
{
  gsize n = MIN (count, self->ready->len - self->ready_at);

  memcpy (buffer, self->ready->data + self->ready_at, n);
  self->ready_at += n;
  if (self->ready_at == self->ready->len)
    {
      g_byte_array_set_size (self->ready, 0);
      self->ready_at = 0;
    }
  return n;
}

static gboolean
has_ready (CmHttpGuardInput *self)
{
  return self->ready->len > self->ready_at || self->refusal != NULL || self->base_eof;
}

/* Where libsoup would start reading a new request: nothing of one has gone to it. */
static gboolean
at_request_start (CmHttpGuardInput *self)
{
  return self->state == STATE_HEAD;
}

/* @blocking: a read on the base that waits; else one that may fail with WOULD_BLOCK. */
static gssize
guard_read (CmHttpGuardInput  *self,
            void              *buffer,
            gsize              count,
            gboolean           blocking,
            GCancellable      *cancellable,
            GError           **error)
{
  while (TRUE)
    {
      g_autoptr(GError) base_error = NULL;
      gssize n;

      if (count == 0)
        return 0;
      if (self->ready->len > self->ready_at)
        return take_ready (self, buffer, count);
      /* After a refusal: an end of stream, and nothing more from the client. */
      if (self->refusal != NULL || self->base_eof)
        {
          if (self->ended || !at_request_start (self))
            return 0;
          /* See the top of the file: a "\n" then the end, and answers go nowhere. */
          self->ended = TRUE;
          self->output->cut = TRUE;
          *(char *) buffer = '\n';
          return 1;
        }
      if (blocking)
        n = g_input_stream_read (self->base, self->buffer, sizeof self->buffer, cancellable,
                                 &base_error);
      else
        n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base),
                                                      self->buffer, sizeof self->buffer,
                                                      cancellable, &base_error);
      if (n < 0 && (g_error_matches (base_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) ||
                    g_error_matches (base_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                    !at_request_start (self)))
        {
          g_propagate_error (error, g_steal_pointer (&base_error));
          return -1;
        }
      /* A reset or TLS error between requests ends the connection as an end would. */
      if (n <= 0)
        self->base_eof = TRUE;
      else
        feed (self, self->buffer, n);
    }
}

static gssize
cm_http_guard_input_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return guard_read (CM_HTTP_GUARD_INPUT (stream), buffer, count, TRUE, cancellable, error);
}

static gssize
cm_http_guard_input_read_nonblocking (GPollableInputStream  *stream,
                                      void                  *buffer,
                                      gsize                  count,
                                      GError               **error)
{
  return guard_read (CM_HTTP_GUARD_INPUT (stream), buffer, count, FALSE, NULL, error);
}

static gboolean
cm_http_guard_input_can_poll (GPollableInputStream *stream)
{
  CmHttpGuardInput *self = CM_HTTP_GUARD_INPUT (stream);

  return G_IS_POLLABLE_INPUT_STREAM (self->base) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->base));
}

static gboolean
cm_http_guard_input_is_readable (GPollableInputStream *stream)
{
  CmHttpGuardInput *self = CM_HTTP_GUARD_INPUT (stream);

  return has_ready (self) ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
cm_http_guard_input_create_source (GPollableInputStream *stream,
                                   GCancellable         *cancellable)
{
  CmHttpGuardInput *self = CM_HTTP_GUARD_INPUT (stream);
  g_autoptr(GSource) child = NULL;

  /* Bytes already checked are readable now; otherwise when the client sends more. */
  if (has_ready (self))
    child = g_idle_source_new ();
  else
    child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base),
                                                   cancellable);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static gboolean
cm_http_guard_input_close (GInputStream  *stream,
                           GCancellable  *cancellable,
                           GError       **error)
{
  /* The base belongs to the connection; the guard's own close hands it over. */
  return TRUE;
}

static void
cm_http_guard_input_finalize (GObject *object)
{
  CmHttpGuardInput *self = CM_HTTP_GUARD_INPUT (object);

  g_object_unref (self->base);
  g_byte_array_unref (self->line);
  g_byte_array_unref (self->ready);

  G_OBJECT_CLASS (cm_http_guard_input_parent_class)->finalize (object);
}

static void
cm_http_guard_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = cm_http_guard_input_can_poll;
  iface->is_readable = cm_http_guard_input_is_readable;
  iface->create_source = cm_http_guard_input_create_source;
  iface->read_nonblocking = cm_http_guard_input_read_nonblocking;
}

static void
cm_http_guard_input_class_init (CmHttpGuardInputClass *klass)
{
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cm_http_guard_input_finalize;
  input_class->read_fn = cm_http_guard_input_read;
  input_class->close_fn = cm_http_guard_input_close;
}

static void
cm_http_guard_input_init (CmHttpGuardInput *self)
{
  self->line = g_byte_array_new ();
  self->ready = g_byte_array_new ();
  self->state = STATE_HEAD;
}

/* ---- The output stream: the base's, until cut ---- */

static gboolean
output_cut (CmHttpGuardOutput  *self,
            GError            **error)
{
  if (self->cut)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The connection is ending");
  return self->cut;
}

static gssize
cm_http_guard_output_write (GOutputStream  *stream,
                            const void     *buffer,
                            gsize           count,
                            GCancellable   *cancellable,
                            GError        **error)
{
  CmHttpGuardOutput *self = CM_HTTP_GUARD_OUTPUT (stream);

  if (output_cut (self, error))
    return -1;
  return g_output_stream_write (self->base, buffer, count, cancellable, error);
}

static gboolean
cm_http_guard_output_flush (GOutputStream  *stream,
                            GCancellable   *cancellable,
                            GError        **error)
{
  CmHttpGuardOutput *self = CM_HTTP_GUARD_OUTPUT (stream);

  return !output_cut (self, error) && g_output_stream_flush (self->base, cancellable, error);
}

static gboolean
cm_http_guard_output_close (GOutputStream  *stream,
                            GCancellable   *cancellable,
                            GError        **error)
{
  return TRUE;  /* as the input: the base belongs to the connection */
}

static gssize
cm_http_guard_output_write_nonblocking (GPollableOutputStream  *stream,
                                        const void             *buffer,
                                        gsize                   count,
                                        GError                **error)
{
  CmHttpGuardOutput *self = CM_HTTP_GUARD_OUTPUT (stream);

  if (output_cut (self, error))
    return -1;
  return g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (self->base),
                                                     buffer, count, NULL, error);
}

static gboolean
cm_http_guard_output_can_poll (GPollableOutputStream *stream)
{
  CmHttpGuardOutput *self = CM_HTTP_GUARD_OUTPUT (stream);

  return G_IS_POLLABLE_OUTPUT_STREAM (self->base) &&
         g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (self->base));
}

static gboolean
cm_http_guard_output_is_writable (GPollableOutputStream *stream)
{
  CmHttpGuardOutput *self = CM_HTTP_GUARD_OUTPUT (stream);

  return self->cut ||
         g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (self->base));
}

static GSource *
cm_http_guard_output_create_source (GPollableOutputStream *stream,
                                    GCancellable          *cancellable)
{
  CmHttpGuardOutput *self = CM_HTTP_GUARD_OUTPUT (stream);
  g_autoptr(GSource) child = NULL;

  if (self->cut)
    child = g_idle_source_new ();
  else
    child = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (self->base),
                                                    cancellable);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static void
cm_http_guard_output_finalize (GObject *object)
{
  g_object_unref (CM_HTTP_GUARD_OUTPUT (object)->base);

  G_OBJECT_CLASS (cm_http_guard_output_parent_class)->finalize (object);
}

static void
cm_http_guard_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = cm_http_guard_output_can_poll;
  iface->is_writable = cm_http_guard_output_is_writable;
  iface->create_source = cm_http_guard_output_create_source;
  iface->write_nonblocking = cm_http_guard_output_write_nonblocking;
}

static void
cm_http_guard_output_class_init (CmHttpGuardOutputClass *klass)
{
  GOutputStreamClass *output_class = G_OUTPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cm_http_guard_output_finalize;
  output_class->write_fn = cm_http_guard_output_write;
  output_class->flush = cm_http_guard_output_flush;
  output_class->close_fn = cm_http_guard_output_close;
}

static void
cm_http_guard_output_init (CmHttpGuardOutput *self)
{
}

/* ---- The stream ---- */

static void
notify_closed (CmHttpGuard *self)
{
  CmHttpGuardClosed closed = self->closed;

  self->closed = NULL;
  if (closed != NULL)
    closed (self, self->user_data);
}

static GInputStream *
cm_http_guard_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (CM_HTTP_GUARD (stream)->input);
}

static GOutputStream *
cm_http_guard_get_output_stream (GIOStream *stream)
{
  return G_OUTPUT_STREAM (CM_HTTP_GUARD (stream)->output);
}

static gboolean
cm_http_guard_close (GIOStream     *stream,
                     GCancellable  *cancellable,
                     GError       **error)
{
  notify_closed (CM_HTTP_GUARD (stream));
  return TRUE;
}

static void
cm_http_guard_close_async (GIOStream           *stream,
                           int                  io_priority,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, cm_http_guard_close_async);
  notify_closed (CM_HTTP_GUARD (stream));
  g_task_return_boolean (task, TRUE);
}

static gboolean
cm_http_guard_close_finish (GIOStream     *stream,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cm_http_guard_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CmHttpGuard *self = CM_HTTP_GUARD (object);

  switch (prop_id)
    {
    case PROP_BASE_IO_STREAM:
      g_value_set_object (value, self->base);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_http_guard_dispose (GObject *object)
{
  /* Dropped without a close: the connection is over all the same. */
  notify_closed (CM_HTTP_GUARD (object));

  G_OBJECT_CLASS (cm_http_guard_parent_class)->dispose (object);
}

static void
cm_http_guard_finalize (GObject *object)
{
  CmHttpGuard *self = CM_HTTP_GUARD (object);

  g_object_unref (self->input);
  g_object_unref (self->output);
  g_object_unref (self->base);

  G_OBJECT_CLASS (cm_http_guard_parent_class)->finalize (object);
}

static void
cm_http_guard_class_init (CmHttpGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->get_property = cm_http_guard_get_property;
  object_class->dispose = cm_http_guard_dispose;
  object_class->finalize = cm_http_guard_finalize;
  stream_class->get_input_stream = cm_http_guard_get_input_stream;
  stream_class->get_output_stream = cm_http_guard_get_output_stream;
  stream_class->close_fn = cm_http_guard_close;
  stream_class->close_async = cm_http_guard_close_async;
  stream_class->close_finish = cm_http_guard_close_finish;

  /* The name TLS streams use, so code that looks for the socket underneath finds it. */
  g_object_class_install_property (object_class, PROP_BASE_IO_STREAM,
    g_param_spec_object ("base-io-stream", NULL, NULL, G_TYPE_IO_STREAM,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
cm_http_guard_init (CmHttpGuard *self)
{
}

CmHttpGuard *
cm_http_guard_new (GIOStream         *base,
                   CmHttpGuardClosed  closed,
                   gpointer           user_data)
{
  CmHttpGuard *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  self = g_object_new (CM_TYPE_HTTP_GUARD, NULL);
  self->base = g_object_ref (base);
  self->input = g_object_new (CM_TYPE_HTTP_GUARD_INPUT, NULL);
  self->input->base = g_object_ref (g_io_stream_get_input_stream (base));
  self->output = g_object_new (CM_TYPE_HTTP_GUARD_OUTPUT, NULL);
  self->output->base = g_object_ref (g_io_stream_get_output_stream (base));
  self->input->output = self->output;
  self->closed = closed;
  self->user_data = user_data;
  return self;
}

guint
cm_http_guard_get_n_complete (CmHttpGuard *self)
{
  g_return_val_if_fail (CM_IS_HTTP_GUARD (self), 0);
  return self->input->n_complete;
}

gint64
cm_http_guard_get_started (CmHttpGuard *self)
{
  g_return_val_if_fail (CM_IS_HTTP_GUARD (self), 0);
  return self->input->state == STATE_HEAD && self->input->line->len == 0 ? 0
                                                                         : self->input->started;
}

const char *
cm_http_guard_get_refusal (CmHttpGuard *self)
{
  g_return_val_if_fail (CM_IS_HTTP_GUARD (self), NULL);
  return self->input->refusal;
}
