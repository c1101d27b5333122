/* readcache.h - the answers of read routes (flagged ROUTE_CACHED in routes.c),
 * kept per caller, date and URI until the next write this process
 * handles, and at most a set time (--cache-ms) for changes it cannot see: a
 * change made by hand in the database, or by another service process. */
#ifndef DUDAO_READCACHE_H
#define DUDAO_READCACHE_H

#include <stddef.h>

#include "http.h"

/* How long an answer may be served, in ms; 0 turns the cache off. Set once at start. */
void readcache_set_ttl(unsigned ms);

/* Every answer kept so far is stale: called after each write request, before it is answered. */
void readcache_invalidate(void);

/* Fills res with the answer kept for key (status 200, the kept bytes shared, not copied) and
 * returns 1, or returns 0 and sets *generation, to be given to readcache_put. */
int readcache_get(const char *key, http_res *res, unsigned long *generation);

/* Keeps res's body for key, unless a write was handled since readcache_get
 * gave generation (the answer may then predate it). */
void readcache_put(const char *key, const http_res *res, unsigned long generation);

#endif
