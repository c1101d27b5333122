/* ledger.c - GET /api/v1/rectifications/ledger: the rectification ledger
 * (整改台账) in the form bureaus file, as JSON (paged) or as an XLSX workbook
 * (?format=xlsx, every matching row) written by libxlsxwriter to a temporary
 * file and read back. Both carry the summary sentence
 * "共发现问题 N 个，已整改 N 个，其中整改完成 N 个，正在整改 N 个", where
 * 整改完成 = closed (销号), 正在整改 = submitted, or open/reopened within the
 * deadline, 已整改 = the two together; open/reopened past the deadline are
 * neither (逾期未整改, reported as "overdue"). See rectify_count. The sentence
 * counts every item of the town, school, severity and dates asked for, whatever
 * the state and overdue filters: "共发现问题 455 个，已整改 455 个" over the
 * closed items alone would read as a county with nothing left to do. The sheet
 * names the filters its rows were chosen by. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "evidence.h"
#include "handlers.h"
#include "log.h"
#include "orgs.h"
#include "rectifications.h"
#include "static.h"
#include "util.h"

#define LEDGER_XLSX_MAX_ROWS 100000
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* The columns of the sheet: header, width, the item's key and how to write it. */
typedef enum { COL_SERIAL, COL_TEXT, COL_TOWN, COL_WRAP, COL_DATE, COL_INT, COL_BOOL } col_kind;
static const struct {
	const char *header;
	double width;
	const char *key;
	col_kind kind;
} ledger_cols[] = {
	{"序号", 6, NULL, COL_SERIAL},
	{"街镇", 16, "town_name", COL_TOWN},
	{"学校", 28, "school_name", COL_TEXT},
	{"督导日期", 12, "found_on", COL_DATE},
	{"督导类型", 11, "visit_kind", COL_TEXT},
	{"检查项目", 26, "item_title", COL_WRAP},
	{"问题描述", 48, "description", COL_WRAP},
	{"严重程度", 9, "severity", COL_TEXT},
	{"整改期限", 12, "deadline", COL_DATE},
	{"原定期限", 12, "original_deadline", COL_DATE},
	{"状态", 13, "state_label", COL_TEXT},
	{"逾期天数", 9, "days_overdue", COL_INT},
	{"预警等级", 9, "escalation", COL_TEXT},
	{"提交日期", 12, "submitted_on", COL_DATE},
	{"销号日期", 12, "closed_on", COL_DATE},
	{"按期销号", 9, "on_time", COL_BOOL},
	{"退回次数", 9, "return_count", COL_INT},
	{"复发次数", 9, "recurrence_count", COL_INT},
};
#define NCOLS ((lxw_col_t)(sizeof(ledger_cols) / sizeof(ledger_cols[0])))

typedef struct {
	lxw_format *title, *header, *text, *wrap, *date, *num;
} ledger_formats;

static json_t *summary_json(const rectify_counts *c)
{
	char sentence[256];
	rectify_summary_sentence(c, sentence, sizeof(sentence));
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:s}", "total", (json_int_t)c->total, "rectified",
			 (json_int_t)c->rectified, "completed", (json_int_t)c->completed, "in_progress",
			 (json_int_t)c->in_progress, "overdue", (json_int_t)c->overdue, "sentence", sentence);
}

static void ledger_formats_init(lxw_workbook *wb, ledger_formats *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 16);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	f->header = workbook_add_format(wb);
	format_set_bold(f->header);
	format_set_bg_color(f->header, 0xDDEBF7);
	format_set_border(f->header, LXW_BORDER_THIN);
	format_set_text_wrap(f->header);
	f->text = workbook_add_format(wb);
	format_set_border(f->text, LXW_BORDER_THIN);
	format_set_align(f->text, LXW_ALIGN_VERTICAL_TOP);
	f->wrap = workbook_add_format(wb);
	format_set_border(f->wrap, LXW_BORDER_THIN);
	format_set_text_wrap(f->wrap);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
	f->date = workbook_add_format(wb);
	format_set_border(f->date, LXW_BORDER_THIN);
	format_set_num_format(f->date, "yyyy-mm-dd");
	format_set_align(f->date, LXW_ALIGN_VERTICAL_TOP);
	f->num = workbook_add_format(wb);
	format_set_border(f->num, LXW_BORDER_THIN);
	format_set_align(f->num, LXW_ALIGN_VERTICAL_TOP);
}

/* True when s starts with the escape _xHHHH_ that spreadsheets decode in a
 * sheet's text (ECMA-376 ST_Xstring): "_x000D_" would show as a carriage return. */
static int xlsx_escape_at(const char *s)
{
	int i;
	if (s[0] != '_' || s[1] != 'x')
		return 0;
	for (i = 2; i < 6; i++)
		if (!s[i] || !strchr("0123456789abcdefABCDEF", s[i]))
			return 0;
	return s[6] == '_';
}

