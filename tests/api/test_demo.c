/* test_demo.c - the demo county's year of inspection (DUDAO_TODAY=2026-11-23),
 * read through the API before any other test files a visit: visits in every
 * town and of every kind, items in every state, 约谈 and 通报 items, the one
 * reopened by a 回头看, approved extensions that keep the original deadline,
 * what waits in xiaozhang's, duxue's and juzhang's inboxes, journal dates, the
 * photos, and the ledger sentence against the lists. Then the demo is loaded
 * into scratch databases (dropped and created again): the same today gives the
 * same rows, another today moves every date with it. */
#define _POSIX_C_SOURCE 200809L

#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"
#include "suites.h"

#define TODAY "2026-11-23"
#define OTHER_TODAY "2026-03-16"

static const char *const states[] = {"open", "submitted", "closed", "reopened"};
#define NSTATES 4

/* What the API says the demo holds; the reloads must hold the same. */
typedef struct {
	long long visits, items, by_state[NSTATES];
} demo_counts;

typedef struct {
	client admin, head, duxue, xiaozhang;
} demo_people;

/* ------------------------------------------------------------ helpers */

/* a equals b, both set. */
static int str_is(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* GETs path as c; the JSON (caller decrefs), or NULL after a failed CHECK. */
static json_t *get_json(const client *c, const char *path)
{
	http_resp *r = api(c, "GET", path, NULL, NULL);
	json_t *j = CHECK_STATUS(r, 200) ? json_incref(r->json) : NULL;
	http_resp_free(r);
	return j;
}

static long long state_total(const client *c, const char *query)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/rectifications?%s", query);
	return fixture_total(c, path);
}

/* Every item of the county (as the bureau head), paging through the list. New reference. */
static json_t *all_items(const client *c)
{
	json_t *all = json_array(), *page;
	char path[96];
	int p;
	for (p = 1; p <= 40; p++) {
		snprintf(path, sizeof path, "/api/v1/rectifications?per_page=500&page=%d", p);
		if (!(page = get_json(c, path)))
			break;
		json_array_extend(all, json_object_get(page, "items"));
		json_decref(page);
		if (json_array_size(all) >= (size_t)fixture_total(c, "/api/v1/rectifications?per_page=1"))
			break;
	}
	return all;
}

/* ------------------------------------------------------------ visits */

static void demo_visits_everywhere(const demo_people *p)
{
	json_t *towns = get_json(&p->admin, "/api/v1/orgs?kind=town&per_page=100"), *t;
	char path[160];
	size_t i, with = 0;
	json_array_foreach(json_object_get(towns, "items"), i, t) {
		snprintf(path, sizeof path, "/api/v1/visits?town=%lld&state=filed", jint(t, "id"));
		with += fixture_total(&p->head, path) > 0;
	}
	CHECK(json_array_size(json_object_get(towns, "items")) >= 12, "the demo has its 12 towns");
	CHECK_INT((long long)with, (long long)json_array_size(json_object_get(towns, "items")), "towns with visits");
	json_decref(towns);
	/* 专项督导, 回头看 */
	CHECK(fixture_total(&p->head, "/api/v1/visits?kind=%E4%B8%93%E9%A1%B9%E7%9D%A3%E5%AF%BC") > 0, "专项督导 visits");
	CHECK(fixture_total(&p->head, "/api/v1/visits?kind=%E5%9B%9E%E5%A4%B4%E7%9C%8B") > 0, "回头看 visits");
	CHECK(fixture_total(&p->head, "/api/v1/visits?from=2025-11-24&to=" TODAY) ==
		      fixture_total(&p->head, "/api/v1/visits"),
	      "every visit is in the twelve months before today");
}

/* Most schools have their two visits this semester, some do not. */
static void demo_compliance(const demo_people *p)
{
	json_t *c = get_json(&p->head, "/api/v1/visits/compliance?semester=2026-2");
	long long schools = jint(c, "schools"), ok = jint(c, "compliant");
	CHECK(schools >= 80 && ok * 10 >= schools * 7 && ok < schools,
	      "visit compliance shows most schools with gaps: %lld of %lld", ok, schools);
	json_decref(c);
}

