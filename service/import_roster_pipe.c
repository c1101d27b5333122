/* import_roster_pipe.c - the roster import's writer thread. The request's
 * thread parses and checks the file and hands the checked rows over in chunks
 * of ROSTER_BATCH; the writer looks them up and writes them on the request's
 * database connection (which the reader leaves alone until it has joined the
 * writer), so the checking of one chunk runs while MariaDB works on the one
 * before. Up to ROSTER_RING chunks are in flight; the reader waits when all
 * are. When no thread can be made, each chunk is done at once on the reader's
 * thread, as before. */
#include <stdlib.h>
#include <string.h>

#include "import_roster.h"
#include "log.h"
#include "util.h"

/* Does the chunks handed over until the reader is done; after a database
 * error, or once told to drop them, it only takes chunks (so the reader never
 * waits for ever). */
static void *writer_main(void *arg)
{
	roster_import *ri = arg;
	roster_pipe *p = &ri->pipe;
	for (;;) {
		size_t slot, n;
		int skip;
		pthread_mutex_lock(&p->lock);
		while (p->consumed == p->produced && !p->done)
			pthread_cond_wait(&p->ready, &p->lock);
		if (p->consumed == p->produced) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		slot = p->consumed % ROSTER_RING;
		n = p->count[slot];
		skip = p->drop;
		pthread_mutex_unlock(&p->lock);
		if (!skip && atomic_load(&ri->failed) == DB_OK) {
			db_status st = roster_resolve(ri, p->chunk[slot], n);
			if (st != DB_OK)
				atomic_store(&ri->failed, (int)st);
		}
		pthread_mutex_lock(&p->lock);
		p->consumed++;
		pthread_cond_signal(&p->free_slot);
		pthread_mutex_unlock(&p->lock);
	}
}

void roster_pipe_start(roster_import *ri)
{
	roster_pipe *p = &ri->pipe;
	size_t i;
	for (i = 0; i < ROSTER_RING; i++)
		p->chunk[i] = xcalloc(ROSTER_BATCH, sizeof(roster_rec));
	ri->pending = p->chunk[0];
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->ready, NULL);
	pthread_cond_init(&p->free_slot, NULL);
	p->started = pthread_create(&p->thread, NULL, writer_main, ri) == 0;
	if (!p->started)
		log_warn("roster import: no writer thread, checking and writing one after the other");
}

void roster_pipe_push(roster_import *ri)
{
	roster_pipe *p = &ri->pipe;
	size_t slot;
	if (!p->started) { /* the same work, on this thread */
		db_status st = DB_OK;
		if (atomic_load(&ri->failed) == DB_OK && (st = roster_resolve(ri, ri->pending, ri->npending)) != DB_OK)
			atomic_store(&ri->failed, (int)st);
		ri->npending = 0;
		return;
	}
	pthread_mutex_lock(&p->lock);
	p->count[p->produced % ROSTER_RING] = ri->npending;
	p->produced++;
	pthread_cond_signal(&p->ready);
	while (p->produced - p->consumed >= ROSTER_RING)
		pthread_cond_wait(&p->free_slot, &p->lock);
	slot = p->produced % ROSTER_RING;
	pthread_mutex_unlock(&p->lock);
	ri->pending = p->chunk[slot];
	ri->npending = 0;
}

void roster_pipe_finish(roster_import *ri, int drop)
{
	roster_pipe *p = &ri->pipe;
	if (!p->started)
		return;
	pthread_mutex_lock(&p->lock);
	p->done = 1;
	p->drop = drop;
	pthread_cond_signal(&p->ready);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	p->started = 0;
}

void roster_pipe_release(roster_import *ri)
{
	roster_pipe *p = &ri->pipe;
	size_t i;
	if (!p->chunk[0])
		return;
	for (i = 0; i < ROSTER_RING; i++)
		free(p->chunk[i]);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->ready);
	pthread_cond_destroy(&p->free_slot);
	memset(p, 0, sizeof(*p));
	ri->pending = NULL;
}
