/* calendar.c - semesters and months, pure date arithmetic on "YYYY-MM-DD". */
#include "calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Fills a semester: spring of year, or autumn starting in year. Returns -1 when
 * it ends past the last date the calendar knows (date_valid). */
static int semester_make(int year, int autumn, semester *s)
{
	char march[11];
	if (autumn) {
		snprintf(s->start, sizeof(s->start), "%04u-09-01", (unsigned)year % 10000u);
		snprintf(march, sizeof(march), "%04u-03-01", (unsigned)(year + 1) % 10000u);
	} else {
		snprintf(s->start, sizeof(s->start), "%04u-03-01", (unsigned)year % 10000u);
		snprintf(march, sizeof(march), "%04u-09-01", (unsigned)year % 10000u);
	}
	if (!date_valid(march))
		return -1;
	date_from_days(date_to_days(march) - 1, s->end);
	snprintf(s->name, sizeof(s->name), "%04u年%s学期", (unsigned)year % 10000u, autumn ? "秋季" : "春季");
	snprintf(s->code, sizeof(s->code), "%04u-%d", (unsigned)year % 10000u, autumn ? 2 : 1);
	return 0;
}

int semester_of(const char *date, semester *out)
{
	int year, month;
	if (!date_valid(date))
		return -1;
	year = atoi(date);
	month = atoi(date + 5);
	if (month >= 9)
		return semester_make(year, 1, out);
	if (month >= 3)
		return semester_make(year, 0, out);
	return semester_make(year - 1, 1, out);
}

int semester_from_code(const char *code, semester *out)
{
	char probe[11];
	if (!code || strlen(code) != 6 || code[4] != '-' || (code[5] != '1' && code[5] != '2'))
		return -1;
	snprintf(probe, sizeof(probe), "%.4s-01-01", code);
	if (!date_valid(probe))
		return -1;
	return semester_make(atoi(code), code[5] == '2', out);
}

int month_of(const char *date, char start[11], char end[11])
{
	char next[11];
	int y, m;
	if (!date_valid(date))
		return -1;
	y = atoi(date);
	m = atoi(date + 5);
	snprintf(start, 11, "%04u-%02u-01", (unsigned)y % 10000u, (unsigned)m % 100u);
	snprintf(next, sizeof(next), "%04u-%02u-01", (unsigned)(m == 12 ? y + 1 : y) % 10000u, (unsigned)(m == 12 ? 1 : m + 1) % 100u);
	date_from_days(date_to_days(next) - 1, end);
	return 0;
}
