/* migsql: render the PostgreSQL SQL of migstate's plan, as Django's
 * schema editor does. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sql/sql.h"
#include "stream/stream.h"
#include "base/base.h"

static const struct cli cli = {
	"migsql",
	"migsql [-pZ] [-W | -Werror] [FILE...]",
	"Render migstate's plan (FILE..., standard input without, or -) as "
	"Django's PostgreSQL\nschema editor does.",
	(const struct cli_opt[]){
		{ "-p", "plain SQL, as sqlmigrate prints it" },
		{ "-W", "warn of statements that lock a busy table" },
		{ "-Werror", "the same, and warnings fail the run (exit 1)" },
		{ "-Z", "zero downtime: rewrite what blocks writes (migsql(1))" },
		{ NULL, NULL } },
};

struct reader {
	int plain;
	int lint, werror;	/* -W, -Werror */
	int zdt;		/* -Z */
	size_t warnings;
	char **allow;		/* app, name, rule: triples */
	size_t nallow;
	struct migctx mig;
	int have_mig;
	struct opctx op;
	int have_op;
	int status;
	struct vcache *states;	/* model states read so far, by key */
	int headed;	/* the version marker is written */
};

/* The model states are the cache's (r->states), lent for the op. */
static void free_op(struct opctx *o)
{
	value_free(o->op);
	for (size_t i = 0; i < o->nmodels; i++)
		o->models[i].state = NULL;
	opctx_free_models(o);
	free((char *)o->index);
	free((char *)o->ext_state);
	memset(o, 0, sizeof *o);
}

/* The collected operation is complete: render it. */
static void flush_op(struct reader *r)
{
	if (!r->have_op)
		return;
	if (!r->mig.failed)
		render_op(&r->op);
	free_op(&r->op);
	vcache_next(r->states);
	r->have_op = 0;
}

static void print_plain(const struct migctx *m)
{
	if (m->n == 0)
		return;	/* sqlmigrate prints nothing, not even BEGIN */
	if (m->atomic)
		puts("BEGIN;");
	for (size_t i = 0; i < m->n; i++) {
		const char *s = m->stmts[i];
		size_t n = strlen(s);

		while (n && strchr(" \t\r\n", s[n - 1]))
			n--;
		int semi = m->is_stmt[i] && (n == 0 || s[n - 1] != ';');

		fputs(s, stdout);
		if (semi)
			putchar(';');
		/* sqlmigrate's stdout adds the last newline only when the
		 * text does not end with one: a RunSQL's own, last */
		if (m->atomic || i + 1 < m->n || semi || !*s ||
		    s[strlen(s) - 1] != '\n')
			putchar('\n');
	}
	if (m->atomic)
		puts("COMMIT;");
}

static void print_stream(const struct migctx *m)
{
	const char *f[6] = { REC_MIGRATION, m->app, m->name,
	    m->atomic ? "1" : "0", "0", m->file };

	stream_write(stdout, f, 6);
	for (size_t i = 0; i < m->n; i++) {
		const char *g[6] = { REC_SQL, m->app, m->name, m->stmt_index[i],
		    sql_needs_autocommit(m->stmts[i]) ? "notx" : "tx",
		    m->stmts[i] };

		if (m->is_stmt[i])
			stream_write(stdout, g, 6);
		else if (!strcmp(m->stmts[i],
		    "-- THIS OPERATION CANNOT BE WRITTEN AS SQL")) {
			g[0] = REC_NOSQL;
			g[4] = "RunPython";
			stream_write(stdout, g, 5);
		}
	}
}

/* -W: the zero-downtime rules (lint.h) over the migration's statements,
 * each warning on stderr and, in the stream, as a warning record. */
static void lint(struct reader *r)
{
	const char **allow = xcalloc(r->nallow / 3 + 1, sizeof *allow);
	size_t na = 0, nw;
	struct lint_warning *w;

	for (size_t i = 0; i + 2 < r->nallow; i += 3)
		if (!strcmp(r->allow[i], r->mig.app) &&
		    !strcmp(r->allow[i + 1], r->mig.name))
			allow[na++] = r->allow[i + 2];
	w = lint_migration(&r->mig, allow, na, &nw);
	for (size_t i = 0; i < nw; i++) {
		char *msg = xasprintf("%s%s%s: %s; instead: %s", w[i].what,
		    *w[i].table ? " on " : "", w[i].table, w[i].rule->lock,
		    w[i].rule->instead);
		const char *f[6] = { "warning", r->mig.app, r->mig.name,
		    w[i].index, w[i].rule->name, msg };

		fprintf(stderr, "migsql: %s %s #%s: warning: %s: %s\n", r->mig.app,
		    r->mig.name, w[i].index, w[i].rule->name, msg);
		if (!r->plain)
			stream_write(stdout, f, 6);
		free(msg);
	}
	r->warnings += nw;
	lint_free(w, nw);
	free(allow);
}

static void flush_mig(struct reader *r)
{
	flush_op(r);
	if (!r->have_mig)
		return;
	render_finish(&r->mig);
	if (name_error)
		r->mig.failed = 1;	/* a model name it could not lower */
	if (r->zdt && !r->mig.failed)
		zdt_rewrite(&r->mig);
	if (r->mig.failed)
		r->status = EXIT_BADINPUT;
	else if (r->plain)
		print_plain(&r->mig);
	else
		print_stream(&r->mig);
	if (!r->mig.failed && r->lint)
		lint(r);
	migctx_free(&r->mig);
	r->have_mig = 0;
}

