/* import.c - format sniffing, header recognition, cell values and the import
 * report. Pure: no database, no HTTP; the importers (import_roster.c,
 * import_pairings.c) drive it. */
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "roster.h"
#include "util.h"

/* ---------------------------------------------------------------- columns */

const import_column import_roster_columns[] = {
	[RF_NAME] = {"name", "姓名", "姓名|学生姓名|学生名字|名字|幼儿姓名|name", 1},
	[RF_GENDER] = {"gender", "性别", "性别|学生性别|gender", 0},
	[RF_ID] = {"id_number", "身份证号", "身份证号|身份证号码|学生身份证号|学生身份证号码|身份证|公民身份号码|"
				  "身份证件号|身份证件号码|证件号码|证件号", 2},
	[RF_SCHOOL] = {"school", "学校", "学校|学校名称|就读学校|所在学校|学校全称|就读学校名称", 3},
	[RF_SCHOOL_CODE] = {"school_code", "学校标识码", "学校标识码|学校代码|学校识别码|标识码", 3},
	[RF_GRADE] = {"grade", "年级", "年级|就读年级|所在年级|年级名称", 4},
	[RF_STAGE] = {"stage", "学段", "学段|就读学段|教育阶段|学习阶段", 0},
	[RF_BOARDING] = {"boarding", "是否寄宿", "是否寄宿|寄宿|是否寄宿生|是否住校|住校|寄宿情况", 0},
	[RF_HEAD] = {"head_name", "户主", "户主|户主姓名", 0},
	[RF_ADDRESS] = {"address", "家庭住址", "家庭住址|家庭地址|住址|家庭详细住址|户籍地址|居住地址", 0},
	[RF_CATEGORIES] = {"categories", "类别", "类别|学生类别|困难类别|资助类别|帮扶类别|家庭类别|类型|困难类型|"
					  "身份类别|贫困类别|学生类型", 5},
	[RF_STATUS] = {"status", "就读状态", "就读状态|在校状态|学籍状态|状态|就学状态", 0},
	[RF_START] = {"start_date", "入学日期", "入学日期|入学时间|入校日期|入学年月", 0},
	[RF_BIRTH] = {"birth_date", "出生日期", "出生日期|出生年月日|出生年月|生日", 0},
	[RF_NOTE] = {"note", "备注", "备注|说明", 0},
	[RF_COUNT] = {NULL, NULL, NULL, 0},
};

const import_column import_pairing_columns[] = {
	[PF_STAFF] = {"staff_name", "帮扶人", "帮扶人|帮扶人姓名|帮扶党员姓名|帮扶党员|帮扶教师|帮扶教师姓名|结对教师|"
					 "结对教师姓名|结对帮扶人|帮扶责任人|帮扶干部|帮扶干部姓名|教师姓名", 1},
	[PF_UNIT] = {"unit_position", "工作单位及职务", "工作单位及职务|工作单位|单位及职务|单位职务|帮扶人单位及职务|职务", 0},
	[PF_STUDENT] = {"student_name", "帮扶学生", "帮扶学生|帮扶学生姓名|学生姓名|结对学生|结对学生姓名|被帮扶学生|"
					   "被帮扶学生姓名|受助学生|受助学生姓名", 2},
	[PF_STUDENT_ID] = {"student_id_number", "学生身份证号", "学生身份证号|学生身份证号码|身份证号|身份证号码", 0},
	[PF_ADDRESS] = {"address", "家庭住址", "家庭住址|家庭地址|住址", 0},
	[PF_GRADE] = {"grade", "所在年级", "所在年级|年级|就读年级", 0},
	[PF_PHONE] = {"phone", "联系电话", "联系电话|电话|手机|手机号|手机号码|联系方式|帮扶人电话", 0},
	[PF_REASON] = {"poverty_reason", "贫困原因", "贫困原因|致贫原因|困难原因|贫困类型", 0},
	[PF_NOTE] = {"note", "备注", "备注|说明", 0},
	[PF_START] = {"start_date", "开始日期", "开始日期|结对日期|结对时间|帮扶开始日期|开始时间|结对开始日期", 0},
	[PF_END] = {"end_date", "结束日期", "结束日期|结对结束日期|帮扶结束日期|结束时间", 0},
	[PF_SCHOOL] = {"school", "学校", "学校|学校名称|就读学校|所在学校", 0},
	[PF_SCHOOL_CODE] = {"school_code", "学校标识码", "学校标识码|学校代码", 0},
	[PF_COUNT] = {NULL, NULL, NULL, 0},
};

