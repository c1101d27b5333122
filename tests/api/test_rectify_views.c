/* test_rectify_views.c - what is derived from deadlines and today
 * (DUDAO_TODAY=2026-11-23): days left, overdue and the escalation level at
 * day 0, 1, 14, 15, 29, 30; the list filters; the bureau's escalation list;
 * the daily digest (204 when empty); the ledger's counts and its XLSX. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rectify_fixtures.h"
#include "suites.h"

#define NB 7

/* Deadlines set on a visit of 2026-10-01 and what 2026-11-23 makes of them. */
static const struct {
	const char *deadline;  /* NULL: default (严重: 2026-10-08) */
	long long days_left;
	const char *level;     /* NULL: none */
} cases[NB] = {
	{"2026-11-23", 0, NULL},   {"2026-11-22", -1, "提醒"}, {"2026-11-09", -14, "提醒"}, {"2026-11-08", -15, "通报"},
	{"2026-10-25", -29, "通报"}, {"2026-10-24", -30, "约谈"}, {NULL, -46, "约谈"},
};

/* Files the overdue visit at school B; ids in deadline order of cases. */
static int views_file(const rx_world *w, long long *ids)
{
	json_t *f = json_array(), *v;
	size_t i;
	for (i = 0; i < NB; i++)
		json_array_append_new(f, rx_finding(w, (int)i, cases[i].deadline ? "一般" : "严重", "逾期测试问题",
						    cases[i].deadline));
	v = rx_filed_visit(&w->inspector, w->school_b, "2026-10-01", "专项督导", f);
	i = v ? rx_visit_items(v, ids, NB) : 0;
	json_decref(v);
	return CHECK(i == NB, "the overdue visit made %zu items", i);
}

static void views_derived(const rx_world *w, const long long *ids)
{
	size_t i;
	for (i = 0; i < NB; i++) {
		json_t *it = rx_item(&w->pb, ids[i]);
		const char *level = jstr(it, "escalation");
		CHECK_INT(jint(it, "days_left"), cases[i].days_left, "days_left");
		CHECK(json_is_true(json_object_get(it, "overdue")) == (cases[i].days_left < 0), "overdue at %lld days",
		      -cases[i].days_left);
		CHECK(cases[i].level ? level && !strcmp(level, cases[i].level)
				     : json_is_null(json_object_get(it, "escalation")),
		      "escalation at %lld days overdue: %s", -cases[i].days_left, level ? level : "none");
		json_decref(it);
	}
}

static void views_lists(const rx_world *w)
{
	char path[160];
	http_resp *r;
	long long total;
	json_t *it;
	size_t i;

	snprintf(path, sizeof path, "/api/v1/rectifications?school=%lld&overdue=1", w->school_b);
	CHECK_INT(fixture_total(&w->inspector, path), NB - 1, "overdue items of school B");
	snprintf(path, sizeof path, "/api/v1/rectifications?school=%lld&state=open,reopened", w->school_b);
	CHECK_INT(fixture_total(&w->inspector, path), NB, "open items of school B");
	snprintf(path, sizeof path, "/api/v1/rectifications?school=%lld&state=closed", w->school_b);
	CHECK_INT(fixture_total(&w->inspector, path), 0, "no closed items at school B");
	snprintf(path, sizeof path,
		 "/api/v1/rectifications?town=%lld&severity=%s&from=2026-10-01&to=2026-10-01&per_page=3", w->town,
		 "%E4%B8%A5%E9%87%8D"); /* 严重 */
	r = api(&w->inspector, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK(jint(r->json, "total") >= 1, "the 严重 item found on 2026-10-01 is in the town's list");
	json_array_foreach(json_object_get(r->json, "items"), i, it)
		CHECK(jint(it, "town_id") == w->town && jstr(it, "severity") && !strcmp(jstr(it, "severity"), "严重") &&
			      jstr(it, "found_on") && !strcmp(jstr(it, "found_on"), "2026-10-01"),
		      "town, severity and date filters hold for item %lld", jint(it, "id"));
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/rectifications?school=%lld&per_page=2&page=1", w->school_b);
	r = api(&w->pb, "GET", path, NULL, NULL);
	CHECK_STR(jstr(r->json, "items.0.deadline"), "2026-10-08", "the list is sorted by deadline");
	CHECK_STR(jstr(r->json, "items.1.deadline"), "2026-10-24", "second by deadline");
	CHECK_INT((long long)json_array_size(json_object_get(r->json, "items")), 2, "per_page is honoured");
	total = jint(r->json, "total");
	CHECK(total > 2, "total counts every item of the school, not the page (%lld)", total);
	CHECK(!json_has_key_like(r->json, "total_matching"), "the count's helper column is not shown");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/rectifications?school=%lld&per_page=2&page=%lld", w->school_b,
		 (total + 1) / 2);
	r = api(&w->pb, "GET", path, NULL, NULL);
	CHECK_INT(jint(r->json, "total"), total, "the last page has the same total");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/rectifications?school=%lld&per_page=2&page=%lld", w->school_b,
		 total + 5);
	r = api(&w->pb, "GET", path, NULL, NULL);
	CHECK_INT((long long)json_array_size(json_object_get(r->json, "items")), 0, "a page past the last is empty");
	CHECK_INT(jint(r->json, "total"), total, "and still has the total");
	http_resp_free(r);
	r = api(&w->pb, "GET", "/api/v1/rectifications?state=returned", NULL, NULL);
	CHECK_ERROR(r, 400, "bad_request", "state");
	http_resp_free(r);
	r = api(&w->pb, "GET", "/api/v1/rectifications?from=2026-13-01", NULL, NULL);
	CHECK_ERROR(r, 400, "bad_request", "from");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/rectifications?school=%lld", w->school_b);
	CHECK_INT(fixture_total(&w->pa, path), 0, "another school's principal sees none of them");
}

