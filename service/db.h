/* db.h - the database layer: one connection per worker, prepared statements
 * cached per connection, typed binds, results as rows of strings or as JSON.
 * Nothing here knows about HTTP; callers map db_status to a response. */
#ifndef DUDAO_DB_H
#define DUDAO_DB_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "util.h"

typedef enum {
	DB_OK = 0,
	DB_NOT_FOUND,   /* no row matched (or out of scope) */
	DB_CONFLICT,    /* stale version or state that forbids the change */
	DB_DUPLICATE,   /* unique key violated */
	DB_UNAVAILABLE, /* the server cannot be reached */
	DB_ERR          /* anything else; details are logged, never returned */
} db_status;

typedef struct db db;

/* Connection settings, parsed from a URL of the form
 * mysql://user[:password]@host[:port]/database[?socket=/path/to.sock] */
typedef struct {
	char user[64];
	char password[128];
	char host[256];
	unsigned port;
	char database[64];
	char socket[512];
} db_config;

/* Parses url into cfg. Returns 0, or -1 with a message in err. */
int db_config_parse(const char *url, db_config *cfg, char *err, size_t errlen);

/* Opens a connection (utf8mb4, UTC session time zone). Returns NULL and logs on failure.
 * The caller frees it with db_close. */
db *db_open(const db_config *cfg);
/* Opens another connection with d's settings, for work run in parallel on
 * another thread (a connection is used by one thread at a time). NULL (logged)
 * when it cannot connect; the caller frees it with db_close. */
db *db_open_sibling(const db *d);
/* Like db_open, but returns a handle even when the server is down: it connects
 * on first use (db_ensure). Workers use this so that they start and answer 503. */
db *db_open_lazy(const db_config *cfg);
void db_close(db *d);

/* Makes sure the connection is usable, reconnecting once if the server went away.
 * Returns DB_OK or DB_UNAVAILABLE. */
db_status db_ensure(db *d);

/* True once the connection has failed in a way that needs a reconnect. */
int db_is_down(const db *d);

/* A typed parameter for a prepared statement. */
typedef enum { DBP_NULL, DBP_INT, DBP_STR, DBP_BLOB } db_param_type;
typedef struct {
	db_param_type type;
	long long i;
	const char *s;
	size_t len;
} db_param;

#define DP_NULL ((db_param){.type = DBP_NULL})
#define DP_INT(x) ((db_param){.type = DBP_INT, .i = (long long)(x)})
#define DP_STR(x) db_param_str(x)
#define DP_BLOB(p, n) ((db_param){.type = DBP_BLOB, .s = (const char *)(p), .len = (n)})
/* A string parameter; NULL becomes SQL NULL. */
db_param db_param_str(const char *s);
/* An integer parameter, or SQL NULL when id <= 0. */
db_param db_param_id_or_null(long long id);

/* Rows fetched from a query: every value as a NUL-terminated string (NULL for SQL NULL). */
typedef struct db_rows db_rows;
size_t db_rows_count(const db_rows *r);
size_t db_rows_columns(const db_rows *r);
const char *db_rows_name(const db_rows *r, size_t col);
const char *db_rows_str(const db_rows *r, size_t row, size_t col); /* NULL for SQL NULL */
size_t db_rows_len(const db_rows *r, size_t row, size_t col);
long long db_rows_int(const db_rows *r, size_t row, size_t col);   /* 0 for SQL NULL */
/* The row as a JSON object keyed by column name: integer columns become JSON
 * integers, TINYINT(1) booleans, NULL null, the rest strings. New reference. */
json_t *db_rows_object(const db_rows *r, size_t row);
/* Every row as a JSON array of objects. New reference. */
json_t *db_rows_array(const db_rows *r);
/* The index of the column named name, or -1. */
long db_rows_col(const db_rows *r, const char *name);
/* Appends the row's columns to b as the members of a JSON object ("name":value,
 * comma-separated, no braces), the same text db_rows_object gives, without the
 * columns whose bit is set in skip (1ULL << index; the first 64 columns only). */
void db_rows_write_members(const db_rows *r, size_t row, unsigned long long skip, strbuf *b);
void db_rows_free(db_rows *r);

/* Runs a statement that returns no rows. affected and insert_id may be NULL.
 * A unique-key violation returns DB_DUPLICATE. */
db_status db_exec(db *d, const char *sql, const db_param *params, size_t nparams,
		  unsigned long long *affected, unsigned long long *insert_id);

/* Runs a query and fetches every row into *out (caller frees with db_rows_free).
 * *out is NULL unless DB_OK. */
db_status db_query(db *d, const char *sql, const db_param *params, size_t nparams, db_rows **out);

/* Runs a query expected to return at most one row; DB_NOT_FOUND when it returns none. */
db_status db_query_one(db *d, const char *sql, const db_param *params, size_t nparams, db_rows **out);

/* Runs a query whose first column of the first row is an integer; DB_NOT_FOUND when no row. */
db_status db_query_int(db *d, const char *sql, const db_param *params, size_t nparams, long long *out);
/* The same for a text, copied into out of n bytes (str_copy: cut when longer; "" for NULL). */
db_status db_query_str(db *d, const char *sql, const db_param *params, size_t nparams, char *out, size_t n);

/* Streams the rows of a query whose columns are all integers, for scans too big
 * to hold as text (millions of ids): fn(ctx, vals, ncols) sees each row as the
 * server sends it, vals[c] being column c (0 for NULL), with no copy of the result
 * and no allocation per row; vals is only valid during the call. fn returns 0 to
 * go on, non-zero to stop (the rest of the result is dropped; still DB_OK). At
 * most DB_EACH_MAX_COLS columns; a non-integer value is DB_ERR (logged). The
 * connection is busy until the call returns: fn must not query it. */
#define DB_EACH_MAX_COLS 8
typedef int (*db_row_fn)(void *ctx, const long long *vals, size_t ncols);
db_status db_query_each(db *d, const char *sql, const db_param *params, size_t nparams, db_row_fn fn, void *ctx);

/* Runs SQL text with no parameters and no result (DDL, migrations). Multi-statement allowed. */
db_status db_exec_script(db *d, const char *sql, char *err, size_t errlen);

/* Transactions, nestable: an inner db_begin/db_commit pair only counts, the
 * outermost pair starts and commits; db_rollback at any depth rolls back the
 * whole transaction and leaves depth 0. db_tx_depth tells how deep the caller
 * is (0: autocommit); db_tx_rolled_back whether a rollback ran since the
 * outermost db_begin. */
db_status db_begin(db *d);
db_status db_commit(db *d);
void db_rollback(db *d);
int db_tx_depth(const db *d);
int db_tx_rolled_back(const db *d);

/* The server's last error message, for logs and for the migrate command only. */
const char *db_error(db *d);

#define DB_NPARAMS(a) (sizeof(a) / sizeof((a)[0]))

#endif
