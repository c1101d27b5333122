/* test_visits.c - checklist templates (the default one, versioning), visits
 * from draft to filed (one item per finding, deadlines by severity), every
 * refused visit creating nothing, the 督导意见书 (escaped, printable), visit
 * compliance, and Idempotency-Key on visit creation. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rectify_fixtures.h"
#include "suites.h"

static long long visits_of(const client *c, long long school)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/visits?school=%lld", school);
	return fixture_total(c, path);
}

static void default_template(const rx_world *w)
{
	static const char *const titles[16] = {
		"校务管理和制度执行情况", "招生、收费、择校情况", "课程开设和课时执行情况",
		"学生学习、体育锻炼和课业负担情况", "教师师德和专业发展情况", "校园及周边安全情况",
		"食堂、食品、饮用水及宿舍卫生情况", "校风、教风、学风建设情况", "资助政策宣传", "建档立卡台账",
		"结对帮扶全覆盖", "家访记录", "资助公示", "控辍保学一生一案", "营养餐账目", "档案管理"};
	char path[64], key[32];
	http_resp *r;
	size_t i;

	snprintf(path, sizeof path, "/api/v1/templates/%lld", w->template_id);
	r = api(&w->pc, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	for (i = 0; i < 16; i++) {
		snprintf(key, sizeof key, "items.%zu.title", i);
		CHECK_STR(jstr(r->json, key), titles[i], key);
		snprintf(key, sizeof key, "items.%zu.category", i);
		CHECK_STR(jstr(r->json, key), i < 8 ? "挂牌督导" : "教育资助", key);
	}
	CHECK_INT(jint(r->json, "version"), 1, "default template version");
	http_resp_free(r);
}

static void template_edit(const rx_world *w, long long v1, long long visit);
static void template_items_kept(const rx_world *w, long long v1, long long v2);

/* Creating a lineage and a draft visit with it, then editing it (template_edit). */
static void template_versions(const rx_world *w)
{
	json_t *b = json_pack("{s:s,s:[{s:s,s:s,s:s},{s:s,s:s}]}", "name", "专项督导：营养改善计划", "items", "code", "YY1",
			      "category", "营养餐", "title", "食堂账目公开", "category", "营养餐", "title", "陪餐记录");
	http_resp *r = api_json(&w->admin, "POST", "/api/v1/templates", b);
	long long v1 = -1, visit = -1;
	char path[96];

	if (CHECK_STATUS(r, 201))
		v1 = jint(r->json, "id");
	CHECK_STR(jstr(r->json, "items.1.code"), "I2", "a missing code is made from the position");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/templates/%lld", v1);
	r = api(&w->inspector, "GET", path, NULL, NULL);
	b = json_pack("{s:I,s:s,s:s,s:I,s:s,s:b}", "school_id", (json_int_t)w->school_c, "visit_date", "2026-11-02",
		      "kind", "专项督导", "template_id", (json_int_t)v1, "summary", "按旧版检查表", "file", 0);
	json_object_set_new(b, "answers", json_pack("[{s:I,s:s}]", "item_id", (json_int_t)jint(r->json, "items.0.id"),
						   "result", "符合"));
	http_resp_free(r);
	r = api_json(&w->inspector, "POST", "/api/v1/visits", b);
	if (CHECK_STATUS(r, 201))
		visit = jint(r->json, "id");
	http_resp_free(r);
	template_edit(w, v1, visit);
}

