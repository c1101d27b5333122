/* test_rectify_review.c - what a review of the rectification API found, each
 * fixed and kept fixed: a pending extension request lapses when its item is
 * closed, and approving never moves a deadline earlier; a reopening needs a
 * filed 回头看 and a deadline within a year; reasons and notes up to the
 * documented 2000 characters; characters XML cannot carry never break the
 * ledger's XLSX; an item stays "returned" across extension actions; the state
 * filter refuses empty names; white space alone is no note; an
 * Idempotency-Key covers the query string. Refused requests change nothing. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rectify_fixtures.h"
#include "server.h"
#include "suites.h"

/* Files a visit of school A with one finding (一般, deadline 2026-12-10); its item id or -1. */
static long long one_item(const rx_world *w, int pos, const char *description)
{
	json_t *v = rx_filed_visit(&w->inspector, w->school_a, "2026-11-20", "经常性督导",
				   json_pack("[o]", rx_finding(w, pos, "一般", description, "2026-12-10")));
	long long id = -1;
	if (!v || rx_visit_items(v, &id, 1) != 1)
		id = -1;
	json_decref(v);
	return id;
}

/* POSTs action on item id as c and checks the status; returns the answer (caller frees). */
static http_resp *act(const client *c, long long id, const char *action, json_t *body, int status)
{
	http_resp *r = rx_act(c, id, action, body, NULL);
	CHECK(r->status == status, "%s on item %lld: %d (want %d) %.200s", action, id, r->status, status,
	      r->body ? r->body : "");
	return r;
}

static json_t *answer_body(long long version, long long evidence, const char *note)
{
	return json_pack("{s:I,s:s,s:[I]}", "version", (json_int_t)version, "note", note, "evidence_ids",
			 (json_int_t)evidence);
}

/* 1 when c's inbox lists extension request ext. */
static int inbox_has_extension(const client *c, long long ext)
{
	http_resp *r = api(c, "GET", "/api/v1/inbox", NULL, NULL);
	json_t *x;
	size_t i;
	int found = 0;
	json_array_foreach(json_object_get(r->json, "extensions"), i, x)
		found |= jint(x, "id") == ext;
	http_resp_free(r);
	return found;
}

/* A request left pending when the item is closed lapses and can no longer be decided. */
static void review_lapse(const rx_world *w, long long ev)
{
	long long id = one_item(w, 2, "图书室借阅账目不清"), ext;
	char path[96];
	http_resp *r = act(&w->pa, id, "extensions",
			   json_pack("{s:i,s:s,s:s}", "version", 1, "reason", "账目需重新整理", "deadline", "2027-01-20"),
			   201);
	ext = jint(r->json, "pending_extension.id");
	http_resp_free(r);
	http_resp_free(act(&w->pa, id, "answer", answer_body(2, ev, "账目已整理"), 200));
	r = act(&w->inspector, id, "close", json_pack("{s:i}", "version", 3), 200);
	CHECK_STR(jstr(r->json, "extensions.0.state"), "lapsed", "closing lapses the pending request");
	CHECK_STR(jstr(r->json, "extensions.0.decided_on"), "2026-11-23", "on the day of the closing");
	CHECK(json_is_null(json_object_get(r->json, "pending_extension")) &&
		      json_is_false(json_object_get(r->json, "extension_pending")),
	      "nothing pending on a closed item");
	http_resp_free(r);
	CHECK(!inbox_has_extension(&w->head, ext), "the lapsed request is not in the bureau's inbox");
	snprintf(path, sizeof path, "extensions/%lld/approve", ext);
	http_resp_free(act(&w->head, id, path, json_pack("{s:i}", "version", 4), 422));
	RX_UNCHANGED(id, "closed", 4, 4);
}

/* A request whose date the deadline has passed since cannot be approved, only
 * refused; it waits in the inbox of those who may decide it, not in that of an
 * inspector of its own school. */
