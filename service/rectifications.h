/* rectifications.h - rectification items in the database: the typed row the
 * actions change, the journal, extension requests, lists and counts. Shared by
 * the item handlers (rectifications.c), filing a visit (visits.c), the inbox
 * and the ledger. Scope is always the caller's org path prefix. */
#ifndef DUDAO_RECTIFICATIONS_H
#define DUDAO_RECTIFICATIONS_H

#include <jansson.h>

#include "db.h"
#include "http.h"
#include "rectify.h"

/* The mutable part of an item, as the actions read and write it. Dates are
 * "YYYY-MM-DD", or "" for NULL. */
typedef struct {
	long long id, school_id, visit_id, finding_id;
	long long version;          /* as loaded; rect_db_save expects it unchanged */
	rect_state state;
	rect_severity severity;
	char found_on[11], deadline[11], original_deadline[11], submitted_on[11], closed_on[11];
	long return_count, recurrence_count;
} rect_item;

/* Filters of the lists, the ledger and the inbox. Zero/NULL fields do not filter. */
typedef struct {
	const char *scope_path;   /* required: the caller's org path */
	const char *today;        /* required: for overdue */
	long long town_id, school_id;
	long long not_school_id;  /* leave out one school (a verifier's own) */
	const char *states[4];    /* the states asked for, each once (static names); none: all */
	const char *severity;
	int overdue_only;
	const char *from, *to;    /* the date found (the visit date), inclusive */
} rect_filter;

/* Reads the list filters from the query (town, school, state as a comma list,
 * severity, overdue=1, from, to) into f, for the caller's scope and today.
 * Returns 0, or fills res with a 400. */
int rect_filter_parse(http_req *req, http_res *res, rect_filter *f);

/* One journal event. from_state is -1 for the creation. */
typedef struct {
	long long item_id, user_id;
	long long extension_id, visit_id;  /* 0 when none */
	rect_action action;
	int from_state;
	rect_state to_state;
	const char *on_date;
	const char *note;                  /* NULL for none */
	const char *deadline_before, *deadline_after;  /* NULL or "" for none */
	const long long *evidence_ids;
	size_t nevidence;
} rect_event;

/* The admin's deadline and escalation rules from the settings table (defaults
 * for rows missing or invalid; invalid ones are logged), as read at most 5
 * seconds ago by any worker: a change in the table applies within 5 seconds. */
db_status rect_db_rules(db *d, rectify_rules *rules);
/* Drops the shared copy of the rules: the next rect_db_rules reads them again. */
void rect_db_rules_forget(void);

/* Loads item id in scope into out; DB_NOT_FOUND when missing or out of scope. */
db_status rect_db_load(db *d, const char *scope_path, long long id, rect_item *out);
/* Writes it back with action as last_action when it->version is still the
 * stored one (the version goes up by one); DB_CONFLICT when stale. */
db_status rect_db_save(db *d, const rect_item *it, rect_action action);
/* Inserts an item for a finding of a filed visit; *id receives its id. */
db_status rect_db_insert(db *d, const rect_item *it, long long *id);
/* Inserts n items in as few statements as it can (batch.h); ids receives their
 * ids: step is batch_id_step's, which must not be 0 when n > 1. */
db_status rect_db_insert_many(db *d, const rect_item *items, size_t n, long long step, long long *ids);
/* Appends an event and its attachments to the journal (never updated). */
db_status rect_db_event(db *d, const rect_event *ev);
/* Appends n events and their attachments in as few statements as it can
 * (batch.h; step is batch_id_step's, 0 when unknown). */
db_status rect_db_events_many(db *d, const rect_event *evs, size_t n, long long step);

/* An action that rectify_check allowed, as rect_db_act writes it. Shared by the
 * item handlers (rectifications.c) and the demo county. */
typedef struct {
	rect_action action;
	long long user_id;
	const char *on_date;           /* the bureau's date of the action */
	const char *note;              /* note or reason; NULL for none */
	const long long *evidence_ids;
	size_t nevidence;
	const char *deadline;          /* extension request and approval: the requested one; reopen: the new one */
	long long extension_id;        /* approve, refuse: the request; a request's new id is written here */
	long long visit_id;            /* reopen: the 回头看 visit */
} rect_change;

