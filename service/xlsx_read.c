/* xlsx_read.c - reading the first worksheet of an .xlsx workbook with libzip
 * and expat. Every part is parsed as a stream; only the shared strings and the
 * current row are kept in memory. */
#include "xlsx_read.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "util.h"

#define XLSX_MAX_PART (256u << 20) /* uncompressed bytes per part: a zip bomb stops here */
#define XLSX_MAX_COLS 16384        /* XFD */
#define XLSX_CHUNK 65536

/* The local part of an expat namespaced name "uri|local". */
static const char *local_name(const char *name)
{
	const char *bar = strrchr(name, '|');
	return bar ? bar + 1 : name;
}

/* The value of the attribute with this local name (and, when ns is not NULL, a
 * namespace URI containing ns), or NULL. */
static const char *attr(const char **atts, const char *name, const char *ns)
{
	size_t i;
	for (i = 0; atts[i]; i += 2) {
		const char *bar = strrchr(atts[i], '|');
		if (strcmp(bar ? bar + 1 : atts[i], name))
			continue;
		if (!ns || (bar && memmem(atts[i], (size_t)(bar - atts[i]), ns, strlen(ns))))
			return atts[i + 1];
	}
	return NULL;
}

/* ---------------------------------------------------------------- pure helpers */

int xlsx_builtin_is_date(int id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

int xlsx_format_is_date(const char *code)
{
	const char *s = code;
	while (*s) {
		char c = *s;
		if (c == '"') { /* literal text */
			s = strchr(s + 1, '"');
			s = s ? s + 1 : code + strlen(code);
			continue;
		}
		if (c == '[') { /* colour, locale, condition, elapsed time */
			s = strchr(s, ']');
			s = s ? s + 1 : code + strlen(code);
			continue;
		}
		if (c == '\\' || c == '_' || c == '*') { /* escaped, padding, fill */
			s += s[1] ? 2 : 1;
			continue;
		}
		if (!strncasecmp(s, "General", 7)) {
			s += 7;
			continue;
		}
		if ((c == 'E' || c == 'e') && (s[1] == '+' || s[1] == '-'))
			return 0; /* scientific */
		if (strchr("yYmMdDhHsSeE", c))
			return 1;
		s++;
	}
	return 0;
}

int xlsx_serial_to_date(double serial, int date1904, char out[11])
{
	long day;
	if (!isfinite(serial) || serial < (date1904 ? 0 : 1) || serial > 2958465)
		return -1;
	day = (long)floor(serial);
	if (date1904) {
		date_from_days(day - 24107, out);
	} else if (day == 60) {
		memcpy(out, "1900-02-29", 11); /* Lotus 1-2-3's leap day: not a date; the caller rejects it */
	} else {
		date_from_days(day < 60 ? day - 25568 : day - 25569, out);
	}
	return 0;
}

long xlsx_column_of(const char *ref)
{
	long col = 0;
	const char *s = ref;
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
		col = col * 26 + ((*s | 0x20) - 'a' + 1);
		if (col > XLSX_MAX_COLS)
			return -1;
		s++;
	}
	if (s == ref || *s < '1' || *s > '9')
		return -1;
	return col - 1;
}

/* ---------------------------------------------------------------- zip parts */

typedef struct {
	zip_t *zip;
	char *err;
	size_t errlen;
} xlsx_pkg;

/* Streams the part name through parser p. Returns 0, 1 when the part is missing,
 * SHEET_STOPPED when a handler stopped the parser, or SHEET_DAMAGED with err set. */
