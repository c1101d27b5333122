/* sheet.h - one row of a spreadsheet as the readers (csv.c, xlsx_read.c) hand it
 * to the import: cells as UTF-8 text, by column, with the row number the user sees. */
#ifndef DUDAO_SHEET_H
#define DUDAO_SHEET_H

#include <stddef.h>

typedef struct {
	unsigned long number; /* 1-based, as Excel shows it */
	size_t ncells;        /* columns A.. up to the last one present */
	char *const *cells;   /* NUL-terminated UTF-8; borrowed, valid during the callback;
				 the callee may trim them in place */
} sheet_row;

/* Called once per row, in order. Returns 0 to go on, non-zero to stop reading. */
typedef int (*sheet_row_fn)(void *ctx, const sheet_row *row);

/* Reader results. */
#define SHEET_OK 0
#define SHEET_STOPPED 1      /* the callback asked to stop */
#define SHEET_BAD_FORMAT -1  /* not a file of this kind at all (415) */
#define SHEET_DAMAGED -2     /* of this kind but unreadable (422) */

#endif
