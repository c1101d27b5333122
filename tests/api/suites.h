/* suites.h - the groups of API tests run by main.c, and the fixtures they share. */
#ifndef DUDAO_API_SUITES_H
#define DUDAO_API_SUITES_H

#include "harness.h"

#define DEMO_PASSWORD "Dudao@2026"

/* Each runs one topic against the running server, recording checks. */
void test_meta(void);     /* healthz, openapi.json vs `dudao routes`, 404, 405 */
void test_auth_cache(void); /* callers kept a few seconds; role change, deactivation, logout apply at once */
void test_session(void);  /* login, logout, throttling, CSRF, bearer tokens */
void test_input(void);    /* body checks: 413, 415, UTF-8, malformed JSON, fields; 401, 403 */
void test_users(void);    /* user and org create/update rules, conflicts */
void test_scope(void);    /* who sees which orgs */
void test_audit(void);    /* audit entries for writes, none for rejected requests */
void test_metrics(void);  /* pairing coverage, unpaired, home visits, key students, the chart */
void test_evidence(void); /* uploads: types from the bytes, size, scope, headers, idempotency */
void test_visits(void);   /* templates and versions, visits draft to filed, refused visits, the report */
void test_rectify(void);  /* the rectification life cycle, refused actions, extensions, reopening */
void test_rectify_views(void); /* overdue and escalation, lists, inbox, digest, the ledger and its XLSX */
void test_rectify_review(void); /* what a review found: lapsed extensions, reopening, long text, XLSX, filters */
void test_roster(void);   /* students, households, staff, pairings, home visits: rules, scope, masking, audit */
void test_import(void);   /* roster and pairing-register imports: CSV/XLSX, encodings, re-import, bad input */
void test_coverage(void); /* coverage metrics: every ?method= answers as the reference statement */
void test_demo(void);     /* the demo county's year of visits and items; reloading it gives the same rows */
void test_demo_roster(void); /* the demo county's roster: sizes, coverage, unpaired, home visits, IDs masked */
void test_import_opts(void);  /* imports: the file name from ?file_name= or X-Filename, dry_run in every answer */
void test_paired_today(void); /* the student list's paired_today against the pairings active today */
void test_settings(void);     /* GET /api/v1/settings: the rules in force and as stored, admin and bureau head only */
void test_read_cache(void); /* lists, ledger, inbox kept until the next write; by caller; hand changes after 5 s */
void test_rect_town_list(void); /* the open items of a town from their own index, as the general list */
void test_rect_docs(void);    /* inbox extension rows, town_id null for direct schools, refusals naming the field */
void test_timeout(void);      /* --timeout validation; a slow import and a slow upload still answered */
void test_import_big(void);   /* roster files of several chunks: late errors, dry run, import, re-import */
void test_visits_answer(void); /* a new visit's POST answer is its GET answer byte for byte, and its audit after */
void test_digest_history(void); /* a past day's digest counts the items as their journals had them that day */
void test_grouped(void);      /* new visits read together are written together, each answered as if alone */
void test_grouped_answers(void); /* answers read together are written together, a stale one still 409 */

/* Signs in as username with the demo password, CHECKing it worked. */
int fixture_login(const char *username, client *c);

/* Creates a user as admin; returns the new id, or -1 after a failed CHECK. */
long long fixture_user(const client *admin, const char *username, const char *role,
		       long long org_id, const char *password);

/* POSTs body (taken) to path as c; returns the new "id", or -1 after a failed CHECK (201). */
long long fixture_create(const client *c, const char *path, json_t *body);

/* GETs path as c and returns its "total", or -1 when the list could not be read. */
long long fixture_total(const client *c, const char *path);
/* The total of users (as admin) whose name matches q. */
long long fixture_count_users(const client *admin, const char *q);
/* The total of orgs visible to c whose name matches q. */
long long fixture_count_orgs(const client *c, const char *q);
/* The total of audit entries (as admin). */
long long fixture_count_audit(const client *admin);

/* ---- roster (roster_fixtures.c) ---- */

/* The demo logins and schools the roster tests use: xiaozhang's school, another
 * primary school and the login of its principal. */
typedef struct {
	client admin, principal, aid, head, inspector;
	long long school, other;
	char school_name[160];
	char other_principal[32];
} roster_demo;
/* Signs everyone in and finds the schools; 0 after a failed CHECK. */
int roster_schools(roster_demo *d);
/* A valid 身份证号 born on birth8 ("20150301") with serial seq, into out. */
void roster_id_number(const char *birth8, int seq, char out[19]);
/* POSTs raw bytes as c with this Content-Type (NULL: none). Caller frees. */
http_resp *roster_upload(const client *c, const char *path, const char *content_type, const void *body, size_t len);
http_resp *roster_upload_csv(const client *c, const char *path, const char *csv);
/* An .xlsx of nrows x ncols cells (row 0 the header, in shared strings; "#n" a
 * date serial, "=n" a number, others inline strings). Caller frees. */
unsigned char *roster_xlsx(const char *const *rows, size_t nrows, size_t ncols, size_t *len);
/* The total of /api/v1/<list>?<query> as c. */
long long roster_count(const client *c, const char *list, const char *query);

#endif
