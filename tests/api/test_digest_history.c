/* test_digest_history.c - the digest of a day before today counts the items as
 * they stood at the end of that day, not as they are now. On the demo county's
 * year (DUDAO_TODAY=2026-11-23), for the bureau head and each of the 60 days
 * before today, `escalated` must equal what the items' journals (GET of each
 * item) say: open or reopened at the end of the day, and their days overdue,
 * from the deadline the journal had set by then, at a threshold (or past the
 * first, made or returned that day). Most of the items overdue then have been
 * answered or closed since, so a count from the items' present state would be
 * short: the test checks that such items are among those counted. */
#define _DEFAULT_SOURCE /* timegm */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "suites.h"

#define DAYS_BACK 60

/* Days since 1970-01-01 of "YYYY-MM-DD" (0 for a malformed date). */
static long days_of(const char *s)
{
	struct tm tm = {0};
	if (!s || sscanf(s, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long)(timegm(&tm) / 86400);
}

/* "YYYY-MM-DD" of day z (days since 1970-01-01) into out. */
static void date_of(long z, char out[11])
{
	time_t t = (time_t)z * 86400;
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		out[0] = '\0';
}

/* An item as its journal had it at the end of day `day`. */
typedef struct {
	int active;        /* open or reopened */
	long overdue;      /* days past the deadline then (negative: days left) */
	int made_or_returned; /* a create or return event that day */
} as_of;

static as_of item_on(const json_t *journal, long day)
{
	const json_t *ev, *last = NULL, *set = NULL;
	const char *state;
	as_of a = {0, 0, 0};
	size_t i;
	json_array_foreach(journal, i, ev) { /* oldest first: the last one by then wins */
		long on = days_of(jstr(ev, "on_date"));
		const char *action = jstr(ev, "action");
		if (on > day)
			continue;
		if (!last || on >= days_of(jstr(last, "on_date")))
			last = ev;
		if (jstr(ev, "deadline_after") && (!set || on >= days_of(jstr(set, "on_date"))))
			set = ev;
		a.made_or_returned |= on == day && action && (!strcmp(action, "create") || !strcmp(action, "return"));
	}
	state = last ? jstr(last, "to_state") : NULL;
	a.active = state && set && (!strcmp(state, "open") || !strcmp(state, "reopened"));
	a.overdue = set ? day - days_of(jstr(set, "deadline_after")) : 0;
	return a;
}

/* Reaching a level that day under thresholds t[3]. */
static int escalated(as_of a, const long t[3])
{
	return a.active && (a.overdue == t[0] || a.overdue == t[1] || a.overdue == t[2] ||
			    (a.overdue >= t[0] && a.made_or_returned));
}

/* Due within the digest's 3 days (due_soon). */
static int due_soon(as_of a)
{
	return a.active && a.overdue <= 0 && a.overdue >= -3;
}

/* Every item in c's scope with its journal. New reference. */
static json_t *items_with_journals(const client *head)
{
	json_t *all = json_array(), *page, *it;
	char path[96];
	size_t i, unread = 0;
	int p;
	long long total = fixture_total(head, "/api/v1/rectifications?per_page=1");
	for (p = 1; (long long)json_array_size(all) < total && p <= 50; p++) {
		http_resp *r;
		snprintf(path, sizeof path, "/api/v1/rectifications?per_page=500&page=%d", p);
		r = api(head, "GET", path, NULL, NULL);
		page = CHECK_STATUS(r, 200) ? json_object_get(r->json, "items") : NULL;
		json_array_foreach(page, i, it) {
			http_resp *one;
			snprintf(path, sizeof path, "/api/v1/rectifications/%lld", jint(it, "id"));
			one = api(head, "GET", path, NULL, NULL);
			if (one->status == 200)
				json_array_append(all, one->json);
			else
				unread++;
			http_resp_free(one);
		}
		http_resp_free(r);
		if (!page)
			break;
	}
	CHECK(unread == 0, "every item of the list read with its journal (%zu not)", unread);
	return all;
}

/* For each of the DAYS_BACK days before today, c's digest against the journals of
 * items (c's scope): escalated, and due_soon for a principal. Returns how many
 * items were counted on those days and, into *moved_on, how many of them are
 * no longer open. */
static long long check_days(const client *c, const char *who, const json_t *items, const long t[3], int principal,
			    long long *moved_on)
{
	long today = days_of("2026-11-23"), day;
	long long wrong = 0, counted = 0;
	char date[11], path[96];
	const json_t *it;
	size_t i;
	for (day = today - DAYS_BACK; day < today; day++) {
		long long want_esc = 0, want_due = 0, got_esc, got_due;
		http_resp *r;
		json_array_foreach(items, i, it) {
			as_of a = item_on(json_object_get(it, "journal"), day);
			int e = escalated(a, t);
			want_esc += e;
			want_due += due_soon(a);
			*moved_on += e && strcmp(jstr(it, "state"), "open") && strcmp(jstr(it, "state"), "reopened");
		}
		if (!principal)
			want_due = 0;
		date_of(day, date);
		snprintf(path, sizeof path, "/api/v1/inbox/digest?date=%s", date);
		r = api(c, "GET", path, NULL, NULL);
		got_esc = r->status == 204 ? 0 : r->status == 200 ? jint(r->json, "counts.escalated") : -1;
		got_due = r->status == 204 || !principal ? 0 : r->status == 200 ? jint(r->json, "counts.due_soon") : -1;
		if (got_esc != want_esc || got_due != want_due) {
			wrong++;
			CHECK(0, "%s's digest of %s: escalated %lld, due_soon %lld; the journals say %lld and %lld", who, date,
			      got_esc, got_due, want_esc, want_due);
		}
		counted += want_esc + want_due;
		http_resp_free(r);
	}
	CHECK(wrong == 0, "%s, the %d days before today: the digest's counts are the journals'", who, DAYS_BACK);
	return counted;
}

void test_digest_history(void)
{
	client head, principal;
	json_t *items, *settings;
	long t[3];
	long long moved_on = 0, counted;
	harness_group("digest: a past day's items as they stood that day");
	if (!fixture_login("juzhang", &head) || !fixture_login("xiaozhang", &principal))
		return;
	{
		http_resp *r = api(&head, "GET", "/api/v1/settings", NULL, NULL);
		settings = CHECK_STATUS(r, 200) ? json_incref(r->json) : NULL;
		http_resp_free(r);
	}
	if (!settings)
		return;
	t[0] = (long)jint(settings, "escalate_days.提醒");
	t[1] = (long)jint(settings, "escalate_days.通报");
	t[2] = (long)jint(settings, "escalate_days.约谈");
	json_decref(settings);
	items = items_with_journals(&head);
	CHECK(json_array_size(items) > 100, "the demo county's items with their journals: %zu", json_array_size(items));
	counted = check_days(&head, "the bureau head", items, t, 0, &moved_on);
	CHECK(counted > 0 && moved_on > 0,
	      "items reached a level on those days (%lld), among them ones answered or closed since (%lld)", counted,
	      moved_on);
	json_decref(items);
	items = items_with_journals(&principal);
	counted = check_days(&principal, "xiaozhang", items, t, 1, &moved_on);
	CHECK(counted > 0, "xiaozhang's school had items due or escalated on those days (%lld)", counted);
	json_decref(items);
}
