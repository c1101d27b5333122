/* auth.c - Argon2id passwords, database sessions and bearer tokens, login
 * throttling. Only SHA-256 hashes of session ids and tokens are stored.
 * Every request names its caller: who a session or token stands for is kept
 * for AUTH_CACHE_TTL seconds (one statement less per request), forgotten at
 * once when this service ends a session, revokes a token or changes a user. */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

#define THROTTLE_USER 5
#define THROTTLE_IP 20

static const char SQL_USER_BY_SESSION[] =
	"SELECT u.id, u.role, u.org_id, o.path, u.username, u.display_name, s.csrf_token"
	" FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id"
	" WHERE s.id_hash = ? AND s.expires_at > UTC_TIMESTAMP() AND u.active = 1";
static const char SQL_USER_BY_TOKEN[] =
	"SELECT u.id, u.role, u.org_id, o.path, u.username, u.display_name, ''"
	" FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN orgs o ON o.id = u.org_id"
	" WHERE t.token_hash = ? AND t.revoked_at IS NULL"
	" AND (t.expires_at IS NULL OR t.expires_at > UTC_TIMESTAMP()) AND u.active = 1";
static const char SQL_USER_BY_ID[] =
	"SELECT u.id, u.role, u.org_id, o.path, u.username, u.display_name, ''"
	" FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ? AND u.active = 1";
static const char SQL_SESSION_INSERT[] =
	"INSERT INTO sessions (id_hash, user_id, csrf_token, ip, expires_at)"
	" VALUES (?, ?, ?, ?, UTC_TIMESTAMP() + INTERVAL ? HOUR)";
static const char SQL_SESSION_INFO[] =
	"SELECT csrf_token, DATE_FORMAT(expires_at, '%Y-%m-%dT%H:%i:%sZ') FROM sessions"
	" WHERE id_hash = ? AND expires_at > UTC_TIMESTAMP()";
static const char SQL_SESSION_DELETE[] = "DELETE FROM sessions WHERE id_hash = ?";
static const char SQL_SESSION_PURGE[] = "DELETE FROM sessions WHERE expires_at < UTC_TIMESTAMP() - INTERVAL 1 DAY";
static const char SQL_TOKEN_INSERT[] =
	"INSERT INTO api_tokens (user_id, name, token_hash, expires_at)"
	" VALUES (?, ?, ?, IF(? > 0, UTC_TIMESTAMP() + INTERVAL ? DAY, NULL))";
static const char SQL_FAILS_USER[] =
	"SELECT COUNT(*), TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), MIN(at) + INTERVAL 15 MINUTE)"
	" FROM login_failures WHERE username = ? AND at > UTC_TIMESTAMP() - INTERVAL 15 MINUTE";
static const char SQL_FAILS_IP[] =
	"SELECT COUNT(*), TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), MIN(at) + INTERVAL 15 MINUTE)"
	" FROM login_failures WHERE ip = ? AND at > UTC_TIMESTAMP() - INTERVAL 15 MINUTE";
static const char SQL_FAIL_INSERT[] = "INSERT INTO login_failures (username, ip) VALUES (?, ?)";
static const char SQL_FAIL_CLEAR[] = "DELETE FROM login_failures WHERE username = ?";

int auth_password_hash(const char *password, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES || sodium_init() < 0)
		return -1;
	return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

int auth_password_verify(const char *hash, const char *password)
{
	return hash && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* A hash of a random password nobody knows, made once: checking a password
 * against it takes as long as against a user's own. */
static char no_user_hash[crypto_pwhash_STRBYTES];
static pthread_once_t no_user_once = PTHREAD_ONCE_INIT;

static void no_user_hash_make(void)
{
	char secret[65];
	auth_random_hex(secret, 32);
	if (auth_password_hash(secret, no_user_hash, sizeof(no_user_hash)) != 0)
		no_user_hash[0] = '\0';
	sodium_memzero(secret, sizeof(secret));
}

void auth_password_verify_nobody(const char *password)
{
	pthread_once(&no_user_once, no_user_hash_make);
	if (no_user_hash[0])
		(void)auth_password_verify(no_user_hash, password);
}

void auth_random_hex(char *out, size_t nbytes)
{
	unsigned char buf[64];
	if (nbytes > sizeof(buf))
		nbytes = sizeof(buf);
	randombytes_buf(buf, nbytes);
	sodium_bin2hex(out, nbytes * 2 + 1, buf, nbytes);
}

void auth_hash_id(const char *hex, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)hex, strlen(hex));
}

