/* dispatch.c - parses each request, matches the route table, applies the body
 * limits, authentication, role and CSRF checks, calls the handler and sends
 * the one response, in one shape for every error. Logs one line per request. */
#include "dispatch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "batch.h"
#include "group.h"
#include "idempotency.h"
#include "jsonw.h"
#include "log.h"
#include "readcache.h"
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

/* The read cache's key of a GET of a ROUTE_CACHED route: the caller, the date and
 * the URI; 0 when the request is not one to keep. */
static int cache_key(const http_req *req, const route *rt, char *key, size_t n)
{
	int len;
	if (!(rt->flags & ROUTE_CACHED) || strcmp(req->method, "GET") || !req->user.id || !req->uri)
		return 0;
	len = snprintf(key, n, "%lld %s %s", req->user.id, req->today, req->uri);
	return len > 0 && (size_t)len < n;
}

/* Keeps a successful answer of a cached route, as text (the cache keeps bytes);
 * never one whose reading was audited: each read must leave its entry. */
static void cache_keep(const http_req *req, const char *key, http_res *res, unsigned long generation)
{
	size_t len;
	char *text;
	if (res->status != HTTP_ok || !TAILQ_EMPTY(&res->headers) || req->audited)
		return;
	if (res->json) {
		if (!(text = jsonw_dumps(res->json, &len)))
			return;
		json_decref(res->json);
		res->json = NULL;
		res_json_text(res, HTTP_ok, text, len);
	}
	readcache_put(key, res, generation);
}

/* A ROUTE_GROUPED request: the handler checks it; 1 when it waits to be written
 * with others (req->job), else res is its answer. */
static int handle_grouped(http_req *req, http_res *res, const route *rt, idem_state *idem)
{
	if (idem_prepare(req, res, idem) < 0)
		return 0;
	res->status = rt->handler(req, res);
	if (req->job)
		return 1;
	idem_refused(req, res, idem);
	return 0;
}

/* Routes the request and runs the handler; the status ends up in res. Returns 1
 * when the request waits to be written with others (ROUTE_GROUPED), else 0. */
static int handle(http_req *req, http_res *res, idem_state *idem)
{
	char allow[128];
	int known;
	const route *rt;
	char key[2048];
	int cached;
	unsigned long generation = 0;

	if (strncmp(req->path, "/api/", 5) != 0 && strcmp(req->path, "/healthz") != 0) {
		static_serve(req->app->cfg.root, req->method, req->path, res);
		return 0;
	}
	rt = route_match(req->method, req->path, req, &known, allow, sizeof(allow));
	if (!rt) {
		if (known) {
			res_header(res, "Allow", allow);
			res_error(res, HTTP_method_not_allowed, NULL, "%s", http_status_message(405));
		} else {
			res_error(res, HTTP_not_found, NULL, "接口不存在：%s", req->path);
		}
		return 0;
	}
	if (check_body(req, res, rt))
		return 0;
	if (!(rt->flags & ROUTE_OWN_DB) && db_ensure(req->db) != DB_OK) {
		res_db_error(res, DB_UNAVAILABLE);
		return 0;
	}
	if (check_auth(req, res, rt))
		return 0;
	cached = cache_key(req, rt, key, sizeof(key));
	if (cached && readcache_get(key, res, &generation))
		return 0;
	if (rt->flags & ROUTE_GROUPED) {
		if (handle_grouped(req, res, rt, idem))
			return 1;
	} else if ((rt->flags & ROUTE_IDEMPOTENT) && idem_begin(req, res, idem)) {
		return 0;
	} else {
		res->status = rt->handler(req, res);
		if (rt->flags & ROUTE_IDEMPOTENT)
			idem_finish(req, res, idem);
	}
	if (is_write(req->method))
		readcache_invalidate();
	else if (cached)
		cache_keep(req, key, res, generation);
	if (req->db && db_tx_depth(req->db) > 0) {
		log_error("%s %s left a transaction open; rolled back", req->method, rt->pattern);
		db_rollback(req->db);
	}
	return 0;
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
		/* the buffer takes the body and lets it go once it is sent */
		if (res->body_len && evbuffer_add_reference(buf, res->body, res->body_len,
					   res->body_release ? res->body_release : free_text, NULL) == 0) {
			res->body = NULL;
			res->body_len = 0;
		}
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

/* One request from its arrival to its answer. */
typedef struct exchange {
	worker *w;
	struct evhttp_request *r;
	http_req req;
	http_res res;
	idem_state idem;
	group_item item;           /* when set aside to be written with others (group.h) */
	struct exchange *next;     /* in the worker's list of those */
	size_t together;           /* written with this many requests (its own included) */
	struct evkeyvalq query;
	struct evkeyvalq headers;  /* a copy, for a request answered off the loop */
	unsigned char *body;       /* a copy, for a request answered off the loop */
	char *path;
	double start;
	int parsed;                /* path and query are valid: the request may be handled */
	int orphaned;              /* its connection closed before the answer */
} exchange;

static exchange *exchange_new(struct evhttp_request *r, worker *w)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r);
	struct evbuffer *in = evhttp_request_get_input_buffer(r);
	exchange *x = xcalloc(1, sizeof(*x));
	x->w = w;
	x->r = r;
	x->start = clock_ms();
	request_init(&x->req, &x->res, r, w);
	TAILQ_INIT(&x->query);
	TAILQ_INIT(&x->headers);
	x->path = evhttp_uridecode(uri && evhttp_uri_get_path(uri) ? evhttp_uri_get_path(uri) : "/", 0, NULL);
	x->req.path = x->path ? x->path : "/";
	x->req.uri = evhttp_request_get_uri(r);
	if (uri && evhttp_uri_get_query(uri) && evhttp_parse_query_str(evhttp_uri_get_query(uri), &x->query) != 0) {
		res_error(&x->res, HTTP_bad_request, NULL, "查询参数格式错误");
		return x;
	}
	/* a value holding NUL would be read as cut short there (state=%00closed as no filter) */
	if (uri && evhttp_uri_get_query(uri) && strstr(evhttp_uri_get_query(uri), "%00")) {
		res_error(&x->res, HTTP_bad_request, NULL, "查询参数不能包含 NUL 字符（%%00）");
		return x;
	}
	x->req.query = &x->query;
	x->req.body_len = evbuffer_get_length(in);
	x->req.body = x->req.body_len ? evbuffer_pullup(in, -1) : (const unsigned char *)"";
	if (!utf8_valid((const unsigned char *)x->req.path, strlen(x->req.path)))
		res_error(&x->res, HTTP_bad_request, NULL, "路径不是有效的 UTF-8 编码");
	else
		x->parsed = 1;
	return x;
}