/* Editing template v1 makes version 2; a stale edit is refused; the visit keeps v1. */
static void template_edit(const rx_world *w, long long v1, long long visit)
{
	long long v2 = -1;
	char path[96];
	http_resp *r;

	snprintf(path, sizeof path, "/api/v1/templates/%lld", v1);
	r = api_json(&w->admin, "PUT", path,
		     json_pack("{s:i,s:[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s}]}", "version", 1, "items", "code",
			       "YY1", "category", "营养餐", "title", "食堂账目公开", "code", "I2", "category", "营养餐",
			       "title", "陪餐记录", "code", "YY3", "category", "营养餐", "title", "食材采购索证"));
	if (CHECK_STATUS(r, 201))
		v2 = jint(r->json, "id");
	CHECK(v2 > v1, "an edit is a new template row");
	CHECK_INT(jint(r->json, "version"), 2, "the edit is version 2");
	CHECK_INT(jint(r->json, "lineage_id"), v1, "of the same lineage");
	http_resp_free(r);
	r = api_json(&w->admin, "PUT", path, json_pack("{s:i,s:s}", "version", 1, "name", "不该生效"));
	CHECK_ERROR(r, 409, "conflict", "version");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/templates/%lld", v2);
	r = api_json(&w->admin, "PUT", path, json_pack("{s:i,s:s}", "version", 2, "name", "　 "));
	CHECK_ERROR(r, 400, "bad_request", "name");
	http_resp_free(r);
	r = api_json(&w->admin, "PUT", path,
		     json_pack("{s:i,s:[{s:s,s:s,s:s},{s:s,s:s,s:s}]}", "version", 2, "items", "code", "ZZ1", "category",
			       "营养餐", "title", "食堂账目公开", "code", "zz1", "category", "营养餐", "title", "陪餐记录"));
	CHECK_ERROR(r, 400, "bad_request", "items[1].code");
	http_resp_free(r);
	r = api_json(&w->admin, "PUT", path, json_pack("{s:i,s:s}", "version", 2, "name", "专项督导：营养改善（改名）"));
	CHECK_STATUS(r, 201);
	CHECK_INT(jint(r->json, "version"), 3, "a rename is version 3");
	CHECK_INT((long long)json_array_size(json_object_get(r->json, "items")), 3,
		  "without items the new version keeps them");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/templates/%lld", v1);
	r = api(&w->inspector, "GET", path, NULL, NULL);
	CHECK(json_is_false(json_object_get(r->json, "is_current")), "the old version is no longer current");
	CHECK_INT((long long)json_array_size(json_object_get(r->json, "items")), 2, "the old version keeps its items");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/visits/%lld", visit);
	r = api(&w->inspector, "GET", path, NULL, NULL);
	CHECK_INT(jint(r->json, "template_id"), v1, "the visit keeps the version it was made with");
	CHECK_INT(jint(r->json, "template_version"), 1, "template_version of the visit");
	http_resp_free(r);
	template_items_kept(w, v1, v2);
}

/* A draft at school C made with template version template_id, answering item_id 符合. */
static json_t *visit_answering(const rx_world *w, long long template_id, long long item_id)
{
	return json_pack("{s:I,s:s,s:s,s:I,s:[{s:I,s:s}]}", "school_id", (json_int_t)w->school_c, "visit_date",
			 "2026-11-03", "kind", "专项督导", "template_id", (json_int_t)template_id, "answers", "item_id",
			 (json_int_t)item_id, "result", "符合");
}

/* The service keeps each version it has read (a version never changes): a visit
 * made with v2 may answer the item only v2 has, one made with v1 may not. */
static void template_items_kept(const rx_world *w, long long v1, long long v2)
{
	long long only_v2 = -1;
	char path[96];
	http_resp *r;

	snprintf(path, sizeof path, "/api/v1/templates/%lld", v2);
	r = api(&w->inspector, "GET", path, NULL, NULL);
	only_v2 = jint(r->json, "items.2.id");
	CHECK_STR(jstr(r->json, "items.2.code"), "YY3", "the item only v2 has");
	http_resp_free(r);
	r = api_json(&w->inspector, "POST", "/api/v1/visits", visit_answering(w, v2, only_v2));
	CHECK_STATUS(r, 201);
	CHECK_INT(jint(r->json, "template_version"), 2, "a visit made with v2");
	CHECK_STR(jstr(r->json, "answers.0.code"), "YY3", "answers v2's own item");
	http_resp_free(r);
	r = api_json(&w->inspector, "POST", "/api/v1/visits", visit_answering(w, v1, only_v2));
	CHECK_ERROR(r, 400, "bad_request", "answers[0].item_id");
	http_resp_free(r);
}

/* POSTs a visit that must be refused with status/field; the school's visits stay as many. */
static void visit_refused(const client *c, const rx_world *w, json_t *body, int status, const char *code,
			  const char *field)
{
	long long before = visits_of(&w->inspector, w->school_c);
	http_resp *r = api_json(c, "POST", "/api/v1/visits", body);
	CHECK_ERROR(r, status, code, field);
	http_resp_free(r);
	CHECK_INT(visits_of(&w->inspector, w->school_c), before, "visits of school C after a refused one");
}

static json_t *visit_body(const rx_world *w, const char *date, json_t *finding)
{
	json_t *b = json_pack("{s:I,s:s,s:s,s:b}", "school_id", (json_int_t)w->school_c, "visit_date", date, "kind",
			      "经常性督导", "file", 1);
	if (finding)
		json_object_set_new(b, "findings", json_pack("[o]", finding));
	return b;
}

