/* test_markdown.c - cmark-gfm rendering (tables on, raw HTML and javascript:
 * links off) and md_escape: user text comes out as the same text, never markup. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "markdown.h"

/* What HTML the text should render to inside <p>: a space for each line break
 * (CR LF is one) or tab, trimmed, and &, <, >, " escaped as cmark does. Caller frees. */
static char *expected_paragraph(const char *text)
{
	size_t n = strlen(text), o;
	char *out = malloc(6 * n + 16);
	const char *end = text + n;
	while (*text == ' ' || *text == '\n' || *text == '\t')
		text++;
	while (end > text && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\t'))
		end--;
	o = (size_t)sprintf(out, "<p>");
	for (; text < end; text++) {
		const char *rep = *text == '&' ? "&amp;" : *text == '<' ? "&lt;" : *text == '>' ? "&gt;"
				: *text == '"' ? "&quot;" : NULL;
		if (*text == '\r' && text[1] == '\n')
			continue;
		if (rep)
			o += (size_t)sprintf(out + o, "%s", rep);
		else
			out[o++] = *text == '\n' || *text == '\t' || *text == '\r' ? ' ' : *text;
	}
	strcpy(out + o, "</p>\n");
	return out;
}

static void test_render(void)
{
	char *html = md_to_html("| 镇 | 覆盖率 |\n|---|---:|\n| 城关镇 | 96.3% |\n");
	CHECK(html && strstr(html, "<table>") && strstr(html, "<th>镇</th>") && strstr(html, "<td>城关镇</td>") &&
		      strstr(html, "<td align=\"right\">96.3%</td>"),
	      "a GFM table renders as a table: %s", html ? html : "NULL");
	free(html);
	html = md_to_html("<script>alert(1)</script>\n\n正文 <img src=x onerror=alert(1)>\n");
	CHECK(html && !strstr(html, "<script") && !strstr(html, "<img") && strstr(html, "正文"),
	      "raw HTML is dropped, never passed through: %s", html ? html : "NULL");
	free(html);
	html = md_to_html("[点我](javascript:alert(1)) [ok](https://example.org/a)\n");
	CHECK(html && !strstr(html, "javascript:") && strstr(html, "href=\"https://example.org/a\""),
	      "javascript: links lose their target, https ones keep it: %s", html ? html : "NULL");
	free(html);
	CHECK(md_to_html(NULL) == NULL, "NULL renders to NULL");
}

static void test_escape(void)
{
	static const char *const texts[] = {
		"<script>alert('x')</script>", "张三 *重点* _帮扶_ **加粗**", "a|b|c", "1. 第一条", "# 不是标题", "- 不是列表",
		"> 不是引用", "`code`", "[链接](http://example.org)", "![图](x.png)", "&amp; &lt; &#65;", "反斜杠 \\ 结尾\\",
		"第一行\n第二行\r\n第三行", "    四个空格", "~~删除线~~", "***", "===", "+ 加号", "2) 括号", "a  \nb",
		"<http://example.org>", "www.example.org", "{大括号} [方括号] (圆括号)", "\"引号\" '单引号'", "普通文字",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char *md = md_escape(texts[i]), *html = md_to_html(md), *want = expected_paragraph(texts[i]);
		CHECK(html && !strcmp(html, want), "md_escape(%s) renders as itself: got %s want %s", texts[i],
		      html ? html : "NULL", want);
		CHECK(!strchr(md, '\n') && !strchr(md, '\r'), "an escaped text is one line: %s", md);
		free(md);
		free(html);
		free(want);
	}
}

static void test_escape_in_table(void)
{
	char *cell = md_escape("甲|乙 <b>粗</b>\n下一行"), md[512], *html;
	snprintf(md, sizeof md, "| 名称 | 说明 |\n|---|---|\n| %s | 完 |\n", cell);
	html = md_to_html(md);
	CHECK(html && strstr(html, "<td>甲|乙 &lt;b&gt;粗&lt;/b&gt; 下一行</td>") && strstr(html, "<td>完</td>"),
	      "an escaped cell stays one cell with its pipe: %s", html ? html : "NULL");
	free(cell);
	free(html);
	cell = md_escape(NULL);
	CHECK(cell && cell[0] == '\0', "NULL escapes to an empty string");
	free(cell);
}

void test_markdown(void)
{
	test_render();
	test_escape();
	test_escape_in_table();
}
