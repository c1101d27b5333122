/* test_rectify.c - the rectification life cycle over HTTP: a full pass from a
 * filed visit to 销号 and the ledger counts; every refused action (no
 * evidence 422, same school 403, other school 404, stale version 409) leaving
 * the item as it was; return, extension (the original deadline kept), refusal,
 * reopening after a 回头看, and Idempotency-Key on actions. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rectify_fixtures.h"
#include "suites.h"

typedef struct {
	long long item[3];   /* 严重 (default deadline), 一般 (deadline set), 较重 (default) */
	long long evidence;  /* a photo of school A */
} pass;

static json_t *answer_body(long long version, long long evidence)
{
	json_t *b = json_pack("{s:I,s:s}", "version", (json_int_t)version, "note", "已整改：清理消防通道并张贴警示标识");
	if (evidence > 0)
		json_object_set_new(b, "evidence_ids", json_pack("[I]", (json_int_t)evidence));
	return b;
}

/* The visit is filed: three items in the principal's inbox by deadline. */
static int pass_file(const rx_world *w, pass *p)
{
	json_t *f = json_pack("[o,o,o]", rx_finding(w, 5, "严重", "消防通道堆放杂物", NULL),
			      rx_finding(w, 11, "一般", "家访记录不全", "2026-12-10"),
			      rx_finding(w, 14, "较重", "营养餐票据不规范", NULL));
	json_t *v = rx_filed_visit(&w->inspector, w->school_a, "2026-11-20", "经常性督导", f), *it;
	http_resp *r;
	size_t i, n = v ? rx_visit_items(v, p->item, 3) : 0;
	static const struct { long long days; const char *deadline; } want[] = {
		{4, "2026-11-27"}, {12, "2026-12-05"}, {17, "2026-12-10"}};

	json_decref(v);
	if (!CHECK(n == 3 && p->item[0] > 0 && p->item[2] > 0, "filing made three items"))
		return 0;
	r = api(&w->pa, "GET", "/api/v1/inbox", NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "role"), "principal", "inbox role");
	json_array_foreach(json_object_get(r->json, "open"), i, it)
		if (i < 3) {
			CHECK_STR(jstr(it, "deadline"), want[i].deadline, "inbox sorted by deadline");
			CHECK_INT(jint(it, "days_left"), want[i].days, "days left on 2026-11-23");
		}
	CHECK_INT(jint(r->json, "counts.open"), 3, "three open items for school A");
	http_resp_free(r);
	p->evidence = rx_evidence(&w->pa, 0);
	return p->evidence > 0;
}

/* Refused answers change nothing. */
static void pass_bad_answers(const rx_world *w, const pass *p)
{
	long long eb = rx_evidence(&w->pb, 0);
	char other[64];
	json_t *b;
	http_resp *r;

	r = rx_act(&w->pa, p->item[0], "answer", answer_body(1, 0), NULL);
	CHECK_ERROR(r, 422, "unprocessable", "evidence_ids");
	http_resp_free(r);
	b = answer_body(1, 0);
	json_object_set_new(b, "evidence_ids", json_array());
	r = rx_act(&w->pa, p->item[0], "answer", b, NULL);
	CHECK_ERROR(r, 422, "unprocessable", "evidence_ids");
	http_resp_free(r);
	r = rx_act(&w->pa, p->item[0], "answer", answer_body(7, p->evidence), NULL);
	CHECK_ERROR(r, 409, "conflict", NULL);
	http_resp_free(r);
	r = rx_act(&w->pb, p->item[0], "answer", answer_body(1, eb), NULL);
	CHECK_ERROR(r, 404, "not_found", NULL);
	http_resp_free(r);
	r = rx_act(&w->pa, p->item[0], "answer", answer_body(1, eb), NULL);
	CHECK_ERROR(r, 400, "bad_request", "evidence_ids");
	http_resp_free(r);
	b = answer_body(1, 0);
	json_object_set_new(b, "evidence_ids", json_pack("[I,I]", (json_int_t)p->evidence, (json_int_t)eb));
	r = rx_act(&w->pa, p->item[0], "answer", b, NULL);
	CHECK_ERROR(r, 400, "bad_request", "evidence_ids");
	snprintf(other, sizeof other, "证据文件 %lld 不存在", eb);
	CHECK(r->json && strstr(jstr(r->json, "error.message") ? jstr(r->json, "error.message") : "", other),
	      "the message names the other school's file, the second of two");
	http_resp_free(r);
	r = rx_act(&w->pa, p->item[0], "answer", json_pack("{s:i,s:[I]}", "version", 1, "evidence_ids",
							       (json_int_t)p->evidence), NULL);
	CHECK_ERROR(r, 400, "bad_request", "note");
	http_resp_free(r);
	CHECK(rx_item(&w->pb, p->item[0]) == NULL, "another school's principal cannot read the item");
	RX_UNCHANGED(p->item[0], "open", 1, 1);
}