/* The inspectors of the other towns sign in and have filed visits. */
static void demo_inspectors(void)
{
	static const char *const names[] = {"duxue2", "duxue3", "duxue4", "duxue5"};
	client c;
	size_t i;
	for (i = 0; i < 4; i++)
		if (fixture_login(names[i], &c)) {
			CHECK_STR(c.role, "inspector", names[i]);
			CHECK(fixture_total(&c, "/api/v1/visits?state=filed") > 0, "%s sees visits", names[i]);
		}
}

/* ------------------------------------------------------------ items */

static void demo_states(const demo_people *p, demo_counts *n)
{
	char query[64];
	size_t i;
	n->visits = fixture_total(&p->admin, "/api/v1/visits");
	n->items = state_total(&p->head, "per_page=1");
	for (i = 0; i < NSTATES; i++) {
		snprintf(query, sizeof query, "state=%s&per_page=1", states[i]);
		n->by_state[i] = state_total(&p->head, query);
		CHECK(n->by_state[i] > 0, "items in state %s: %lld", states[i], n->by_state[i]);
	}
	CHECK_INT(n->by_state[3], 1, "one item reopened by a 回头看");
	CHECK(n->by_state[2] * 2 > n->items, "most items are closed (%lld of %lld)", n->by_state[2], n->items);
}

/* Overdue items at every level: 约谈 past 30 days, 通报 at 15-29. */
static void demo_escalations(const demo_people *p)
{
	json_t *l = get_json(&p->head, "/api/v1/rectifications?overdue=1&per_page=500"), *it;
	size_t i, interview = 0, notice = 0;
	json_array_foreach(json_object_get(l, "items"), i, it) {
		long long days = jint(it, "days_overdue");
		const char *level = jstr(it, "escalation");
		interview += days > 30 && level && !strcmp(level, "约谈");
		notice += days >= 15 && days <= 29 && level && !strcmp(level, "通报");
	}
	CHECK(interview >= 1, "items overdue past 30 days with 约谈: %zu", interview);
	CHECK(notice >= 1, "items 15-29 days overdue with 通报: %zu", notice);
	json_decref(l);
}

/* The journal runs forward in time from the visit date to today at the latest. */
static void check_journal(const json_t *item)
{
	const char *prev = jstr(item, "found_on"), *on;
	json_t *e;
	size_t i;
	CHECK_STR(jstr(item, "journal.0.on_date"), jstr(item, "found_on"), "the item was created on its visit date");
	json_array_foreach(json_object_get(item, "journal"), i, e) {
		on = jstr(e, "on_date");
		CHECK(on && prev && strcmp(on, prev) >= 0 && strcmp(on, TODAY) <= 0,
		      "item %lld: event %zu on %s (after %s, by today)", jint(item, "id"), i, on ? on : "?", prev ? prev : "?");
		prev = on;
	}
}

/* The reopened item: closed, then reopened with a 回头看 of its school on or after the closing. */
static void demo_reopened(const demo_people *p)
{
	json_t *l = get_json(&p->head, "/api/v1/rectifications?state=reopened"), *item, *e, *visit = NULL;
	char path[64];
	size_t i;
	item = l ? json_incref(json_array_get(json_object_get(l, "items"), 0)) : NULL;
	json_decref(l);
	snprintf(path, sizeof path, "/api/v1/rectifications/%lld", jint(item, "id"));
	json_decref(item);
	if (!(item = get_json(&p->head, path)))
		return;
	CHECK_INT(jint(item, "recurrence_count"), 1, "a recurrence");
	check_journal(item);
	json_array_foreach(json_object_get(item, "journal"), i, e)
		if (str_is(jstr(e, "action"), "reopen")) {
			snprintf(path, sizeof path, "/api/v1/visits/%lld", jint(e, "visit_id"));
			visit = get_json(&p->head, path);
			CHECK_STR(jstr(visit, "kind"), "回头看", "reopened by a 回头看");
			CHECK_INT(jint(visit, "school_id"), jint(item, "school_id"), "of the item's school");
			CHECK(str_is(jstr(visit, "visit_date"), jstr(e, "on_date")), "reopened on the day of the 回头看");
		}
	CHECK(visit != NULL, "the journal has the reopening");
	json_decref(visit);
	json_decref(item);
}

