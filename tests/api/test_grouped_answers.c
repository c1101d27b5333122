/* test_grouped_answers.c - answers to items that a worker reads in the same
 * turn of its loop are written together (service/group.c, rect_db_answer_many):
 * each is still answered as if written alone, with the item as GET shows it. The
 * test holds the evidence file's row (FOR UPDATE): each worker's first answer
 * waits for it when it links the file to its journal event, and the answers
 * sent meanwhile are read, then written, together once it is let go. Two
 * answers to one item at one version in a burst: one goes through, the other
 * gets 409, whichever way the workers met them (both checked and written
 * together, or one checked after the other was written). */
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

typedef struct {
	const rx_world *w;
	client principal;
	long long school, evidence;
	int round;            /* keys are new on each run of the test */
} answers_world;

/* Files a visit of n findings at the school; their items into ids. Returns n, or 0 after a failed CHECK. */
static size_t new_items(const answers_world *a, long long *ids, size_t n)
{
	json_t *findings = json_array(), *v;
	size_t i, got;
	char description[64];
	for (i = 0; i < n; i++) {
		snprintf(description, sizeof description, "答复分组第%zu号问题", i);
		json_array_append_new(findings, rx_finding(a->w, (int)i, "一般", description, NULL));
	}
	if (!(v = rx_filed_visit(&a->w->inspector, a->school, "2026-11-20", "经常性督导", findings)))
		return 0;
	got = rx_visit_items(v, ids, n);
	json_decref(v);
	return CHECK_INT((long long)got, (long long)n, "items of the visit") ? n : 0;
}

/* Sends the answer to item at version with key, without reading the reply. */
static http_pending send_answer(const answers_world *a, long long item, long long version, const char *key)
{
	char path[96], header[IDEM_HEADER_MAX], *text;
	const char *h[] = {header, NULL};
	json_t *b = json_pack("{s:I,s:s,s:[I]}", "version", (json_int_t)version, "note", "已按要求整改，附照片",
			      "evidence_ids", (json_int_t)a->evidence);
	http_pending p;
	snprintf(path, sizeof path, "/api/v1/rectifications/%lld/answer", item);
	snprintf(header, sizeof header, "Idempotency-Key: %.*s", KEY_MAX - 1, key);
	text = json_dumps(b, JSON_COMPACT);
	p = api_start(&a->principal, "POST", path, text, h);
	free(text);
	json_decref(b);
	return p;
}

/* Reply r answered item (at version 1): submitted at version 2, the answer last
 * in its journal with the file, byte for byte what GET reads, one audit entry. */
static void check_answered(const answers_world *a, const http_resp *r, long long item)
{
	char path[96];
	http_resp *get;
	const json_t *journal = json_object_get(r->json, "journal");
	const json_t *last = json_array_get(journal, json_array_size(journal) - 1);
	CHECK(jint(r->json, "id") == item && !strcmp(jstr(r->json, "state"), "submitted") &&
		      jint(r->json, "version") == 2 && !strcmp(jstr(r->json, "submitted_on"), jstr(last, "on_date")),
	      "item %lld: its own reply, submitted, version 2", item);
	CHECK(json_array_size(journal) == 2 && !strcmp(jstr(last, "action"), "answer") &&
		      !strcmp(jstr(last, "note"), "已按要求整改，附照片") &&
		      json_array_size(json_object_get(last, "evidence_ids")) == 1 &&
		      jint(last, "evidence_ids.0") == a->evidence,
	      "item %lld: the answer last in the journal, with its file", item);
	snprintf(path, sizeof path, "/api/v1/rectifications/%lld", item);
	get = api(&a->principal, "GET", path, NULL, NULL);
	CHECK(get->status == 200 && get->body_len == r->body_len && !strcmp(get->body, r->body),
	      "item %lld: the reply is its GET answer byte for byte", item);
	http_resp_free(get);
	snprintf(path, sizeof path, "/api/v1/audit?entity=rectification&entity_id=%lld", item);
	get = api(&a->w->admin, "GET", path, NULL, NULL);
	CHECK(get->status == 200 && jint(get->json, "total") == 1 && jstr(get->json, "items.0.action") &&
		      !strcmp(jstr(get->json, "items.0.action"), "answer") && jstr(get->json, "items.0.before.state") &&
		      !strcmp(jstr(get->json, "items.0.before.state"), "open") &&
		      jint(get->json, "items.0.after.version") == 2,
	      "item %lld: one audit entry, the answer, open before and version 2 after", item);
	http_resp_free(get);
}

/* BURST answers sent at once, each to an item of its own with a key of its own:
 * all written, some together, each replied with its own item; each key again
 * replays its reply. */
