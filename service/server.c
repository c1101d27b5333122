/* server.c - the workers. Each thread owns an event_base (epoll changelist),
 * an evhttp on its own SO_REUSEPORT socket, and its own database connection:
 * nothing is shared between them without a lock. The main thread only waits
 * for SIGTERM/SIGINT and tells each worker to stop. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>

#include "dispatch.h"
#include "log.h"
#include "util.h"

/* Opens a listening socket on host:port with SO_REUSEPORT; *port gets the bound port.
 * TCP_NODELAY, which Linux's accepted sockets inherit: an answer larger than one
 * segment (a list page) otherwise leaves its tail waiting for the client's delayed
 * ACK, 40 ms per answer. */
static int listen_socket(const char *host, unsigned *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)*port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		log_error("listen address is not an IPv4 address: %s", host);
		close(fd);
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1024) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		log_error("cannot listen on %s:%u: %s", host, *port, strerror(errno));
		close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

/* Exits the loop once queued replies had time to flush. */
static void worker_exit_loop(worker *w)
{
	struct timeval flush = {0, 200 * 1000};
	event_base_loopexit(w->base, &flush);
}

/* Runs in the worker's thread: stop accepting, let the requests running off the
 * loop answer and queued replies flush, exit the loop. */
static void worker_on_stop(evutil_socket_t fd, short what, void *arg)
{
	worker *w = arg;
	(void)fd;
	(void)what;
	if (w->bound)
		evhttp_del_accept_socket(w->http, w->bound);
	w->bound = NULL;
	w->stopping = 1;
	if (w->jobs == 0)
		worker_exit_loop(w);
}

void worker_job_started(worker *w)
{
	w->jobs++;
}

void worker_job_ended(worker *w)
{
	if (--w->jobs == 0 && w->stopping)
		worker_exit_loop(w);
}

static int worker_init(worker *w, app *a, int id, int fd)
{
	struct event_config *ec = event_config_new();
	const config *cfg = &a->cfg;

	w->app = a;
	w->id = id;
	w->fd = fd;
	/* Handlers run in the loop and may take longer than the timeout (a large
	 * import). With libevent's cached loop time, the write timeout of the answer
	 * would count from before the handler ran and close the connection unanswered
	 * after the import had committed; reading the clock at each event_add avoids that. */
	event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST | EVENT_BASE_FLAG_NO_CACHE_TIME);
	w->base = event_base_new_with_config(ec);
	event_config_free(ec);
	if (!w->base)
		return -1;
	w->http = evhttp_new(w->base);
	w->bound = evhttp_accept_socket_with_handle(w->http, fd);
	if (!w->http || !w->bound)
		return -1;
	w->fd = -1; /* the listener owns and closes it now */
	evhttp_set_max_body_size(w->http, (ev_ssize_t)cfg->max_upload + 65536);
	evhttp_set_max_headers_size(w->http, (ev_ssize_t)cfg->max_headers);
	evhttp_set_timeout(w->http, cfg->timeout_s);
	evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
					    EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD |
					    EVHTTP_REQ_OPTIONS);
	evhttp_set_gencb(w->http, dispatch_request, w);
	w->stop_ev = event_new(w->base, -1, 0, worker_on_stop, w);
	w->group_ev = event_new(w->base, -1, 0, dispatch_flush_grouped, w);
	w->id_step = -1;
	w->db = db_open_lazy(&cfg->db);
	return 0;
}

static void worker_release(worker *w)
{
	if (w->stop_ev)
		event_free(w->stop_ev);
	if (w->group_ev)
		event_free(w->group_ev);
	if (w->http)
		evhttp_free(w->http);
	if (w->base)
		event_base_free(w->base);
	db_close(w->db);
}

/* The worker's loop, until worker_exit_loop: not when it has nothing to wait
 * for, as when a stopping worker has no socket left but a request still runs
 * off the loop (its answer comes back through event_base_once). */
static void *worker_main(void *arg)
{
	worker *w = arg;
	event_base_loop(w->base, EVLOOP_NO_EXIT_ON_EMPTY);
	return NULL;
}

static void write_port_file(const char *path, unsigned port)
{
	char tmp[1100];
	FILE *f;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0 || rename(tmp, path) != 0)
		log_error("cannot write port file %s", path);
}

/* Blocks the stop signals in every thread; the main thread takes them with sigwait. */
static void signals_block(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int server_run(app *a)
{
	config *cfg = &a->cfg;
	worker *ws = xcalloc((size_t)cfg->workers, sizeof(*ws));
	unsigned port = cfg->port;
	sigset_t set;
	int i, sig, started = 0, rc = -1;

	for (i = 0; i < cfg->workers; i++)
		ws[i].fd = -1;
	evthread_use_pthreads();
	signals_block(&set);
	for (i = 0; i < cfg->workers; i++) {
		int fd = listen_socket(cfg->listen_host, &port);
		if (fd < 0)
			goto out;
		ws[i].fd = fd;
		if (worker_init(&ws[i], a, i, fd) != 0)
			goto out;
	}
	for (i = 0; i < cfg->workers; i++, started++)
		if (pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]) != 0)
			goto out;
	log_info("listening on http://%s:%u with %d workers", cfg->listen_host, port, cfg->workers);
	if (cfg->port_file[0])
		write_port_file(cfg->port_file, port);
	sigwait(&set, &sig);
	log_info("signal %d: finishing requests and stopping", sig);
	a->stopping = 1;
	rc = 0;
out:
	for (i = 0; i < started; i++)
		event_active(ws[i].stop_ev, EV_TIMEOUT, 0);
	for (i = 0; i < started; i++)
		pthread_join(ws[i].thread, NULL);
	for (i = 0; i < cfg->workers; i++) {
		worker_release(&ws[i]);
		if (ws[i].fd >= 0)
			close(ws[i].fd);
	}
	free(ws);
	return rc;
}
