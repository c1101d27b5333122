/* rect_list_db.c - lists of rectification items: the list, the ledger and the
 * inbox's, filtered in SQL within the caller's scope; the fields derived from
 * the deadline, the state and today (rect_decorate); and the list answer
 * written straight from the rows (rect_db_list_text). */
#include "rectifications.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "rect_sql.h"
#include "util.h"

/* 20 parameters, bound by filter_params; the state list is up to four names. */
#define ITEM_FILTER \
	" WHERE s.path LIKE CONCAT(?, '%') AND (? IS NULL OR s.parent_id = ?) AND (? IS NULL OR i.school_id = ?)" \
	" AND (? IS NULL OR i.school_id <> ?) AND (? IS NULL OR i.state IN (?, ?, ?, ?))" \
	" AND (? IS NULL OR i.severity = ?)" \
	" AND (? = 0 OR (i.state IN ('open', 'reopened') AND i.deadline < ?))" \
	" AND (? IS NULL OR i.found_on >= ?) AND (? IS NULL OR i.found_on <= ?)"
#define FILTER_NPARAMS 20
/* Orgs first, always: with the filters above as prepared-statement parameters MariaDB
 * otherwise may scan every item of the county and join each to its school (30,000
 * rows examined for one town's page of 20,000 items, found by `make bench`); from the
 * orgs in scope it reads only the items of the schools that pass the org filters.
 * And by school, always: once the statistics were recalculated after a bulk insert,
 * the prepared statement read each school's items through the state index instead,
 * every open item of the county once per school (68,000 rows, 20-30 ms a page, seen
 * with SHOW EXPLAIN FOR during `make bench`). */
#define ITEM_SCOPE \
	" FROM orgs s STRAIGHT_JOIN rectification_items i FORCE INDEX (ix_rectification_list) ON i.school_id = s.id"
#define DEADLINE_ORDER " ORDER BY i.deadline, i.id"
#define LEDGER_ORDER " ORDER BY t.name, s.name, i.found_on, i.id"

/* A page is chosen on the narrow rows first, then only its items are joined. The
 * narrow pass also counts every matching row (TOTAL_COLUMN, on each row of the
 * page), which spares a second pass over them for the total. */
#define TOTAL_COLUMN "total_matching"
#define PAGE_IDS " FROM (SELECT i.id, COUNT(*) OVER () AS " TOTAL_COLUMN
static const char SQL_ITEM_LIST[] =
	"SELECT " ITEM_COLUMNS ", k." TOTAL_COLUMN PAGE_IDS ITEM_SCOPE ITEM_FILTER DEADLINE_ORDER " LIMIT ? OFFSET ?) k"
	" JOIN rectification_items i ON i.id = k.id" ITEM_JOINS DEADLINE_ORDER;
static const char SQL_ITEM_LEDGER[] =
	"SELECT " ITEM_COLUMNS ", k." TOTAL_COLUMN PAGE_IDS ITEM_SCOPE
	" LEFT JOIN orgs t ON t.id = s.parent_id AND t.kind = 'town'" ITEM_FILTER LEDGER_ORDER " LIMIT ? OFFSET ?) k"
	" JOIN rectification_items i ON i.id = k.id" ITEM_JOINS LEDGER_ORDER;
/* The open items of one town (or of the schools right under the bureau) when the
 * caller sees all of it: a range of ix_rectification_parent_open in deadline order,
 * and its total from the index alone (schema/009_list_by_town.sql). No row when the
 * town is not wholly in scope: the general list then answers. */
static const char SQL_ITEM_LIST_OPEN_OF_TOWN[] =
	"SELECT STRAIGHT_JOIN " ITEM_COLUMNS ", (SELECT COUNT(*) FROM rectification_items n"
	" FORCE INDEX (ix_rectification_parent_open) WHERE n.school_parent_id = ? AND n.is_open = 1) AS " TOTAL_COLUMN
	" FROM (SELECT i.id FROM rectification_items i FORCE INDEX (ix_rectification_parent_open)"
	" WHERE i.school_parent_id = ? AND i.is_open = 1"
	" AND EXISTS (SELECT 1 FROM orgs o WHERE o.id = ? AND o.path LIKE CONCAT(?, '%'))"
	" ORDER BY i.deadline, i.id LIMIT ? OFFSET ?) k JOIN rectification_items i ON i.id = k.id" ITEM_JOINS
	DEADLINE_ORDER;
