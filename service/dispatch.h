/* dispatch.h - the one entry point for every HTTP request. */
#ifndef DUDAO_DISPATCH_H
#define DUDAO_DISPATCH_H

struct evhttp_request;

/* evhttp generic callback; arg is the worker. Sends exactly one response. */
void dispatch_request(struct evhttp_request *r, void *arg);

/* The worker's (arg) event callback that writes the requests it set aside to be
 * written together (group.h) and answers them. */
void dispatch_flush_grouped(int fd, short what, void *arg);

#endif
