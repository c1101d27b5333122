/* db_rows_build.h - what a result set is made of, for db.c, which fills one
 * while it fetches, and db_rows.c, which reads it. Private to those two files. */
#ifndef DUDAO_DB_ROWS_BUILD_H
#define DUDAO_DB_ROWS_BUILD_H

#include <mysql.h>

#include "db.h"

struct db_rows {
	size_t nrows, ncols, cap;
	char **names;
	enum enum_field_types *types;
	unsigned long *lengths;     /* declared column lengths, for TINYINT(1) */
	unsigned *flags;
	size_t *offs;               /* nrows * ncols offsets into text, NO_VALUE for SQL NULL */
	size_t *lens;
	char *text;                 /* every value, each NUL-terminated: one allocation */
	size_t text_len, text_cap;
};
#define NO_VALUE ((size_t)-1)

/* A result with the columns of meta and no rows yet. */
db_rows *db_rows_new(MYSQL_RES *meta);
/* Room for n more bytes of values in r's text; returns the offset where they go. */
size_t db_rows_reserve(db_rows *r, size_t n);
/* Appends a row: the offsets and lengths of its ncols values in r's text. */
void db_rows_push(db_rows *r, const size_t *offs, const size_t *lens);

#endif