static const char SQL_ITEM_COUNT[] = "SELECT COUNT(*)" ITEM_SCOPE ITEM_FILTER;
static const char SQL_ITEM_STATES[] =
	"SELECT i.state, i.state IN ('open', 'reopened') AND i.deadline < ? AS overdue, COUNT(*)" ITEM_SCOPE ITEM_FILTER
	" GROUP BY 1, 2";

/* ---------------------------------------------------------------- derived fields */

/* What the rules and today make of an item (rect_decorate's fields); ok is 0 for
 * an unknown state or deadline, when nothing is derived. */
typedef struct {
	int ok;
	rect_state state;
	rectify_status s;
	int returned, on_time;     /* on_time -1: null (not closed) */
	int extension_pending;
} item_derived;

static item_derived derive(const char *state, const char *deadline, const char *submitted, long long returns,
			   long long extension, const rectify_rules *rules, const char *today)
{
	item_derived d = {0};
	int st = rectify_state_from_name(state);
	if (st < 0 || rectify_derive(rules, (rect_state)st, deadline, today, &d.s) != 0)
		return d;
	d.ok = 1;
	d.state = (rect_state)st;
	/* open again only by a return: an open item once returned is open after
	 * a return, whatever extension action came since */
	d.returned = d.state == RS_OPEN && returns > 0;
	d.on_time = d.state == RS_CLOSED && submitted ? strcmp(submitted, deadline) <= 0 : -1;
	d.extension_pending = extension != 0;
	return d;
}

void rect_decorate(json_t *item, const rectify_rules *rules, const char *today)
{
	item_derived d = derive(json_string_value(json_object_get(item, "state")),
				json_string_value(json_object_get(item, "deadline")),
				json_string_value(json_object_get(item, "submitted_on")),
				json_integer_value(json_object_get(item, "return_count")),
				json_integer_value(json_object_get(item, "extension_pending")), rules, today);
	if (!d.ok)
		return;
	json_object_set_new(item, "state_label", json_string(rectify_state_label(d.state)));
	json_object_set_new(item, "days_left", d.s.has_days_left ? json_integer(d.s.days_left) : json_null());
	json_object_set_new(item, "overdue", json_boolean(d.s.overdue));
	json_object_set_new(item, "days_overdue", json_integer(d.s.days_overdue));
	json_object_set_new(item, "escalation", d.s.level ? json_string(rectify_escalation_name(d.s.level)) : json_null());
	json_object_set_new(item, "returned", json_boolean(d.returned));
	json_object_set_new(item, "on_time", d.on_time < 0 ? json_null() : json_boolean(d.on_time));
	json_object_del(item, "extension_pending"); /* a boolean now, with the derived fields */
	json_object_set_new(item, "extension_pending", json_boolean(d.extension_pending));
}

/* ,"key": before a member that follows others. */
static void next_key(strbuf *b, const char *key)
{
	strbuf_add(b, ",", 1);
	jsonw_key(b, key);
}

static void write_text_or_null(strbuf *b, const char *s)
{
	if (s)
		jsonw_string(b, s, strlen(s));
	else
		strbuf_add(b, "null", 4);
}

/* The same fields as rect_decorate sets, as JSON members after others in b. */
static void write_derived(strbuf *b, const item_derived *d)
{
	next_key(b, "state_label");
	write_text_or_null(b, rectify_state_label(d->state));
	next_key(b, "days_left");
	if (d->s.has_days_left)
		jsonw_integer(b, d->s.days_left);
	else
		strbuf_add(b, "null", 4);
	next_key(b, "overdue");
	jsonw_bool(b, d->s.overdue);
	next_key(b, "days_overdue");
	jsonw_integer(b, d->s.days_overdue);
	next_key(b, "escalation");
	write_text_or_null(b, d->s.level ? rectify_escalation_name(d->s.level) : NULL);
	next_key(b, "returned");
	jsonw_bool(b, d->returned);
	next_key(b, "on_time");
	if (d->on_time < 0)
		strbuf_add(b, "null", 4);
	else
		jsonw_bool(b, d->on_time);
	next_key(b, "extension_pending");
	jsonw_bool(b, d->extension_pending);
}