/* Headers that carry nothing to import, in any file. */
static const char ignored_headers[] = "序号|编号|序列号|no|no.|行号";

/* Bytes of the whitespace character at s (ASCII space/tab/CR/LF, U+00A0, U+3000), or 0. */
static size_t space_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n')
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return 3; /* a stray BOM */
	return 0;
}

/* Cuts a bracketed note and a trailing colon or star off the end of s, in place. */
static void cut_suffix(char *s)
{
	static const char *const tails[] = {"（", "(", "【", "[", NULL};
	static const char *const ends[] = {"：", ":", "＊", "*", NULL};
	size_t i, n;
	for (i = 0; tails[i]; i++) {
		char *p = strstr(s, tails[i]);
		if (p && p != s)
			*p = '\0';
	}
	for (i = 0; ends[i]; i++) {
		n = strlen(s);
		if (n > strlen(ends[i]) && !strcmp(s + n - strlen(ends[i]), ends[i]))
			s[n - strlen(ends[i])] = '\0';
	}
}

void import_header_normalize(const char *in, char *out, size_t outlen)
{
	size_t used = 0, sp;
	if (outlen == 0)
		return;
	while (*in && used + 1 < outlen) {
		if ((sp = space_at(in))) {
			in += sp;
		} else if (*in == '*' || (!strncmp(in, "＊", 3) && used == 0)) {
			in += *in == '*' ? 1 : 3; /* a leading required-marker */
		} else {
			char c = *in++;
			out[used++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		}
	}
	out[used] = '\0';
	cut_suffix(out);
}

/* 1 when word is one of the '|' separated words in list. */
static int in_list(const char *list, const char *word)
{
	size_t n = strlen(word);
	while (*list) {
		size_t k = strcspn(list, "|");
		if (k == n && !strncmp(list, word, n))
			return 1;
		list += k + (list[k] == '|');
	}
	return 0;
}

int import_header_field(const import_column *cols, const char *header)
{
	char norm[192];
	int i;
	import_header_normalize(header, norm, sizeof(norm));
	if (!norm[0])
		return IMPORT_UNKNOWN;
	for (i = 0; cols[i].field; i++)
		if (in_list(cols[i].synonyms, norm))
			return i;
	return in_list(ignored_headers, norm) ? IMPORT_IGNORED : IMPORT_UNKNOWN;
}

void import_column_letter(long col, char out[4])
{
	char tmp[4];
	int n = 0, i;
	if (col < 0 || col >= 18278) {
		out[0] = '\0';
		return;
	}
	col++;
	while (col > 0 && n < 3) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* ---------------------------------------------------------------- sniffing */

static int has_prefix(const unsigned char *d, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(d, magic, n) == 0;
}

/* A name for well-known binary formats, or NULL. */
static const char *binary_kind(const unsigned char *d, size_t len)
{
	if (has_prefix(d, len, "\xD0\xCF\x11\xE0", 4))
		return "旧版 Excel（.xls）或其他 Office 97 文件，请在 Excel 中另存为 .xlsx 或 CSV";
	if (has_prefix(d, len, "%PDF", 4))
		return "PDF 文件";
	if (has_prefix(d, len, "\x89PNG", 4) || has_prefix(d, len, "\xFF\xD8\xFF", 3) ||
	    has_prefix(d, len, "GIF8", 4))
		return "图片文件";
	if (has_prefix(d, len, "Rar!", 4) || has_prefix(d, len, "7z\xBC\xAF", 4) || has_prefix(d, len, "\x1F\x8B", 2))
		return "压缩包";
	return NULL;
}

/* Content types a CSV upload may carry (browsers send application/vnd.ms-excel for .csv on Windows). */
static int csv_type_ok(const char *ct)
{
	static const char *const ok[] = {"text/csv", "text/plain", "application/csv", "text/comma-separated-values",
					 "application/vnd.ms-excel", "application/octet-stream", NULL};
	size_t i, n = strcspn(ct, "; ");
	for (i = 0; ok[i]; i++)
		if (n == strlen(ok[i]) && !strncasecmp(ct, ok[i], n))
			return 1;
	return 0;
}

import_format import_sniff(const unsigned char *data, size_t len, const char *content_type, int *status,
			   char *err, size_t errlen)
{
	const char *kind = binary_kind(data, len);
	int xlsx_type = content_type && !strncasecmp(content_type, IMPORT_XLSX_CONTENT_TYPE, strlen(IMPORT_XLSX_CONTENT_TYPE));
	*status = 415;
	if (len == 0) {
		*status = 422;
		snprintf(err, errlen, "文件为空");
		return IMPORT_NONE;
	}
	if (has_prefix(data, len, "PK\x03\x04", 4))
		return IMPORT_XLSX;
	if (kind) {
		snprintf(err, errlen, "不支持的文件类型：%s。请上传 Excel（.xlsx）或 CSV 文件", kind);
		return IMPORT_NONE;
	}
	if (xlsx_type || (content_type && *content_type && !csv_type_ok(content_type))) {
		snprintf(err, errlen, xlsx_type ? "内容不是 Excel（.xlsx）文件" :
			 "不支持的内容类型，请上传 Excel（.xlsx）或 CSV 文件");
		return IMPORT_NONE;
	}
	if (!has_prefix(data, len, "\xFF\xFE", 2) && !has_prefix(data, len, "\xFE\xFF", 2) &&
	    memchr(data, '\0', len < 8192 ? len : 8192)) {
		snprintf(err, errlen, "文件不是文本（CSV），也不是 Excel（.xlsx）文件");
		return IMPORT_NONE;
	}
	return IMPORT_CSV;
}

/* ---------------------------------------------------------------- report */

void import_report_init(import_report *r, size_t preview_cap, size_t errors_cap)
{
	memset(r, 0, sizeof(*r));
	r->preview = json_array();
	r->errors = json_array();
	r->unknown_columns = json_array();
	r->missing_columns = json_array();
	r->preview_cap = preview_cap;
	r->errors_cap = errors_cap;
}

void import_report_release(import_report *r)
{
	json_decref(r->preview);
	json_decref(r->errors);
	json_decref(r->unknown_columns);
	json_decref(r->missing_columns);
	json_decref(r->extra);
	memset(r, 0, sizeof(*r));
}

void import_error(import_report *r, unsigned long row, long col, const char *field, const char *header,
		  const char *fmt, ...)
{
	char msg[600], letter[4];
	va_list ap;
	if (row > 0 && row != r->last_rejected_row) {
		r->rejected++;
		r->last_rejected_row = row;
	}
	r->errors_total++;
	if (json_array_size(r->errors) >= r->errors_cap)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	import_column_letter(col, letter);
	json_array_append_new(r->errors, json_pack("{s:o,s:o,s:o,s:o,s:s}",
		"row", row ? json_integer((json_int_t)row) : json_null(),
		"column", col >= 0 ? json_string(letter) : json_null(),
		"field", field ? json_string(field) : json_null(),
		"header", header && *header ? json_string(header) : json_null(), "message", msg));
}

void import_row_error(import_report *r, const import_header *h, unsigned long row, int field, const char *fmt, ...)
{
	char msg[400], letter[4];
	long col = field >= 0 ? h->col_of[field] : -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	import_column_letter(col, letter);
	if (col >= 0)
		import_error(r, row, col, h->cols[field].field, h->header_of[field], "第 %lu 行 %s 列（%s）：%s", row, letter,
			     h->header_of[field], msg);
	else
		import_error(r, row, -1, field >= 0 ? h->cols[field].field : NULL, NULL, "第 %lu 行：%s", row, msg);
}

char *import_text(import_report *r, const import_header *h, const sheet_row *row, int field, size_t max_chars,
		  char *out, size_t outlen)
{
	const char *v = import_cell(h, row, field);
	if (utf8_chars(v) > max_chars || str_copy(out, outlen, v) != 0) {
		import_row_error(r, h, row->number, field, "内容过长（最多 %zu 个字符）", max_chars);
		out[0] = '\0';
	}
	return out;
}

/* An error and its place in the list, so that sorting keeps a row's errors in order. */
typedef struct {
	json_t *error;
	size_t place;
} error_place;

static int error_row_cmp(const void *a, const void *b)
{
	const error_place *p = a, *q = b;
	json_int_t x = json_integer_value(json_object_get(p->error, "row"));
	json_int_t y = json_integer_value(json_object_get(q->error, "row"));
	if (x != y)
		return x < y ? -1 : 1;
	return p->place < q->place ? -1 : p->place > q->place;
}

void import_report_sort(import_report *r)
{
	size_t i, n = json_array_size(r->errors);
	error_place *v = xcalloc(n + 1, sizeof(error_place));
	for (i = 0; i < n; i++) {
		v[i].error = json_incref(json_array_get(r->errors, i));
		v[i].place = i;
	}
	qsort(v, n, sizeof(error_place), error_row_cmp);
	json_array_clear(r->errors);
	for (i = 0; i < n; i++)
		json_array_append_new(r->errors, v[i].error);
	free(v);
}

void import_preview_add(import_report *r, json_t *row)
{
	if (json_array_size(r->preview) < r->preview_cap)
		json_array_append(r->preview, row);
	json_decref(row);
}

json_t *import_report_json(const import_report *r, int dry_run)
{
	long long shown = (long long)json_array_size(r->preview);
	json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:s,s:o,s:O,s:b,s:O,s:I,s:O,s:O,s:b}",
		"added", (json_int_t)r->added, "changed", (json_int_t)r->changed,
		"unchanged", (json_int_t)r->unchanged, "rejected", (json_int_t)r->rejected,
		"rows_total", (json_int_t)r->rows, "format", r->format ? r->format : "",
		"encoding", r->encoding ? json_string(r->encoding) : json_null(),
		"rows", r->preview, "rows_truncated", shown < r->rows,
		"errors", r->errors, "errors_total", (json_int_t)r->errors_total,
		"unknown_columns", r->unknown_columns, "missing_columns", r->missing_columns,
		"dry_run", dry_run);
	if (r->extra)
		json_object_update(o, r->extra);
	return o;
}

