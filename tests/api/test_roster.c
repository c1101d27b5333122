/* test_roster.c - students, households, staff, pairings and home visits over
 * HTTP: the rules each write follows, version checks, enrolment history, the
 * unpaired list, scope (another school's principal gets 404), name masking per
 * role, ID numbers never returned whole, and audited bulk reads. */
#define _POSIX_C_SOURCE 200809L

#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TODAY "2026-11-23" /* DUDAO_TODAY of the service under test */

/* base/id + suffix, e.g. ("/api/v1/students", 7, "/enrolments"). */
static void id_path(char *out, size_t n, const char *base, long long id, const char *suffix)
{
	snprintf(out, n, "%s/%lld%s", base, id, suffix);
}

static http_resp *get_path(const client *c, const char *base, long long id, const char *suffix)
{
	char path[256];
	id_path(path, sizeof path, base, id, suffix);
	return api(c, "GET", path, NULL, NULL);
}

static http_resp *send_path(const client *c, const char *method, const char *base, long long id, const char *suffix,
			    json_t *body)
{
	char path[256];
	id_path(path, sizeof path, base, id, suffix);
	return api_json(c, method, path, body);
}

static json_t *student_body(long long school, const char *name, const char *id, const char *grade)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:[s],s:s,s:{s:s,s:s}}", "school_id", (json_int_t)school, "name", name,
			 "id_number", id, "grade", grade, "categories", "建档立卡", "start_date", "2025-09-01", "household",
			 "head_name", "测试户主", "address", "测试村1组");
}

/* POSTs a student that must be refused with status and field; the count stays. */
static void student_refused(const roster_demo *d, const client *c, json_t *body, int status, const char *field,
			    const char *what)
{
	long long before = roster_count(&d->aid, "students", NULL);
	http_resp *r = api_json(c, "POST", "/api/v1/students", body);
	CHECK(r->status == status && (field[0] ? jstr(r->json, "error.field") && !strcmp(jstr(r->json, "error.field"), field)
					       : json_is_null(jpath(r->json, "error.field"))),
	      "%s: want %d on %s, got %d %.300s", what, status, field, r->status, r->body);
	http_resp_free(r);
	CHECK_INT(roster_count(&d->aid, "students", NULL), before, what);
}

/* ---------------------------------------------------------------- students */

static long long student_create(const roster_demo *d, char id[19])
{
	http_resp *r;
	long long sid = -1;
	roster_id_number("20170315", 100, id); /* an even 17th digit: female */
	r = api_json(&d->principal, "POST", "/api/v1/students", student_body(d->school, "罗小明", id, "三年级"));
	if (CHECK_STATUS(r, 201))
		sid = jint(r->json, "id");
	CHECK_STR(jstr(r->json, "name"), "罗小明", "the principal sees the name");
	CHECK_STR(jstr(r->json, "id_last4"), id + 14, "only the last four characters of the ID number");
	CHECK(!strstr(r->body, id) && !json_has_key_like(r->json, "hash") && !json_has_key_like(r->json, "id_number"),
	      "the whole ID number is never returned");
	CHECK_STR(jstr(r->json, "gender"), "女", "gender from the ID number");
	CHECK_STR(jstr(r->json, "birth_date"), "2017-03-15", "birth date from the ID number");
	CHECK_STR(jstr(r->json, "stage"), "小学", "stage from the grade");
	CHECK_STR(jstr(r->json, "enrolments.0.start_date"), "2025-09-01", "the first enrolment");
	CHECK_STR(jstr(r->json, "household.head_name"), "测试户主", "the household");
	CHECK_INT(jint(r->json, "version"), 1, "a new student's version");
	http_resp_free(r);
	return sid;
}

static void student_rules(const roster_demo *d, const char *id)
{
	char other[19];
	json_t *b;
	roster_id_number("20170316", 102, other);
	student_refused(d, &d->principal, student_body(d->school, "重复", id, "三年级"), 409, "id_number",
			"an ID number already registered");
	b = student_body(d->school, "校验", other, "三年级");
	other[17] = other[17] == '0' ? '1' : '0';
	json_object_set_new(b, "id_number", json_string(other));
	student_refused(d, &d->principal, b, 400, "id_number", "a wrong check digit");
	roster_id_number("20170316", 102, other);
	b = student_body(d->school, "性别", other, "三年级");
	json_object_set_new(b, "gender", json_string("男"));
	student_refused(d, &d->principal, b, 400, "gender", "a gender the ID number contradicts");
	student_refused(d, &d->principal, student_body(d->other, "越界", other, "三年级"), 400, "school_id",
			"another school than the principal's");
	student_refused(d, &d->principal, student_body(d->school, "学段", other, "八年级"), 400, "stage",
			"a stage the school does not teach");
	b = student_body(d->school, "未来", other, "三年级");
	json_object_set_new(b, "start_date", json_string("2027-01-01"));
	student_refused(d, &d->principal, b, 400, "start_date", "an enrolment after today");
	student_refused(d, &d->head, student_body(d->school, "局长", other, "三年级"), 403, "", "a bureau head writing");
}

