/* rectifications_db.c - SQL for rectification items, their journal and their
 * extension requests. Every read is scoped by the caller's org path; the
 * journal tables are only ever inserted into. */
#include "rectifications.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "log.h"
#include "rect_sql.h"
#include "util.h"

static const char SQL_RULES[] =
	"SELECT name, value FROM settings WHERE name LIKE 'deadline\\_days\\_%' OR name LIKE 'escalate\\_days\\_%'";
static const char SQL_ITEM_LOAD[] =
	"SELECT i.id, i.school_id, i.visit_id, i.finding_id, i.state, i.severity, i.found_on, i.deadline,"
	" i.original_deadline, i.submitted_on, i.closed_on, i.return_count, i.recurrence_count, i.version"
	" FROM rectification_items i JOIN orgs s ON s.id = i.school_id"
	" WHERE i.id = ? AND s.path LIKE CONCAT(?, '%')";
static const char SQL_ITEM_SAVE[] =
	"UPDATE rectification_items SET state = ?, last_action = ?, deadline = ?, original_deadline = ?,"
	" submitted_on = ?, closed_on = ?, return_count = ?, recurrence_count = ?, version = version + 1,"
	" updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ?";
/* Answers saved together: one state, action and date for every (id, version).
 * The row (0, 0) names no item: MariaDB scans the whole table for a row IN of
 * one element, and finds the rows by their key for two or more. */
#define ITEM_SUBMIT(rows) \
	"UPDATE rectification_items SET state = ?, last_action = ?, submitted_on = ?, version = version + 1," \
	" updated_at = UTC_TIMESTAMP() WHERE (id, version) IN (" rows ", (0, 0))"
static const char *const SQL_ITEM_SUBMIT[BATCH_SIZES] = BATCH_SQL(ITEM_SUBMIT, "(?, ?)");
#define ITEM_INSERT(rows) \
	"INSERT INTO rectification_items (finding_id, visit_id, school_id, school_parent_id, severity, found_on," \
	" deadline, original_deadline) VALUES " rows
#define ITEM_ROW "(?, ?, ?, (SELECT parent_id FROM orgs WHERE id = ?), ?, ?, ?, ?)"
#define ITEM_PARAMS 8
static const char *const SQL_ITEM_INSERT[BATCH_SIZES] = BATCH_SQL(ITEM_INSERT, ITEM_ROW);
#define EVENT_INSERT(rows) \
	"INSERT INTO rectification_events (item_id, on_date, user_id, action, from_state, to_state, note," \
	" deadline_before, deadline_after, extension_id, visit_id) VALUES " rows
