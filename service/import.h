/* import.h - the pure part of the spreadsheet imports: telling CSV from XLSX,
 * finding and recognising the header row (Chinese headers and their synonyms),
 * reading cell values (dates, yes/no, gender, stage, status, categories) and
 * collecting the report (counts, preview rows, errors by row and column).
 * Nothing here touches the database or HTTP. */
#ifndef DUDAO_IMPORT_H
#define DUDAO_IMPORT_H

#include <stddef.h>
#include <jansson.h>

#include "sheet.h"

/* ---------------------------------------------------------------- format */

typedef enum { IMPORT_NONE = 0, IMPORT_CSV, IMPORT_XLSX } import_format;

#define IMPORT_XLSX_CONTENT_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Decides the format from the bytes (PK\3\4 is XLSX) and the Content-Type (may be
 * NULL). Returns IMPORT_NONE with the HTTP status in *status (415 not a
 * spreadsheet, 422 empty) and a Chinese message in err. */
import_format import_sniff(const unsigned char *data, size_t len, const char *content_type, int *status,
			   char *err, size_t errlen);

/* ---------------------------------------------------------------- columns */

#define IMPORT_MAX_FIELDS 24
#define IMPORT_UNKNOWN (-1)  /* a header we do not know: reported */
#define IMPORT_IGNORED (-2)  /* a header we know and skip (序号) */

typedef struct {
	const char *field;     /* English name, used in error "field" */
	const char *label;     /* the usual Chinese header, used in messages */
	const char *synonyms;  /* normalized headers that mean this field, '|' separated */
	int group;             /* > 0: required; columns of one group stand in for each other */
} import_column;

/* The roster's columns, in the order of the roster_field enum; {NULL} ends it. */
enum roster_field {
	RF_NAME, RF_GENDER, RF_ID, RF_SCHOOL, RF_SCHOOL_CODE, RF_GRADE, RF_STAGE, RF_BOARDING,
	RF_HEAD, RF_ADDRESS, RF_CATEGORIES, RF_STATUS, RF_START, RF_BIRTH, RF_NOTE, RF_COUNT
};
extern const import_column import_roster_columns[];

/* The pairing register's columns (附件3 and common variants). */
enum pairing_field {
	PF_STAFF, PF_UNIT, PF_STUDENT, PF_STUDENT_ID, PF_ADDRESS, PF_GRADE, PF_PHONE, PF_REASON,
	PF_NOTE, PF_START, PF_END, PF_SCHOOL, PF_SCHOOL_CODE, PF_COUNT
};
extern const import_column import_pairing_columns[];

/* Writes header text in the form synonyms use: no whitespace (also U+3000 and
 * U+00A0), no required-markers ('*', '＊'), no bracketed note at the end
 * ("身份证号（18位）" → "身份证号"), no trailing colon, ASCII lowercased. */
void import_header_normalize(const char *in, char *out, size_t outlen);
/* The index in cols of the field header names, IMPORT_IGNORED or IMPORT_UNKNOWN. */
int import_header_field(const import_column *cols, const char *header);
/* Excel's column letters for a 0-based index ("A", "AB") into out[4]. */
void import_column_letter(long col, char out[4]);

/* ---------------------------------------------------------------- report */

typedef struct import_header import_header;

typedef struct {
	long long added, changed, unchanged, rejected;
	long long rows;            /* data rows read */
	json_t *preview;           /* the first preview_cap rows, as the importer describes them */
	size_t preview_cap;
	json_t *errors;            /* {row, column, field, header, message}, the first errors_cap */
	size_t errors_cap;
	long long errors_total;
	json_t *unknown_columns;   /* header texts we did not recognise */
	json_t *missing_columns;   /* labels of required columns that are absent */
	json_t *extra;             /* more counts for the answer (an object), or NULL */
	unsigned long last_rejected_row;
	const char *format;        /* "CSV" or "XLSX" */
	const char *encoding;      /* CSV only */
} import_report;

/* Initialises an empty report; release it with import_report_release. */
void import_report_init(import_report *r, size_t preview_cap, size_t errors_cap);
void import_report_release(import_report *r);
/* Records an error. row 0 means the file as a whole; col < 0 means no column.
 * A data row with errors counts once in rejected. */
