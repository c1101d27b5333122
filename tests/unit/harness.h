/* harness.h - a tiny unit-test harness: CHECK records a pass or a failure
 * with its place and message and never stops the run (after cmark's api_test). */
#ifndef DUDAO_TEST_HARNESS_H
#define DUDAO_TEST_HARNESS_H

#include <stdio.h>

extern int test_passed, test_failed;

#define CHECK(cond, ...)                                             \
	do {                                                         \
		if (cond) {                                          \
			test_passed++;                               \
		} else {                                             \
			test_failed++;                               \
			printf("FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__);                         \
			printf("\n");                                \
		}                                                    \
	} while (0)

/* The suites, one per file. */
void test_demo_names(void);
void test_util(void);
void test_routes(void);
void test_db_config(void);
void test_calendar(void);
void test_rectify(void);
void test_evidence_sniff(void);
void test_idnum(void);
void test_jsonw(void);
void test_mask(void);
void test_csv(void);
void test_xlsx(void);
void test_import(void);
void test_chart(void);
void test_markdown(void);
void test_metrics(void);
void test_demo_roster(void);
void test_coverage(void);

#endif
