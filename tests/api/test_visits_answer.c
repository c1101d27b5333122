/* test_visits_answer.c - POST /api/v1/visits answers with what it wrote without
 * reading it back: the answer must be byte for byte what GET /api/v1/visits/{id}
 * returns right after, and the audit entry's "after" the same visit, for drafts
 * and filed visits of several shapes (answers only; findings of every severity,
 * with and without deadlines and evidence; several inspectors; a school right
 * under the bureau, with no town; Chinese text with quotes and newlines). */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rectify_fixtures.h"
#include "suites.h"

/* The people and schools of these tests: duxue (town) and duxue2 (county) visit. */
typedef struct {
	const rx_world *w;
	client county;           /* duxue2, an inspector of the whole county */
	long long town_school, bureau_school;
} answer_world;

static const char TRICKY[] = "“引号”\"双引号\" '单引号' \\反斜杠\\\n第二行\t制表 </script> 😀 末尾空格  ";

/* A primary school named name under parent (a town or the bureau); its id or -1. */
static long long answer_school(const client *admin, long long parent, const char *name, const char *code)
{
	json_t *b = json_pack("{s:s,s:s,s:I,s:s,s:[s]}", "kind", "school", "name", name, "parent_id",
			      (json_int_t)parent, "code", code, "stages", "小学");
	http_resp *r = api_json(admin, "POST", "/api/v1/orgs", b);
	long long id = CHECK_STATUS(r, 201) ? jint(r->json, "id") : -1;
	http_resp_free(r);
	return id;
}

/* Up to about n bytes of s, cut before a UTF-8 continuation byte. */
static int utf8_prefix(const char *s, int n)
{
	int len = (int)strnlen(s, (size_t)n);
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return len;
}

/* Shows where two bodies part, so a failure names the field. */
static void show_difference(const char *what, const char *post, const char *get)
{
	size_t i = 0, from;
	while (post[i] && post[i] == get[i])
		i++;
	from = i > 80 ? i - 80 : 0;
	while (from > 0 && ((unsigned char)post[from] & 0xc0) == 0x80)
		from--;
	printf("  %s: the answers part at byte %zu\n    POST ...%.*s\n    GET  ...%.*s\n", what, i,
	       utf8_prefix(post + from, 160), post + from, utf8_prefix(get + from, 160), get + from);
}

/* The audit entry of visit id (newest) holds action and, as after, the visit GET shows. */
static void check_audit(const rx_world *w, long long id, const char *action, const json_t *visit, const char *what)
{
	char path[128];
	http_resp *r;
	snprintf(path, sizeof path, "/api/v1/audit?entity=visit&entity_id=%lld&per_page=1", id);
	r = api(&w->admin, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "items.0.action"), action, what);
	CHECK(json_equal(jpath(r->json, "items.0.after"), (json_t *)visit), "%s: the audit after is the visit", what);
	http_resp_free(r);
}

/* POSTs body as c and checks the answer against the GET right after and the
 * audit entry; returns the answer (caller decrefs) or NULL. */
static json_t *answer_matches(const rx_world *w, const client *c, json_t *body, const char *what)
{
	int filed = json_is_true(json_object_get(body, "file"));
	http_resp *post = api_json(c, "POST", "/api/v1/visits", body), *get;
	json_t *visit = NULL;
	char path[96];
	if (!CHECK_STATUS(post, 201)) {
		http_resp_free(post);
		return NULL;
	}
	snprintf(path, sizeof path, "/api/v1/visits/%lld", jint(post->json, "id"));
	get = api(c, "GET", path, NULL, NULL);
	if (CHECK_STATUS(get, 200) && !CHECK(post->body_len == get->body_len && !strcmp(post->body, get->body),
					     "%s: the POST answer is the GET answer byte for byte", what))
		show_difference(what, post->body, get->body);
	CHECK(post->json && get->json && json_equal(post->json, get->json), "%s: the same JSON", what);
	check_audit(w, jint(post->json, "id"), filed ? "create_and_file" : "create", get->json, what);
	visit = json_incref(post->json);
	http_resp_free(get);
	http_resp_free(post);
	return visit;
}

static json_t *answer_body(long long school, const char *date, const char *kind, int file)
{
	return json_pack("{s:I,s:s,s:s,s:b}", "school_id", (json_int_t)school, "visit_date", date, "kind", kind,
			 "file", file);
}