static void user_from_row(db_rows *r, auth_user *u)
{
	u->id = db_rows_int(r, 0, 0);
	u->role = role_from_name(db_rows_str(r, 0, 1));
	u->org_id = db_rows_int(r, 0, 2);
	str_copy(u->org_path, sizeof(u->org_path), db_rows_str(r, 0, 3));
	str_copy(u->username, sizeof(u->username), db_rows_str(r, 0, 4));
	str_copy(u->display_name, sizeof(u->display_name), db_rows_str(r, 0, 5));
	str_copy(u->csrf, sizeof(u->csrf), db_rows_str(r, 0, 6));
}

/* The value of cookie name in a Cookie header, copied into out; 0 when found. */
static int cookie_value(const char *header, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name), vl;
	const char *p = header;
	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (!strncmp(p, name, nl) && p[nl] == '=') {
			p += nl + 1;
			vl = strcspn(p, ";");
			if (vl >= n)
				return -1;
			memcpy(out, p, vl);
			out[vl] = '\0';
			return 0;
		}
		p = strchr(p, ';');
	}
	return -1;
}

static int is_hex64(const char *s)
{
	size_t i;
	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

/* ---------------------------------------------------------------- the callers' cache */

/* A change made outside this service (by hand in the database) applies within
 * this many seconds; expiry of a session or token too. */
#define AUTH_CACHE_TTL 5
#define AUTH_CACHE_SLOTS 1024

typedef struct {
	unsigned char hash[32];     /* of the session id or token */
	const char *sql;            /* which kind: SQL_USER_BY_SESSION or _TOKEN */
	unsigned long generation;
	double at;                  /* clock_ms() when read */
	auth_user user;
} auth_slot;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static auth_slot cache[AUTH_CACHE_SLOTS];
static unsigned long cache_generation = 1;  /* 0 marks an empty slot */

static auth_slot *cache_slot(const unsigned char h[32])
{
	return &cache[(h[0] | (size_t)h[1] << 8) % AUTH_CACHE_SLOTS];
}

/* Copies the cached user of (sql, h) into u; 0 when there is none still valid. */
static int cache_get(const char *sql, const unsigned char h[32], auth_user *u, unsigned long *generation)
{
	auth_slot *s;
	int hit;
	pthread_mutex_lock(&cache_lock);
	s = cache_slot(h);
	hit = s->generation == cache_generation && s->sql == sql && !memcmp(s->hash, h, 32) &&
	      clock_ms() - s->at < AUTH_CACHE_TTL * 1000.0;
	if (hit)
		*u = s->user;
	*generation = cache_generation;
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

/* Keeps u for (sql, h), unless the cache was cleared since generation was read
 * (the user was then read before a change that may concern it). */
static void cache_put(const char *sql, const unsigned char h[32], const auth_user *u, unsigned long generation)
{
	auth_slot *s;
	pthread_mutex_lock(&cache_lock);
	if (generation == cache_generation) {
		s = cache_slot(h);
		memcpy(s->hash, h, 32);
		s->sql = sql;
		s->generation = generation;
		s->at = clock_ms();
		s->user = *u;
	}
	pthread_mutex_unlock(&cache_lock);
}

void auth_cache_clear(void)
{
	pthread_mutex_lock(&cache_lock);
	cache_generation++;
	pthread_mutex_unlock(&cache_lock);
}

/* Looks up the user behind a session id or token (64 hex) with sql. */
static db_status resolve_hash(http_req *req, const char *sql, const char *hex)
{
	unsigned char h[32];
	unsigned long generation;
	db_rows *r;
	db_param p[1];
	db_status st;
	if (!is_hex64(hex))
		return DB_NOT_FOUND;
	auth_hash_id(hex, h);
	if (cache_get(sql, h, &req->user, &generation))
		return DB_OK;
	p[0] = DP_BLOB(h, sizeof(h));
	st = db_query_one(req->db, sql, p, 1, &r);
	if (st != DB_OK)
		return st;
	user_from_row(r, &req->user);
	db_rows_free(r);
	cache_put(sql, h, &req->user, generation);
	return DB_OK;
}

db_status auth_resolve(http_req *req)
{
	char sid[80];
	const char *authz = req_header(req, "Authorization");
	const char *cookie = req_header(req, "Cookie");
	db_status st;

	if (authz && !strncmp(authz, "Bearer ", 7))
		return resolve_hash(req, SQL_USER_BY_TOKEN, authz + 7);
	if (!cookie || cookie_value(cookie, "dudao_session", sid, sizeof(sid)) != 0)
		return DB_NOT_FOUND;
	st = resolve_hash(req, SQL_USER_BY_SESSION, sid);
	if (st == DB_OK) {
		req->user.via_cookie = 1;
		str_copy(req->user.session_id, sizeof(req->user.session_id), sid);
	}
	return st;
}

db_status auth_load_user(db *d, long long id, auth_user *u)
{
	db_param p[] = {DP_INT(id)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_USER_BY_ID, p, 1, &r);
	if (st != DB_OK)
		return st;
	user_from_row(r, u);
	db_rows_free(r);
	return DB_OK;
}

db_status auth_session_create(db *d, long long user_id, const char *ip, int hours,
			      char cookie[65], char csrf[65], char expires[21])
{
	unsigned char h[32];
	db_status st;
	auth_random_hex(cookie, 32);
	auth_random_hex(csrf, 32);
	auth_hash_id(cookie, h);
	{
		db_param p[] = {DP_BLOB(h, 32), DP_INT(user_id), DP_STR(csrf), DP_STR(ip), DP_INT(hours)};
		st = db_exec(d, SQL_SESSION_INSERT, p, DB_NPARAMS(p), NULL, NULL);
	}
	if (st == DB_OK)
		db_exec(d, SQL_SESSION_PURGE, NULL, 0, NULL, NULL);
	return st == DB_OK ? auth_session_info(d, cookie, csrf, expires) : st;
}

db_status auth_session_info(db *d, const char *session_id, char csrf[65], char expires[21])
{
	unsigned char h[32];
	db_rows *r;
	db_status st;
	db_param p[1];
	auth_hash_id(session_id, h);
	p[0] = DP_BLOB(h, 32);
	st = db_query_one(d, SQL_SESSION_INFO, p, 1, &r);
	if (st != DB_OK)
		return st;
	str_copy(csrf, 65, db_rows_str(r, 0, 0));
	str_copy(expires, 21, db_rows_str(r, 0, 1));
	db_rows_free(r);
	return DB_OK;
}

db_status auth_session_delete(db *d, const char *session_id)
{
	unsigned char h[32];
	db_param p[1];
	db_status st;
	auth_hash_id(session_id, h);
	p[0] = DP_BLOB(h, 32);
	st = db_exec(d, SQL_SESSION_DELETE, p, 1, NULL, NULL);
	auth_cache_clear();
	return st;
}

db_status auth_token_create(db *d, long long user_id, const char *name, int expires_days,
			    char token[65], unsigned long long *id)
{
	unsigned char h[32];
	auth_random_hex(token, 32);
	auth_hash_id(token, h);
	{
		db_param p[] = {DP_INT(user_id), DP_STR(name), DP_BLOB(h, 32), DP_INT(expires_days),
				DP_INT(expires_days)};
		return db_exec(d, SQL_TOKEN_INSERT, p, DB_NPARAMS(p), NULL, id);
	}
}

/* Seconds until the window of failures for key frees a place, 0 when under limit. */
static int throttle_check(db *d, const char *sql, const char *key, long long limit)
{
	db_param p[] = {DP_STR(key)};
	db_rows *r;
	int wait = 0;
	if (db_query_one(d, sql, p, 1, &r) != DB_OK)
		return 0;
	if (db_rows_int(r, 0, 0) >= limit) {
		wait = (int)db_rows_int(r, 0, 1);
		if (wait < 1)
			wait = 1;
	}
	db_rows_free(r);
	return wait;
}

int auth_throttle_wait(db *d, const char *username, const char *ip)
{
	int a = throttle_check(d, SQL_FAILS_USER, username, THROTTLE_USER);
	int b = throttle_check(d, SQL_FAILS_IP, ip, THROTTLE_IP);
	return a > b ? a : b;
}

void auth_throttle_fail(db *d, const char *username, const char *ip)
{
	db_param p[] = {DP_STR(username), DP_STR(ip)};
	db_exec(d, SQL_FAIL_INSERT, p, DB_NPARAMS(p), NULL, NULL);
}

void auth_throttle_clear(db *d, const char *username)
{
	db_param p[] = {DP_STR(username)};
	db_exec(d, SQL_FAIL_CLEAR, p, 1, NULL, NULL);
}
