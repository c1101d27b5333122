/* dispatch.c - parses each request, matches the route table, applies the body
 * limits, authentication, role and CSRF checks, calls the handler and sends
 * the one response, in one shape for every error. Logs one line per request. */
#include "dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "app.h"
#include "auth.h"
#include "idempotency.h"
#include "jsonw.h"
#include "log.h"
#include "routes.h"
#include "server.h"
#include "static.h"
#include "util.h"

static const char *method_name(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_PATCH: return "PATCH";
	case EVHTTP_REQ_DELETE: return "DELETE";
	case EVHTTP_REQ_HEAD: return "HEAD";
	case EVHTTP_REQ_OPTIONS: return "OPTIONS";
	default: return "OTHER";
	}
}

static int is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

/* Content-Type is application/json, with or without parameters. */
static int is_json_type(const char *ct)
{
	size_t n = strlen("application/json");
	return ct && !strncasecmp(ct, "application/json", n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Checks size, type, encoding and syntax of the body. Returns 0 or the error status. */
static int check_body(http_req *req, http_res *res, const route *rt)
{
	size_t max = rt->body == BODY_RAW ? req->app->cfg.max_upload : req->app->cfg.max_body;
	json_error_t jerr;

	if (req->body_len > max)
		return res_error(res, HTTP_payload_too_large, NULL, "请求内容过大（最多 %zu KB）", max / 1024);
	if (rt->body != BODY_JSON || !is_write(req->method))
		return 0;
	if (!is_json_type(req_header(req, "Content-Type")))
		return res_error(res, HTTP_unsupported_media_type, NULL, "请求内容类型应为 application/json");
	if (!utf8_valid(req->body, req->body_len))
		return res_error(res, HTTP_bad_request, NULL, "请求内容不是有效的 UTF-8 编码");
	req->json = json_loadb((const char *)req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!req->json)
		return res_error(res, HTTP_bad_request, NULL, "JSON 格式错误（第 %d 行第 %d 列）：%s",
				 jerr.line, jerr.column, jerr.text);
	if (!json_is_object(req->json))
		return res_error(res, HTTP_bad_request, NULL, "请求内容应为 JSON 对象");
	return 0;
}

/* Session, role and CSRF. Returns 0 or the error status. */
static int check_auth(http_req *req, http_res *res, const route *rt)
{
	const char *token;
	db_status st;

	if (rt->roles == ROLE_PUBLIC)
		return 0;
	st = auth_resolve(req);
	if (st == DB_NOT_FOUND)
		return res_error(res, HTTP_unauthorized, NULL, "%s", http_status_message(401));
	if (st != DB_OK)
		return res_db_error(res, st);
	if (!(rt->roles & req->user.role))
		return res_error(res, HTTP_forbidden, NULL, "%s", http_status_message(403));
	if (req->user.via_cookie && is_write(req->method)) {
		token = req_header(req, "X-CSRF-Token");
		if (!token || strcmp(token, req->user.csrf) != 0)
			return res_error(res, HTTP_forbidden, "X-CSRF-Token", "缺少或无效的 CSRF 令牌，请刷新页面");
	}
	return 0;
}

/* Routes the request and runs the handler; the status ends up in res. */
static void handle(http_req *req, http_res *res)
{
	char allow[128];
	int known;
	const route *rt;
	idem_state idem;

	if (strncmp(req->path, "/api/", 5) != 0 && strcmp(req->path, "/healthz") != 0) {
		static_serve(req->app->cfg.root, req->method, req->path, res);
		return;
	}
	rt = route_match(req->method, req->path, req, &known, allow, sizeof(allow));
	if (!rt) {
		if (known) {
			res_header(res, "Allow", allow);
			res_error(res, HTTP_method_not_allowed, NULL, "%s", http_status_message(405));
		} else {
			res_error(res, HTTP_not_found, NULL, "接口不存在：%s", req->path);
		}
		return;
	}
	if (check_body(req, res, rt))
		return;
	if (!(rt->flags & ROUTE_OWN_DB) && db_ensure(req->db) != DB_OK) {
		res_db_error(res, DB_UNAVAILABLE);
		return;
	}
	if (check_auth(req, res, rt))
		return;
	if ((rt->flags & ROUTE_IDEMPOTENT) && idem_begin(req, res, &idem))
		return;
	res->status = rt->handler(req, res);
	if (rt->flags & ROUTE_IDEMPOTENT)
		idem_finish(req, res, &idem);
	if (req->db && db_tx_depth(req->db) > 0) {
		log_error("%s %s left a transaction open; rolled back", req->method, rt->pattern);
		db_rollback(req->db);
	}
}

/* Frees a response text once the connection has sent it. */
static void free_text(const void *data, size_t len, void *arg)
{
	(void)len;
	(void)arg;
	free((void *)data);
}

/* Serialises the response (JSON, raw body, or the error shape) and sends it. */
static void send_response(struct evhttp_request *r, http_res *res, int api)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(r);
	struct evbuffer *buf = evbuffer_new();
	struct evkeyval *h;
	char *text;
	size_t len = 0;

	if (res->status >= 400 && !res->json && !res->body) {
		json_t *field = res->error_field[0] ? json_string(res->error_field) : json_null();
		res->json = json_pack("{s:{s:i,s:s,s:s,s:o}}", "error", "status", res->status, "code",
				      http_status_name(res->status), "message",
				      res->error_message[0] ? res->error_message : http_status_message(res->status),
				      "field", field);
	}
	if (res->json) {
		text = jsonw_dumps(res->json, &len);
		evhttp_add_header(out, "Content-Type", "application/json; charset=utf-8");
		/* the buffer takes the text and frees it once it is sent */
		if (text && evbuffer_add_reference(buf, text, len, free_text, NULL) != 0)
			free(text);
	} else if (res->body) {
		evhttp_add_header(out, "Content-Type", res->content_type ? res->content_type : "application/octet-stream");
		evbuffer_add(buf, res->body, res->body_len);
	}
	TAILQ_FOREACH(h, &res->headers, next)
		evhttp_add_header(out, h->key, h->value);
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "X-Frame-Options", "DENY");
	evhttp_add_header(out, "Referrer-Policy", "same-origin");
	if (api && !evhttp_find_header(out, "Cache-Control"))
		evhttp_add_header(out, "Cache-Control", "no-store");
	if (!api)
		evhttp_add_header(out, "Content-Security-Policy",
				  "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; frame-ancestors 'none'");
	evhttp_send_reply(r, res->status, http_status_reason(res->status), buf);
	evbuffer_free(buf);
}

