/* fuzz_idnum.c - libFuzzer target: ID-number normalising and checking on any text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idnum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), norm[IDNUM_LEN + 1];
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (idnum_normalize(s, norm) == 0)
		idnum_check(norm, "2026-11-23");
	free(s);
	return 0;
}