static void student_patch(const roster_demo *d, long long sid)
{
	http_resp *r = send_path(&d->principal, "PATCH", "/api/v1/students", sid, "",
				 json_pack("{s:i,s:s,s:b}", "version", 1, "grade", "四年级", "boarding", 1));
	CHECK(r->status == 200 && jint(r->json, "version") == 2 && !strcmp(jstr(r->json, "grade"), "四年级"),
	      "PATCH with the version: %.200s", r->body);
	http_resp_free(r);
	r = send_path(&d->principal, "PATCH", "/api/v1/students", sid, "",
		      json_pack("{s:i,s:s}", "version", 1, "grade", "五年级"));
	CHECK_ERROR(r, 409, "conflict", FIELD_ANY);
	http_resp_free(r);
	r = get_path(&d->principal, "/api/v1/students", sid, "");
	CHECK(!strcmp(jstr(r->json, "grade"), "四年级") && jint(r->json, "version") == 2, "a stale PATCH changed nothing");
	http_resp_free(r);
}

/* 辍学 then 劝返复学 with dates; history kept, wrong dates refused. */
static void student_enrolments(const roster_demo *d, long long sid)
{
	http_resp *r = send_path(&d->principal, "POST", "/api/v1/students", sid, "/enrolments",
				 json_pack("{s:i,s:s,s:s}", "version", 2, "status", "辍学", "date", "2026-10-01"));
	CHECK(r->status == 201 && !strcmp(jstr(r->json, "status"), "辍学") &&
	      !strcmp(jstr(r->json, "enrolments.0.end_date"), "2026-09-30"), "辍学 closes the enrolment the day before: %.500s",
	      r->body);
	http_resp_free(r);
	r = send_path(&d->principal, "POST", "/api/v1/students", sid, "/enrolments",
		      json_pack("{s:i,s:s,s:s}", "version", 3, "status", "劝返复学", "date", "2026-09-15"));
	CHECK_ERROR(r, 422, "unprocessable", "date");
	http_resp_free(r);
	r = send_path(&d->principal, "POST", "/api/v1/students", sid, "/enrolments",
		      json_pack("{s:i,s:s,s:s}", "version", 3, "status", "劝返复学", "date", "2027-01-01"));
	CHECK_ERROR(r, 422, "unprocessable", "date");
	http_resp_free(r);
	r = send_path(&d->principal, "POST", "/api/v1/students", sid, "/enrolments",
		      json_pack("{s:i,s:s,s:s}", "version", 3, "status", "辍学", "date", "2026-11-01"));
	CHECK_ERROR(r, 422, "unprocessable", "status");
	http_resp_free(r);
	r = send_path(&d->principal, "POST", "/api/v1/students", sid, "/enrolments",
		      json_pack("{s:i,s:s,s:s}", "version", 3, "status", "劝返复学", "date", "2026-11-01"));
	CHECK(r->status == 201 && json_array_size(json_object_get(r->json, "enrolments")) == 3 &&
	      jstr(r->json, "enrolments.2.end_date") == NULL && jint(r->json, "version") == 4,
	      "劝返复学 opens a third enrolment: %.600s", r->body);
	http_resp_free(r);
}

/* ---------------------------------------------------------------- scope and privacy */

static const char *first_name(const client *c, const char *query)
{
	static char name[64];
	char path[256];
	http_resp *r;
	snprintf(path, sizeof path, "/api/v1/students?%s", query);
	r = api(c, "GET", path, NULL, NULL);
	snprintf(name, sizeof name, "%s", jstr(r->json, "items.0.name") ? jstr(r->json, "items.0.name") : "?");
	http_resp_free(r);
	return name;
}

static void privacy(const roster_demo *d, long long sid, const char *id)
{
	char q[128];
	http_resp *r;
	snprintf(q, sizeof q, "id_number=%s", id);
	CHECK_STR(first_name(&d->principal, q), "罗小明", "principal: full name");
	CHECK_STR(first_name(&d->aid, q), "罗小明", "aid officer: full name");
	CHECK_STR(first_name(&d->head, q), "罗*明", "bureau head: masked");
	CHECK_STR(first_name(&d->inspector, q), "罗*明", "inspector: masked");
	CHECK_STR(first_name(&d->admin, q), "罗*明", "admin: masked");
	CHECK_STR(first_name(&d->head, "q=%E7%BD%97%E5%B0%8F%E6%98%8E"), "?", "a masked role cannot search by name");
	r = get_path(&d->head, "/api/v1/students", sid, "");
	CHECK(!strcmp(jstr(r->json, "name"), "罗*明") && !strcmp(jstr(r->json, "household.head_name"), "测*主") &&
	      json_is_null(jpath(r->json, "household.address")), "one student, masked for the bureau head: %.300s", r->body);
	http_resp_free(r);
	r = api(&d->inspector, "GET", "/api/v1/households", NULL, NULL);
	CHECK(r->status == 200 && !strstr(r->body, "测试户主") && !strstr(r->body, "测试村"),
	      "households show no head name or address to an inspector");
	http_resp_free(r);
}

