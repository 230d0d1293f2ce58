/* migparse: read Django migration files, write the migstream. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "python/python.h"
#include "stream/stream.h"
#include "base/base.h"

static void usage(void)
{
	fprintf(stderr, "usage: migparse [-a LABEL] [-n NAME] FILE...\n");
	exit(EXIT_BADINPUT);
}

/* Parse one file and write its records; 0 or EXIT_BADINPUT. */
static int parse_one(const char *path, const char *label, const char *name)
{
	struct migration m = {0};
	struct pyerr err;
	struct srcfile src;
	int rc = 0;

	if (read_source(path, &src) < 0)
		return EXIT_BADINPUT;
	if (migration_names(path, label, name, &m) < 0) {
		migration_free(&m);
		free(src.text);
		return EXIT_BADINPUT;
	}
	if (parse_migration(src.text, src.len, &m, &err) < 0) {
		warn_at(path, err.line, err.col, "%s", err.msg);
		free(err.msg);
		rc = EXIT_BADINPUT;
	} else {
		migration_write(stdout, &m);
	}
	migration_free(&m);
	free(src.text);
	return rc;
}

int main(int argc, char *argv[])
{
	const char *label = NULL, *name = NULL;
	int c, status = 0;

	argv0 = "migparse";
	while ((c = getopt(argc, argv, "a:n:")) != -1) {
		switch (c) {
		case 'a': label = optarg; break;
		case 'n': name = optarg; break;
		default: usage();
		}
	}
	if (optind == argc)
		usage();
	stream_header(stdout);
	for (int i = optind; i < argc; i++) {
		int rc = parse_one(argv[i], label, name);

		if (rc && !status)
			status = rc;
	}
	if (close_stdout())
		status = 1;
	return status;
}
