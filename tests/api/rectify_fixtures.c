/* rectify_fixtures.c - the shared world of the visit, evidence and
 * rectification tests (built once, through the API like a bureau would) and
 * the helpers that speak to those endpoints. */
#define _POSIX_C_SOURCE 200809L

#include "rectify_fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "suites.h"

/* 1x1 PNG (signature, IHDR, IDAT, IEND). */
const unsigned char rx_png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
	0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
	0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
	0x44, 0xae, 0x42, 0x60, 0x82};
const size_t rx_png_len = sizeof(rx_png);
/* The start of a JFIF file: SOI, APP0. */
const unsigned char rx_jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01,
				 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9};
const size_t rx_jpeg_len = sizeof(rx_jpeg);

static rx_world world;
static int world_state; /* 0: not built, 1: ready, -1: failed */

/* Creates a primary school under town; returns its id or -1. */
static long long make_school(const client *admin, long long town, const char *name, const char *code)
{
	json_t *b = json_pack("{s:s,s:s,s:I,s:s,s:[s]}", "kind", "school", "name", name, "parent_id", (json_int_t)town,
			      "code", code, "stages", "小学");
	http_resp *r = api_json(admin, "POST", "/api/v1/orgs", b);
	long long id = CHECK_STATUS(r, 201) ? jint(r->json, "id") : -1;
	http_resp_free(r);
	return id;
}

/* The default template and its item ids. */
static int load_template(rx_world *w)
{
	http_resp *r = api(&w->inspector, "GET", "/api/v1/templates", NULL, NULL);
	char path[64];
	size_t i;
	w->template_id = CHECK_STATUS(r, 200) ? jint(r->json, "items.0.id") : -1;
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/templates/%lld", w->template_id);
	r = api(&w->inspector, "GET", path, NULL, NULL);
	if (!CHECK_STATUS(r, 200) || !CHECK(json_array_size(json_object_get(r->json, "items")) == 16,
					     "the default template has 16 items")) {
		http_resp_free(r);
		return 0;
	}
	for (i = 0; i < 16; i++) {
		char key[32];
		snprintf(key, sizeof key, "items.%zu.id", i);
		w->item_ids[i] = jint(r->json, key);
	}
	http_resp_free(r);
	return 1;
}

static int build_world(rx_world *w)
{
	if (!fixture_login("admin", &w->admin) || !fixture_login("duxue", &w->inspector) ||
	    !fixture_login("juzhang", &w->head))
		return 0;
	w->town = w->inspector.org_id;
	w->school_a = make_school(&w->admin, w->town, "整改测试学校甲", "4399200001");
	w->school_b = make_school(&w->admin, w->town, "整改测试学校乙", "4399200002");
	w->school_c = make_school(&w->admin, w->town, "整改测试学校丙", "4399200003");
	if (w->school_a < 0 || w->school_b < 0 || w->school_c < 0 ||
	    fixture_user(&w->admin, "rx_pa", "principal", w->school_a, DEMO_PASSWORD) < 0 ||
	    fixture_user(&w->admin, "rx_pb", "principal", w->school_b, DEMO_PASSWORD) < 0 ||
	    fixture_user(&w->admin, "rx_pc", "principal", w->school_c, DEMO_PASSWORD) < 0 ||
	    fixture_user(&w->admin, "rx_insp_a", "inspector", w->school_a, DEMO_PASSWORD) < 0)
		return 0;
	return fixture_login("rx_pa", &w->pa) && fixture_login("rx_pb", &w->pb) && fixture_login("rx_pc", &w->pc) &&
	       fixture_login("rx_insp_a", &w->own_inspector) && load_template(w);
}

const rx_world *rx_setup(void)
{
	if (world_state == 0)
		world_state = build_world(&world) ? 1 : -1;
	return world_state > 0 ? &world : NULL;
}

http_resp *rx_upload(const client *c, const void *data, size_t len, const char *ctype, const char *filename,
		     long long school_id, const char *key)
{
	char cookie[200], csrf[200], type[200], name[600], idem[200], path[128];
	const char *h[8];
	size_t n = 0;
	snprintf(cookie, sizeof cookie, "Cookie: %s", c->cookie);
	snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", c->csrf);
	h[n++] = cookie;
	h[n++] = csrf;
	if (ctype) {
		snprintf(type, sizeof type, "Content-Type: %s", ctype);
		h[n++] = type;
	}
	if (filename) {
		snprintf(name, sizeof name, "X-Filename: %s", filename);
		h[n++] = name;
	}
	if (key) {
		snprintf(idem, sizeof idem, "Idempotency-Key: %s", key);
		h[n++] = idem;
	}
	h[n] = NULL;
	if (school_id > 0)
		snprintf(path, sizeof path, "/api/v1/evidence?school_id=%lld", school_id);
	else
		snprintf(path, sizeof path, "/api/v1/evidence");
	return http_do("POST", path, h, (const char *)data, len);
}

