/* staff_db.c - SQL for staff. A staff member is in scope when the org they work at is. */
#include "staff.h"

#include "roster.h"

#define STAFF_COLUMNS                                                                                \
	"t.id, t.school_id, o.name AS school_name, o.kind AS org_kind, t.name, t.roles, t.position,"    \
	" t.phone, t.active, t.version, t.created_at, t.updated_at,"                                     \
	" (SELECT COUNT(*) FROM pairings p WHERE p.staff_id = t.id AND p.start_date <= ?"                \
	"  AND (p.end_date IS NULL OR p.end_date >= ?)) AS active_pairings"
static const char SQL_STAFF_GET[] =
	"SELECT " STAFF_COLUMNS " FROM staff t JOIN orgs o ON o.id = t.school_id"
	" WHERE t.id = ? AND o.path LIKE CONCAT(?, '%')";
#define STAFF_WHERE                                                                               \
	" FROM staff t JOIN orgs o ON o.id = t.school_id WHERE o.path LIKE CONCAT(?, '%')"             \
	" AND (? IS NULL OR t.school_id = ?) AND (? IS NULL OR FIND_IN_SET(?, t.roles))"              \
	" AND (? IS NULL OR t.active = ?) AND (? IS NULL OR t.name LIKE CONCAT('%', ?, '%') OR t.phone = ?)"
static const char SQL_STAFF_LIST[] =
	"SELECT " STAFF_COLUMNS STAFF_WHERE " ORDER BY t.school_id, t.name, t.id LIMIT ? OFFSET ?";
static const char SQL_STAFF_COUNT[] = "SELECT COUNT(*)" STAFF_WHERE;
static const char SQL_ORG_IN_SCOPE[] = "SELECT COUNT(*) FROM orgs o WHERE o.id = ? AND o.path LIKE CONCAT(?, '%')";
static const char SQL_STAFF_INSERT[] =
	"INSERT INTO staff (school_id, name, roles, position, phone, active) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_STAFF_UPDATE[] =
	"UPDATE staff SET name = COALESCE(?, name), roles = COALESCE(?, roles), position = COALESCE(?, position),"
	" phone = COALESCE(?, phone), active = COALESCE(?, active), version = version + 1,"
	" updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ?";
static const char SQL_STAFF_EXISTS[] = "SELECT id FROM staff WHERE id = ?";

db_status staff_db_get(db *d, const char *scope, long long id, const char *today, json_t **out)
{
	db_param p[] = {DP_STR(today), DP_STR(today), DP_INT(id), DP_STR(scope)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_STAFF_GET, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	*out = db_rows_object(r, 0);
	roster_set_to_array(*out, "roles");
	db_rows_free(r);
	return DB_OK;
}

db_status staff_db_list(db *d, const char *scope, const staff_filter *f, const char *today, const paging *pg,
			json_t **items, long long *total)
{
	db_param p[] = {DP_STR(today), DP_STR(today), DP_STR(scope), db_param_id_or_null(f->school_id),
			db_param_id_or_null(f->school_id), DP_STR(f->role), DP_STR(f->role),
			f->active < 0 ? DP_NULL : DP_INT(f->active), f->active < 0 ? DP_NULL : DP_INT(f->active),
			DP_STR(f->q), DP_STR(f->q), DP_STR(f->q), DP_INT(pg->limit), DP_INT(pg->offset)};
	db_rows *r;
	size_t i;
	db_status st = db_query_int(d, SQL_STAFF_COUNT, p + 2, 10, total);
	if (st != DB_OK || (st = db_query(d, SQL_STAFF_LIST, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	*items = db_rows_array(r);
	db_rows_free(r);
	for (i = 0; i < json_array_size(*items); i++)
		roster_set_to_array(json_array_get(*items, i), "roles");
	return DB_OK;
}

db_status staff_db_org_in_scope(db *d, const char *scope, long long org_id, int *in_scope)
{
	db_param p[] = {DP_INT(org_id), DP_STR(scope)};
	long long n = 0;
	db_status st = db_query_int(d, SQL_ORG_IN_SCOPE, p, DB_NPARAMS(p), &n);
	*in_scope = n > 0;
	return st;
}

db_status staff_db_insert(db *d, const staff_fields *f, long long *id)
{
	char roles[64];
	unsigned long long new_id = 0;
	db_status st;
	roster_set_text(roster_staff_roles, f->roles, roles, sizeof(roles));
	{
		db_param p[] = {DP_INT(f->school_id), DP_STR(f->name), DP_STR(roles), DP_STR(f->position ? f->position : ""),
				DP_STR(f->phone), DP_INT(f->active != 0)};
		st = db_exec(d, SQL_STAFF_INSERT, p, DB_NPARAMS(p), NULL, &new_id);
	}
	*id = (long long)new_id;
	return st;
}

db_status staff_db_update(db *d, long long id, long long version, const staff_fields *f)
{
	char roles[64];
	unsigned long long n = 0;
	long long found;
	db_status st;
	roster_set_text(roster_staff_roles, f->roles, roles, sizeof(roles));
	{
		db_param p[] = {DP_STR(f->name), f->roles_given ? DP_STR(roles) : DP_NULL, DP_STR(f->position),
				DP_STR(f->phone), f->active < 0 ? DP_NULL : DP_INT(f->active), DP_INT(id), DP_INT(version)};
		st = db_exec(d, SQL_STAFF_UPDATE, p, DB_NPARAMS(p), &n, NULL);
	}
	if (st != DB_OK || n > 0)
		return st;
	{
		db_param e[] = {DP_INT(id)};
		st = db_query_int(d, SQL_STAFF_EXISTS, e, 1, &found);
	}
	return st == DB_OK ? DB_CONFLICT : st;
}
