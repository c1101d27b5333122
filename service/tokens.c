/* tokens.c - API tokens for scripts: create (shown once), list own, revoke. */
#include <stdio.h>

#include "audit.h"
#include "auth.h"
#include "handlers.h"

static const char SQL_TOKENS_LIST[] =
	"SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens"
	" WHERE user_id = ? ORDER BY id DESC";
static const char SQL_TOKEN_GET[] =
	"SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens WHERE id = ? AND user_id = ?";
static const char SQL_TOKEN_REVOKE[] =
	"UPDATE api_tokens SET revoked_at = UTC_TIMESTAMP() WHERE id = ? AND user_id = ? AND revoked_at IS NULL";

int tokens_create(http_req *req, http_res *res)
{
	const char *name;
	long long days = 0;
	char token[65];
	unsigned long long id = 0;
	db_rows *r;
	json_t *item;
	db_status st;

	if (body_string(req, res, "name", 1, 100, &name) ||
	    body_int(req, res, "expires_days", 0, 0, 3650, &days))
		return res->status;
	if ((st = db_begin(req->db)) != DB_OK ||
	    (st = auth_token_create(req->db, req->user.id, name, (int)days, token, &id)) != DB_OK)
		goto fail;
	{
		db_param p[] = {DP_INT(id), DP_INT(req->user.id)};
		if ((st = db_query_one(req->db, SQL_TOKEN_GET, p, 2, &r)) != DB_OK)
			goto fail;
	}
	item = db_rows_object(r, 0);
	db_rows_free(r);
	if ((st = audit_write(req, "create", "api_token", (long long)id, NULL, item)) != DB_OK ||
	    (st = db_commit(req->db)) != DB_OK) {
		json_decref(item);
		goto fail;
	}
	json_object_set_new(item, "token", json_string(token));
	return res_json(res, HTTP_created, item);
fail:
	db_rollback(req->db);
	return res_db_error(res, st);
}

int tokens_list(http_req *req, http_res *res)
{
	db_param p[] = {DP_INT(req->user.id)};
	db_rows *r;
	db_status st = db_query(req->db, SQL_TOKENS_LIST, p, 1, &r);
	json_t *items;
	if (st != DB_OK)
		return res_db_error(res, st);
	items = db_rows_array(r);
	db_rows_free(r);
	return res_json(res, HTTP_ok, json_pack("{s:o}", "items", items));
}

int tokens_delete(http_req *req, http_res *res)
{
	db_param p[] = {DP_INT(req_param_id(req, 0)), DP_INT(req->user.id)};
	unsigned long long n = 0;
	db_status st;
	if ((st = db_begin(req->db)) != DB_OK ||
	    (st = db_exec(req->db, SQL_TOKEN_REVOKE, p, 2, &n, NULL)) != DB_OK)
		goto fail;
	if (n == 0) {
		st = DB_NOT_FOUND;
		goto fail;
	}
	if ((st = audit_write(req, "revoke", "api_token", p[0].i, NULL, NULL)) != DB_OK ||
	    (st = db_commit(req->db)) != DB_OK)
		goto fail;
	auth_cache_clear();
	res->status = HTTP_no_content;
	return HTTP_no_content;
fail:
	db_rollback(req->db);
	return res_db_error(res, st);
}
