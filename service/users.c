/* users.c - /api/v1/users: accounts managed by the admin, audited. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "handlers.h"
#include "orgs.h"
#include "users.h"

static const char *const user_roles[] = {"admin", "bureau_head", "inspector", "aid_officer", "principal", NULL};

/* 3..32 of [a-z0-9_.-]. */
static int username_valid(const char *s)
{
	size_t n = strlen(s), i;
	if (n < 3 || n > 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || strchr("_.-", s[i])))
			return 0;
	return 1;
}

static int phone_valid(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == ' '))
			return 0;
	return 1;
}

/* The org must be in the admin's scope, and a principal's org must be a school. */
static int check_user_org(http_req *req, http_res *res, const char *role, long long org_id)
{
	char kind[16], path[256];
	db_status st = orgs_db_kind(req->db, req->user.org_path, org_id, kind, path);
	if (st == DB_NOT_FOUND)
		return res_error(res, HTTP_bad_request, "org_id", "所属单位不存在");
	if (st != DB_OK)
		return res_db_error(res, st);
	if (role && !strcmp(role, "principal") && strcmp(kind, "school"))
		return res_error(res, HTTP_bad_request, "org_id", "校长的所属单位必须是学校");
	return 0;
}

/* Reads the optional fields shared by create and update; hashes a new password into hash. */
static int user_common_fields(http_req *req, http_res *res, user_fields *f, int creating, char *hash)
{
	const char *password;
	int role = -1;
	if (body_string(req, res, "display_name", creating ? BODY_REQUIRED : BODY_NOT_BLANK, 50, &f->display_name) ||
	    body_enum(req, res, "role", creating, user_roles, &role) ||
	    body_int(req, res, "org_id", creating, 1, 1LL << 60, &f->org_id) ||
	    body_string(req, res, "password", creating, 128, &password) ||
	    body_string(req, res, "phone", 0, 20, &f->phone))
		return res->status;
	f->role = role >= 0 ? user_roles[role] : NULL;
	if (f->phone && !phone_valid(f->phone))
		return res_error(res, HTTP_bad_request, "phone", "电话号码只能包含数字、空格、+ 和 -");
	if (password && strlen(password) < 8)
		return res_error(res, HTTP_bad_request, "password", "密码至少 8 个字符");
	if (password && auth_password_hash(password, hash, 128) != 0)
		return res_error(res, HTTP_internal_error, NULL, "密码处理失败");
	f->password_hash = password ? hash : NULL;
	return 0;
}

int users_list(http_req *req, http_res *res)
{
	const char *org = req_query(req, "org_id");
	json_t *items;
	long long total;
	paging pg;
	db_status st;
	if (req_paging(req, res, &pg))
		return res->status;
	st = users_db_list(req->db, req->user.org_path, req_query(req, "role"), org ? atoll(org) : 0,
			   req_query(req, "q"), &pg, &items, &total);
	return st == DB_OK ? res_list(res, items, total, &pg) : res_db_error(res, st);
}

int users_get(http_req *req, http_res *res)
{
	json_t *u;
	db_status st = users_db_get(req->db, req->user.org_path, req_param_id(req, 0), &u);
	return st == DB_OK ? res_json(res, HTTP_ok, u) : res_db_error(res, st);
}

int users_create(http_req *req, http_res *res)
{
	user_fields f = {0};
	char hash[128];
	long long id = 0;
	json_t *user = NULL;
	db_status st;

	if (body_string(req, res, "username", 1, 32, &f.username))
		return res->status;
	if (!username_valid(f.username))
		return res_error(res, HTTP_bad_request, "username", "用户名应为 3 到 32 个小写字母、数字或 _ . -");
	if (user_common_fields(req, res, &f, 1, hash) || check_user_org(req, res, f.role, f.org_id))
		return res->status;
	if ((st = db_begin(req->db)) != DB_OK || (st = users_db_insert(req->db, &f, &id)) != DB_OK ||
	    (st = users_db_get(req->db, "/", id, &user)) != DB_OK ||
	    (st = audit_write(req, "create", "user", id, NULL, user)) != DB_OK || (st = db_commit(req->db)) != DB_OK)
		goto fail;
	return res_json(res, HTTP_created, user);
fail:
	db_rollback(req->db);
	json_decref(user);
	if (st == DB_DUPLICATE)
		return res_error(res, HTTP_conflict, "username", "用户名已存在：%s", f.username);
	return res_db_error(res, st);
}

int users_update(http_req *req, http_res *res)
{
	user_fields f = {0};
	char hash[128];
	long long version, id = req_param_id(req, 0);
	json_t *before = NULL, *after = NULL;
	const char *role;
	db_status st;

	f.active = -1;
	if (body_int(req, res, "version", 1, 1, 1LL << 31, &version) ||
	    user_common_fields(req, res, &f, 0, hash) || body_bool(req, res, "active", 0, &f.active))
		return res->status;
	if ((st = db_begin(req->db)) != DB_OK || (st = users_db_get(req->db, req->user.org_path, id, &before)) != DB_OK)
		goto fail;
	role = f.role ? f.role : json_string_value(json_object_get(before, "role"));
	if ((f.org_id || f.role) &&
	    check_user_org(req, res, role, f.org_id ? f.org_id : json_integer_value(json_object_get(before, "org_id")))) {
		db_rollback(req->db);
		json_decref(before);
		return res->status;
	}
	if ((st = users_db_update(req->db, id, version, &f)) != DB_OK ||
	    (st = users_db_get(req->db, "/", id, &after)) != DB_OK ||
	    (st = audit_write(req, "update", "user", id, before, after)) != DB_OK || (st = db_commit(req->db)) != DB_OK)
		goto fail;
	auth_cache_clear(); /* role, org, name or active: callers are read again */
	json_decref(before);
	return res_json(res, HTTP_ok, after);
fail:
	db_rollback(req->db);
	json_decref(before);
	json_decref(after);
	return res_db_error(res, st);
}
