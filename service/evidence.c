/* evidence.c - POST /api/v1/evidence (the raw file as the body) and
 * GET /api/v1/evidence/{id}. The type is decided by the bytes, never by the
 * name or the declared type alone; files are served only within scope. */
#include "evidence.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <event2/http.h>

#include "audit.h"
#include "handlers.h"
#include "orgs.h"
#include "util.h"

#define FILENAME_MAX_CHARS 100

static const struct {
	const char *type, *ext;
	const unsigned char *magic;
	size_t len;
} evidence_types[] = {
	{"image/jpeg", "jpg", (const unsigned char *)"\xff\xd8\xff", 3},
	{"image/png", "png", (const unsigned char *)"\x89PNG\r\n\x1a\n", 8},
	{"application/pdf", "pdf", (const unsigned char *)"%PDF-", 5},
};
#define NTYPES (sizeof(evidence_types) / sizeof(evidence_types[0]))

const char *evidence_sniff(const unsigned char *data, size_t len)
{
	size_t i;
	for (i = 0; i < NTYPES; i++)
		if (len >= evidence_types[i].len && !memcmp(data, evidence_types[i].magic, evidence_types[i].len))
			return evidence_types[i].type;
	return NULL;
}

void evidence_sha256(const unsigned char *data, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int evidence_rfc5987(const char *s, char *out, size_t n)
{
	static const char attr[] = "!#$&+-.^_`|~";
	size_t used = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    (c && strchr(attr, c));
		if (used + (plain ? 1 : 3) >= n)
			return -1;
		used += (size_t)(plain ? snprintf(out + used, n - used, "%c", c)
				       : snprintf(out + used, n - used, "%%%02X", c));
	}
	out[used] = '\0';
	return 0;
}

/* The declared Content-Type, one of the three accepted; 415 otherwise. */
static int upload_declared_type(http_req *req, http_res *res, size_t *type)
{
	const char *ct = req_header(req, "Content-Type");
	size_t i, n = ct ? strcspn(ct, "; ") : 0;
	for (i = 0; ct && i < NTYPES; i++)
		if (n == strlen(evidence_types[i].type) && !strncasecmp(ct, evidence_types[i].type, n)) {
			*type = i;
			return 0;
		}
	return res_error(res, HTTP_unsupported_media_type, "Content-Type",
			 "只能上传 JPEG、PNG 图片或 PDF 文件（Content-Type 为 image/jpeg、image/png 或 application/pdf）");
}

/* X-Filename, percent-encoded UTF-8, into out; "evidence.<ext>" when absent. */
static int upload_filename(http_req *req, http_res *res, const char *ext, char *out, size_t n)
{
	const char *raw = req_header(req, "X-Filename");
	size_t len = 0, i;
	char *name;
	int bad;
	if (!raw || !*raw)
		return snprintf(out, n, "evidence.%s", ext), 0;
	name = evhttp_uridecode(raw, 0, &len);
	bad = !name || len != strlen(name) || len == 0 || !utf8_valid((unsigned char *)name, len) ||
	      utf8_chars(name) > FILENAME_MAX_CHARS || !strcmp(name, ".") || !strcmp(name, "..");
	for (i = 0; !bad && i < len; i++)
		bad = (unsigned char)name[i] < 0x20 || name[i] == 0x7f || name[i] == '/' || name[i] == '\\';
	if (!bad)
		str_copy(out, n, name);
	free(name);
	if (bad)
		return res_error(res, HTTP_bad_request, "X-Filename",
				 "文件名无效（百分号编码的 UTF-8，最多 %d 个字符，不含路径和控制字符）",
				 FILENAME_MAX_CHARS);
	return 0;
}

/* The org the file belongs to: ?school_id= (a school in scope) or the uploader's own. */
static int upload_org(http_req *req, http_res *res, long long *org_id)
{
	const char *v = req_query(req, "school_id");
	char kind[16], path[256], *end;
	long long id;
	db_status st;
	*org_id = req->user.org_id;
	if (!v)
		return 0;
	id = strtoll(v, &end, 10);
	if (*end || id < 1)
		return res_error(res, HTTP_bad_request, "school_id", "参数 school_id 应为学校编号");
	st = orgs_db_kind(req->db, req->user.org_path, id, kind, path);
	if (st == DB_NOT_FOUND || (st == DB_OK && strcmp(kind, "school")))
		return res_error(res, HTTP_bad_request, "school_id", "学校不存在或不在管辖范围内");
	if (st != DB_OK)
		return res_db_error(res, st);
	*org_id = id;
	return 0;
}

