/* test_grouped.c - new visits that a worker reads in the same turn of its loop
 * are written together (service/group.c): each request is still answered as if
 * written alone. The test holds the school's row (FOR UPDATE) so that each
 * worker's first write waits for it; the requests sent meanwhile wait in the
 * worker's sockets and are read, then written, together once it is let go. With
 * two workers, one of them has at least half of them (the server's log shows
 * it). A burst that names one Idempotency-Key many times makes the together
 * write fail on its keys: each request is then written alone, and one visit is
 * created for the key. What a new visit reads of its school is kept a few
 * seconds, yet a change through the API shows in the very next one. */
#define _POSIX_C_SOURCE 200809L

#include "rectify_fixtures.h"
#include "server.h"
#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BURST 14
#define KEY_MAX 48
#define IDEM_HEADER_MAX (KEY_MAX + 20)

static int round_no; /* keys are new on each run of the test */

/* The body of new visit k of school: filed, one finding whose text names k. */
static char *visit_text(const rx_world *w, long long school, const char *tag, int k)
{
	static const char *const severity[3] = {"一般", "较重", "严重"};
	char description[64];
	json_t *b;
	char *text;
	snprintf(description, sizeof description, "%s第%d号问题", tag, k);
	b = json_pack("{s:I,s:s,s:s,s:b,s:[o]}", "school_id", (json_int_t)school, "visit_date", "2026-11-20", "kind",
		      "经常性督导", "file", 1, "findings", rx_finding(w, k % 16, severity[k % 3], description, NULL));
	text = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return text;
}

/* Sends body as POST /api/v1/visits with key, without reading the answer. */
static http_pending send_visit(const client *c, const char *body, const char *key)
{
	char header[IDEM_HEADER_MAX];
	const char *h[] = {header, NULL};
	snprintf(header, sizeof header, "Idempotency-Key: %.*s", KEY_MAX - 1, key);
	return api_start(c, "POST", "/api/v1/visits", body, h);
}

/* The visit of answer r as read back by c: its GET answer byte for byte, its
 * item open with the answer's deadline and one journal event, one audit entry. */
static void check_written(const rx_world *w, const http_resp *r, const char *description)
{
	char path[96];
	long long id = jint(r->json, "id"), item = jint(r->json, "findings.0.rectification_id");
	http_resp *get;
	json_t *it;
	CHECK_STR(jstr(r->json, "findings.0.description"), description, "the answer is its own request's visit");
	snprintf(path, sizeof path, "/api/v1/visits/%lld", id);
	get = api(&w->inspector, "GET", path, NULL, NULL);
	CHECK(get->status == 200 && get->body_len == r->body_len && !strcmp(get->body, r->body),
	      "visit %lld: the answer is its GET answer byte for byte", id);
	http_resp_free(get);
	it = rx_item(&w->admin, item);
	CHECK(it && !strcmp(jstr(it, "state"), "open") &&
		      !strcmp(jstr(it, "deadline"), jstr(r->json, "findings.0.rectification_deadline")) &&
		      json_array_size(json_object_get(it, "journal")) == 1 && !strcmp(jstr(it, "journal.0.action"), "create"),
	      "item %lld of visit %lld: open, its deadline, one journal event", item, id);
	json_decref(it);
	snprintf(path, sizeof path, "/api/v1/audit?entity=visit&entity_id=%lld", id);
	get = api(&w->admin, "GET", path, NULL, NULL);
	CHECK(get->status == 200 && jint(get->json, "total") == 1 &&
		      !strcmp(jstr(get->json, "items.0.action") ? jstr(get->json, "items.0.action") : "", "create_and_file"),
	      "visit %lld: one audit entry create_and_file", id);
	http_resp_free(get);
}

/* Sends body with key again and checks the first answer comes back. */
static void check_replayed(const rx_world *w, const char *body, const char *key, const http_resp *first)
{
	http_pending p = send_visit(&w->inspector, body, key);
	http_resp *r = http_finish(&p);
	const char *replayed = resp_header(r, "Idempotent-Replayed");
	CHECK(r->status == first->status && replayed && !strcmp(replayed, "true") && r->body_len == first->body_len &&
		      !strcmp(r->body, first->body),
	      "key %s again: the first answer replayed", key);
	http_resp_free(r);
}

static long long visits_of(const rx_world *w, long long school)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/visits?school=%lld", school);
	return fixture_total(&w->inspector, path);
}

