/* migsql: render the PostgreSQL SQL of migstate's plan, as Django's
 * schema editor does. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sql/sql.h"
#include "stream/stream.h"
#include "base/base.h"

static void usage(void)
{
	fprintf(stderr, "usage: migsql [-p] [-W | -Werror] [FILE...]\n");
	exit(EXIT_BADINPUT);
}

struct reader {
	int plain;
	int lint, werror;	/* -W, -Werror */
	size_t warnings;
	char **allow;		/* app, name, rule: triples */
	size_t nallow;
	struct migctx mig;
	int have_mig;
	struct opctx op;
	int have_op;
	int status;
	int headed;	/* the version marker is written */
};

static void free_op(struct opctx *o)
{
	value_free(o->op);
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
		fputs(s, stdout);
		if (m->is_stmt[i] && (n == 0 || s[n - 1] != ';'))
			putchar(';');
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

	if (!r->have_op || strcmp(rec->f[3], r->op.index)) {
		warn_at(rec->src, rec->line, 1, "model record outside its op");
		return -1;
	}
	if (!(state = record_value(rec, 6, VS_MODEL_STATE)))
		return -1;
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
	while ((c = getopt(argc, argv, "pW")) != -1) {
		switch (c) {
		case 'p': r.plain = 1; break;
		case 'W': r.lint = 1; break;
		default: usage();
		}
	}
	if (optind == argc) {
		rc = stream_each(stdin, "<stdin>", record, &r);
	} else {
		rc = 0;
		for (int i = optind; i < argc && !rc; i++) {
			FILE *fp = fopen(argv[i], "r");

			if (!fp)
				die(EXIT_BADINPUT, "%s:", argv[i]);
			rc = stream_each(fp, argv[i], record, &r);
			fclose(fp);
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
	if (close_stdout() && !r.status)
		r.status = 1;
	return r.status;
}