/* Applies ch to before inside the caller's transaction (to: the state rectify_check
 * gave): saves the item (*after, version + 1), inserts or decides the extension
 * request and appends one journal event. DB_CONFLICT when before's version is
 * stale or the request was decided meanwhile; nothing is written then. */
db_status rect_db_act(db *d, rect_change *ch, const rect_item *before, rect_state to, rect_item *after);

/* Answers written together (requests grouped, group.h): each ch[i] an RA_ANSWER
 * of before[i], all on one date, to the state rectify_check gave; writes what
 * rect_db_act writes for each, in one statement per kind of row, after[i]
 * receiving the item. DB_CONFLICT when one is stale, two are of the same item
 * or the dates differ: the caller rolls back and writes each alone. */
db_status rect_db_answer_many(db *d, const rect_change *ch, const rect_item *before, rect_state to, rect_item *after,
			      size_t n, long long step);

/* The item as JSON with the derived fields, its finding's evidence, its journal
 * and extension requests. New reference in *out; DB_NOT_FOUND out of scope. */
db_status rect_db_get_json(db *d, const char *scope_path, long long id, const rectify_rules *rules,
			   const char *today, json_t **out);
/* The same for items ids[0..n), read together: out[i] is ids[i]'s (n slots);
 * DB_NOT_FOUND, and nothing in out, when one is missing or out of scope. */
db_status rect_db_get_json_many(db *d, const char *scope_path, const long long *ids, size_t n,
				const rectify_rules *rules, const char *today, json_t **out);
/* One page of the items matching f, with the derived fields, sorted by deadline,
 * or with ledger_order by town, school and date found; *total counts them all. */
db_status rect_db_list(db *d, const rect_filter *f, const rectify_rules *rules, const paging *pg, int ledger_order,
		       json_t **items, long long *total);
/* The same list as the JSON text of a list answer ({"items", "total", "page",
 * "per_page"}: the text res_list would send), appended to out, written straight
 * from the rows (no jansson values: a page of 100 items is 2,800 of them). */
db_status rect_db_list_text(db *d, const rect_filter *f, const rectify_rules *rules, const paging *pg, strbuf *out);
/* Counts of the items matching f for the ledger's summary. */
db_status rect_db_counts(db *d, const rect_filter *f, rectify_counts *c);
/* Adds the derived fields (state_label, days_left, overdue, days_overdue,
 * escalation, returned, on_time, extension_pending) to an item row. */
void rect_decorate(json_t *item, const rectify_rules *rules, const char *today);

/* Extension requests. */
db_status rect_db_extension_pending(db *d, long long item_id, long long *ext_id);
db_status rect_db_extension_insert(db *d, long long item_id, long long user_id, const char *on_date,
				   const char *reason, const char *before, const char *requested, long long *id);
/* The requested deadline of extension ext_id of item_id; *pending is 1 while undecided. */
db_status rect_db_extension_load(db *d, long long item_id, long long ext_id, char requested[11], int *pending);
/* Decides a pending request; DB_CONFLICT when it was decided meanwhile. */
db_status rect_db_extension_decide(db *d, long long ext_id, int approve, long long user_id, const char *on_date,
				   const char *note);
/* The extension requests of one item (oldest first). New reference. */
db_status rect_db_extensions(db *d, long long item_id, json_t **out);
/* Pending requests in scope but of school not_school_id (oldest first, at most
 * limit) and their total: nobody decides their own school's requests. */
db_status rect_db_pending_extensions(db *d, const char *scope_path, long long not_school_id, long long limit,
				     json_t **out, long long *total);

/* Journal counts of one day in scope: *out is an object of action name -> count. */
db_status rect_db_day_actions(db *d, const char *scope_path, const char *date, json_t **out);
/* Open or reopened items in scope whose days overdue on date equal one of the
 * escalation thresholds (they reached a level that day). For a date before
 * today, the items as they stood at the end of that day (their journal); for
 * today or later, as they are now. */
db_status rect_db_day_escalations(db *d, const char *scope_path, const char *date, const char *today,
				  const rectify_rules *rules, long long *count);
/* Open or reopened items in scope due within [date, date + days], as the day's
 * items are taken above. */
db_status rect_db_due_within(db *d, const char *scope_path, const char *date, const char *today, int days,
			     long long *count);

#endif
