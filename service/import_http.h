/* import_http.h - the HTTP side shared by the two imports (roster, pairing
 * register): query options, reading the uploaded bytes as CSV or XLSX into an
 * import_reader, and the answer in one shape (the report, plus the error object
 * when the file is refused). */
#ifndef DUDAO_IMPORT_HTTP_H
#define DUDAO_IMPORT_HTTP_H

#include "http.h"
#include "import.h"

/* ?dry_run=1|0 and ?file_name= (at most 200 characters). Returns 0, or -1 after a 400. */
int import_http_options(http_req *req, http_res *res, int *dry_run, const char **file_name);

/* Sniffs, decodes and parses the body, feeding rows to rd (reader callbacks run
 * synchronously). Returns 0 when the rows were read (row errors may still be in
 * rep), or the status after answering: 415 not CSV/XLSX, 422 wrong encoding,
 * damaged file, no header or a missing required column. */
int import_http_read(http_req *req, http_res *res, import_reader *rd, import_report *rep);

/* Answers status with the report; for status >= 400 the body also carries
 * {"error": {status, code, message, field}} like every other error. */
int import_http_answer(http_res *res, const import_report *rep, int dry_run, int status, const char *field,
		       const char *message);

#endif