static void pass_close_refused(const rx_world *w, const pass *p);
static void pass_close(const rx_world *w, const pass *p);

/* Answer with evidence, refused closings, 销号 by the inspector, the ledger. */
static void pass_answer_close(const rx_world *w, const pass *p)
{
	http_resp *r = rx_act(&w->pa, p->item[0], "answer", answer_body(1, p->evidence), NULL);

	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "state"), "submitted", "answered: submitted");
	CHECK_INT(jint(r->json, "version"), 2, "version after the answer");
	CHECK_STR(jstr(r->json, "journal.1.action"), "answer", "the answer is in the journal");
	CHECK_STR(jstr(r->json, "journal.1.from_state"), "open", "from open");
	CHECK_STR(jstr(r->json, "journal.1.to_state"), "submitted", "to submitted");
	CHECK_INT(jint(r->json, "journal.1.evidence_ids.0"), p->evidence, "with its evidence");
	CHECK_INT(jint(r->json, "journal.1.user_id"), w->pa.user_id, "by the principal");
	http_resp_free(r);
	pass_close_refused(w, p);
	pass_close(w, p);
}

/* The school cannot close its own item; a stale version is refused. */
static void pass_close_refused(const rx_world *w, const pass *p)
{
	http_resp *r = rx_act(&w->pa, p->item[0], "close", json_pack("{s:i}", "version", 2), NULL);
	CHECK_ERROR(r, 403, "forbidden", NULL);
	http_resp_free(r);
	r = rx_act(&w->own_inspector, p->item[0], "close", json_pack("{s:i}", "version", 2), NULL);
	CHECK_ERROR(r, 403, "forbidden", NULL);
	http_resp_free(r);
	r = rx_act(&w->inspector, p->item[0], "close", json_pack("{s:i}", "version", 1), NULL);
	CHECK_ERROR(r, 409, "conflict", NULL);
	http_resp_free(r);
	RX_UNCHANGED(p->item[0], "submitted", 2, 2);

	r = api(&w->inspector, "GET", "/api/v1/inbox", NULL, NULL);
	CHECK(jint(r->json, "counts.to_verify") >= 1 && jint(r->json, "to_verify.0.id") > 0,
	      "the answer waits for the inspector");
	http_resp_free(r);
	r = api(&w->own_inspector, "GET", "/api/v1/inbox", NULL, NULL);
	CHECK_INT(jint(r->json, "counts.to_verify"), 0, "nobody verifies their own school");
	http_resp_free(r);
}