/* BURST new visits sent at once, each with a key of its own: all written, each
 * answered with its own visit, some written together; a retry of each key
 * answers the same. */
static void burst_written(const rx_world *w, long long school)
{
	char *body[BURST], key[BURST][KEY_MAX], description[64];
	http_pending p[BURST];
	http_resp *r[BURST];
	long long ids[BURST], before = visits_of(w, school);
	long together = server_log_lines("POST /api/v1/visits 201", "together=");
	MYSQL *m = server_hold_row("orgs", school);
	int k, i, distinct = 1;
	for (k = 0; k < BURST; k++) {
		body[k] = visit_text(w, school, "一起", k);
		snprintf(key[k], sizeof key[k], "grouped-%ld-%d-%d", (long)getpid(), round_no, k);
		p[k] = send_visit(&w->inspector, body[k], key[k]);
	}
	server_release_row(m);
	for (k = 0; k < BURST; k++) {
		r[k] = http_finish(&p[k]);
		ids[k] = CHECK_STATUS(r[k], 201) ? jint(r[k]->json, "id") : -k - 1;
		for (i = 0; i < k; i++)
			distinct &= ids[i] != ids[k];
	}
	CHECK(distinct, "%d requests sent at once: %d visits", BURST, BURST);
	CHECK_INT(visits_of(w, school) - before, BURST, "visits of the school added");
	/* one of the two workers read at least half of them: its first waited for the
	 * row alone, the others were read and written together after it */
	CHECK(server_log_lines("POST /api/v1/visits 201", "together=") - together >= BURST / 2 - 1,
	      "the server's log shows requests written together");
	for (k = 0; k < BURST; k++) {
		snprintf(description, sizeof description, "一起第%d号问题", k);
		if (r[k]->status == 201) {
			check_written(w, r[k], description);
			check_replayed(w, body[k], key[k], r[k]);
		}
		free(body[k]);
		http_resp_free(r[k]);
	}
}

/* A burst that names one key eleven times (a phone retrying on every socket)
 * with three new visits: one visit for the key, answered to all eleven (ten
 * replayed), and the three written. The together write fails on the key named
 * twice: each request is then written alone. */
static void burst_one_key(const rx_world *w, long long school)
{
	static const char *const descriptions[3] = {"新的第0号问题", "新的第1号问题", "新的第2号问题"};
	char *same = visit_text(w, school, "重发", 0), *fresh[3];
	char key[KEY_MAX], fresh_key[3][KEY_MAX];
	http_pending p[BURST];
	http_resp *r[BURST];
	long long before = visits_of(w, school), id = 0;
	long rolled_back = server_log_lines("written together were rolled back", "");
	MYSQL *m = server_hold_row("orgs", school);
	int k, replayed = 0, same_id = 1, retries = BURST - 3;
	snprintf(key, sizeof key, "grouped-retry-%ld-%d", (long)getpid(), round_no);
	for (k = 0; k < 3; k++) {
		fresh[k] = visit_text(w, school, "新的", k);
		snprintf(fresh_key[k], sizeof fresh_key[k], "grouped-fresh-%ld-%d-%d", (long)getpid(), round_no, k);
	}
	for (k = 0; k < BURST; k++)
		p[k] = k < retries ? send_visit(&w->inspector, same, key)
				   : send_visit(&w->inspector, fresh[k - retries], fresh_key[k - retries]);
	server_release_row(m);
	for (k = 0; k < BURST; k++)
		r[k] = http_finish(&p[k]);
	for (k = 0; k < retries; k++) {
		const char *h = resp_header(r[k], "Idempotent-Replayed");
		CHECK_STATUS(r[k], 201);
		replayed += h && !strcmp(h, "true");
		if (k == 0)
			id = jint(r[k]->json, "id");
		same_id &= jint(r[k]->json, "id") == id;
	}
	CHECK(same_id && id > 0, "the key's answers name one visit");
	CHECK_INT(replayed, retries - 1, "all but one of them replayed");
	if (r[0]->status == 201)
		check_written(w, r[0], "重发第0号问题");
	for (k = retries; k < BURST; k++)
		if (CHECK_STATUS(r[k], 201))
			check_written(w, r[k], descriptions[k - retries]);
	CHECK_INT(visits_of(w, school) - before, 4, "visits added: one for the key, three new");
	/* one worker read at least seven: after its first, six or more together, three of them with the key */
	CHECK(server_log_lines("written together were rolled back", "") > rolled_back,
	      "the server's log shows a together write rolled back");
	for (k = 0; k < BURST; k++)
		http_resp_free(r[k]);
	for (k = 0; k < 3; k++)
		free(fresh[k]);
	free(same);
}

