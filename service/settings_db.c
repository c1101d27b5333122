/* settings_db.c - SQL for the admin's rules. Only rows that are rules are read:
 * the install's secrets in the same table (id_match_key) never leave it. */
#include "settings.h"

static const char SQL_RULE_ROWS[] =
	"SELECT name, value, description, version, updated_at FROM settings"
	" WHERE name LIKE 'deadline\\_days\\_%' OR name LIKE 'escalate\\_days\\_%'"
	" OR name IN ('visits_per_semester', 'eligible_categories') ORDER BY name";

static const char SQL_RULE_UPDATE[] =
	"UPDATE settings SET value = ?, version = version + 1, updated_at = UTC_TIMESTAMP()"
	" WHERE name = ? AND version = ?";

db_status settings_db_update(db *d, const char *name, const char *value, long long version)
{
	unsigned long long n = 0;
	db_param p[] = {DP_STR(value), DP_STR(name), DP_INT(version)};
	db_status st = db_exec(d, SQL_RULE_UPDATE, p, DB_NPARAMS(p), &n, NULL);
	return st == DB_OK && n == 0 ? DB_CONFLICT : st;
}

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
