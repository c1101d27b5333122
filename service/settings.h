/* settings.h - the admin's rules (schema/002_settings.sql) as stored. The
 * readers of each rule parse it themselves (rect_db_rules, visits_db_required,
 * students_db_eligible_mask); this reads the rows for GET /api/v1/settings. */
#ifndef DUDAO_SETTINGS_H
#define DUDAO_SETTINGS_H

#include <jansson.h>

#include "db.h"

/* The stored rule rows [{name, value, description, version, updated_at}] by name,
 * never a secret (id_match_key is not a rule). New reference in *out on DB_OK. */
db_status settings_db_rules(db *d, json_t **out);

#endif
