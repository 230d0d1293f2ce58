#include <stdlib.h>
#include <string.h>

#include "graph.h"

static size_t hash(const char *app, const char *name)
{
	size_t h = 5381;

	for (; *app; app++)
		h = h * 33 ^ (unsigned char)*app;
	h = h * 33 ^ '\t';
	for (; *name; name++)
		h = h * 33 ^ (unsigned char)*name;
	return h;
}

static size_t *slot(const struct migset *s, const char *app, const char *name)
{
	size_t i = hash(app, name) & (s->nslots - 1);

	for (;; i = (i + 1) & (s->nslots - 1)) {
		const struct migration *m;

		if (!s->slots[i])
			return &s->slots[i];
		m = &s->v[s->slots[i] - 1].m;
		if (strcmp(m->app, app) == 0 && strcmp(m->name, name) == 0)
			return &s->slots[i];
	}
}

long migset_find(const struct migset *s, const char *app, const char *name)
{
	if (!s->nslots)
		return -1;
	return (long)*slot(s, app, name) - 1;
}

static void rehash(struct migset *s)
{
	free(s->slots);
	s->nslots = s->nslots ? s->nslots * 2 : 64;
	s->slots = xcalloc(s->nslots, sizeof *s->slots);
	for (size_t i = 0; i < s->n; i++)
		*slot(s, s->v[i].m.app, s->v[i].m.name) = i + 1;
}

static struct mig *get(struct migset *s, const struct record *r)
{
	long i = migset_find(s, r->f[1], r->f[2]);
	struct mig *g;

	if (i >= 0)
		return &s->v[i];
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	if ((s->n + 1) * 2 > s->nslots)
		rehash(s);
	g = &s->v[s->n];
	memset(g, 0, sizeof *g);
	g->m.app = xstrdup(r->f[1]);
	g->m.name = xstrdup(r->f[2]);
	g->m.atomic = 1;
	g->src = r->src;
	g->line = r->line;
	*slot(s, g->m.app, g->m.name) = ++s->n;
	return g;
}

static int bad(struct migset *s, const struct record *r, const char *msg)
{
	warn_at(r->src, r->line, 1, "%s record: %s", r->f[0], msg);
	s->bad = 1;
	return 0;
}

static int add_op(struct migset *s, struct mig *g, const struct record *r)
{
	unsigned long idx = strtoul(r->f[3], NULL, 10);
	struct value *v;

	if (idx > 100000)
		return bad(s, r, "INDEX must be a number from 1 to 100000");
	if (!(v = record_value(r, 4, VS_CALL))) {
		s->bad = 1;
		return 0;
	}
	if (idx > g->m.nops) {
		g->m.ops = xrealloc(g->m.ops, idx * sizeof *g->m.ops);
		memset(g->m.ops + g->m.nops, 0, (idx - g->m.nops) *
		    sizeof *g->m.ops);
		g->m.nops = idx;
	}
	if (g->m.ops[idx - 1]) {
		value_free(v);
		return bad(s, r, "the same operation INDEX twice");
	}
	g->m.ops[idx - 1] = v;
	return 0;
}

static int add_migration(struct migset *s, struct mig *g,
    const struct record *r)
{
	if (r->n < 6)
		return bad(s, r, "needs APP NAME ATOMIC INITIAL FILE");
	if (g->seen)
		return bad(s, r, "the same migration twice");
	g->seen = 1;
	g->m.atomic = strcmp(r->f[3], "0") != 0;
	g->m.initial = strcmp(r->f[4], "1") == 0;
	g->m.file = xstrdup(r->f[5]);
	g->src = r->src;
	g->line = r->line;
	return 0;
}

int migset_record(const struct record *r, void *arg)
{
	struct migset *s = arg;
	const char *k = r->f[0];
	struct mig *g;
	int pair = !strcmp(k, REC_DEPENDENCY) || !strcmp(k, REC_REPLACES) ||
	    !strcmp(k, REC_RUN_BEFORE);

	if (!strcmp(k, REC_APPLIED)) {
		if (r->n < 3)
			return bad(s, r, "needs APP NAME");
		migkey_push(&s->applied, &s->napplied, r->f[1], r->f[2]);
		return 0;
	}
	if (strcmp(k, REC_MIGRATION) && strcmp(k, REC_OPERATION) && !pair) {
		s->passed = xrealloc(s->passed, (s->npassed + 1) *
		    sizeof *s->passed);
		s->passed[s->npassed++] = xstrdup(r->raw);
		return 0;
	}
	if (r->n < (pair || !strcmp(k, REC_OPERATION) ? 5u : 3u))
		return bad(s, r, "too few fields");
	g = get(s, r);
	if (!strcmp(k, REC_MIGRATION))
		return add_migration(s, g, r);
	if (!strcmp(k, REC_OPERATION))
		return add_op(s, g, r);
	if (!strcmp(k, REC_DEPENDENCY))
		migkey_push(&g->m.deps, &g->m.ndeps, r->f[3], r->f[4]);
	else if (!strcmp(k, REC_REPLACES))
		migkey_push(&g->m.replaces, &g->m.nreplaces, r->f[3], r->f[4]);
	else
		migkey_push(&g->m.run_before, &g->m.nrun_before, r->f[3],
		    r->f[4]);
	return 0;
}

int migset_check(struct migset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct mig *g = &s->v[i];

		if (!g->seen) {
			warn_at(g->src, g->line, 1, "%s.%s has records but no "
			    "migration record", g->m.app, g->m.name);
			s->bad = 1;
		}
		for (size_t j = 0; j < g->m.nops; j++)
			if (!g->m.ops[j]) {
				warn_at(g->src, g->line, 1, "%s.%s: operation "
				    "#%zu is missing", g->m.app, g->m.name, j + 1);
				s->bad = 1;
				break;
			}
	}
	return s->bad ? EXIT_BADINPUT : 0;
}

void migset_free(struct migset *s)
{
	for (size_t i = 0; i < s->n; i++)
		migration_free(&s->v[i].m);
	free(s->v);
	free(s->slots);
	for (size_t i = 0; i < s->napplied; i++) {
		free(s->applied[i].app);
		free(s->applied[i].name);
	}
	free(s->applied);
	for (size_t i = 0; i < s->npassed; i++)
		free(s->passed[i]);
	free(s->passed);
	memset(s, 0, sizeof *s);
}
