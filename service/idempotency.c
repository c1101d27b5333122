/* idempotency.c - Idempotency-Key: a reservation row per (user, key) taken
 * before the handler runs, filled with the answer after it. A phone that
 * retries a submission on a bad network gets the first answer back; two
 * concurrent tries cannot both run, because the reservation is a unique key. */
#include "idempotency.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

static const char SQL_IDEM_GET[] =
	"SELECT method, path, request_hash, status, response,"
	" created_at < UTC_TIMESTAMP() - INTERVAL 1 DAY AS expired,"
	" created_at < UTC_TIMESTAMP() - INTERVAL 5 MINUTE AS abandoned"
	" FROM idempotency_keys WHERE user_id = ? AND idem_key = ?";
static const char SQL_IDEM_RESERVE[] =
	"INSERT INTO idempotency_keys (user_id, idem_key, method, path, request_hash) VALUES (?, ?, ?, ?, ?)";
static const char SQL_IDEM_STORE[] =
	"UPDATE idempotency_keys SET status = ?, response = ? WHERE user_id = ? AND idem_key = ? AND status = 0";
static const char SQL_IDEM_RELEASE[] =
	"DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ? AND status = 0";
static const char SQL_IDEM_DROP[] = "DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ?";
static const char SQL_IDEM_PURGE[] =
	"DELETE FROM idempotency_keys WHERE created_at < UTC_TIMESTAMP() - INTERVAL 1 DAY LIMIT 1000";

/* Every so many reservations, expired keys of everyone are removed. */
#define IDEM_PURGE_EVERY 64

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

/* The SHA-256 of the request body as 64 hex characters. */
static void body_hash(const http_req *req, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, req->body, req->body_len);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* Answers from a stored row: the first answer again, or why the key cannot be used. */
static int idem_replay(http_req *req, http_res *res, db_rows *r, const char *hash)
{
	const char *stored = db_rows_str(r, 0, 4);
	if (strcmp(db_rows_str(r, 0, 0), req->method) || strcmp(db_rows_str(r, 0, 1), req->path) ||
	    strcmp(db_rows_str(r, 0, 2), hash))
		return res_error(res, HTTP_unprocessable, "Idempotency-Key",
				 "该 Idempotency-Key 已用于另一个请求，请为新的请求生成新的键");
	if (db_rows_int(r, 0, 3) == 0) {
		res_header(res, "Retry-After", "1");
		return res_error(res, HTTP_conflict, "Idempotency-Key", "相同的请求正在处理中，请稍后再试");
	}
	res->status = (int)db_rows_int(r, 0, 3);
	res->json = stored ? json_loads(stored, JSON_DECODE_ANY, NULL) : NULL;
	res_header(res, "Idempotent-Replayed", "true");
	return res->status;
}

/* The stored row of (user, key) into *r; an expired one, or one reserved by a
 * request that never finished, is dropped and reported as DB_NOT_FOUND. */
static db_status idem_lookup(http_req *req, const char *key, db_rows **r)
{
	db_param p[] = {DP_INT(req->user.id), DP_STR(key)};
	db_status st = db_query_one(req->db, SQL_IDEM_GET, p, DB_NPARAMS(p), r);
	if (st != DB_OK || !(db_rows_int(*r, 0, 5) || (db_rows_int(*r, 0, 3) == 0 && db_rows_int(*r, 0, 6))))
		return st;
	db_rows_free(*r);
	*r = NULL;
	st = db_exec(req->db, SQL_IDEM_DROP, p, DB_NPARAMS(p), NULL, NULL);
	return st == DB_OK ? DB_NOT_FOUND : st;
}

/* Reserves (user, key) for this request; now and then purges expired keys. */
static db_status idem_reserve(http_req *req, const char *key, const char *hash)
{
	unsigned long long row = 0;
	db_param p[] = {DP_INT(req->user.id), DP_STR(key), DP_STR(req->method), DP_STR(req->path), DP_STR(hash)};
	db_status st = db_exec(req->db, SQL_IDEM_RESERVE, p, DB_NPARAMS(p), NULL, &row);
	if (st == DB_OK && row % IDEM_PURGE_EVERY == 0 &&
	    db_exec(req->db, SQL_IDEM_PURGE, NULL, 0, NULL, NULL) != DB_OK)
		log_warn("expired idempotency keys not purged: %s", db_error(req->db));
	return st;
}

int idem_begin(http_req *req, http_res *res)
{
	char key[IDEM_KEY_MAX + 1], hash[65];
	db_rows *r = NULL;
	db_status st;
	int k = idem_key(req, res, key);
	if (k <= 0)
		return k < 0;
	body_hash(req, hash);
	st = idem_lookup(req, key, &r);
	if (st == DB_OK) {
		idem_replay(req, res, r, hash);
		db_rows_free(r);
		return 1;
	}
	if (st == DB_NOT_FOUND)
		st = idem_reserve(req, key, hash);
	if (st == DB_DUPLICATE) {
		res_header(res, "Retry-After", "1");
		return res_error(res, HTTP_conflict, "Idempotency-Key", "相同的请求正在处理中，请稍后再试"), 1;
	}
	return st == DB_OK ? 0 : (res_db_error(res, st), 1);
}

/* Fills the reservation with the answer; the row stays until it expires. */
static db_status idem_store(http_req *req, const http_res *res, const char *key)
{
	char *text = res->json ? json_dumps(res->json, JSON_COMPACT) : NULL;
	db_param p[] = {DP_INT(res->status), DP_STR(text), DP_INT(req->user.id), DP_STR(key)};
	db_status st = db_exec(req->db, SQL_IDEM_STORE, p, DB_NPARAMS(p), NULL, NULL);
	free(text);
	return st;
}

void idem_finish(http_req *req, const http_res *res)
{
	char key[IDEM_KEY_MAX + 1];
	http_res scratch;
	db_status st;
	memset(&scratch, 0, sizeof(scratch));
	if (idem_key(req, &scratch, key) <= 0)
		return;
	if (res->status >= 200 && res->status < 300) {
		st = idem_store(req, res, key);
	} else {
		db_param p[] = {DP_INT(req->user.id), DP_STR(key)};
		st = db_exec(req->db, SQL_IDEM_RELEASE, p, DB_NPARAMS(p), NULL, NULL);
	}
	if (st != DB_OK)
		log_warn("idempotency key of user %lld not recorded: %s", req->user.id, db_error(req->db));
}