static void request_init(http_req *req, http_res *res, struct evhttp_request *r, worker *w)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(r);
	char *addr = NULL;
	ev_uint16_t port = 0;

	memset(req, 0, sizeof(*req));
	memset(res, 0, sizeof(*res));
	TAILQ_INIT(&res->headers);
	res->status = HTTP_internal_error;
	req->app = w->app;
	req->db = w->db;
	req->method = method_name(evhttp_request_get_command(r));
	req->headers = evhttp_request_get_input_headers(r);
	if (conn)
		evhttp_connection_get_peer(conn, &addr, &port);
	str_copy(req->client_ip, sizeof(req->client_ip), addr ? addr : "");
	if (w->app->cfg.today[0])
		str_copy(req->today, sizeof(req->today), w->app->cfg.today);
	else
		date_today(w->app->cfg.timezone, req->today);
}

void dispatch_request(struct evhttp_request *r, void *arg)
{
	worker *w = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r);
	struct evbuffer *in = evhttp_request_get_input_buffer(r);
	struct evkeyvalq query;
	double start = clock_ms();
	char *path = NULL;
	http_req req;
	http_res res;

	request_init(&req, &res, r, w);
	TAILQ_INIT(&query);
	path = evhttp_uridecode(uri && evhttp_uri_get_path(uri) ? evhttp_uri_get_path(uri) : "/", 0, NULL);
	req.path = path ? path : "/";
	if (uri && evhttp_uri_get_query(uri) && evhttp_parse_query_str(evhttp_uri_get_query(uri), &query) != 0)
		res_error(&res, HTTP_bad_request, NULL, "查询参数格式错误");
	else {
		req.query = &query;
		req.body_len = evbuffer_get_length(in);
		req.body = req.body_len ? evbuffer_pullup(in, -1) : (const unsigned char *)"";
		if (!utf8_valid((const unsigned char *)req.path, strlen(req.path)))
			res_error(&res, HTTP_bad_request, NULL, "路径不是有效的 UTF-8 编码");
		else
			handle(&req, &res);
	}
	send_response(r, &res, strncmp(req.path, "/api/", 5) == 0 || !strcmp(req.path, "/healthz"));
	log_info("%s %s %d %.1fms user=%s", req.method, req.path, res.status, clock_ms() - start,
		 req.user.id ? req.user.username : "-");
	json_decref(req.json);
	json_decref(res.json);
	free(res.body);
	evhttp_clear_headers(&res.headers);
	evhttp_clear_headers(&query);
	free(path);
}
