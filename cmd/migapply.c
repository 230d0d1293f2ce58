/* migapply: run the SQL of migsql's stream against PostgreSQL and keep
 * Django's django_migrations table. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pg/pg.h"
#include "base/base.h"
#include "stream/stream.h"

static void usage(void)
{
	fprintf(stderr, "usage: migapply [-fnPqvw] [-L LOCK_TIMEOUT] [-r RETRIES] "
	    "[-S STATEMENT_TIMEOUT] [CONNINFO]\n"
	    "       migapply -c [-q] [CONNINFO]\n"
	    "       migapply -l [CONNINFO]\n"
	    "       migapply -C [CONNINFO]\n");
	exit(EXIT_BADINPUT);
}

static long duration(const char *s)
{
	long ms = apply_parse_ms(s);

	if (ms < 0)
		die(EXIT_BADINPUT, "'%s': expected a duration such as 500ms, "
		    "2s or 1min", s);
	return ms;
}

static char parse_args(int argc, char *argv[], struct apply_opts *o)
{
	char mode = 0;
	int c;

	while ((c = getopt(argc, argv, "CcfL:lnPqr:S:vw")) != -1) {
		switch (c) {
		case 'C': case 'c': case 'l':
			if (mode && mode != c)
				usage();
			mode = (char)c;
			break;
		case 'f': o->fake = 1; break;
		case 'L': o->lock_timeout = duration(optarg); break;
		case 'n': o->dry_run = 1; break;
		case 'P': o->skip_python = 1; break;
		case 'q': o->quiet = 1; break;
		case 'r': {
			char *end;

			o->retries = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || o->retries < 0 ||
			    o->retries > 1000)
				die(EXIT_BADINPUT, "'%s': expected a number of "
				    "retries", optarg);
			break;
		}
		case 'S': o->statement_timeout = duration(optarg); break;
		case 'v': o->progress = 1; break;
		case 'w': o->wait = 1; break;
		default: usage();
		}
	}
	if (argc - optind > 1 || (mode && (o->fake || o->dry_run ||
	    o->skip_python || o->wait)))
		usage();
	return mode;
}

/* -C: the applied set and the catalog, read in one snapshot so that
 * they agree. */
static int list_catalog(struct pg *pg)
{
	int rc = pg_do(pg, "reading the catalog", "BEGIN ISOLATION LEVEL "
	    "REPEATABLE READ READ ONLY", 0, NULL);

	if (rc == 0)
		rc = history_list(pg, stdout);
	if (rc == 0)
		rc = livecat_write(pg, stdout);
	if (rc == 0)
		rc = pg_do(pg, "reading the catalog", "COMMIT", 0, NULL);
	return rc < 0 ? 1 : 0;
}

int main(int argc, char *argv[])
{
	struct apply_opts o = { .lock_timeout = 2000, .retries = 5 };
	struct applyplan plan = {0};
	struct pg pg = {0};
	const char *conninfo;
	char mode;
	int status = 0;

	argv0 = "migapply";
	mode = parse_args(argc, argv, &o);
	conninfo = optind < argc ? argv[optind] : NULL;
	if (isatty(STDERR_FILENO))
		o.progress = 1;
	/* the whole stream is read and checked before any connection */
	if (mode != 'l' && mode != 'C')
		status = applyplan_read(stdin, "<stdin>", &plan);
	if (!status && !(status = pg_connect(&pg, conninfo))) {
		if (mode == 'l')
			status = history_list(&pg, stdout) < 0 ? 1 : 0;
		else if (mode == 'C')
			status = list_catalog(&pg);
		else if (mode == 'c')
			status = apply_check(&pg, &plan, o.quiet);
		else
			status = apply_plan(&pg, &plan, &o);
	}
	pg_finish(&pg);
	applyplan_free(&plan);
	if (status && (mode == 'l' || mode == 'C'))
		stream_failed(stdout, status);	/* migstate must stop */
	if (close_stdout() && !status)
		status = 1;
	return status;
}
