/* audit.c - writing and reading the audit log (admin only). */
#include "audit.h"

#include <stdlib.h>
#include <string.h>

#include "handlers.h"

static const char SQL_AUDIT_INSERT[] =
	"INSERT INTO audit_log (user_id, ip, action, entity, entity_id, before_json, after_json)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_AUDIT_LIST[] =
	"SELECT a.id, CAST(a.at AS DATETIME) AS at, a.user_id, u.username, a.ip, a.action, a.entity, a.entity_id,"
	" a.before_json AS `before`, a.after_json AS `after`"
	" FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
	" WHERE (? IS NULL OR a.entity = ?) AND (? IS NULL OR a.entity_id = ?)"
	" AND (? IS NULL OR a.user_id = ?)"
	" ORDER BY a.id DESC LIMIT ? OFFSET ?";
static const char SQL_AUDIT_COUNT[] =
	"SELECT COUNT(*) FROM audit_log a"
	" WHERE (? IS NULL OR a.entity = ?) AND (? IS NULL OR a.entity_id = ?)"
	" AND (? IS NULL OR a.user_id = ?)";

db_status audit_write(http_req *req, const char *action, const char *entity, long long entity_id,
		      json_t *before, json_t *after)
{
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	db_param p[] = {db_param_id_or_null(req->user.id), DP_STR(req->client_ip), DP_STR(action),
			DP_STR(entity), db_param_id_or_null(entity_id), DP_STR(b), DP_STR(a)};
	db_status st = db_exec(req->db, SQL_AUDIT_INSERT, p, DB_NPARAMS(p), NULL, NULL);
	req->audited = 1;
	free(b);
	free(a);
	return st;
}

/* The stored before/after text back as JSON values. */
static void audit_parse_json(json_t *item, const char *key)
{
	json_t *v = json_object_get(item, key);
	if (json_is_string(v))
		json_object_set_new(item, key, json_loads(json_string_value(v), 0, NULL));
}

int audit_list(http_req *req, http_res *res)
{
	const char *entity = req_query(req, "entity"), *eid = req_query(req, "entity_id");
	const char *uid = req_query(req, "user_id");
	long long entity_id = eid ? atoll(eid) : 0, user_id = uid ? atoll(uid) : 0, total = 0;
	paging pg;
	db_rows *r;
	json_t *items;
	size_t i;
	db_status st;

	if (req_paging(req, res, &pg))
		return res->status;
	{
		db_param f[] = {DP_STR(entity), DP_STR(entity), db_param_id_or_null(entity_id),
				db_param_id_or_null(entity_id), db_param_id_or_null(user_id),
				db_param_id_or_null(user_id), DP_INT(pg.limit), DP_INT(pg.offset)};
		st = db_query_int(req->db, SQL_AUDIT_COUNT, f, 6, &total);
		if (st == DB_OK)
			st = db_query(req->db, SQL_AUDIT_LIST, f, DB_NPARAMS(f), &r);
	}
	if (st != DB_OK)
		return res_db_error(res, st);
	items = db_rows_array(r);
	db_rows_free(r);
	for (i = 0; i < json_array_size(items); i++) {
		audit_parse_json(json_array_get(items, i), "before");
		audit_parse_json(json_array_get(items, i), "after");
	}
	return res_list(res, items, total, &pg);
}
