/* test_rect_docs.c - points where docs/api-rectification.md and the code once
 * disagreed: the inbox's extension rows and their extra fields, town_id null
 * for schools directly under the bureau (and ?town=<bureau> finding them), and
 * refusals that name the request's JSON field in both field and message. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rectify_fixtures.h"
#include "suites.h"

/* The row of the inbox's extensions for item id, as a new reference, or NULL. */
static json_t *inbox_extension(const client *c, long long item)
{
	http_resp *r = api(c, "GET", "/api/v1/inbox", NULL, NULL);
	json_t *e, *found = NULL;
	size_t i;
	json_array_foreach(json_object_get(r->json, "extensions"), i, e)
		if (jint(e, "item_id") == item)
			found = json_incref(e);
	http_resp_free(r);
	return found;
}

/* A pending request of school C shows in the bureau head's inbox with the documented fields. */
static void extension_rows(const rx_world *w, long long item)
{
	static const char *const fields[] = {
		"id", "item_id", "requested_by", "requested_by_name", "requested_on", "reason", "deadline_before",
		"deadline_requested", "state", "decided_by", "decided_by_name", "decided_on", "decision_note",
		"created_at", "school_id", "school_name", "item_title", "severity", "deadline", "item_version"};
	json_t *row, *it;
	char *text;
	http_resp *r = rx_act(&w->pc, item, "extensions",
			      json_pack("{s:i,s:s,s:s}", "version", 1, "reason", "等待设备到货", "deadline", "2027-01-15"), NULL);
	size_t i, missing = 0;
	CHECK_STATUS(r, 201);
	http_resp_free(r);
	row = inbox_extension(&w->head, item);
	it = rx_item(&w->head, item);
	if (!CHECK(row && it, "the request is in juzhang's inbox"))
		goto out;
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		missing += json_object_get(row, fields[i]) == NULL;
	text = json_dumps(row, JSON_COMPACT);
	CHECK(missing == 0 && json_object_size(row) == sizeof fields / sizeof fields[0],
	      "the extension row has exactly the documented fields: %s", text ? text : "");
	free(text);
	CHECK_INT(jint(row, "school_id"), w->school_c, "extension row school_id");
	CHECK_INT(jint(row, "item_version"), jint(it, "version"), "item_version is the item's version to act with");
	CHECK_STR(jstr(row, "deadline"), jstr(it, "deadline"), "deadline is the item's current deadline");
	CHECK_STR(jstr(row, "severity"), "一般", "extension row severity");
	CHECK(jstr(row, "item_title") && *jstr(row, "item_title") && jstr(row, "school_name"),
	      "extension row item_title and school_name");
out:
	json_decref(row);
	json_decref(it);
}

/* Expects a 400/422 on field whose message names the field. */
static void refused_naming(http_resp *r, int status, const char *field)
{
	const char *msg = jstr(r->json, "error.message");
	CHECK_ERROR(r, status, status == 422 ? "unprocessable" : "bad_request", field);
	CHECK(msg && strstr(msg, field), "the message names %s: %s", field, msg ? msg : "(none)");
	http_resp_free(r);
}

static void refusals_name_fields(const rx_world *w, long long item, long long ext_item)
{
	long long mine = rx_evidence(&w->pc, 0), other = rx_evidence(&w->pb, 0);
	http_resp *r;
	refused_naming(rx_act(&w->pc, item, "answer", json_pack("{s:i,s:s,s:[]}", "version", 1, "note", "已整改",
							       "evidence_ids"), NULL), 422, "evidence_ids");
	refused_naming(rx_act(&w->pc, item, "answer", json_pack("{s:i,s:s}", "version", 1, "note", "已整改"), NULL), 422,
		       "evidence_ids");
	refused_naming(rx_act(&w->pc, item, "answer", json_pack("{s:i,s:s,s:[I]}", "version", 1, "note", "已整改",
							       "evidence_ids", (json_int_t)other), NULL), 400, "evidence_ids");
	refused_naming(rx_act(&w->pc, item, "answer", json_pack("{s:i,s:[I]}", "version", 1, "evidence_ids",
							       (json_int_t)mine), NULL), 400, "note");
	RX_UNCHANGED(item, "open", 1, 1);
	refused_naming(rx_act(&w->pc, ext_item, "extensions", json_pack("{s:I,s:s}", "version", (json_int_t)2,
									 "deadline", "2027-02-01"), NULL), 400, "reason");
	r = rx_act(&w->pc, item, "answer", json_pack("{s:i,s:s,s:[I]}", "version", 1, "note", "已整改", "evidence_ids",
						    (json_int_t)mine), NULL);
	CHECK_STATUS(r, 200);
	http_resp_free(r);
	refused_naming(rx_act(&w->inspector, item, "return", json_pack("{s:i,s:s}", "version", 2, "note", "照片不清"),
			      NULL), 400, "reason");
	RX_UNCHANGED(item, "submitted", 2, 2);
}

/* Schools directly under the bureau have no town: town_id and town_name are null. */
static void direct_schools(const rx_world *w)
{
	char path[200];
	long long bureau = w->admin.org_id, school = -1;
	http_resp *r;
	snprintf(path, sizeof path, "/api/v1/orgs?kind=school&parent_id=%lld&per_page=1", bureau);
	r = api(&w->admin, "GET", path, NULL, NULL);
	school = jint(r->json, "items.0.id");
	http_resp_free(r);
	if (!CHECK(school > 0, "the demo has a school directly under the bureau"))
		return;
	snprintf(path, sizeof path, "/api/v1/visits?school=%lld&per_page=1", school);
	r = api(&w->head, "GET", path, NULL, NULL);
	CHECK(r->status == 200 && jint(r->json, "total") > 0 && json_is_null(jpath(r->json, "items.0.town_id")) &&
	      json_is_null(jpath(r->json, "items.0.town_name")), "a direct school's visit has town_id null: %.300s", r->body);
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/rectifications?school=%lld&per_page=1", school);
	r = api(&w->head, "GET", path, NULL, NULL);
	CHECK(r->status == 200 && jint(r->json, "total") > 0 && json_is_null(jpath(r->json, "items.0.town_id")),
	      "a direct school's item has town_id null: %.300s", r->body);
	http_resp_free(r);
	snprintf(path, sizeof path, "/api/v1/rectifications?town=%lld&per_page=500", bureau);
	r = api(&w->head, "GET", path, NULL, NULL);
	{
		json_t *it;
		size_t i, with_town = 0;
		json_array_foreach(json_object_get(r->json, "items"), i, it)
			with_town += !json_is_null(json_object_get(it, "town_id"));
		CHECK(r->status == 200 && jint(r->json, "total") > 0 && with_town == 0,
		      "?town=<the bureau> lists the items of the direct schools only (%zu with a town)", with_town);
	}
	http_resp_free(r);
}

void test_rect_docs(void)
{
	const rx_world *w = rx_setup();
	json_t *f, *v;
	long long items[2] = {0, 0};
	harness_group("rectification: documented shapes and field names");
	if (!w)
		return;
	f = json_pack("[o,o]", rx_finding(w, 2, "一般", "校务公开栏未更新", NULL),
		      rx_finding(w, 3, "较重", "安全台账缺页", NULL));
	v = rx_filed_visit(&w->inspector, w->school_c, "2026-11-23", "经常性督导", f);
	if (!CHECK(v && rx_visit_items(v, items, 2) == 2, "filing made two items at school C")) {
		json_decref(v);
		return;
	}
	json_decref(v);
	extension_rows(w, items[0]);
	refusals_name_fields(w, items[1], items[0]);
	direct_schools(w);
}