/* ---------------------------------------------------------------- lists */

/* Fills p[0..FILTER_NPARAMS) from f. */
static void filter_params(const rect_filter *f, db_param *p)
{
	const char *const *states = f->states;
	db_param q[FILTER_NPARAMS] = {
		DP_STR(f->scope_path), db_param_id_or_null(f->town_id), db_param_id_or_null(f->town_id),
		db_param_id_or_null(f->school_id), db_param_id_or_null(f->school_id),
		db_param_id_or_null(f->not_school_id), db_param_id_or_null(f->not_school_id),
		DP_STR(states[0]), DP_STR(states[0]), DP_STR(states[1]), DP_STR(states[2]), DP_STR(states[3]),
		DP_STR(f->severity), DP_STR(f->severity), DP_INT(f->overdue_only != 0), DP_STR(f->today),
		DP_STR(f->from), DP_STR(f->from), DP_STR(f->to), DP_STR(f->to)};
	memcpy(p, q, sizeof(q));
}

/* Column c of row, NULL when the result has no such column. */
static const char *col_str(const db_rows *r, size_t row, long c)
{
	return c >= 0 ? db_rows_str(r, row, (size_t)c) : NULL;
}

/* Whether f asks for the open items (open and reopened) of one town and nothing else. */
static int open_of_town(const rect_filter *f)
{
	const char *const *states = f->states;
	int open = 0, reopened = 0, i;
	if (!f->town_id || f->school_id || f->not_school_id || f->severity || f->overdue_only || f->from || f->to)
		return 0;
	for (i = 0; i < 4 && states[i]; i++) {
		if (!strcmp(states[i], "open"))
			open = 1;
		else if (!strcmp(states[i], "reopened"))
			reopened = 1;
		else
			return 0;
	}
	return open && reopened;
}

/* The open items of f's town when the caller sees all of it; *out is NULL when
 * this does not answer (a town not wholly in scope, or an empty page). */
static db_status list_open_of_town(db *d, const rect_filter *f, const paging *pg, db_rows **out)
{
	db_param p[] = {DP_INT(f->town_id), DP_INT(f->town_id), DP_INT(f->town_id), DP_STR(f->scope_path),
			DP_INT(pg->limit), DP_INT(pg->offset)};
	db_status st = db_query(d, SQL_ITEM_LIST_OPEN_OF_TOWN, p, DB_NPARAMS(p), out);
	if (st == DB_OK && db_rows_count(*out) == 0) {
		db_rows_free(*out);
		*out = NULL;
	}
	return st;
}

/* The rows of a page of items matching f, each with the total (TOTAL_COLUMN), and
 * the total when the page is empty (none match, or a page past the last one). */
static db_status list_rows(db *d, const rect_filter *f, const paging *pg, int ledger_order, db_rows **out,
			   long long *total)
{
	db_param p[FILTER_NPARAMS + 2];
	db_status st;
	*out = NULL;
	*total = 0;
	if (!ledger_order && open_of_town(f) && (st = list_open_of_town(d, f, pg, out)) != DB_OK)
		return st;
	filter_params(f, p);
	p[FILTER_NPARAMS] = DP_INT(pg->limit);
	p[FILTER_NPARAMS + 1] = DP_INT(pg->offset);
	if (!*out &&
	    (st = db_query(d, ledger_order ? SQL_ITEM_LEDGER : SQL_ITEM_LIST, p, FILTER_NPARAMS + 2, out)) != DB_OK)
		return st;
	if (db_rows_count(*out) > 0) {
		const char *t = col_str(*out, 0, db_rows_col(*out, TOTAL_COLUMN));
		*total = t ? strtoll(t, NULL, 10) : 0;
		return DB_OK;
	}
	if (pg->offset > 0 && (st = db_query_int(d, SQL_ITEM_COUNT, p, FILTER_NPARAMS, total)) != DB_OK) {
		db_rows_free(*out);
		*out = NULL;
	}
	return st;
}

