/* catalog_t: a test driver for lib/state/catalog.c.
 *
 * Reads lines from standard input and feeds each to catalog_exec() (a
 * line may hold several statements), except:
 *   #show TABLE    writes catalog_text() of TABLE, or "unknown"
 *   #taint TABLE   catalog_taint()
 *   #copy          goes on with a catalog_copy(), the original freed
 *   #...           any other line starting with '#': a comment
 * Every text shown must read back with value_parse() to the same text;
 * "error: ..." is written when one does not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/state.h"
#include "base/base.h"
#include "stream/stream.h"

static void show(const struct catalog *c, const char *table)
{
	char *text = catalog_text(c, table), *err = NULL, *back;
	struct value *v;
	long col;

	if (!text) {
		puts("unknown");
		return;
	}
	puts(text);
	v = value_parse(text, &err, &col);
	if (!v) {
		printf("error: does not parse back: %s at %ld\n", err, col);
		free(err);
	} else {
		back = value_text(v);
		if (strcmp(back, text))
			printf("error: reads back as %s\n", back);
		free(back);
		value_free(v);
	}
	free(text);
}

int main(void)
{
	struct catalog *c = catalog_new(), *copy;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	argv0 = "catalog_t";
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = 0;
		if (!strncmp(line, "#show ", 6)) {
			show(c, line + 6);
		} else if (!strncmp(line, "#taint ", 7)) {
			catalog_taint(c, line + 7);
		} else if (!strcmp(line, "#copy")) {
			copy = catalog_copy(c);
			catalog_free(c);
			c = copy;
		} else if (line[0] != '#') {
			catalog_exec(c, line);
		}
	}
	free(line);
	catalog_free(c);
	return close_stdout();
}
