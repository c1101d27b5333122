/* harness.h - the API test harness: CHECK macros that record pass/fail and never
 * abort, a blocking HTTP/1.1 client to the service under test on 127.0.0.1,
 * signed-in clients (cookie + CSRF token, or bearer token) and JSON helpers. */
#ifndef DUDAO_API_HARNESS_H
#define DUDAO_API_HARNESS_H

#include <stddef.h>
#include <jansson.h>

#define HARNESS_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* ---- results ---------------------------------------------------------- */

/* Records one check; prints "FAIL file:line: message" when ok is 0. Returns ok. */
int check_at(const char *file, int line, int ok, const char *fmt, ...) HARNESS_PRINTF(4, 5);
#define CHECK(cond, ...) check_at(__FILE__, __LINE__, (cond) ? 1 : 0, __VA_ARGS__)

/* Prints a heading for the tests that follow, so failures can be placed. */
void harness_group(const char *name);
/* Counts so far. */
int harness_passed(void);
int harness_failed(void);

/* ---- HTTP -------------------------------------------------------------- */

typedef struct {
	char *name;
	char *value;
} http_header;

/* A response. status is 0 when the request failed at the transport level. */
typedef struct {
	char method[16];
	char path[256];          /* for messages, truncated */
	int status;
	http_header *headers;
	size_t nheaders;
	char *body;              /* NUL-terminated copy of the body */
	size_t body_len;
	json_t *json;            /* the body parsed as JSON, or NULL */
} http_resp;

/* Sleeps ms milliseconds (resumed after signals). */
void harness_sleep_ms(long ms);
/* Writes all of data on the socket fd; returns 0, or -1 when the peer stopped
 * reading (a server may answer 413 and close before taking the whole body). */
int http_send_all(int fd, const char *data, size_t len);
/* Sets the port every request goes to. */
void http_set_port(int port);
int http_port(void);
/* Sets the local address requests come from ("127.0.0.2"; NULL: the default,
 * 127.0.0.1), so throttling by address can be tested without locking out the rest. */
void http_set_source(const char *ip);

/* Sends one request over a fresh connection and reads the answer.
 * headers is a NULL-terminated list of "Name: value" lines, or NULL.
 * A Content-Length is added when body is not NULL. Never returns NULL;
 * the caller frees the result with http_resp_free. */
http_resp *http_do(const char *method, const char *path, const char *const *headers,
		   const char *body, size_t body_len);
void http_resp_free(http_resp *r);
/* A request sent whose answer is not read yet: http_do in two halves, so that a
 * test can have several requests waiting at once. */
typedef struct {
	int fd;                  /* -1 when it could not be sent */
	char method[16];
	char path[256];
} http_pending;
http_pending http_start(const char *method, const char *path, const char *const *headers, const char *body,
			size_t body_len);
/* Reads the answer of p and closes its connection. Never returns NULL. */
http_resp *http_finish(http_pending *p);
/* The first header named name (any case), or NULL. Borrowed from r. */
const char *resp_header(const http_resp *r, const char *name);

/* ---- signed-in clients -------------------------------------------------- */

typedef struct {
	char cookie[160];      /* "dudao_session=<hex>", or "" */
	char csrf[160];        /* sent as X-CSRF-Token on writes, or "" */
	char bearer[160];      /* sent as Authorization: Bearer, or "" */
	long long user_id;
	long long org_id;
	char role[32];
} client;

/* POSTs /api/v1/session; the caller frees the response. */
http_resp *login_resp(const char *username, const char *password);
/* Signs in and fills c from the answer. Returns the HTTP status (201 on success). */
int login(const char *username, const char *password, client *c);

/* Sends a request as c (NULL: anonymous): its cookie or bearer token, its CSRF
 * token on anything but GET/HEAD, and Content-Type: application/json when body is
 * not NULL and extra_headers names no Content-Type. Caller frees the response. */
http_resp *api(const client *c, const char *method, const char *path, const char *body,
	       const char *const *extra_headers);
/* api's first half: sends the request; http_finish reads its answer. */
http_pending api_start(const client *c, const char *method, const char *path, const char *body,
		       const char *const *extra_headers);
/* Like api with the body serialised from json, whose reference it takes. */
http_resp *api_json(const client *c, const char *method, const char *path, json_t *body);

/* ---- JSON and strings -------------------------------------------------- */

/* Follows a dotted path of keys and array indexes ("items.0.id") from root.
 * Returns a borrowed value, or NULL when any step is missing. */
json_t *jpath(const json_t *root, const char *path);
/* The string at path, or NULL. */
const char *jstr(const json_t *root, const char *path);
/* The integer at path, or -1 when it is missing or not an integer. */
long long jint(const json_t *root, const char *path);
/* True when some key anywhere in v contains needle (case-insensitive). */
int json_has_key_like(const json_t *v, const char *needle);

/* Percent-encodes s for a query string into a new string the caller frees. */
char *url_escape(const char *s);
/* True when s is exactly n lowercase or uppercase hex digits. */
int is_hex(const char *s, size_t n);
/* True when s looks like "YYYY-MM-DDTHH:MM:SSZ". */
int is_utc_timestamp(const char *s);

/* ---- checks on responses ----------------------------------------------- */

/* Whether an import answer lists an error on row with field, whose message contains needle. */
int import_has_error(const http_resp *r, long long row, const char *field, const char *needle);

/* Checks r->status == status; on failure shows the request and the start of the body. */
int check_status_at(const char *file, int line, const http_resp *r, int status);
#define CHECK_STATUS(r, st) check_status_at(__FILE__, __LINE__, (r), (st))

/* Checks the status and the one error shape {"error":{"status","code","message","field"}}:
 * error.status == status, error.code == code, message a non-empty string, and
 * field equal to field (NULL: field must be JSON null; FIELD_ANY: present, string or null,
 * where the contract does not say which field is at fault). */
#define FIELD_ANY "*"
int check_error_at(const char *file, int line, const http_resp *r, int status,
		   const char *code, const char *field);
#define CHECK_ERROR(r, st, code, field) check_error_at(__FILE__, __LINE__, (r), (st), (code), (field))

/* Checks two integers / strings are equal, naming what was compared. */
int check_int_at(const char *file, int line, long long got, long long want, const char *what);
#define CHECK_INT(got, want, what) check_int_at(__FILE__, __LINE__, (got), (want), (what))
int check_str_at(const char *file, int line, const char *got, const char *want, const char *what);
#define CHECK_STR(got, want, what) check_str_at(__FILE__, __LINE__, (got), (want), (what))

#endif
