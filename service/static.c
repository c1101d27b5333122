/* static.c - serves the files under web/. Paths are checked segment by
 * segment so nothing outside web/ can be named. */
#include "static.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

char *file_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = xmalloc((size_t)n + 1);
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

static const char *content_type_for(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
		{".json", "application/json"}, {".png", "image/png"}, {".svg", "image/svg+xml"},
		{".ico", "image/x-icon"}, {".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');
	size_t i;
	for (i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

/* Accepts only [A-Za-z0-9._-/] with no empty, "." or ".." segment. */
static int path_safe(const char *p)
{
	const char *seg = p;
	for (; *p; p++) {
		char c = *p;
		if (c == '/') {
			if (p == seg || (p - seg == 1 && seg[0] == '.') ||
			    (p - seg == 2 && seg[0] == '.' && seg[1] == '.'))
				return 0;
			seg = p + 1;
		} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
			return 0;
		}
	}
	return !(seg[0] == '.' && (seg[1] == '\0' || (seg[1] == '.' && seg[2] == '\0')));
}

int static_serve(const char *root, const char *method, const char *path, http_res *res)
{
	char file[2048];
	const char *rel = path + 1;
	size_t len = 0;
	char *body;

	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		res_header(res, "Allow", "GET, HEAD");
		return res_error(res, HTTP_method_not_allowed, NULL, "%s", http_status_message(405));
	}
	if (!*rel)
		rel = "index.html";
	if (!path_safe(rel) || snprintf(file, sizeof(file), "%s/web/%s", root, rel) >= (int)sizeof(file) ||
	    !(body = file_read(file, &len)))
		return res_error(res, HTTP_not_found, NULL, "页面不存在");
	res_header(res, "Cache-Control", "no-cache");
	return res_body(res, HTTP_ok, content_type_for(rel), body, len);
}