static void visit_bad_input(const rx_world *w)
{
	long long eb = rx_evidence(&w->pb, 0);
	json_t *f;

	visit_refused(&w->inspector, w, visit_body(w, "2026-11-20", rx_finding(w, 5, "严重", "期限早于督导日期", "2026-11-19")),
		      400, "bad_request", "findings[0].deadline");
	f = rx_finding(w, 5, "严重", "不存在的检查项目", NULL);
	json_object_set_new(f, "item_id", json_integer(999999));
	visit_refused(&w->inspector, w, visit_body(w, "2026-11-20", f), 400, "bad_request", "findings[0].item_id");
	f = visit_body(w, "2026-11-20", NULL);
	json_object_set_new(f, "answers", json_pack("[{s:i,s:s}]", "item_id", 999999, "result", "符合"));
	visit_refused(&w->inspector, w, f, 400, "bad_request", "answers[0].item_id");
	visit_refused(&w->inspector, w, visit_body(w, "2026-11-20", rx_finding(w, 5, "特别严重", "等级不对", NULL)), 400,
		      "bad_request", "findings[0].severity");
	visit_refused(&w->inspector, w, visit_body(w, "2026-11-24", NULL), 400, "bad_request", "visit_date");
	visit_refused(&w->inspector, w, visit_body(w, "2026-11-31", NULL), 400, "bad_request", "visit_date");
	f = rx_finding(w, 5, "严重", "别校的照片", NULL);
	json_object_set_new(f, "evidence_ids", json_pack("[I]", (json_int_t)eb));
	visit_refused(&w->inspector, w, visit_body(w, "2026-11-20", f), 400, "bad_request", "findings[0].evidence_ids");
	f = visit_body(w, "2026-11-20", NULL);
	json_object_set_new(f, "template_id", json_integer(999999));
	visit_refused(&w->inspector, w, f, 400, "bad_request", "template_id");
	f = visit_body(w, "2026-11-20", NULL);
	json_object_set_new(f, "school_id", json_integer(999999));
	visit_refused(&w->inspector, w, f, 400, "bad_request", "school_id");
	f = visit_body(w, "2026-11-20", NULL);
	json_object_set_new(f, "inspector_ids", json_pack("[I]", (json_int_t)w->pc.user_id));
	visit_refused(&w->inspector, w, f, 400, "bad_request", "inspector_ids");
	visit_refused(&w->pc, w, visit_body(w, "2026-11-20", NULL), 403, "forbidden", NULL);
}

static void visit_file(const rx_world *w, long long id);

/* Draft, PATCH, stale PATCH, file: one item per finding with the right deadlines. */
static long long visit_draft_to_filed(const rx_world *w)
{
	json_t *b = visit_body(w, "2026-11-16", NULL);
	http_resp *r;
	long long id = -1;
	char path[96];

	json_object_set_new(b, "file", json_false());
	r = api_json(&w->inspector, "POST", "/api/v1/visits", b);
	if (CHECK_STATUS(r, 201))
		id = jint(r->json, "id");
	CHECK_STR(jstr(r->json, "state"), "draft", "a new visit is a draft");
	CHECK_INT(jint(r->json, "inspectors.0.id"), w->inspector.user_id, "the caller is the inspector by default");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/visits/%lld", id);
	r = api(&w->pc, "GET", path, NULL, NULL);
	CHECK_ERROR(r, 404, "not_found", NULL); /* principals see filed visits only */
	http_resp_free(r);

	b = json_pack("{s:i,s:s,s:[o,o]}", "version", 1, "summary", "食堂卫生需加强",
		      "findings", rx_finding(w, 6, "较重", "食堂操作间卫生差", NULL),
		      rx_finding(w, 11, "一般", "家访记录缺少家长签字", "2026-12-31"));
	r = api_json(&w->inspector, "PATCH", path, b);
	CHECK_STATUS(r, 200);
	CHECK_INT(jint(r->json, "version"), 2, "PATCH raises the version");
	CHECK_INT((long long)json_array_size(json_object_get(r->json, "findings")), 2, "the draft has two findings");
	http_resp_free(r);
	r = api_json(&w->inspector, "PATCH", path, json_pack("{s:i,s:s}", "version", 1, "summary", "不该生效"));
	CHECK_ERROR(r, 409, "conflict", NULL);
	http_resp_free(r);
	r = api_json(&w->inspector, "PATCH", path, json_pack("{s:i,s:s}", "version", 2, "visit_date", "2027-01-05"));
	CHECK_ERROR(r, 400, "bad_request", "visit_date");
	http_resp_free(r);
	visit_file(w, id);
	return id;
}