static void exchange_free(exchange *x)
{
	json_decref(x->req.json);
	json_decref(x->res.json);
	res_body_clear(&x->res);
	evhttp_clear_headers(&x->res.headers);
	evhttp_clear_headers(&x->query);
	evhttp_clear_headers(&x->headers);
	free(x->body);
	free(x->path);
	free(x);
}

/* Sends the answer, logs the request and frees x. */
static void exchange_finish(exchange *x)
{
	char together[32] = "";
	send_response(x->r, &x->res, strncmp(x->req.path, "/api/", 5) == 0 || !strcmp(x->req.path, "/healthz"));
	if (x->together > 1)
		snprintf(together, sizeof(together), " together=%zu", x->together);
	log_info("%s %s %d %.1fms user=%s%s", x->req.method, x->req.path, x->res.status, clock_ms() - x->start,
		 x->req.user.id ? x->req.user.username : "-", together);
	exchange_free(x);
}

/* ---------------------------------------------------------------- off the loop */

/* Whether x's route runs off the worker's loop (ROUTE_OFF_LOOP: imports). */
static int off_loop(exchange *x)
{
	char allow[128];
	int known;
	const route *rt = route_match(x->req.method, x->req.path, &x->req, &known, allow, sizeof(allow));
	return rt && (rt->flags & ROUTE_OFF_LOOP);
}

/* The connection of a request answered off the loop closed (libevent notices it
 * when it reads or writes on it). libevent keeps the request, detached, until it
 * is answered; answering it then only frees it. */
static void job_connection_closed(struct evhttp_connection *conn, void *arg)
{
	exchange *x = arg;
	(void)conn;
	x->orphaned = 1;
}

/* Answers a request that was not answered in the callback that read it (or,
 * when the client left, lets libevent free the request), logs and frees x. */
static void answer_late(exchange *x)
{
	worker *w = x->w;
	if (x->orphaned)
		log_warn("%s %s: the client left before the answer (%d); what the request did stands", x->req.method,
			 x->req.path, x->res.status);
	else
		evhttp_connection_set_closecb(evhttp_request_get_connection(x->r), NULL, NULL);
	exchange_finish(x);
	worker_job_ended(w);
}

/* Back in the loop after a request ran off it. */
static void job_done(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	answer_late(arg);
}

