/* chart.c - horizontal percentage bar charts as PNG, drawn with libgd and
 * FreeType. The first half is pure layout (label wrapping by display width),
 * the second half draws. Nothing depends on the clock or on global state beyond
 * libgd's font cache, which is set up once. */
#include "chart.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gd.h>

#include "log.h"
#include "util.h"

/* ------------------------------------------------------------ label layout */

#define WRAP_MAX_GLYPHS 256
#define WRAP_NO_BREAK 100000 /* cost of a break the rules forbid: only when nothing else fits */
#define WRAP_PLACE_BONUS 6   /* columns of imbalance a natural break (after 镇) is worth */

typedef struct {
	size_t off, len; /* bytes in the label */
	unsigned cp;     /* code point */
	int cols;        /* display width */
} glyph;

/* Decodes one code point of valid UTF-8 at s; *len gets its byte count. */
static unsigned utf8_decode(const unsigned char *s, size_t *len)
{
	if (s[0] < 0x80)
		return *len = 1, s[0];
	if (s[0] < 0xE0)
		return *len = 2, ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
	if (s[0] < 0xF0)
		return *len = 3, ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
	return *len = 4, ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
}

/* East Asian wide and full-width ranges (Unicode EAW W/F, simplified); the
 * ellipsis is drawn full-width by CJK fonts. */
static int cp_cols(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || cp == 0x2026 || (cp >= 0x2E80 && cp <= 0xA4CF) ||
			       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
			       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
			       (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD)
		       ? 2 : 1;
}

/* Splits s into glyphs; *more is set when s had more than max. -1 when not UTF-8. */
static int glyphs_of(const char *s, glyph *g, size_t max, size_t *n, int *more)
{
	size_t off = 0, total = strlen(s);
	if (!utf8_valid((const unsigned char *)s, total))
		return -1;
	*n = 0;
	while (off < total && *n < max) {
		glyph *x = &g[(*n)++];
		x->off = off;
		x->cp = utf8_decode((const unsigned char *)s + off, &x->len);
		x->cols = cp_cols(x->cp);
		off += x->len;
	}
	*more = off < total;
	return 0;
}

int chart_text_cols(const char *s)
{
	size_t off = 0, total = strlen(s), len;
	int cols = 0;
	if (!utf8_valid((const unsigned char *)s, total))
		return -1;
	while (off < total) {
		cols += cp_cols(utf8_decode((const unsigned char *)s + off, &len));
		off += len;
	}
	return cols;
}

/* Part of a Latin word: printable ASCII but the space ("No.2", "K-12"). */
static int is_word_char(unsigned cp)
{
	return cp > ' ' && cp < 0x7F;
}

/* Characters a line must not start with / end with. */
static int is_closing(unsigned cp)
{
	static const unsigned set[] = {')', ']', ',', '.', ':', ';', '!', '?', '%', 0xFF09, 0x300D, 0x300F,
				       0x300B, 0x3009, 0x3011, 0xFF0C, 0x3002, 0x3001, 0xFF1A, 0xFF1B,
				       0xFF01, 0xFF1F, 0x00B7, 0x2026};
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if (cp == set[i])
			return 1;
	return 0;
}

static int is_opening(unsigned cp)
{
	return cp == '(' || cp == '[' || cp == 0xFF08 || cp == 0x300C || cp == 0x300E || cp == 0x300A ||
	       cp == 0x3008 || cp == 0x3010;
}

/* May a line break fall before glyph i? */
static int break_allowed(const glyph *g, size_t i)
{
	if (is_word_char(g[i - 1].cp) && is_word_char(g[i].cp))
		return 0;
	return !is_closing(g[i].cp) && !is_opening(g[i - 1].cp);
}

/* How natural a break before glyph i is: 2 before an opening bracket or after a
 * list comma (、，；), 1 after a place or institution suffix (县 市 区 镇 乡 村,
 * 街道, 中心), else 0. */
