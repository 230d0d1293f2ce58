#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "base/base.h"
#include "stream/stream.h"

/* A plan or replaces record, kept until every migration record is read
 * (migsql writes a migration's plan record before its migration record,
 * and a replaces record may come from another stream altogether). */
struct pending {
	char *app, *name;
	char *a, *b;		/* plan: STEP, DIRECTION; replaces: OLD_APP, OLD_NAME */
	int is_plan;
	long line;
};

static void bad(struct applyplan *p, long line, const char *fmt,
    const char *app, const char *name)
{
	warn_at(p->src, line, 1, fmt, app, name);
	p->bad = 1;
}

static struct amig *add_migration(struct applyplan *p, const struct record *r)
{
	struct amig *m;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xrealloc(p->v, p->cap * sizeof *p->v);
	}
	m = &p->v[p->n++];
	memset(m, 0, sizeof *m);
	m->app = xstrdup(r->f[1]);
	m->name = xstrdup(r->f[2]);
	m->atomic = strcmp(r->f[3], "0") != 0;
	m->line = r->line;
	return m;
}

/* The migration a sql or nosql record belongs to: the last one read, as
 * migsql writes them. */
static struct amig *owner(struct applyplan *p, const struct record *r)
{
	struct amig *m = p->n ? &p->v[p->n - 1] : NULL;

	if (m && !strcmp(m->app, r->f[1]) && !strcmp(m->name, r->f[2]))
		return m;
	warn_at(p->src, r->line, 1, "%s.%s: %s record away from its migration "
	    "record", r->f[1], r->f[2], r->f[0]);
	p->bad = 1;
	return NULL;
}

static void add_step(struct amig *m, const struct record *r, int python)
{
	struct step *s;

	m->steps = xrealloc(m->steps, (m->nsteps + 1) * sizeof *m->steps);
	s = &m->steps[m->nsteps++];
	s->opindex = xstrdup(r->f[3]);
	s->text = xstrdup(r->f[python ? 4 : 5]);
	s->notx = !python && !strcmp(r->f[4], "notx");
	s->python = python;
	s->line = r->line;
}

static void add_pending(struct applyplan *p, const struct record *r, int is_plan)
{
	struct pending *q;

	p->later = xrealloc(p->later, (p->nlater + 1) * sizeof *p->later);
	q = &p->later[p->nlater++];
	q->app = xstrdup(r->f[1]);
	q->name = xstrdup(r->f[2]);
	q->a = xstrdup(r->f[3]);
	q->b = xstrdup(r->f[4]);
	q->is_plan = is_plan;
	q->line = r->line;
}

/* Fields each record needs, the kind included. */
static size_t wanted(const char *k)
{
	if (!strcmp(k, REC_MIGRATION) || !strcmp(k, REC_SQL))
		return 6;
	if (!strcmp(k, REC_PLAN) || !strcmp(k, REC_NOSQL) ||
	    !strcmp(k, REC_REPLACES))
		return 5;
	return 0;
}

static int record(const struct record *r, void *arg)
{
	struct applyplan *p = arg;
	const char *k = r->f[0];
	struct amig *m;

	if (!wanted(k))
		return 0;	/* op, model, ...: not migapply's */
	if (r->n < wanted(k)) {
		warn_at(r->src, r->line, 1, "%s record: too few fields", k);
		p->bad = 1;
	} else if (!strcmp(k, REC_MIGRATION)) {
		add_migration(p, r);
	} else if (!strcmp(k, REC_SQL) || !strcmp(k, REC_NOSQL)) {
		if ((m = owner(p, r)))
			add_step(m, r, !strcmp(k, REC_NOSQL));
	} else {
		add_pending(p, r, !strcmp(k, REC_PLAN));
	}
	return 0;
}

static const struct applyplan *sorting;

static int by_name(const void *a, const void *b)
{
	const struct amig *x = &sorting->v[*(const size_t *)a];
	const struct amig *y = &sorting->v[*(const size_t *)b];
	int c = strcmp(x->app, y->app);

	return c ? c : strcmp(x->name, y->name);
}

