/* settings.c - GET /api/v1/settings: the rules the admin sets (default deadlines
 * by severity, escalation thresholds, visits per semester, eligible categories),
 * as the service applies them and as stored; PATCH: the admin changes some of
 * them, each row at the version read, all or nothing, audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "handlers.h"
#include "import.h"
#include "jfield.h"
#include "rectifications.h"
#include "roster.h"
#include "settings.h"
#include "students.h"
#include "visits.h"

/* The rules in force, each read by the function its users call, so that a
 * missing or invalid stored value shows as the default the service applies. */
static json_t *settings_effective(const rectify_rules *rules, long long required, unsigned mask)
{
	json_t *deadline = json_object(), *escalate = json_object(), *categories = json_array();
	int i;
	for (i = SEV_COUNT - 1; i >= 0; i--)
		json_object_set_new(deadline, rectify_severity_name((rect_severity)i),
				    json_integer(rules->deadline_days[i]));
	for (i = ESC_REMIND; i < ESC_COUNT; i++)
		json_object_set_new(escalate, rectify_escalation_name((rect_escalation)i),
				    json_integer(rules->escalate_days[i]));
	for (i = 0; roster_categories[i]; i++)
		if (mask & (1u << i))
			json_array_append_new(categories, json_string(roster_categories[i]));
	return json_pack("{s:o,s:o,s:I,s:o}", "deadline_days", deadline, "escalate_days", escalate,
			 "visits_per_semester", (json_int_t)required, "eligible_categories", categories);
}

int settings_get(http_req *req, http_res *res)
{
	rectify_rules rules;
	long long required = 0;
	unsigned mask = 0;
	json_t *rows = NULL, *out;
	db_status st = rect_db_rules(req->db, &rules);
	if (st == DB_OK)
		st = visits_db_required(req->db, &required);
	if (st == DB_OK)
		st = students_db_eligible_mask(req->db, &mask);
	if (st == DB_OK)
		st = settings_db_rules(req->db, &rows);
	if (st != DB_OK)
		return res_db_error(res, st);
	out = settings_effective(&rules, required, mask);
	json_object_set_new(out, "items", rows);
	return res_json(res, HTTP_ok, out);
}

/* ---------------------------------------------------------------- PATCH */

#define SETTINGS_MAX_CHANGES 16
#define RULE_VALUE_MAX 200
#define NUM_TEXT_(x) #x
#define NUM_TEXT(x) NUM_TEXT_(x) /* a numeric macro as a string literal, for the messages */

typedef struct {
	const char *name;
	long long version;
	char value[RULE_VALUE_MAX]; /* as stored */
} rule_change;

/* A whole-string integer in lo..hi into *out; -1 when it is not one. */
static int parse_range(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Checks value for rule name (a stored rule) and writes it as stored into out;
 * the deadline and escalation days also go into rules. NULL, or what is wrong. */
static const char *rule_value(const char *name, const char *value, rectify_rules *rules, char *out, size_t n)
{
	long v;
	unsigned mask = 0;
	char bad[64];
	size_t i, len = 0;
	if (!strcmp(name, "eligible_categories")) {
		if (import_parse_categories(value, &mask, bad, sizeof(bad)) != 0 || mask == 0)
			return "应为学生类别（建档立卡、防返贫监测、低保、特困供养、残疾、孤儿、留守、随迁），至少一个";
		for (i = 0, *out = '\0'; roster_categories[i]; i++)
			if (mask & (1u << i))
				len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "", roster_categories[i]);
		return NULL;
	}
	if (!strcmp(name, "visits_per_semester")) {
		if (parse_range(value, 1, VISITS_REQUIRED_MAX, &v) != 0)
			return "应为 1 到 " NUM_TEXT(VISITS_REQUIRED_MAX) " 之间的整数（次）";
		snprintf(out, n, "%ld", v);
		return NULL;
	}
	if (parse_range(value, 1, RECTIFY_DAYS_MAX, &v) != 0)
		return "应为 1 到 " NUM_TEXT(RECTIFY_DAYS_MAX) " 之间的整数（天）";
	snprintf(out, n, "%ld", v);
	rectify_rules_set(rules, name, out);
	return NULL;
}

/* The stored row of rule name among rows, or NULL. */
static json_t *rule_row(json_t *rows, const char *name)
{
	json_t *row;
	size_t i;
	json_array_foreach(rows, i, row)
		if (!strcmp(json_string_value(json_object_get(row, "name")), name))
			return row;
	return NULL;
}