/* An approved extension moved the deadline and kept the original one. */
static void check_extension(const demo_people *p, long long id)
{
	char path[64];
	json_t *item, *x;
	size_t i, approved = 0;
	snprintf(path, sizeof path, "/api/v1/rectifications/%lld", id);
	if (!(item = get_json(&p->head, path)))
		return;
	json_array_foreach(json_object_get(item, "extensions"), i, x)
		approved += str_is(jstr(x, "state"), "approved") &&
			    str_is(jstr(x, "deadline_before"), jstr(item, "original_deadline")) &&
			    str_is(jstr(x, "deadline_requested"), jstr(item, "deadline"));
	CHECK_INT((long long)approved, 1, "an approved request from the original deadline to the new one");
	check_journal(item);
	json_decref(item);
}

/* Items with a moved deadline; the closed ones were on time against it. */
static void demo_extensions(const demo_people *p, const json_t *items)
{
	json_t *it;
	size_t i, moved = 0;
	json_array_foreach(items, i, it)
		if (jstr(it, "deadline") && jstr(it, "original_deadline") &&
		    !str_is(jstr(it, "deadline"), jstr(it, "original_deadline"))) {
			moved++;
			check_extension(p, jint(it, "id"));
		}
	CHECK(moved >= 2, "items with an approved extension (original_deadline != deadline): %zu", moved);
}

/* A closed item's journal and its answer's photo, served as an image. */
static void demo_closed_item(const demo_people *p, const json_t *items)
{
	json_t *it, *item = NULL;
	char path[64];
	size_t i;
	http_resp *r;
	json_array_foreach(items, i, it)
		if (!item && str_is(jstr(it, "state"), "closed") && jint(it, "return_count") == 1) {
			snprintf(path, sizeof path, "/api/v1/rectifications/%lld", jint(it, "id"));
			item = get_json(&p->head, path);
		}
	if (!CHECK(item != NULL, "a closed item that was returned once"))
		return;
	check_journal(item);
	CHECK_INT((long long)json_array_size(json_object_get(item, "journal")), 5, "create, answer, return, answer, close");
	snprintf(path, sizeof path, "/api/v1/evidence/%lld", jint(item, "journal.1.evidence_ids.0"));
	r = api(&p->head, "GET", path, NULL, NULL);
	CHECK_STATUS(r, 200);
	CHECK(r->body_len > 8 && (!memcmp(r->body, "\x89PNG", 4) || !memcmp(r->body, "\xff\xd8\xff", 3)),
	      "the answer's photo is a real PNG or JPEG");
	http_resp_free(r);
	json_decref(item);
}

/* ------------------------------------------------------------ inboxes and the ledger */

static void demo_inboxes(const demo_people *p)
{
	json_t *in = get_json(&p->xiaozhang, "/api/v1/inbox"), *it;
	size_t i, overdue = 0, soon = 0, verify_town = 0;
	json_array_foreach(json_object_get(in, "open"), i, it) {
		overdue += json_is_true(json_object_get(it, "overdue"));
		soon += jint(it, "days_left") >= 0 && jint(it, "days_left") <= 3;
	}
	CHECK(overdue >= 1 && soon >= 1, "xiaozhang's inbox: %zu overdue, %zu due within three days", overdue, soon);
	json_decref(in);
	in = get_json(&p->duxue, "/api/v1/inbox");
	json_array_foreach(json_object_get(in, "to_verify"), i, it)
		verify_town += jint(it, "town_id") == p->duxue.org_id && str_is(jstr(it, "state"), "submitted");
	CHECK(verify_town >= 1 && verify_town == json_array_size(json_object_get(in, "to_verify")),
	      "duxue verifies answers of the town: %zu", verify_town);
	json_decref(in);
	in = get_json(&p->head, "/api/v1/inbox");
	CHECK(jint(in, "counts.extensions") >= 1, "juzhang has an extension request");
	CHECK(jint(in, "counts.escalations") >= 3, "juzhang has an escalation list");
	json_decref(in);
}

