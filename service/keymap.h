/* keymap.h - a hash map from byte strings to integers, for the in-memory look-ups
 * of an import (schools by code and name, students by ID hash, households).
 * Keys are copied; open addressing keeps it compact for millions of entries. */
#ifndef DUDAO_KEYMAP_H
#define DUDAO_KEYMAP_H

#include <stddef.h>

typedef struct keymap keymap;

/* A new empty map; the caller frees it with keymap_free. Aborts when out of memory. */
keymap *keymap_new(void);
void keymap_free(keymap *m);

/* The value stored under key, or NULL when there is none. Valid until the next put. */
long long *keymap_get(const keymap *m, const void *key, size_t len);
/* The value under key, inserted as 0 when missing (*created set to 1, else 0).
 * Valid until the next put. */
long long *keymap_put(keymap *m, const void *key, size_t len, int *created);
/* Same as keymap_get / keymap_put with a NUL-terminated string key. */
long long *keymap_get_str(const keymap *m, const char *key);
long long *keymap_put_str(keymap *m, const char *key, int *created);
/* Number of keys. */
size_t keymap_count(const keymap *m);

#endif
