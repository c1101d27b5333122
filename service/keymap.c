/* keymap.c - open-addressing hash map (linear probing, FNV-1a 64) with the keys
 * kept in one arena, so an entry costs a slot of 24 bytes plus its key. */
#include "keymap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct {
	uint64_t hash;     /* 0: empty slot */
	size_t key;        /* offset of the key in the arena */
	long long value;
} slot;

struct keymap {
	slot *slots;
	size_t nslots, count;    /* nslots is a power of two */
	char *arena;             /* each key: its length (size_t) then its bytes */
	size_t arena_len, arena_cap;
};

static uint64_t key_hash(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 14695981039346656037ULL;
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 29; /* FNV's low bits are weak for short keys; mix before masking */
	return h ? h : 1;
}

keymap *keymap_new(void)
{
	keymap *m = xcalloc(1, sizeof(*m));
	m->nslots = 64;
	m->slots = xcalloc(m->nslots, sizeof(slot));
	return m;
}

void keymap_free(keymap *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m->arena);
	free(m);
}

static int key_equal(const keymap *m, const slot *s, const void *key, size_t len)
{
	size_t stored;
	memcpy(&stored, m->arena + s->key, sizeof(size_t));
	return stored == len && memcmp(m->arena + s->key + sizeof(size_t), key, len) == 0;
}

/* The slot holding key, or the empty slot where it would go. */
static slot *find_slot(const keymap *m, uint64_t h, const void *key, size_t len)
{
	size_t mask = m->nslots - 1, i = (size_t)h & mask;
	while (m->slots[i].hash && !(m->slots[i].hash == h && key_equal(m, &m->slots[i], key, len)))
		i = (i + 1) & mask;
	return &m->slots[i];
}

static void grow(keymap *m)
{
	slot *old = m->slots;
	size_t i, n = m->nslots;
	m->nslots *= 2;
	m->slots = xcalloc(m->nslots, sizeof(slot));
	for (i = 0; i < n; i++) {
		size_t j = (size_t)old[i].hash & (m->nslots - 1);
		if (!old[i].hash)
			continue;
		while (m->slots[j].hash)
			j = (j + 1) & (m->nslots - 1);
		m->slots[j] = old[i];
	}
	free(old);
}

static size_t arena_store(keymap *m, const void *key, size_t len)
{
	size_t at = m->arena_len, need = sizeof(size_t) + len;
	if (m->arena_len + need > m->arena_cap) {
		while (m->arena_len + need > m->arena_cap)
			m->arena_cap = m->arena_cap ? m->arena_cap * 2 : 4096;
		m->arena = xrealloc(m->arena, m->arena_cap);
	}
	memcpy(m->arena + at, &len, sizeof(size_t));
	memcpy(m->arena + at + sizeof(size_t), key, len);
	m->arena_len += need;
	return at;
}

long long *keymap_get(const keymap *m, const void *key, size_t len)
{
	slot *s = find_slot(m, key_hash(key, len), key, len);
	return s->hash ? &s->value : NULL;
}

long long *keymap_put(keymap *m, const void *key, size_t len, int *created)
{
	uint64_t h = key_hash(key, len);
	slot *s;
	if ((m->count + 1) * 10 > m->nslots * 7)
		grow(m);
	s = find_slot(m, h, key, len);
	*created = !s->hash;
	if (!s->hash) {
		s->hash = h;
		s->key = arena_store(m, key, len);
		s->value = 0;
		m->count++;
	}
	return &s->value;
}

long long *keymap_get_str(const keymap *m, const char *key)
{
	return keymap_get(m, key, strlen(key));
}

long long *keymap_put_str(keymap *m, const char *key, int *created)
{
	return keymap_put(m, key, strlen(key), created);
}

size_t keymap_count(const keymap *m)
{
	return m->count;
}
