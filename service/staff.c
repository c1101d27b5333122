/* staff.c - /api/v1/staff: teachers and cadres who can be paired, read within
 * scope, written by principals (their school), aid officers and the admin. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "handlers.h"
#include "roster.h"
#include "staff.h"

/* Digits, spaces, + and -: mobile and landline numbers as people write them. */
static int phone_valid(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == ' '))
			return 0;
	return 1;
}

/* Fields shared by create and update. */
static int staff_common_fields(http_req *req, http_res *res, staff_fields *f, int creating)
{
	if (body_string(req, res, "name", creating, 50, &f->name) ||
	    roster_body_set(req, res, "roles", roster_staff_roles, &f->roles, &f->roles_given) ||
	    body_string(req, res, "position", 0, 100, &f->position) || body_string(req, res, "phone", 0, 20, &f->phone) ||
	    body_bool(req, res, "active", 0, &f->active))
		return -1;
	if (f->name && !*f->name)
		return res_error(res, HTTP_bad_request, "name", "姓名不能为空"), -1;
	if (f->phone && !phone_valid(f->phone))
		return res_error(res, HTTP_bad_request, "phone", "电话号码只能包含数字、空格、+ 和 -"), -1;
	return 0;
}

int staff_list(http_req *req, http_res *res)
{
	staff_filter f = {0, NULL, req_query(req, "q"), -1};
	const char *active = req_query(req, "active");
	json_t *items;
	long long total;
	paging pg;
	db_status st;
	if (req_paging(req, res, &pg) || roster_query_id(req, res, "school_id", &f.school_id) ||
	    roster_query_enum(req, res, "role", roster_staff_roles, &f.role))
		return res->status;
	if (active && strcmp(active, "1") && strcmp(active, "0"))
		return res_error(res, HTTP_bad_request, "active", "参数 active 应为 1 或 0");
	if (active)
		f.active = atoi(active);
	st = staff_db_list(req->db, req->user.org_path, &f, req->today, &pg, &items, &total);
	return st == DB_OK ? res_list(res, items, total, &pg) : res_db_error(res, st);
}

int staff_get(http_req *req, http_res *res)
{
	json_t *s;
	db_status st = staff_db_get(req->db, req->user.org_path, req_param_id(req, 0), req->today, &s);
	return st == DB_OK ? res_json(res, HTTP_ok, s) : res_db_error(res, st);
}

int staff_create(http_req *req, http_res *res)
{
	staff_fields f = {0};
	long long id = 0;
	int in_scope = 0;
	json_t *s = NULL;
	db_status st;
	f.active = 1;
	if (body_int(req, res, "school_id", 1, 1, 1LL << 60, &f.school_id) || staff_common_fields(req, res, &f, 1))
		return res->status;
	if ((st = staff_db_org_in_scope(req->db, req->user.org_path, f.school_id, &in_scope)) != DB_OK)
		return res_db_error(res, st);
	if (!in_scope)
		return res_error(res, HTTP_bad_request, "school_id", "单位不存在或不在管辖范围内");
	if ((st = db_begin(req->db)) != DB_OK || (st = staff_db_insert(req->db, &f, &id)) != DB_OK ||
	    (st = staff_db_get(req->db, "/", id, req->today, &s)) != DB_OK ||
	    (st = audit_write(req, "create", "staff", id, NULL, s)) != DB_OK || (st = db_commit(req->db)) != DB_OK) {
		db_rollback(req->db);
		json_decref(s);
		return res_db_error(res, st);
	}
	return res_json(res, HTTP_created, s);
}

int staff_update(http_req *req, http_res *res)
{
	staff_fields f = {0};
	long long version, id = req_param_id(req, 0);
	json_t *before = NULL, *after = NULL;
	db_status st;
	f.active = -1;
	if (body_int(req, res, "version", 1, 1, 1LL << 31, &version) || staff_common_fields(req, res, &f, 0))
		return res->status;
	if ((st = db_begin(req->db)) != DB_OK ||
	    (st = staff_db_get(req->db, req->user.org_path, id, req->today, &before)) != DB_OK ||
	    (st = staff_db_update(req->db, id, version, &f)) != DB_OK ||
	    (st = staff_db_get(req->db, "/", id, req->today, &after)) != DB_OK ||
	    (st = audit_write(req, "update", "staff", id, before, after)) != DB_OK || (st = db_commit(req->db)) != DB_OK) {
		db_rollback(req->db);
		json_decref(before);
		json_decref(after);
		return res_db_error(res, st);
	}
	json_decref(before);
	return res_json(res, HTTP_ok, after);
}
