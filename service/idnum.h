/* idnum.h - the resident ID number (身份证号, GB 11643): validation, the facts it
 * carries (birth date, gender), and the keyed hash under which it is stored.
 * The whole number is never stored or returned; only its HMAC and last four characters. */
#ifndef DUDAO_IDNUM_H
#define DUDAO_IDNUM_H

#include <stddef.h>

#define IDNUM_LEN 18
#define IDNUM_HASH_LEN 32

typedef enum {
	IDNUM_OK = 0,
	IDNUM_EMPTY,      /* nothing given */
	IDNUM_SCIENTIFIC, /* "4.30602E+17": Excel turned the column into numbers */
	IDNUM_LENGTH,     /* not 18 characters */
	IDNUM_CHARS,      /* not 17 digits and a digit or X */
	IDNUM_BIRTH,      /* the birth date inside is not a real date, or lies after today */
	IDNUM_CHECKSUM    /* the check character does not match */
} idnum_result;

/* Copies s into out without spaces and with a lowercase x made X. Returns 0, or -1
 * when more than IDNUM_LEN characters remain (out then holds a truncated copy). */
int idnum_normalize(const char *s, char out[IDNUM_LEN + 1]);

/* The GB 11643 check character for the first 17 digits ('0'..'9' or 'X'); 0 when
 * first17 holds a non-digit. */
char idnum_check_char(const char *first17);

/* Validates a normalized number. today ("YYYY-MM-DD") bounds the birth date; NULL skips that. */
idnum_result idnum_check(const char *id, const char *today);

/* A Chinese sentence saying what is wrong, for error messages. Static string. */
const char *idnum_message(idnum_result r);

/* The birth date of a valid number as "YYYY-MM-DD". */
void idnum_birth_date(const char *id, char out[11]);
/* "男" or "女" from the 17th digit (odd: male). Static string. */
const char *idnum_gender(const char *id);
/* The last four characters into out[5]. */
void idnum_last4(const char *id, char out[5]);

/* HMAC-SHA256 of the normalized number under the install's key (settings row
 * id_match_key), into out. Any key length works. */
void idnum_hash(const unsigned char *key, size_t keylen, const char *id, unsigned char out[IDNUM_HASH_LEN]);

#endif