#define EVENT_PARAMS 11
static const char *const SQL_EVENT_INSERT[BATCH_SIZES] =
	BATCH_SQL(EVENT_INSERT, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
/* The files of events (each checked before; the foreign key holds that it is there). */
#define EVENT_LINK(rows) "INSERT INTO rectification_event_evidence (event_id, evidence_id) VALUES " rows
static const char *const SQL_EVENT_LINKS[BATCH_SIZES] = BATCH_SQL(EVENT_LINK, "(?, ?)");

/* Items as GET shows them, their journals and their extension requests, for one
 * or several items (batch_query_padded: the ids in one IN list). */
#define ITEM_GET(ids) \
	"SELECT " ITEM_COLUMNS "," IDS_COLUMN("finding_evidence", "finding_id", "i.finding_id") \
	" AS finding_evidence_ids FROM rectification_items i" ITEM_JOINS \
	" WHERE s.path LIKE CONCAT(?, '%') AND i.id IN (" ids ")"
static const char *const SQL_ITEM_GET[BATCH_SIZES] = BATCH_SQL(ITEM_GET, "?");
/* The first column (the item's id) is not part of the event. */
#define JOURNAL(ids) \
	"SELECT e.item_id, e.id, CAST(e.at AS DATETIME) AS at, e.on_date, e.user_id, u.display_name AS user_name," \
	" u.role AS user_role, e.action, e.from_state, e.to_state, e.note, e.deadline_before, e.deadline_after," \
	" e.extension_id, e.visit_id," IDS_COLUMN("rectification_event_evidence", "event_id", "e.id") \
	" AS evidence_ids FROM rectification_events e JOIN users u ON u.id = e.user_id" \
	" WHERE e.item_id IN (" ids ") ORDER BY e.item_id, e.id"
static const char *const SQL_JOURNAL[BATCH_SIZES] = BATCH_SQL(JOURNAL, "?");

#define EXT_COLUMNS \
	"x.id, x.item_id, x.requested_by, u.display_name AS requested_by_name, x.requested_on, x.reason," \
	" x.deadline_before, x.deadline_requested, x.state, x.decided_by, d.display_name AS decided_by_name," \
	" x.decided_on, x.decision_note, x.created_at"
#define EXT_FROM \
	" FROM rectification_extensions x JOIN users u ON u.id = x.requested_by" \
	" LEFT JOIN users d ON d.id = x.decided_by"
#define EXT_LIST(ids) "SELECT " EXT_COLUMNS EXT_FROM " WHERE x.item_id IN (" ids ") ORDER BY x.item_id, x.id"
static const char *const SQL_EXT_LIST[BATCH_SIZES] = BATCH_SQL(EXT_LIST, "?");
static const char SQL_EXT_PENDING_SCOPE[] =
	"SELECT " EXT_COLUMNS ", i.school_id, s.name AS school_name, c.title AS item_title, i.severity,"
	" i.deadline, i.version AS item_version" EXT_FROM
	" JOIN rectification_items i ON i.id = x.item_id JOIN orgs s ON s.id = i.school_id"
	" JOIN findings f ON f.id = i.finding_id JOIN checklist_items c ON c.id = f.item_id"
	" WHERE x.state = 'pending' AND s.path LIKE CONCAT(?, '%') AND i.school_id <> ?"
	" ORDER BY x.requested_on, x.id LIMIT ?";
static const char SQL_EXT_PENDING_COUNT[] =
	"SELECT COUNT(*) FROM rectification_extensions x JOIN rectification_items i ON i.id = x.item_id"
	" JOIN orgs s ON s.id = i.school_id WHERE x.state = 'pending' AND s.path LIKE CONCAT(?, '%')"
	" AND i.school_id <> ?";
static const char SQL_EXT_PENDING_ITEM[] =
	"SELECT id FROM rectification_extensions WHERE item_id = ? AND state = 'pending' LIMIT 1";
static const char SQL_EXT_INSERT[] =
	"INSERT INTO rectification_extensions (item_id, requested_by, requested_on, reason, deadline_before,"
	" deadline_requested) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_EXT_LOAD[] =
	"SELECT deadline_requested, state = 'pending' FROM rectification_extensions WHERE id = ? AND item_id = ?";
/* Closing an item settles its pending request: the work is verified done. */
static const char SQL_EXT_LAPSE[] =
	"UPDATE rectification_extensions SET state = 'lapsed', decided_on = ?, decision_note = ?"
	" WHERE item_id = ? AND state = 'pending'";
static const char SQL_EXT_DECIDE[] =
	"UPDATE rectification_extensions SET state = ?, decided_by = ?, decided_on = ?, decision_note = ?"
	" WHERE id = ? AND state = 'pending'";

/* ---------------------------------------------------------------- rules */

/* The rules change about once a year (PATCH /api/v1/settings) and nearly every
 * request applies them: the workers share one copy, read again once it is
 * RULES_TTL seconds old or forgotten after a change (another process, or a hand
 * edit in the database, applies within that time). */
#define RULES_TTL 5
static pthread_mutex_t rules_lock = PTHREAD_MUTEX_INITIALIZER;
static rectify_rules rules_shared;
static double rules_read_at;   /* clock_ms() when read */
static int rules_read;

/* Copies the shared rules into *rules when they are fresh; 0 when they are not. */
static int rules_fresh(rectify_rules *rules, double now)
{
	int fresh;
	pthread_mutex_lock(&rules_lock);
	fresh = rules_read && now - rules_read_at < RULES_TTL * 1000.0;
	if (fresh)
		*rules = rules_shared;
	pthread_mutex_unlock(&rules_lock);
	return fresh;
}

void rect_db_rules_forget(void)
{
	pthread_mutex_lock(&rules_lock);
	rules_read = 0;
	pthread_mutex_unlock(&rules_lock);
}

db_status rect_db_rules(db *d, rectify_rules *rules)
{
	db_rows *r;
	size_t i;
	db_status st;
	double now = clock_ms();
	if (rules_fresh(rules, now))
		return DB_OK;
	rectify_rules_default(rules);
	if ((st = db_query(d, SQL_RULES, NULL, 0, &r)) != DB_OK)
		return st;
	for (i = 0; i < db_rows_count(r); i++)
		if (rectify_rules_set(rules, db_rows_str(r, i, 0), db_rows_str(r, i, 1)) < 0)
			log_warn("setting %s has an invalid value; using the default", db_rows_str(r, i, 0));
	db_rows_free(r);
	pthread_mutex_lock(&rules_lock);
	rules_shared = *rules;
	rules_read_at = now;
	rules_read = 1;
	pthread_mutex_unlock(&rules_lock);
	return DB_OK;
}

/* ---------------------------------------------------------------- the typed row */

static void date_or_empty(char out[11], const char *v)
{
	str_copy(out, 11, v ? v : "");
}

db_status rect_db_load(db *d, const char *scope_path, long long id, rect_item *out)
{
	db_param p[] = {DP_INT(id), DP_STR(scope_path)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_ITEM_LOAD, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	memset(out, 0, sizeof(*out));
	out->id = db_rows_int(r, 0, 0);
	out->school_id = db_rows_int(r, 0, 1);
	out->visit_id = db_rows_int(r, 0, 2);
	out->finding_id = db_rows_int(r, 0, 3);
	out->state = (rect_state)rectify_state_from_name(db_rows_str(r, 0, 4));
	out->severity = (rect_severity)rectify_severity_from_name(db_rows_str(r, 0, 5));
	date_or_empty(out->found_on, db_rows_str(r, 0, 6));
	date_or_empty(out->deadline, db_rows_str(r, 0, 7));
	date_or_empty(out->original_deadline, db_rows_str(r, 0, 8));
	date_or_empty(out->submitted_on, db_rows_str(r, 0, 9));
	date_or_empty(out->closed_on, db_rows_str(r, 0, 10));
	out->return_count = (long)db_rows_int(r, 0, 11);
	out->recurrence_count = (long)db_rows_int(r, 0, 12);
	out->version = db_rows_int(r, 0, 13);
	db_rows_free(r);
	return DB_OK;
}

/* A date parameter: "" is SQL NULL. */
static db_param date_param(const char *v)
{
	return v && *v ? DP_STR(v) : DP_NULL;
}

db_status rect_db_save(db *d, const rect_item *it, rect_action action)
{
	unsigned long long n = 0;
	db_param p[] = {DP_STR(rectify_state_name(it->state)), DP_STR(rectify_action_name(action)),
			DP_STR(it->deadline), DP_STR(it->original_deadline), date_param(it->submitted_on),
			date_param(it->closed_on), DP_INT(it->return_count), DP_INT(it->recurrence_count),
			DP_INT(it->id), DP_INT(it->version)};
	db_status st = db_exec(d, SQL_ITEM_SAVE, p, DB_NPARAMS(p), &n, NULL);
	if (st == DB_OK && n == 0)
		return DB_CONFLICT;
	return st;
}

/* The parameters of item i of an array of rect_item. */
static void item_row(void *ctx, size_t i, db_param *p)
{
	const rect_item *it = (const rect_item *)ctx + i;
	p[0] = DP_INT(it->finding_id);
	p[1] = DP_INT(it->visit_id);
	p[2] = DP_INT(it->school_id);
	p[3] = DP_INT(it->school_id);
	p[4] = DP_STR(rectify_severity_name(it->severity));
	p[5] = DP_STR(it->found_on);
	p[6] = DP_STR(it->deadline);
	p[7] = DP_STR(it->original_deadline);
}

/* The parameters of event i of an array of rect_event (not its attachments). */
static void event_row(void *ctx, size_t i, db_param *p)
{
	const rect_event *ev = (const rect_event *)ctx + i;
	p[0] = DP_INT(ev->item_id);
	p[1] = DP_STR(ev->on_date);
	p[2] = DP_INT(ev->user_id);
	p[3] = DP_STR(rectify_action_name(ev->action));
	p[4] = ev->from_state < 0 ? DP_NULL : DP_STR(rectify_state_name((rect_state)ev->from_state));
	p[5] = DP_STR(rectify_state_name(ev->to_state));
	p[6] = DP_STR(ev->note ? ev->note : "");
	p[7] = date_param(ev->deadline_before);
	p[8] = date_param(ev->deadline_after);
	p[9] = db_param_id_or_null(ev->extension_id);
	p[10] = db_param_id_or_null(ev->visit_id);
}

db_status rect_db_insert(db *d, const rect_item *it, long long *id)
{
	unsigned long long new_id = 0;
	db_param p[ITEM_PARAMS];
	db_status st;
	item_row((void *)it, 0, p);
	st = db_exec(d, BATCH_ONE(SQL_ITEM_INSERT), p, ITEM_PARAMS, NULL, &new_id);
	*id = (long long)new_id;
	return st;
}

db_status rect_db_insert_many(db *d, const rect_item *items, size_t n, long long step, long long *ids)
{
	return batch_insert_ids(d, SQL_ITEM_INSERT, ITEM_PARAMS, n, item_row, (void *)items, step, ids);
}

/* An event's file. */
typedef struct {
	long long event_id, evidence_id;
} event_link;

static void link_row(void *ctx, size_t i, db_param *p)
{
	const event_link *l = (const event_link *)ctx + i;
	p[0] = DP_INT(l->event_id);
	p[1] = DP_INT(l->evidence_id);
}

db_status rect_db_events_many(db *d, const rect_event *evs, size_t n, long long step)
{
	size_t i, k, nlinks = 0;
	long long *ids;
	event_link *links;
	db_status st;
	for (i = 0; i < n; i++)
		nlinks += evs[i].nevidence;
	if (nlinks == 0) /* no event's id is needed */
		return batch_exec(d, SQL_EVENT_INSERT, NULL, 0, EVENT_PARAMS, NULL, 0, n, event_row, (void *)evs);
	ids = xcalloc(n, sizeof(*ids));
	links = xcalloc(nlinks, sizeof(*links));
	st = batch_insert_ids(d, SQL_EVENT_INSERT, EVENT_PARAMS, n, event_row, (void *)evs, step, ids);
	for (i = 0, nlinks = 0; st == DB_OK && i < n; i++)
		for (k = 0; k < evs[i].nevidence; k++)
			links[nlinks++] = (event_link){ids[i], evs[i].evidence_ids[k]};
	if (st == DB_OK)
		st = batch_exec(d, SQL_EVENT_LINKS, NULL, 0, 2, NULL, 0, nlinks, link_row, links);
	free(ids);
	free(links);
	return st;
}

db_status rect_db_event(db *d, const rect_event *ev)
{
	return rect_db_events_many(d, ev, 1, 0);
}

/* ---------------------------------------------------------------- actions */

/* The item after the action: the new state and what the action changes. */
static void act_apply(const rect_change *ch, rect_item *it, rect_state to)
{
	it->state = to;
	switch (ch->action) {
	case RA_ANSWER: str_copy(it->submitted_on, sizeof(it->submitted_on), ch->on_date); break;
	case RA_RETURN: /* the answer returned is in the journal; the item waits for a new one */
		it->return_count++;
		it->submitted_on[0] = '\0';
		break;
	case RA_CLOSE: str_copy(it->closed_on, sizeof(it->closed_on), ch->on_date); break;
	case RA_EXTENSION_APPROVE: str_copy(it->deadline, sizeof(it->deadline), ch->deadline); break;
	case RA_REOPEN:
		it->recurrence_count++;
		str_copy(it->deadline, sizeof(it->deadline), ch->deadline);
		str_copy(it->original_deadline, sizeof(it->original_deadline), ch->deadline);
		it->submitted_on[0] = it->closed_on[0] = '\0';
		break;
	default: break;
	}
}

/* A pending request of item_id lapses on on_date (the item is being closed). */
static db_status extension_lapse(db *d, long long item_id, const char *on_date)
{
	db_param p[] = {DP_STR(on_date), DP_STR("整改事项已销号，延期申请自动失效"), DP_INT(item_id)};
	return db_exec(d, SQL_EXT_LAPSE, p, DB_NPARAMS(p), NULL, NULL);
}

db_status rect_db_act(db *d, rect_change *ch, const rect_item *before, rect_state to, rect_item *after)
{
	rect_event ev;
	db_status st;
	int moved;
	*after = *before;
	act_apply(ch, after, to);
	moved = strcmp(before->deadline, after->deadline) != 0;
	st = rect_db_save(d, after, ch->action);
	if (st == DB_OK && ch->action == RA_EXTENSION_REQUEST)
		st = rect_db_extension_insert(d, after->id, ch->user_id, ch->on_date, ch->note, before->deadline,
					      ch->deadline, &ch->extension_id);
	if (st == DB_OK && ch->action == RA_CLOSE)
		st = extension_lapse(d, after->id, ch->on_date);
	if (st == DB_OK && (ch->action == RA_EXTENSION_APPROVE || ch->action == RA_EXTENSION_REFUSE))
		st = rect_db_extension_decide(d, ch->extension_id, ch->action == RA_EXTENSION_APPROVE, ch->user_id,
					      ch->on_date, ch->note);
	ev = (rect_event){.item_id = after->id, .user_id = ch->user_id, .extension_id = ch->extension_id,
			  .visit_id = ch->visit_id, .action = ch->action, .from_state = (int)before->state,
			  .to_state = after->state, .on_date = ch->on_date, .note = ch->note,
			  .deadline_before = moved ? before->deadline : NULL,
			  .deadline_after = moved ? after->deadline : NULL,
			  .evidence_ids = ch->evidence_ids, .nevidence = ch->nevidence};
	if (st == DB_OK)
		st = rect_db_event(d, &ev);
	after->version = before->version + 1;
	return st;
}

/* The (id, version) of answer i, as read before it. */
static void submit_row(void *ctx, size_t i, db_param *p)
{
	const rect_item *it = (const rect_item *)ctx + i;
	p[0] = DP_INT(it->id);
	p[1] = DP_INT(it->version);
}

db_status rect_db_answer_many(db *d, const rect_change *ch, const rect_item *before, rect_state to, rect_item *after,
			      size_t n, long long step)
{
	rect_event *evs = xcalloc(n, sizeof(*evs));
	unsigned long long saved = 0;
	size_t i;
	db_param head[] = {DP_STR(rectify_state_name(to)), DP_STR(rectify_action_name(RA_ANSWER)),
			   DP_STR(n ? ch[0].on_date : "")};
	db_status st = DB_OK;
	for (i = 0; i < n; i++) {
		if (ch[i].action != RA_ANSWER || strcmp(ch[i].on_date, ch[0].on_date) != 0)
			st = DB_CONFLICT; /* not one change for all: each is written alone */
		after[i] = before[i];
		act_apply(&ch[i], &after[i], to);
		after[i].version = before[i].version + 1;
		evs[i] = (rect_event){.item_id = before[i].id, .user_id = ch[i].user_id, .action = RA_ANSWER,
				      .from_state = (int)before[i].state, .to_state = to, .on_date = ch[i].on_date,
				      .note = ch[i].note, .evidence_ids = ch[i].evidence_ids, .nevidence = ch[i].nevidence};
	}
	if (st == DB_OK && n)
		st = batch_update_padded(d, SQL_ITEM_SUBMIT, head, DB_NPARAMS(head), 2, n, submit_row, (void *)before,
					 &saved);
	/* fewer rows than answers: one was stale, or two answered the same item */
	if (st == DB_OK && saved != n)
		st = DB_CONFLICT;
	if (st == DB_OK && n)
		st = rect_db_events_many(d, evs, n, step);
	free(evs);
	return st;
}

/* ---------------------------------------------------------------- JSON */

/* Moves obj's comma list of ids under name (IDS_COLUMN) to the end of obj as a
 * JSON array of integers ([] for none). */
static void ids_column(json_t *obj, const char *name)
{
	const char *p = json_string_value(json_object_get(obj, name));
	json_t *ids = json_array();
	char *end;
	while (p && *p) {
		json_array_append_new(ids, json_integer(strtoll(p, &end, 10)));
		p = *end == ',' ? end + 1 : end + (*end != '\0');
	}
	json_object_del(obj, name);
	json_object_set_new(obj, name, ids);
}

/* The pending request among extensions, or null. New reference. */
static json_t *pending_of(json_t *extensions)
{
	size_t i;
	json_t *x;
	json_array_foreach(extensions, i, x) {
		const char *s = json_string_value(json_object_get(x, "state"));
		if (s && !strcmp(s, "pending"))
			return json_incref(x);
	}
	return json_null();
}

/* What rect_db_get_json reads of several items: slot i is ids[i]'s. */
typedef struct {
	const long long *ids;
	size_t n;
	json_t **items, **journals, **exts;
} item_reads;

static void id_param(void *ctx, size_t i, db_param *p)
{
	p[0] = DP_INT(((const item_reads *)ctx)->ids[i]);
}

/* Puts row object o (taken) in the slots of item id: as the item itself when
 * arrays is NULL, else appended to the item's array. */
static void place(item_reads *ir, long long id, json_t *o, json_t **arrays)
{
	size_t i;
	for (i = 0; i < ir->n; i++)
		if (ir->ids[i] == id) {
			if (arrays)
				json_array_append(arrays[i], o);
			else if (!ir->items[i])
				ir->items[i] = json_incref(o);
		}
	json_decref(o);
}

static db_status items_read(void *ctx, const db_rows *r)
{
	size_t k;
	for (k = 0; k < db_rows_count(r); k++)
		place(ctx, db_rows_int(r, k, 0), db_rows_object(r, k), NULL);
	return DB_OK;
}

/* Each event with its evidence ids and its action's label, not its item's id. */
static db_status journal_read(void *ctx, const db_rows *r)
{
	item_reads *ir = ctx;
	size_t k;
	for (k = 0; k < db_rows_count(r); k++) {
		json_t *ev = db_rows_object(r, k);
		int a = rectify_action_from_name(json_string_value(json_object_get(ev, "action")));
		json_object_del(ev, "item_id");
		ids_column(ev, "evidence_ids");
		json_object_set_new(ev, "action_label", json_string(a >= 0 ? rectify_action_label((rect_action)a) : ""));
		place(ir, db_rows_int(r, k, 0), ev, ir->journals);
	}
	return DB_OK;
}

static db_status exts_read(void *ctx, const db_rows *r)
{
	item_reads *ir = ctx;
	size_t k;
	for (k = 0; k < db_rows_count(r); k++)
		place(ir, db_rows_int(r, k, 1), db_rows_object(r, k), ir->exts);
	return DB_OK;
}

db_status rect_db_get_json_many(db *d, const char *scope_path, const long long *ids, size_t n,
				const rectify_rules *rules, const char *today, json_t **out)
{
	item_reads ir = {ids, n, out, xcalloc(n, sizeof(json_t *)), xcalloc(n, sizeof(json_t *))};
	db_param scope = DP_STR(scope_path);
	size_t i;
	db_status st;
	for (i = 0; i < n; i++) {
		out[i] = NULL;
		ir.journals[i] = json_array();
		ir.exts[i] = json_array();
	}
	st = batch_query_padded(d, SQL_ITEM_GET, &scope, 1, 1, n, id_param, items_read, &ir);
	for (i = 0; st == DB_OK && i < n; i++)
		if (!out[i])
			st = DB_NOT_FOUND;
	if (st == DB_OK)
		st = batch_query_padded(d, SQL_JOURNAL, NULL, 0, 1, n, id_param, journal_read, &ir);
	if (st == DB_OK)
		st = batch_query_padded(d, SQL_EXT_LIST, NULL, 0, 1, n, id_param, exts_read, &ir);
	for (i = 0; i < n; i++) {
		if (st == DB_OK) {
			rect_decorate(out[i], rules, today);
			ids_column(out[i], "finding_evidence_ids");
			json_object_set_new(out[i], "pending_extension", pending_of(ir.exts[i]));
			json_object_set_new(out[i], "extensions", ir.exts[i]);
			json_object_set_new(out[i], "journal", ir.journals[i]);
		} else {
			json_decref(out[i]);
			out[i] = NULL;
			json_decref(ir.exts[i]);
			json_decref(ir.journals[i]);
		}
	}
	free(ir.journals);
	free(ir.exts);
	return st;
}

db_status rect_db_get_json(db *d, const char *scope_path, long long id, const rectify_rules *rules,
			   const char *today, json_t **out)
{
	return rect_db_get_json_many(d, scope_path, &id, 1, rules, today, out);
}

/* ---------------------------------------------------------------- extensions */

db_status rect_db_extension_pending(db *d, long long item_id, long long *ext_id)
{
	db_param p[] = {DP_INT(item_id)};
	return db_query_int(d, SQL_EXT_PENDING_ITEM, p, 1, ext_id);
}

db_status rect_db_extension_insert(db *d, long long item_id, long long user_id, const char *on_date,
				   const char *reason, const char *before, const char *requested, long long *id)
{
	unsigned long long new_id = 0;
	db_param p[] = {DP_INT(item_id), DP_INT(user_id), DP_STR(on_date), DP_STR(reason), DP_STR(before),
			DP_STR(requested)};
	db_status st = db_exec(d, SQL_EXT_INSERT, p, DB_NPARAMS(p), NULL, &new_id);
	*id = (long long)new_id;
	return st;
}

db_status rect_db_extension_load(db *d, long long item_id, long long ext_id, char requested[11], int *pending)
{
	db_param p[] = {DP_INT(ext_id), DP_INT(item_id)};
	db_rows *r;
	db_status st = db_query_one(d, SQL_EXT_LOAD, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	str_copy(requested, 11, db_rows_str(r, 0, 0));
	*pending = db_rows_int(r, 0, 1) != 0;
	db_rows_free(r);
	return DB_OK;
}

db_status rect_db_extension_decide(db *d, long long ext_id, int approve, long long user_id, const char *on_date,
				   const char *note)
{
	unsigned long long n = 0;
	db_param p[] = {DP_STR(approve ? "approved" : "refused"), DP_INT(user_id), DP_STR(on_date), DP_STR(note),
			DP_INT(ext_id)};
	db_status st = db_exec(d, SQL_EXT_DECIDE, p, DB_NPARAMS(p), &n, NULL);
	return st == DB_OK && n == 0 ? DB_CONFLICT : st;
}

db_status rect_db_extensions(db *d, long long item_id, json_t **out)
{
	db_param p[] = {DP_INT(item_id)};
	db_rows *r;
	db_status st = db_query(d, BATCH_ONE(SQL_EXT_LIST), p, 1, &r);
	if (st != DB_OK)
		return st;
	*out = db_rows_array(r);
	db_rows_free(r);
	return DB_OK;
}

db_status rect_db_pending_extensions(db *d, const char *scope_path, long long not_school_id, long long limit,
				     json_t **out, long long *total)
{
	db_param p[] = {DP_STR(scope_path), DP_INT(not_school_id), DP_INT(limit)};
	db_rows *r;
	db_status st = db_query_int(d, SQL_EXT_PENDING_COUNT, p, 2, total);
	if (st != DB_OK || (st = db_query(d, SQL_EXT_PENDING_SCOPE, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	*out = db_rows_array(r);
	db_rows_free(r);
	return DB_OK;
}