/* 销号 by the inspector, then the ledger counts it. */
static void pass_close(const rx_world *w, const pass *p)
{
	char path[96];
	http_resp *r = rx_act(&w->inspector, p->item[0], "close",
			      json_pack("{s:i,s:s}", "version", 2, "note", "现场核实已整改"), NULL);
	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "state"), "closed", "销号");
	CHECK_STR(jstr(r->json, "closed_on"), "2026-11-23", "closed on today");
	CHECK(json_is_true(json_object_get(r->json, "on_time")), "closed on time");
	CHECK_INT((long long)json_array_size(json_object_get(r->json, "journal")), 3, "create, answer, close");
	http_resp_free(r);

	snprintf(path, sizeof path, "/api/v1/rectifications/ledger?school=%lld", w->school_a);
	r = api(&w->head, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK_INT(jint(r->json, "summary.completed"), 1, "ledger: one 整改完成");
	CHECK_INT(jint(r->json, "summary.total"), jint(r->json, "total"), "ledger total");
	CHECK_INT(jint(r->json, "summary.rectified"),
		  jint(r->json, "summary.completed") + jint(r->json, "summary.in_progress"), "已整改 = 整改完成 + 正在整改");
	http_resp_free(r);
}

/* A return needs a reason and opens the item again. */
static void pass_return(const rx_world *w, const pass *p)
{
	long long photos[3] = {rx_evidence(&w->pa, 0), p->evidence, rx_evidence(&w->pa, 0)};
	json_t *b = answer_body(1, 0);
	http_resp *r;
	json_object_set_new(b, "evidence_ids", json_pack("[I,I,I]", (json_int_t)photos[0], (json_int_t)photos[1],
							 (json_int_t)photos[2]));
	r = rx_act(&w->pa, p->item[1], "answer", b, NULL);
	CHECK_STATUS(r, 200);
	CHECK_INT(jint(r->json, "journal.1.evidence_ids.0"), p->evidence, "an answer with three photos: the first by id");
	CHECK_INT(jint(r->json, "journal.1.evidence_ids.2"), photos[2], "and the last: all three are kept");
	http_resp_free(r);
	r = rx_act(&w->inspector, p->item[1], "return", json_pack("{s:i}", "version", 2), NULL);
	CHECK_ERROR(r, 400, "bad_request", "reason");
	http_resp_free(r);
	r = rx_act(&w->pa, p->item[1], "return", json_pack("{s:i,s:s}", "version", 2, "reason", "自己退回"), NULL);
	CHECK_ERROR(r, 403, "forbidden", NULL);
	http_resp_free(r);
	RX_UNCHANGED(p->item[1], "submitted", 2, 2);
	r = rx_act(&w->inspector, p->item[1], "return", json_pack("{s:i,s:s}", "version", 2, "reason", "缺少家长签字"), NULL);
	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "state"), "open", "returned: open again");
	CHECK(json_is_true(json_object_get(r->json, "returned")), "marked as returned");
	CHECK_INT(jint(r->json, "return_count"), 1, "one return");
	CHECK(json_is_null(json_object_get(r->json, "submitted_on")) && jstr(r->json, "journal.1.on_date"),
	      "no 提交日期 until answered again; the answer returned keeps its date in the journal");
	CHECK_STR(jstr(r->json, "journal.2.note"), "缺少家长签字", "the reason is in the journal");
	http_resp_free(r);
}

static void pass_extension_approve(const rx_world *w, const pass *p, long long ext);
static void pass_extension_refuse(const rx_world *w, const pass *p);

/* Extension: requested (one pending at a time, later than the deadline), then decided. */
static void pass_extension(const rx_world *w, const pass *p)
{
	http_resp *r = rx_act(&w->pa, p->item[2], "extensions",
			      json_pack("{s:i,s:s,s:s}", "version", 1, "reason", "更早", "deadline", "2026-12-01"), NULL);
	long long ext = -1;

	CHECK_ERROR(r, 400, "bad_request", "deadline");
	http_resp_free(r);
	r = rx_act(&w->pa, p->item[2], "extensions",
		   json_pack("{s:i,s:s,s:s}", "version", 1, "reason", "票据需财务重新开具", "deadline", "2026-12-20"), NULL);
	CHECK_STATUS(r, 201);
	ext = jint(r->json, "pending_extension.id");
	CHECK(ext > 0 && json_is_true(json_object_get(r->json, "extension_pending")), "a pending request");
	http_resp_free(r);
	pass_extension_approve(w, p, ext);
	pass_extension_refuse(w, p);
}

