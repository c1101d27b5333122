/* fuzz_xlsx.c - libFuzzer target: arbitrary bytes as an XLSX workbook (zip,
 * workbook, relations, shared strings, styles, first sheet). */
#include <stdint.h>
#include <string.h>

#include "xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_row(void *ctx, const sheet_row *row)
{
	size_t i, *total = ctx;
	for (i = 0; i < row->ncells; i++)
		*total += strlen(row->cells[i]);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	size_t total = 0;
	xlsx_read(data, size, fuzz_row, &total, err, sizeof(err));
	return 0;
}
