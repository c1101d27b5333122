/* audit.c - writing and reading the audit log (admin only). */
#include "audit.h"

#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "handlers.h"
#include "util.h"

#define AUDIT_INSERT(rows) \
	"INSERT INTO audit_log (user_id, ip, action, entity, entity_id, before_json, after_json) VALUES " rows
#define AUDIT_PARAMS 7
static const char *const SQL_AUDIT_INSERT[BATCH_SIZES] = BATCH_SQL(AUDIT_INSERT, "(?, ?, ?, ?, ?, ?, ?)");
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

/* An entry with its before and after as text, for audit_row. */
typedef struct {
	const audit_entry *e;
	char *before, *after;
} audit_text;

static void audit_row(void *ctx, size_t i, db_param *p)
{
	const audit_text *t = (const audit_text *)ctx + i;
	const audit_entry *e = t->e;
	p[0] = db_param_id_or_null(e->req->user.id);
	p[1] = DP_STR(e->req->client_ip);
	p[2] = DP_STR(e->action);
	p[3] = DP_STR(e->entity);
	p[4] = db_param_id_or_null(e->entity_id);
	p[5] = DP_STR(t->before);
	p[6] = DP_STR(t->after);
}

static char *audit_json(const json_t *v)
{
	return v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

db_status audit_write_many(db *d, audit_entry *e, size_t n)
{
	audit_text *t = xcalloc(n + 1, sizeof(*t));
	size_t i;
	db_status st;
	for (i = 0; i < n; i++) {
		t[i] = (audit_text){&e[i], audit_json(e[i].before), audit_json(e[i].after)};
		e[i].req->audited = 1;
	}
	st = batch_exec(d, SQL_AUDIT_INSERT, NULL, 0, AUDIT_PARAMS, NULL, 0, n, audit_row, t);
	for (i = 0; i < n; i++) {
		free(t[i].before);
		free(t[i].after);
	}
	free(t);
	return st;
}

db_status audit_write(http_req *req, const char *action, const char *entity, long long entity_id,
		      json_t *before, json_t *after)
{
	audit_entry e = {req, action, entity, entity_id, before, after};
	return audit_write_many(req->db, &e, 1);
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