static void review_approve_earlier(const rx_world *w)
{
	long long id = one_item(w, 3, "阅览室照明不足"), ext;
	char path[96];
	http_resp *r = act(&w->pa, id, "extensions",
			   json_pack("{s:i,s:s,s:s}", "version", 1, "reason", "灯具待采购", "deadline", "2026-12-30"), 201);
	ext = jint(r->json, "pending_extension.id");
	http_resp_free(r);
	CHECK(inbox_has_extension(&w->head, ext), "the bureau head's inbox lists the request");
	CHECK(!inbox_has_extension(&w->own_inspector, ext), "the school's own inspector's inbox does not");
	CHECK(server_item_deadline(id, "2027-01-15") == 0, "the deadline moved later by hand");
	snprintf(path, sizeof path, "extensions/%lld/approve", ext);
	r = act(&w->head, id, path, json_pack("{s:i}", "version", 2), 422);
	CHECK(r->body && strstr(r->body, "不晚于当前期限"), "the refusal says why: %.200s", r->body ? r->body : "");
	http_resp_free(r);
	RX_UNCHANGED(id, "open", 2, 2);
	snprintf(path, sizeof path, "extensions/%lld/refuse", ext);
	r = act(&w->head, id, path, json_pack("{s:i,s:s}", "version", 2, "reason", "期限已延后"), 200);
	CHECK_STR(jstr(r->json, "deadline"), "2027-01-15", "refusing keeps the later deadline");
	http_resp_free(r);
}

/* Reopening: a draft 回头看 proves nothing; the new deadline is at most a year away. */
static void review_reopen(const rx_world *w, long long ev)
{
	long long id = one_item(w, 4, "校车安全台账缺页"), draft;
	json_t *recheck;
	http_resp *r;
	http_resp_free(act(&w->pa, id, "answer", answer_body(1, ev, "已补齐"), 200));
	http_resp_free(act(&w->inspector, id, "close", json_pack("{s:i}", "version", 2), 200));
	r = api_json(&w->inspector, "POST", "/api/v1/visits",
		     json_pack("{s:I,s:s,s:s}", "school_id", (json_int_t)w->school_a, "visit_date", "2026-11-23", "kind",
			       "回头看"));
	draft = r->status == 201 ? jint(r->json, "id") : -1;
	CHECK(draft > 0 && !strcmp(jstr(r->json, "state") ? jstr(r->json, "state") : "", "draft"), "a draft 回头看");
	http_resp_free(r);
	r = act(&w->inspector, id, "reopen",
		json_pack("{s:i,s:s,s:I}", "version", 3, "reason", "复查发现缺页", "visit_id", (json_int_t)draft), 422);
	CHECK_STR(jstr(r->json, "error.field"), "visit_id", "a draft visit is refused by visit_id");
	http_resp_free(r);
	RX_UNCHANGED(id, "closed", 3, 3);
	recheck = rx_filed_visit(&w->inspector, w->school_a, "2026-11-23", "回头看", NULL);
	r = act(&w->inspector, id, "reopen",
		json_pack("{s:i,s:s,s:I,s:s}", "version", 3, "reason", "复查发现缺页", "visit_id",
			  (json_int_t)jint(recheck, "id"), "deadline", "2027-11-24"), 400);
	CHECK_STR(jstr(r->json, "error.field"), "deadline", "366 days away is refused by deadline");
	http_resp_free(r);
	RX_UNCHANGED(id, "closed", 3, 3);
	r = act(&w->inspector, id, "reopen",
		json_pack("{s:i,s:s,s:I,s:s}", "version", 3, "reason", "复查发现缺页", "visit_id",
			  (json_int_t)jint(recheck, "id"), "deadline", "2027-11-23"), 200);
	CHECK_STR(jstr(r->json, "deadline"), "2027-11-23", "365 days away is accepted");
	http_resp_free(r);
	json_decref(recheck);
}

/* n copies of the 3-byte character c, as a new string. */
static char *repeat(const char *c, size_t n)
{
	char *s = calloc(1, 3 * n + 1);
	size_t i;
	for (i = 0; s && i < n; i++)
		memcpy(s + 3 * i, c, 3);
	return s;
}

