/* harness.c - results, a blocking HTTP/1.1 client over TCP to 127.0.0.1, signed-in
 * clients and JSON helpers for the API tests. One connection per request. */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* The run's state: the port under test and the tally. With the process under
 * test (server.c), the only mutable state of the test program. */
static struct {
	int port;
	int passed;
	int failed;
	int verbose;         /* API_TEST_VERBOSE=1: print passing checks too */
	const char *group;
	char source[16];     /* local address to connect from, "" for the default */
} run = {0, 0, 0, -1, "", ""};

#define IO_TIMEOUT_S 60 /* generous: Argon2id under AddressSanitizer is slow */

/* ---- results ---------------------------------------------------------- */

int check_at(const char *file, int line, int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		run.passed++;
	else
		run.failed++;
	if (ok && run.verbose <= 0)
		return 1;
	printf("%s [%s] %s:%d: ", ok ? "ok" : "FAIL", run.group, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return ok;
}

void harness_group(const char *name)
{
	if (run.verbose < 0)
		run.verbose = getenv("API_TEST_VERBOSE") && atoi(getenv("API_TEST_VERBOSE")) > 0;
	run.group = name;
	printf("-- %s\n", name);
	fflush(stdout);
}

int harness_passed(void) { return run.passed; }
int harness_failed(void) { return run.failed; }

/* Out of memory aborts with a message: the tests cannot go on without it. */
static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "api_test: out of memory\n");
		abort();
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "api_test: out of memory\n");
		abort();
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* ---- a growable byte buffer ---------------------------------------------- */

typedef struct {
	char *p;
	size_t len, cap;
} buf;

