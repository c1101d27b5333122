/* settings.h - the admin's rules (schema/002_settings.sql) as stored. The
 * readers of each rule parse it themselves (rect_db_rules, visits_db_required,
 * students_db_eligible_mask); this reads the rows for GET /api/v1/settings and
 * writes them for PATCH. */
#ifndef DUDAO_SETTINGS_H
#define DUDAO_SETTINGS_H

#include <jansson.h>

#include "db.h"

/* The stored rule rows [{name, value, description, version, updated_at}] by name,
 * never a secret (id_match_key is not a rule). New reference in *out on DB_OK. */
db_status settings_db_rules(db *d, json_t **out);

/* Sets rule name to value when its row is at version; DB_CONFLICT when it is not
 * (or there is no such row). Call inside a transaction. */
db_status settings_db_update(db *d, const char *name, const char *value, long long version);

#endif
