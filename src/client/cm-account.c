/* cm-account.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-account"

#include "config.h"

#include "cm-account.h"
#include "cm-client-private.h"
#include "cm-protocol.h"

struct _CmAccount
{
  GObject    parent_instance;

  char      *account_type;         /* (owned) */
  char      *account_number;       /* (owned) */
  char      *name;                 /* (owned) (nullable) */
  char      *status;               /* (owned) (nullable) */
  char      *city;                 /* (owned) (nullable) */
  GDateTime *linked_at;            /* (owned) (nullable) */
  GDateTime *certificate_expires;  /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (CmAccount, cm_account, G_TYPE_OBJECT)

typedef enum
{
  PROP_ACCOUNT_TYPE = 1,
  PROP_ACCOUNT_NUMBER,
  PROP_NAME,
  PROP_STATUS,
  PROP_CITY,
  PROP_LINKED_AT,
  PROP_CERTIFICATE_EXPIRES,
  N_PROPS
} CmAccountProperty;

static GParamSpec *obj_props[N_PROPS];

static void
cm_account_finalize (GObject *object)
{
  CmAccount *self = CM_ACCOUNT (object);

  g_free (self->account_type);
  g_free (self->account_number);
  g_free (self->name);
  g_free (self->status);
  g_free (self->city);
  g_clear_pointer (&self->linked_at, g_date_time_unref);
  g_clear_pointer (&self->certificate_expires, g_date_time_unref);

  G_OBJECT_CLASS (cm_account_parent_class)->finalize (object);
}

static void
cm_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CmAccount *self = CM_ACCOUNT (object);

  switch ((CmAccountProperty) prop_id)
    {
    case PROP_ACCOUNT_TYPE:
      g_value_set_string (value, self->account_type);
      break;
    case PROP_ACCOUNT_NUMBER:
      g_value_set_string (value, self->account_number);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_CITY:
      g_value_set_string (value, self->city);
      break;
    case PROP_LINKED_AT:
      g_value_set_boxed (value, self->linked_at);
      break;
    case PROP_CERTIFICATE_EXPIRES:
      g_value_set_boxed (value, self->certificate_expires);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CmAccount *self = CM_ACCOUNT (object);

  /* Every property is construct-only: an account is a value. */
  switch ((CmAccountProperty) prop_id)
    {
    case PROP_ACCOUNT_TYPE:
      self->account_type = g_value_dup_string (value);
      break;
    case PROP_ACCOUNT_NUMBER:
      self->account_number = g_value_dup_string (value);
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_STATUS:
      self->status = g_value_dup_string (value);
      break;
    case PROP_CITY:
      self->city = g_value_dup_string (value);
      break;
    case PROP_LINKED_AT:
      self->linked_at = g_value_dup_boxed (value);
      break;
    case PROP_CERTIFICATE_EXPIRES:
      self->certificate_expires = g_value_dup_boxed (value);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_account_class_init (CmAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags string_flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                   G_PARAM_STATIC_STRINGS;

  object_class->finalize = cm_account_finalize;
  object_class->get_property = cm_account_get_property;
  object_class->set_property = cm_account_set_property;

  obj_props[PROP_ACCOUNT_TYPE] =
    g_param_spec_string ("account-type", NULL, NULL, NULL, string_flags);
  obj_props[PROP_ACCOUNT_NUMBER] =
    g_param_spec_string ("account-number", NULL, NULL, NULL, string_flags);
  obj_props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, string_flags);
  obj_props[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, string_flags);
  obj_props[PROP_CITY] = g_param_spec_string ("city", NULL, NULL, NULL, string_flags);
  obj_props[PROP_LINKED_AT] =
    g_param_spec_boxed ("linked-at", NULL, NULL, G_TYPE_DATE_TIME, string_flags);
  obj_props[PROP_CERTIFICATE_EXPIRES] =
    g_param_spec_boxed ("certificate-expires", NULL, NULL, G_TYPE_DATE_TIME, string_flags);

  g_object_class_install_properties (object_class, N_PROPS, obj_props);
}

static void
cm_account_init (CmAccount *self)
{
}

/**
 * cm_account_new:
 * @linked_at: (nullable):
 * @certificate_expires: (nullable):
 *
 * Returns: (transfer full): a new account
 */
CmAccount *
cm_account_new (const char *account_type,
                const char *account_number,
                const char *name,
                const char *status,
                const char *city,
                GDateTime  *linked_at,
                GDateTime  *certificate_expires)
{
  g_return_val_if_fail (account_type != NULL, NULL);
  g_return_val_if_fail (account_number != NULL, NULL);

  return g_object_new (CM_TYPE_ACCOUNT,
                       "account-type", account_type,
                       "account-number", account_number,
                       "name", name,
                       "status", status,
                       "city", city,
                       "linked-at", linked_at,
                       "certificate-expires", certificate_expires,
                       NULL);
}

/**
 * cm_account_new_from_json:
 * @object: an `Account` object of docs/openapi.yaml
 *
 * Returns: (transfer full) (nullable): the account, or %NULL with a
 *   CM_ERROR_MISSING_FIELD or CM_ERROR_INVALID_FIELD naming the member
 */
CmAccount *
cm_account_new_from_json (JsonObject  *object,
                          GError     **error)
{
  g_autofree char *account_type = NULL;
  g_autofree char *account_number = NULL;
  g_autofree char *name = NULL;
  g_autofree char *status = NULL;
  g_autofree char *city = NULL;
  g_autoptr(GDateTime) linked_at = NULL;
  g_autoptr(GDateTime) certificate_expires = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  if (!cm_client_json_dup_string (object, CM_MEMBER_ACCOUNT_TYPE, TRUE, &account_type, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_ACCOUNT_NUMBER, TRUE, &account_number,
                                  error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_NAME, FALSE, &name, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_STATUS, FALSE, &status, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_CITY, FALSE, &city, error) ||
      !cm_client_json_get_time (object, CM_MEMBER_LINKED_AT, FALSE, &linked_at, error) ||
      !cm_client_json_get_time (object, CM_MEMBER_CERTIFICATE_EXPIRES, FALSE,
                                &certificate_expires, error))
    return NULL;

  return cm_account_new (account_type, account_number, name, status, city,
                         linked_at, certificate_expires);
}

const char *
cm_account_get_account_type (CmAccount *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT (self), NULL);
  return self->account_type;
}

