/* users_db.c - SQL for user accounts, scoped by the org path of the caller. */
#include "users.h"

static const char SQL_USER_GET[] =
	"SELECT u.id, u.username, u.display_name, u.role, u.org_id, o.name AS org_name, u.phone,"
	" u.active, u.version, u.created_at FROM users u JOIN orgs o ON o.id = u.org_id"
	" WHERE u.id = ? AND o.path LIKE CONCAT(?, '%')";
static const char SQL_USER_LIST[] =
	"SELECT u.id, u.username, u.display_name, u.role, u.org_id, o.name AS org_name, u.phone,"
	" u.active, u.version, u.created_at FROM users u JOIN orgs o ON o.id = u.org_id"
	" WHERE o.path LIKE CONCAT(?, '%') AND (? IS NULL OR u.role = ?) AND (? IS NULL OR u.org_id = ?)"
	" AND (? IS NULL OR u.username LIKE CONCAT('%', ?, '%') OR u.display_name LIKE CONCAT('%', ?, '%'))"
	" ORDER BY u.id LIMIT ? OFFSET ?";
static const char SQL_USER_COUNT[] =
	"SELECT COUNT(*) FROM users u JOIN orgs o ON o.id = u.org_id"
	" WHERE o.path LIKE CONCAT(?, '%') AND (? IS NULL OR u.role = ?) AND (? IS NULL OR u.org_id = ?)"
	" AND (? IS NULL OR u.username LIKE CONCAT('%', ?, '%') OR u.display_name LIKE CONCAT('%', ?, '%'))";
static const char SQL_USER_INSERT[] =
	"INSERT INTO users (username, display_name, role, org_id, password_hash, phone, active)"
	" VALUES (?, ?, ?, ?, ?, ?, 1)";
static const char SQL_USER_UPDATE[] =
	"UPDATE users SET display_name = COALESCE(?, display_name), role = COALESCE(?, role),"
	" org_id = COALESCE(?, org_id), password_hash = COALESCE(?, password_hash),"
	" phone = COALESCE(?, phone), active = COALESCE(?, active),"
	" version = version + 1, updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ?";
static const char SQL_USER_EXISTS[] = "SELECT id FROM users WHERE id = ?";
static const char SQL_USER_END_SESSIONS[] = "DELETE FROM sessions WHERE user_id = ?";

db_status users_db_get(db *d, const char *scope_path, long long id, json_t **out)
{
	db_param p[] = {DP_INT(id), DP_STR(scope_path)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_USER_GET, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	*out = db_rows_object(r, 0);
	db_rows_free(r);
	return DB_OK;
}

db_status users_db_list(db *d, const char *scope_path, const char *role, long long org_id,
			const char *q, const paging *pg, json_t **items, long long *total)
{
	db_param p[] = {DP_STR(scope_path), DP_STR(role), DP_STR(role), db_param_id_or_null(org_id),
			db_param_id_or_null(org_id), DP_STR(q), DP_STR(q), DP_STR(q),
			DP_INT(pg->limit), DP_INT(pg->offset)};
	db_rows *r;
	db_status st = db_query_int(d, SQL_USER_COUNT, p, 8, total);
	if (st != DB_OK || (st = db_query(d, SQL_USER_LIST, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	*items = db_rows_array(r);
	db_rows_free(r);
	return DB_OK;
}

db_status users_db_insert(db *d, const user_fields *f, long long *id)
{
	unsigned long long new_id = 0;
	db_param p[] = {DP_STR(f->username), DP_STR(f->display_name), DP_STR(f->role), DP_INT(f->org_id),
			DP_STR(f->password_hash), DP_STR(f->phone)};
	db_status st = db_exec(d, SQL_USER_INSERT, p, DB_NPARAMS(p), NULL, &new_id);
	*id = (long long)new_id;
	return st;
}

db_status users_db_update(db *d, long long id, long long version, const user_fields *f)
{
	unsigned long long n = 0;
	long long found;
	db_param p[] = {DP_STR(f->display_name), DP_STR(f->role), db_param_id_or_null(f->org_id),
			DP_STR(f->password_hash), DP_STR(f->phone), f->active < 0 ? DP_NULL : DP_INT(f->active),
			DP_INT(id), DP_INT(version)};
	db_param e[] = {DP_INT(id)};
	db_status st = db_exec(d, SQL_USER_UPDATE, p, DB_NPARAMS(p), &n, NULL);
	if (st != DB_OK)
		return st;
	if (n == 0) {
		st = db_query_int(d, SQL_USER_EXISTS, e, 1, &found);
		return st == DB_OK ? DB_CONFLICT : st;
	}
	/* A new password, a new role or a deactivation ends the user's sessions. */
	if (f->password_hash || f->role || f->active == 0 || f->org_id)
		st = db_exec(d, SQL_USER_END_SESSIONS, e, 1, NULL, NULL);
	return st;
}
