/* xlsx_read.h - the first worksheet of an Excel workbook (.xlsx), row by row:
 * libzip opens the package, expat parses workbook.xml, its relationships, the
 * shared strings (rich-text runs joined, phonetic runs skipped), styles.xml (to
 * know which number formats are dates) and the worksheet itself. */
#ifndef DUDAO_XLSX_READ_H
#define DUDAO_XLSX_READ_H

#include <stddef.h>

#include "sheet.h"

/* Calls fn with each row of the first sheet in order. Cells are text: shared and
 * inline strings as written, numbers in their shortest exact form (integers
 * without ".0"), numbers in a date-formatted cell as "YYYY-MM-DD" (1900 and 1904
 * date systems), booleans "TRUE"/"FALSE", errors as shown ("#N/A"). Missing cells
 * inside a row are "" by their reference. Returns SHEET_OK, SHEET_STOPPED,
 * SHEET_BAD_FORMAT (not a zip, or a zip without a workbook) or SHEET_DAMAGED,
 * with a Chinese message in err for the last two. */
int xlsx_read(const void *data, size_t len, sheet_row_fn fn, void *ctx, char *err, size_t errlen);

/* Exposed for the unit tests. */
/* 1 when an Excel number format code shows a date (y, m, d, h, s outside quotes,
 * brackets and escapes), else 0. */
int xlsx_format_is_date(const char *code);
/* 1 for the built-in number formats that are dates (14-22, 27-36, 50-58). */
int xlsx_builtin_is_date(int id);
/* Writes the date of an Excel serial day number into out[11]. Returns 0, or -1 out of range. */
int xlsx_serial_to_date(double serial, int date1904, char out[11]);
/* Column index (0 = A) of a cell reference such as "AB12"; -1 when malformed. */
long xlsx_column_of(const char *ref);

#endif