/* Writes text as typed: the characters XML 1.0 cannot carry replaced (controls by
 * spaces, the noncharacters U+FFFE and U+FFFF, valid UTF-8 EF BF BE/BF, by
 * U+FFFD) and each "_xHHHH_" written with its underscore escaped (_x005F_), so
 * that it reads back as itself. The text is valid UTF-8 (checked on input). */
static void write_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *fmt)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	char *clean = xmalloc(2 * strlen((const char *)p) + 1), *o = clean; /* an escape: 7 bytes become 13 */
	for (; *p; p++) {
		if (xlsx_escape_at((const char *)p))
			memcpy(o, "_x005F", 6), o += 6;
		if (*p < 0x20 && *p != '\n' && *p != '\t') {
			*o++ = ' ';
		} else if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
			memcpy(o, "\xEF\xBF\xBD", 3), o += 3;
			p += 2;
		} else {
			*o++ = (char)*p;
		}
	}
	*o = '\0';
	worksheet_write_string(ws, r, c, clean, fmt);
	free(clean);
}

/* One cell of an item row. */
static void write_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const json_t *item, const ledger_formats *f)
{
	json_t *v = ledger_cols[c].key ? json_object_get(item, ledger_cols[c].key) : NULL;
	const char *s = json_string_value(v);
	switch (ledger_cols[c].kind) {
	case COL_SERIAL: worksheet_write_number(ws, r, c, (double)(r - 3), f->num); break;
	case COL_TEXT: write_text(ws, r, c, s, f->text); break;
	case COL_TOWN: write_text(ws, r, c, s ? s : "教育局直属", f->text); break; /* as the 督导意见书 says */
	case COL_WRAP: write_text(ws, r, c, s, f->wrap); break;
	case COL_INT: worksheet_write_number(ws, r, c, (double)json_integer_value(v), f->num); break;
	case COL_BOOL: write_text(ws, r, c, json_is_boolean(v) ? (json_is_true(v) ? "是" : "否") : "", f->text); break;
	case COL_DATE:
		if (s && date_valid(s)) {
			lxw_datetime dt = {atoi(s), atoi(s + 5), atoi(s + 8), 0, 0, 0};
			worksheet_write_datetime(ws, r, c, &dt, f->date);
		} else {
			worksheet_write_blank(ws, r, c, f->date);
		}
		break;
	}
}

/* The sheet: title, date and summary, the filters of its rows, headers, one row per item. */
static void ledger_sheet(lxw_workbook *wb, const json_t *items, const json_t *summary, const char *today,
			 const char *filters)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "整改台账");
	ledger_formats f;
	char line[400];
	json_t *item;
	size_t i;
	lxw_col_t c;
	ledger_formats_init(wb, &f);
	worksheet_merge_range(ws, 0, 0, 0, NCOLS - 1, "整改台账", f.title);
	snprintf(line, sizeof(line), "统计日期：%s　%s", today, json_string_value(json_object_get(summary, "sentence")));
	worksheet_merge_range(ws, 1, 0, 1, NCOLS - 1, line, NULL);
	worksheet_merge_range(ws, 2, 0, 2, NCOLS - 1, filters, NULL);
	for (c = 0; c < NCOLS; c++) {
		worksheet_set_column(ws, c, c, ledger_cols[c].width, NULL);
		worksheet_write_string(ws, 3, c, ledger_cols[c].header, f.header);
	}
	json_array_foreach(items, i, item)
		for (c = 0; c < NCOLS; c++)
			write_cell(ws, (lxw_row_t)(i + 4), c, item, &f);
	worksheet_freeze_panes(ws, 4, 0);
	worksheet_autofilter(ws, 3, 0, (lxw_row_t)(3 + json_array_size(items)), NCOLS - 1);
}

/* Builds the workbook in a temporary file and returns its bytes (caller frees). */
static char *ledger_xlsx(const json_t *items, const json_t *summary, const char *today, const char *filters,
			 size_t *len)
{
	char path[] = "/tmp/dudao-ledger-XXXXXX.xlsx";
	lxw_workbook *wb;
	lxw_error err;
	char *data = NULL;
	int fd = mkstemps(path, 5);
	if (fd < 0) {
		log_error("ledger: cannot create a temporary file in /tmp");
		return NULL;
	}
	close(fd);
	wb = workbook_new(path);
	if (wb) {
		ledger_sheet(wb, items, summary, today, filters);
		err = workbook_close(wb);
		if (err == LXW_NO_ERROR)
			data = file_read(path, len);
		else
			log_error("ledger: workbook not written: %s", lxw_strerror(err));
	}
	unlink(path);
	return data;
}

