/* fuzz_csv.c - libFuzzer target: arbitrary bytes through the CSV decoder
 * (UTF-8/BOM/GB18030 detection) and the record parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touches every cell so the sanitizers see out-of-bounds or unterminated cells. */
static int fuzz_row(void *ctx, const sheet_row *row)
{
	size_t i, *total = ctx;
	for (i = 0; i < row->ncells; i++)
		*total += strlen(row->cells[i]);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text, *encoding;
	char *owned = NULL, err[256];
	size_t len, total = 0;
	if (csv_decode(data, size, &text, &len, &owned, &encoding, err, sizeof(err)) == 0)
		csv_parse(text, len, fuzz_row, &total, err, sizeof(err));
	free(owned);
	return 0;
}