static void scope(const roster_demo *d, long long sid, const char *id)
{
	client other;
	http_resp *r;
	if (!fixture_login(d->other_principal, &other))
		return;
	r = get_path(&other, "/api/v1/students", sid, "");
	CHECK_ERROR(r, 404, "not_found", NULL);
	http_resp_free(r);
	r = send_path(&other, "PATCH", "/api/v1/students", sid, "", json_pack("{s:i,s:s}", "version", 4, "grade", "九年级"));
	CHECK_ERROR(r, 404, "not_found", NULL);
	http_resp_free(r);
	r = send_path(&other, "POST", "/api/v1/students", sid, "/enrolments",
		      json_pack("{s:i,s:s,s:s}", "version", 4, "status", "转出", "date", TODAY));
	CHECK_ERROR(r, 404, "not_found", NULL);
	http_resp_free(r);
	{
		char q[64];
		snprintf(q, sizeof q, "id_number=%s", id);
		CHECK_INT(roster_count(&other, "students", q), 0, "another school's principal does not list ours");
	}
	r = get_path(&d->principal, "/api/v1/students", sid, "");
	CHECK(jint(r->json, "version") == 4 && !strcmp(jstr(r->json, "grade"), "四年级"), "out-of-scope writes changed nothing");
	http_resp_free(r);
}

/* ---------------------------------------------------------------- staff, pairings, visits */

static long long staff_create(const roster_demo *d)
{
	http_resp *r = api_json(&d->principal, "POST", "/api/v1/staff",
				json_pack("{s:I,s:s,s:[s,s],s:s,s:s}", "school_id", (json_int_t)d->school, "name", "结对老师",
					  "roles", "班主任", "党员", "position", "三年级班主任", "phone", "13900000000"));
	long long id = r->status == 201 ? jint(r->json, "id") : -1;
	CHECK(id > 0 && strstr(r->body, "\"roles\":[\"班主任\",\"党员\"]"), "staff created: %.300s", r->body);
	http_resp_free(r);
	r = api_json(&d->principal, "POST", "/api/v1/staff",
		     json_pack("{s:I,s:s}", "school_id", (json_int_t)d->other, "name", "越界老师"));
	CHECK_ERROR(r, 400, "bad_request", "school_id");
	http_resp_free(r);
	r = send_path(&d->principal, "PATCH", "/api/v1/staff", id, "", json_pack("{s:i,s:s}", "version", 1, "phone", "abc"));
	CHECK_ERROR(r, 400, "bad_request", "phone");
	http_resp_free(r);
	return id;
}

/* 1 when the student with this ID number is on the school's unpaired list on date (NULL: today). */
static long long unpaired(const roster_demo *d, const char *id, const char *date)
{
	char q[160];
	snprintf(q, sizeof q, "school_id=%lld&unpaired=1&id_number=%s%s%s", d->school, id, date ? "&date=" : "",
		 date ? date : "");
	return roster_count(&d->principal, "students", q);
}

static long long pairing_create(const roster_demo *d, long long staff, long long sid, const char *id)
{
	long long pid = -1;
	http_resp *r = api_json(&d->principal, "POST", "/api/v1/pairings",
				json_pack("{s:I,s:I,s:s,s:s}", "staff_id", (json_int_t)staff, "student_id", (json_int_t)sid,
					  "start_date", "2026-11-01", "end_date", "2026-10-01"));
	CHECK_ERROR(r, 400, "bad_request", "end_date");
	http_resp_free(r);
	CHECK_INT(unpaired(d, id, NULL), 1, "the new 建档立卡 student is on the unpaired list");
	CHECK_INT(unpaired(d, id, "2026-10-15"), 0, "not on it while 辍学 (not enrolled)");
	r = api_json(&d->principal, "POST", "/api/v1/pairings",
		     json_pack("{s:I,s:I,s:s}", "staff_id", (json_int_t)staff, "student_id", (json_int_t)sid, "start_date",
			       "2026-11-01"));
	if (CHECK_STATUS(r, 201))
		pid = jint(r->json, "id");
	CHECK(json_is_true(json_object_get(r->json, "active")), "the pairing is active today");
	http_resp_free(r);
	CHECK_INT(unpaired(d, id, NULL), 0, "paired: off the unpaired list");
	CHECK_INT(unpaired(d, id, "2026-09-20"), 1, "still unpaired on a date before the pairing");
	r = api_json(&d->principal, "POST", "/api/v1/pairings",
		     json_pack("{s:I,s:I,s:s}", "staff_id", (json_int_t)staff, "student_id", (json_int_t)sid, "start_date",
			       "2026-11-10"));
	CHECK_ERROR(r, 409, "conflict", "student_id");
	http_resp_free(r);
	return pid;
}