/* The sentence bureaus file, against the lists by state. */
static void demo_ledger(const demo_people *p, const demo_counts *n)
{
	long long overdue = state_total(&p->head, "overdue=1&per_page=1");
	long long in_progress = n->by_state[1] + n->by_state[0] + n->by_state[3] - overdue;
	json_t *l = get_json(&p->head, "/api/v1/rectifications/ledger?per_page=1");
	char want[256];
	snprintf(want, sizeof want, "共发现问题 %lld 个，已整改 %lld 个，其中整改完成 %lld 个，正在整改 %lld 个", n->items,
		 n->by_state[2] + in_progress, n->by_state[2], in_progress);
	CHECK_STR(jstr(l, "summary.sentence"), want, "the ledger sentence");
	CHECK_INT(jint(l, "summary.overdue"), overdue, "逾期未整改 = the overdue list");
	CHECK_INT(jint(l, "summary.total"), n->by_state[0] + n->by_state[1] + n->by_state[2] + n->by_state[3],
		  "the total is every state");
	json_decref(l);
}

/* ------------------------------------------------------------ loading again */

static const char SQL_COUNTS[] =
	"SELECT (SELECT COUNT(*) FROM visits), (SELECT COUNT(*) FROM rectification_items),"
	" (SELECT COUNT(*) FROM rectification_items WHERE state = 'open'),"
	" (SELECT COUNT(*) FROM rectification_items WHERE state = 'submitted'),"
	" (SELECT COUNT(*) FROM rectification_items WHERE state = 'closed'),"
	" (SELECT COUNT(*) FROM rectification_items WHERE state = 'reopened')";
/* Every row the demo writes, timestamps and password hashes aside. */
static const char SQL_FINGERPRINT[] =
	"SELECT CONCAT_WS('|',"
	" (SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', id, IFNULL(parent_id, 0), kind, name, IFNULL(code, '-'), stages,"
	"  boarding, path) ORDER BY id SEPARATOR ';')) FROM orgs),"
	" (SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', id, username, display_name, role, org_id) ORDER BY id SEPARATOR ';'))"
	"  FROM users),"
	" (SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', id, school_id, template_id, visit_date, kind, state, summary,"
	"  created_by, IFNULL(filed_by, 0), IFNULL(filed_on, '-')) ORDER BY id SEPARATOR ';')) FROM visits),"
	" (SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', visit_id, user_id) ORDER BY visit_id, user_id SEPARATOR ';'))"
	"  FROM visit_inspectors),"
	" (SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', visit_id, item_id, result, note) ORDER BY visit_id, item_id"
	"  SEPARATOR ';')) FROM visit_answers),"
	" (SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', id, visit_id, position, item_id, severity, description,"
	"  IFNULL(deadline, '-')) ORDER BY id SEPARATOR ';')) FROM findings),"
	" (SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', finding_id, evidence_id) ORDER BY finding_id, evidence_id"
	"  SEPARATOR ';')) FROM finding_evidence),"
	" (SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', id, finding_id, visit_id, school_id, severity, found_on, deadline,"
	"  original_deadline, state, last_action, IFNULL(submitted_on, '-'), IFNULL(closed_on, '-'), return_count,"
	"  recurrence_count, version) ORDER BY id SEPARATOR ';')) FROM rectification_items),"
	" (SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', id, item_id, on_date, user_id, action, IFNULL(from_state, '-'),"
	"  to_state, note, IFNULL(deadline_before, '-'), IFNULL(deadline_after, '-'), IFNULL(extension_id, 0),"
	"  IFNULL(visit_id, 0)) ORDER BY id SEPARATOR ';')) FROM rectification_events),"
	" (SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', event_id, evidence_id) ORDER BY event_id, evidence_id"
	"  SEPARATOR ';')) FROM rectification_event_evidence),"
	" (SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', id, item_id, requested_by, requested_on, reason, deadline_before,"
	"  deadline_requested, state, IFNULL(decided_by, 0), IFNULL(decided_on, '-'), IFNULL(decision_note, '-'))"
	"  ORDER BY id SEPARATOR ';')) FROM rectification_extensions),"
	" (SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', id, org_id, uploaded_by, filename, content_type, size, sha256,"
	"  MD5(data)) ORDER BY id SEPARATOR ';')) FROM evidence))";
