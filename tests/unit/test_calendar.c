/* test_calendar.c - semesters and months. */
#include <string.h>

#include "calendar.h"
#include "harness.h"

void test_calendar(void)
{
	semester s;
	char a[11], b[11];
	CHECK(semester_of("2026-11-23", &s) == 0 && !strcmp(s.start, "2026-09-01") && !strcmp(s.end, "2027-02-28") &&
		      !strcmp(s.code, "2026-2") && !strcmp(s.name, "2026年秋季学期"),
	      "November is in the autumn semester (%s..%s %s)", s.start, s.end, s.code);
	CHECK(semester_of("2024-02-10", &s) == 0 && !strcmp(s.start, "2023-09-01") && !strcmp(s.end, "2024-02-29"),
	      "February belongs to the autumn semester that began the year before, leap day included (%s)", s.end);
	CHECK(semester_of("2026-03-01", &s) == 0 && !strcmp(s.start, "2026-03-01") && !strcmp(s.end, "2026-08-31") &&
		      !strcmp(s.code, "2026-1"),
	      "spring runs March to August");
	CHECK(semester_from_code("2025-2", &s) == 0 && !strcmp(s.start, "2025-09-01"), "a semester from its code");
	CHECK(semester_from_code("2025-3", &s) == -1 && semester_from_code("25-1", &s) == -1, "bad codes are refused");
	CHECK(month_of("2024-02-15", a, b) == 0 && !strcmp(a, "2024-02-01") && !strcmp(b, "2024-02-29"), "a month");
	CHECK(month_of("2026-12-05", a, b) == 0 && !strcmp(b, "2026-12-31"), "December ends on the 31st");
	CHECK(semester_of("2026-02-30", &s) == -1, "an invalid date has no semester");
	CHECK(semester_from_code("2999-1", &s) == 0 && !strcmp(s.end, "2999-08-31"), "the calendar's last spring");
	CHECK(semester_from_code("2999-2", &s) == -1 && semester_of("2999-12-31", &s) == -1,
	      "an autumn ending past the calendar (3000-02) is refused, not given a 1969 end");
}
