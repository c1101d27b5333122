/* idempotency.c - Idempotency-Key: the first answer of a creating request is
 * stored under (user, key) in the same transaction as what the handler wrote,
 * and a retry gets that answer back. Nothing is read before the handler runs:
 * the key row is written last, just before the commit, so a first request
 * costs one extra statement and no extra commit. A retry runs the handler too,
 * but what it wrote never commits: either its key row finds the first one's
 * (it waits for a concurrent first try to end) or the handler refuses the work
 * the first try already did (an answered item is no longer open); then it is
 * rolled back and answered with the stored first answer. */
#include "idempotency.h"

#include <event2/http.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "jsonw.h"
#include "log.h"
#include "util.h"

/* The stored answer, once a transaction that has written the key has ended. */
static const char SQL_IDEM_GET[] =
	"SELECT method, path, request_hash, status, response,"
	" created_at < UTC_TIMESTAMP() - INTERVAL 1 DAY AS expired"
	" FROM idempotency_keys WHERE user_id = ? AND idem_key = ? LOCK IN SHARE MODE";
/* Inserts the answer; a key used more than a day ago is free again and is
 * overwritten (created_at last: the other columns test its old value). Affected
 * rows: 1 inserted, 2 overwritten, 0 when the key is taken. */
#define IDEM_EXPIRED "created_at < UTC_TIMESTAMP() - INTERVAL 1 DAY"
#define IDEM_RENEW(col) col " = IF(" IDEM_EXPIRED ", VALUES(" col "), " col ")"
#define IDEM_STORE(rows) \
	"INSERT INTO idempotency_keys (user_id, idem_key, method, path, request_hash, status, response) VALUES " \
	rows " ON DUPLICATE KEY UPDATE " IDEM_RENEW("method") ", " IDEM_RENEW("path") ", " IDEM_RENEW("request_hash") \
	", " IDEM_RENEW("status") ", " IDEM_RENEW("response") ", created_at = IF(" IDEM_EXPIRED ", UTC_TIMESTAMP(), created_at)"
#define IDEM_PARAMS 7
static const char *const SQL_IDEM_STORE[BATCH_SIZES] = BATCH_SQL(IDEM_STORE, "(?, ?, ?, ?, ?, ?, ?)");
/* Requests written together store their keys with a plain INSERT: a key already
 * there, expired or not, is a duplicate that sends each request back to the path
 * above (a multi-row statement counts its rows only in total, and an expired key
 * overwritten, 2, beside a taken one, 0, would pass for two new ones). */
#define IDEM_INSERT(rows) \
	"INSERT INTO idempotency_keys (user_id, idem_key, method, path, request_hash, status, response) VALUES " rows
static const char *const SQL_IDEM_INSERT[BATCH_SIZES] = BATCH_SQL(IDEM_INSERT, "(?, ?, ?, ?, ?, ?, ?)");
static const char SQL_IDEM_DROP[] = "DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ?";
static const char SQL_IDEM_PURGE[] =
	"DELETE FROM idempotency_keys WHERE created_at < UTC_TIMESTAMP() - INTERVAL 1 DAY LIMIT 1000";

/* Every so many stored answers, expired keys of everyone are removed. */
#define IDEM_PURGE_EVERY 64
static _Atomic unsigned long stored_answers;

int idem_key(const http_req *req, http_res *res, char out[IDEM_KEY_MAX + 1])
{
	const char *k = req_header(req, "Idempotency-Key");
	size_t i, n;
	if (!k)
		return 0;
	n = strlen(k);
	for (i = 0; i < n; i++)
		if (k[i] < 0x21 || k[i] > 0x7e)
			break;
	if (n == 0 || n > IDEM_KEY_MAX || i < n)
		return res_error(res, HTTP_bad_request, "Idempotency-Key",
				 "Idempotency-Key 应为 1 到 %d 个可见 ASCII 字符", IDEM_KEY_MAX), -1;
	memcpy(out, k, n + 1);
	return 1;
}

/* The SHA-256 of the request's URI (its query string too: POST /evidence takes
 * the school there) and body, as 64 hex characters. */
static void request_hash(const http_req *req, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	const char *uri = req->uri ? req->uri : "";
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)uri, strlen(uri) + 1); /* NUL ends the URI */
	crypto_hash_sha256_update(&st, (const unsigned char *)req->body, req->body_len);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* Drops what the handler answered, before another answer replaces it. */
static void res_clear(http_res *res)
{
	json_decref(res->json);
	res->json = NULL;
	res_body_clear(res);
	evhttp_clear_headers(&res->headers);
}

/* Answers from a stored row: the first answer again, or why the key cannot be used. */
static int idem_replay(const http_req *req, http_res *res, db_rows *r, const char *hash)
{
	const char *stored = db_rows_str(r, 0, 4);
	res_clear(res);
	if (strcmp(db_rows_str(r, 0, 0), req->method) || strcmp(db_rows_str(r, 0, 1), req->path) ||
	    strcmp(db_rows_str(r, 0, 2), hash))
		return res_error(res, HTTP_unprocessable, "Idempotency-Key",
				 "该 Idempotency-Key 已用于另一个请求，请为新的请求生成新的键");
	res->status = (int)db_rows_int(r, 0, 3);
	res->json = stored ? json_loads(stored, JSON_DECODE_ANY, NULL) : NULL;
	res_header(res, "Idempotent-Replayed", "true");
	return res->status;
}

/* The stored row of (user, key) into *r, after waiting for a request that holds
 * the key to end; an expired one is dropped and reported as DB_NOT_FOUND. */
