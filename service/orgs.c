/* orgs.c - /api/v1/orgs: read within scope, write by the admin, audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "handlers.h"
#include "orgs.h"
#include "visits.h"

static const char *const org_kinds[] = {"bureau", "town", "school", NULL};
static const char *const org_stages[] = {"学前", "小学", "初中", "高中", "中职", NULL};

/* Reads "stages": [..] into SET text in buf; *out stays NULL when absent. */
static int body_stages(http_req *req, http_res *res, char *buf, size_t n, const char **out)
{
	json_t *v = json_object_get(req->json, "stages"), *s;
	size_t i, k, used = 0;
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return res_error(res, HTTP_bad_request, "stages", "字段 stages 应为学段数组"), -1;
	buf[0] = '\0';
	json_array_foreach(v, i, s) {
		for (k = 0; org_stages[k]; k++)
			if (json_is_string(s) && !strcmp(json_string_value(s), org_stages[k]))
				break;
		if (!org_stages[k])
			return res_error(res, HTTP_bad_request, "stages", "未知学段（可选：学前、小学、初中、高中、中职）"), -1;
		used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? "," : "", org_stages[k]);
		if (used >= n)
			return res_error(res, HTTP_bad_request, "stages", "学段过多"), -1;
	}
	*out = buf;
	return 0;
}

/* A school code is exactly ten digits. */
static int body_school_code(http_req *req, http_res *res, int required, const char **out)
{
	size_t i;
	if (body_string(req, res, "code", required, 10, out))
		return -1;
	for (i = 0; *out && i < 10; i++)
		if ((*out)[i] < '0' || (*out)[i] > '9')
			break;
	if (*out && (i != 10 || (*out)[10]))
		return res_error(res, HTTP_bad_request, "code", "学校标识码应为 10 位数字"), -1;
	return 0;
}

int orgs_list(http_req *req, http_res *res)
{
	const char *kind = req_query(req, "kind"), *parent = req_query(req, "parent_id");
	json_t *items;
	long long total;
	paging pg;
	db_status st;
	if (req_paging(req, res, &pg))
		return res->status;
	st = orgs_db_list(req->db, req->user.org_path, kind, parent ? atoll(parent) : 0,
			  req_query(req, "q"), &pg, &items, &total);
	return st == DB_OK ? res_list(res, items, total, &pg) : res_db_error(res, st);
}

int orgs_get(http_req *req, http_res *res)
{
	json_t *org;
	db_status st = orgs_db_get(req->db, req->user.org_path, req_param_id(req, 0), &org);
	return st == DB_OK ? res_json(res, HTTP_ok, org) : res_db_error(res, st);
}

/* Which parent kinds a kind may hang under. */
static int parent_allowed(const char *kind, const char *parent_kind)
{
	if (!strcmp(kind, "town"))
		return !strcmp(parent_kind, "bureau");
	if (!strcmp(kind, "school"))
		return !strcmp(parent_kind, "bureau") || !strcmp(parent_kind, "town");
	return !strcmp(parent_kind, "bureau");
}

/* Validates a new org's fields; fills parent_path. Returns 0 or the status. */
static int org_create_fields(http_req *req, http_res *res, org_fields *f, char *stages, char *parent_path)
{
	int kind = 0, school;
	char parent_kind[16];
	db_status st;
	f->boarding = 0;
	if (body_enum(req, res, "kind", 1, org_kinds, &kind) || body_string(req, res, "name", 1, 50, &f->name) ||
	    body_int(req, res, "parent_id", kind != 0, 1, 1LL << 60, &f->parent_id) ||
	    body_school_code(req, res, kind == 2, &f->code) || body_stages(req, res, stages, 128, &f->stages) ||
	    body_bool(req, res, "boarding", 0, &f->boarding))
		return res->status;
	f->kind = org_kinds[kind];
	school = kind == 2;
	if (!school && (f->code || f->stages))
		return res_error(res, HTTP_bad_request, f->code ? "code" : "stages", "只有学校才有学校标识码和学段");
	parent_path[0] = '\0';
	if (!f->parent_id)
		return strcmp(req->user.org_path, "/") == 0 || req->user.org_path[0] == '\0'
			       ? 0 : res_error(res, HTTP_forbidden, "parent_id", "只能在自己的管辖范围内创建");
	st = orgs_db_kind(req->db, req->user.org_path, f->parent_id, parent_kind, parent_path);
	if (st == DB_NOT_FOUND)
		return res_error(res, HTTP_bad_request, "parent_id", "上级单位不存在");
	if (st != DB_OK)
		return res_db_error(res, st);
	if (!parent_allowed(f->kind, parent_kind))
		return res_error(res, HTTP_bad_request, "parent_id", "上级单位类型不符合组织层级");
	return 0;
}

int orgs_create(http_req *req, http_res *res)
{
	org_fields f = {0};
	char stages[128], parent_path[256];
	long long id = 0;
	json_t *org = NULL;
	db_status st;

	if (org_create_fields(req, res, &f, stages, parent_path))
		return res->status;
	if ((st = db_begin(req->db)) != DB_OK || (st = orgs_db_insert(req->db, &f, parent_path, &id)) != DB_OK ||
	    (st = orgs_db_get(req->db, "/", id, &org)) != DB_OK ||
	    (st = audit_write(req, "create", "org", id, NULL, org)) != DB_OK || (st = db_commit(req->db)) != DB_OK)
		goto fail;
	return res_json(res, HTTP_created, org);
fail:
	db_rollback(req->db);
	json_decref(org);
	if (st == DB_DUPLICATE)
		return res_error(res, HTTP_conflict, f.code ? "code" : "name", "学校标识码或同级单位名称已存在");
	return res_db_error(res, st);
}

int orgs_update(http_req *req, http_res *res)
{
	org_fields f = {0};
	char stages[128];
	long long version, id = req_param_id(req, 0);
	json_t *before = NULL, *after = NULL;
	db_status st;

	f.boarding = -1;
	if (body_int(req, res, "version", 1, 1, 1LL << 31, &version) ||
	    body_string(req, res, "name", BODY_NOT_BLANK, 50, &f.name) ||
	    body_school_code(req, res, 0, &f.code) || body_stages(req, res, stages, sizeof(stages), &f.stages) ||
	    body_bool(req, res, "boarding", 0, &f.boarding))
		return res->status;
	if ((st = db_begin(req->db)) != DB_OK || (st = orgs_db_get(req->db, req->user.org_path, id, &before)) != DB_OK)
		goto fail;
	if (strcmp(json_string_value(json_object_get(before, "kind")), "school") && (f.code || f.stages)) {
		db_rollback(req->db);
		json_decref(before);
		return res_error(res, HTTP_bad_request, f.code ? "code" : "stages", "只有学校才有学校标识码和学段");
	}
	if ((st = orgs_db_update(req->db, id, version, &f)) != DB_OK ||
	    (st = orgs_db_get(req->db, "/", id, &after)) != DB_OK ||
	    (st = audit_write(req, "update", "org", id, before, after)) != DB_OK || (st = db_commit(req->db)) != DB_OK)
		goto fail;
	visits_db_schools_forget(); /* a school renamed or moved: the next new visit reads it again */
	json_decref(before);
	return res_json(res, HTTP_ok, after);
fail:
	db_rollback(req->db);
	json_decref(before);
	json_decref(after);
	if (st == DB_DUPLICATE)
		return res_error(res, HTTP_conflict, f.code ? "code" : "name", "学校标识码或同级单位名称已存在");
	return res_db_error(res, st);
}
