/* csv.c - CSV decoding (UTF-8, or GB18030/GBK converted with iconv) and an
 * RFC 4180 record parser that hands each record to a callback. */
#include "csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The line (1-based) holding byte offset off. */
static unsigned long line_of(const unsigned char *data, size_t off)
{
	unsigned long line = 1;
	size_t i;
	for (i = 0; i < off; i++)
		line += data[i] == '\n';
	return line;
}

/* Converts GB18030 to UTF-8 into a new buffer. Returns 0, or the offset + 1 of the
 * first byte that is not GB18030 (len + 1 for a sequence cut off at the end). */
static size_t gb18030_to_utf8(const unsigned char *data, size_t len, char **out, size_t *out_len)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char *in = (char *)data, *buf, *dst;
	size_t left = len, room = len + len / 2 + 16, bad = 0;
	if (cd == (iconv_t)-1)
		return 1;
	buf = xmalloc(room);
	dst = buf;
	if (iconv(cd, &in, &left, &dst, &room) == (size_t)-1)
		bad = errno == EINVAL ? len + 1 : (size_t)(in - (char *)data) + 1;
	iconv_close(cd);
	if (bad) {
		free(buf);
		return bad;
	}
	*out = buf;
	*out_len = (size_t)(dst - buf);
	return 0;
}

int csv_decode(const unsigned char *data, size_t len, const char **text, size_t *text_len,
	       char **owned, const char **encoding, char *err, size_t errlen)
{
	size_t bad;
	*owned = NULL;
	if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF))) {
		snprintf(err, errlen, "文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8（逗号分隔）”或 GBK 编码的 CSV");
		return -1;
	}
	if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
		if (!utf8_valid(data + 3, len - 3)) {
			snprintf(err, errlen, "文件声明为 UTF-8（带 BOM），但含有无效的 UTF-8 字节，请检查文件编码");
			return -1;
		}
		*text = (const char *)data + 3;
		*text_len = len - 3;
		*encoding = "UTF-8 (BOM)";
		return 0;
	}
	if (utf8_valid(data, len)) {
		*text = (const char *)data;
		*text_len = len;
		*encoding = "UTF-8";
		return 0;
	}
	bad = gb18030_to_utf8(data, len, owned, text_len);
	if (bad) {
		snprintf(err, errlen, "文件编码无法识别：既不是 UTF-8 也不是 GB18030/GBK（第 %lu 行%s），"
			 "请另存为 UTF-8 或 GBK 编码的 CSV",
			 line_of(data, bad > len ? len : bad - 1), bad > len ? "末尾的字符不完整" : "含有无效字节");
		return -1;
	}
	*text = *owned;
	*encoding = "GB18030";
	return 0;
}

/* ---------------------------------------------------------------- parsing */

/* The current record: field bytes, NUL-separated, and where each field starts. */
typedef struct {
	char *buf;
	size_t len, cap;
	size_t *starts;
	char **cells;
	size_t ncells, capcells;
} csv_record;

static void rec_append(csv_record *r, const char *s, size_t n)
{
	if (r->len + n + 1 > r->cap) {
		while (r->len + n + 1 > r->cap)
			r->cap = r->cap ? r->cap * 2 : 1024;
		r->buf = xrealloc(r->buf, r->cap);
	}
	memcpy(r->buf + r->len, s, n);
	r->len += n;
}

/* Ends the current field and opens the next. */
static void rec_next_field(csv_record *r)
{
	rec_append(r, "", 1); /* the NUL */
	if (r->ncells + 1 >= r->capcells) {
		r->capcells = r->capcells ? r->capcells * 2 : 32;
		r->starts = xrealloc(r->starts, r->capcells * sizeof(size_t));
		r->cells = xrealloc(r->cells, r->capcells * sizeof(char *));
	}
	r->starts[++r->ncells] = r->len;
}

static void rec_reset(csv_record *r)
{
	if (!r->capcells) {
		r->capcells = 32;
		r->starts = xmalloc(r->capcells * sizeof(size_t));
		r->cells = xmalloc(r->capcells * sizeof(char *));
	}
	r->len = 0;
	r->ncells = 0;
	r->starts[0] = 0;
}

/* Hands the finished record (its last field already closed) to fn. */
static int rec_emit(csv_record *r, unsigned long number, sheet_row_fn fn, void *ctx)
{
	sheet_row row;
	size_t i;
	for (i = 0; i < r->ncells; i++)
		r->cells[i] = r->buf + r->starts[i];
	row.number = number;
	row.ncells = r->ncells;
	row.cells = r->cells;
	return fn(ctx, &row);
}

static char detect_separator(const char *text, size_t len)
{
	const char *nl = memchr(text, '\n', len);
	size_t n = nl ? (size_t)(nl - text) : len;
	return memchr(text, '\t', n) && !memchr(text, ',', n) ? '\t' : ',';
}

/* Reads a quoted field starting after its opening quote; returns the index after
 * the closing quote, or len when the quote never closes. */
static size_t read_quoted(csv_record *r, const char *t, size_t i, size_t len)
{
	while (i < len) {
		const char *q = memchr(t + i, '"', len - i);
		if (!q)
			return len + 1;
		rec_append(r, t + i, (size_t)(q - (t + i)));
		i = (size_t)(q - t) + 1;
		if (i < len && t[i] == '"') {
			rec_append(r, "\"", 1);
			i++;
			continue;
		}
		return i;
	}
	return len + 1;
}

/* Reads unquoted bytes up to a separator or line end; returns where it stopped. */
static size_t read_plain(csv_record *r, const char *t, size_t i, size_t len, char sep)
{
	size_t start = i;
	while (i < len && t[i] != sep && t[i] != '\n' && t[i] != '\r')
		i++;
	rec_append(r, t + start, i - start);
	return i;
}

int csv_parse(const char *text, size_t len, sheet_row_fn fn, void *ctx, char *err, size_t errlen)
{
	csv_record r = {0};
	unsigned long number = 1;
	char sep = detect_separator(text, len);
	size_t i = 0;
	int rc = SHEET_OK;

	rec_reset(&r);
	while (i < len) {
		if (text[i] == '"') {
			size_t j = read_quoted(&r, text, i + 1, len);
			if (j > len) {
				snprintf(err, errlen, "第 %lu 行：引号未闭合，文件可能不完整", number);
				rc = SHEET_DAMAGED;
				goto out;
			}
			i = j;
		}
		i = read_plain(&r, text, i, len, sep);
		if (i < len && text[i] == sep) {
			rec_next_field(&r);
			if (++i < len)
				continue; /* else "a," at the very end: close the record with an empty field */
		}
		/* a line end or the end of the text closes the record */
		i += i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2 : i < len;
		rec_next_field(&r);
		if (rec_emit(&r, number++, fn, ctx)) {
			rc = SHEET_STOPPED;
			goto out;
		}
		rec_reset(&r);
	}
out:
	free(r.buf);
	free(r.starts);
	free(r.cells);
	return rc;
}
