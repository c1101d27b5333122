/* http.h - the request a handler reads and the response it fills.
 * Handlers never touch evhttp: they return a status and the dispatcher
 * (dispatch.c) sends exactly one response per request. */
#ifndef DUDAO_HTTP_H
#define DUDAO_HTTP_H

#include <stddef.h>
#include <jansson.h>
#include <event2/keyvalq_struct.h>

#include "db.h"

/* code, name, default message. One table, one error shape. */
#define HTTP_STATUS_TABLE(X)                                                      \
	X(200, ok, "OK")                                                          \
	X(201, created, "已创建")                                                 \
	X(204, no_content, "")                                                    \
	X(304, not_modified, "")                                                  \
	X(400, bad_request, "请求有误")                                           \
	X(401, unauthorized, "请先登录")                                          \
	X(403, forbidden, "没有权限")                                             \
	X(404, not_found, "记录不存在")                                           \
	X(405, method_not_allowed, "不支持该请求方法")                            \
	X(409, conflict, "记录已被他人修改，请刷新后重试")                        \
	X(413, payload_too_large, "请求内容过大")                                 \
	X(415, unsupported_media_type, "不支持的内容类型")                        \
	X(422, unprocessable, "不符合业务规则")                                   \
	X(429, too_many_requests, "尝试次数过多，请稍后再试")                     \
	X(500, internal_error, "服务器内部错误")                                  \
	X(503, unavailable, "服务暂不可用，请稍后再试")

typedef enum {
#define X(code, name, msg) HTTP_##name = code,
	HTTP_STATUS_TABLE(X)
#undef X
} http_status;

const char *http_status_reason(int code);
const char *http_status_name(int code);
const char *http_status_message(int code);

typedef enum {
	ROLE_ADMIN = 1 << 0,
	ROLE_BUREAU_HEAD = 1 << 1,
	ROLE_INSPECTOR = 1 << 2,
	ROLE_AID_OFFICER = 1 << 3,
	ROLE_PRINCIPAL = 1 << 4,
} role_bit;
#define ROLE_ANY (ROLE_ADMIN | ROLE_BUREAU_HEAD | ROLE_INSPECTOR | ROLE_AID_OFFICER | ROLE_PRINCIPAL)
#define ROLE_PUBLIC 0 /* no session needed */

/* Returns the role bit for a role name, or 0 if unknown. */
int role_from_name(const char *name);
const char *role_name(int role);

/* The signed-in user, loaded by the dispatcher from the session or token. */
typedef struct {
	long long id;
	int role;              /* one role_bit */
	long long org_id;      /* the root of the user's scope */
	char org_path[256];    /* materialized path of the scope, e.g. "/1/4/" */
	char username[64];
	char display_name[404]; /* users.display_name VARCHAR(100) in utf8mb4: never cut */
	int via_cookie;        /* authenticated by cookie: writes need the CSRF token */
	char session_id[65];   /* hex id of the cookie session, "" for tokens */
	char csrf[65];         /* the session's CSRF token, "" for tokens */
} auth_user;

typedef struct app app;

typedef struct {
	/* filled by the dispatcher */
	app *app;
	db *db;
	const char *method;       /* "GET", "POST", ... */
	const char *path;         /* decoded path, without the query */
	const char *uri;          /* the request's URI as sent: path and query, still encoded */
	char params[4][64];       /* the {placeholders} of the route, in order */
	size_t nparams;
	struct evkeyvalq *query;  /* decoded query string */
	struct evkeyvalq *headers;/* request headers */
	const unsigned char *body;
	size_t body_len;
	json_t *json;             /* parsed body when the route takes JSON, else NULL */
	auth_user user;           /* id 0 when anonymous */
	char client_ip[64];
	char today[11];           /* "YYYY-MM-DD", the bureau's date (DUDAO_TODAY or clock) */
	int audited;              /* the handler wrote an audit entry (a read of personal data is
				   * audited each time: its answer is never kept by the read cache) */
	/* set by group_defer: the request is checked and waits to be written (group.h) */
	void *job;
	const struct group_kind *job_kind;
} http_req;

typedef struct {
	int status;
	json_t *json;            /* owned; sent as application/json when set */
	char *body;              /* owned raw body (PNG, XLSX, HTML) when json is NULL */
	size_t body_len;
	/* lets body go (data = body, arg NULL); NULL: free(). The read cache's shared answers. */
	void (*body_release)(const void *data, size_t len, void *arg);
	const char *content_type;/* for body; static string */
	struct evkeyvalq headers;/* extra response headers */
	char error_field[64];    /* for errors: the field at fault */
	char error_message[512]; /* for errors: what is wrong */
} http_res;

typedef int (*http_handler)(http_req *req, http_res *res);

/* Adds a response header (copied). */
void res_header(http_res *res, const char *name, const char *value);
/* Sets res->json (takes the reference) and returns status. */
int res_json(http_res *res, int status, json_t *json);
/* Answers status with text, JSON already written (takes text, len bytes, malloc'd). */
int res_json_text(http_res *res, int status, char *text, size_t len);
/* Records an error for the dispatcher to send in the one error shape; returns status.
 * field may be NULL. fmt is printf-style. */
int res_error(http_res *res, int status, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Maps a db_status to an error response (404, 409, 503, 500); returns the status. */
int res_db_error(http_res *res, db_status st);
/* Lets the body go (body_release or free) and forgets it. */
void res_body_clear(http_res *res);
/* Takes an owned buffer as the body. */
int res_body(http_res *res, int status, const char *content_type, char *body, size_t len);

/* Query-string helpers. */
const char *req_query(const http_req *req, const char *name);
const char *req_header(const http_req *req, const char *name);
/* Route placeholder i as a positive id; 0 when not a number. */
long long req_param_id(const http_req *req, size_t i);

/* Body field helpers: each returns 0 when valid, or fills res with a 400 naming
 * the field and returns -1. Strings are checked for UTF-8 by the dispatcher and
 * here for length in characters. *out borrows from req->json. */
#define BODY_REQUIRED 1   /* body_string: present and not blank */
#define BODY_NOT_BLANK 2  /* body_string: may be absent, not blank when present (a PATCH of a name) */
int body_string(http_req *req, http_res *res, const char *field, int required,
		size_t max_chars, const char **out);
int body_int(http_req *req, http_res *res, const char *field, int required,
	     long long min, long long max, long long *out);
int body_bool(http_req *req, http_res *res, const char *field, int required, int *out);
/* One of a fixed set of words; *out is the index in choices. */
int body_enum(http_req *req, http_res *res, const char *field, int required,
	      const char *const *choices, int *out);
/* A calendar date "YYYY-MM-DD" that exists. */
int body_date(http_req *req, http_res *res, const char *field, int required, const char **out);

/* Paging from ?page=&per_page= (defaults 1 and 50, per_page at most 500). */
typedef struct { long long limit, offset, page; } paging;
int req_paging(http_req *req, http_res *res, paging *pg);
/* Answers 200 with {"items", "total", "page", "per_page"}; takes items. */
int res_list(http_res *res, json_t *items, long long total, const paging *pg);

#endif