/* Filing the draft of visit_draft_to_filed: items with deadlines; no second filing, no edits. */
static void visit_file(const rx_world *w, long long id)
{
	char path[96];
	http_resp *r;

	snprintf(path, sizeof path, "/api/v1/visits/%lld/file", id);
	r = api_json(&w->inspector, "POST", path, json_pack("{s:i}", "version", 2));
	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "state"), "filed", "filed");
	CHECK_STR(jstr(r->json, "filed_on"), "2026-11-23", "filed on DUDAO_TODAY");
	CHECK_STR(jstr(r->json, "findings.0.rectification_deadline"), "2026-12-01", "较重: visit date + 15 days");
	CHECK_STR(jstr(r->json, "findings.1.rectification_deadline"), "2026-12-31", "the inspector's deadline kept");
	CHECK_STR(jstr(r->json, "findings.0.rectification_state"), "open", "the new item is open");
	http_resp_free(r);
	r = api_json(&w->inspector, "POST", path, json_pack("{s:i}", "version", 3));
	CHECK_ERROR(r, 422, "unprocessable", NULL);
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/visits/%lld", id);
	r = api_json(&w->inspector, "PATCH", path, json_pack("{s:i,s:s}", "version", 3, "summary", "已提交不能改"));
	CHECK_ERROR(r, 422, "unprocessable", NULL);
	http_resp_free(r);
}