static int break_preference(const glyph *g, size_t i)
{
	static const unsigned after[] = {0x53BF, 0x5E02, 0x533A, 0x9547, 0x4E61, 0x6751};
	unsigned c = g[i - 1].cp;
	if (is_opening(g[i].cp) || c == 0x3001 || c == 0xFF0C || c == 0xFF1B)
		return 2;
	for (size_t k = 0; k < sizeof(after) / sizeof(after[0]); k++)
		if (c == after[k])
			return 1;
	return i >= 2 && ((c == 0x9053 && g[i - 2].cp == 0x8857) || (c == 0x5FC3 && g[i - 2].cp == 0x4E2D));
}

/* The end of a full line from `from`: all of the rest when it fits, else the
 * last allowed break within max_cols, else as much as fits. */
static size_t fill_line(const glyph *g, size_t from, size_t n, int max_cols)
{
	size_t i, last_ok = 0;
	int used = 0;
	for (i = from; i < n && used + g[i].cols <= max_cols; i++) {
		used += g[i].cols;
		if (i + 1 < n && break_allowed(g, i + 1))
			last_ok = i + 1;
	}
	if (i == n)
		return n;
	return last_ok > from ? last_ok : i;
}

/* Lines that filling each line as far as the break rules allow takes for
 * glyphs [from, to): the fewest that respect the rules. */
static int greedy_lines(const glyph *g, size_t from, size_t to, int max_cols)
{
	int lines = 0;
	while (from < to) {
		from = fill_line(g, from, to, max_cols);
		lines++;
	}
	return lines;
}

/* The end of the first of `lines` balanced lines over [from, to): the allowed
 * break closest to an even share, with a bonus after a place suffix, such that
 * the rest still fits in lines - 1 lines. */
static size_t pick_break(const glyph *g, size_t from, size_t to, int lines, int max_cols)
{
	int rest = 0, first = 0, best_cost = INT_MAX;
	size_t i, best = from + 1;
	for (i = from; i < to; i++)
		rest += g[i].cols;
	for (i = from + 1; i < to; i++) {
		int cost;
		first += g[i - 1].cols;
		if (first > max_cols)
			break;
		if (greedy_lines(g, i, to, max_cols) > lines - 1)
			continue;
		cost = abs(first * lines - rest);
		if (!break_allowed(g, i))
			cost += WRAP_NO_BREAK;
		else
			cost -= WRAP_PLACE_BONUS * lines * break_preference(g, i);
		if (cost < best_cost) {
			best_cost = cost;
			best = i;
		}
	}
	return best;
}

/* Appends label[g[a].off .. g[b].off) without edge spaces, then sep. -1 if out is full. */
static int put_line(const char *label, const glyph *g, size_t a, size_t b, const char *sep, char *out,
		    size_t outlen, size_t *used)
{
	size_t start, end;
	int n;
	while (a < b && g[a].cp == ' ')
		a++;
	while (b > a && g[b - 1].cp == ' ')
		b--;
	start = a < b ? g[a].off : 0;
	end = a < b ? g[b - 1].off + g[b - 1].len : 0;
	n = snprintf(out + *used, outlen - *used, "%.*s%s", (int)(end - start), label + start, sep);
	if (n < 0 || (size_t)n >= outlen - *used)
		return -1;
	*used += (size_t)n;
	return 0;
}

/* Wraps text that cannot fit: full lines, then a last line ending in "…". */
static int wrap_truncated(const char *label, const glyph *g, size_t n, int max_cols, int max_lines,
			  char *out, size_t outlen)
{
	size_t from = 0, used = 0, end;
	int line, cols = 0;
	for (line = 1; line < max_lines; line++) {
		end = fill_line(g, from, n, max_cols);
		if (put_line(label, g, from, end, "\n", out, outlen, &used))
			return -1;
		from = end;
	}
	for (end = from; end < n && cols + g[end].cols + 2 <= max_cols; end++)
		cols += g[end].cols;
	return put_line(label, g, from, end, "…", out, outlen, &used) ? -1 : max_lines;
}

