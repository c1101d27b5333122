/* mask.c - name masking, by UTF-8 code point. */
#include "mask.h"

#include <string.h>

/* Bytes in the UTF-8 character starting at s (1 for stray continuation bytes). */
static size_t char_len(const unsigned char *s)
{
	if (*s >= 0xF0)
		return 4;
	if (*s >= 0xE0)
		return 3;
	if (*s >= 0xC0)
		return 2;
	return 1;
}

/* Start of the last character of s[0..n). */
static size_t last_char_start(const char *s, size_t n)
{
	size_t i = n - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

int mask_name(const char *name, char *out, size_t outlen)
{
	size_t n, first, last, need;
	while (*name == ' ')
		name++;
	n = strlen(name);
	while (n > 0 && name[n - 1] == ' ')
		n--;
	if (outlen < 2)
		return -1;
	if (n == 0) {
		out[0] = '\0';
		return 0;
	}
	first = char_len((const unsigned char *)name);
	if (first > n)
		first = n;
	last = last_char_start(name, n);
	if (first >= n) { /* one character */
		memcpy(out, "*", 2);
		return 0;
	}
	need = first + 1 + (last >= first + 1 ? n - last : 0) + 1;
	if (need > outlen) {
		memcpy(out, "*", 2);
		return -1;
	}
	memcpy(out, name, first);
	out[first] = '*';
	if (last == first) { /* two characters: the second is hidden */
		out[first + 1] = '\0';
		return 0;
	}
	memcpy(out + first + 1, name + last, n - last);
	out[first + 1 + n - last] = '\0';
	return 0;
}
