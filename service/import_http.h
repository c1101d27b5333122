/* import_http.h - the HTTP side shared by the two imports (roster, pairing
 * register): query options, reading the uploaded bytes as CSV or XLSX into an
 * import_reader, and the answer in one shape (the report, plus the error object
 * when the file is refused). */
#ifndef DUDAO_IMPORT_HTTP_H
#define DUDAO_IMPORT_HTTP_H

#include "http.h"
#include "import.h"

#define IMPORT_FILE_NAME_CHARS 200

/* What the request asks besides the file. */
typedef struct {
	int dry_run;           /* ?dry_run=1|true: check and preview, write nothing */
	const char *file_name; /* the original file name, or NULL; borrows from the request or name_buf */
	char name_buf[IMPORT_FILE_NAME_CHARS * 4 + 1];
} import_options;

/* ?dry_run=1|0 and the file name (at most 200 characters) from ?file_name=, else
 * from the X-Filename header (percent-encoded UTF-8, as encodeURIComponent writes
 * it). Returns 0, or -1 after a 400 naming dry_run, file_name or X-Filename. */
int import_http_options(http_req *req, http_res *res, import_options *opt);

/* Sniffs, decodes and parses the body, feeding rows to rd (reader callbacks run
 * synchronously). Returns 0 when the rows were read (row errors may still be in
 * rep), or the status after answering with the report (its dry_run as asked):
 * 415 not CSV/XLSX, 422 wrong encoding, damaged file, no header or a missing
 * required column. */
int import_http_read(http_req *req, http_res *res, import_reader *rd, import_report *rep, int dry_run);

/* Answers status with the report; for status >= 400 the body also carries
 * {"error": {status, code, message, field}} like every other error. */
int import_http_answer(http_res *res, const import_report *rep, int dry_run, int status, const char *field,
		       const char *message);

#endif