static void burst_answered(const answers_world *a)
{
	long long items[BURST];
	char key[BURST][KEY_MAX];
	http_pending p[BURST];
	http_resp *r[BURST];
	long together = server_log_lines("/answer 200", "together=");
	MYSQL *m;
	int k;
	if (!new_items(a, items, BURST))
		return;
	m = server_hold_row("evidence", a->evidence);
	for (k = 0; k < BURST; k++) {
		snprintf(key[k], sizeof key[k], "answers-%ld-%d-%d", (long)getpid(), a->round, k);
		p[k] = send_answer(a, items[k], 1, key[k]);
	}
	server_release_row(m);
	for (k = 0; k < BURST; k++)
		r[k] = http_finish(&p[k]);
	/* a worker's first answer waited for the row alone; the ones it read
	 * meanwhile, half of the rest or more, were written together after it */
	CHECK(server_log_lines("/answer 200", "together=") - together >= BURST / 2 - 1,
	      "the server's log shows answers written together");
	for (k = 0; k < BURST; k++) {
		if (CHECK_STATUS(r[k], 200)) {
			http_pending again = send_answer(a, items[k], 1, key[k]);
			http_resp *replay = http_finish(&again);
			const char *h = resp_header(replay, "Idempotent-Replayed");
			check_answered(a, r[k], items[k]);
			CHECK(replay->status == 200 && h && !strcmp(h, "true") && replay->body_len == r[k]->body_len &&
				      !strcmp(replay->body, r[k]->body),
			      "key %s again: the first reply replayed", key[k]);
			http_resp_free(replay);
		}
		http_resp_free(r[k]);
	}
}

/* A burst of answers to four items, the first of them answered four times at
 * version 1 (keys of their own: a second principal's phone, say): each of the
 * other items answered, the first one answered once, the three others 409 and
 * nothing of theirs written. */
static void burst_same_item(const answers_world *a)
{
	enum { ITEMS = 4, SAME = 4, SENT = ITEMS - 1 + SAME };
	static const int target[SENT] = {0, 1, 0, 2, 0, 3, 0}; /* the repeats between the others */
	long long items[ITEMS];
	char key[KEY_MAX];
	http_pending p[SENT];
	http_resp *r[SENT];
	json_t *it;
	MYSQL *m;
	int k, ok = 0, conflict = 0;
	if (!new_items(a, items, ITEMS))
		return;
	m = server_hold_row("evidence", a->evidence);
	for (k = 0; k < SENT; k++) {
		snprintf(key, sizeof key, "answers-same-%ld-%d-%d", (long)getpid(), a->round, k);
		p[k] = send_answer(a, items[target[k]], 1, key);
	}
	server_release_row(m);
	for (k = 0; k < SENT; k++) {
		r[k] = http_finish(&p[k]);
		if (target[k] != 0) {
			if (CHECK_STATUS(r[k], 200))
				check_answered(a, r[k], items[target[k]]);
		} else if (r[k]->status == 200) {
			ok++;
		} else {
			conflict += CHECK_ERROR(r[k], 409, "conflict", NULL) != 0;
		}
	}
	CHECK(ok == 1 && conflict == SAME - 1, "one item answered %d times at one version: %d went through, %d got 409",
	      SAME, ok, conflict);
	it = rx_item(&a->principal, items[0]);
	CHECK(it && jint(it, "version") == 2 && json_array_size(json_object_get(it, "journal")) == 2,
	      "item %lld: version 2, one answer in its journal", items[0]);
	json_decref(it);
	for (k = 0; k < SENT; k++)
		http_resp_free(r[k]);
}

void test_grouped_answers(void)
{
	static answers_world a; /* made once: the test may be run again on the same server */
	const rx_world *w = rx_setup();
	harness_group("grouped: answers read together are written together");
	if (!w)
		return;
	if (!a.w) {
		a.school = fixture_create(&w->admin, "/api/v1/orgs",
					  json_pack("{s:s,s:s,s:I,s:s,s:[s]}", "kind", "school", "name", "分组答复测试学校",
						    "parent_id", (json_int_t)w->town, "code", "4399200010", "stages", "小学"));
		if (a.school < 0 || fixture_user(&w->admin, "grp_answer_p", "principal", a.school, DEMO_PASSWORD) < 0 ||
		    !fixture_login("grp_answer_p", &a.principal) || (a.evidence = rx_evidence(&a.principal, 0)) < 0)
			return;
		a.w = w;
	}
	a.round++;
	burst_answered(&a);
	burst_same_item(&a);
}
