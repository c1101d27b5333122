/* auth.h - passwords (Argon2id), cookie sessions, bearer tokens, login
 * throttling and CSRF. Sessions and tokens live in the database. */
#ifndef DUDAO_AUTH_H
#define DUDAO_AUTH_H

#include <stddef.h>
#include "db.h"
#include "http.h"

/* Hashes password with Argon2id into out (at least 128 bytes). Returns 0, or -1. */
int auth_password_hash(const char *password, char *out, size_t outlen);
/* Returns 1 when password matches hash, else 0. */
int auth_password_verify(const char *hash, const char *password);
/* Takes the time of auth_password_verify for a user that does not exist (or
 * may not sign in), so that the answer's timing does not tell which names do. */
void auth_password_verify_nobody(const char *password);

/* Resolves the Cookie or Authorization header of req into req->user.
 * Returns DB_OK (signed in), DB_NOT_FOUND (anonymous or expired) or an error.
 * What a session or token stands for is read at most 5 seconds before. */
db_status auth_resolve(http_req *req);
/* Forgets every caller kept by auth_resolve: call it once a change to users,
 * sessions or tokens is committed (the next request of each reads again). */
void auth_cache_clear(void);

/* Loads the user row id into u (active users only). */
db_status auth_load_user(db *d, long long id, auth_user *u);

/* Creates a session for user_id; writes the cookie value (64 hex) and the CSRF
 * token (64 hex) and the expiry timestamp ("YYYY-MM-DDTHH:MM:SSZ"). */
db_status auth_session_create(db *d, long long user_id, const char *ip, int hours,
			      char cookie[65], char csrf[65], char expires[21]);
/* Reads the CSRF token and expiry of the current cookie session. */
db_status auth_session_info(db *d, const char *session_id, char csrf[65], char expires[21]);
db_status auth_session_delete(db *d, const char *session_id);

/* Creates a bearer token; token receives 64 hex characters shown once. */
db_status auth_token_create(db *d, long long user_id, const char *name, int expires_days,
			    char token[65], unsigned long long *id);

/* Login throttling: returns seconds to wait (0 when allowed). */
int auth_throttle_wait(db *d, const char *username, const char *ip);
void auth_throttle_fail(db *d, const char *username, const char *ip);
/* Forgets a user name's failures after a successful login. */
void auth_throttle_clear(db *d, const char *username);

/* Fills out with n random bytes as 2n hex characters plus NUL. */
void auth_random_hex(char *out, size_t nbytes);
/* SHA-256 of the 64-hex id string, into 32 bytes. */
void auth_hash_id(const char *hex, unsigned char out[32]);

#endif