long applyplan_find(const struct applyplan *p, const char *app,
    const char *name)
{
	size_t lo = 0, hi = p->byname ? p->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct amig *m = &p->v[p->byname[mid]];
		int c = strcmp(m->app, app);

		if (!c)
			c = strcmp(m->name, name);
		if (!c)
			return (long)p->byname[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void index_names(struct applyplan *p)
{
	p->byname = xcalloc(p->n, sizeof *p->byname);
	for (size_t i = 0; i < p->n; i++)
		p->byname[i] = i;
	sorting = p;
	if (p->n)
		qsort(p->byname, p->n, sizeof *p->byname, by_name);
	for (size_t i = 1; i < p->n; i++) {
		const struct amig *m = &p->v[p->byname[i]];

		if (by_name(&p->byname[i - 1], &p->byname[i]) == 0)
			bad(p, m->line, "%s.%s: a second migration record",
			    m->app, m->name);
	}
}

static void attach_plan(struct applyplan *p, const struct pending *q, long i)
{
	struct amig *m = &p->v[i];
	char *end;
	long step = strtol(q->a, &end, 10);
	int back = !strcmp(q->b, "backwards");

	if (*end || step <= 0 || (!back && strcmp(q->b, "forwards"))) {
		bad(p, q->line, "%s.%s: plan record: expected STEP and "
		    "forwards or backwards", q->app, q->name);
		return;
	}
	if (m->plan_line)
		bad(p, q->line, "%s.%s: a second plan record", q->app, q->name);
	if (p->has_plan && back != p->backwards)
		bad(p, q->line, "%s.%s: the plan mixes forwards and backwards "
		    "migrations", q->app, q->name);
	m->step = step;
	m->backwards = back;
	m->plan_line = q->line;
	p->backwards = back;
	p->has_plan = 1;
}

/* The plan records come in step order, 1, 2, 3...: a gap or a swap is a
 * stream that was cut or reordered, and migstate's order is the only one
 * migapply runs. */
static void check_step(struct applyplan *p, const struct pending *q,
    long *last)
{
	long step = strtol(q->a, NULL, 10);

	if (step != *last + 1) {
		warn_at(p->src, q->line, 1, "%s.%s: plan step %ld where step "
		    "%ld comes (a plan runs 1, 2, 3... in its order)", q->app,
		    q->name, step, *last + 1);
		p->bad = 1;
	}
	*last = step;
}

static void attach(struct applyplan *p)
{
	long last = 0;

	for (size_t i = 0; i < p->nlater; i++) {
		const struct pending *q = &p->later[i];
		long x = applyplan_find(p, q->app, q->name);

		if (q->is_plan)
			check_step(p, q, &last);
		if (x < 0 && q->is_plan)
			bad(p, q->line, "%s.%s: in the plan but without a "
			    "migration record (its SQL is missing: did migsql "
			    "fail on it?)", q->app, q->name);
		else if (x >= 0 && q->is_plan)
			attach_plan(p, q, x);
		else if (x >= 0)
			migkey_push(&p->v[x].replaces, &p->v[x].nreplaces,
			    q->a, q->b);
	}
}

static int by_step(const void *a, const void *b)
{
	const struct amig *x = a, *y = b;

	return (x->step > y->step) - (x->step < y->step);
}

/* Every migration in the plan, in its order; atomic ones with nothing
 * that PostgreSQL refuses in a transaction. */
static void order(struct applyplan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct amig *m = &p->v[i];

		if (p->has_plan && !m->plan_line)
			bad(p, m->line, "%s.%s: a migration record outside the "
			    "plan", m->app, m->name);
		for (size_t k = 0; m->atomic && k < m->nsteps; k++)
			if (m->steps[k].notx)
				bad(p, m->steps[k].line, "%s.%s: a statement "
				    "that cannot run in a transaction, in an "
				    "atomic migration", m->app, m->name);
	}
	if (p->has_plan && !p->bad && p->n) {
		qsort(p->v, p->n, sizeof *p->v, by_step);
		for (size_t i = 1; i < p->n; i++)
			if (p->v[i].step == p->v[i - 1].step)
				bad(p, p->v[i].plan_line, "%s.%s: a plan step "
				    "taken twice", p->v[i].app, p->v[i].name);
		for (size_t i = 0; i < p->n; i++)
			p->byname[i] = i;
		sorting = p;
		qsort(p->byname, p->n, sizeof *p->byname, by_name);
	}
}

/* The md5 of what the migration runs: its direction, its atomic flag and
 * its steps in order (operation numbers left out: renumbering changes no
 * SQL). */
static void checksum(struct amig *m)
{
	struct buf b = {0};

	buf_printf(&b, "%s %s\n", m->backwards ? "backwards" : "forwards",
	    m->atomic ? "atomic" : "nonatomic");
	for (size_t i = 0; i < m->nsteps; i++) {
		const struct step *s = &m->steps[i];

		buf_printf(&b, "%s\t", s->python ? "nosql" :
		    s->notx ? "notx" : "tx");
		buf_puts(&b, s->text);
		buf_putc(&b, '\n');
	}
	md5_hex(b.s, b.len, m->checksum);
	buf_free(&b);
}

int applyplan_read(FILE *fp, const char *name, struct applyplan *p)
{
	int rc;

	p->src = name;
	rc = stream_each(fp, name, record, p);
	index_names(p);
	attach(p);
	order(p);
	for (size_t i = 0; i < p->n; i++)
		checksum(&p->v[i]);
	return rc || p->bad ? EXIT_BADINPUT : 0;
}

size_t amig_python(const struct amig *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nsteps; i++)
		n += m->steps[i].python;
	return n;
}

void applyplan_free(struct applyplan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct amig *m = &p->v[i];

		for (size_t k = 0; k < m->nsteps; k++) {
			free(m->steps[k].opindex);
			free(m->steps[k].text);
		}
		free(m->steps);
		for (size_t k = 0; k < m->nreplaces; k++) {
			free(m->replaces[k].app);
			free(m->replaces[k].name);
		}
		free(m->replaces);
		free(m->app);
		free(m->name);
	}
	for (size_t i = 0; i < p->nlater; i++) {
		free(p->later[i].app);
		free(p->later[i].name);
		free(p->later[i].a);
		free(p->later[i].b);
	}
	free(p->later);
	free(p->v);
	free(p->byname);
	memset(p, 0, sizeof *p);
}