static int part_parse(xlsx_pkg *pkg, const char *name, XML_Parser p)
{
	zip_file_t *f = zip_fopen(pkg->zip, name, ZIP_FL_NOCASE);
	char *chunk;
	zip_int64_t n;
	size_t total = 0;
	int rc = 0;
	if (!f)
		return 1;
	chunk = xmalloc(XLSX_CHUNK);
	do {
		n = zip_fread(f, chunk, XLSX_CHUNK);
		if (n < 0 || (total += (size_t)(n > 0 ? n : 0)) > XLSX_MAX_PART) {
			snprintf(pkg->err, pkg->errlen, "Excel 文件已损坏或过大：无法读取 %s", name);
			rc = SHEET_DAMAGED;
			break;
		}
		if (XML_Parse(p, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
			if (XML_GetErrorCode(p) == XML_ERROR_ABORTED) {
				rc = SHEET_STOPPED;
			} else {
				snprintf(pkg->err, pkg->errlen, "Excel 文件已损坏：%s 第 %lu 行 XML 错误（%s）", name,
					 (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
				rc = SHEET_DAMAGED;
			}
			break;
		}
	} while (n > 0);
	free(chunk);
	zip_fclose(f);
	return rc;
}

/* A namespace-aware parser with handlers and user data set. */
static XML_Parser parser_new(void *ud, XML_StartElementHandler start, XML_EndElementHandler end,
			     XML_CharacterDataHandler text)
{
	XML_Parser p = XML_ParserCreateNS(NULL, '|');
	if (!p) {
		fprintf(stderr, "xlsx: out of memory\n");
		abort();
	}
	XML_SetUserData(p, ud);
	XML_SetElementHandler(p, start, end);
	if (text)
		XML_SetCharacterDataHandler(p, text);
	return p;
}

/* ---------------------------------------------------------------- workbook */

typedef struct {
	char rid[128];
	int date1904;
	char target[512];
} workbook_info;

static void wb_start(void *ud, const char *name, const char **atts)
{
	workbook_info *wb = ud;
	const char *ln = local_name(name), *v;
	if (!strcmp(ln, "sheet") && !wb->rid[0] && (v = attr(atts, "id", "relationships")))
		str_copy(wb->rid, sizeof(wb->rid), v);
	else if (!strcmp(ln, "workbookPr") && (v = attr(atts, "date1904", NULL)))
		wb->date1904 = !strcmp(v, "1") || !strcmp(v, "true");
}

static void rels_start(void *ud, const char *name, const char **atts)
{
	workbook_info *wb = ud;
	const char *id = attr(atts, "Id", NULL), *target = attr(atts, "Target", NULL);
	if (strcmp(local_name(name), "Relationship") || !id || !target || strcmp(id, wb->rid) || wb->target[0])
		return;
	if (target[0] == '/')
		str_copy(wb->target, sizeof(wb->target), target + 1);
	else
		snprintf(wb->target, sizeof(wb->target), "xl/%s", target);
}

static void no_end(void *ud, const char *name)
{
	(void)ud;
	(void)name;
}

/* Finds the first sheet's part name and the date system. Returns 0 or a SHEET_ code. */
static int workbook_find_sheet(xlsx_pkg *pkg, workbook_info *wb)
{
	XML_Parser p = parser_new(wb, wb_start, no_end, NULL);
	int rc = part_parse(pkg, "xl/workbook.xml", p);
	XML_ParserFree(p);
	if (rc == 1 || (rc == 0 && !wb->rid[0])) {
		snprintf(pkg->err, pkg->errlen, "文件不是 Excel 工作簿（.xlsx）：缺少 xl/workbook.xml 或其中没有工作表");
		return SHEET_BAD_FORMAT;
	}
	if (rc)
		return rc;
	p = parser_new(wb, rels_start, no_end, NULL);
	rc = part_parse(pkg, "xl/_rels/workbook.xml.rels", p);
	XML_ParserFree(p);
	if (rc == 0 && !wb->target[0])
		rc = 1;
	if (rc == 1)
		snprintf(pkg->err, pkg->errlen, "Excel 文件已损坏：找不到第一个工作表");
	return rc == 1 ? SHEET_DAMAGED : rc;
}

/* ---------------------------------------------------------------- styles */

typedef struct {
	int in_cellxfs;
	unsigned char custom[512];   /* custom[id] = 1 date, 2 not a date, 0 not defined here */
	unsigned char *xf_date;      /* per cell format (the s attribute): 1 when a date */
	size_t nxf, capxf;
} styles_info;

static void styles_start(void *ud, const char *name, const char **atts)
{
	styles_info *st = ud;
	const char *ln = local_name(name), *id = attr(atts, "numFmtId", NULL), *code;
	long n = id ? strtol(id, NULL, 10) : 0;
	if (!strcmp(ln, "cellXfs")) {
		st->in_cellxfs = 1;
	} else if (!strcmp(ln, "numFmt") && id && n >= 0 && n < 512 && (code = attr(atts, "formatCode", NULL))) {
		st->custom[n] = xlsx_format_is_date(code) ? 1 : 2;
	} else if (!strcmp(ln, "xf") && st->in_cellxfs) {
		if (st->nxf == st->capxf) {
			st->capxf = st->capxf ? st->capxf * 2 : 64;
			st->xf_date = xrealloc(st->xf_date, st->capxf);
		}
		st->xf_date[st->nxf++] = n >= 0 && n < 512 && (st->custom[n] ? st->custom[n] == 1 : xlsx_builtin_is_date((int)n));
	}
}

static void styles_end(void *ud, const char *name)
{
	if (!strcmp(local_name(name), "cellXfs"))
		((styles_info *)ud)->in_cellxfs = 0;
}

/* ---------------------------------------------------------------- shared strings */

typedef struct {
	strbuf text;          /* every string, NUL-terminated */
	size_t *starts;     /* where string i starts in text */
	size_t n, cap;
	int in_t, in_rph;
	size_t cur;         /* start of the string being read */
} sst_info;

static void sst_start(void *ud, const char *name, const char **atts)
{
	sst_info *s = ud;
	const char *ln = local_name(name);
	(void)atts;
	if (!strcmp(ln, "si"))
		s->cur = s->text.len;
	else if (!strcmp(ln, "rPh"))
		s->in_rph = 1;
	else if (!strcmp(ln, "t"))
		s->in_t = 1;
}

static void sst_end(void *ud, const char *name)
{
	sst_info *s = ud;
	const char *ln = local_name(name);
	if (!strcmp(ln, "rPh")) {
		s->in_rph = 0;
	} else if (!strcmp(ln, "t")) {
		s->in_t = 0;
	} else if (!strcmp(ln, "si")) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 256;
			s->starts = xrealloc(s->starts, s->cap * sizeof(size_t));
		}
		s->starts[s->n++] = s->cur;
		strbuf_add(&s->text, "", 1);
	}
}

static void sst_text(void *ud, const char *text, int len)
{
	sst_info *s = ud;
	if (s->in_t && !s->in_rph)
		strbuf_add(&s->text, text, (size_t)len);
}

/* ---------------------------------------------------------------- the worksheet */

typedef struct {
	const sst_info *sst;
	const styles_info *styles;
	int date1904;
	sheet_row_fn fn;
	void *ctx;
	XML_Parser parser;
	char *err;
	size_t errlen;
	int failed;             /* SHEET_DAMAGED once a cell is unreadable */
	/* the row being read */
	unsigned long row;
	strbuf cells;             /* cell texts, NUL-terminated; offset 0 is "" */
	size_t *offs;           /* offs[col]: where column col's text starts */
	char **ptrs;
	size_t ncols, capcols;
	/* the cell being read */
	long col, last_col;
	char type[16];
	long style;
	int in_v, in_is, in_t, in_rph;
	strbuf value;
} sheet_info;

/* Decodes OOXML's _xHHHH_ escapes (e.g. _x000D_) in place. */
static void unescape_ooxml(char *s)
{
	char *out = s;
	while (*s) {
		unsigned cp;
		int used = 0;
		if (s[0] == '_' && s[1] == 'x' && sscanf(s, "_x%4x_%n", &cp, &used) == 1 && used == 7 && cp > 0 && cp < 0x80) {
			*out++ = (char)cp;
			s += 7;
			continue;
		}
		*out++ = *s++;
	}
	*out = '\0';
}

/* Formats a stored number: integers without a fraction, others in at most 15 digits. */
static void number_text(const char *v, char *out, size_t n)
{
	char *end;
	double d = strtod(v, &end);
	if (*v == '\0' || *end || !isfinite(d))
		str_copy(out, n, v);
	else if (d == floor(d) && fabs(d) < 1e15)
		snprintf(out, n, "%.0f", d);
	else
		snprintf(out, n, "%.15g", d);
}

/* The text of the finished cell, from its type, style and value. Returns NULL
 * (and marks the sheet damaged) when a shared-string index is out of range. */
static const char *cell_text(sheet_info *sh, char *tmp, size_t n)
{
	const char *v = sh->value.p ? sh->value.p : "";
	char *end;
	if (!strcmp(sh->type, "s")) {
		unsigned long i = strtoul(v, &end, 10);
		if (*v == '\0' || *end || i >= sh->sst->n)
			return NULL;
		return sh->sst->text.p + sh->sst->starts[i];
	}
	if (!strcmp(sh->type, "b"))
		return !strcmp(v, "1") ? "TRUE" : "FALSE";
	if (!strcmp(sh->type, "d")) {
		snprintf(tmp, n, "%.10s", v);
		return tmp;
	}
	if (sh->type[0] && strcmp(sh->type, "n"))
		return v; /* str, inlineStr, e */
	if (sh->style >= 0 && (size_t)sh->style < sh->styles->nxf && sh->styles->xf_date[sh->style] && *v &&
	    xlsx_serial_to_date(strtod(v, NULL), sh->date1904, tmp) == 0)
		return tmp;
	number_text(v, tmp, n);
	return tmp;
}

/* Stores text as column col of the current row, filling skipped columns with "". */
static void row_set(sheet_info *sh, long col, const char *text)
{
	size_t c;
	if ((size_t)col >= sh->capcols) {
		sh->capcols = (size_t)col + 64;
		sh->offs = xrealloc(sh->offs, sh->capcols * sizeof(size_t));
		sh->ptrs = xrealloc(sh->ptrs, sh->capcols * sizeof(char *));
	}
	for (c = sh->ncols; c < (size_t)col; c++)
		sh->offs[c] = 0;
	if ((size_t)col >= sh->ncols)
		sh->ncols = (size_t)col + 1;
	sh->offs[col] = sh->cells.len;
	strbuf_add(&sh->cells, text, strlen(text));
	strbuf_add(&sh->cells, "", 1); /* the NUL stays as a separator */
	unescape_ooxml(sh->cells.p + sh->offs[col]);
}

static void row_begin(sheet_info *sh, const char **atts)
{
	const char *r = attr(atts, "r", NULL);
	sh->row = r ? strtoul(r, NULL, 10) : sh->row + 1;
	sh->ncols = 0;
	sh->cells.len = 0;
	strbuf_add(&sh->cells, "", 1); /* offset 0 is the empty string */
	sh->last_col = -1;
}

static void row_finish(sheet_info *sh)
{
	sheet_row row;
	size_t c;
	for (c = 0; c < sh->ncols; c++)
		sh->ptrs[c] = sh->cells.p + sh->offs[c];
	row.number = sh->row;
	row.ncells = sh->ncols;
	row.cells = sh->ptrs;
	if (sh->fn(sh->ctx, &row))
		XML_StopParser(sh->parser, XML_FALSE);
}

static void cell_begin(sheet_info *sh, const char **atts)
{
	const char *r = attr(atts, "r", NULL), *t = attr(atts, "t", NULL), *s = attr(atts, "s", NULL);
	sh->col = r ? xlsx_column_of(r) : sh->last_col + 1;
	str_copy(sh->type, sizeof(sh->type), t ? t : "");
	sh->style = s ? strtol(s, NULL, 10) : -1;
	sh->value.len = 0;
	if (sh->value.p)
		sh->value.p[0] = '\0';
}

static void cell_finish(sheet_info *sh)
{
	char tmp[64];
	const char *text;
	if (sh->col < 0 || sh->col >= XLSX_MAX_COLS || sh->col <= sh->last_col) {
		snprintf(sh->err, sh->errlen, "Excel 文件已损坏：第 %lu 行的单元格引用无效", sh->row);
		sh->failed = 1;
		XML_StopParser(sh->parser, XML_FALSE);
		return;
	}
	if (!(text = cell_text(sh, tmp, sizeof(tmp)))) {
		snprintf(sh->err, sh->errlen, "Excel 文件已损坏：第 %lu 行引用了不存在的共享字符串", sh->row);
		sh->failed = 1;
		XML_StopParser(sh->parser, XML_FALSE);
		return;
	}
	row_set(sh, sh->col, text);
	sh->last_col = sh->col;
}

static void sheet_start(void *ud, const char *name, const char **atts)
{
	sheet_info *sh = ud;
	const char *ln = local_name(name);
	if (!strcmp(ln, "row"))
		row_begin(sh, atts);
	else if (!strcmp(ln, "c"))
		cell_begin(sh, atts);
	else if (!strcmp(ln, "v"))
		sh->in_v = 1;
	else if (!strcmp(ln, "is"))
		sh->in_is = 1;
	else if (!strcmp(ln, "rPh"))
		sh->in_rph = 1;
	else if (!strcmp(ln, "t") && sh->in_is)
		sh->in_t = 1;
}

static void sheet_end(void *ud, const char *name)
{
	sheet_info *sh = ud;
	const char *ln = local_name(name);
	if (!strcmp(ln, "row"))
		row_finish(sh);
	else if (!strcmp(ln, "c"))
		cell_finish(sh);
	else if (!strcmp(ln, "v"))
		sh->in_v = 0;
	else if (!strcmp(ln, "is"))
		sh->in_is = 0;
	else if (!strcmp(ln, "rPh"))
		sh->in_rph = 0;
	else if (!strcmp(ln, "t"))
		sh->in_t = 0;
}

static void sheet_text(void *ud, const char *text, int len)
{
	sheet_info *sh = ud;
	if (sh->in_v || (sh->in_is && sh->in_t && !sh->in_rph))
		strbuf_add(&sh->value, text, (size_t)len);
}

/* ---------------------------------------------------------------- driver */

/* Parses the optional parts (styles, shared strings). Returns 0 or a SHEET_ code. */
static int read_support_parts(xlsx_pkg *pkg, styles_info *styles, sst_info *sst)
{
	XML_Parser p = parser_new(styles, styles_start, styles_end, NULL);
	int rc = part_parse(pkg, "xl/styles.xml", p);
	XML_ParserFree(p);
	if (rc != 0 && rc != 1)
		return rc;
	p = parser_new(sst, sst_start, sst_end, sst_text);
	rc = part_parse(pkg, "xl/sharedStrings.xml", p);
	XML_ParserFree(p);
	return rc == 1 ? 0 : rc;
}

static int read_sheet(xlsx_pkg *pkg, const workbook_info *wb, sheet_info *sh)
{
	int rc;
	sh->parser = parser_new(sh, sheet_start, sheet_end, sheet_text);
	rc = part_parse(pkg, wb->target, sh->parser);
	XML_ParserFree(sh->parser);
	if (rc == SHEET_STOPPED && sh->failed)
		rc = SHEET_DAMAGED;
	if (rc == 1) {
		snprintf(pkg->err, pkg->errlen, "Excel 文件已损坏：缺少第一个工作表 %s", wb->target);
		rc = SHEET_DAMAGED;
	}
	return rc;
}

static zip_t *zip_from_memory(const void *data, size_t len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return NULL;
	}
	z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!z)
		zip_source_free(src);
	zip_error_fini(&ze);
	return z;
}

int xlsx_read(const void *data, size_t len, sheet_row_fn fn, void *ctx, char *err, size_t errlen)
{
	xlsx_pkg pkg = {zip_from_memory(data, len), err, errlen};
	workbook_info wb = {{0}, 0, {0}};
	styles_info styles = {0};
	sst_info sst = {0};
	sheet_info sh = {0};
	int rc;

	if (!pkg.zip) {
		snprintf(err, errlen, "文件不是有效的 Excel 工作簿（.xlsx）：无法作为压缩包打开");
		return SHEET_BAD_FORMAT;
	}
	if ((rc = workbook_find_sheet(&pkg, &wb)) == 0 && (rc = read_support_parts(&pkg, &styles, &sst)) == 0) {
		sh.sst = &sst;
		sh.styles = &styles;
		sh.date1904 = wb.date1904;
		sh.fn = fn;
		sh.ctx = ctx;
		sh.err = err;
		sh.errlen = errlen;
		rc = read_sheet(&pkg, &wb, &sh);
	}
	zip_discard(pkg.zip);
	free(styles.xf_date);
	free(sst.text.p);
	free(sst.starts);
	free(sh.cells.p);
	free(sh.offs);
	free(sh.ptrs);
	free(sh.value.p);
	return rc;
}
