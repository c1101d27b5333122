/* markdown.h - Markdown for reports: GitHub-flavoured Markdown with tables
 * rendered to HTML by cmark-gfm (raw HTML never passes through), and escaping
 * that makes user text (names, notes, findings) inert inside Markdown. */
#ifndef DUDAO_MARKDOWN_H
#define DUDAO_MARKDOWN_H

/* Renders markdown (UTF-8) to an HTML fragment with the GFM table extension.
 * Raw HTML and dangerous link schemes (javascript:) are dropped, never passed
 * through (no CMARK_OPT_UNSAFE); invalid UTF-8 becomes U+FFFD. Returns a new
 * string the caller frees with free(); NULL only when markdown is NULL.
 * Safe to call from several threads. */
char *md_to_html(const char *markdown);

/* Escapes user text for a Markdown paragraph, heading, list item or table cell:
 * every ASCII punctuation character gets a backslash (so `*`, `<`, `|`, `[`, `&`,
 * `\` mean themselves), each line break (LF, CR LF) or tab becomes a space, and leading and
 * trailing whitespace is dropped (Markdown would read leading spaces as code).
 * Rendering the result shows the text as written. Returns a new string the
 * caller frees with free(); NULL is treated as "". */
char *md_escape(const char *text);

#endif
