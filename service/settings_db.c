/* settings_db.c - SQL for the admin's rules. Only rows that are rules are read:
 * the install's secrets in the same table (id_match_key) never leave it. */
#include "settings.h"

static const char SQL_RULE_ROWS[] =
	"SELECT name, value, description, version, updated_at FROM settings"
	" WHERE name LIKE 'deadline\\_days\\_%' OR name LIKE 'escalate\\_days\\_%'"
	" OR name IN ('visits_per_semester', 'eligible_categories') ORDER BY name";

db_status settings_db_rules(db *d, json_t **out)
{
	db_rows *r;
	db_status st = db_query(d, SQL_RULE_ROWS, NULL, 0, &r);
	if (st != DB_OK)
		return st;
	*out = db_rows_array(r);
	db_rows_free(r);
	return DB_OK;
}