/* Approval by the bureau moves the deadline and keeps the original. */
static void pass_extension_approve(const rx_world *w, const pass *p, long long ext)
{
	char path[128];
	http_resp *r;

	r = rx_act(&w->pa, p->item[2], "extensions",
		   json_pack("{s:i,s:s,s:s}", "version", 2, "reason", "再次申请", "deadline", "2026-12-25"), NULL);
	CHECK_ERROR(r, 422, "unprocessable", NULL);
	http_resp_free(r);
	r = api(&w->head, "GET", "/api/v1/inbox", NULL, NULL);
	CHECK(jint(r->json, "counts.extensions") >= 1, "the bureau sees the request");
	http_resp_free(r);

	snprintf(path, sizeof path, "extensions/%lld/approve", ext);
	r = rx_act(&w->pa, p->item[2], path, json_pack("{s:i}", "version", 2), NULL);
	CHECK_ERROR(r, 403, "forbidden", NULL);
	http_resp_free(r);
	r = rx_act(&w->own_inspector, p->item[2], path, json_pack("{s:i}", "version", 2), NULL);
	CHECK_ERROR(r, 403, "forbidden", NULL);
	http_resp_free(r);
	RX_UNCHANGED(p->item[2], "open", 2, 2);
	r = rx_act(&w->head, p->item[2], path, json_pack("{s:i,s:s}", "version", 2, "note", "同意"), NULL);
	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "deadline"), "2026-12-20", "the deadline moved");
	CHECK_STR(jstr(r->json, "original_deadline"), "2026-12-05", "the original deadline is kept");
	CHECK_STR(jstr(r->json, "journal.2.deadline_before"), "2026-12-05", "journal: deadline before");
	CHECK_STR(jstr(r->json, "journal.2.deadline_after"), "2026-12-20", "journal: deadline after");
	CHECK_STR(jstr(r->json, "extensions.0.state"), "approved", "the request is approved");
	CHECK(json_is_null(json_object_get(r->json, "pending_extension")), "nothing pending");
	http_resp_free(r);
	r = rx_act(&w->head, p->item[2], path, json_pack("{s:i}", "version", 3), NULL);
	CHECK_ERROR(r, 422, "unprocessable", NULL);
	http_resp_free(r);
}

/* A refusal needs a reason and keeps the deadline. */
static void pass_extension_refuse(const rx_world *w, const pass *p)
{
	char path[128];
	long long ext;
	http_resp *r = rx_act(&w->pa, p->item[2], "extensions",
		   json_pack("{s:i,s:s,s:s}", "version", 3, "reason", "还需时间", "deadline", "2027-01-10"), NULL);
	ext = jint(r->json, "pending_extension.id");
	http_resp_free(r);
	snprintf(path, sizeof path, "extensions/%lld/refuse", ext);
	r = rx_act(&w->inspector, p->item[2], path, json_pack("{s:i}", "version", 4), NULL);
	CHECK_ERROR(r, 400, "bad_request", "reason");
	http_resp_free(r);
	r = rx_act(&w->inspector, p->item[2], path, json_pack("{s:i,s:s}", "version", 4, "reason", "理由不充分"), NULL);
	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "deadline"), "2026-12-20", "a refusal keeps the deadline");
	CHECK_STR(jstr(r->json, "extensions.1.state"), "refused", "the second request is refused");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/rectifications/%lld/extensions", p->item[2]);
	r = api(&w->pa, "GET", path, NULL, NULL);
	CHECK_INT((long long)json_array_size(json_object_get(r->json, "items")), 2, "two requests listed");
	http_resp_free(r);
}

