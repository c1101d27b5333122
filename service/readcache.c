/* readcache.c - a fixed table of answers, one per slot (a key's hash picks its
 * slot, a newer key takes it over), shared by the workers under one lock. A
 * generation counter makes every kept answer stale at once after a write. An
 * answer kept is shared, not copied: each response that sends it holds a
 * reference, let go by the connection once the bytes are sent. */
#include "readcache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define SLOTS 256
#define MAX_ANSWER (1u << 20)   /* bytes; a larger answer is not kept */
#define MAX_TOTAL (64u << 20)   /* bytes kept at most, all slots together */

/* An answer's bytes, shared by its slot and the responses sending it. */
typedef struct {
	atomic_int refs;
	size_t len;
	char bytes[];
} answer;

typedef struct {
	char *key;
	answer *a;
	const char *content_type;  /* a static string (http_res) */
	unsigned long generation;
	double at;                 /* clock_ms() when kept */
} slot;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static slot slots[SLOTS];
static size_t total;           /* bytes of the answers in the slots */
static unsigned long generation = 1;
static unsigned ttl_ms = 5000;

static slot *slot_of(const char *key)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return &slots[h % SLOTS];
}

static void answer_unref(answer *a)
{
	if (atomic_fetch_sub(&a->refs, 1) == 1)
		free(a);
}

/* http_res.body_release of a shared answer: data is its bytes. */
static void answer_release(const void *data, size_t len, void *arg)
{
	(void)len;
	(void)arg;
	answer_unref((answer *)(void *)((char *)(uintptr_t)data - offsetof(answer, bytes)));
}

static void slot_clear(slot *s)
{
	total -= s->a->len;
	answer_unref(s->a);
	free(s->key);
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
		atomic_fetch_add(&s->a->refs, 1);
		res_body_clear(res);
		res->body = s->a->bytes;
		res->body_len = s->a->len;
		res->body_release = answer_release;
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
	answer *a;
	if (!ttl_ms || res->status != HTTP_ok || !res->body || res->body_len > MAX_ANSWER)
		return;
	a = xmalloc(sizeof(*a) + res->body_len);
	atomic_init(&a->refs, 1);
	a->len = res->body_len;
	memcpy(a->bytes, res->body, res->body_len);
	pthread_mutex_lock(&lock);
	s = slot_of(key);
	if (s->key)
		slot_clear(s);
	if (gen == generation && total + a->len <= MAX_TOTAL) {
		s->key = xstrdup(key);
		s->a = a;
		s->content_type = res->content_type;
		s->generation = gen;
		s->at = clock_ms();
		total += a->len;
		a = NULL;
	}
	pthread_mutex_unlock(&lock);
	if (a)
		answer_unref(a);
}