int chart_wrap_label(const char *label, int max_cols, int max_lines, char *out, size_t outlen)
{
	glyph g[WRAP_MAX_GLYPHS];
	size_t n, from = 0, used = 0, end;
	int more, lines, line;
	if (max_cols < 4 || max_lines < 1 || outlen < 1 || glyphs_of(label, g, WRAP_MAX_GLYPHS, &n, &more))
		return -1;
	out[0] = '\0';
	if (n == 0)
		return 0;
	lines = greedy_lines(g, 0, n, max_cols);
	if (more || lines > max_lines)
		return wrap_truncated(label, g, n, max_cols, max_lines, out, outlen);
	for (line = lines; line > 1; line--) {
		end = pick_break(g, from, n, line, max_cols);
		if (put_line(label, g, from, end, "\n", out, outlen, &used))
			return -1;
		from = end;
	}
	return put_line(label, g, from, n, "", out, outlen, &used) ? -1 : lines;
}

void chart_format_permille(int permille, char out[16])
{
	if (permille < 0)
		permille = 0;
	if (permille > 1000)
		permille = 1000;
	snprintf(out, 16, "%d.%d%%", permille / 10, permille % 10);
}

/* ------------------------------------------------------------------ drawing */

#define PAD 24
#define TITLE_PX 20.0
#define SUB_PX 13.0
#define LEGEND_PX 12.0
#define LABEL_PX 14.0
#define VALUE_PX 13.0
#define AXIS_PX 12.0
#define LABEL_LINE_H 18      /* between baselines of a wrapped label */
#define LABEL_MAX_COLS 30    /* 15 Chinese characters a line */
#define LABEL_MAX_LINES 3
#define LABEL_BUF 512
#define GAP 12

/* Colours chosen to stay apart in greyscale print: dark blue for bars that meet
 * the target, light amber for those below it, a dark red dashed target line. */
typedef struct {
	int bg, text, muted, grid, axis, zebra, bar_ok, bar_low, on_ok, on_low, target;
} palette;

typedef struct {
	const chart_hbar_spec *spec;
	const char *font;
	char (*labels)[LABEL_BUF]; /* wrapped labels, lines split by '\n' */
	int *nlines;
	int *row_top;              /* nbars + 1: row i spans row_top[i] .. row_top[i + 1] */
	int width, height;
	int label_w, note_w;       /* widest label line, widest note */
	int bar_h;
	int plot_top, plot_bottom; /* the rows */
	int x0, x_full;            /* the 0% and 100% positions */
	int asc, desc;             /* label font metrics around the baseline */
} layout;

static pthread_once_t font_cache_once = PTHREAD_ONCE_INIT;

/* libgd sets up its font cache on first use without a lock: do it once here. */
static void font_cache_init(void)
{
	if (gdFontCacheSetup() != 0)
		log_error("chart: libgd font cache setup failed");
}

/* Draws s (or only measures it when im is NULL); brect as libgd returns it. */
static int text_at(gdImagePtr im, const char *font, double px, int color, int x, int y, const char *s,
		   int brect[8])
{
	gdFTStringExtra ex;
	char *err;
	memset(&ex, 0, sizeof ex);
	ex.flags = gdFTEX_RESOLUTION | gdFTEX_CHARMAP | gdFTEX_FONTPATHNAME;
	ex.charmap = gdFTEX_Unicode;
	ex.hdpi = ex.vdpi = 72; /* so that the size is in pixels */
	err = gdImageStringFTEx(im, brect, color, font, px, 0.0, x, y, s, &ex);
	if (err) {
		log_error("chart: text with %s: %s", font, err);
		return -1;
	}
	return 0;
}

/* The advance width of s in pixels, or -1. */
static int text_width(const char *font, double px, const char *s)
{
	int b[8];
	if (!*s)
		return 0;
	return text_at(NULL, font, px, 0, 0, 0, s, b) ? -1 : b[2] - b[0];
}

enum { ALIGN_LEFT, ALIGN_RIGHT, ALIGN_CENTER };

/* Draws s with its baseline at y, starting at, ending at or centred on x. */
static void text_draw(gdImagePtr im, const layout *L, double px, int color, int x, int y, const char *s,
		      int align)
{
	int b[8], w = align == ALIGN_LEFT ? 0 : text_width(L->font, px, s);
	if (w > 0)
		x -= align == ALIGN_RIGHT ? w : w / 2;
	text_at(im, L->font, px, color, x, y, s, b);
}

