/* readcache.c - a fixed table of answers, one per slot (a key's hash picks its
 * slot, a newer key takes it over), shared by the workers under one lock. A
 * generation counter makes every kept answer stale at once after a write. */
#include "readcache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define SLOTS 256
#define MAX_ANSWER (1u << 20)   /* bytes; a larger answer is not kept */
#define MAX_TOTAL (64u << 20)   /* bytes kept at most, all slots together */

typedef struct {
	char *key;
	char *body;
	size_t len;
	const char *content_type;  /* a static string (http_res) */
	unsigned long generation;
	double at;                 /* clock_ms() when kept */
} slot;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static slot slots[SLOTS];
static size_t total;
static unsigned long generation = 1;
static unsigned ttl_ms = 5000;

static slot *slot_of(const char *key)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return &slots[h % SLOTS];
}

static void slot_clear(slot *s)
{
	total -= s->len;
	free(s->key);
	free(s->body);
	memset(s, 0, sizeof(*s));
}

void readcache_set_ttl(unsigned ms)
{
	ttl_ms = ms;
}

void readcache_invalidate(void)
{
	pthread_mutex_lock(&lock);
	generation++;
	pthread_mutex_unlock(&lock);
}

int readcache_get(const char *key, http_res *res, unsigned long *gen)
{
	slot *s;
	int hit;
	if (!ttl_ms)
		return 0;
	pthread_mutex_lock(&lock);
	s = slot_of(key);
	hit = s->key && s->generation == generation && clock_ms() - s->at < ttl_ms && !strcmp(s->key, key);
	if (hit) {
		free(res->body);
		res->body = xmalloc(s->len ? s->len : 1);
		memcpy(res->body, s->body, s->len);
		res->body_len = s->len;
		res->content_type = s->content_type;
		res->status = HTTP_ok;
	}
	*gen = generation;
	pthread_mutex_unlock(&lock);
	return hit;
}

void readcache_put(const char *key, const http_res *res, unsigned long gen)
{
	slot *s;
	if (!ttl_ms || res->status != HTTP_ok || !res->body || res->body_len > MAX_ANSWER)
		return;
	pthread_mutex_lock(&lock);
	s = slot_of(key);
	if (s->key)
		slot_clear(s);
	if (gen == generation && total + res->body_len <= MAX_TOTAL) {
		s->key = xstrdup(key);
		s->body = xmalloc(res->body_len ? res->body_len : 1);
		memcpy(s->body, res->body, res->body_len);
		s->len = res->body_len;
		s->content_type = res->content_type;
		s->generation = gen;
		s->at = clock_ms();
		total += s->len;
	}
	pthread_mutex_unlock(&lock);
}