/* The bureau's escalation list, most overdue first; answering stops the clock. */
static void views_inbox(const rx_world *w, const long long *ids)
{
	http_resp *r = api(&w->head, "GET", "/api/v1/inbox", NULL, NULL);
	long long ev = rx_evidence(&w->pb, 0);
	json_t *it;

	CHECK_STATUS(r, 200);
	CHECK(jint(r->json, "counts.escalations") >= NB - 1, "the escalation list has the overdue items");
	CHECK(jint(r->json, "escalations.0.days_overdue") >= 46, "most overdue first");
	CHECK_INT((long long)json_array_size(json_object_get(r->json, "to_verify")), 0,
		  "the bureau has no to_verify list");
	http_resp_free(r);
	r = api(&w->admin, "GET", "/api/v1/inbox", NULL, NULL);
	CHECK(json_array_size(json_object_get(r->json, "open")) == 0 &&
		      json_array_size(json_object_get(r->json, "escalations")) == 0 &&
		      json_array_size(json_object_get(r->json, "extensions")) == 0,
	      "the admin's inbox is empty");
	http_resp_free(r);

	r = rx_act(&w->pb, ids[6], "answer",
		   json_pack("{s:i,s:s,s:[I]}", "version", 1, "note", "已整改", "evidence_ids", (json_int_t)ev), NULL);
	CHECK_STATUS(r, 200);
	CHECK(json_is_false(json_object_get(r->json, "overdue")) &&
		      json_is_null(json_object_get(r->json, "escalation")),
	      "a submitted item is not overdue");
	http_resp_free(r);
	it = rx_item(&w->pb, ids[5]);
	CHECK_STR(jstr(it, "escalation"), "约谈", "the others are still escalated");
	json_decref(it);
}

/* The day's digest: counts, never an empty one. */
static void views_digest(const rx_world *w)
{
	http_resp *r = api(&w->pb, "GET", "/api/v1/inbox/digest", NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "date"), "2026-11-23", "digest of today");
	CHECK_INT(jint(r->json, "counts.new_items"), NB, "items filed today at school B");
	CHECK_INT(jint(r->json, "counts.escalated"), 5,
		  "the items filed today already overdue and still open (six, one answered) reached their level today");
	CHECK_INT(jint(r->json, "counts.due_soon"), 1, "the item due today");
	http_resp_free(r);
	r = api(&w->pb, "GET", "/api/v1/inbox/digest?date=2026-11-24", NULL, NULL);
	CHECK_INT(jint(r->json, "counts.escalated"), 3,
		  "the next day, the items whose days overdue come to 1, 15 and 30 (提醒, 通报, 约谈)");
	http_resp_free(r);
	r = api(&w->pb, "GET", "/api/v1/inbox/digest?date=2020-01-01", NULL, NULL);
	CHECK_STATUS(r, 204);
	CHECK(r->body_len == 0, "an empty day has no body");
	http_resp_free(r);
	r = api(&w->admin, "GET", "/api/v1/inbox/digest", NULL, NULL);
	CHECK_STATUS(r, 204);
	http_resp_free(r);
	r = api(&w->inspector, "GET", "/api/v1/inbox/digest", NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK(jint(r->json, "counts.answered") >= 1, "the inspector hears of today's answers");
	http_resp_free(r);
	r = api(&w->pb, "GET", "/api/v1/inbox/digest?date=yesterday", NULL, NULL);
	CHECK_ERROR(r, 400, "bad_request", "date");
	http_resp_free(r);
}