/* The job's thread: the handler with a database connection of its own; the answer
 * is handed back to the loop (libevent is thread-safe: evthread_use_pthreads). */
static void *job_main(void *arg)
{
	exchange *x = arg;
	struct timeval now = {0, 0};
	x->req.db = db_open_lazy(&x->w->app->cfg.db);
	handle(&x->req, &x->res, &x->idem);
	db_close(x->req.db);
	x->req.db = NULL;
	if (event_base_once(x->w->base, -1, EV_TIMEOUT, job_done, x, &now) != 0)
		log_error("%s %s: the answer could not be handed back to the worker", x->req.method, x->req.path);
	return NULL;
}

/* Runs x's handler in a thread of its own, so that the loop goes on serving the
 * worker's other connections; 0 when started, -1 when x must be handled here. */
static int job_start(exchange *x)
{
	pthread_t t;
	pthread_attr_t attr;
	struct evkeyval *h;
	int rc;
	x->body = xmalloc(x->req.body_len + 1);
	memcpy(x->body, x->req.body, x->req.body_len);
	x->req.body = x->body;
	TAILQ_FOREACH(h, x->req.headers, next)
		evhttp_add_header(&x->headers, h->key, h->value);
	x->req.headers = &x->headers;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	worker_job_started(x->w);
	evhttp_connection_set_closecb(evhttp_request_get_connection(x->r), job_connection_closed, x);
	rc = pthread_create(&t, &attr, job_main, x);
	pthread_attr_destroy(&attr);
	if (rc == 0)
		return 0;
	evhttp_connection_set_closecb(evhttp_request_get_connection(x->r), NULL, NULL);
	worker_job_ended(x->w);
	return -1;
}

/* ---------------------------------------------------------------- written together */

/* Requests set aside at most before the worker writes them. */
#define GROUP_MAX 32

/* Writes the requests the worker set aside (group.h), consecutive ones of a kind
 * together, and answers them. The event is activated when the first is set
 * aside, and libevent runs active callbacks in the order they became active:
 * this runs after the callbacks already due then, the reading of the other
 * requests that arrived in the same turn of the loop. */
void dispatch_flush_grouped(evutil_socket_t fd, short what, void *arg)
{
	worker *w = arg;
	size_t n = w->ngrouped, i, k, start, together;
	exchange **xs = xcalloc(n + 1, sizeof(*xs)), *x = w->grouped;
	group_item **items = xcalloc(n + 1, sizeof(*items));
	(void)fd;
	(void)what;
	w->grouped = w->grouped_last = NULL;
	w->ngrouped = 0;
	if (n && w->id_step < 0 && batch_id_step(w->db, &w->id_step) != DB_OK)
		w->id_step = -1; /* read again next time; one row per statement meanwhile */
	for (i = 0; x; x = x->next, i++) {
		xs[i] = x;
		items[i] = &x->item;
	}
	for (start = 0, i = 1; i <= n; i++)
		if (i == n || items[i]->req->job_kind != items[start]->req->job_kind) {
			together = group_run(w->db, items + start, i - start, w->id_step > 0 ? w->id_step : 0);
			for (k = start; k < i; k++)
				xs[k]->together = together;
			start = i;
		}
	if (n)
		readcache_invalidate();
	for (i = 0; i < n; i++)
		answer_late(xs[i]);
	free(items);
	free(xs);
}

/* Sets x, checked, aside to be written with the requests read in the same turn. */
static void group_add(exchange *x)
{
	worker *w = x->w;
	x->item = (group_item){.req = &x->req, .res = &x->res, .idem = &x->idem};
	x->next = NULL;
	if (w->grouped_last)
		w->grouped_last->next = x;
	else
		w->grouped = x;
	w->grouped_last = x;
	worker_job_started(w);
	evhttp_connection_set_closecb(evhttp_request_get_connection(x->r), job_connection_closed, x);
	if (++w->ngrouped == 1)
		event_active(w->group_ev, EV_TIMEOUT, 0);
	else if (w->ngrouped >= GROUP_MAX)
		dispatch_flush_grouped(-1, 0, w); /* the event then finds none */
}

void dispatch_request(struct evhttp_request *r, void *arg)
{
	exchange *x = exchange_new(r, arg);
	if (x->parsed && off_loop(x) && job_start(x) == 0)
		return;
	if (x->parsed && handle(&x->req, &x->res, &x->idem)) {
		group_add(x);
		return;
	}
	exchange_finish(x);
}