/* The 督导意见书: HTML from Markdown, user text escaped, printable, in scope. */
static void visit_report(const rx_world *w)
{
	json_t *f = json_pack("[o]", rx_finding(w, 7, "一般",
						"学风<script>alert(1)</script> | **加粗** [链接](javascript:x)\n# 标题", NULL));
	json_t *v = rx_filed_visit(&w->inspector, w->school_c, "2026-11-18", "专项督导", f);
	const char *ct, *who;
	char path[96];
	http_resp *r;

	if (!v)
		return;
	snprintf(path, sizeof path, "/api/v1/visits/%lld/report", jint(v, "id"));
	r = api(&w->pc, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	ct = resp_header(r, "Content-Type");
	CHECK(ct && !strcmp(ct, "text/html; charset=utf-8"), "report Content-Type: %s", ct ? ct : "(none)");
	CHECK(r->body && strstr(r->body, "<table>") && strstr(r->body, "督导意见书") && strstr(r->body, "@media print"),
	      "a printable page with tables");
	CHECK(r->body && !strstr(r->body, "<script") && strstr(r->body, "&lt;script&gt;"), "user HTML is text");
	CHECK(r->body && !strstr(r->body, "<strong>加粗") && !strstr(r->body, "href=") && !strstr(r->body, "<h1>标题"),
	      "user Markdown is text");
	CHECK(r->body && strstr(r->body, "2026-12-18"), "the item's deadline is in the report (一般: +30 days)");
	CHECK(r->body && strstr(r->body, "整改测试学校丙"), "the school is named");
	who = r->body ? strstr(r->body, "督导机构：") : NULL;
	CHECK(who && strstr(who, "教育局") && strstr(who, "教育局") - who < 60,
	      "the bureau issues it, not the town centre: %.80s", who ? who : "(none)");
	http_resp_free(r);
	r = api(&w->pb, "GET", path, NULL, NULL);
	CHECK_ERROR(r, 404, "not_found", NULL);
	http_resp_free(r);
	json_decref(v);
}

/* A retried creation returns the first answer and files once; a key on another path is refused. */
static void visit_idempotent(const rx_world *w)
{
	const char *key[] = {"Idempotency-Key: rx-visit-0001", NULL};
	json_t *b = visit_body(w, "2026-11-19", rx_finding(w, 9, "较重", "建档立卡台账未更新", NULL));
	char *text = json_dumps(b, JSON_COMPACT), path[96];
	long long before = visits_of(&w->inspector, w->school_c), items;
	http_resp *r1, *r2, *r3;

	snprintf(path, sizeof path, "/api/v1/rectifications?school=%lld", w->school_c);
	items = fixture_total(&w->inspector, path);
	r1 = api(&w->inspector, "POST", "/api/v1/visits", text, key);
	r2 = api(&w->inspector, "POST", "/api/v1/visits", text, key);
	CHECK_STATUS(r1, 201);
	CHECK_STATUS(r2, 201);
	CHECK(r1->body && r2->body && !strcmp(r1->body, r2->body), "the retry gets the same body");
	CHECK_INT(visits_of(&w->inspector, w->school_c), before + 1, "one visit for two tries");
	CHECK_INT(fixture_total(&w->inspector, path), items + 1, "one rectification item for two tries");
	snprintf(path, sizeof path, "/api/v1/visits/%lld/file", jint(r1->json, "id"));
	r3 = api(&w->inspector, "POST", path, "{\"version\":2}", key);
	CHECK_ERROR(r3, 422, "unprocessable", "Idempotency-Key");
	http_resp_free(r1);
	http_resp_free(r2);
	http_resp_free(r3);
	free(text);
	json_decref(b);
}

/* One of the concurrent tries of visit_race. */
typedef struct {
	const client *c;
	const char *body;
	http_resp *r;
} race_try;

static void *race_run(void *arg)
{
	static const char *const key[] = {"Idempotency-Key: rx-visit-race", NULL};
	race_try *t = arg;
	t->r = api(t->c, "POST", "/api/v1/visits", t->body, key);
	return NULL;
}

/* Tries sent at once with one key (a phone retrying while the first is still on
 * its way) all get the first answer, and the visit is filed once. */
static void visit_race(const rx_world *w)
{
	enum { TRIES = 6 };
	json_t *b = visit_body(w, "2026-11-20", rx_finding(w, 10, "一般", "结对帮扶名册未更新", NULL));
	char *text = json_dumps(b, JSON_COMPACT);
	long long before = visits_of(&w->inspector, w->school_c);
	race_try t[TRIES];
	pthread_t th[TRIES];
	int i, started[TRIES];

	for (i = 0; i < TRIES; i++) {
		t[i] = (race_try){&w->inspector, text, NULL};
		started[i] = pthread_create(&th[i], NULL, race_run, &t[i]) == 0;
	}
	for (i = 0; i < TRIES; i++)
		if (started[i])
			pthread_join(th[i], NULL);
	for (i = 0; i < TRIES; i++) {
		CHECK(started[i], "try %d started", i);
		CHECK_STATUS(t[i].r, 201);
		CHECK(t[i].r && t[0].r && t[i].r->body && t[0].r->body && !strcmp(t[i].r->body, t[0].r->body),
		      "try %d gets the first answer", i);
		if (i && t[i].r && t[0].r && t[i].r->body && t[0].r->body && strcmp(t[i].r->body, t[0].r->body))
			fprintf(stderr, "first (%d): %.300s\ntry %d (%d): %.300s\n", t[0].r->status, t[0].r->body, i,
				t[i].r->status, t[i].r->body);
	}
	for (i = 0; i < TRIES; i++)
		http_resp_free(t[i].r);
	CHECK_INT(visits_of(&w->inspector, w->school_c), before + 1, "one visit for six concurrent tries");
	free(text);
	json_decref(b);
}

static void visit_compliance(const rx_world *w)
{
	char path[128];
	json_t *it;
	size_t i;
	http_resp *r;
	int seen = 0;

	snprintf(path, sizeof path, "/api/v1/visits/compliance?semester=2026-2&town=%lld", w->town);
	r = api(&w->inspector, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK_INT(jint(r->json, "required"), 2, "two visits per semester by default");
	CHECK_STR(jstr(r->json, "semester.start"), "2026-09-01", "autumn semester");
	json_array_foreach(json_object_get(r->json, "items"), i, it)
		if (jint(it, "school_id") == w->school_c) {
			seen = 1;
			CHECK(jint(it, "visits") >= 2 && json_is_true(json_object_get(it, "compliant")),
			      "school C has its visits (%lld)", jint(it, "visits"));
		}
	CHECK(seen, "school C is in the compliance list");
	http_resp_free(r);
	r = api(&w->pc, "GET", path, NULL, NULL);
	CHECK_ERROR(r, 403, "forbidden", NULL);
	http_resp_free(r);
	r = api(&w->inspector, "GET", "/api/v1/visits/compliance?semester=2026-3", NULL, NULL);
	CHECK_ERROR(r, 400, "bad_request", "semester");
	http_resp_free(r);
}

void test_visits(void)
{
	const rx_world *w;

	harness_group("visits");
	if (!(w = rx_setup()))
		return;
	default_template(w);
	template_versions(w);
	visit_bad_input(w);
	visit_draft_to_filed(w);
	visit_report(w);
	visit_idempotent(w);
	visit_race(w);
	visit_compliance(w);
}