void import_error(import_report *r, unsigned long row, long col, const char *field, const char *header,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Records an error on field of a data row, the message prefixed with the row,
 * column letter and header as written ("第 5 行 D 列（入学日期）：..."); field < 0
 * or an absent column gives "第 5 行：...". */
void import_row_error(import_report *r, const import_header *h, unsigned long row, int field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Copies the cell of field into out when it has at most max_chars characters;
 * otherwise records an error and leaves out empty. Returns out. */
char *import_text(import_report *r, const import_header *h, const sheet_row *row, int field, size_t max_chars,
		  char *out, size_t outlen);
/* Orders the listed errors by row (file-level errors first), a row's errors in the order found. */
void import_report_sort(import_report *r);
/* Appends a preview row (takes the reference), dropped beyond preview_cap. */
void import_preview_add(import_report *r, json_t *row);
/* {added, changed, unchanged, rejected, rows_total, format, encoding, rows,
 * rows_truncated, errors, errors_total, unknown_columns, missing_columns, dry_run}.
 * New reference. */
json_t *import_report_json(const import_report *r, int dry_run);

/* ---------------------------------------------------------------- header row */

struct import_header {
	const import_column *cols;
	unsigned long row;                  /* the header's row number */
	long col_of[IMPORT_MAX_FIELDS];     /* sheet column of each field, -1 when absent */
	char header_of[IMPORT_MAX_FIELDS][96]; /* the header text as written */
};

/* Reads rows until the header (the first row with two or more recognised
 * headers, within the first 10 non-empty rows), then hands every non-empty data
 * row to on_data. Use import_reader_row as the sheet_row_fn. */
typedef struct {
	import_header header;
	int have_header;
	int failed;                /* the header is unusable; errors are in rep */
	unsigned long skipped;     /* non-empty rows before the header */
	import_report *rep;
	int (*on_data)(void *ctx, const import_header *h, const sheet_row *row);
	void *ctx;
} import_reader;

void import_reader_init(import_reader *rd, const import_column *cols, import_report *rep,
			int (*on_data)(void *ctx, const import_header *h, const sheet_row *row), void *ctx);
int import_reader_row(void *reader, const sheet_row *row);
/* After reading: 0 when the header was found and usable, else -1 with the error in rep. */
int import_reader_finish(import_reader *rd);

/* The trimmed text of field in row ("" when the column is absent or empty).
 * Trims the cell in place. */
const char *import_cell(const import_header *h, const sheet_row *row, int field);
/* 1 when the file has the column for field. */
int import_has(const import_header *h, int field);

/* ---------------------------------------------------------------- values */

/* A date written as 2019-09-01, 2019/9/1, 2019.9.1, 2019年9月1日 or 20190901 (a
 * time after it is ignored; 2019-09 and 2019年9月 mean the first of the month)
 * into out as "YYYY-MM-DD". Returns 0, or -1 when it is no real date. */
int import_parse_date(const char *in, char out[11]);
/* 是/否 and the usual variants (寄宿/走读, Y/N, TRUE/FALSE, 1/0, √/×). Returns 0 or -1. */
int import_parse_bool(const char *in, int *out);
/* "男"/"女" (also 男性, M, 1 ...), or NULL. */
const char *import_parse_gender(const char *in);
/* One of 学前 小学 初中 高中 中职 (also 幼儿园, 普通高中, 中专 ...), or NULL. */
const char *import_parse_stage(const char *in);
/* The stage a grade belongs to ("三年级" → 小学, "初二"/"八年级" → 初中, "高一" → 高中,
 * "大班" → 学前, "中职一年级" → 中职), or NULL. */
const char *import_stage_of_grade(const char *grade);
/* One of 在校 转出 辍学 劝返复学 毕业 县外就读 (also 在读, 转学, 劝返 ...), or NULL. */
const char *import_parse_status(const char *in);
/* Categories separated by 、,，/;； or spaces, each a known category or synonym
 * (脱贫户 → 建档立卡, 留守儿童 → 留守 ...), as a bit mask in roster_categories
 * order. Returns 0, or -1 with the first unknown word in bad. */
int import_parse_categories(const char *in, unsigned *mask, char *bad, size_t badlen);

#endif