/* Reasons and decision notes of 2000 characters are stored (they were 500 past 1000). */
static void review_long_text(const rx_world *w)
{
	long long id = one_item(w, 6, "食堂留样记录不全"), ext;
	char *t1500 = repeat("延", 1500), *t2000 = repeat("由", 2000), path[96];
	http_resp *r = act(&w->pa, id, "extensions",
			   json_pack("{s:i,s:s,s:s}", "version", 1, "reason", t1500, "deadline", "2026-12-30"), 201);
	ext = jint(r->json, "pending_extension.id");
	CHECK_INT((long long)strlen(jstr(r->json, "pending_extension.reason") ? jstr(r->json, "pending_extension.reason")
									 : ""),
		  4500, "a reason of 1500 characters is kept whole");
	http_resp_free(r);
	snprintf(path, sizeof path, "extensions/%lld/refuse", ext);
	http_resp_free(act(&w->head, id, path, json_pack("{s:i,s:s}", "version", 2, "reason", t2000), 200));
	r = act(&w->pa, id, "extensions", json_pack("{s:i,s:s,s:s}", "version", 3, "reason", t2000, "deadline", "2026-12-31"),
		201);
	ext = jint(r->json, "pending_extension.id");
	http_resp_free(r);
	snprintf(path, sizeof path, "extensions/%lld/approve", ext);
	r = act(&w->head, id, path, json_pack("{s:i,s:s}", "version", 4, "note", t2000), 200);
	CHECK_INT((long long)strlen(jstr(r->json, "extensions.1.decision_note") ? jstr(r->json, "extensions.1.decision_note")
										 : ""),
		  6000, "a decision note of 2000 characters is kept whole");
	http_resp_free(r);
	free(t1500);
	free(t2000);
}

/* U+FFFE and U+FFFF are valid UTF-8 but not XML: the workbook carries U+FFFD instead. */
static void review_xlsx(const rx_world *w)
{
	char path[128], *strings;
	http_resp *r;
	CHECK(one_item(w, 7, "食堂\xef\xbf\xbf台账\xef\xbf\xbe缺页") > 0, "a finding with two noncharacters");
	snprintf(path, sizeof path, "/api/v1/rectifications/ledger?school=%lld&format=xlsx", w->school_a);
	r = api(&w->head, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	strings = r->body ? rx_xlsx_member(r->body, r->body_len, "xl/sharedStrings.xml") : NULL;
	CHECK(strings && strstr(strings, "食堂\xef\xbf\xbd台账\xef\xbf\xbd缺页") && !strstr(strings, "\xef\xbf\xbf") &&
		      !strstr(strings, "\xef\xbf\xbe"),
	      "the sheet has U+FFFD where XML cannot carry the character");
	free(strings);
	http_resp_free(r);
}

/* The item's "returned" as GET and the school's open list show it. */
static void check_returned(const rx_world *w, long long id, int want, const char *when)
{
	char path[128];
	json_t *it = rx_item(&w->pa, id), *x;
	http_resp *r;
	size_t i;
	int listed = -1;
	CHECK(it && json_is_boolean(json_object_get(it, "returned")) &&
		      json_is_true(json_object_get(it, "returned")) == want,
	      "%s: the item says returned %s", when, want ? "true" : "false");
	json_decref(it);
	snprintf(path, sizeof path, "/api/v1/rectifications?school=%lld&state=open,submitted&per_page=200", w->school_a);
	r = api(&w->pa, "GET", path, NULL, NULL);
	json_array_foreach(json_object_get(r->json, "items"), i, x)
		if (jint(x, "id") == id)
			listed = json_is_true(json_object_get(x, "returned"));
	http_resp_free(r);
	CHECK(listed == want, "%s: the list says returned %d (want %d)", when, listed, want);
}

/* An item returned and still open stays "returned" when an extension is asked and decided. */
static void review_returned(const rx_world *w, long long ev)
{
	long long id = one_item(w, 8, "资助公示未留存照片"), ext;
	char path[96];
	http_resp *r;
	http_resp_free(act(&w->pa, id, "answer", answer_body(1, ev, "已补拍"), 200));
	http_resp_free(act(&w->inspector, id, "return", json_pack("{s:i,s:s}", "version", 2, "reason", "照片不清晰"), 200));
	check_returned(w, id, 1, "after the return");
	r = act(&w->pa, id, "extensions",
		json_pack("{s:i,s:s,s:s}", "version", 3, "reason", "需重新张贴公示", "deadline", "2026-12-30"), 201);
	ext = jint(r->json, "pending_extension.id");
	http_resp_free(r);
	check_returned(w, id, 1, "after an extension request");
	snprintf(path, sizeof path, "extensions/%lld/approve", ext);
	http_resp_free(act(&w->head, id, path, json_pack("{s:i}", "version", 4), 200));
	check_returned(w, id, 1, "after the approval");
	http_resp_free(act(&w->pa, id, "answer", answer_body(5, ev, "已重新张贴"), 200));
	check_returned(w, id, 0, "after answering again");
}

/* ?state= takes known names only (empty, as every parameter: no filter); a name
 * given twice counts once; no query value may hold NUL. */
static void review_state_filter(const rx_world *w)
{
	static const char *const bad[] = {"open,", ",open", "open,,closed", "opened"};
	char path[160];
	long long both;
	size_t i;
	http_resp *r;
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(path, sizeof path, "/api/v1/rectifications?state=%s", bad[i]);
		r = api(&w->head, "GET", path, NULL, NULL);
		CHECK_ERROR(r, 400, "bad_request", "state");
		http_resp_free(r);
	}
	r = api(&w->head, "GET", "/api/v1/rectifications?state=%00closed", NULL, NULL);
	CHECK_ERROR(r, 400, "bad_request", NULL);
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/rectifications?school=%lld&state=closed,open", w->school_a);
	both = fixture_total(&w->head, path);
	snprintf(path, sizeof path, "/api/v1/rectifications?school=%lld&state=open,open,open,open,closed", w->school_a);
	CHECK(both > 0 && fixture_total(&w->head, path) == both, "open repeated four times, then closed, counts both");
}