/* "100%", "95%", "96.3%": percentages without a trailing ".0", for axis and legend. */
static void format_short(int permille, char out[16])
{
	if (permille % 10 == 0)
		snprintf(out, 16, "%d%%", permille / 10);
	else
		chart_format_permille(permille, out);
}

/* Copies the line of s up to '\n' into buf; returns the next line, or NULL at the end. */
static const char *line_next(const char *s, char *buf, size_t n)
{
	size_t len = strcspn(s, "\n");
	snprintf(buf, n, "%.*s", (int)len, s);
	return s[len] ? s + len + 1 : NULL;
}

/* Wraps every label, measures the widest line and the widest note. Returns 0,
 * or -1 when the font cannot be used. */
static int layout_labels(layout *L)
{
	const chart_hbar_spec *sp = L->spec;
	int cols = (int)(sp->width * 3 / 10 / (LABEL_PX / 2));
	char line[LABEL_BUF];
	if (cols > LABEL_MAX_COLS)
		cols = LABEL_MAX_COLS;
	L->label_w = 40;
	L->note_w = 0;
	for (size_t i = 0; i < sp->nbars; i++) {
		const char *s = sp->bars[i].label ? sp->bars[i].label : "";
		int n = chart_wrap_label(s, cols, LABEL_MAX_LINES, L->labels[i], LABEL_BUF), w;
		if (n < 0)
			n = chart_wrap_label("?", cols, 1, L->labels[i], LABEL_BUF);
		L->nlines[i] = n;
		for (const char *p = L->labels[i]; p && *p;) {
			p = line_next(p, line, sizeof line);
			if ((w = text_width(L->font, LABEL_PX, line)) < 0)
				return -1;
			L->label_w = w > L->label_w ? w : L->label_w;
		}
		if (sp->bars[i].note && (w = text_width(L->font, VALUE_PX, sp->bars[i].note)) > L->note_w)
			L->note_w = w;
	}
	return 0;
}

/* Places everything: header, rows, plot area, axis. Returns 0 or -1. */
static int layout_compute(layout *L)
{
	int b[8], y;
	if (layout_labels(L) || text_at(NULL, L->font, LABEL_PX, 0, 0, 0, "国", b))
		return -1;
	L->asc = -b[7];
	L->desc = b[1];
	y = PAD + (int)TITLE_PX;
	if (L->spec->subtitle && *L->spec->subtitle)
		y += 24;
	L->plot_top = y + 24 + 16; /* the legend line, then space */
	L->bar_h = 20;
	L->row_top[0] = L->plot_top;
	for (size_t i = 0; i < L->spec->nbars; i++) /* a row grows with its label's lines */
		L->row_top[i + 1] = L->row_top[i] + (L->nlines[i] > 1 ? L->nlines[i] * LABEL_LINE_H + 14 : 34);
	L->plot_bottom = L->row_top[L->spec->nbars];
	L->height = L->plot_bottom + 22 + PAD;
	L->x0 = PAD + L->label_w + GAP;
	L->x_full = L->width - PAD - (L->note_w ? L->note_w + 3 * GAP : 20);
	if (L->x_full - L->x0 < 160) {
		log_error("chart: %d px is too narrow for labels %d px wide", L->width, L->label_w);
		return -1;
	}
	return 0;
}

static void palette_init(gdImagePtr im, palette *p)
{
	p->bg = gdImageColorAllocate(im, 255, 255, 255);
	p->text = gdImageColorAllocate(im, 26, 32, 44);
	p->muted = gdImageColorAllocate(im, 90, 99, 112);
	p->grid = gdImageColorAllocate(im, 226, 230, 235);
	p->axis = gdImageColorAllocate(im, 140, 148, 160);
	p->zebra = gdImageColorAllocate(im, 246, 248, 250);
	p->bar_ok = gdImageColorAllocate(im, 43, 108, 176);
	p->bar_low = gdImageColorAllocate(im, 246, 173, 85);
	p->on_ok = gdImageColorAllocate(im, 255, 255, 255);
	p->on_low = gdImageColorAllocate(im, 60, 36, 0);
	p->target = gdImageColorAllocate(im, 192, 38, 38);
}

