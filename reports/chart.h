/* chart.h - PNG charts drawn with libgd and a Simplified-Chinese TrueType font:
 * horizontal percentage bars (coverage by town or by school) with wrapped
 * Chinese labels, value labels, a dashed target line and a light grid.
 * Output is deterministic: the same spec gives the same bytes. */
#ifndef DUDAO_CHART_H
#define DUDAO_CHART_H

#include <stddef.h>

/* fonts-wqy-microhei: its first face is Simplified Chinese (libgd opens only the
 * first face of a .ttc; Noto CJK's first face is Japanese). */
#define CHART_FONT_DEFAULT "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
#define CHART_NO_DATA (-1)   /* a bar with nothing to measure (no eligible students) */
#define CHART_MAX_BARS 500   /* beyond this a bar chart is unreadable and too tall */

typedef struct {
	const char *label;   /* UTF-8, e.g. a town or school name; wrapped, never cut mid-character */
	int permille;        /* 0..1000 (963 is drawn "96.3%"), or CHART_NO_DATA */
	const char *note;    /* optional, drawn right of the bars, e.g. "52/54 人"; NULL for none */
} chart_bar;

typedef struct {
	const char *title;
	const char *subtitle;     /* optional: date, totals */
	const chart_bar *bars;    /* drawn top to bottom in this order */
	size_t nbars;             /* 1..CHART_MAX_BARS */
	int target_permille;      /* the dashed target line (1000 = 100%); 0 for none */
	const char *no_data_text; /* shown for CHART_NO_DATA bars; NULL: "无数据" */
	const char *font_path;    /* NULL: CHART_FONT_DEFAULT */
	int width;                /* pixels, 480..4000; 0: 960. The height grows with the bars */
} chart_hbar_spec;

/* Draws spec as a PNG into *png (*len bytes). Returns 0, or -1 (logged) when the
 * spec is invalid (no bars, too many, bad width) or the font cannot be used.
 * The caller frees *png with chart_free. Safe to call from several threads. */
int chart_hbar(const chart_hbar_spec *spec, unsigned char **png, int *len);
/* Frees a PNG returned by chart_hbar (libgd's allocator). NULL is fine. */
void chart_free(unsigned char *png);

/* ---- layout helpers, pure and unit-tested ---- */

/* Display width of UTF-8 text in columns: CJK and full-width characters count
 * 2, the rest 1. Returns -1 for invalid UTF-8. */
int chart_text_cols(const char *s);
/* Wraps label into at most max_lines lines of at most max_cols columns, written
 * to out separated by '\n'. Breaks fall between characters (never inside one, nor
 * inside a Latin word such as "No.2", nor before closing punctuation), are
 * balanced, and prefer to follow a place or institution suffix (县 市 区 镇 乡 村,
 * 街道, 中心) or a list comma, or to precede an opening bracket. Text that does
 * not fit ends with "…". Returns the number of lines (0 for ""), or -1 for
 * invalid UTF-8, max_cols < 4, or out too small. */
int chart_wrap_label(const char *label, int max_cols, int max_lines, char *out, size_t outlen);
/* "96.3%" for 963; "0.0%" .. "100.0%"; values outside 0..1000 are clamped. */
void chart_format_permille(int permille, char out[16]);

#endif
