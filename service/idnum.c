/* idnum.c - 身份证号 validation per GB 11643-1999 and its keyed hash (libsodium). */
#include "idnum.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

int idnum_normalize(const char *s, char out[IDNUM_LEN + 1])
{
	size_t n = 0;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\'')
			continue; /* Excel users prefix a quote to keep the column text */
		if (n == IDNUM_LEN) {
			out[n] = '\0';
			return -1;
		}
		out[n++] = *s == 'x' ? 'X' : *s;
	}
	out[n] = '\0';
	return 0;
}

char idnum_check_char(const char *first17)
{
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char checks[] = "10X98765432";
	int i, sum = 0;
	for (i = 0; i < 17; i++) {
		if (first17[i] < '0' || first17[i] > '9')
			return 0;
		sum += (first17[i] - '0') * weights[i];
	}
	return checks[sum % 11];
}

/* "4.30602E+17" and the like: what Excel leaves after treating the column as numbers. */
static int looks_scientific(const char *s)
{
	return (strchr(s, 'E') || strchr(s, 'e')) && strchr(s, '.') && (strchr(s, '+') || strlen(s) < IDNUM_LEN);
}

idnum_result idnum_check(const char *id, const char *today)
{
	char birth[11];
	size_t i, n = strlen(id);
	if (n == 0)
		return IDNUM_EMPTY;
	if (looks_scientific(id))
		return IDNUM_SCIENTIFIC;
	if (n != IDNUM_LEN)
		return IDNUM_LENGTH;
	for (i = 0; i < 17; i++)
		if (id[i] < '0' || id[i] > '9')
			return IDNUM_CHARS;
	if (!((id[17] >= '0' && id[17] <= '9') || id[17] == 'X'))
		return IDNUM_CHARS;
	idnum_birth_date(id, birth);
	if (!date_valid(birth) || (today && strcmp(birth, today) > 0))
		return IDNUM_BIRTH;
	return idnum_check_char(id) == id[17] ? IDNUM_OK : IDNUM_CHECKSUM;
}

const char *idnum_message(idnum_result r)
{
	switch (r) {
	case IDNUM_OK: return "";
	case IDNUM_EMPTY: return "身份证号不能为空";
	case IDNUM_SCIENTIFIC: return "身份证号被 Excel 转成了科学计数法，请把该列设为文本格式后重新填写";
	case IDNUM_LENGTH: return "身份证号应为 18 位";
	case IDNUM_CHARS: return "身份证号应为 17 位数字加 1 位数字或 X";
	case IDNUM_BIRTH: return "身份证号中的出生日期无效";
	case IDNUM_CHECKSUM: return "身份证号校验位不正确，请核对";
	}
	return "身份证号无效";
}

void idnum_birth_date(const char *id, char out[11])
{
	snprintf(out, 11, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
}

const char *idnum_gender(const char *id)
{
	return (id[16] - '0') % 2 ? "男" : "女";
}

void idnum_last4(const char *id, char out[5])
{
	size_t n = strlen(id);
	str_copy(out, 5, n >= 4 ? id + n - 4 : id);
}

void idnum_hash(const unsigned char *key, size_t keylen, const char *id, unsigned char out[IDNUM_HASH_LEN])
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)id, strlen(id));
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}
