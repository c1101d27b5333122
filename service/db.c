/* db.c - MariaDB/MySQL through the mysqlclient C API. Each worker owns one
 * connection; statements are prepared once per connection and cached by the
 * address of their static SQL text. */
#include "db.h"

#include <errno.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_rows_build.h"
#include "log.h"
#include "util.h"

/* The statement cache: an open-addressing table keyed by the address of the
 * static SQL text, grown as needed, so every statement is prepared once per
 * connection however many resources the service has. */
typedef struct { const char *sql; MYSQL_STMT *stmt; } db_cached;

struct db {
	MYSQL *conn;
	db_config cfg;
	int down;
	int tx_depth;           /* db_begin calls not yet matched by db_commit */
	int tx_rolled_back;     /* db_rollback ran since the outermost db_begin */
	size_t nstmts, cap;     /* cap is a power of two, or 0 */
	db_cached *stmts;
};

db_param db_param_str(const char *s)
{
	if (!s)
		return DP_NULL;
	return (db_param){.type = DBP_STR, .s = s, .len = strlen(s)};
}

db_param db_param_id_or_null(long long id)
{
	return id > 0 ? DP_INT(id) : DP_NULL;
}

/* ---------------------------------------------------------------- connection */

static MYSQL *db_connect(const db_config *cfg)
{
	unsigned timeout = 5, rw_timeout = 60;
	MYSQL *m = mysql_init(NULL);
	if (!m)
		return NULL;
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
	mysql_options(m, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
	if (!mysql_real_connect(m, cfg->host, cfg->user, cfg->password[0] ? cfg->password : NULL,
				cfg->database[0] ? cfg->database : NULL, cfg->port,
				cfg->socket[0] ? cfg->socket : NULL, CLIENT_MULTI_STATEMENTS)) {
		log_error("database connect failed: %s", mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

db *db_open(const db_config *cfg)
{
	db *d;
	MYSQL *m = db_connect(cfg);
	if (!m)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	d->conn = m;
	d->cfg = *cfg;
	return d;
}

db *db_open_sibling(const db *d)
{
	return db_open(&d->cfg);
}

db *db_open_lazy(const db_config *cfg)
{
	db *d = xcalloc(1, sizeof(*d));
	d->cfg = *cfg;
	d->conn = db_connect(cfg);
	d->down = d->conn == NULL;
	return d;
}

static void db_drop_statements(db *d)
{
	size_t i;
	for (i = 0; i < d->cap; i++)
		if (d->stmts[i].sql)
			mysql_stmt_close(d->stmts[i].stmt);
	free(d->stmts);
	d->stmts = NULL;
	d->nstmts = d->cap = 0;
}

static size_t stmt_slot(const db *d, const char *sql)
{
	size_t i = ((uintptr_t)sql >> 3) * 11400714819323198485ull >> 7;
	for (i &= d->cap - 1; d->stmts[i].sql && d->stmts[i].sql != sql; i = (i + 1) & (d->cap - 1))
		;
	return i;
}

static MYSQL_STMT *stmt_find(const db *d, const char *sql)
{
	return d->cap ? d->stmts[stmt_slot(d, sql)].stmt : NULL;
}

/* Adds a prepared statement, doubling the table at half full. */
static void stmt_add(db *d, const char *sql, MYSQL_STMT *st)
{
	size_t i;
	if (2 * (d->nstmts + 1) > d->cap) {
		db_cached *old = d->stmts;
		size_t oldcap = d->cap;
		d->cap = d->cap ? d->cap * 2 : 256;
		d->stmts = xcalloc(d->cap, sizeof(*d->stmts));
		for (i = 0; i < oldcap; i++)
			if (old[i].sql)
				d->stmts[stmt_slot(d, old[i].sql)] = old[i];
		free(old);
	}
	i = stmt_slot(d, sql);
	d->stmts[i].sql = sql;
	d->stmts[i].stmt = st;
	d->nstmts++;
}

void db_close(db *d)
{
	if (!d)
		return;
	db_drop_statements(d);
	if (d->conn)
		mysql_close(d->conn);
	free(d);
}

db_status db_ensure(db *d)
{
	MYSQL *m;
	if (!d->down && d->conn)
		return DB_OK;
	db_drop_statements(d);
	if (d->conn)
		mysql_close(d->conn);
	d->conn = NULL;
	m = db_connect(&d->cfg);
	if (!m)
		return DB_UNAVAILABLE;
	d->conn = m;
	d->down = 0;
	d->tx_depth = 0;
	log_info("database connection restored");
	return DB_OK;
}

int db_is_down(const db *d)
{
	return d->down || !d->conn;
}

const char *db_error(db *d)
{
	return d->conn ? mysql_error(d->conn) : "not connected";
}

/* Maps a client or server error number to a status; marks the connection down
 * when it is lost so the next request reconnects. */
static db_status db_classify(db *d, unsigned err, const char *msg)
{
	switch (err) {
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_LOST_EXTENDED:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
		d->down = 1;
		log_warn("database unavailable: %s", msg);
		return DB_UNAVAILABLE;
	case ER_DUP_ENTRY:
		return DB_DUPLICATE;
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
		log_warn("database conflict: %s", msg);
		return DB_CONFLICT;
	default:
		log_error("database error %u: %s", err, msg);
		return DB_ERR;
	}
}

/* ---------------------------------------------------------------- statements */

static db_status db_prepare(db *d, const char *sql, MYSQL_STMT **out)
{
	MYSQL_STMT *st;
	if (db_ensure(d) != DB_OK)
		return DB_UNAVAILABLE;
	if ((*out = stmt_find(d, sql)) != NULL)
		return DB_OK;
	st = mysql_stmt_init(d->conn);
	if (!st)
		return db_classify(d, mysql_errno(d->conn), mysql_error(d->conn));
	if (mysql_stmt_prepare(st, sql, strlen(sql))) {
		db_status s = db_classify(d, mysql_stmt_errno(st), mysql_stmt_error(st));
		if (s == DB_ERR)
			log_error("while preparing: %.200s", sql);
		mysql_stmt_close(st);
		return s;
	}
	stmt_add(d, sql, st);
	*out = st;
	return DB_OK;
}

/* Binds params and executes; the statement is left ready for fetching. */
static db_status db_run(db *d, const char *sql, const db_param *params, size_t n, MYSQL_STMT **out)
{
	MYSQL_BIND small[32], *binds = small; /* multi-row INSERTs (imports) bind thousands: heap */
	my_bool is_null = 1;
	MYSQL_STMT *st = NULL;
	size_t i;
	db_status s = db_prepare(d, sql, &st);

	if (s != DB_OK)
		return s;
	if (mysql_stmt_param_count(st) != n) {
		log_error("statement expects %lu parameters, got %zu: %.120s",
			  mysql_stmt_param_count(st), n, sql);
		return DB_ERR;
	}
	if (n > 32)
		binds = xcalloc(n, sizeof(MYSQL_BIND));
	else
		memset(small, 0, sizeof(small));
	for (i = 0; i < n; i++) {
		switch (params[i].type) {
		case DBP_NULL:
			binds[i].buffer_type = MYSQL_TYPE_NULL;
			binds[i].is_null = &is_null;
			break;
		case DBP_INT:
			binds[i].buffer_type = MYSQL_TYPE_LONGLONG;
			binds[i].buffer = (void *)&params[i].i;
			break;
		case DBP_STR:
		case DBP_BLOB:
			binds[i].buffer_type = params[i].type == DBP_STR ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			binds[i].buffer = (void *)params[i].s;
			binds[i].buffer_length = params[i].len;
			binds[i].length = (unsigned long *)&params[i].len;
			break;
		}
	}
	if ((n && mysql_stmt_bind_param(st, binds)) || mysql_stmt_execute(st))
		s = db_classify(d, mysql_stmt_errno(st), mysql_stmt_error(st));
	if (binds != small)
		free(binds);
	if (s == DB_OK)
		*out = st;
	return s;
}

db_status db_exec(db *d, const char *sql, const db_param *params, size_t nparams,
		  unsigned long long *affected, unsigned long long *insert_id)
{
	MYSQL_STMT *st = NULL;
	db_status s = db_run(d, sql, params, nparams, &st);
	if (s != DB_OK)
		return s;
	if (affected)
		*affected = mysql_stmt_affected_rows(st);
	if (insert_id)
		*insert_id = mysql_stmt_insert_id(st);
	return DB_OK;
}

/* ---------------------------------------------------------------- results */

/* Result binds for one row of n columns, every value as text. Values up to
 * FETCH_INLINE bytes land in bufs; longer ones are fetched again in full. */
#define FETCH_INLINE 256
typedef struct {
	size_t n;
	MYSQL_BIND *b;
	unsigned long *len;
	my_bool *nul, *trunc;
	char *bufs;            /* n * FETCH_INLINE */
	size_t *offs;          /* the current row's values in the result's text, for db_rows_push */
	size_t *lens;
} fetch_buf;

static void fetch_buf_init(fetch_buf *f, size_t n)
{
	size_t c;
	f->n = n;
	f->b = xcalloc(n, sizeof(*f->b));
	f->len = xcalloc(n, sizeof(*f->len));
	f->nul = xcalloc(n, sizeof(*f->nul));
	f->trunc = xcalloc(n, sizeof(*f->trunc));
	f->bufs = xmalloc(n * FETCH_INLINE);
	f->offs = xcalloc(n, sizeof(size_t));
	f->lens = xcalloc(n, sizeof(size_t));
	for (c = 0; c < n; c++) {
		f->b[c].buffer_type = MYSQL_TYPE_STRING;
		f->b[c].buffer = f->bufs + c * FETCH_INLINE;
		f->b[c].buffer_length = FETCH_INLINE;
		f->b[c].length = &f->len[c];
		f->b[c].is_null = &f->nul[c];
		f->b[c].error = &f->trunc[c];
	}
}

static void fetch_buf_release(fetch_buf *f)
{
	free(f->b); free(f->len); free(f->nul); free(f->trunc);
	free(f->bufs); free(f->offs); free(f->lens);
}

/* Appends column c of the fetched row, NUL-terminated, to r's text; its offset
 * into f->offs[c]. */
static db_status fetch_value(db *d, MYSQL_STMT *st, fetch_buf *f, db_rows *r, size_t c)
{
	MYSQL_BIND one;
	size_t at;
	f->lens[c] = 0;
	f->offs[c] = NO_VALUE;
	if (f->nul[c])
		return DB_OK;
	at = db_rows_reserve(r, f->len[c] + 1);
	if (f->len[c] <= FETCH_INLINE) {
		memcpy(r->text + at, f->bufs + c * FETCH_INLINE, f->len[c]);
	} else {
		one = f->b[c];
		one.buffer = r->text + at;
		one.buffer_length = f->len[c];
		if (mysql_stmt_fetch_column(st, &one, (unsigned)c, 0))
			return db_classify(d, mysql_stmt_errno(st), mysql_stmt_error(st));
	}
	r->text[at + f->len[c]] = '\0';
	r->text_len = at + f->len[c] + 1;
	f->offs[c] = at;
	f->lens[c] = f->len[c];
	return DB_OK;
}

/* Fetches every row of an executed statement into a new db_rows. */
static db_status rows_fetch(db *d, MYSQL_STMT *st, db_rows **out)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	fetch_buf f;
	db_rows *r;
	db_status s = DB_OK, e;
	size_t c;
	int rc = 0;

	if (!meta)
		return db_classify(d, mysql_stmt_errno(st), "statement returned no result set");
	r = db_rows_new(meta);
	mysql_free_result(meta);
	fetch_buf_init(&f, r->ncols);
	if (mysql_stmt_bind_result(st, f.b))
		s = db_classify(d, mysql_stmt_errno(st), mysql_stmt_error(st));
	while (s == DB_OK && ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED)) {
		for (c = 0; c < f.n; c++)
			if ((e = fetch_value(d, st, &f, r, c)) != DB_OK)
				s = e;
		db_rows_push(r, f.offs, f.lens);
	}
	if (rc == 1 && s == DB_OK)
		s = db_classify(d, mysql_stmt_errno(st), mysql_stmt_error(st));
	mysql_stmt_free_result(st);
	fetch_buf_release(&f);
	if (s != DB_OK) {
		db_rows_free(r);
		return s;
	}
	*out = r;
	return DB_OK;
}

db_status db_query(db *d, const char *sql, const db_param *params, size_t nparams, db_rows **out)
{
	MYSQL_STMT *st = NULL;
	db_status s;
	*out = NULL;
	s = db_run(d, sql, params, nparams, &st);
	if (s != DB_OK)
		return s;
	return rows_fetch(d, st, out);
}

db_status db_query_one(db *d, const char *sql, const db_param *params, size_t nparams, db_rows **out)
{
	db_status s = db_query(d, sql, params, nparams, out);
	if (s == DB_OK && (*out)->nrows == 0) {
		db_rows_free(*out);
		*out = NULL;
		return DB_NOT_FOUND;
	}
	return s;
}

db_status db_query_int(db *d, const char *sql, const db_param *params, size_t nparams, long long *out)
{
	db_rows *r;
	db_status s = db_query_one(d, sql, params, nparams, &r);
	if (s != DB_OK)
		return s;
	*out = db_rows_int(r, 0, 0);
	db_rows_free(r);
	return DB_OK;
}

db_status db_query_str(db *d, const char *sql, const db_param *params, size_t nparams, char *out, size_t n)
{
	db_rows *r;
	db_status s = db_query_one(d, sql, params, nparams, &r);
	if (s != DB_OK)
		return s;
	str_copy(out, n, db_rows_str(r, 0, 0) ? db_rows_str(r, 0, 0) : "");
	db_rows_free(r);
	return DB_OK;
}

/* Fetches the rows of an executed statement one by one into integer binds and
 * hands each to fn; stops early when fn returns non-zero. */
static db_status each_fetch(db *d, MYSQL_STMT *st, db_row_fn fn, void *ctx)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	MYSQL_BIND b[DB_EACH_MAX_COLS];
	long long vals[DB_EACH_MAX_COLS];
	my_bool nul[DB_EACH_MAX_COLS];
	size_t c, n;
	db_status s = DB_OK;
	int rc = 0;
	if (!meta)
		return db_classify(d, mysql_stmt_errno(st), "statement returned no result set");
	n = mysql_num_fields(meta);
	mysql_free_result(meta);
	if (n > DB_EACH_MAX_COLS) {
		log_error("db_query_each: %zu columns, at most %d", n, DB_EACH_MAX_COLS);
		mysql_stmt_free_result(st);
		return DB_ERR;
	}
	memset(b, 0, sizeof(b));
	for (c = 0; c < n; c++) {
		b[c].buffer_type = MYSQL_TYPE_LONGLONG;
		b[c].buffer = &vals[c];
		b[c].is_null = &nul[c];
	}
	if (mysql_stmt_bind_result(st, b))
		s = db_classify(d, mysql_stmt_errno(st), mysql_stmt_error(st));
	while (s == DB_OK && (rc = mysql_stmt_fetch(st)) == 0) {
		for (c = 0; c < n; c++)
			if (nul[c])
				vals[c] = 0;
		if (fn(ctx, vals, n))
			break;
	}
	if (s == DB_OK && (rc == 1 || rc == MYSQL_DATA_TRUNCATED))
		s = db_classify(d, mysql_stmt_errno(st), rc == 1 ? mysql_stmt_error(st) : "db_query_each: value truncated");
	mysql_stmt_free_result(st); /* also reads and drops what is left of a stopped result */
	return s;
}

db_status db_query_each(db *d, const char *sql, const db_param *params, size_t nparams, db_row_fn fn, void *ctx)
{
	MYSQL_STMT *st = NULL;
	db_status s = db_run(d, sql, params, nparams, &st);
	return s == DB_OK ? each_fetch(d, st, fn, ctx) : s;
}

/* ---------------------------------------------------------------- scripts, transactions */

db_status db_exec_script(db *d, const char *sql, char *err, size_t errlen)
{
	int rc;
	if (db_ensure(d) != DB_OK) {
		snprintf(err, errlen, "database unavailable");
		return DB_UNAVAILABLE;
	}
	if (mysql_real_query(d->conn, sql, strlen(sql)))
		goto fail;
	do {
		MYSQL_RES *res = mysql_store_result(d->conn);
		if (res)
			mysql_free_result(res);
		else if (mysql_errno(d->conn))
			goto fail;
		rc = mysql_next_result(d->conn);
		if (rc > 0)
			goto fail;
	} while (rc == 0);
	return DB_OK;
fail:
	snprintf(err, errlen, "%s", mysql_error(d->conn));
	return db_classify(d, mysql_errno(d->conn), mysql_error(d->conn));
}

static db_status db_simple(db *d, const char *sql)
{
	if (db_ensure(d) != DB_OK)
		return DB_UNAVAILABLE;
	if (mysql_real_query(d->conn, sql, strlen(sql)))
		return db_classify(d, mysql_errno(d->conn), mysql_error(d->conn));
	return DB_OK;
}

/* Transactions nest: only the outermost db_begin starts one and only the
 * matching db_commit ends it, so a caller (the idempotency hook) can wrap a
 * handler's transaction in its own. A rollback at any depth rolls back all. */
db_status db_begin(db *d)
{
	db_status st;
	if (d->tx_depth > 0) {
		d->tx_depth++;
		return DB_OK;
	}
	if ((st = db_simple(d, "START TRANSACTION")) == DB_OK) {
		d->tx_depth = 1;
		d->tx_rolled_back = 0;
	}
	return st;
}

db_status db_commit(db *d)
{
	if (d->tx_depth > 1) {
		d->tx_depth--;
		return DB_OK;
	}
	d->tx_depth = 0;
	return db_simple(d, "COMMIT");
}

void db_rollback(db *d)
{
	d->tx_depth = 0;
	d->tx_rolled_back = 1;
	if (d->conn && !d->down && mysql_real_query(d->conn, "ROLLBACK", 8))
		db_classify(d, mysql_errno(d->conn), mysql_error(d->conn));
}

int db_tx_depth(const db *d)
{
	return d->tx_depth;
}

int db_tx_rolled_back(const db *d)
{
	return d->tx_rolled_back;
}