/* Reads body items [{name, value, version}] against the stored rows into out;
 * rules starts as the defaults and ends as the rules would be after the change.
 * 0, or a 400 in res. */
static int changes_parse(http_req *req, http_res *res, json_t *rows, rectify_rules *rules, rule_change *out,
			 size_t *n)
{
	json_t *items = NULL, *obj, *row;
	size_t i, k;
	if (jfield_objects(req, res, "items", SETTINGS_MAX_CHANGES, &items))
		return -1;
	if (!items || json_array_size(items) == 0)
		return res_error(res, HTTP_bad_request, "items", "请给出要修改的设置（items）"), -1;
	json_array_foreach(rows, i, row)
		rectify_rules_set(rules, json_string_value(json_object_get(row, "name")),
				  json_string_value(json_object_get(row, "value")));
	json_array_foreach(items, i, obj) {
		char path[32];
		const char *value, *bad;
		snprintf(path, sizeof(path), "items[%zu]", i);
		if (jfield_string(req, res, obj, path, "name", 1, 64, &out[i].name) ||
		    jfield_string(req, res, obj, path, "value", 1, RULE_VALUE_MAX / 4, &value) ||
		    jfield_int(req, res, obj, path, "version", 1, 1, 1LL << 31, &out[i].version))
			return -1;
		if (!rule_row(rows, out[i].name))
			return jfield_error(res, path, "name", "没有名为 %s 的设置", out[i].name);
		for (k = 0; k < i; k++)
			if (!strcmp(out[k].name, out[i].name))
				return jfield_error(res, path, "name", "设置 %s 重复出现", out[i].name);
		if ((bad = rule_value(out[i].name, value, rules, out[i].value, sizeof(out[i].value))) != NULL)
			return jfield_error(res, path, "value", "%s", bad);
	}
	*n = json_array_size(items);
	return 0;
}

/* The escalation days must rise, 提醒 before 通报 before 约谈; the first
 * escalation item of the change is named when they do not. 0, or a 400 in res. */
static int escalation_order(http_res *res, const rectify_rules *rules, const rule_change *c, size_t n)
{
	char field[40];
	size_t i;
	if (rules->escalate_days[ESC_REMIND] < rules->escalate_days[ESC_NOTICE] &&
	    rules->escalate_days[ESC_NOTICE] < rules->escalate_days[ESC_INTERVIEW])
		return 0;
	for (i = 0; i < n && strncmp(c[i].name, "escalate_days_", 14); i++)
		;
	if (i == n)
		return 0; /* out of order in the table already (a hand edit), and not touched here */
	snprintf(field, sizeof(field), "items[%zu].value", i);
	return res_error(res, HTTP_bad_request, field, "逾期天数应依次增大：提醒 %d 天、通报 %d 天、约谈 %d 天不符合",
			 rules->escalate_days[ESC_REMIND], rules->escalate_days[ESC_NOTICE],
			 rules->escalate_days[ESC_INTERVIEW]), -1;
}

int settings_update(http_req *req, http_res *res)
{
	rule_change c[SETTINGS_MAX_CHANGES];
	rectify_rules rules;
	json_t *before = NULL, *after = NULL;
	size_t i, n = 0;
	db_status st;
	rectify_rules_default(&rules);
	if ((st = db_begin(req->db)) != DB_OK || (st = settings_db_rules(req->db, &before)) != DB_OK)
		goto fail;
	if (changes_parse(req, res, before, &rules, c, &n) || escalation_order(res, &rules, c, n)) {
		db_rollback(req->db);
		json_decref(before);
		return res->status;
	}
	for (i = 0; i < n && st == DB_OK; i++)
		st = settings_db_update(req->db, c[i].name, c[i].value, c[i].version);
	if (st != DB_OK || (st = settings_db_rules(req->db, &after)) != DB_OK ||
	    (st = audit_write(req, "update", "settings", 0, before, after)) != DB_OK || (st = db_commit(req->db)) != DB_OK)
		goto fail;
	json_decref(before);
	json_decref(after);
	rect_db_rules_forget();
	return settings_get(req, res);
fail:
	db_rollback(req->db);
	json_decref(before);
	json_decref(after);
	return res_db_error(res, st);
}