/* The 督导意见书 of visit holds want and not unwanted. */
static void report_check(const client *c, long long visit, const char *want, const char *unwanted, const char *what)
{
	char path[96];
	http_resp *r;
	snprintf(path, sizeof path, "/api/v1/visits/%lld/report", visit);
	r = api(c, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK(r->body && strstr(r->body, want) && !strstr(r->body, unwanted), "%s", what);
	http_resp_free(r);
}

/* A 回头看 filed at school A whose checklist answered the point of checklist_item with result. */
static json_t *recheck_answering(const rx_world *w, long long checklist_item, const char *result)
{
	json_t *b = json_pack("{s:I,s:s,s:s,s:b,s:[{s:I,s:s}]}", "school_id", (json_int_t)w->school_a, "visit_date",
			      "2026-11-23", "kind", "回头看", "file", 1, "answers", "item_id", (json_int_t)checklist_item,
			      "result", result);
	http_resp *r = api_json(&w->inspector, "POST", "/api/v1/visits", b);
	json_t *v = CHECK_STATUS(r, 201) ? json_incref(r->json) : NULL;
	http_resp_free(r);
	return v;
}

/* Whether the list of visits item may be reopened on names visit. */
static int offered_for_reopening(const rx_world *w, long long item, const json_t *visit)
{
	char path[96];
	http_resp *r;
	json_t *v;
	size_t i;
	int found = 0;
	snprintf(path, sizeof path, "/api/v1/visits?reopens=%lld&per_page=100", item);
	r = api(&w->inspector, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	json_array_foreach(json_object_get(r->json, "items"), i, v)
		found |= jint(v, "id") == jint(visit, "id");
	http_resp_free(r);
	return found;
}

/* A 回头看 that found the item's point 符合 or 不适用 did not find the problem again:
 * no reopening on it (422 on visit_id, the item as it was), and the visits offered
 * for reopening leave it out; one that found it 不符合 is offered. */
static void reopen_needs_the_problem_found(const rx_world *w, const pass *p, const json_t *plain)
{
	static const char *const cleared[] = {"符合", "不适用"};
	json_t *it = rx_item(&w->inspector, p->item[0]), *v;
	long long point = it ? jint(it, "item_id") : 0;
	http_resp *r;
	size_t i;
	json_decref(it);
	for (i = 0; point && i < 2; i++) {
		if (!(v = recheck_answering(w, point, cleared[i])))
			continue;
		r = rx_act(&w->inspector, p->item[0], "reopen",
			   json_pack("{s:i,s:s,s:I}", "version", 3, "reason", "问题复现", "visit_id", (json_int_t)jint(v, "id")),
			   NULL);
		if (CHECK_ERROR(r, 422, "unprocessable", "visit_id"))
			CHECK(strstr(jstr(r->json, "error.message"), cleared[i]) != NULL,
			      "the refusal names the 回头看's result %s: %s", cleared[i], jstr(r->json, "error.message"));
		http_resp_free(r);
		RX_UNCHANGED(p->item[0], "closed", 3, 3);
		CHECK(!offered_for_reopening(w, p->item[0], v), "a 回头看 that found the point %s is not offered", cleared[i]);
		json_decref(v);
	}
	if ((v = recheck_answering(w, point, "不符合"))) {
		CHECK(offered_for_reopening(w, p->item[0], v), "a 回头看 that found the point 不符合 is offered");
		json_decref(v);
	}
	CHECK(offered_for_reopening(w, p->item[0], plain), "a 回头看 that did not answer the point is offered");
}

/* A closed item reopens only after a 回头看 of its school; it counts as a recurrence. */
static void pass_reopen(const rx_world *w, const pass *p)
{
	json_t *normal = rx_filed_visit(&w->inspector, w->school_a, "2026-11-23", "经常性督导", NULL);
	json_t *recheck = rx_filed_visit(&w->inspector, w->school_a, "2026-11-23", "回头看", NULL), *before;
	http_resp *r;
	size_t i;

	r = rx_act(&w->inspector, p->item[0], "reopen",
		   json_pack("{s:i,s:s,s:I}", "version", 3, "reason", "问题复现", "visit_id",
			     (json_int_t)jint(normal, "id")), NULL);
	CHECK_ERROR(r, 422, "unprocessable", "visit_id");
	http_resp_free(r);
	r = rx_act(&w->pa, p->item[0], "reopen",
		   json_pack("{s:i,s:s,s:I}", "version", 3, "reason", "问题复现", "visit_id",
			     (json_int_t)jint(recheck, "id")), NULL);
	CHECK_ERROR(r, 403, "forbidden", NULL);
	http_resp_free(r);
	RX_UNCHANGED(p->item[0], "closed", 3, 3);
	reopen_needs_the_problem_found(w, p, recheck);
	CHECK(!offered_for_reopening(w, p->item[0], normal), "a routine visit is not offered for reopening");
	before = rx_item(&w->inspector, p->item[0]);
	r = rx_act(&w->inspector, p->item[0], "reopen",
		   json_pack("{s:i,s:s,s:I}", "version", 3, "reason", "回头看发现通道又被堵塞", "visit_id",
			     (json_int_t)jint(recheck, "id")), NULL);
	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "state"), "reopened", "reopened");
	CHECK_INT(jint(r->json, "recurrence_count"), 1, "a recurrence");
	CHECK_STR(jstr(r->json, "deadline"), "2026-11-30", "a new deadline from today (严重: 7 days)");
	CHECK(json_is_null(json_object_get(r->json, "closed_on")), "no longer closed");
	CHECK_INT(jint(r->json, "journal.3.visit_id"), jint(recheck, "id"), "the journal names the 回头看");
	report_check(&w->pa, jint(recheck, "id"), "<strong>复发</strong>：消防通道堆放杂物（2026-11-20 督导发现，已销号后复查反弹：回头看发现通道又被堵塞）</td>\n"
		     "<td>严重</td>\n<td>2026-11-30</td>",
		     "本次督导未发现", "the 回头看's report lists the problem it found come back, with its new deadline");
	report_check(&w->pa, jint(before, "visit_id"), "<td>消防通道堆放杂物</td>\n<td>严重</td>\n<td>2026-11-27</td>", "2026-11-30",
		     "the first visit's report keeps the deadline it issued");
	for (i = 0; i < 3; i++)
		CHECK(json_equal(json_array_get(json_object_get(before, "journal"), i),
				 json_array_get(json_object_get(r->json, "journal"), i)),
		      "journal event %zu is never rewritten", i);
	http_resp_free(r);
	r = api(&w->pa, "GET", "/api/v1/inbox/digest", NULL, NULL);
	CHECK(jint(r->json, "counts.reopened") >= 1, "the principal hears of today's reopening: %.200s",
	      r->body ? r->body : "(none)");
	http_resp_free(r);
	json_decref(before);
	json_decref(normal);
	json_decref(recheck);
}