/* A draft with answers only, given out of the template's order, one with tricky text. */
static void draft_answers_only(const answer_world *a)
{
	const rx_world *w = a->w;
	json_t *b = answer_body(a->town_school, "2026-11-02", "经常性督导", 0), *v;
	json_object_set_new(b, "answers",
			    json_pack("[{s:I,s:s,s:s},{s:I,s:s},{s:I,s:s,s:s}]", "item_id", (json_int_t)w->item_ids[9],
				      "result", "不符合", "note", TRICKY, "item_id", (json_int_t)w->item_ids[0], "result",
				      "符合", "item_id", (json_int_t)w->item_ids[4], "result", "不适用", "note", ""));
	v = answer_matches(w, &w->inspector, b, "draft with answers only");
	CHECK_STR(jstr(v, "state"), "draft", "draft with answers only: a draft");
	CHECK_INT((long long)json_array_size(json_object_get(v, "answers")), 3, "draft with answers only: 3 answers");
	CHECK_INT(jint(v, "answers.0.item_id"), w->item_ids[0], "answers in the template's order");
	CHECK_INT((long long)json_array_size(json_object_get(v, "findings")), 0, "draft with answers only: no findings");
	json_decref(v);
}

/* Every answer of the template, with one tricky note; the items of filed_full's
 * findings (2, 9, 12) are among those answered 不符合. */
static json_t *all_answers(const rx_world *w)
{
	json_t *arr = json_array();
	int i;
	for (i = 15; i >= 0; i--)
		json_array_append_new(arr, json_pack("{s:I,s:s,s:s}", "item_id", (json_int_t)w->item_ids[i], "result",
						     i % 3 && i != 2 ? "符合" : "不符合", "note", i == 7 ? TRICKY : ""));
	return arr;
}

/* Filed with every severity, deadlines given and left to the rules, evidence in
 * no order, three inspectors in no order, the whole checklist answered. */
static void filed_full(const answer_world *a)
{
	const rx_world *w = a->w;
	long long e1 = rx_evidence(&w->inspector, a->town_school), e2 = rx_evidence(&w->inspector, a->town_school);
	long long e3 = rx_evidence(&w->inspector, a->town_school);
	json_t *b = answer_body(a->town_school, "2026-11-10", "专项督导", 1), *f1, *f3, *v;
	f1 = rx_finding(w, 2, "严重", "食堂“三防”设施缺失，\n需整改", NULL);
	json_object_set_new(f1, "evidence_ids", json_pack("[I,I]", (json_int_t)e3, (json_int_t)e1));
	f3 = rx_finding(w, 12, "一般", TRICKY, NULL);
	json_object_set_new(f3, "evidence_ids", json_pack("[I]", (json_int_t)e2));
	json_object_set_new(b, "findings", json_pack("[o,o,o,o]", f1, rx_finding(w, 9, "较重", "台账不全", "2026-12-31"), f3,
						     rx_finding(w, 2, "严重", "同一项目的第二个问题", "2026-11-12")));
	json_object_set_new(b, "inspector_ids", json_pack("[I,I,I]", (json_int_t)w->head.user_id,
							  (json_int_t)a->county.user_id, (json_int_t)w->inspector.user_id));
	json_object_set_new(b, "answers", all_answers(w));
	json_object_set_new(b, "summary", json_string(TRICKY));
	v = answer_matches(w, &w->inspector, b, "filed with four findings");
	CHECK_STR(jstr(v, "state"), "filed", "filed with four findings: filed");
	CHECK_INT(jint(v, "version"), 2, "filed with four findings: version 2");
	CHECK_INT((long long)json_array_size(json_object_get(v, "inspectors")), 3, "three inspectors");
	CHECK_STR(jstr(v, "findings.0.rectification_deadline"), "2026-11-17", "严重: visit date + 7 days");
	CHECK_STR(jstr(v, "findings.1.rectification_deadline"), "2026-12-31", "the deadline given");
	CHECK_STR(jstr(v, "findings.2.rectification_deadline"), "2026-12-10", "一般: visit date + 30 days");
	CHECK_INT(jint(v, "findings.0.evidence_ids.0"), e1 < e3 ? e1 : e3, "evidence ids in order");
	CHECK(jint(v, "findings.3.rectification_id") > jint(v, "findings.0.rectification_id"), "an item per finding");
	json_decref(v);
}

/* A draft with findings and evidence, the template named, the caller not an inspector. */
static void draft_findings(const answer_world *a)
{
	const rx_world *w = a->w;
	long long e = rx_evidence(&w->inspector, a->town_school);
	json_t *b = answer_body(a->town_school, "2026-11-20", "回头看", 0), *f = rx_finding(w, 15, "较重", "档案散乱", NULL), *v;
	json_object_set_new(f, "evidence_ids", json_pack("[I]", (json_int_t)e));
	json_object_set_new(b, "findings", json_pack("[o,o]", f, rx_finding(w, 14, "严重", "一生一案缺失", "2026-11-30")));
	json_object_set_new(b, "template_id", json_integer(w->template_id));
	json_object_set_new(b, "inspector_ids", json_pack("[I]", (json_int_t)a->county.user_id));
	json_object_set_new(b, "summary", json_string(""));
	v = answer_matches(w, &w->inspector, b, "draft with findings");
	CHECK(json_is_null(jpath(v, "findings.0.rectification_id")), "a draft's findings have no item");
	CHECK_INT(jint(v, "inspectors.0.id"), a->county.user_id, "the inspector named, not the caller");
	json_decref(v);
}