/* ---------------------------------------------------------------- header row */

void import_reader_init(import_reader *rd, const import_column *cols, import_report *rep,
			int (*on_data)(void *ctx, const import_header *h, const sheet_row *row), void *ctx)
{
	size_t i;
	memset(rd, 0, sizeof(*rd));
	rd->header.cols = cols;
	for (i = 0; i < IMPORT_MAX_FIELDS; i++)
		rd->header.col_of[i] = -1;
	rd->rep = rep;
	rd->on_data = on_data;
	rd->ctx = ctx;
}

static int row_empty(const sheet_row *row)
{
	size_t i;
	for (i = 0; i < row->ncells; i++) {
		const char *s = row->cells[i];
		while (*s && space_at(s))
			s += space_at(s);
		if (*s)
			return 0;
	}
	return 1;
}

/* Number of cells in row that name a field. */
static int header_score(const import_column *cols, const sheet_row *row)
{
	size_t i;
	int n = 0;
	for (i = 0; i < row->ncells; i++)
		n += import_header_field(cols, row->cells[i]) >= 0;
	return n;
}

/* Maps each column of the header row; notes unknown and repeated columns. */
static void header_map(import_reader *rd, const sheet_row *row)
{
	import_header *h = &rd->header;
	char first[4], again[4];
	size_t i;
	h->row = row->number;
	for (i = 0; i < row->ncells; i++) {
		int f = import_header_field(h->cols, row->cells[i]);
		if (f == IMPORT_UNKNOWN && !row_empty(&(sheet_row){0, 1, row->cells + i}))
			json_array_append_new(rd->rep->unknown_columns, json_string(row->cells[i]));
		if (f < 0)
			continue;
		if (h->col_of[f] >= 0) {
			import_column_letter(h->col_of[f], first);
			import_column_letter((long)i, again);
			import_error(rd->rep, 0, (long)i, h->cols[f].field, row->cells[i],
				     "“%s”列重复（%s 列和 %s 列），请只保留一列", h->cols[f].label, first, again);
			rd->failed = 1;
			continue;
		}
		h->col_of[f] = (long)i;
		str_copy(h->header_of[f], sizeof(h->header_of[f]), row->cells[i]);
	}
}

