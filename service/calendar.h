/* calendar.h - the school calendar: semesters of a date. Spring (春季学期)
 * runs 1 March to 31 August, autumn (秋季学期) 1 September to the end of February. */
#ifndef DUDAO_CALENDAR_H
#define DUDAO_CALENDAR_H

typedef struct {
	char start[11];   /* first day, "YYYY-MM-DD" */
	char end[11];     /* last day, inclusive */
	char name[32];    /* "2026年秋季学期" */
	char code[8];     /* "2026-2" (autumn) or "2026-1" (spring): sortable, for query strings */
} semester;

/* The semester containing date (a valid "YYYY-MM-DD"). Returns 0, or -1 for an invalid
 * date or one whose semester ends past 2999 (the calendar's last year). */
int semester_of(const char *date, semester *out);
/* The semester named by code "YYYY-1" or "YYYY-2". Returns 0, or -1 when malformed or
 * ending past 2999. */
int semester_from_code(const char *code, semester *out);
/* The first and last day of the month of date into start/end. Returns 0 or -1. */
int month_of(const char *date, char start[11], char end[11]);

#endif
