/* static.h - the web/ pages, served as files. */
#ifndef DUDAO_STATIC_H
#define DUDAO_STATIC_H

#include "http.h"

/* Fills res with the file of web/ that path names ("/" is index.html).
 * Returns the status: 200, 404, or 405 for methods other than GET/HEAD. */
int static_serve(const char *root, const char *method, const char *path, http_res *res);

/* Reads a whole file into a new buffer (caller frees); NULL on failure. */
char *file_read(const char *path, size_t *len);

#endif