/* Reports every required group without a column. */
static void header_check_required(import_reader *rd)
{
	const import_column *cols = rd->header.cols;
	int i, j, group_done[IMPORT_MAX_FIELDS + 1] = {0};
	for (i = 0; cols[i].field; i++) {
		char label[200] = "";
		if (!cols[i].group || group_done[cols[i].group])
			continue;
		group_done[cols[i].group] = 1;
		for (j = i; cols[j].field; j++)
			if (cols[j].group == cols[i].group && rd->header.col_of[j] >= 0)
				break;
		if (cols[j].field)
			continue;
		for (j = i; cols[j].field; j++)
			if (cols[j].group == cols[i].group)
				snprintf(label + strlen(label), sizeof(label) - strlen(label), "%s%s", label[0] ? "或" : "",
					 cols[j].label);
		json_array_append_new(rd->rep->missing_columns, json_string(label));
		import_error(rd->rep, 0, -1, cols[i].field, NULL, "缺少必填列：%s", label);
		rd->failed = 1;
	}
}

int import_reader_row(void *reader, const sheet_row *row)
{
	import_reader *rd = reader;
	if (row_empty(row))
		return 0;
	if (rd->have_header) {
		rd->rep->rows++;
		return rd->on_data(rd->ctx, &rd->header, row);
	}
	if (header_score(rd->header.cols, row) < 2)
		return ++rd->skipped >= 10; /* a title row, or no header at all */
	rd->have_header = 1;
	header_map(rd, row);
	header_check_required(rd);
	return rd->failed;
}

