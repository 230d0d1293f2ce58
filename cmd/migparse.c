/* migparse: read Django migration files, write the migstream. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "python/python.h"
#include "stream/stream.h"
#include "base/base.h"

struct opts {
	const char *label, *name;
	const char **dirs;	/* -F: where migrations given by hand are */
	size_t ndirs;
	struct defines defs;	/* -D and the define lines of -m */
};

static const struct cli cli = {
	"migparse",
	"migparse [-a LABEL] [-n NAME] [-D NAME=VALUE] [-F DIR] [-m MAPFILE] "
	"FILE...",
	"Read Django migration files (- is standard input), write the stream.",
	(const struct cli_opt[]){
		{ "-a LABEL", "the app label (default: from the path)" },
		{ "-n NAME", "the migration name (default: from the path)" },
		{ "-D NAME=VALUE", "the value of a name the file reads" },
		{ "-F DIR", "where migrations written by hand as records are" },
		{ "-m MAPFILE", "the define lines of a map file" },
		{ NULL, NULL } },
};

/* The migration given by hand for m, if there is one: its path. */
static char *given_by_hand(const struct opts *o, const char *path,
    const struct migration *m)
{
	char *p;

	for (size_t i = 0; i <= o->ndirs; i++) {
		p = fragment_path(i < o->ndirs ? o->dirs[i] : NULL, path, m->app,
		    m->name);
		if (p && access(p, F_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

/* Where the error message tells the user to write m by hand. */
static char *hint(const struct opts *o, const char *path,
    const struct migration *m)
{
	char *p = fragment_path(o->ndirs ? o->dirs[0] : NULL, path, m->app,
	    m->name), *h;

	if (!p)
		return xasprintf("; to give this migration by hand, write its "
		    "records (migstream(5)) to DIR/%s/%s.migstream and add "
		    "-F DIR (migparse(1))", m->app, m->name);
	h = xasprintf("; to give this migration by hand, write its records "
	    "(migstream(5)) to %s (migparse(1))", p);
	free(p);
	return h;
}

/* Parse one file and write its records; 0 or EXIT_BADINPUT. */
static int parse_one(const struct opts *o, const char *path)
{
	struct migration m = {0};
	struct pyerr err;
	struct srcfile src = {0};
	char *hand, *h;
	int rc = EXIT_BADINPUT;

	if (read_source(path, &src) < 0 ||
	    migration_names(path, o->label, o->name, &m) < 0)
		goto out;
	if ((hand = given_by_hand(o, path, &m))) {
		if (read_fragment(hand, &m) == 0) {
			migration_write(stdout, &m);
			rc = 0;
		}
		free(hand);
		goto out;
	}
	if (parse_migration(src.text, src.len, &m, &o->defs, &err) < 0) {
		h = err.checked ? xstrdup("") : hint(o, path, &m);
		warn_at(path, err.line, err.col, "%s%s", err.msg, h);
		free(h);
		free(err.msg);
	} else {
		migration_write(stdout, &m);
		rc = 0;
	}
out:
	migration_free(&m);
	free(src.text);
	return rc;
}

static void define(struct opts *o, const char *arg)
{
	char *err;

	if (define_add(&o->defs, arg, &err) < 0) {
		warnx_("-D %s", err);
		free(err);
		exit(EXIT_BADINPUT);
	}
}

int main(int argc, char *argv[])
{
	struct opts o = {0};
	int c, status = 0;

	argv0 = "migparse";
	while ((c = cli_getopt(argc, argv, "a:D:F:m:n:", &cli)) != -1) {
		switch (c) {
		case 'a': o.label = optarg; break;
		case 'D': define(&o, optarg); break;
		case 'F':
			o.dirs = xrealloc(o.dirs, (o.ndirs + 1) * sizeof *o.dirs);
			o.dirs[o.ndirs++] = optarg;
			break;
		case 'm':
			if (defines_read_map(&o.defs, optarg) < 0)
				exit(EXIT_BADINPUT);
			break;
		case 'n': o.name = optarg; break;
		}
	}
	if (optind == argc)
		cli_usage(&cli);
	stream_header(stdout);
	for (int i = optind; i < argc; i++) {
		int rc = parse_one(&o, argv[i]);

		if (rc && !status)
			status = rc;
	}
	free(o.dirs);
	defines_free(&o.defs);
	if (status)
		stream_failed(stdout, status);	/* the later stages stop */
	if (close_stdout())
		status = 1;
	return status;
}
