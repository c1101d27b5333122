/* markdown.c - cmark-gfm with the table extension, and escaping of user text. */
#include "markdown.h"

#include <pthread.h>
#include <string.h>
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include "util.h"

static pthread_once_t extensions_once = PTHREAD_ONCE_INIT;

/* cmark_gfm_core_extensions_ensure_registered keeps an unlocked flag: run it once. */
static void extensions_register(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

char *md_to_html(const char *markdown)
{
	cmark_parser *parser;
	cmark_syntax_extension *table;
	cmark_node *doc;
	char *html;
	if (!markdown)
		return NULL;
	pthread_once(&extensions_once, extensions_register);
	parser = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	table = cmark_find_syntax_extension("table");
	if (table)
		cmark_parser_attach_syntax_extension(parser, table);
	cmark_parser_feed(parser, markdown, strlen(markdown));
	doc = cmark_parser_finish(parser);
	html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
	cmark_node_free(doc);
	cmark_parser_free(parser);
	return html;
}

/* ASCII punctuation: what CommonMark lets a backslash escape. */
static int is_ascii_punct(unsigned char c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
	       (c >= '{' && c <= '~');
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *md_escape(const char *text)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	size_t n, i, o = 0;
	char *out;
	while (is_space(*s))
		s++;
	n = strlen((const char *)s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	out = xmalloc(2 * n + 1);
	for (i = 0; i < n; i++) {
		if (is_space(s[i])) {
			if (!(s[i] == '\r' && s[i + 1] == '\n')) /* CR LF is one line break */
				out[o++] = ' ';
			continue;
		}
		if (is_ascii_punct(s[i]))
			out[o++] = '\\';
		out[o++] = (char)s[i];
	}
	out[o] = '\0';
	return out;
}