int import_reader_finish(import_reader *rd)
{
	if (!rd->have_header) {
		import_error(rd->rep, 0, -1, NULL, NULL, "前 10 行中没有找到表头：表头应包含“%s”“%s”等列",
			     rd->header.cols[0].label, rd->header.cols[2].label);
		rd->failed = 1;
	}
	return rd->failed ? -1 : 0;
}

const char *import_cell(const import_header *h, const sheet_row *row, int field)
{
	long col = h->col_of[field];
	char *s, *end;
	size_t sp;
	if (col < 0 || (size_t)col >= row->ncells)
		return "";
	s = row->cells[col];
	while (*s && (sp = space_at(s)))
		s += sp;
	end = s + strlen(s);
	while (end > s) {
		if (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n')
			end--;
		else if (end - s >= 2 && (unsigned char)end[-2] == 0xC2 && (unsigned char)end[-1] == 0xA0)
			end -= 2;
		else if (end - s >= 3 && !memcmp(end - 3, "\xE3\x80\x80", 3))
			end -= 3;
		else
			break;
	}
	*end = '\0';
	return s;
}

int import_has(const import_header *h, int field)
{
	return h->col_of[field] >= 0;
}

/* ---------------------------------------------------------------- values */

/* Reads 1..max digits at *s into *out; advances *s. Returns the count read. */
static int read_digits(const char **s, int max, int *out)
{
	int n = 0;
	*out = 0;
	while (n < max && **s >= '0' && **s <= '9') {
		*out = *out * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return n;
}

/* Skips one date separator (-, /, ., 年, 月); returns 1 when there was one. */
static int skip_sep(const char **s)
{
	static const char *const seps[] = {"-", "/", ".", "年", "月", NULL};
	int i;
	for (i = 0; seps[i]; i++)
		if (!strncmp(*s, seps[i], strlen(seps[i]))) {
			*s += strlen(seps[i]);
			return 1;
		}
	return 0;
}

int import_parse_date(const char *in, char out[11])
{
	const char *s = in;
	int y, m, d = 1;
	if (strlen(in) == 8 && read_digits(&s, 8, &y) == 8) { /* 20190901 */
		snprintf(out, 11, "%.4s-%.2s-%.2s", in, in + 4, in + 6);
		return date_valid(out) ? 0 : -1;
	}
	s = in;
	if (read_digits(&s, 4, &y) != 4 || !skip_sep(&s) || read_digits(&s, 2, &m) < 1)
		return -1;
	if (!strncmp(s, "月", 3) && s[3] == '\0') /* 2019年9月: the first of the month */
		s += 3;
	else if (*s && (!skip_sep(&s) || read_digits(&s, 2, &d) < 1))
		return -1;
	if (!strncmp(s, "日", 3))
		s += 3;
	if (*s && *s != ' ' && *s != 'T')
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
	return date_valid(out) ? 0 : -1;
}

/* Looks word up in a table of {synonyms '|' separated, canonical}; NULL when absent. */
static const char *lookup(const char *const table[][2], const char *word)
{
	char norm[128];
	size_t i;
	import_header_normalize(word, norm, sizeof(norm));
	for (i = 0; table[i][0]; i++)
		if (in_list(table[i][0], norm))
			return table[i][1];
	return NULL;
}

int import_parse_bool(const char *in, int *out)
{
	static const char *const table[][2] = {
		{"是|寄宿|住校|寄宿生|y|yes|true|1|√|✓|有", "1"},
		{"否|走读|不寄宿|非寄宿|走读生|n|no|false|0|×|✗|无", "0"},
		{NULL, NULL}};
	const char *v = lookup(table, in);
	if (!v)
		return -1;
	*out = v[0] == '1';
	return 0;
}

const char *import_parse_gender(const char *in)
{
	static const char *const table[][2] = {
		{"男|男性|男生|m|male|1", "男"}, {"女|女性|女生|f|female|2", "女"}, {NULL, NULL}};
	return lookup(table, in);
}

const char *import_parse_stage(const char *in)
{
	static const char *const table[][2] = {
		{"学前|学前教育|幼儿园|幼儿|学前班|幼教", "学前"}, {"小学|小学阶段", "小学"},
		{"初中|初级中学|初中阶段", "初中"}, {"高中|普通高中|普高|高级中学|高中阶段", "高中"},
		{"中职|中等职业教育|职高|中专|职中|中职学校|中等职业学校", "中职"}, {NULL, NULL}};
	return lookup(table, in);
}

const char *import_stage_of_grade(const char *grade)
{
	static const char *const prefixes[][2] = {
		{"小学", "小学"}, {"初中", "初中"}, {"初", "初中"}, {"高中", "高中"}, {"高", "高中"},
		{"中职", "中职"}, {"职高", "中职"}, {"中专", "中职"}, {"职", "中职"}, {"学前", "学前"},
		{"幼", "学前"}, {"小班", "学前"}, {"中班", "学前"}, {"大班", "学前"}, {"托班", "学前"},
		{"七年级", "初中"}, {"八年级", "初中"}, {"九年级", "初中"}, {"7年级", "初中"}, {"8年级", "初中"},
		{"9年级", "初中"}, {"一年级", "小学"}, {"二年级", "小学"}, {"三年级", "小学"}, {"四年级", "小学"},
		{"五年级", "小学"}, {"六年级", "小学"}, {"1年级", "小学"}, {"2年级", "小学"}, {"3年级", "小学"},
		{"4年级", "小学"}, {"5年级", "小学"}, {"6年级", "小学"}, {NULL, NULL}};
	size_t i;
	for (i = 0; prefixes[i][0]; i++)
		if (!strncmp(grade, prefixes[i][0], strlen(prefixes[i][0])))
			return prefixes[i][1];
	return NULL;
}

const char *import_parse_status(const char *in)
{
	static const char *const table[][2] = {
		{"在校|在读|在籍|正常|在校生", "在校"}, {"转出|转学|已转出|转校", "转出"},
		{"辍学|失学|已辍学", "辍学"}, {"劝返复学|劝返|复学|已劝返|劝返入学", "劝返复学"},
		{"毕业|已毕业", "毕业"},
		{"县外就读|县外|外县就读|县外读书|县外学校|市外就读|省外就读|外出就读|县外上学", "县外就读"},
		{NULL, NULL}};
	return lookup(table, in);
}

/* One category word (or synonym) to its canonical name; NULL when unknown. */
static const char *category_of(const char *word)
{
	static const char *const table[][2] = {
		{"建档立卡|建档立卡户|建档立卡贫困户|建档立卡学生|脱贫|脱贫户|脱贫家庭|脱贫人口|贫困户|建卡户", "建档立卡"},
		{"防返贫监测|防返贫监测对象|监测户|监测对象|防返贫|边缘户|边缘易致贫户|脱贫不稳定户|突发严重困难户",
		 "防返贫监测"},
		{"低保|低保户|最低生活保障|城市低保|农村低保|低保家庭", "低保"},
		{"特困供养|特困|特困人员|特困供养人员|五保|五保户", "特困供养"},
		{"残疾|残疾人|残疾学生|残疾儿童|残疾人家庭", "残疾"},
		{"孤儿|孤儿学生", "孤儿"}, {"留守|留守儿童|留守学生", "留守"},
		{"随迁|随迁子女|进城务工人员随迁子女", "随迁"}, {NULL, NULL}};
	return lookup(table, word);
}

int import_parse_categories(const char *in, unsigned *mask, char *bad, size_t badlen)
{
	static const char *const seps[] = {"、", "，", "；", "／", ",", ";", "/", "|", " ", "\t", NULL};
	char word[128];
	size_t n = 0, i, k;
	*mask = 0;
	for (;;) {
		for (i = 0; seps[i] && strncmp(in, seps[i], strlen(seps[i])); i++)
			;
		if (*in == '\0' || seps[i]) {
			word[n] = '\0';
			if (n > 0) {
				const char *c = category_of(word);
				int idx = c ? roster_index(roster_categories, c) : -1;
				if (idx < 0) {
					str_copy(bad, badlen, word);
					return -1;
				}
				*mask |= 1u << idx;
			}
			n = 0;
			if (*in == '\0')
				return 0;
			in += strlen(seps[i]);
			continue;
		}
		k = 1;
		if (n + k < sizeof(word))
			word[n++] = *in;
		in += k;
	}
}