/* Size, declared type, the bytes' type, name and owner. Returns 0 or the status. */
static int upload_check(http_req *req, http_res *res, evidence_file *f, char *name, size_t n)
{
	size_t t = 0;
	if (req->body_len > EVIDENCE_MAX_BYTES)
		return res_error(res, HTTP_payload_too_large, NULL, "文件过大（每个文件最多 10 MB）");
	if (req->body_len == 0)
		return res_error(res, HTTP_bad_request, NULL, "文件内容为空");
	if (upload_declared_type(req, res, &t))
		return res->status;
	if (evidence_sniff(req->body, req->body_len) != evidence_types[t].type)
		return res_error(res, HTTP_unsupported_media_type, "Content-Type",
				 "文件内容与声明的类型（%s）不符", evidence_types[t].type);
	if (upload_filename(req, res, evidence_types[t].ext, name, n) || upload_org(req, res, &f->org_id))
		return res->status;
	f->content_type = evidence_types[t].type;
	f->filename = name;
	f->data = req->body;
	f->size = req->body_len;
	f->uploaded_by = req->user.id;
	return 0;
}

int evidence_upload(http_req *req, http_res *res)
{
	evidence_file f = {0};
	char name[FILENAME_MAX_CHARS * 4 + 1], sha[65];
	long long id = 0;
	json_t *meta = NULL;
	db_status st;

	if (upload_check(req, res, &f, name, sizeof(name)))
		return res->status;
	evidence_sha256(f.data, f.size, sha);
	f.sha256 = sha;
	if ((st = db_begin(req->db)) != DB_OK || (st = evidence_db_insert(req->db, &f, &id)) != DB_OK ||
	    (st = evidence_db_meta(req->db, id, &meta)) != DB_OK ||
	    (st = audit_write(req, "create", "evidence", id, NULL, meta)) != DB_OK ||
	    (st = db_commit(req->db)) != DB_OK) {
		db_rollback(req->db);
		json_decref(meta);
		return res_db_error(res, st);
	}
	return res_json(res, HTTP_created, meta);
}

/* Content-Disposition: inline with an ASCII fallback name and the UTF-8 one (RFC 6266/5987). */
static void evidence_disposition(http_res *res, const char *filename)
{
	char ascii[FILENAME_MAX_CHARS + 1], encoded[FILENAME_MAX_CHARS * 12 + 1], header[sizeof(encoded) + 160];
	size_t i, k = 0;
	for (i = 0; filename[i] && k < sizeof(ascii) - 1; i++) {
		unsigned char c = (unsigned char)filename[i];
		if (c >= 0x80 && (c & 0xc0) == 0x80)
			continue; /* a continuation byte: its character is already one '_' */
		ascii[k++] = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';' && c != '%' ? (char)c : '_';
	}
	ascii[k] = '\0';
	if (evidence_rfc5987(filename, encoded, sizeof(encoded)) != 0)
		str_copy(encoded, sizeof(encoded), ascii);
	snprintf(header, sizeof(header), "inline; filename=\"%s\"; filename*=UTF-8''%s", ascii, encoded);
	res_header(res, "Content-Disposition", header);
}

int evidence_get(http_req *req, http_res *res)
{
	db_rows *r;
	const char *type;
	char etag[70], *body;
	size_t len;
	db_status st = evidence_db_fetch(req->db, req->user.org_path, req->user.id, req_param_id(req, 0), &r);
	if (st != DB_OK)
		return res_db_error(res, st);
	len = db_rows_len(r, 0, 3);
	type = evidence_sniff((const unsigned char *)db_rows_str(r, 0, 3), len);
	if (!type || strcmp(type, db_rows_str(r, 0, 1))) {
		db_rows_free(r);
		return res_error(res, HTTP_internal_error, NULL, "证据文件已损坏");
	}
	body = xmalloc(len);
	memcpy(body, db_rows_str(r, 0, 3), len);
	evidence_disposition(res, db_rows_str(r, 0, 0));
	snprintf(etag, sizeof(etag), "\"%s\"", db_rows_str(r, 0, 2));
	res_header(res, "ETag", etag);
	/* Never kept by the browser: a kept copy would be shown without asking the
	 * service to the next user of a shared computer, and would stay after 退出. */
	res_header(res, "Cache-Control", "private, no-store");
	db_rows_free(r);
	return res_body(res, HTTP_ok, type, body, len);
}
