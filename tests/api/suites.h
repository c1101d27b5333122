/* suites.h - the groups of API tests run by main.c, and the fixtures they share. */
#ifndef DUDAO_API_SUITES_H
#define DUDAO_API_SUITES_H

#include "harness.h"

#define DEMO_PASSWORD "Dudao@2026"

/* Each runs one topic against the running server, recording checks. */
void test_meta(void);     /* healthz, openapi.json vs `dudao routes`, 404, 405 */
void test_session(void);  /* login, logout, throttling, CSRF, bearer tokens */
void test_input(void);    /* body checks: 413, 415, UTF-8, malformed JSON, fields; 401, 403 */
void test_users(void);    /* user and org create/update rules, conflicts */
void test_scope(void);    /* who sees which orgs */
void test_audit(void);    /* audit entries for writes, none for rejected requests */

/* Signs in as username with the demo password, CHECKing it worked. */
int fixture_login(const char *username, client *c);

/* Creates a user as admin; returns the new id, or -1 after a failed CHECK. */
long long fixture_user(const client *admin, const char *username, const char *role,
		       long long org_id, const char *password);

/* GETs path as c and returns its "total", or -1 when the list could not be read. */
long long fixture_total(const client *c, const char *path);
/* The total of users (as admin) whose name matches q. */
long long fixture_count_users(const client *admin, const char *q);
/* The total of orgs visible to c whose name matches q. */
long long fixture_count_orgs(const client *c, const char *q);
/* The total of audit entries (as admin). */
long long fixture_count_audit(const client *admin);

#endif