/* A note or reason of white space alone is empty: 400, nothing changed. */
static void review_blank(const rx_world *w, long long ev)
{
	long long id = one_item(w, 9, "家访记录未签字");
	http_resp *r = act(&w->pa, id, "answer", answer_body(1, ev, " \n\t "), 400);
	CHECK_STR(jstr(r->json, "error.field"), "note", "a blank note is refused by note");
	http_resp_free(r);
	RX_UNCHANGED(id, "open", 1, 1);
	http_resp_free(act(&w->pa, id, "answer", answer_body(1, ev, "已补签"), 200));
	r = act(&w->inspector, id, "return", json_pack("{s:i,s:s}", "version", 2, "reason", "\xe3\x80\x80\xe3\x80\x80"),
		400);
	CHECK_STR(jstr(r->json, "error.field"), "reason", "ideographic spaces alone are no reason");
	http_resp_free(r);
	RX_UNCHANGED(id, "submitted", 2, 2);
}

/* One key, the same file, another school in the query string: 422, not the first school's answer. */
static void review_idempotent_query(const rx_world *w)
{
	http_resp *a = rx_upload(&w->inspector, rx_png, rx_png_len, "image/png", NULL, w->school_a, "rx-review-q1");
	http_resp *b = rx_upload(&w->inspector, rx_png, rx_png_len, "image/png", NULL, w->school_b, "rx-review-q1");
	http_resp *c = rx_upload(&w->inspector, rx_png, rx_png_len, "image/png", NULL, w->school_a, "rx-review-q1");
	CHECK_STATUS(a, 201);
	CHECK_ERROR(b, 422, "unprocessable", "Idempotency-Key");
	CHECK_STATUS(c, 201);
	CHECK_STR(resp_header(c, "Idempotent-Replayed"), "true", "the same query again is a replay");
	CHECK(a->body && c->body && !strcmp(a->body, c->body), "with the first answer");
	http_resp_free(a);
	http_resp_free(b);
	http_resp_free(c);
}

void test_rectify_review(void)
{
	const rx_world *w;
	long long ev;
	harness_group("rectification: the review's findings");
	if (!(w = rx_setup()) || (ev = rx_evidence(&w->pa, 0)) <= 0)
		return;
	review_lapse(w, ev);
	review_approve_earlier(w);
	review_reopen(w, ev);
	review_long_text(w);
	review_xlsx(w);
	review_returned(w, ev);
	review_state_filter(w);
	review_blank(w, ev);
	review_idempotent_query(w);
}
