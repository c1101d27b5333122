/* demo.h - the deterministic demo county that `dudao demo` loads: one bureau,
 * its town centres and schools, and a login for every role. */
#ifndef DUDAO_DEMO_H
#define DUDAO_DEMO_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

/* The password every demo user shares. */
#define DEMO_PASSWORD "Dudao@2026"

/* Loads the demo county in one transaction, with a year of visits and
 * rectification items dated relative to today ("YYYY-MM-DD", the bureau's
 * date): the same today gives the same data. Returns 0 when loaded, 1 when the
 * database already holds orgs (nothing is changed), or -1 with a message in err
 * (the transaction is rolled back, so nothing is left behind). */
int demo_load(db *d, const char *today, char *err, size_t errlen);

/* Returns 1 when the orgs table has rows, 0 when it is empty, -1 on a database error. */
int demo_is_loaded(db *d);

/* ---- pure helpers, exposed for the unit tests ---------------------------- */

/* The next number of a splitmix64 sequence; the demo never uses rand() or the clock. */
uint64_t demo_rand_next(uint64_t *state);
/* A number in [0, n) drawn from state (n > 0). */
unsigned demo_rand_below(uint64_t *state, unsigned n);

/* Writes a common Chinese personal name (surname and one or two given-name
 * characters, e.g. "王建国") into out, drawn from state. Returns 0, or -1 when out is too small. */
int demo_person_name(uint64_t *state, char *out, size_t outlen);

/* Writes the national school code (学校标识码, 10 digits beginning with 21) of the
 * school with the given serial into out. Serials below 10000 give distinct codes. */
void demo_school_code(unsigned serial, char out[11]);

#endif
