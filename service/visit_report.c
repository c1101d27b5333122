/* visit_report.c - the 督导意见书 of one visit, for the principal: Markdown
 * composed here from the visit (every user-written string through md_escape),
 * rendered by cmark-gfm (reports/markdown.c) and wrapped in a printable page. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "orgs.h"
#include "rectifications.h"
#include "templates.h"
#include "util.h"
#include "visits.h"

static const char REPORT_HEAD[] =
	"<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>督导意见书</title>\n<style>\n"
	"body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;"
	"color:#111;max-width:960px;margin:2em auto;padding:0 1em;line-height:1.6}\n"
	"h1{text-align:center;letter-spacing:.3em}h2{border-bottom:1px solid #999;padding-bottom:.2em}\n"
	"table{border-collapse:collapse;width:100%;margin:1em 0}\n"
	"th,td{border:1px solid #444;padding:.35em .5em;vertical-align:top;text-align:left;overflow-wrap:anywhere}"
	"th{background:#eee}\n"
	"blockquote{border-left:4px solid #b00;margin:1em 0;padding:.2em 1em;color:#b00}\n"
	"@media print{body{margin:0;max-width:none;font-size:11pt}@page{size:A4;margin:18mm}"
	"tr{break-inside:avoid}thead{display:table-header-group}h2{break-after:avoid}}\n"
	"</style>\n</head>\n<body>\n<main class=\"report\">\n";
static const char REPORT_TAIL[] = "</main>\n</body>\n</html>\n";

/* A growable Markdown text. */
typedef struct {
	char *p;
	size_t len, cap;
} mdoc;

