/* app.h - the one application struct: configuration and process-wide state,
 * passed to every worker and request. Nothing else is global and mutable. */
#ifndef DUDAO_APP_H
#define DUDAO_APP_H

#include <signal.h>
#include "config.h"

typedef struct app app;

struct app {
	config cfg;
	char openapi_path[1200];       /* the OpenAPI document served at /api/v1/openapi.json */
	volatile sig_atomic_t stopping;/* set once SIGTERM/SIGINT arrived */
};

#endif
