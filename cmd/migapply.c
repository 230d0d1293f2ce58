/* migapply: run the SQL of migsql's stream against PostgreSQL and keep
 * Django's django_migrations table. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pg/pg.h"
#include "base/base.h"
#include "stream/stream.h"

static const struct cli cli = {
	"migapply",
	"migapply [-fnPqvw] [-L LOCK_TIMEOUT] [-r RETRIES] "
	"[-S STATEMENT_TIMEOUT] [-T STATEMENT_TIMEOUT] [CONNINFO]\n"
	"       migapply -c [-q] [CONNINFO]\n"
	"       migapply -l [CONNINFO]\n"
	"       migapply -C [CONNINFO]",
	"Apply migsql's stream from standard input to PostgreSQL (libpq's "
	"CONNINFO or URI).",
	(const struct cli_opt[]){
		{ "-C", "list the applied set and the catalog, for migstate" },
		{ "-c", "check applied migrations against the stream" },
		{ "-f", "fake: record the migrations without running them" },
		{ "-L LOCK_TIMEOUT", "lock_timeout of each statement (2s)" },
		{ "-l", "list the applied set, for migstate -A" },
		{ "-n", "dry run: say what would run" },
		{ "-P", "skip RunPython operations instead of refusing" },
		{ "-q", "quiet: errors only, no progress" },
		{ "-r RETRIES", "tries again after a lock timeout (5)" },
		{ "-S STATEMENT_TIMEOUT", "statement_timeout of each statement" },
		{ "-T STATEMENT_TIMEOUT", "that of CONCURRENTLY and VALIDATE (none)" },
		{ "-v", "a line per migration, and the server's notices" },
		{ "-w", "wait for another migapply instead of exiting 75" },
		{ NULL, NULL } },
};

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

	while ((c = cli_getopt(argc, argv, "CcfL:lnPqr:S:T:vw", &cli)) != -1) {
		switch (c) {
		case 'C': case 'c': case 'l':
			if (mode && mode != c)
				cli_usage(&cli);
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
		case 'T': o->weak_timeout = duration(optarg); break;
		case 'v': o->progress = 1; break;
		case 'w': o->wait = 1; break;
		}
	}
	if (argc - optind > 1 || (mode && (o->fake || o->dry_run ||
	    o->skip_python || o->wait)))
		cli_usage(&cli);
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
	/* on a terminal a meter, redrawn in place, after a second */
	o.meter = !o.progress && !o.quiet && isatty(STDERR_FILENO);
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
