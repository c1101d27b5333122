/* metrics.c - the pure side of the pairing metrics: per-mille coverage, the
 * staff load, JSON and the coverage chart. The SQL is in metrics_db.c; the
 * definitions in metrics.h. */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "util.h"

void metrics_table_release(metrics_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

int metrics_permille(long long part, long long whole)
{
	long long p;
	if (whole <= 0)
		return -1;
	if (part <= 0)
		return 0;
	if (part >= whole)
		return 1000;
	p = (part * 2000 / whole + 1) / 2; /* half up */
	if (p >= 1000)
		return 999;
	return p < 1 ? 1 : (int)p;
}

void metrics_split_finish(metrics_split *s)
{
	s->load_mean_x100 = s->helpers ? (s->pairs * 200 / s->helpers + 1) / 2 : 0;
}

/* {base_key, hit_key, miss_key, coverage_permille} into obj. */
static void counts_json(json_t *obj, long long base, long long hit, const char *base_key,
			const char *hit_key, const char *miss_key)
{
	int pm = metrics_permille(hit, base);
	json_object_set_new(obj, base_key, json_integer(base));
	json_object_set_new(obj, hit_key, json_integer(hit));
	json_object_set_new(obj, miss_key, json_integer(base - hit));
	json_object_set_new(obj, "coverage_permille", pm < 0 ? json_null() : json_integer(pm));
}

json_t *metrics_table_json(const metrics_table *t, const char *base_key, const char *hit_key,
			   const char *miss_key)
{
	json_t *rows = json_array(), *totals = json_object();
	for (size_t i = 0; i < t->nrows; i++) {
		const metrics_row *r = &t->rows[i];
		json_t *o = json_pack("{s:I, s:s, s:s}", "org_id", (json_int_t)r->org_id, "name", r->name,
				      "kind", r->kind);
		counts_json(o, r->base, r->hit, base_key, hit_key, miss_key);
		json_array_append_new(rows, o);
	}
	counts_json(totals, t->base, t->hit, base_key, hit_key, miss_key);
	return json_pack("{s:{s:I, s:s, s:s}, s:s, s:o, s:o}", "org", "id", (json_int_t)t->org.id, "name",
			 t->org.name, "kind", t->org.kind, "date", t->date, "rows", rows, "totals", totals);
}

void metrics_split_json(json_t *obj, const metrics_split *s)
{
	json_object_set_new(obj, "split",
			    json_pack("{s:I, s:I, s:I, s:I, s:I}", "helpers", (json_int_t)s->helpers, "pairs",
				      (json_int_t)s->pairs, "one_to_one", (json_int_t)s->one_to_one,
				      "one_to_many", (json_int_t)s->one_to_many, "many_to_one",
				      (json_int_t)s->many_to_one));
	json_object_set_new(obj, "students_per_helper",
			    json_pack("{s:I, s:I}", "mean_x100", (json_int_t)s->load_mean_x100, "max",
				      (json_int_t)s->load_max));
}

/* "按教管中心", "按教管中心及直属学校", "按学校": what the bars are. */
static const char *chart_breakdown(const metrics_table *t)
{
	int towns = 0, schools = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		towns += !strcmp(t->rows[i].kind, "town");
		schools += !strcmp(t->rows[i].kind, "school");
	}
	if (towns && schools)
		return "按教管中心及直属学校";
	return towns ? "按教管中心" : "按学校";
}

/* A count with thousands separators: 12,345. */
static void format_count(long long n, char out[32])
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%lld", n < 0 ? 0 : n), o = 0;
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

int metrics_coverage_chart(const metrics_table *t, unsigned char **png, int *len)
{
	chart_bar *bars = xcalloc(t->nrows ? t->nrows : 1, sizeof *bars);
	char (*notes)[48] = xcalloc(t->nrows ? t->nrows : 1, sizeof *notes);
	char title[512], subtitle[256], e[32], p[32], pct[16];
	chart_hbar_spec spec = {title, subtitle, bars, t->nrows, 1000, "无应结对学生", NULL, 0};
	int rc, pm = metrics_permille(t->hit, t->base);
	for (size_t i = 0; i < t->nrows; i++) {
		bars[i].label = t->rows[i].name;
		bars[i].permille = t->rows[i].base > 0 ? metrics_permille(t->rows[i].hit, t->rows[i].base) : CHART_NO_DATA;
		snprintf(notes[i], sizeof notes[i], "%lld/%lld 人", t->rows[i].hit, t->rows[i].base);
		bars[i].note = t->rows[i].base > 0 ? notes[i] : NULL;
	}
	snprintf(title, sizeof title, "%s 结对帮扶覆盖率（%s）", t->org.name, chart_breakdown(t));
	format_count(t->base, e);
	format_count(t->hit, p);
	chart_format_permille(pm < 0 ? 0 : pm, pct);
	snprintf(subtitle, sizeof subtitle, "截至 %s · 应结对 %s 人，已结对 %s 人，覆盖率 %s", t->date, e, p,
		 pm < 0 ? "—" : pct);
	rc = chart_hbar(&spec, png, len);
	free(notes);
	free(bars);
	return rc;
}
