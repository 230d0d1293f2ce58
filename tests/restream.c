/* restream: a test helper, not installed.  Reads a migstream on standard
 * input through the stream module, parses every operation's value with
 * the shared value reader, and writes everything back canonically; a
 * canonical stream comes out byte for byte as it went in. */
#include <stdlib.h>
#include <string.h>

#include "stream/stream.h"
#include "base/base.h"

static int restream(const struct record *r, void *arg)
{
	const char **f = xmalloc(r->n * sizeof *f);
	char *err, *text = NULL;
	long col;
	struct value *v = NULL;

	(void)arg;
	for (size_t i = 0; i < r->n; i++)
		f[i] = r->f[i];
	if (strcmp(r->f[0], REC_OPERATION) == 0 && r->n >= 5) {
		if (!(v = value_parse(r->f[4], &err, &col))) {
			const char *p = r->raw;

			for (int tabs = 0; *p && tabs < 4; p++)
				tabs += *p == '\t';
			warn_at(r->src, r->line, col + (long)(p - r->raw), "%s",
			    err);
			free(err);
			free(f);
			return EXIT_BADINPUT;
		}
		f[4] = text = value_text(v);
	}
	stream_write(stdout, f, r->n);
	value_free(v);
	free(text);
	free(f);
	return 0;
}

int main(void)
{
	int rc;

	argv0 = "restream";
	stream_header(stdout);
	rc = stream_each(stdin, "<stdin>", restream, NULL);
	if (close_stdout())
		rc = 1;
	return rc;
}