/* The x position of a percentage. */
static int x_of(const layout *L, int permille)
{
	return L->x0 + (int)((long)(L->x_full - L->x0) * permille / 1000);
}

/* A vertical dashed line, 2 px wide, from y1 to y2. */
static void dashed_vline(gdImagePtr im, int x, int y1, int y2, int color)
{
	for (int y = y1; y < y2; y += 10)
		gdImageFilledRectangle(im, x - 1, y, x, y + 5 < y2 ? y + 5 : y2, color);
}

/* Title, subtitle and the legend (swatches for met / below target, the dashed line). */
static void draw_header(gdImagePtr im, const layout *L, const palette *P)
{
	const chart_hbar_spec *sp = L->spec;
	char pct[16], text[64];
	int y = PAD + (int)TITLE_PX, x = PAD;
	text_draw(im, L, TITLE_PX, P->text, PAD, y, sp->title ? sp->title : "", ALIGN_LEFT);
	if (sp->subtitle && *sp->subtitle)
		text_draw(im, L, SUB_PX, P->muted, PAD, y += 24, sp->subtitle, ALIGN_LEFT);
	y += 24;
	if (sp->target_permille <= 0)
		return;
	format_short(sp->target_permille, pct);
	gdImageFilledRectangle(im, x, y - 10, x + 11, y + 1, P->bar_ok);
	snprintf(text, sizeof text, "达到 %s", pct);
	text_draw(im, L, LEGEND_PX, P->text, x += 17, y, text, ALIGN_LEFT);
	x += text_width(L->font, LEGEND_PX, text) + 18;
	gdImageFilledRectangle(im, x, y - 10, x + 11, y + 1, P->bar_low);
	snprintf(text, sizeof text, "未达 %s", pct);
	text_draw(im, L, LEGEND_PX, P->text, x += 17, y, text, ALIGN_LEFT);
	x += text_width(L->font, LEGEND_PX, text) + 18;
	dashed_vline(im, x + 5, y - 12, y + 3, P->target);
	snprintf(text, sizeof text, "目标线 %s", pct);
	text_draw(im, L, LEGEND_PX, P->text, x + 14, y, text, ALIGN_LEFT);
}

/* Zebra rows, the vertical grid every 10% with labels every 20%, the 0% axis. */
static void draw_grid(gdImagePtr im, const layout *L, const palette *P)
{
	char pct[16];
	for (size_t i = 1; i < L->spec->nbars; i += 2)
		gdImageFilledRectangle(im, PAD, L->row_top[i], L->width - PAD - 1, L->row_top[i + 1] - 1, P->zebra);
	for (int p = 100; p <= 1000; p += 100)
		gdImageLine(im, x_of(L, p), L->plot_top, x_of(L, p), L->plot_bottom, P->grid);
	for (int p = 0; p <= 1000; p += 200) {
		format_short(p, pct);
		text_draw(im, L, AXIS_PX, P->muted, x_of(L, p), L->plot_bottom + 18, pct, ALIGN_CENTER);
	}
	gdImageLine(im, L->x0, L->plot_top, L->x0, L->plot_bottom, P->axis);
	gdImageLine(im, L->x0, L->plot_bottom, L->x_full, L->plot_bottom, P->axis);
}

/* The label of row i, right-aligned before the axis, its lines centred on the row. */
static void draw_label(gdImagePtr im, const layout *L, const palette *P, size_t i, int mid)
{
	char line[LABEL_BUF];
	int n = L->nlines[i] > 0 ? L->nlines[i] : 1;
	int y = mid - ((n - 1) * LABEL_LINE_H + L->asc + L->desc) / 2 + L->asc;
	for (const char *p = L->labels[i]; p && *p; y += LABEL_LINE_H) {
		p = line_next(p, line, sizeof line);
		text_draw(im, L, LABEL_PX, P->text, L->x0 - GAP, y, line, ALIGN_RIGHT);
	}
}