/* The name of org id as the user may see it, else its number. */
static void org_name(http_req *req, long long id, strbuf *out)
{
	json_t *org = NULL;
	char num[32];
	const char *name = NULL;
	if (orgs_db_get(req->db, req->user.org_path, id, &org) == DB_OK)
		name = json_string_value(json_object_get(org, "name"));
	if (!name)
		snprintf(num, sizeof(num), "编号 %lld", id), name = num;
	strbuf_puts(out, name);
	json_decref(org);
}

/* The line that says which items the sheet lists: "筛选条件：街镇 …；状态 …；… 本表 N 项。" */
static void filters_line(http_req *req, const rect_filter *f, long long rows, strbuf *out)
{
	char n[64];
	size_t i, start;
	strbuf_puts(out, "筛选条件：");
	start = out->len;
	if (f->town_id)
		strbuf_puts(out, "街镇 "), org_name(req, f->town_id, out), strbuf_puts(out, "；");
	if (f->school_id)
		strbuf_puts(out, "学校 "), org_name(req, f->school_id, out), strbuf_puts(out, "；");
	for (i = 0; i < 4 && f->states[i]; i++) {
		strbuf_puts(out, i ? "、" : "状态 ");
		strbuf_puts(out, rectify_state_label((rect_state)rectify_state_from_name(f->states[i])));
	}
	if (i)
		strbuf_puts(out, "；");
	if (f->severity)
		strbuf_puts(out, "严重程度 "), strbuf_puts(out, f->severity), strbuf_puts(out, "；");
	if (f->overdue_only)
		strbuf_puts(out, "仅逾期；");
	if (f->from || f->to) {
		strbuf_puts(out, "督导日期 ");
		strbuf_puts(out, f->from ? f->from : "不限");
		strbuf_puts(out, " 至 ");
		strbuf_puts(out, f->to ? f->to : "不限");
		strbuf_puts(out, "；");
	}
	if (out->len == start)
		strbuf_puts(out, "无（全部整改项）；");
	snprintf(n, sizeof(n), "本表 %lld 项。", rows);
	strbuf_puts(out, n);
}

static int ledger_send_xlsx(http_req *req, http_res *res, const rect_filter *f, const json_t *items,
			    const json_t *summary)
{
	char name[64], encoded[256], header[400];
	size_t len = 0;
	strbuf filters = {0};
	char *data;
	filters_line(req, f, (long long)json_array_size(items), &filters);
	data = ledger_xlsx(items, summary, req->today, filters.p, &len);
	free(filters.p);
	if (!data)
		return res_error(res, HTTP_internal_error, NULL, "生成 Excel 文件失败");
	snprintf(name, sizeof(name), "整改台账-%s.xlsx", req->today);
	evidence_rfc5987(name, encoded, sizeof(encoded));
	snprintf(header, sizeof(header), "attachment; filename=\"ledger-%s.xlsx\"; filename*=UTF-8''%s", req->today,
		 encoded);
	res_header(res, "Content-Disposition", header);
	return res_body(res, HTTP_ok, XLSX_TYPE, data, len);
}

int rect_ledger(http_req *req, http_res *res)
{
	const char *format = req_query(req, "format");
	int xlsx = format && !strcmp(format, "xlsx");
	rect_filter f, whole;
	rectify_rules rules;
	rectify_counts c;
	json_t *items = NULL, *summary;
	long long total = 0;
	paging pg, all = {LEDGER_XLSX_MAX_ROWS, 0, 1};
	db_status st;

	if (format && !xlsx && strcmp(format, "json"))
		return res_error(res, HTTP_bad_request, "format", "参数 format 应为 json 或 xlsx");
	if (req_paging(req, res, &pg) || rect_filter_parse(req, res, &f))
		return res->status;
	whole = f; /* the sentence's items: the state and overdue filters aside */
	memset(whole.states, 0, sizeof(whole.states));
	whole.overdue_only = 0;
	if ((st = rect_db_rules(req->db, &rules)) != DB_OK || (st = rect_db_counts(req->db, &whole, &c)) != DB_OK ||
	    (st = rect_db_list(req->db, &f, &rules, xlsx ? &all : &pg, 1, &items, &total)) != DB_OK)
		return res_db_error(res, st);
	if (xlsx && total > LEDGER_XLSX_MAX_ROWS) {
		json_decref(items);
		return res_error(res, HTTP_unprocessable, NULL,
				 "符合条件的整改项有 %lld 项，超过 Excel 导出上限 %d 项，请缩小筛选范围（街镇、学校或日期）",
				 total, LEDGER_XLSX_MAX_ROWS);
	}
	summary = summary_json(&c);
	if (xlsx) {
		ledger_send_xlsx(req, res, &f, items, summary);
		json_decref(items);
		json_decref(summary);
		return res->status;
	}
	return res_json(res, HTTP_ok, json_pack("{s:s,s:o,s:o,s:I,s:I,s:I}", "today", req->today, "summary", summary,
						"items", items, "total", (json_int_t)total, "page", (json_int_t)pg.page,
						"per_page", (json_int_t)pg.limit));
}
