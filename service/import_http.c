/* import_http.c - options, reading and answering for the spreadsheet imports. */
#include "import_http.h"

#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "csv.h"
#include "util.h"
#include "xlsx_read.h"

/* A file name of at most IMPORT_FILE_NAME_CHARS characters of valid UTF-8 without NUL. */
static int file_name_valid(const char *name, size_t len)
{
	return strlen(name) == len && utf8_valid((const unsigned char *)name, len) &&
	       utf8_chars(name) <= IMPORT_FILE_NAME_CHARS;
}

/* The X-Filename header, percent-decoded into opt->name_buf. Returns 0, or -1 after a 400. */
static int file_name_header(http_req *req, http_res *res, import_options *opt)
{
	const char *h = req_header(req, "X-Filename");
	size_t len = 0;
	char *name;
	int ok;
	if (!h || !*h)
		return 0;
	name = evhttp_uridecode(h, 0, &len);
	ok = name && file_name_valid(name, len) && len < sizeof(opt->name_buf);
	if (ok && len) {
		memcpy(opt->name_buf, name, len + 1);
		opt->file_name = opt->name_buf;
	}
	free(name);
	if (!ok)
		return res_error(res, HTTP_bad_request, "X-Filename",
				 "请求头 X-Filename 应为 URL 编码的 UTF-8 文件名，最多 %d 个字符", IMPORT_FILE_NAME_CHARS), -1;
	return 0;
}

int import_http_options(http_req *req, http_res *res, import_options *opt)
{
	const char *d = req_query(req, "dry_run");
	memset(opt, 0, sizeof(*opt));
	if (d && strcmp(d, "1") && strcmp(d, "0") && strcmp(d, "true") && strcmp(d, "false"))
		return res_error(res, HTTP_bad_request, "dry_run", "参数 dry_run 应为 1 或 0"), -1;
	opt->dry_run = d && (!strcmp(d, "1") || !strcmp(d, "true"));
	opt->file_name = req_query(req, "file_name");
	if (opt->file_name && !file_name_valid(opt->file_name, strlen(opt->file_name)))
		return res_error(res, HTTP_bad_request, "file_name", "参数 file_name 过长或不是有效的 UTF-8"), -1;
	if (opt->file_name && !*opt->file_name)
		opt->file_name = NULL;
	return opt->file_name ? 0 : file_name_header(req, res, opt);
}

int import_http_answer(http_res *res, const import_report *rep, int dry_run, int status, const char *field,
		       const char *message)
{
	json_t *body = import_report_json(rep, dry_run);
	if (status >= 400)
		json_object_set_new(body, "error", json_pack("{s:i,s:s,s:s,s:o}", "status", status, "code",
							     http_status_name(status), "message", message, "field",
							     field ? json_string(field) : json_null()));
	return res_json(res, status, body);
}

/* The reader's verdict on the header, as an answer when it failed. */
static int header_verdict(http_res *res, import_reader *rd, import_report *rep, int dry_run)
{
	char msg[400] = "";
	json_t *v;
	size_t i, used = 0;
	if (import_reader_finish(rd) == 0)
		return 0;
	json_array_foreach(rep->missing_columns, i, v)
		used += (size_t)snprintf(msg + used, used < sizeof(msg) ? sizeof(msg) - used : 0, "%s%s",
					 i ? "、" : "缺少必填列：", json_string_value(v));
	if (!msg[0])
		str_copy(msg, sizeof(msg), json_string_value(json_object_get(json_array_get(rep->errors, 0), "message")));
	return import_http_answer(res, rep, dry_run, HTTP_unprocessable, "columns", msg);
}

/* Decodes and parses CSV. Returns 0 or the status answered. */
static int read_csv(http_req *req, http_res *res, import_reader *rd, import_report *rep, int dry_run)
{
	const char *text, *enc;
	char *owned = NULL, err[400];
	size_t len;
	int rc;
	if (csv_decode(req->body, req->body_len, &text, &len, &owned, &enc, err, sizeof(err)) != 0)
		return import_http_answer(res, rep, dry_run, HTTP_unprocessable, "file", err);
	rep->format = "CSV";
	rep->encoding = enc;
	rc = csv_parse(text, len, import_reader_row, rd, err, sizeof(err));
	free(owned);
	if (rc == SHEET_DAMAGED)
		return import_http_answer(res, rep, dry_run, HTTP_unprocessable, "file", err);
	return 0;
}

int import_http_read(http_req *req, http_res *res, import_reader *rd, import_report *rep, int dry_run)
{
	char err[400];
	int status, rc;
	import_format fmt = import_sniff(req->body, req->body_len, req_header(req, "Content-Type"), &status, err,
					 sizeof(err));
	if (fmt == IMPORT_NONE)
		return import_http_answer(res, rep, dry_run, status, "file", err);
	if (fmt == IMPORT_CSV) {
		if ((rc = read_csv(req, res, rd, rep, dry_run)) != 0)
			return rc;
	} else {
		rep->format = "XLSX";
		rc = xlsx_read(req->body, req->body_len, import_reader_row, rd, err, sizeof(err));
		if (rc == SHEET_BAD_FORMAT)
			return import_http_answer(res, rep, dry_run, HTTP_unsupported_media_type, "file", err);
		if (rc == SHEET_DAMAGED)
			return import_http_answer(res, rep, dry_run, HTTP_unprocessable, "file", err);
	}
	return header_verdict(res, rd, rep, dry_run);
}