static void views_ledger(const rx_world *w)
{
	char path[128];
	const char *cd;
	char *strings;
	http_resp *r;

	snprintf(path, sizeof path, "/api/v1/rectifications/ledger?school=%lld", w->school_b);
	r = api(&w->inspector, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK_STR(jstr(r->json, "summary.sentence"), "共发现问题 7 个，已整改 2 个，其中整改完成 0 个，正在整改 2 个",
		  "the ledger sentence (day 0 and the answered one are 正在整改)");
	CHECK_INT(jint(r->json, "summary.overdue"), 5, "five overdue");
	http_resp_free(r);

	snprintf(path, sizeof path, "/api/v1/rectifications/ledger?school=%lld&format=xlsx", w->school_b);
	r = api(&w->head, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK_STR(resp_header(r, "Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		  "XLSX Content-Type");
	cd = resp_header(r, "Content-Disposition");
	CHECK(cd && strstr(cd, "attachment") && strstr(cd, "filename*=UTF-8''"), "a download with a UTF-8 name");
	CHECK(r->body_len > 4 && !memcmp(r->body, "PK\x03\x04", 4), "a zip file");
	strings = r->body ? rx_xlsx_member(r->body, r->body_len, "xl/sharedStrings.xml") : NULL;
	CHECK(strings && strstr(strings, "共发现问题 7 个，已整改 2 个") && strstr(strings, "整改期限") &&
		      strstr(strings, "整改测试学校乙") && strstr(strings, "逾期测试问题"),
	      "the sheet carries the Chinese headers, the sentence and the rows");
	free(strings);
	http_resp_free(r);
	r = api(&w->pb, "GET", "/api/v1/rectifications/ledger?format=pdf", NULL, NULL);
	CHECK_ERROR(r, 400, "bad_request", "format");
	http_resp_free(r);
	r = api(&w->head, "GET", "/api/v1/rectifications/ledger", NULL, NULL);
	CHECK_INT(jint(r->json, "summary.total"), jint(r->json, "total"), "the county ledger counts every item");
	http_resp_free(r);
	r = api(&w->head, "GET", "/api/v1/rectifications/ledger?from=2026-11-01&to=2026-10-01", NULL, NULL);
	CHECK_ERROR(r, 400, "bad_request", "to");
	http_resp_free(r);
	r = api(&w->head, "GET", "/api/v1/visits?from=2026-11-01&to=2026-10-01", NULL, NULL);
	CHECK_ERROR(r, 400, "bad_request", "to");
	http_resp_free(r);
}

/* The shared strings of the XLSX ledger at path (every text of the sheet), or NULL. */
static char *sheet_strings(const client *c, const char *path)
{
	http_resp *r = api(c, "GET", path, NULL, NULL);
	char *strings = CHECK_STATUS(r, 200) && r->body ? rx_xlsx_member(r->body, r->body_len, "xl/sharedStrings.xml")
							 : NULL;
	http_resp_free(r);
	return strings;
}

/* Filtered by state, the ledger's rows are the state's, but its sentence still counts
 * every item of the school: "已整改 0 个" over the closed ones alone would say nothing. */
static void views_ledger_filtered(const rx_world *w)
{
	char path[160];
	char *strings;
	http_resp *r;
	snprintf(path, sizeof path, "/api/v1/rectifications/ledger?school=%lld&state=closed", w->school_b);
	r = api(&w->inspector, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK_INT(jint(r->json, "total"), 0, "no closed item at school B");
	CHECK_STR(jstr(r->json, "summary.sentence"), "共发现问题 7 个，已整改 2 个，其中整改完成 0 个，正在整改 2 个",
		  "the sentence of a ledger filtered by state counts the whole school");
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/rectifications/ledger?school=%lld&state=open,submitted&overdue=1&format=xlsx",
		 w->school_b);
	strings = sheet_strings(&w->head, path);
	CHECK(strings && strstr(strings, "筛选条件：学校 整改测试学校乙；状态 待整改、已提交待核查；仅逾期；本表 5 项。"),
	      "the sheet names its filters and rows: %.300s", strings ? strstr(strings, "筛选") : "(none)");
	free(strings);
}

/* Text a spreadsheet would decode (_xHHHH_) is written so that it reads back as typed. */
static void views_ledger_escapes(const rx_world *w)
{
	char path[160];
	char *strings;
	json_t *f = json_array(), *v;
	json_array_append_new(f, rx_finding(w, 0, "一般", "_x0041_ 与 =1+1", NULL));
	v = rx_filed_visit(&w->inspector, w->school_b, "2026-11-21", "经常性督导", f);
	CHECK(v != NULL, "the visit with _x0041_ in a finding is filed");
	json_decref(v);
	snprintf(path, sizeof path, "/api/v1/rectifications/ledger?school=%lld&from=2026-11-21&format=xlsx", w->school_b);
	strings = sheet_strings(&w->head, path);
	CHECK(strings && strstr(strings, "<t>_x005F_x0041_ 与 =1+1</t>"), "_x0041_ escaped in the sheet: %.200s",
	      strings && strstr(strings, "x0041") ? strstr(strings, "x0041") - 8 : "(not found)");
	free(strings);
}

void test_rectify_views(void)
{
	const rx_world *w;
	long long ids[NB];

	harness_group("rectify views");
	if (!(w = rx_setup()) || !views_file(w, ids))
		return;
	views_derived(w, ids);
	views_lists(w);
	views_inbox(w, ids);
	views_digest(w);
	views_ledger(w);
	views_ledger_filtered(w);
	views_ledger_escapes(w);
}