/* Dates that must follow today: visits in the year before it, events by it. */
static const char SQL_DATES[] =
	"SELECT (SELECT COUNT(*) FROM visits WHERE visit_date > @today OR visit_date < @today - INTERVAL 364 DAY)"
	" + (SELECT COUNT(*) FROM rectification_events WHERE on_date > @today),"
	" (SELECT MAX(visit_date) >= @today - INTERVAL 14 DAY FROM visits),"
	" (SELECT COUNT(*) FROM rectification_items WHERE state IN ('open', 'reopened')"
	"  AND DATEDIFF(@today, deadline) > 30)";

/* Runs sql on the scratch database and copies the first row's columns (at most
 * n) into out. Returns the number of columns, or -1. */
static int scratch_query(const char *dbname, const char *setup, const char *sql, char out[][160], int n)
{
	MYSQL *m = mysql_init(NULL);
	MYSQL_RES *res = NULL;
	MYSQL_ROW row;
	int k = -1, i;
	if (m && mysql_real_connect(m, NULL, "root", NULL, dbname, 0, getenv("DUDAO_TEST_SOCKET"), 0) &&
	    mysql_set_character_set(m, "utf8mb4") == 0 &&
	    mysql_query(m, "SET SESSION group_concat_max_len = 1073741824") == 0 && (!setup || !mysql_query(m, setup)) &&
	    mysql_query(m, sql) == 0 && (res = mysql_store_result(m)) && (row = mysql_fetch_row(res))) {
		k = (int)mysql_num_fields(res) < n ? (int)mysql_num_fields(res) : n;
		for (i = 0; i < k; i++)
			snprintf(out[i], 160, "%s", row[i] ? row[i] : "NULL");
	}
	if (k < 0)
		fprintf(stderr, "test_demo: query on %s failed: %s\n", dbname, m ? mysql_error(m) : "no memory");
	if (res)
		mysql_free_result(res);
	mysql_close(m);
	return k;
}

/* Runs `dudao <cmd>` on the database at url with today; 1 when it exited 0. */
static int scratch_run(const char *url, const char *today, const char *cmd)
{
	char *saved_db = getenv("DUDAO_DB") ? strdup(getenv("DUDAO_DB")) : NULL;
	char *saved_today = getenv("DUDAO_TODAY") ? strdup(getenv("DUDAO_TODAY")) : NULL, *out;
	int ok;
	setenv("DUDAO_DB", url, 1);
	setenv("DUDAO_TODAY", today, 1);
	out = server_run_capture(cmd);
	if (saved_db)
		setenv("DUDAO_DB", saved_db, 1);
	if (saved_today)
		setenv("DUDAO_TODAY", saved_today, 1);
	free(saved_db);
	free(saved_today);
	ok = out != NULL;
	free(out);
	return ok;
}