static void buf_add(buf *b, const void *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_addf(buf *b, const char *fmt, ...) HARNESS_PRINTF(2, 3);
static void buf_addf(buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* ---- HTTP -------------------------------------------------------------- */

void http_set_port(int port) { run.port = port; }

void http_set_source(const char *ip)
{
	snprintf(run.source, sizeof run.source, "%s", ip ? ip : "");
}
int http_port(void) { return run.port; }

/* A blocking TCP connection to 127.0.0.1:port with read/write timeouts; -1 on failure. */
static int connect_local(int port)
{
	struct sockaddr_in sa;
	struct timeval tv = {IO_TIMEOUT_S, 0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	if (run.source[0]) {
		inet_pton(AF_INET, run.source, &sa.sin_addr);
		if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
			close(fd);
			return -1;
		}
	}
	sa.sin_port = htons((unsigned short)port);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void harness_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int http_send_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Appends one "Name: value" line of the answer to r->headers. */
static void add_header(http_resp *r, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	const char *v;

	if (!colon)
		return;
	v = colon + 1;
	while (v < line + len && (*v == ' ' || *v == '\t'))
		v++;
	r->headers = xrealloc(r->headers, (r->nheaders + 1) * sizeof *r->headers);
	r->headers[r->nheaders].name = xstrndup(line, (size_t)(colon - line));
	r->headers[r->nheaders].value = xstrndup(v, (size_t)(line + len - v));
	r->nheaders++;
}

/* Parses the status line and headers in head[0..len). Returns 0, or -1. */
static int parse_head(http_resp *r, const char *head, size_t len)
{
	const char *end = head + len, *eol;
	int major, minor;

	if (sscanf(head, "HTTP/%d.%d %d", &major, &minor, &r->status) != 3)
		return -1;
	eol = strstr(head, "\r\n");
	while (eol && eol + 2 < end) {
		const char *line = eol + 2;
		const char *next = strstr(line, "\r\n");

		if (!next || next == line)
			break;
		add_header(r, line, (size_t)(next - line));
		eol = next;
	}
	return 0;
}

static int is_bodyless(const http_resp *r)
{
	return r->status == 204 || r->status == 304 || (r->status >= 100 && r->status < 200) ||
	       strcmp(r->method, "HEAD") == 0;
}

/* Reads the answer on fd into r. Returns 0, or -1 on a transport error. */
static int read_response(int fd, http_resp *r)
{
	buf in = {0};
	char chunk[16384];
	size_t head_len = 0, want = (size_t)-1;
	int rc = -1;

	for (;;) {
		ssize_t n;

		if (head_len && in.len - head_len >= want)
			break;
		n = recv(fd, chunk, sizeof chunk, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		buf_add(&in, chunk, (size_t)n);
		if (!head_len) {
			char *sep = strstr(in.p, "\r\n\r\n");
			const char *cl;

			if (!sep)
				continue;
			head_len = (size_t)(sep - in.p) + 4;
			if (parse_head(r, in.p, head_len) < 0)
				goto out;
			cl = resp_header(r, "Content-Length");
			if (is_bodyless(r))
				want = 0;
			else if (cl)
				want = (size_t)strtoull(cl, NULL, 10);
		}
	}
	if (!head_len)
		goto out;
	if (want != (size_t)-1 && in.len - head_len < want)
		goto out; /* the connection closed early */
	r->body_len = in.len - head_len;
	if (want != (size_t)-1 && r->body_len > want)
		r->body_len = want;
	r->body = xstrndup(in.p + head_len, r->body_len);
	rc = 0;
out:
	free(in.p);
	return rc;
}

/* The request bytes: request line, Host, Connection: close, headers, Content-Length, body. */
static void build_request(buf *out, const char *method, const char *path,
			  const char *const *headers, const char *body, size_t body_len)
{
	buf_addf(out, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n",
		 method, path, run.port);
	for (size_t i = 0; headers && headers[i]; i++)
		buf_addf(out, "%s\r\n", headers[i]);
	if (body)
		buf_addf(out, "Content-Length: %zu\r\n", body_len);
	buf_add(out, "\r\n", 2);
	if (body)
		buf_add(out, body, body_len);
}

http_pending http_start(const char *method, const char *path, const char *const *headers, const char *body,
			size_t body_len)
{
	http_pending p;
	buf req = {0};

	snprintf(p.method, sizeof p.method, "%s", method);
	snprintf(p.path, sizeof p.path, "%s", path);
	p.fd = connect_local(run.port);
	if (p.fd < 0)
		return p;
	build_request(&req, method, path, headers, body, body_len);
	http_send_all(p.fd, req.p, req.len); /* on failure the answer may still be readable */
	free(req.p);
	return p;
}

http_resp *http_finish(http_pending *p)
{
	http_resp *r = xmalloc(sizeof *r);

	memset(r, 0, sizeof *r);
	memcpy(r->method, p->method, sizeof r->method);
	memcpy(r->path, p->path, sizeof r->path);
	if (p->fd < 0)
		return r;
	if (read_response(p->fd, r) < 0) {
		r->status = 0;
	} else if (r->body_len) {
		json_error_t err;

		r->json = json_loadb(r->body, r->body_len, JSON_DECODE_ANY, &err);
	}
	close(p->fd);
	p->fd = -1;
	return r;
}

http_resp *http_do(const char *method, const char *path, const char *const *headers,
		   const char *body, size_t body_len)
{
	http_pending p = http_start(method, path, headers, body, body_len);
	return http_finish(&p);
}

void http_resp_free(http_resp *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	free(r->body);
	json_decref(r->json);
	free(r);
}

const char *resp_header(const http_resp *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

/* ---- signed-in clients -------------------------------------------------- */

http_resp *login_resp(const char *username, const char *password)
{
	json_t *body = json_pack("{s:s, s:s}", "username", username, "password", password);

	return api_json(NULL, "POST", "/api/v1/session", body);
}

/* Copies "dudao_session=<value>" out of a Set-Cookie header into out. */
static void cookie_from(const http_resp *r, char *out, size_t outlen)
{
	const char *sc = resp_header(r, "Set-Cookie");
	size_t n;

	out[0] = '\0';
	if (!sc)
		return;
	n = strcspn(sc, ";");
	if (n < outlen)
		snprintf(out, outlen, "%.*s", (int)n, sc);
}

int login(const char *username, const char *password, client *c)
{
	http_resp *r = login_resp(username, password);
	const char *csrf = jstr(r->json, "csrf_token");
	const char *role = jstr(r->json, "user.role");
	int status = r->status;

	memset(c, 0, sizeof *c);
	if (status == 201) {
		cookie_from(r, c->cookie, sizeof c->cookie);
		snprintf(c->csrf, sizeof c->csrf, "%s", csrf ? csrf : "");
		snprintf(c->role, sizeof c->role, "%s", role ? role : "");
		c->user_id = jint(r->json, "user.id");
		c->org_id = jint(r->json, "user.org_id");
	}
	http_resp_free(r);
	return status;
}

/* True when the header list has a header called name. */
static int names_header(const char *const *headers, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; headers && headers[i]; i++)
		if (strncasecmp(headers[i], name, n) == 0 && headers[i][n] == ':')
			return 1;
	return 0;
}

http_pending api_start(const client *c, const char *method, const char *path, const char *body,
			const char *const *extra_headers)
{
	char cookie[200], csrf[200], bearer[200];
	const char *h[32];
	size_t n = 0;
	int write = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;

	if (c && c->cookie[0]) {
		snprintf(cookie, sizeof cookie, "Cookie: %s", c->cookie);
		h[n++] = cookie;
	}
	if (c && c->csrf[0] && write) {
		snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", c->csrf);
		h[n++] = csrf;
	}
	if (c && c->bearer[0]) {
		snprintf(bearer, sizeof bearer, "Authorization: Bearer %s", c->bearer);
		h[n++] = bearer;
	}
	if (body && !names_header(extra_headers, "Content-Type"))
		h[n++] = "Content-Type: application/json";
	for (size_t i = 0; extra_headers && extra_headers[i] && n < 31; i++)
		h[n++] = extra_headers[i];
	h[n] = NULL;
	return http_start(method, path, h, body, body ? strlen(body) : 0);
}

http_resp *api(const client *c, const char *method, const char *path, const char *body,
	       const char *const *extra_headers)
{
	http_pending p = api_start(c, method, path, body, extra_headers);
	return http_finish(&p);
}

http_resp *api_json(const client *c, const char *method, const char *path, json_t *body)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	http_resp *r;

	if (body && !text) {
		fprintf(stderr, "api_test: cannot serialise a request body\n");
		abort();
	}
	r = api(c, method, path, text, NULL);
	free(text);
	json_decref(body);
	return r;
}

/* ---- JSON and strings -------------------------------------------------- */

json_t *jpath(const json_t *root, const char *path)
{
	json_t *v = (json_t *)root;
	char key[128];

	while (v && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		path += n + (path[n] == '.');
		if (json_is_array(v)) {
			char *end;
			unsigned long i = strtoul(key, &end, 10);

			v = *end ? NULL : json_array_get(v, i);
		} else {
			v = json_object_get(v, key);
		}
	}
	return v;
}

const char *jstr(const json_t *root, const char *path)
{
	return json_string_value(jpath(root, path));
}

long long jint(const json_t *root, const char *path)
{
	json_t *v = jpath(root, path);

	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

int json_has_key_like(const json_t *v, const char *needle)
{
	const char *key;
	json_t *child;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, child)
			if (contains_ci(key, needle) || json_has_key_like(child, needle))
				return 1;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child)
			if (json_has_key_like(child, needle))
				return 1;
	}
	return 0;
}

char *url_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = xmalloc(strlen(s) * 3 + 1), *o = out;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || strchr("-_.~", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

int is_hex(const char *s, size_t n)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return s[n] == '\0';
}

int is_utc_timestamp(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

	if (!s || strlen(s) != sizeof shape - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return 0;
	}
	return 1;
}

/* ---- checks on responses ----------------------------------------------- */

int check_status_at(const char *file, int line, const http_resp *r, int status)
{
	return check_at(file, line, r->status == status, "%s %s: status %d, want %d; body: %.300s",
			r->method, r->path, r->status, status, r->body ? r->body : "(none)");
}

/* Appends one problem to the list in out. */
static void problem(char *out, size_t outlen, const char *fmt, ...) HARNESS_PRINTF(3, 4);
static void problem(char *out, size_t outlen, const char *fmt, ...)
{
	size_t used = strlen(out);
	va_list ap;

	if (used + 3 >= outlen)
		return;
	if (used)
		strcat(out, "; ");
	used = strlen(out);
	va_start(ap, fmt);
	vsnprintf(out + used, outlen - used, fmt, ap);
	va_end(ap);
}

/* One check for the whole error shape, listing every way it differs. */
int check_error_at(const char *file, int line, const http_resp *r, int status,
		   const char *code, const char *field)
{
	json_t *err = jpath(r->json, "error");
	json_t *f = json_object_get(err, "field");
	const char *msg = json_string_value(json_object_get(err, "message"));
	const char *got_code = json_string_value(json_object_get(err, "code"));
	const char *got_field = json_is_string(f) ? json_string_value(f) : f ? "null" : "(missing)";
	char why[1024] = "";

	if (r->status != status)
		problem(why, sizeof why, "status %d, want %d", r->status, status);
	if (!json_is_object(err) || json_integer_value(json_object_get(err, "status")) != status)
		problem(why, sizeof why, "error.status is not %d", status);
	if (!got_code || strcmp(got_code, code) != 0)
		problem(why, sizeof why, "error.code %s, want %s", got_code ? got_code : "(missing)", code);
	if (!msg || !*msg)
		problem(why, sizeof why, "error.message missing or empty");
	if (field && strcmp(field, FIELD_ANY) == 0) {
		if (!json_is_string(f) && !json_is_null(f))
			problem(why, sizeof why, "error.field missing");
	} else if (field ? !json_is_string(f) || strcmp(json_string_value(f), field) != 0 : !json_is_null(f)) {
		problem(why, sizeof why, "error.field %s, want %s", got_field, field ? field : "null");
	}
	return check_at(file, line, why[0] == '\0', "%s %s: want %d %s: %s; body: %.300s", r->method, r->path,
			status, code, why[0] ? why : "ok", r->body ? r->body : "(none)");
}

int check_int_at(const char *file, int line, long long got, long long want, const char *what)
{
	return check_at(file, line, got == want, "%s: got %lld, want %lld", what, got, want);
}

int check_str_at(const char *file, int line, const char *got, const char *want, const char *what)
{
	return check_at(file, line, got && want && strcmp(got, want) == 0, "%s: got %s%s%s, want \"%s\"", what,
			got ? "\"" : "", got ? got : "(missing)", got ? "\"" : "", want ? want : "(null)");
}

int import_has_error(const http_resp *r, long long row, const char *field, const char *needle)
{
	json_t *e;
	size_t i;
	json_array_foreach(json_object_get(r->json, "errors"), i, e) {
		const char *f = jstr(e, "field"), *m = jstr(e, "message");
		if (jint(e, "row") == row && f && !strcmp(f, field) && m && strstr(m, needle))
			return 1;
	}
	return 0;
}
