/* rect_digest_db.c - what the inbox digest counts of one day: the journal's
 * actions of the day, and the items that reached an escalation level or fall
 * due, as they are now or, for a day before today, as their journal had them at
 * the end of that day (the journal is only ever inserted into). */
#include "rectifications.h"

#include <string.h>

/* How many events of each action the day had in scope. */
static const char SQL_DAY_ACTIONS[] =
	"SELECT e.action, COUNT(*) FROM rectification_events e JOIN rectification_items i ON i.id = e.item_id"
	" JOIN orgs s ON s.id = i.school_id WHERE e.on_date = ? AND s.path LIKE CONCAT(?, '%') GROUP BY e.action";
/* The items of a digest's day (i.id, i.state, i.deadline): as they are now for
 * today and later days (ITEMS_NOW: the scope), as they stood at the end of an
 * earlier day by their journal (ITEMS_AS_OF: the day, the day, the scope, the
 * day), whose events are never rewritten: the state of the last event by then,
 * the deadline the last create, approved extension or reopening by then set. */
#define ITEMS_NOW " rectification_items i JOIN orgs s ON s.id = i.school_id WHERE s.path LIKE CONCAT(?, '%') AND"
#define ITEMS_AS_OF \
	" (SELECT i.id, (SELECT e.to_state FROM rectification_events e WHERE e.item_id = i.id AND e.on_date <= ?" \
	" ORDER BY e.on_date DESC, e.id DESC LIMIT 1) AS state, (SELECT e.deadline_after FROM rectification_events e" \
	" WHERE e.item_id = i.id AND e.on_date <= ? AND e.deadline_after IS NOT NULL ORDER BY e.on_date DESC," \
	" e.id DESC LIMIT 1) AS deadline FROM rectification_items i JOIN orgs s ON s.id = i.school_id" \
	" WHERE s.path LIKE CONCAT(?, '%') AND i.found_on <= ?) i WHERE"
/* Open items that reached a level that day: their days overdue came to a
 * threshold, or they became open already past the first one (made from a visit
 * filed late, returned after the deadline) and so skipped the day they would have. */
#define ESCALATED_ON \
	" i.state IN ('open', 'reopened') AND (DATEDIFF(?, i.deadline) IN (?, ?, ?) OR (DATEDIFF(?, i.deadline) >= ?" \
	" AND EXISTS (SELECT 1 FROM rectification_events e WHERE e.item_id = i.id AND e.on_date = ?" \
	" AND e.action IN ('create', 'return'))))"
#define DUE_WITHIN " i.state IN ('open', 'reopened') AND i.deadline BETWEEN ? AND ? + INTERVAL ? DAY"
static const char SQL_DAY_ESCALATIONS[] = "SELECT COUNT(*) FROM" ITEMS_NOW ESCALATED_ON;
static const char SQL_DAY_ESCALATIONS_PAST[] = "SELECT COUNT(*) FROM" ITEMS_AS_OF ESCALATED_ON;
static const char SQL_DUE_WITHIN[] = "SELECT COUNT(*) FROM" ITEMS_NOW DUE_WITHIN;
static const char SQL_DUE_WITHIN_PAST[] = "SELECT COUNT(*) FROM" ITEMS_AS_OF DUE_WITHIN;

db_status rect_db_day_actions(db *d, const char *scope_path, const char *date, json_t **out)
{
	db_param p[] = {DP_STR(date), DP_STR(scope_path)};
	db_rows *r;
	size_t i;
	db_status st = db_query(d, SQL_DAY_ACTIONS, p, DB_NPARAMS(p), &r);
	if (st != DB_OK)
		return st;
	*out = json_object();
	for (i = 0; i < db_rows_count(r); i++)
		json_object_set_new(*out, db_rows_str(r, i, 0), json_integer(db_rows_int(r, i, 1)));
	db_rows_free(r);
	return DB_OK;
}

/* The parameters of ITEMS_NOW (past: 0) or ITEMS_AS_OF (past: 1) for date into p; how many. */
static size_t items_of_day(db_param *p, int past, const char *scope_path, const char *date)
{
	if (!past) {
		p[0] = DP_STR(scope_path);
		return 1;
	}
	p[0] = p[1] = p[3] = DP_STR(date);
	p[2] = DP_STR(scope_path);
	return 4;
}

db_status rect_db_day_escalations(db *d, const char *scope_path, const char *date, const char *today,
				  const rectify_rules *rules, long long *count)
{
	int past = strcmp(date, today) < 0;
	db_param p[11];
	size_t n = items_of_day(p, past, scope_path, date);
	db_param cond[] = {DP_STR(date), DP_INT(rules->escalate_days[ESC_REMIND]),
			   DP_INT(rules->escalate_days[ESC_NOTICE]), DP_INT(rules->escalate_days[ESC_INTERVIEW]),
			   DP_STR(date), DP_INT(rules->escalate_days[ESC_REMIND]), DP_STR(date)};
	memcpy(p + n, cond, sizeof(cond));
	return db_query_int(d, past ? SQL_DAY_ESCALATIONS_PAST : SQL_DAY_ESCALATIONS, p, n + DB_NPARAMS(cond), count);
}

db_status rect_db_due_within(db *d, const char *scope_path, const char *date, const char *today, int days,
			     long long *count)
{
	int past = strcmp(date, today) < 0;
	db_param p[7];
	size_t n = items_of_day(p, past, scope_path, date);
	db_param cond[] = {DP_STR(date), DP_STR(date), DP_INT(days)};
	memcpy(p + n, cond, sizeof(cond));
	return db_query_int(d, past ? SQL_DUE_WITHIN_PAST : SQL_DUE_WITHIN, p, n + DB_NPARAMS(cond), count);
}
