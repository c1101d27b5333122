/* session.c - signing in and out with a cookie session. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "auth.h"
#include "handlers.h"
#include "util.h"

static const char SQL_LOGIN_USER[] =
	"SELECT id, password_hash FROM users WHERE username = ? AND active = 1";
static const char SQL_USER_ORG[] =
	"SELECT o.name, o.kind FROM orgs o WHERE o.id = ?";

/* {"id","username","display_name","role","org_id","org_name","org_kind"} for u. New reference. */
static json_t *session_user_json(db *d, const auth_user *u)
{
	db_param p[] = {DP_INT(u->org_id)};
	db_rows *r = NULL;
	json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:I}", "id", (json_int_t)u->id, "username", u->username,
			      "display_name", u->display_name, "role", role_name(u->role), "org_id",
			      (json_int_t)u->org_id);
	if (db_query_one(d, SQL_USER_ORG, p, 1, &r) == DB_OK) {
		json_object_set_new(j, "org_name", json_string(db_rows_str(r, 0, 0)));
		json_object_set_new(j, "org_kind", json_string(db_rows_str(r, 0, 1)));
	}
	db_rows_free(r);
	return j;
}

static int session_reply(http_req *req, http_res *res, int status, const char *csrf, const char *expires)
{
	json_t *body = json_object();
	json_object_set_new(body, "user", session_user_json(req->db, &req->user));
	json_object_set_new(body, "csrf_token", csrf && *csrf ? json_string(csrf) : json_null());
	json_object_set_new(body, "expires_at", expires && *expires ? json_string(expires) : json_null());
	return res_json(res, status, body);
}

static void set_cookie(http_req *req, http_res *res, const char *value, int max_age)
{
	char cookie[256];
	snprintf(cookie, sizeof(cookie), "dudao_session=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
		 value, max_age, req->app->cfg.secure_cookie ? "; Secure" : "");
	res_header(res, "Set-Cookie", cookie);
}

/* Checks the password; returns the user id, or 0 when the name or password is wrong. */
static long long login_check(http_req *req, const char *username, const char *password, db_status *st)
{
	db_param p[] = {DP_STR(username)};
	db_rows *r;
	long long id = 0;
	*st = db_query_one(req->db, SQL_LOGIN_USER, p, 1, &r);
	if (*st == DB_NOT_FOUND)
		auth_password_verify_nobody(password);
	if (*st != DB_OK)
		return 0;
	if (auth_password_verify(db_rows_str(r, 0, 1), password))
		id = db_rows_int(r, 0, 0);
	db_rows_free(r);
	return id;
}

int session_create(http_req *req, http_res *res)
{
	const char *username, *password;
	char cookie[65], csrf[65], expires[21], wait_s[16];
	long long id;
	int wait;
	db_status st;

	if (body_string(req, res, "username", 1, 64, &username) ||
	    body_string(req, res, "password", 1, 128, &password))
		return res->status;
	wait = auth_throttle_wait(req->db, username, req->client_ip);
	if (wait > 0) {
		snprintf(wait_s, sizeof(wait_s), "%d", wait);
		res_header(res, "Retry-After", wait_s);
		return res_error(res, HTTP_too_many_requests, NULL, "登录失败次数过多，请 %d 分钟后再试",
				 (wait + 59) / 60);
	}
	id = login_check(req, username, password, &st);
	if (st != DB_OK && st != DB_NOT_FOUND)
		return res_db_error(res, st);
	if (!id) {
		auth_throttle_fail(req->db, username, req->client_ip);
		return res_error(res, HTTP_unauthorized, NULL, "用户名或密码错误");
	}
	auth_throttle_clear(req->db, username);
	if ((st = auth_load_user(req->db, id, &req->user)) != DB_OK ||
	    (st = auth_session_create(req->db, id, req->client_ip, req->app->cfg.session_hours, cookie,
				      csrf, expires)) != DB_OK)
		return res_db_error(res, st);
	audit_write(req, "login", "session", id, NULL, NULL);
	set_cookie(req, res, cookie, req->app->cfg.session_hours * 3600);
	return session_reply(req, res, HTTP_created, csrf, expires);
}

int session_get(http_req *req, http_res *res)
{
	char csrf[65] = "", expires[21] = "";
	if (req->user.via_cookie) {
		db_status st = auth_session_info(req->db, req->user.session_id, csrf, expires);
		if (st != DB_OK)
			return res_db_error(res, st);
	}
	return session_reply(req, res, HTTP_ok, csrf, expires);
}

int session_delete(http_req *req, http_res *res)
{
	db_status st;
	if (req->user.via_cookie) {
		if ((st = auth_session_delete(req->db, req->user.session_id)) != DB_OK)
			return res_db_error(res, st);
		set_cookie(req, res, "", 0);
	}
	audit_write(req, "logout", "session", req->user.id, NULL, NULL);
	res->status = HTTP_no_content;
	return HTTP_no_content;
}
