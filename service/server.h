/* server.h - worker threads: each owns an event_base, an evhttp with its own
 * SO_REUSEPORT listening socket and its own database connection. */
#ifndef DUDAO_SERVER_H
#define DUDAO_SERVER_H

#include <pthread.h>
#include "app.h"
#include "db.h"

typedef struct worker {
	app *app;
	int id;
	int fd;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct event *stop_ev;
	db *db;
	pthread_t thread;
	int jobs;                 /* requests answered off the loop or set aside, still running */
	/* requests checked and set aside to be written together (dispatch.c, group.h) */
	struct exchange *grouped, *grouped_last;
	size_t ngrouped;
	struct event *group_ev;   /* writes them once the callbacks due with the first have run */
	long long id_step;        /* batch_id_step's for db, -1 until read */
	int stopping;             /* stop asked: exit the loop once jobs is 0 */
} worker;

/* A request of w started (ended) running off its loop (dispatch.c). Called in
 * w's thread; a stopping worker exits its loop once the last one has ended. */
void worker_job_started(worker *w);
void worker_job_ended(worker *w);

/* Binds, starts cfg.workers threads and serves until SIGTERM or SIGINT, then
 * stops accepting, lets answered requests flush and returns 0 (or -1 when it
 * cannot start). */
int server_run(app *a);

#endif