/* Filed at a school right under the bureau: town_id and town_name are null. */
static void filed_bureau_school(const answer_world *a)
{
	const rx_world *w = a->w;
	json_t *b = answer_body(a->bureau_school, "2026-11-23", "经常性督导", 1), *v;
	json_object_set_new(b, "findings", json_pack("[o]", rx_finding(w, 0, "一般", "制度未上墙", NULL)));
	json_object_set_new(b, "inspector_ids", json_pack("[I,I]", (json_int_t)a->county.user_id, (json_int_t)w->head.user_id));
	v = answer_matches(w, &a->county, b, "filed at a school under the bureau");
	CHECK(v && json_is_null(json_object_get(v, "town_id")) && json_is_null(json_object_get(v, "town_name")),
	      "a school under the bureau has no town");
	json_decref(v);
}

/* A visit whose finding stands on an item it answers 符合 or 不适用 is not filed: at
 * creation 400, nothing made; as a draft it may be kept, and filing it is 422 until
 * the answer says 不符合. */
static void findings_on_passed_items(const answer_world *a)
{
	static const char *const passed[] = {"符合", "不适用"};
	const rx_world *w = a->w;
	long long id = -1;
	char path[96];
	json_t *b;
	http_resp *r;
	size_t i;
	for (i = 0; i < 2; i++) {
		long long before = fixture_total(&w->inspector, "/api/v1/visits?per_page=1");
		b = answer_body(a->town_school, "2026-11-21", "经常性督导", 1);
		json_object_set_new(b, "answers", json_pack("[{s:I,s:s}]", "item_id", (json_int_t)w->item_ids[5], "result",
							    passed[i]));
		json_object_set_new(b, "findings", json_pack("[o,o]", rx_finding(w, 4, "一般", "另一项的问题", NULL),
								rx_finding(w, 5, "一般", "与检查结果矛盾", NULL)));
		r = api_json(&w->inspector, "POST", "/api/v1/visits", b);
		CHECK_ERROR(r, 400, "bad_request", "findings[1].item_id");
		CHECK(r->json && strstr(jstr(r->json, "error.message") ? jstr(r->json, "error.message") : "", passed[i]),
		      "the message names the item's result");
		http_resp_free(r);
		CHECK_INT(fixture_total(&w->inspector, "/api/v1/visits?per_page=1"), before, "visits after a refused one");
	}
	b = answer_body(a->town_school, "2026-11-21", "经常性督导", 0);
	json_object_set_new(b, "answers", json_pack("[{s:I,s:s}]", "item_id", (json_int_t)w->item_ids[5], "result", "符合"));
	json_object_set_new(b, "findings", json_pack("[o]", rx_finding(w, 5, "一般", "草稿里先记下", NULL)));
	r = api_json(&w->inspector, "POST", "/api/v1/visits", b);
	if (CHECK_STATUS(r, 201))
		id = jint(r->json, "id");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/visits/%lld/file", id);
	r = api_json(&w->inspector, "POST", path, json_pack("{s:i}", "version", 1));
	CHECK_ERROR(r, 422, "unprocessable", "findings[0].item_id");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/visits/%lld", id);
	r = api(&w->inspector, "GET", path, NULL, NULL);
	CHECK_STR(jstr(r->json, "state"), "draft", "the draft stays a draft");
	http_resp_free(r);
	r = api_json(&w->inspector, "PATCH", path,
		     json_pack("{s:i,s:[{s:I,s:s}]}", "version", 1, "answers", "item_id", (json_int_t)w->item_ids[5], "result",
			       "不符合"));
	CHECK_STATUS(r, 200);
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/visits/%lld/file", id);
	r = api_json(&w->inspector, "POST", path, json_pack("{s:i}", "version", 2));
	CHECK_STATUS(r, 200);
	CHECK(jint(r->json, "findings.0.rectification_id") > 0, "filed once the answer says 不符合: an item");
	http_resp_free(r);
}

void test_visits_answer(void)
{
	answer_world a;
	harness_group("visits answer");
	a.w = rx_setup();
	if (!a.w || !fixture_login("duxue2", &a.county))
		return;
	a.town_school = answer_school(&a.w->admin, a.w->town, "答复测试学校（镇）", "4399300001");
	a.bureau_school = answer_school(&a.w->admin, a.w->head.org_id, "答复测试学校（直属）", "4399300002");
	if (a.town_school < 0 || a.bureau_school < 0)
		return;
	draft_answers_only(&a);
	filed_full(&a);
	draft_findings(&a);
	filed_bureau_school(&a);
	findings_on_passed_items(&a);
}