static int start_op(struct reader *r, const struct record *rec)
{
	flush_op(r);
	if (!r->have_mig || strcmp(rec->f[1], r->mig.app) ||
	    strcmp(rec->f[2], r->mig.name)) {
		warn_at(rec->src, rec->line, 1, "op record outside its migration");
		return -1;
	}
	memset(&r->op, 0, sizeof r->op);
	r->op.app = r->mig.app;
	r->op.migration = r->mig.name;
	r->op.index = xstrdup(rec->f[3]);
	r->op.back = !strcmp(rec->f[4], "backwards");
	r->op.mig = &r->mig;
	r->op.nested = strchr(rec->f[3], '.') != NULL;
	r->have_op = 1;
	r->mig.back = r->op.back;
	return (r->op.op = record_value(rec, 5, VS_CALL)) ? 0 : -1;
}

static int add_model(struct reader *r, const struct record *rec)
{
	struct value *state;
	char *err;
	long col;

	if (!r->have_op || strcmp(rec->f[3], r->op.index)) {
		warn_at(rec->src, rec->line, 1, "model record outside its op");
		return -1;
	}
	state = (struct value *)vcache_get(r->states, rec->f[5], rec->f[6],
	    &err, &col);
	if (!state) {
		warn_at(rec->src, rec->line, record_col(rec, 6) + col - 1,
		    "%s %s.%s #%s: %s", rec->f[0], rec->f[1], rec->f[2],
		    rec->f[3], err);
		free(err);
		return -1;
	}
	if (record_shape(rec, 6, state, VS_MODEL_STATE) < 0)
		return -1;	/* the cache keeps it */
	opctx_add_model(&r->op, rec->f[5], rec->f[4])->state = state;
	return 0;
}

static int record(const struct record *rec, void *arg)
{
	struct reader *r = arg;
	const char *k = rec->f[0];
	int bad = 0;

	if (!r->plain && !r->headed++)
		stream_header(stdout);
	if (!strcmp(k, REC_MIGRATION)) {
		flush_mig(r);
		r->mig.app = xstrdup(rec->f[1]);
		r->mig.name = xstrdup(rec->f[2]);
		r->mig.file = xstrdup(rec->f[5]);
		r->mig.atomic = strcmp(rec->f[3], "0") != 0;
		r->have_mig = 1;
	} else if (!strcmp(k, REC_ALLOW)) {
		for (int i = 1; i <= 3; i++) {
			r->allow = xrealloc(r->allow, (r->nallow + 1) *
			    sizeof *r->allow);
			r->allow[r->nallow++] = xstrdup(rec->f[i]);
		}
		if (!r->plain)
			stream_pass(stdout, rec);
	} else if (!strcmp(k, REC_OP)) {
		bad = start_op(r, rec);
	} else if (!strcmp(k, REC_MODEL)) {
		bad = add_model(r, rec);
	} else if (!strcmp(k, REC_EXTENSION) && r->have_op) {
		r->op.ext_state = xstrdup(rec->f[6]);
	} else if (!strcmp(k, REC_OPERATION) || !strcmp(k, REC_DEPENDENCY) ||
	    !strcmp(k, REC_REPLACES) || !strcmp(k, REC_RUN_BEFORE)) {
		/* migparse's records: the plan's op records replace them */
	} else if (!r->plain) {
		stream_pass(stdout, rec);
	}
	if (bad) {
		r->mig.failed = 1;
		r->status = EXIT_BADINPUT;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	struct reader r = {0};
	int c, rc;

	argv0 = "migsql";
	for (int i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-Werror")) {	/* one option, not -W -e ... */
			r.werror = 1;
			argv[i] = (char *)"-W";
		}
	}
	while ((c = cli_getopt(argc, argv, "pWZ", &cli)) != -1) {
		switch (c) {
		case 'p': r.plain = 1; break;
		case 'W': r.lint = 1; break;
		case 'Z': r.zdt = 1; break;
		}
	}
	r.states = vcache_new();
	if (optind == argc) {
		rc = stream_each(stdin, "<stdin>", record, &r);
	} else {
		rc = 0;
		for (int i = optind; i < argc && !rc; i++) {
			const char *name;
			FILE *fp = cli_open(argv[i], &name);

			if (!fp)
				exit(EXIT_BADINPUT);
			rc = stream_each(fp, name, record, &r);
			cli_close(fp);
		}
	}
	flush_mig(&r);
	if (rc && !r.status)
		r.status = rc;
	if (r.werror && r.warnings && !r.status)
		r.status = 1;	/* -Werror: warnings fail the run */
	if (!r.plain && !r.headed && !r.status)
		stream_header(stdout);	/* a stream of no migration */
	if (!r.plain && r.status)
		stream_failed(stdout, r.status);	/* migapply must not run */
	for (size_t i = 0; i < r.nallow; i++)
		free(r.allow[i]);
	free(r.allow);
	vcache_free(r.states);
	if (close_stdout() && !r.status)
		r.status = 1;
	return r.status;
}