const char *
cm_account_get_account_number (CmAccount *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT (self), NULL);
  return self->account_number;
}

const char *
cm_account_get_name (CmAccount *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT (self), NULL);
  return self->name;
}

const char *
cm_account_get_status (CmAccount *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT (self), NULL);
  return self->status;
}

const char *
cm_account_get_city (CmAccount *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT (self), NULL);
  return self->city;
}

/**
 * cm_account_get_linked_at:
 *
 * Returns: (transfer none) (nullable):
 */
GDateTime *
cm_account_get_linked_at (CmAccount *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT (self), NULL);
  return self->linked_at;
}

/**
 * cm_account_get_certificate_expires:
 *
 * Returns: (transfer none) (nullable):
 */
GDateTime *
cm_account_get_certificate_expires (CmAccount *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT (self), NULL);
  return self->certificate_expires;
}

gboolean
cm_account_matches (CmAccount  *self,
                    const char *account_type,
                    const char *account_number)
{
  g_return_val_if_fail (CM_IS_ACCOUNT (self), FALSE);

  return g_strcmp0 (self->account_type, account_type) == 0 &&
         g_strcmp0 (self->account_number, account_number) == 0;
}

static gboolean
same_time (GDateTime *a,
           GDateTime *b)
{
  return a == b || (a != NULL && b != NULL && g_date_time_equal (a, b));
}

/**
 * cm_account_equal:
 *
 * Returns: whether @self and @other say the same of one account, every field
 */
gboolean
cm_account_equal (CmAccount *self,
                  CmAccount *other)
{
  g_return_val_if_fail (CM_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (CM_IS_ACCOUNT (other), FALSE);

  return self == other ||
         (cm_account_matches (self, other->account_type, other->account_number) &&
          g_strcmp0 (self->name, other->name) == 0 &&
          g_strcmp0 (self->status, other->status) == 0 &&
          g_strcmp0 (self->city, other->city) == 0 &&
          same_time (self->linked_at, other->linked_at) &&
          same_time (self->certificate_expires, other->certificate_expires));
}
