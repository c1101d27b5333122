/* test_metrics.c - the pure side of the pairing metrics: per-mille coverage and
 * its rounding rules, the staff load, the JSON shape (rows, totals, split) and
 * the coverage chart of a table. The split itself is computed in SQL and tested
 * against a known roster in tests/api/test_metrics.c. */
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "harness.h"
#include "metrics.h"

static void test_permille(void)
{
	CHECK(metrics_permille(0, 0) == -1, "no eligible students: no coverage");
	CHECK(metrics_permille(0, 5) == 0 && metrics_permille(5, 5) == 1000, "none and all");
	CHECK(metrics_permille(1, 3) == 333 && metrics_permille(2, 3) == 667, "thirds round to the nearest");
	CHECK(metrics_permille(7, 2000) == 4 && metrics_permille(1, 2000) == 1, "a half rounds up");
	CHECK(metrics_permille(4899, 4900) == 999, "one unpaired student out of 4,900 is not 100%% (%d)",
	      metrics_permille(4899, 4900));
	CHECK(metrics_permille(1, 3000) == 1, "one paired student out of 3,000 is not 0%% (%d)", metrics_permille(1, 3000));
	CHECK(metrics_permille(6, 7) == 857 && metrics_permille(963, 1000) == 963, "ordinary values");
	CHECK(metrics_permille(9, 5) == 1000 && metrics_permille(-2, 5) == 0, "out of range parts are clamped");
}

/* The mean load from pairs and helpers, x100 and rounded half up. */
static long long mean_x100(long long pairs, long long helpers)
{
	metrics_split s = {0};
	s.pairs = pairs;
	s.helpers = helpers;
	metrics_split_finish(&s);
	return s.load_mean_x100;
}

static void test_split(void)
{
	CHECK(mean_x100(9, 5) == 180, "9 pairs over 5 helpers is 1.80 (%lld)", mean_x100(9, 5));
	CHECK(mean_x100(4, 3) == 133, "4 pairs over 3 helpers is 1.33 (%lld)", mean_x100(4, 3));
	CHECK(mean_x100(7, 6) == 117, "7 over 6 rounds up to 1.17 (%lld)", mean_x100(7, 6));
	CHECK(mean_x100(1, 8) == 13, "1 over 8 is 0.125, half up to 0.13 (%lld)", mean_x100(1, 8));
	CHECK(mean_x100(0, 0) == 0, "no helpers: mean 0");
}

/* A bureau with a town of 54 eligible (52 paired) and a school with nobody eligible. */
static void table_init(metrics_table *t, metrics_row rows[2])
{
	memset(t, 0, sizeof *t);
	memset(rows, 0, 2 * sizeof *rows);
	t->org.id = 1;
	strcpy(t->org.kind, "bureau");
	strcpy(t->org.name, "桐岭县教育局");
	strcpy(t->date, "2026-11-23");
	rows[0].org_id = 2;
	strcpy(rows[0].kind, "town");
	strcpy(rows[0].name, "石桥镇教管中心");
	rows[0].base = 54;
	rows[0].hit = 52;
	rows[1].org_id = 90;
	strcpy(rows[1].kind, "school");
	strcpy(rows[1].name, "桐岭县特殊教育学校");
	t->rows = rows;
	t->nrows = 2;
	t->base = 54;
	t->hit = 52;
}

static void test_json_and_chart(void)
{
	metrics_table t;
	metrics_row rows[2];
	unsigned char *png = NULL;
	int len = 0;
	json_t *j;
	table_init(&t, rows);
	j = metrics_table_json(&t, "eligible", "paired", "unpaired");
	CHECK(json_integer_value(json_object_get(json_object_get(j, "org"), "id")) == 1, "org id");
	CHECK(!strcmp(json_string_value(json_object_get(j, "date")), "2026-11-23"), "as-of date");
	CHECK(json_array_size(json_object_get(j, "rows")) == 2, "one row per child");
	CHECK(json_integer_value(json_object_get(json_array_get(json_object_get(j, "rows"), 0), "unpaired")) == 2 &&
		      json_integer_value(json_object_get(json_array_get(json_object_get(j, "rows"), 0), "coverage_permille")) == 963,
	      "a row: 52 of 54 is 963 per mille with 2 unpaired");
	CHECK(json_is_null(json_object_get(json_array_get(json_object_get(j, "rows"), 1), "coverage_permille")),
	      "a row with nobody eligible has null coverage");
	CHECK(json_integer_value(json_object_get(json_object_get(j, "totals"), "eligible")) == 54, "totals");
	metrics_split_json(j, &t.split);
	CHECK(json_object_get(json_object_get(j, "split"), "one_to_one") &&
		      json_object_get(json_object_get(j, "students_per_helper"), "mean_x100"),
	      "split and load are added");
	json_decref(j);
	CHECK(metrics_coverage_chart(&t, &png, &len) == 0 && len > 1000 && !memcmp(png, "\x89PNG", 4),
	      "the coverage chart of a table is a PNG");
	chart_free(png);
}

void test_metrics(void)
{
	test_permille();
	test_split();
	test_json_and_chart();
}