/* A key used more than a day ago is free again: a burst that names such a key
 * creates one new visit for it (the old one stays) and replays it to the rest. */
static void burst_expired_key(const rx_world *w, long long school)
{
	char *body = visit_text(w, school, "过期", 0), key[KEY_MAX];
	http_pending p[BURST];
	http_resp *r[BURST], *first;
	long long before, old_id, id = 0;
	int k, replayed = 0, same_id = 1;
	MYSQL *m;
	snprintf(key, sizeof key, "grouped-expired-%ld-%d", (long)getpid(), round_no);
	p[0] = send_visit(&w->inspector, body, key);
	first = http_finish(&p[0]);
	old_id = CHECK_STATUS(first, 201) ? jint(first->json, "id") : -1;
	http_resp_free(first);
	if (server_key_aged(key) != 0) {
		free(body);
		return;
	}
	before = visits_of(w, school);
	m = server_hold_row("orgs", school);
	for (k = 0; k < BURST; k++)
		p[k] = send_visit(&w->inspector, body, key);
	server_release_row(m);
	for (k = 0; k < BURST; k++) {
		const char *h;
		r[k] = http_finish(&p[k]);
		h = resp_header(r[k], "Idempotent-Replayed");
		CHECK_STATUS(r[k], 201);
		replayed += h && !strcmp(h, "true");
		if (k == 0)
			id = jint(r[k]->json, "id");
		same_id &= jint(r[k]->json, "id") == id;
	}
	CHECK(same_id && id > 0 && id != old_id, "the expired key's answers name one new visit");
	CHECK_INT(replayed, BURST - 1, "all but one of them replayed");
	CHECK_INT(visits_of(w, school) - before, 1, "one visit added for the expired key");
	for (k = 0; k < BURST; k++)
		http_resp_free(r[k]);
	free(body);
}

/* Renames school as the admin at its current version; 0 when done. */
static int rename_school(const rx_world *w, long long school, const char *name)
{
	char path[64];
	http_resp *r;
	long long version;
	int ok;
	snprintf(path, sizeof path, "/api/v1/orgs/%lld", school);
	r = api(&w->admin, "GET", path, NULL, NULL);
	version = r->status == 200 ? jint(r->json, "version") : -1;
	http_resp_free(r);
	r = api_json(&w->admin, "PATCH", path, json_pack("{s:I,s:s}", "version", (json_int_t)version, "name", name));
	ok = CHECK_STATUS(r, 200);
	http_resp_free(r);
	return ok ? 0 : -1;
}

/* POSTs visit k of school as the inspector (no key); the answer. */
static http_resp *post_visit(const rx_world *w, long long school, int k)
{
	char *body = visit_text(w, school, "改名", k);
	http_resp *r = api(&w->inspector, "POST", "/api/v1/visits", body, NULL);
	free(body);
	return r;
}

/* What a new visit reads of its school is kept a few seconds (visits_db_school),
 * but a school renamed through the API is named so in the very next answer. */
static void school_renamed(const rx_world *w, long long school)
{
	http_resp *r = post_visit(w, school, 0);
	CHECK_STR(jstr(r->json, "school_name"), "分组写入测试学校", "a new visit names its school");
	http_resp_free(r);
	if (rename_school(w, school, "分组写入测试学校（更名）") != 0)
		return;
	r = post_visit(w, school, 1);
	if (CHECK_STATUS(r, 201)) {
		CHECK_STR(jstr(r->json, "school_name"), "分组写入测试学校（更名）", "the next visit has the new name");
		check_written(w, r, "改名第1号问题");
	}
	http_resp_free(r);
	rename_school(w, school, "分组写入测试学校");
}

void test_grouped(void)
{
	static long long school; /* made once: the test may be run again on the same server */
	const rx_world *w = rx_setup();
	harness_group("grouped: new visits read together are written together");
	if (!w)
		return;
	if (!school)
		school = fixture_create(&w->admin, "/api/v1/orgs",
					json_pack("{s:s,s:s,s:I,s:s,s:[s]}", "kind", "school", "name", "分组写入测试学校",
						  "parent_id", (json_int_t)w->town, "code", "4399200009", "stages", "小学"));
	if (school < 0)
		return;
	round_no++;
	burst_written(w, school);
	burst_one_key(w, school);
	burst_expired_key(w, school);
	school_renamed(w, school);
}
