/* dispatch.h - the one entry point for every HTTP request. */
#ifndef DUDAO_DISPATCH_H
#define DUDAO_DISPATCH_H

struct evhttp_request;

/* evhttp generic callback; arg is the worker. Sends exactly one response. */
void dispatch_request(struct evhttp_request *r, void *arg);

#endif
