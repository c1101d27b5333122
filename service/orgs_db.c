/* orgs_db.c - SQL for the organisation tree. Scope is a prefix of the
 * materialized path, so every query carries the caller's path. */
#include "orgs.h"

#include <string.h>

#include "util.h"

#define ORG_COLUMNS \
	"o.id, o.parent_id, o.kind, o.name, o.code, o.stages, o.boarding, o.path, o.version"

static const char SQL_ORG_GET[] =
	"SELECT " ORG_COLUMNS " FROM orgs o WHERE o.id = ? AND o.path LIKE CONCAT(?, '%')";
/* The nearest bureau at or above an org (a county's under a city's: the deepest). */
static const char SQL_ORG_BUREAU[] =
	"SELECT b.name FROM orgs o JOIN orgs b ON b.kind = 'bureau' AND o.path LIKE CONCAT(b.path, '%')"
	" WHERE o.id = ? ORDER BY LENGTH(b.path) DESC LIMIT 1";
static const char SQL_ORG_KIND[] =
	"SELECT o.kind, o.path FROM orgs o WHERE o.id = ? AND o.path LIKE CONCAT(?, '%')";
static const char SQL_ORG_LIST[] =
	"SELECT " ORG_COLUMNS " FROM orgs o WHERE o.path LIKE CONCAT(?, '%')"
	" AND (? IS NULL OR o.kind = ?) AND (? IS NULL OR o.parent_id = ?)"
	" AND (? IS NULL OR o.name LIKE CONCAT('%', ?, '%') OR o.code = ?)"
	" ORDER BY o.path LIMIT ? OFFSET ?";
static const char SQL_ORG_COUNT[] =
	"SELECT COUNT(*) FROM orgs o WHERE o.path LIKE CONCAT(?, '%')"
	" AND (? IS NULL OR o.kind = ?) AND (? IS NULL OR o.parent_id = ?)"
	" AND (? IS NULL OR o.name LIKE CONCAT('%', ?, '%') OR o.code = ?)";
static const char SQL_ORG_INSERT[] =
	"INSERT INTO orgs (parent_id, kind, name, code, stages, boarding) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_ORG_SET_PATH[] = "UPDATE orgs SET path = CONCAT(?, id, '/') WHERE id = ?";
static const char SQL_ORG_UPDATE[] =
	"UPDATE orgs SET name = COALESCE(?, name), code = COALESCE(?, code),"
	" stages = COALESCE(?, stages), boarding = COALESCE(?, boarding),"
	" version = version + 1, updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ?";
static const char SQL_ORG_EXISTS[] = "SELECT id FROM orgs WHERE id = ?";

/* The SET column "小学,初中" as ["小学","初中"]. */
static void org_stages_to_array(json_t *org)
{
	json_t *v = json_object_get(org, "stages"), *arr = json_array();
	const char *s = json_is_string(v) ? json_string_value(v) : "";
	while (*s) {
		size_t n = strcspn(s, ",");
		json_array_append_new(arr, json_stringn(s, n));
		s += n + (s[n] == ',');
	}
	json_object_set_new(org, "stages", arr);
}

db_status orgs_db_get(db *d, const char *scope_path, long long id, json_t **out)
{
	db_param p[] = {DP_INT(id), DP_STR(scope_path)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_ORG_GET, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	*out = db_rows_object(r, 0);
	org_stages_to_array(*out);
	db_rows_free(r);
	return DB_OK;
}

db_status orgs_db_bureau_name(db *d, long long id, char *name, size_t n)
{
	db_param p[] = {DP_INT(id)};
	return db_query_str(d, SQL_ORG_BUREAU, p, 1, name, n);
}

db_status orgs_db_kind(db *d, const char *scope_path, long long id, char *kind, char *path)
{
	db_param p[] = {DP_INT(id), DP_STR(scope_path)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_ORG_KIND, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	str_copy(kind, 16, db_rows_str(r, 0, 0));
	str_copy(path, 256, db_rows_str(r, 0, 1));
	db_rows_free(r);
	return DB_OK;
}

db_status orgs_db_list(db *d, const char *scope_path, const char *kind, long long parent_id,
		       const char *q, const paging *pg, json_t **items, long long *total)
{
	db_param p[] = {DP_STR(scope_path), DP_STR(kind), DP_STR(kind), db_param_id_or_null(parent_id),
			db_param_id_or_null(parent_id), DP_STR(q), DP_STR(q), DP_STR(q),
			DP_INT(pg->limit), DP_INT(pg->offset)};
	db_rows *r;
	size_t i;
	db_status st = db_query_int(d, SQL_ORG_COUNT, p, 8, total);
	if (st != DB_OK || (st = db_query(d, SQL_ORG_LIST, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	*items = db_rows_array(r);
	db_rows_free(r);
	for (i = 0; i < json_array_size(*items); i++)
		org_stages_to_array(json_array_get(*items, i));
	return DB_OK;
}

db_status orgs_db_insert(db *d, const org_fields *f, const char *parent_path, long long *id)
{
	unsigned long long new_id = 0;
	db_param p[] = {db_param_id_or_null(f->parent_id), DP_STR(f->kind), DP_STR(f->name),
			DP_STR(f->code), DP_STR(f->stages ? f->stages : ""), DP_INT(f->boarding > 0)};
	db_status st = db_exec(d, SQL_ORG_INSERT, p, DB_NPARAMS(p), NULL, &new_id);
	if (st != DB_OK)
		return st;
	{
		db_param q[] = {DP_STR(parent_path[0] ? parent_path : "/"), DP_INT(new_id)};
		st = db_exec(d, SQL_ORG_SET_PATH, q, DB_NPARAMS(q), NULL, NULL);
	}
	*id = (long long)new_id;
	return st;
}

db_status orgs_db_update(db *d, long long id, long long version, const org_fields *f)
{
	unsigned long long n = 0;
	db_param p[] = {DP_STR(f->name), DP_STR(f->code), DP_STR(f->stages),
			f->boarding < 0 ? DP_NULL : DP_INT(f->boarding), DP_INT(id), DP_INT(version)};
	db_param e[] = {DP_INT(id)};
	long long found;
	db_status st = db_exec(d, SQL_ORG_UPDATE, p, DB_NPARAMS(p), &n, NULL);
	if (st != DB_OK || n > 0)
		return st;
	st = db_query_int(d, SQL_ORG_EXISTS, e, 1, &found);
	return st == DB_OK ? DB_CONFLICT : st;
}
