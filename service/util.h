/* util.h - small helpers with no dependencies: allocation that aborts on
 * exhaustion, UTF-8 and date validation, bounded string copies. */
#ifndef DUDAO_UTIL_H
#define DUDAO_UTIL_H

#include <stddef.h>

/* Allocate or abort with a message: out of memory is not a recoverable error here. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable byte buffer, always NUL-terminated after its len bytes once
 * anything was added; {0} is empty. The caller frees p. */
typedef struct {
	char *p;
	size_t len, cap;
} strbuf;
/* Appends n bytes (aborts when out of memory, like xmalloc). */
void strbuf_add(strbuf *b, const void *s, size_t n);
/* Appends the C string s. */
void strbuf_puts(strbuf *b, const char *s);

/* Copies src into dst of size n, always NUL-terminated; returns 0, or -1 when truncated. */
int str_copy(char *dst, size_t n, const char *src);

/* Returns 1 when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const unsigned char *s, size_t len);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_chars(const char *s);
/* 1 when s holds nothing but white space: ASCII spaces, tabs and line breaks and
 * the ideographic space U+3000 (a Chinese keyboard's space); also for "". */
int str_blank(const char *s);

/* Returns 1 when s is a calendar date "YYYY-MM-DD" that exists (1900..2999). */
int date_valid(const char *s);
/* Days since 1970-01-01 for a valid date; used to compare and subtract dates. */
long date_to_days(const char *s);
/* Writes the date `days` after 1970-01-01 into out[11]. */
void date_from_days(long days, char out[11]);
/* Today's calendar date in the time zone tz (e.g. "Asia/Shanghai") into out[11]. */
void date_today(const char *tz, char out[11]);

/* Milliseconds from a monotonic clock. */
double clock_ms(void);

#endif
