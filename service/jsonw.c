/* jsonw.c - compact JSON writer (see jsonw.h). Strings are copied in runs up to
 * the next byte that needs escaping; numbers are formatted as jansson does
 * (integers with JSON_INTEGER_FORMAT, reals by jansson itself). */
#include "jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define JSONW_MAX_DEPTH 512

static void jb_putc(strbuf *b, char c)
{
	strbuf_add(b, &c, 1);
}

/* Bytes that must be escaped in a JSON string. */
static int needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

static void put_escape(strbuf *b, unsigned char c)
{
	char u[8];
	switch (c) {
	case '"': strbuf_add(b, "\\\"", 2); break;
	case '\\': strbuf_add(b, "\\\\", 2); break;
	case '\b': strbuf_add(b, "\\b", 2); break;
	case '\f': strbuf_add(b, "\\f", 2); break;
	case '\n': strbuf_add(b, "\\n", 2); break;
	case '\r': strbuf_add(b, "\\r", 2); break;
	case '\t': strbuf_add(b, "\\t", 2); break;
	default:
		snprintf(u, sizeof(u), "\\u%04X", c);
		strbuf_add(b, u, 6);
	}
}

static void put_string(strbuf *b, const char *s, size_t n)
{
	size_t i, start = 0;
	jb_putc(b, '"');
	for (i = 0; i < n; i++) {
		if (!needs_escape((unsigned char)s[i]))
			continue;
		strbuf_add(b, s + start, i - start);
		put_escape(b, (unsigned char)s[i]);
		start = i + 1;
	}
	strbuf_add(b, s + start, n - start);
	jb_putc(b, '"');
}

/* A real as jansson writes it (precision, exponent and ".0" rules are its own). */
static int put_real(strbuf *b, const json_t *v)
{
	char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!t)
		return -1;
	strbuf_puts(b, t);
	free(t);
	return 0;
}

static int put_value(strbuf *b, const json_t *v, int depth);

static int put_object(strbuf *b, const json_t *v, int depth)
{
	const char *key;
	json_t *val;
	int first = 1;
	jb_putc(b, '{');
	json_object_foreach((json_t *)v, key, val) {
		if (!first)
			jb_putc(b, ',');
		first = 0;
		put_string(b, key, strlen(key));
		jb_putc(b, ':');
		if (put_value(b, val, depth + 1))
			return -1;
	}
	jb_putc(b, '}');
	return 0;
}

static int put_array(strbuf *b, const json_t *v, int depth)
{
	size_t i;
	json_t *val;
	jb_putc(b, '[');
	json_array_foreach(v, i, val) {
		if (i)
			jb_putc(b, ',');
		if (put_value(b, val, depth + 1))
			return -1;
	}
	jb_putc(b, ']');
	return 0;
}

static int put_value(strbuf *b, const json_t *v, int depth)
{
	if (depth > JSONW_MAX_DEPTH)
		return -1;
	switch (json_typeof(v)) {
	case JSON_OBJECT: return put_object(b, v, depth);
	case JSON_ARRAY: return put_array(b, v, depth);
	case JSON_STRING: put_string(b, json_string_value(v), json_string_length(v)); return 0;
	case JSON_INTEGER: jsonw_integer(b, json_integer_value(v)); return 0;
	case JSON_REAL: return put_real(b, v);
	case JSON_TRUE: strbuf_add(b, "true", 4); return 0;
	case JSON_FALSE: strbuf_add(b, "false", 5); return 0;
	case JSON_NULL: strbuf_add(b, "null", 4); return 0;
	}
	return -1;
}

void jsonw_string(strbuf *b, const char *s, size_t n)
{
	put_string(b, s, n);
}

void jsonw_key(strbuf *b, const char *key)
{
	put_string(b, key, strlen(key));
	jb_putc(b, ':');
}

/* Decimal digits, as "%lld" writes them. */
void jsonw_integer(strbuf *b, long long v)
{
	char num[24];
	size_t i = sizeof(num);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		num[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		num[--i] = '-';
	strbuf_add(b, num + i, sizeof(num) - i);
}

void jsonw_bool(strbuf *b, int v)
{
	if (v)
		strbuf_add(b, "true", 4);
	else
		strbuf_add(b, "false", 5);
}

void jsonw_value(strbuf *b, const json_t *v)
{
	if (put_value(b, v, 0))
		strbuf_add(b, "null", 4);
}

char *jsonw_dumps(const json_t *v, size_t *len)
{
	strbuf b = {0};
	if (!v || put_value(&b, v, 0)) {
		free(b.p);
		return NULL;
	}
	if (len)
		*len = b.len;
	return b.p;
}
