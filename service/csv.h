/* csv.h - reading CSV as Excel saves it: RFC 4180 quoting, comma or tab
 * separated, UTF-8 with or without BOM, or GB18030/GBK (detected and converted). */
#ifndef DUDAO_CSV_H
#define DUDAO_CSV_H

#include <stddef.h>

#include "sheet.h"

/* Makes UTF-8 text of the bytes. Valid UTF-8 (a BOM is dropped) is used in place:
 * *text points into data and *owned is NULL. Otherwise the bytes are converted
 * from GB18030 (a superset of GBK and GB2312) into *owned, which the caller frees,
 * and *text == *owned. *encoding names what was found ("UTF-8", "UTF-8 (BOM)",
 * "GB18030"). Returns 0, or -1 with a Chinese message in err naming the line
 * when the bytes are neither (UTF-16 is named as such). */
int csv_decode(const unsigned char *data, size_t len, const char **text, size_t *text_len,
	       char **owned, const char **encoding, char *err, size_t errlen);

/* Parses text as records, calling fn with each. Line ends may be CRLF, LF or CR;
 * a quoted field may hold separators, doubled quotes and line breaks. The
 * separator is a tab when the first line has tabs and no commas, else a comma.
 * Returns SHEET_OK, SHEET_STOPPED, or SHEET_DAMAGED with a message in err (an
 * unclosed quote, naming the row where it opened). */
int csv_parse(const char *text, size_t len, sheet_row_fn fn, void *ctx, char *err, size_t errlen);

#endif