static void pairing_end(const roster_demo *d, long long id)
{
	http_resp *r = send_path(&d->principal, "PATCH", "/api/v1/pairings", id, "",
				 json_pack("{s:i,s:s}", "version", 1, "end_date", "2026-10-31"));
	CHECK_ERROR(r, 400, "bad_request", "end_date");
	http_resp_free(r);
	r = get_path(&d->principal, "/api/v1/pairings", id, "");
	CHECK(jint(r->json, "version") == 1 && json_is_null(jpath(r->json, "end_date")), "a refused end changed nothing");
	http_resp_free(r);
	r = send_path(&d->principal, "PATCH", "/api/v1/pairings", id, "",
		      json_pack("{s:i,s:s,s:s}", "version", 1, "end_date", "2026-11-20", "note", "学生转学"));
	CHECK(r->status == 200 && !strcmp(jstr(r->json, "end_date"), "2026-11-20") &&
	      json_is_false(json_object_get(r->json, "active")), "ended: %.300s", r->body);
	http_resp_free(r);
}

static void home_visits(const roster_demo *d, long long staff, long long sid)
{
	http_resp *r = api_json(&d->principal, "POST", "/api/v1/home-visits",
				json_pack("{s:I,s:I,s:s,s:s,s:s}", "student_id", (json_int_t)sid, "staff_id", (json_int_t)staff,
					  "visit_date", "2026-11-05", "kind", "入户", "note", "了解学习情况"));
	CHECK(r->status == 201 && !strcmp(jstr(r->json, "kind"), "入户"), "a home visit logged: %.300s", r->body);
	http_resp_free(r);
	r = api_json(&d->principal, "POST", "/api/v1/home-visits",
		     json_pack("{s:I,s:I,s:s,s:s}", "student_id", (json_int_t)sid, "staff_id", (json_int_t)staff, "visit_date",
			       "2026-12-01", "kind", "入户"));
	CHECK_ERROR(r, 400, "bad_request", "visit_date");
	http_resp_free(r);
	r = api_json(&d->principal, "POST", "/api/v1/home-visits",
		     json_pack("{s:I,s:I,s:s,s:s}", "student_id", (json_int_t)sid, "staff_id", (json_int_t)staff, "visit_date",
			       "2026-11-06", "kind", "写信"));
	CHECK_ERROR(r, 400, "bad_request", "kind");
	http_resp_free(r);
	{
		char path[128];
		snprintf(path, sizeof path, "/api/v1/home-visits?student_id=%lld", sid);
		r = api(&d->inspector, "GET", path, NULL, NULL);
	}
	CHECK(r->status == 200 && jint(r->json, "total") == 1 && !strcmp(jstr(r->json, "items.0.student_name"), "罗*明"),
	      "the inspector sees the visit with the name masked: %.300s", r->body);
	http_resp_free(r);
}

static void bulk_reads_audited(const roster_demo *d)
{
	long long before = roster_count(&d->admin, "audit", "entity=students");
	http_resp *r = api(&d->head, "GET", "/api/v1/students", NULL, NULL);
	http_resp_free(r);
	r = api(&d->admin, "GET", "/api/v1/audit?entity=students&per_page=1", NULL, NULL);
	CHECK(jint(r->json, "total") == before + 1 && !strcmp(jstr(r->json, "items.0.action"), "read") &&
	      json_is_true(jpath(r->json, "items.0.after.masked")), "a list of students is logged as a read: %.300s", r->body);
	http_resp_free(r);
}

void test_roster(void)
{
	roster_demo d;
	char id[19];
	long long sid, staff, pairing;
	harness_group("roster: students");
	if (!roster_schools(&d))
		return;
	sid = student_create(&d, id);
	if (sid <= 0)
		return;
	student_rules(&d, id);
	student_patch(&d, sid);
	student_enrolments(&d, sid);
	harness_group("roster: scope and privacy");
	privacy(&d, sid, id);
	scope(&d, sid, id);
	bulk_reads_audited(&d);
	harness_group("roster: staff, pairings, home visits");
	staff = staff_create(&d);
	pairing = staff > 0 ? pairing_create(&d, staff, sid, id) : -1;
	if (pairing > 0)
		pairing_end(&d, pairing);
	if (staff > 0)
		home_visits(&d, staff, sid);
}