/* Row i's bar with its value inside the end (or just after it when short) and its note. */
static void draw_bar(gdImagePtr im, const layout *L, const palette *P, size_t i, int mid)
{
	const chart_bar *b = &L->spec->bars[i];
	int v = b->permille > 1000 ? 1000 : b->permille, end, w, base = mid + (L->asc - L->desc) / 2;
	int low = L->spec->target_permille > 0 && v < L->spec->target_permille;
	char pct[16];
	if (b->note)
		text_draw(im, L, VALUE_PX, P->muted, L->x_full + 2 * GAP, base, b->note, ALIGN_LEFT);
	if (v < 0) {
		text_draw(im, L, VALUE_PX, P->muted, L->x0 + 8, base,
			  L->spec->no_data_text ? L->spec->no_data_text : "无数据", ALIGN_LEFT);
		return;
	}
	end = x_of(L, v);
	if (end > L->x0)
		gdImageFilledRectangle(im, L->x0 + 1, mid - L->bar_h / 2, end, mid + L->bar_h / 2 - 1,
				       low ? P->bar_low : P->bar_ok);
	chart_format_permille(v, pct);
	w = text_width(L->font, VALUE_PX, pct);
	if (end - L->x0 >= w + 14)
		text_draw(im, L, VALUE_PX, low ? P->on_low : P->on_ok, end - 6, base, pct, ALIGN_RIGHT);
	else
		text_draw(im, L, VALUE_PX, P->text, end + 6, base, pct, ALIGN_LEFT);
}

/* Draws the whole chart on a new image. */
static gdImagePtr chart_draw(const layout *L)
{
	gdImagePtr im = gdImageCreateTrueColor(L->width, L->height);
	palette P;
	if (!im)
		return NULL;
	palette_init(im, &P);
	gdImageFilledRectangle(im, 0, 0, L->width - 1, L->height - 1, P.bg);
	draw_header(im, L, &P);
	draw_grid(im, L, &P);
	for (size_t i = 0; i < L->spec->nbars; i++) {
		int mid = (L->row_top[i] + L->row_top[i + 1]) / 2;
		draw_label(im, L, &P, i, mid);
		draw_bar(im, L, &P, i, mid);
	}
	if (L->spec->target_permille > 0 && L->spec->target_permille <= 1000)
		dashed_vline(im, x_of(L, L->spec->target_permille), L->plot_top - 6, L->plot_bottom + 4,
			     P.target);
	return im;
}

/* Checks the spec's sizes; fills the layout's fixed fields. */
static int layout_init(layout *L, const chart_hbar_spec *spec)
{
	memset(L, 0, sizeof *L);
	if (!spec || !spec->bars || spec->nbars == 0 || spec->nbars > CHART_MAX_BARS ||
	    (spec->width && (spec->width < 480 || spec->width > 4000))) {
		log_error("chart: invalid spec (%zu bars, width %d)", spec ? spec->nbars : 0,
			  spec ? spec->width : 0);
		return -1;
	}
	L->spec = spec;
	L->font = spec->font_path ? spec->font_path : CHART_FONT_DEFAULT;
	L->width = spec->width ? spec->width : 960;
	L->labels = xcalloc(spec->nbars, sizeof *L->labels);
	L->nlines = xcalloc(spec->nbars, sizeof *L->nlines);
	L->row_top = xcalloc(spec->nbars + 1, sizeof *L->row_top);
	return 0;
}

int chart_hbar(const chart_hbar_spec *spec, unsigned char **png, int *len)
{
	chart_hbar_spec sized;
	layout L;
	gdImagePtr im = NULL;
	int rc = -1;
	*png = NULL;
	*len = 0;
	pthread_once(&font_cache_once, font_cache_init);
	if (layout_init(&L, spec))
		return -1;
	sized = *spec;
	sized.width = L.width;
	L.spec = &sized;
	if (layout_compute(&L) == 0 && (im = chart_draw(&L)) != NULL) {
		*png = gdImagePngPtr(im, len);
		rc = *png ? 0 : -1;
		gdImageDestroy(im);
	}
	free(L.labels);
	free(L.nlines);
	free(L.row_top);
	return rc;
}

void chart_free(unsigned char *png)
{
	if (png)
		gdFree(png);
}
