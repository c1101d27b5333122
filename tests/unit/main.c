/* main.c - runs every unit suite and prints "N passed, N failed". */
#include "harness.h"

int test_passed, test_failed;

int main(void)
{
	test_util();
	test_routes();
	test_db_config();
	test_calendar();
	test_rectify();
	test_evidence_sniff();
	test_demo_names();
	test_idnum();
	test_jsonw();
	test_mask();
	test_csv();
	test_xlsx();
	test_import();
	test_chart();
	test_markdown();
	test_metrics();
	test_demo_roster();
	test_coverage();
	printf("%d passed, %d failed\n", test_passed, test_failed);
	return test_failed ? 1 : 0;
}
