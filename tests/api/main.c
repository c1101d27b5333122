/* main.c - the API test program: start the service, run every group, stop it,
 * and print "N passed, N failed" as the last line (exit 1 if any failed). */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>

#include "harness.h"
#include "server.h"
#include "suites.h"

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	harness_group("setup");
	if (server_start() == 0) {
		test_meta();
		test_demo(); /* before any test files visits or acts on items */
		test_digest_history(); /* on the demo's journals alone */
		test_demo_roster(); /* before any test adds students, pairings or visits */
		test_session();
		test_auth_cache();
		test_input();
		test_users();
		test_scope();
		test_audit();
		test_metrics();
		test_evidence();
		test_visits();
		test_rectify();
		test_rectify_views();
		test_roster();
		test_import();
		test_coverage();
		test_import_opts();
		test_paired_today();
		test_settings();
		test_rect_docs();
		test_rect_town_list();
		test_import_big();
		test_visits_answer();
		test_grouped();
		test_grouped_answers();
		test_read_cache();
		test_rectify_review();
		test_timeout(); /* last: starts a second server with a short timeout */
	} else {
		CHECK(0, "the service under test did not start");
	}
	harness_group("shutdown");
	server_stop();
	printf("%d passed, %d failed\n", harness_passed(), harness_failed());
	return harness_failed() ? 1 : 0;
}