/* A retried answer returns the first result and changes the item once. */
static void pass_idempotent(const rx_world *w, const pass *p)
{
	http_resp *r1 = rx_act(&w->pa, p->item[1], "answer", answer_body(3, p->evidence), "rx-answer-0001");
	http_resp *r2 = rx_act(&w->pa, p->item[1], "answer", answer_body(3, p->evidence), "rx-answer-0001");
	http_resp *r3;

	CHECK_STATUS(r1, 200);
	CHECK_STATUS(r2, 200);
	CHECK(r1->body && r2->body && !strcmp(r1->body, r2->body), "the retry gets the first body");
	CHECK_STR(resp_header(r2, "Idempotent-Replayed"), "true", "marked as replayed");
	RX_UNCHANGED(p->item[1], "submitted", 4, 4);
	r3 = rx_act(&w->pa, p->item[2], "answer", answer_body(5, p->evidence), "rx-answer-0001");
	CHECK_ERROR(r3, 422, "unprocessable", "Idempotency-Key");
	http_resp_free(r1);
	http_resp_free(r2);
	http_resp_free(r3);
	RX_UNCHANGED(p->item[2], "open", 5, 5);
}

void test_rectify(void)
{
	const rx_world *w;
	pass p = {{0}, 0};

	harness_group("rectify");
	if (!(w = rx_setup()) || !pass_file(w, &p))
		return;
	pass_bad_answers(w, &p);
	pass_answer_close(w, &p);
	pass_return(w, &p);
	pass_extension(w, &p);
	pass_reopen(w, &p);
	pass_idempotent(w, &p);
}