db_status rect_db_list(db *d, const rect_filter *f, const rectify_rules *rules, const paging *pg, int ledger_order,
		       json_t **items, long long *total)
{
	db_rows *r;
	size_t i;
	db_status st = list_rows(d, f, pg, ledger_order, &r, total);
	if (st != DB_OK)
		return st;
	*items = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		json_t *it = db_rows_object(r, i);
		json_object_del(it, TOTAL_COLUMN);
		rect_decorate(it, rules, f->today);
		json_array_append_new(*items, it);
	}
	db_rows_free(r);
	return DB_OK;
}

/* Column indexes of what derive needs, and which columns the answer leaves out. */
typedef struct {
	long state, deadline, submitted, returns, extension;
	unsigned long long skip;
} item_cols;

static item_cols item_columns(const db_rows *r)
{
	item_cols c = {db_rows_col(r, "state"), db_rows_col(r, "deadline"), db_rows_col(r, "submitted_on"),
		       db_rows_col(r, "return_count"), db_rows_col(r, "extension_pending"), 0};
	long total = db_rows_col(r, TOTAL_COLUMN);
	if (total >= 0 && total < 64)
		c.skip |= 1ULL << total;
	if (c.extension >= 0 && c.extension < 64)
		c.skip |= 1ULL << c.extension;
	return c;
}

/* One item of a page as rect_db_list's JSON text of it would be. */
static void write_item(strbuf *b, const db_rows *r, size_t row, const item_cols *c, const rectify_rules *rules,
		       const char *today)
{
	const char *ext = col_str(r, row, c->extension), *returns = col_str(r, row, c->returns);
	item_derived d = derive(col_str(r, row, c->state), col_str(r, row, c->deadline), col_str(r, row, c->submitted),
				returns ? strtoll(returns, NULL, 10) : 0, ext ? strtoll(ext, NULL, 10) : 0, rules, today);
	strbuf_add(b, "{", 1);
	/* without derived fields, extension_pending stays the integer rect_decorate leaves */
	db_rows_write_members(r, row, d.ok || c->extension < 0 ? c->skip : c->skip & ~(1ULL << c->extension), b);
	if (d.ok)
		write_derived(b, &d);
	strbuf_add(b, "}", 1);
}

db_status rect_db_list_text(db *d, const rect_filter *f, const rectify_rules *rules, const paging *pg, strbuf *out)
{
	db_rows *r;
	item_cols c;
	size_t i;
	long long total;
	db_status st = list_rows(d, f, pg, 0, &r, &total);
	if (st != DB_OK)
		return st;
	c = item_columns(r);
	strbuf_add(out, "{\"items\":[", 10);
	for (i = 0; i < db_rows_count(r); i++) {
		if (i)
			strbuf_add(out, ",", 1);
		write_item(out, r, i, &c, rules, f->today);
	}
	strbuf_add(out, "]", 1);
	next_key(out, "total");
	jsonw_integer(out, total);
	next_key(out, "page");
	jsonw_integer(out, pg->page);
	next_key(out, "per_page");
	jsonw_integer(out, pg->limit);
	strbuf_add(out, "}", 1);
	db_rows_free(r);
	return DB_OK;
}

db_status rect_db_counts(db *d, const rect_filter *f, rectify_counts *c)
{
	db_param p[FILTER_NPARAMS + 1];
	db_rows *r;
	size_t i;
	db_status st;
	p[0] = DP_STR(f->today);
	filter_params(f, p + 1);
	if ((st = db_query(d, SQL_ITEM_STATES, p, DB_NPARAMS(p), &r)) != DB_OK)
		return st;
	memset(c, 0, sizeof(*c));
	for (i = 0; i < db_rows_count(r); i++) {
		int state = rectify_state_from_name(db_rows_str(r, i, 0));
		if (state >= 0)
			rectify_count(c, (rect_state)state, db_rows_int(r, i, 1) != 0, (long)db_rows_int(r, i, 2));
	}
	db_rows_free(r);
	return DB_OK;
}