/* Drops and creates the scratch database and loads the demo for today into it. */
static int scratch_load(const char *url, const char *today)
{
	int ok = scratch_run(url, today, "dropdb") && scratch_run(url, today, "migrate") &&
		 scratch_run(url, today, "demo");
	return CHECK(ok, "dropdb, migrate and demo on the scratch database (today %s)", today);
}

/* Loads twice with the same today: the same rows, and the counts the API showed. */
static void demo_reload(const demo_counts *n, const char *dbname, const char *url)
{
	char a[16][160], b[16][160], want[6][160];
	int k;
	if (!scratch_load(url, TODAY) || scratch_query(dbname, NULL, SQL_FINGERPRINT, a, 1) != 1 ||
	    !scratch_load(url, TODAY) || scratch_query(dbname, NULL, SQL_FINGERPRINT, b, 1) != 1 ||
	    !CHECK(scratch_query(dbname, NULL, SQL_COUNTS, b + 1, 6) == 6, "counts of the reloaded demo"))
		return;
	CHECK_STR(b[0], a[0], "the same today gives the same rows");
	snprintf(want[0], 160, "%lld", n->visits);
	snprintf(want[1], 160, "%lld", n->items);
	for (k = 0; k < NSTATES; k++)
		snprintf(want[2 + k], 160, "%lld", n->by_state[k]);
	for (k = 0; k < 6; k++)
		CHECK_STR(b[1 + k], want[k], k == 0 ? "visits after reloading" : k == 1 ? "items after reloading"
										  : states[k - 2]);
}

/* Another today moves every date with it and keeps every case. */
static void demo_other_today(const char *dbname, const char *url)
{
	char d[3][160], s[6][160];
	if (!scratch_load(url, OTHER_TODAY) ||
	    !CHECK(scratch_query(dbname, "SET @today = '" OTHER_TODAY "'", SQL_DATES, d, 3) == 3 &&
			   scratch_query(dbname, NULL, SQL_COUNTS, s, 6) == 6,
		   "reading the demo of " OTHER_TODAY))
		return;
	CHECK_STR(d[0], "0", "visits in the year before " OTHER_TODAY ", events by it");
	CHECK_STR(d[1], "1", "visits up to the last fortnight");
	CHECK(atoll(d[2]) >= 1, "items past 30 days overdue on " OTHER_TODAY);
	CHECK(atoll(s[2]) > 0 && atoll(s[3]) > 0 && atoll(s[4]) > 0 && atoll(s[5]) == 1,
	      "every state on " OTHER_TODAY ": %s open, %s submitted, %s closed, %s reopened", s[2], s[3], s[4], s[5]);
}

static void demo_loading(const demo_counts *n)
{
	const char *sock = getenv("DUDAO_TEST_SOCKET");
	char dbname[64], url[700];
	snprintf(dbname, sizeof dbname, "dudao_api_%ld_demo", (long)getpid());
	snprintf(url, sizeof url, "mysql://root@localhost/%s?socket=%s", dbname, sock ? sock : "");
	demo_reload(n, dbname, url);
	demo_other_today(dbname, url);
	CHECK(scratch_run(url, TODAY, "dropdb"), "dropping the scratch database");
}

void test_demo(void)
{
	demo_people p;
	demo_counts n;
	json_t *items;

	harness_group("demo county");
	if (!fixture_login("admin", &p.admin) || !fixture_login("juzhang", &p.head) ||
	    !fixture_login("duxue", &p.duxue) || !fixture_login("xiaozhang", &p.xiaozhang))
		return;
	demo_visits_everywhere(&p);
	demo_compliance(&p);
	demo_inspectors();
	demo_states(&p, &n);
	demo_escalations(&p);
	demo_reopened(&p);
	items = all_items(&p.head);
	CHECK_INT((long long)json_array_size(items), n.items, "every item read");
	demo_extensions(&p, items);
	demo_closed_item(&p, items);
	json_decref(items);
	demo_inboxes(&p);
	demo_ledger(&p, &n);
	demo_loading(&n);
}