long long rx_evidence(const client *c, long long school_id)
{
	http_resp *r = rx_upload(c, rx_png, rx_png_len, "image/png", "photo.png", school_id, NULL);
	long long id = CHECK_STATUS(r, 201) ? jint(r->json, "id") : -1;
	http_resp_free(r);
	return id;
}

json_t *rx_finding(const rx_world *w, int pos, const char *severity, const char *description, const char *deadline)
{
	json_t *f = json_pack("{s:I,s:s,s:s}", "item_id", (json_int_t)w->item_ids[pos], "severity", severity,
			      "description", description);
	if (deadline)
		json_object_set_new(f, "deadline", json_string(deadline));
	return f;
}

json_t *rx_filed_visit(const client *c, long long school, const char *date, const char *kind, json_t *findings)
{
	json_t *b = json_pack("{s:I,s:s,s:s,s:b}", "school_id", (json_int_t)school, "visit_date", date, "kind", kind,
			      "file", 1);
	http_resp *r;
	json_t *v = NULL;
	if (findings)
		json_object_set_new(b, "findings", findings);
	r = api_json(c, "POST", "/api/v1/visits", b);
	if (CHECK_STATUS(r, 201) && CHECK(jstr(r->json, "state") && !strcmp(jstr(r->json, "state"), "filed"),
					  "the visit was filed"))
		v = json_incref(r->json);
	http_resp_free(r);
	return v;
}

size_t rx_visit_items(const json_t *visit, long long *ids, size_t max)
{
	json_t *f;
	size_t i, n = 0;
	json_array_foreach(json_object_get(visit, "findings"), i, f)
		if (n < max)
			ids[n++] = jint(f, "rectification_id");
	return n;
}

json_t *rx_item(const client *c, long long id)
{
	char path[64];
	http_resp *r;
	json_t *item = NULL;
	snprintf(path, sizeof path, "/api/v1/rectifications/%lld", id);
	r = api(c, "GET", path, NULL, NULL);
	if (r->status == 200)
		item = json_incref(r->json);
	http_resp_free(r);
	return item;
}

http_resp *rx_act(const client *c, long long id, const char *action, json_t *body, const char *key)
{
	char path[128], idem[200];
	const char *h[2] = {idem, NULL};
	char *text = json_dumps(body, JSON_COMPACT);
	http_resp *r;
	snprintf(path, sizeof path, "/api/v1/rectifications/%lld/%s", id, action);
	snprintf(idem, sizeof idem, "Idempotency-Key: %s", key ? key : "");
	r = api(c, "POST", path, text, key ? h : NULL);
	free(text);
	json_decref(body);
	return r;
}

void rx_unchanged_at(const char *file, int line, long long id, const char *state, long long version,
		     size_t journal_len)
{
	const rx_world *w = rx_setup();
	json_t *item = w ? rx_item(&w->admin, id) : NULL;
	const char *got = jstr(item, "state");
	check_at(file, line, item && got && !strcmp(got, state) && jint(item, "version") == version &&
				     json_array_size(json_object_get(item, "journal")) == journal_len,
		 "item %lld unchanged: state %s (want %s), version %lld (want %lld), journal %zu (want %zu)", id,
		 got ? got : "?", state, jint(item, "version"), version,
		 json_array_size(json_object_get(item, "journal")), journal_len);
	json_decref(item);
}

char *rx_xlsx_member(const char *data, size_t len, const char *name)
{
	zip_source_t *src = zip_source_buffer_create(data, len, 0, NULL);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, NULL) : NULL;
	zip_stat_t st;
	zip_file_t *f;
	char *out = NULL;

	if (!z) {
		if (src)
			zip_source_free(src);
		return NULL;
	}
	if (zip_stat(z, name, 0, &st) == 0 && (f = zip_fopen(z, name, 0))) {
		out = calloc(1, st.size + 1);
		if (zip_fread(f, out, st.size) != (zip_int64_t)st.size) {
			free(out);
			out = NULL;
		}
		zip_fclose(f);
	}
	zip_close(z);
	return out;
}
