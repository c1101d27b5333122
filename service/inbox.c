/* inbox.c - GET /api/v1/inbox: what waits for the signed-in user, by role
 * (a principal's open items by deadline, an inspector's answers to verify, the
 * bureau's extension requests and escalation list), and GET
 * /api/v1/inbox/digest: the day's counts for a daily message, 204 when there
 * is nothing to say (never an empty digest). */
#include <string.h>

#include "handlers.h"
#include "jfield.h"
#include "rectifications.h"

#define INBOX_LIMIT 200
#define DUE_SOON_DAYS 3

/* Items of f (first INBOX_LIMIT by deadline) into out[key] and counts[key]. */
static db_status inbox_items(http_req *req, const rect_filter *f, const rectify_rules *rules, json_t *out,
			     const char *key)
{
	paging pg = {INBOX_LIMIT, 0, 1};
	json_t *items;
	long long total = 0;
	db_status st = rect_db_list(req->db, f, rules, &pg, 0, &items, &total);
	if (st != DB_OK)
		return st;
	json_object_set_new(out, key, items);
	json_object_set_new(json_object_get(out, "counts"), key, json_integer(total));
	return DB_OK;
}

static db_status inbox_extensions(http_req *req, json_t *out)
{
	json_t *items;
	long long total = 0;
	/* nobody decides their own school's requests (to_verify likewise) */
	db_status st = rect_db_pending_extensions(req->db, req->user.org_path, req->user.org_id, INBOX_LIMIT,
						  &items, &total);
	if (st != DB_OK)
		return st;
	json_object_set_new(out, "extensions", items);
	json_object_set_new(json_object_get(out, "counts"), "extensions", json_integer(total));
	return DB_OK;
}

/* Fills the lists that belong to the user's role. */
static db_status inbox_fill(http_req *req, const rectify_rules *rules, json_t *out)
{
	rect_filter f = {.scope_path = req->user.org_path, .today = req->today};
	db_status st = DB_OK;
	switch (req->user.role) {
	case ROLE_PRINCIPAL:
		f.states[0] = rectify_state_name(RS_OPEN);
		f.states[1] = rectify_state_name(RS_REOPENED);
		return inbox_items(req, &f, rules, out, "open");
	case ROLE_INSPECTOR:
		f.states[0] = rectify_state_name(RS_SUBMITTED);
		f.not_school_id = req->user.org_id; /* nobody verifies their own school */
		if ((st = inbox_items(req, &f, rules, out, "to_verify")) != DB_OK)
			return st;
		return inbox_extensions(req, out);
	case ROLE_BUREAU_HEAD:
		if ((st = inbox_extensions(req, out)) != DB_OK)
			return st;
		f.overdue_only = 1;
		return inbox_items(req, &f, rules, out, "escalations");
	default:
		return DB_OK;
	}
}

int inbox_get(http_req *req, http_res *res)
{
	rectify_rules rules;
	json_t *out = json_pack("{s:s,s:s,s:[],s:[],s:[],s:[],s:{s:i,s:i,s:i,s:i}}", "today", req->today, "role",
				role_name(req->user.role), "open", "to_verify", "extensions", "escalations", "counts",
				"open", 0, "to_verify", 0, "extensions", 0, "escalations", 0);
	db_status st = rect_db_rules(req->db, &rules);
	if (st == DB_OK)
		st = inbox_fill(req, &rules, out);
	if (st != DB_OK) {
		json_decref(out);
		return res_db_error(res, st);
	}
	return res_json(res, HTTP_ok, out);
}

/* The journal actions of the day each role hears about, as digest keys. */
static const struct {
	int role;
	const char *action, *key;
} digest_actions[] = {
	{ROLE_PRINCIPAL, "create", "new_items"},
	{ROLE_PRINCIPAL, "return", "returned"},
	{ROLE_PRINCIPAL, "close", "closed"},
	{ROLE_PRINCIPAL, "reopen", "reopened"},
	{ROLE_PRINCIPAL, "extension_approve", "extensions_approved"},
	{ROLE_PRINCIPAL, "extension_refuse", "extensions_refused"},
	{ROLE_INSPECTOR, "answer", "answered"},
	{ROLE_INSPECTOR, "extension_request", "extension_requests"},
	{ROLE_BUREAU_HEAD, "extension_request", "extension_requests"},
	{ROLE_BUREAU_HEAD, "close", "closed"},
};

/* The counts of the day for the user's role and their sum. New reference in *out. */
static db_status digest_counts(http_req *req, const char *date, json_t **out, long long *sum)
{
	rectify_rules rules;
	json_t *day = NULL;
	long long escalated = 0, due = 0;
	size_t i;
	db_status st = rect_db_rules(req->db, &rules);
	if (st == DB_OK)
		st = rect_db_day_actions(req->db, req->user.org_path, date, &day);
	if (st == DB_OK)
		st = rect_db_day_escalations(req->db, req->user.org_path, date, req->today, &rules, &escalated);
	if (st == DB_OK && req->user.role == ROLE_PRINCIPAL)
		st = rect_db_due_within(req->db, req->user.org_path, date, req->today, DUE_SOON_DAYS, &due);
	*out = json_object();
	*sum = escalated + due;
	for (i = 0; st == DB_OK && i < sizeof(digest_actions) / sizeof(digest_actions[0]); i++)
		if (digest_actions[i].role == req->user.role) {
			long long n = json_integer_value(json_object_get(day, digest_actions[i].action));
			json_object_set_new(*out, digest_actions[i].key, json_integer(n));
			*sum += n;
		}
	json_object_set_new(*out, "escalated", json_integer(escalated));
	if (req->user.role == ROLE_PRINCIPAL)
		json_object_set_new(*out, "due_soon", json_integer(due));
	json_decref(day);
	return st;
}

int inbox_digest(http_req *req, http_res *res)
{
	const char *date = req->today;
	json_t *counts = NULL;
	long long sum = 0;
	db_status st;
	if (qfield_date(req, res, "date", &date))
		return res->status;
	if (!(req->user.role & (ROLE_PRINCIPAL | ROLE_INSPECTOR | ROLE_BUREAU_HEAD)))
		return res->status = HTTP_no_content;
	if ((st = digest_counts(req, date, &counts, &sum)) != DB_OK) {
		json_decref(counts);
		return res_db_error(res, st);
	}
	if (sum == 0) {
		json_decref(counts);
		return res->status = HTTP_no_content;
	}
	return res_json(res, HTTP_ok, json_pack("{s:s,s:I,s:s,s:o}", "date", date, "user_id", (json_int_t)req->user.id,
						"role", role_name(req->user.role), "counts", counts));
}
