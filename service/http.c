/* http.c - the status table, response helpers and validated access to the
 * request (query, headers, JSON body fields). No evhttp sending here. */
#include "http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <event2/http.h>

#include "util.h"

const char *http_status_reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

const char *http_status_name(int code)
{
	switch (code) {
#define X(c, name, msg) case c: return #name;
	HTTP_STATUS_TABLE(X)
#undef X
	}
	return "internal_error";
}

const char *http_status_message(int code)
{
	switch (code) {
#define X(c, name, msg) case c: return msg;
	HTTP_STATUS_TABLE(X)
#undef X
	}
	return "服务器内部错误";
}

static const char *const role_names[] = {"admin", "bureau_head", "inspector", "aid_officer", "principal"};

int role_from_name(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (name && !strcmp(name, role_names[i]))
			return 1 << i;
	return 0;
}

const char *role_name(int role)
{
	size_t i;
	for (i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (role == 1 << i)
			return role_names[i];
	return "";
}

void res_header(http_res *res, const char *name, const char *value)
{
	evhttp_add_header(&res->headers, name, value);
}

int res_json(http_res *res, int status, json_t *json)
{
	if (res->json)
		json_decref(res->json);
	res->json = json;
	res->status = status;
	return status;
}

void res_body_clear(http_res *res)
{
	if (res->body && res->body_release)
		res->body_release(res->body, res->body_len, NULL);
	else
		free(res->body);
	res->body = NULL;
	res->body_len = 0;
	res->body_release = NULL;
}

int res_json_text(http_res *res, int status, char *text, size_t len)
{
	res_body_clear(res);
	res->body = text;
	res->body_len = len;
	res->content_type = "application/json; charset=utf-8";
	res->status = status;
	return status;
}

int res_error(http_res *res, int status, const char *field, const char *fmt, ...)
{
	va_list ap;
	res->status = status;
	str_copy(res->error_field, sizeof(res->error_field), field ? field : "");
	va_start(ap, fmt);
	vsnprintf(res->error_message, sizeof(res->error_message), fmt, ap);
	va_end(ap);
	return status;
}

int res_db_error(http_res *res, db_status st)
{
	switch (st) {
	case DB_OK: return res->status;
	case DB_NOT_FOUND: return res_error(res, HTTP_not_found, NULL, "%s", http_status_message(404));
	case DB_CONFLICT: return res_error(res, HTTP_conflict, NULL, "%s", http_status_message(409));
	case DB_DUPLICATE: return res_error(res, HTTP_conflict, NULL, "记录已存在");
	case DB_UNAVAILABLE: return res_error(res, HTTP_unavailable, NULL, "%s", http_status_message(503));
	case DB_ERR: break;
	}
	return res_error(res, HTTP_internal_error, NULL, "%s", http_status_message(500));
}

int res_body(http_res *res, int status, const char *content_type, char *body, size_t len)
{
	res_body_clear(res);
	res->body = body;
	res->body_len = len;
	res->content_type = content_type;
	res->status = status;
	return status;
}

const char *req_query(const http_req *req, const char *name)
{
	const char *v = req->query ? evhttp_find_header(req->query, name) : NULL;
	return v && *v ? v : NULL;
}

const char *req_header(const http_req *req, const char *name)
{
	return req->headers ? evhttp_find_header(req->headers, name) : NULL;
}

long long req_param_id(const http_req *req, size_t i)
{
	char *end;
	long long v;
	if (i >= req->nparams || !req->params[i][0])
		return 0;
	v = strtoll(req->params[i], &end, 10);
	return *end || v <= 0 ? 0 : v;
}

/* The field's JSON value, NULL when absent or JSON null. */
static json_t *body_field(http_req *req, const char *field)
{
	json_t *v = req->json ? json_object_get(req->json, field) : NULL;
	return v && !json_is_null(v) ? v : NULL;
}

static int body_missing(http_res *res, const char *field, int required)
{
	if (!required)
		return 1;
	res_error(res, HTTP_bad_request, field, "缺少必填字段 %s", field);
	return -1;
}

int body_string(http_req *req, http_res *res, const char *field, int required,
		size_t max_chars, const char **out)
{
	json_t *v = body_field(req, field);
	size_t n;
	*out = NULL;
	if (!v)
		return body_missing(res, field, required == BODY_REQUIRED) < 0 ? -1 : 0;
	if (!json_is_string(v))
		return res_error(res, HTTP_bad_request, field, "字段 %s 应为字符串", field), -1;
	n = utf8_chars(json_string_value(v));
	if (n > max_chars || strlen(json_string_value(v)) != json_string_length(v))
		return res_error(res, HTTP_bad_request, field, "字段 %s 过长（最多 %zu 个字符）", field,
				 max_chars), -1;
	if (required && str_blank(json_string_value(v)))
		return res_error(res, HTTP_bad_request, field, "字段 %s 不能为空", field), -1;
	*out = json_string_value(v);
	return 0;
}

int body_int(http_req *req, http_res *res, const char *field, int required,
	     long long min, long long max, long long *out)
{
	json_t *v = body_field(req, field);
	if (!v)
		return body_missing(res, field, required) < 0 ? -1 : 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return res_error(res, HTTP_bad_request, field, "字段 %s 应为 %lld 到 %lld 之间的整数",
				 field, min, max), -1;
	*out = json_integer_value(v);
	return 0;
}

int body_bool(http_req *req, http_res *res, const char *field, int required, int *out)
{
	json_t *v = body_field(req, field);
	if (!v)
		return body_missing(res, field, required) < 0 ? -1 : 0;
	if (!json_is_boolean(v))
		return res_error(res, HTTP_bad_request, field, "字段 %s 应为 true 或 false", field), -1;
	*out = json_is_true(v);
	return 0;
}

int body_enum(http_req *req, http_res *res, const char *field, int required,
	      const char *const *choices, int *out)
{
	const char *s;
	int i;
	if (body_string(req, res, field, required, 64, &s) != 0)
		return -1;
	if (!s)
		return 0;
	for (i = 0; choices[i]; i++)
		if (!strcmp(s, choices[i])) {
			*out = i;
			return 0;
		}
	return res_error(res, HTTP_bad_request, field, "字段 %s 的取值无效：%s", field, s), -1;
}

int body_date(http_req *req, http_res *res, const char *field, int required, const char **out)
{
	if (body_string(req, res, field, required, 10, out) != 0)
		return -1;
	if (*out && !date_valid(*out))
		return res_error(res, HTTP_bad_request, field, "字段 %s 不是有效日期（YYYY-MM-DD）：%s",
				 field, *out), -1;
	return 0;
}

/* Parses a positive integer query parameter; -1 with a 400 when malformed. */
static int query_uint(http_req *req, http_res *res, const char *name, long long def,
		      long long max, long long *out)
{
	const char *v = req_query(req, name);
	char *end;
	long long x;
	*out = def;
	if (!v)
		return 0;
	x = strtoll(v, &end, 10);
	if (*end || x < 1 || x > max)
		return res_error(res, HTTP_bad_request, name, "参数 %s 应为 1 到 %lld 之间的整数", name,
				 max), -1;
	*out = x;
	return 0;
}

int req_paging(http_req *req, http_res *res, paging *pg)
{
	long long page, per;
	if (query_uint(req, res, "page", 1, 1000000, &page) ||
	    query_uint(req, res, "per_page", 50, 500, &per))
		return -1;
	pg->page = page;
	pg->limit = per;
	pg->offset = (page - 1) * per;
	return 0;
}

int res_list(http_res *res, json_t *items, long long total, const paging *pg)
{
	return res_json(res, HTTP_ok, json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total",
						(json_int_t)total, "page", (json_int_t)pg->page,
						"per_page", (json_int_t)pg->limit));
}
