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

/* An item by its journal at the end of day `day`: 1 when open or reopened then
 * and reaching a level that day under thresholds t[3]. */
static int escalated_on(const json_t *journal, long day, const long t[3])
{
	const json_t *ev, *last = NULL, *set = NULL;
	const char *deadline, *state;
	long overdue;
	int made_or_returned = 0;
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
		made_or_returned |= on == day && action && (!strcmp(action, "create") || !strcmp(action, "return"));
	}
	state = last ? jstr(last, "to_state") : NULL;
	deadline = set ? jstr(set, "deadline_after") : NULL;
	if (!state || !deadline || (strcmp(state, "open") && strcmp(state, "reopened")))
		return 0;
	overdue = day - days_of(deadline);
	return overdue == t[0] || overdue == t[1] || overdue == t[2] || (overdue >= t[0] && made_or_returned);
}

/* Every item of the bureau head's county with its journal. New reference. */
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

void test_digest_history(void)
{
	client head;
	json_t *items, *settings, *it;
	long t[3], today, day;
	long long wrong = 0, counted = 0, since_moved_on = 0;
	char date[11], path[96];
	size_t i;
	harness_group("digest: a past day's items as they stood that day");
	if (!fixture_login("juzhang", &head))
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
	today = days_of("2026-11-23");
	for (day = today - DAYS_BACK; day < today; day++) {
		long long want = 0, got;
		http_resp *r;
		json_array_foreach(items, i, it)
			if (escalated_on(json_object_get(it, "journal"), day, t)) {
				want++;
				since_moved_on += strcmp(jstr(it, "state"), "open") && strcmp(jstr(it, "state"), "reopened");
			}
		date_of(day, date);
		snprintf(path, sizeof path, "/api/v1/inbox/digest?date=%s", date);
		r = api(&head, "GET", path, NULL, NULL);
		got = r->status == 204 ? 0 : r->status == 200 ? jint(r->json, "counts.escalated") : -1;
		if (got != want) {
			wrong++;
			CHECK(0, "digest of %s: escalated %lld, the journals say %lld", date, got, want);
		}
		counted += want;
		http_resp_free(r);
	}
	CHECK(wrong == 0, "the %d days before today: the digest's escalated is the journals' count", DAYS_BACK);
	CHECK(counted > 0 && since_moved_on > 0,
	      "items reached a level on those days (%lld), among them ones answered or closed since (%lld)", counted,
	      since_moved_on);
	json_decref(items);
}
