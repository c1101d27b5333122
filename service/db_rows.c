/* db_rows.c - a fetched result set: its values (all in one buffer), typed
 * accessors, and the row as JSON, built (db_rows_object) or written as text
 * (db_rows_write_members) with the same types. */
#include "db_rows_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "util.h"

/* Room for n more bytes of values; returns the offset where they go. */
size_t db_rows_reserve(db_rows *r, size_t n)
{
	if (r->text_len + n > r->text_cap) {
		r->text_cap = r->text_cap ? r->text_cap : 1024;
		while (r->text_len + n > r->text_cap)
			r->text_cap *= 2;
		r->text = xrealloc(r->text, r->text_cap);
	}
	return r->text_len;
}

void db_rows_push(db_rows *r, const size_t *offs, const size_t *lens)
{
	if (r->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->offs = xrealloc(r->offs, r->cap * r->ncols * sizeof(size_t));
		r->lens = xrealloc(r->lens, r->cap * r->ncols * sizeof(size_t));
	}
	memcpy(r->offs + r->nrows * r->ncols, offs, r->ncols * sizeof(size_t));
	memcpy(r->lens + r->nrows * r->ncols, lens, r->ncols * sizeof(size_t));
	r->nrows++;
}

db_rows *db_rows_new(MYSQL_RES *meta)
{
	size_t c;
	MYSQL_FIELD *f = mysql_fetch_fields(meta);
	db_rows *r = xcalloc(1, sizeof(*r));
	r->ncols = mysql_num_fields(meta);
	r->names = xcalloc(r->ncols, sizeof(char *));
	r->types = xcalloc(r->ncols, sizeof(*r->types));
	r->lengths = xcalloc(r->ncols, sizeof(unsigned long));
	r->flags = xcalloc(r->ncols, sizeof(unsigned));
	for (c = 0; c < r->ncols; c++) {
		r->names[c] = xstrdup(f[c].name);
		r->types[c] = f[c].type;
		r->lengths[c] = f[c].length;
		r->flags[c] = f[c].flags;
	}
	return r;
}

size_t db_rows_count(const db_rows *r) { return r->nrows; }
size_t db_rows_columns(const db_rows *r) { return r->ncols; }
const char *db_rows_name(const db_rows *r, size_t col) { return r->names[col]; }

const char *db_rows_str(const db_rows *r, size_t row, size_t col)
{
	size_t at = r->offs[row * r->ncols + col];
	return at == NO_VALUE ? NULL : r->text + at;
}

size_t db_rows_len(const db_rows *r, size_t row, size_t col)
{
	return r->lens[row * r->ncols + col];
}

long long db_rows_int(const db_rows *r, size_t row, size_t col)
{
	const char *v = db_rows_str(r, row, col);
	return v ? strtoll(v, NULL, 10) : 0;
}

static int type_is_integer(enum enum_field_types t)
{
	return t == MYSQL_TYPE_TINY || t == MYSQL_TYPE_SHORT || t == MYSQL_TYPE_LONG ||
	       t == MYSQL_TYPE_INT24 || t == MYSQL_TYPE_LONGLONG;
}

/* How a column's values are written in JSON (db_rows_object, db_rows_write_members). */
typedef enum { CELL_STRING, CELL_BOOL, CELL_INTEGER, CELL_TIMESTAMP } cell_kind;

static cell_kind column_kind(const db_rows *r, size_t c)
{
	if (r->types[c] == MYSQL_TYPE_TINY && r->lengths[c] == 1)
		return CELL_BOOL;
	if (type_is_integer(r->types[c]))
		return CELL_INTEGER;
	if (r->types[c] == MYSQL_TYPE_DATETIME || r->types[c] == MYSQL_TYPE_TIMESTAMP)
		return CELL_TIMESTAMP;
	return CELL_STRING;
}

/* DATETIME "YYYY-MM-DD HH:MM:SS[.fff]" (stored in UTC) as "YYYY-MM-DDTHH:MM:SS[.fff]Z"
 * into buf; returns its length. */
static size_t timestamp_text(const char *v, char buf[40])
{
	int n = snprintf(buf, 40, "%.10sT%sZ", v, strlen(v) > 11 ? v + 11 : "00:00:00");
	return n < 0 ? 0 : (size_t)n < 40 ? (size_t)n : 39;
}

json_t *db_rows_object(const db_rows *r, size_t row)
{
	json_t *o = json_object();
	char ts[40];
	size_t c;
	for (c = 0; c < r->ncols; c++) {
		const char *v = db_rows_str(r, row, c);
		json_t *j = json_null();
		switch (v ? column_kind(r, c) : CELL_STRING) {
		case CELL_BOOL: j = json_boolean(atoi(v) != 0); break;
		case CELL_INTEGER: j = json_integer(strtoll(v, NULL, 10)); break;
		case CELL_TIMESTAMP: j = json_stringn_nocheck(ts, timestamp_text(v, ts)); break;
		case CELL_STRING: j = v ? json_stringn_nocheck(v, db_rows_len(r, row, c)) : json_null(); break;
		}
		json_object_set_new(o, r->names[c], j);
	}
	return o;
}

long db_rows_col(const db_rows *r, const char *name)
{
	size_t c;
	for (c = 0; c < r->ncols; c++)
		if (!strcmp(r->names[c], name))
			return (long)c;
	return -1;
}

void db_rows_write_members(const db_rows *r, size_t row, unsigned long long skip, strbuf *b)
{
	char ts[40];
	size_t c;
	int first = 1;
	for (c = 0; c < r->ncols; c++) {
		const char *v = db_rows_str(r, row, c);
		if (c < 64 && (skip >> c & 1))
			continue;
		if (!first)
			strbuf_add(b, ",", 1);
		first = 0;
		jsonw_key(b, r->names[c]);
		if (!v) {
			strbuf_add(b, "null", 4);
			continue;
		}
		switch (column_kind(r, c)) {
		case CELL_BOOL: jsonw_bool(b, atoi(v) != 0); break;
		case CELL_INTEGER: jsonw_integer(b, strtoll(v, NULL, 10)); break;
		case CELL_TIMESTAMP: jsonw_string(b, ts, timestamp_text(v, ts)); break;
		case CELL_STRING: jsonw_string(b, v, db_rows_len(r, row, c)); break;
		}
	}
}

json_t *db_rows_array(const db_rows *r)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; i < r->nrows; i++)
		json_array_append_new(a, db_rows_object(r, i));
	return a;
}

void db_rows_free(db_rows *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->ncols; i++)
		free(r->names[i]);
	free(r->names); free(r->types); free(r->lengths); free(r->flags);
	free(r->offs); free(r->lens); free(r->text);
	free(r);
}