static db_status idem_lookup(http_req *req, const char *key, db_rows **r)
{
	db_param p[] = {DP_INT(req->user.id), DP_STR(key)};
	db_status st = db_query_one(req->db, SQL_IDEM_GET, p, DB_NPARAMS(p), r);
	if (st != DB_OK || !db_rows_int(*r, 0, 5))
		return st;
	db_rows_free(*r);
	*r = NULL;
	st = db_exec(req->db, SQL_IDEM_DROP, p, DB_NPARAMS(p), NULL, NULL);
	return st == DB_OK ? DB_NOT_FOUND : st;
}

/* Answers with the stored row of the key when there is one: 1 when res is the
 * answer (replayed, refused or a database error), 0 when the key is free. */
static int idem_answer_stored(http_req *req, http_res *res, const idem_state *s)
{
	db_rows *r = NULL;
	db_status st = idem_lookup(req, s->key, &r);
	if (st == DB_NOT_FOUND)
		return 0;
	if (st == DB_OK)
		idem_replay(req, res, r, s->hash);
	else
		res_clear(res), res_db_error(res, st);
	db_rows_free(r);
	return 1;
}

int idem_prepare(const http_req *req, http_res *res, idem_state *s)
{
	int k;
	memset(s, 0, sizeof(*s));
	if ((k = idem_key(req, res, s->key)) <= 0)
		return k;
	request_hash(req, s->hash);
	return 1;
}

int idem_begin(http_req *req, http_res *res, idem_state *s)
{
	db_status st;
	int k = idem_prepare(req, res, s);
	if (k <= 0)
		return k < 0;
	if ((st = db_begin(req->db)) != DB_OK)
		return res_db_error(res, st), 1;
	s->active = 1;
	return 0;
}

/* Every IDEM_PURGE_EVERY answers stored by the process, expired keys of everyone
 * are purged (after the commit, in a statement of its own). */
void idem_stored(db *d, size_t n)
{
	unsigned long before = atomic_fetch_add(&stored_answers, n);
	if (before / IDEM_PURGE_EVERY != (before + n) / IDEM_PURGE_EVERY &&
	    db_exec(d, SQL_IDEM_PURGE, NULL, 0, NULL, NULL) != DB_OK)
		log_warn("expired idempotency keys not purged: %s", db_error(d));
}

/* The row of entry i of an idem_entry array; its answer's text is in text[i]. */
typedef struct {
	const idem_entry *e;
	char **text;
} idem_rows;

static void idem_row(void *ctx, size_t i, db_param *p)
{
	const idem_rows *r = ctx;
	const idem_entry *e = &r->e[i];
	p[0] = DP_INT(e->req->user.id);
	p[1] = DP_STR(e->s->key);
	p[2] = DP_STR(e->req->method);
	p[3] = DP_STR(e->req->path);
	p[4] = DP_STR(e->s->hash);
	p[5] = DP_INT(e->res->status);
	p[6] = DP_STR(r->text[i]);
}

/* Inserts the answers of e[0..n) under their keys with sql (SQL_IDEM_STORE:
 * *affected counts 1 per key inserted, 2 per expired key overwritten, 0 per key
 * taken; SQL_IDEM_INSERT: DB_DUPLICATE when a key is there). */
static db_status store_rows(db *d, const char *const sql[BATCH_SIZES], const idem_entry *e, size_t n,
			    unsigned long long *affected)
{
	char **text = xcalloc(n + 1, sizeof(*text));
	idem_rows r = {e, text};
	size_t i;
	db_status st;
	for (i = 0; i < n; i++)
		text[i] = e[i].res->json ? jsonw_dumps(e[i].res->json, NULL) : NULL;
	st = batch_exec_affected(d, sql, IDEM_PARAMS, n, idem_row, &r, affected);
	for (i = 0; i < n; i++)
		free(text[i]);
	free(text);
	return st;
}

db_status idem_store_many(db *d, const idem_entry *e, size_t n)
{
	unsigned long long affected = 0;
	db_status st = n ? store_rows(d, SQL_IDEM_INSERT, e, n, &affected) : DB_OK;
	return st == DB_DUPLICATE || (st == DB_OK && affected != n) ? DB_CONFLICT : st;
}

/* Stores the handler's answer under the key and commits; *taken when the key
 * holds another answer (nothing is committed then). Now and then purges
 * expired keys of everyone. */
static db_status idem_store(http_req *req, const http_res *res, const idem_state *s, int *taken)
{
	unsigned long long affected = 0;
	idem_entry e = {req, res, s};
	db_status st = store_rows(req->db, SQL_IDEM_STORE, &e, 1, &affected);
	*taken = st == DB_OK && affected == 0;
	if (st == DB_OK && !*taken)
		st = db_commit(req->db);
	if (st == DB_OK && affected == 1)
		idem_stored(req->db, 1);
	return st;
}

void idem_refused(http_req *req, http_res *res, const idem_state *s)
{
	if (s->key[0])
		idem_answer_stored(req, res, s);
}

void idem_finish(http_req *req, http_res *res, idem_state *s)
{
	db_status st = DB_OK;
	int taken = 0;
	if (!s->active)
		return;
	s->active = 0;
	if (res->status >= 200 && res->status < 300 && !db_tx_rolled_back(req->db) && db_tx_depth(req->db) == 1 &&
	    (st = idem_store(req, res, s, &taken)) == DB_OK && !taken)
		return;
	/* Not stored: the handler refused (a retry of a request that did its work
	 * finds it done), or a try with the same key holds it or committed first (a
	 * deadlock between tries waiting on the key ends here too). Once that try
	 * ends, its answer is this one's; with no stored answer, this one stands. */
	db_rollback(req->db);
	if (idem_answer_stored(req, res, s))
		return;
	if (st != DB_OK || taken) {
		res_clear(res);
		res_db_error(res, st == DB_OK || st == DB_DUPLICATE ? DB_CONFLICT : st);
	}
}