/* Appends Markdown written here (trusted), printf-style. */
static void mdoc_raw(mdoc *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void mdoc_raw(mdoc *m, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	while (m->len + (size_t)n + 1 > m->cap) {
		m->cap = m->cap ? m->cap * 2 : 4096;
		m->p = xrealloc(m->p, m->cap);
	}
	va_start(ap, fmt);
	vsnprintf(m->p + m->len, m->cap - m->len, fmt, ap);
	va_end(ap);
	m->len += (size_t)n;
}

/* Appends user text, escaped so that it is only ever text (also inside a table cell). */
static void mdoc_text(mdoc *m, const char *s)
{
	char *e = md_escape(s);
	mdoc_raw(m, "%s", e);
	free(e);
}

static const char *jget(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* The heading lines: school, town, date, kind, inspectors, checklist. */
static void report_header(mdoc *m, const json_t *v)
{
	json_t *who;
	size_t i;
	mdoc_raw(m, "# 督导意见书\n\n");
	if (strcmp(jget(v, "state"), "filed"))
		mdoc_raw(m, "> 草稿：本意见书尚未正式下达。\n\n");
	mdoc_raw(m, "**学校**：");
	mdoc_text(m, jget(v, "school_name"));
	mdoc_raw(m, "（学校标识码 ");
	mdoc_text(m, jget(v, "school_code"));
	mdoc_raw(m, "）\\\n**所属**：");
	mdoc_text(m, json_is_string(json_object_get(v, "town_name")) ? jget(v, "town_name") : "教育局直属");
	mdoc_raw(m, "\\\n**督导日期**：%s　**督导类型**：", jget(v, "visit_date"));
	mdoc_text(m, jget(v, "kind"));
	mdoc_raw(m, "\\\n**督学**：");
	json_array_foreach(json_object_get(v, "inspectors"), i, who) {
		if (i)
			mdoc_raw(m, "、");
		mdoc_text(m, jget(who, "display_name"));
	}
	mdoc_raw(m, "\\\n**检查表**：");
	mdoc_text(m, jget(v, "template_name"));
	mdoc_raw(m, "（第 %lld 版）\n\n", (long long)json_integer_value(json_object_get(v, "template_version")));
}

/* The answer of item_id among the visit's answers, or NULL. */
static const json_t *answer_for(const json_t *answers, long long item_id)
{
	size_t i;
	json_t *a;
	json_array_foreach(answers, i, a)
		if (json_integer_value(json_object_get(a, "item_id")) == item_id)
			return a;
	return NULL;
}

/* One row per checklist item with its result. */
static void report_checklist(mdoc *m, const json_t *v, const json_t *tpl)
{
	json_t *item;
	size_t i;
	mdoc_raw(m, "## 一、检查情况\n\n| 序号 | 类别 | 检查项目 | 结果 | 说明 |\n| --- | --- | --- | --- | --- |\n");
	json_array_foreach(json_object_get(tpl, "items"), i, item) {
		long long id = json_integer_value(json_object_get(item, "id"));
		const json_t *a = answer_for(json_object_get(v, "answers"), id);
		mdoc_raw(m, "| %zu | ", i + 1);
		mdoc_text(m, jget(item, "category"));
		mdoc_raw(m, " | ");
		mdoc_text(m, jget(item, "title"));
		mdoc_raw(m, " | ");
		mdoc_text(m, a ? jget(a, "result") : "未检查");
		mdoc_raw(m, " | ");
		mdoc_text(m, a ? jget(a, "note") : "");
		mdoc_raw(m, " |\n");
	}
	mdoc_raw(m, "\n");
	if (*jget(v, "summary")) {
		mdoc_raw(m, "**总体评价**：");
		mdoc_text(m, jget(v, "summary"));
		mdoc_raw(m, "\n\n");
	}
}

/* A finding's deadline as this visit issued it: the one its item had when a later
 * 回头看 first reopened it (issued), else its item's (an approved extension
 * included), the one the inspector set, or the default. */
static void finding_deadline(const json_t *f, const json_t *v, const db_rows *issued, const rectify_rules *rules,
			     char out[11])
{
	long long id = json_integer_value(json_object_get(f, "id"));
	int sev = rectify_severity_from_name(jget(f, "severity"));
	size_t i;
	for (i = 0; i < db_rows_count(issued); i++)
		if (db_rows_int(issued, i, 0) == id && db_rows_str(issued, i, 1)) {
			str_copy(out, 11, db_rows_str(issued, i, 1));
			return;
		}
	if (json_is_string(json_object_get(f, "rectification_deadline")))
		str_copy(out, 11, jget(f, "rectification_deadline"));
	else if (json_is_string(json_object_get(f, "deadline")))
		str_copy(out, 11, jget(f, "deadline"));
	else if (sev < 0 || rectify_default_deadline(rules, (rect_severity)sev, jget(v, "visit_date"), out) != 0)
		str_copy(out, 11, "");
}

/* The last two cells of a row of the table of problems. */
static void row_end(mdoc *m, const char *severity, const char *deadline)
{
	mdoc_raw(m, " | ");
	mdoc_text(m, severity);
	mdoc_raw(m, " | ");
	mdoc_text(m, deadline);
	mdoc_raw(m, " |\n");
}

/* The problems this visit found, then those its 回头看 found come back (复发). */
static void report_findings(mdoc *m, const json_t *v, const db_rows *issued, const json_t *reopened,
			    const rectify_rules *rules)
{
	json_t *f, *findings = json_object_get(v, "findings");
	char deadline[11];
	size_t i, n = 0;
	mdoc_raw(m, "## 二、发现的问题及整改期限\n\n");
	if (json_array_size(findings) == 0 && json_array_size(reopened) == 0) {
		mdoc_raw(m, "本次督导未发现需要整改的问题。\n\n");
		return;
	}
	mdoc_raw(m, "| 序号 | 检查项目 | 问题描述 | 严重程度 | 整改期限 |\n| --- | --- | --- | --- | --- |\n");
	json_array_foreach(findings, i, f) {
		finding_deadline(f, v, issued, rules, deadline);
		mdoc_raw(m, "| %zu | ", ++n);
		mdoc_text(m, jget(f, "item_title"));
		mdoc_raw(m, " | ");
		mdoc_text(m, jget(f, "description"));
		row_end(m, jget(f, "severity"), deadline);
	}
	json_array_foreach(reopened, i, f) {
		mdoc_raw(m, "| %zu | ", ++n);
		mdoc_text(m, jget(f, "item_title"));
		mdoc_raw(m, " | **复发**：");
		mdoc_text(m, jget(f, "description"));
		mdoc_raw(m, "（%s 督导发现，已销号后复查反弹", jget(f, "found_on"));
		if (*jget(f, "note")) {
			mdoc_raw(m, "：");
			mdoc_text(m, jget(f, "note"));
		}
		mdoc_raw(m, "）");
		row_end(m, jget(f, "severity"), jget(f, "deadline"));
	}
	mdoc_raw(m, "\n");
}

static void report_requirements(mdoc *m, const json_t *v, const char *bureau, const char *today)
{
	const char *date = json_is_string(json_object_get(v, "filed_on")) ? jget(v, "filed_on") : today;
	mdoc_raw(m, "## 三、整改要求\n\n"
		    "1. 请学校对照上述问题逐项整改，在整改期限前通过督导系统提交整改情况和佐证材料（照片、扫描件）。\n"
		    "2. 确需延期的，应在期限届满前提出申请并说明理由，经批准后方可延期。\n"
		    "3. 整改情况经督学核查后销号；逾期未整改的，将按规定予以提醒、通报或约谈。\n\n");
	mdoc_raw(m, "督导机构：");
	mdoc_text(m, bureau);
	mdoc_raw(m, "\\\n日期：%s\n", date);
}

/* The page around the rendered fragment. */
static char *report_page(const char *fragment, size_t *len)
{
	size_t a = strlen(REPORT_HEAD), b = strlen(fragment), c = strlen(REPORT_TAIL);
	char *page = xmalloc(a + b + c + 1);
	memcpy(page, REPORT_HEAD, a);
	memcpy(page + a, fragment, b);
	memcpy(page + a + b, REPORT_TAIL, c + 1);
	*len = a + b + c;
	return page;
}

db_status visit_report_html(db *d, const char *scope_path, int drafts, long long id, const char *today,
			    char **html, size_t *len)
{
	json_t *v = NULL, *tpl = NULL, *reopened = NULL;
	db_rows *issued = NULL;
	char bureau[256];
	rectify_rules rules;
	char *fragment;
	mdoc m;
	db_status st = visits_db_get_json(d, scope_path, drafts, id, &v);
	if (st == DB_OK)
		st = templates_db_get(d, json_integer_value(json_object_get(v, "template_id")), &tpl);
	if (st == DB_OK)
		st = rect_db_rules(d, &rules);
	if (st == DB_OK)
		st = orgs_db_bureau_name(d, json_integer_value(json_object_get(v, "school_id")), bureau, sizeof(bureau));
	if (st == DB_OK)
		st = visits_db_report_rounds(d, id, &issued, &reopened);
	if (st != DB_OK) {
		json_decref(v);
		json_decref(tpl);
		return st;
	}
	memset(&m, 0, sizeof(m));
	report_header(&m, v);
	report_checklist(&m, v, tpl);
	report_findings(&m, v, issued, reopened, &rules);
	report_requirements(&m, v, bureau, today);
	fragment = m.p ? md_to_html(m.p) : NULL;
	*html = fragment ? report_page(fragment, len) : NULL;
	free(fragment);
	free(m.p);
	db_rows_free(issued);
	json_decref(reopened);
	json_decref(v);
	json_decref(tpl);
	return *html ? DB_OK : DB_ERR;
}
