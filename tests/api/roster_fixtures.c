/* roster_fixtures.c - helpers of the roster and import tests: valid ID numbers,
 * uploads of raw bytes, tiny XLSX workbooks built with libzip, counts, and the
 * demo schools and principals the tests use. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

void roster_id_number(const char *birth8, int seq, char out[19])
{
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char checks[] = "10X98765432";
	int i, sum = 0;

	snprintf(out, 19, "431027%.8s%03d", birth8, seq % 1000);
	for (i = 0; i < 17; i++)
		sum += (out[i] - '0') * weights[i];
	out[17] = checks[sum % 11];
	out[18] = '\0';
}

http_resp *roster_upload(const client *c, const char *path, const char *content_type, const void *body, size_t len)
{
	char cookie[200], csrf[200], type[200];
	const char *h[4];
	size_t n = 0;

	snprintf(cookie, sizeof cookie, "Cookie: %s", c->cookie);
	snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", c->csrf);
	h[n++] = cookie;
	h[n++] = csrf;
	if (content_type) {
		snprintf(type, sizeof type, "Content-Type: %s", content_type);
		h[n++] = type;
	}
	h[n] = NULL;
	return http_do("POST", path, h, body, len);
}

http_resp *roster_upload_csv(const client *c, const char *path, const char *csv)
{
	return roster_upload(c, path, "text/csv", csv, strlen(csv));
}

/* Appends s to buf (NUL-terminated, capacity cap), XML-escaped. */
static void xml_append(char *buf, size_t cap, const char *s)
{
	size_t n = strlen(buf);

	for (; *s && n + 7 < cap; s++) {
		const char *e = *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '&' ? "&amp;" : NULL;
		if (e) {
			memcpy(buf + n, e, strlen(e));
			n += strlen(e);
		} else {
			buf[n++] = *s;
		}
	}
	buf[n] = '\0';
}

/* The worksheet XML: the header row in shared strings, data as inline strings,
 * a cell "#serial" as a number styled as a date, "=n" as a plain number. */
static char *sheet_xml(const char *const *rows, size_t nrows, size_t ncols, char *sst, size_t sstcap)
{
	size_t cap = 1 << 20, r, c;
	char *x = calloc(1, cap);

	strcpy(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
		  "spreadsheetml/2006/main\"><sheetData>");
	strcpy(sst, "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
	for (r = 0; r < nrows; r++) {
		snprintf(x + strlen(x), cap - strlen(x), "<row r=\"%zu\">", r + 1);
		for (c = 0; c < ncols; c++) {
			const char *v = rows[r * ncols + c];
			char ref[32];
			snprintf(ref, sizeof ref, "%c%zu", (char)('A' + c), r + 1);
			if (!v || !*v)
				continue; /* an empty cell is simply absent, as Excel writes it */
			if (r == 0) {
				snprintf(x + strlen(x), cap - strlen(x), "<c r=\"%s\" t=\"s\"><v>%zu</v></c>", ref, c);
				strcat(sst, "<si><t>");
				xml_append(sst, sstcap, v);
				strcat(sst, "</t></si>");
			} else if (v[0] == '#' || v[0] == '=') {
				snprintf(x + strlen(x), cap - strlen(x), "<c r=\"%s\"%s><v>%s</v></c>", ref,
					 v[0] == '#' ? " s=\"1\"" : "", v + 1);
			} else {
				snprintf(x + strlen(x), cap - strlen(x), "<c r=\"%s\" t=\"inlineStr\"><is><t>", ref);
				xml_append(x, cap, v);
				strcat(x, "</t></is></c>");
			}
		}
		strcat(x, "</row>");
	}
	strcat(x, "</sheetData></worksheet>");
	strcat(sst, "</sst>");
	return x;
}

unsigned char *roster_xlsx(const char *const *rows, size_t nrows, size_t ncols, size_t *len)
{
	static const char workbook[] =
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
		"<sheet name=\"花名册\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
	static const char rels[] =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
		"worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
	static const char styles[] =
		"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><cellXfs count=\"2\">"
		"<xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>";
	char *sst = calloc(1, 1 << 16), *sheet = sheet_xml(rows, nrows, ncols, sst, 1 << 16);
	const char *parts[][2] = {{"xl/workbook.xml", workbook}, {"xl/_rels/workbook.xml.rels", rels},
				  {"xl/styles.xml", styles}, {"xl/sharedStrings.xml", sst},
				  {"xl/worksheets/sheet1.xml", sheet}};
	zip_error_t ze;
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *z;
	unsigned char *out;
	size_t i;

	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		zip_file_add(z, parts[i][0], zip_source_buffer(z, parts[i][1], strlen(parts[i][1]), 0), ZIP_FL_ENC_UTF_8);
	zip_close(z);
	zip_source_open(src);
	zip_source_seek(src, 0, SEEK_END);
	*len = (size_t)zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	out = malloc(*len);
	zip_source_read(src, out, *len);
	zip_source_close(src);
	zip_source_free(src);
	free(sst);
	free(sheet);
	return out;
}

long long roster_count(const client *c, const char *list, const char *query)
{
	char path[512];

	snprintf(path, sizeof path, "/api/v1/%s?per_page=1%s%s", list, query && *query ? "&" : "", query ? query : "");
	return fixture_total(c, path);
}

int roster_schools(roster_demo *d)
{
	client admin;
	http_resp *r;

	memset(d, 0, sizeof(*d));
	if (!fixture_login("admin", &admin) || !fixture_login("xiaozhang", &d->principal) ||
	    !fixture_login("zizhu", &d->aid) || !fixture_login("juzhang", &d->head) || !fixture_login("duxue", &d->inspector))
		return 0;
	d->admin = admin;
	d->school = d->principal.org_id;
	r = api(&admin, "GET", "/api/v1/orgs?kind=school&per_page=500", NULL, NULL);
	if (CHECK_STATUS(r, 200)) {
		json_t *o;
		size_t i;
		json_array_foreach(json_object_get(r->json, "items"), i, o) {
			const char *stages = json_dumps(json_object_get(o, "stages"), 0);
			if (jint(o, "id") != d->school && !d->other && stages && strstr(stages, "小学")) {
				d->other = jint(o, "id");
				snprintf(d->other_principal, sizeof d->other_principal, "p%s", jstr(o, "code"));
			}
			if (jint(o, "id") == d->school)
				snprintf(d->school_name, sizeof d->school_name, "%s", jstr(o, "name"));
			free((void *)stages);
		}
	}
	http_resp_free(r);
	return CHECK(d->school > 0 && d->other > 0 && d->school_name[0], "demo schools: %lld (%s) and %lld (%s)", d->school,
		     d->school_name, d->other, d->other_principal);
}
