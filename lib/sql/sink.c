/* sink.c: where a migration's statements go.  The renderers append
 * statements (emit), defer them to the migration's end (defer) and report
 * errors here; the bottom of the renderer: it calls nothing above it. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sqlint.h"

void sink_add(struct migctx *m, const char *s, int is_stmt,
    const char *index)
{
	m->flags = xrealloc(m->flags, (m->n + 1) * sizeof *m->flags);
	m->flags[m->n] = is_stmt ? STMT_SCHEMA : 0;
	m->stmts = xrealloc(m->stmts, (m->n + 1) * sizeof *m->stmts);
	m->is_stmt = xrealloc(m->is_stmt, (m->n + 1) * sizeof *m->is_stmt);
	m->stmt_index = xrealloc(m->stmt_index, (m->n + 1) *
	    sizeof *m->stmt_index);
	m->stmts[m->n] = xstrdup(s);
	m->is_stmt[m->n] = is_stmt;
	m->stmt_index[m->n++] = xstrdup(index);
}

void emit(struct opctx *c, const char *sql)
{
	sink_add(c->mig, sql, 1, c->index);
}

void emit_raw(struct opctx *c, const char *sql)
{
	sink_add(c->mig, sql, 1, c->index);
	c->mig->flags[c->mig->n - 1] = 0;
}

void mark_stmt(struct opctx *c, unsigned flags)
{
	if (c->mig->n)
		c->mig->flags[c->mig->n - 1] |= flags;
}

void defer(struct opctx *c, const char *sql)
{
	struct migctx *m = c->mig;

	for (size_t i = 0; i < m->ndeferred; i++)
		if (!strcmp(m->deferred[i], sql))
			return;
	m->deferred = xrealloc(m->deferred, (m->ndeferred + 1) *
	    sizeof *m->deferred);
	m->deferred_index = xrealloc(m->deferred_index, (m->ndeferred + 1) *
	    sizeof *m->deferred_index);
	m->deferred[m->ndeferred] = xstrdup(sql);
	m->deferred_index[m->ndeferred++] = xstrdup(c->index);
}

int render_error(const struct opctx *c, const char *fmt, ...)
{
	va_list ap;

	c->mig->failed = 1;
	if (c->mig->quiet)
		return -1;
	fprintf(stderr, "%s: %s %s #%s: ", argv0, c->app, c->migration,
	    c->index);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	c->mig->failed = 1;
	return -1;
}

const struct value *op_model(const struct opctx *c, const char *key,
    int after)
{
	for (size_t i = 0; i < c->nmodels; i++) {
		const struct opmodel *m = &c->models[i];

		if (strcmp(m->key, key))
			continue;
		if (!strcmp(m->when, "both") ||
		    !strcmp(m->when, after ? "after" : "before"))
			return m->state;
	}
	return NULL;
}

const struct value *op_model_named(const struct opctx *c, const char *name,
    int after)
{
	char *lname = name_lower(name), *key = xasprintf("%s.%s", c->app, lname);
	const struct value *v;

	free(lname);
	v = op_model(c, key, after);
	free(key);
	return v;
}

const char *model_table(const struct value *state)
{
	const struct value *t = value_kwarg(state, "db_table");

	return t && t->kind == V_STR ? t->s : "";
}

void migctx_free(struct migctx *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->stmts[i]);
		free(m->stmt_index[i]);
	}
	for (size_t i = 0; i < m->ndeferred; i++) {
		free(m->deferred[i]);
		free(m->deferred_index[i]);
	}
	free(m->stmts);
	free(m->is_stmt);
	free(m->flags);
	free(m->stmt_index);
	free(m->deferred);
	free(m->deferred_index);
	free(m->app);
	free(m->name);
	free(m->file);
	memset(m, 0, sizeof *m);
}

struct opmodel *opctx_add_model(struct opctx *c, const char *key,
    const char *when)
{
	struct opmodel *m;

	c->models = xrealloc(c->models, (c->nmodels + 1) * sizeof *c->models);
	m = &c->models[c->nmodels++];
	m->key = xstrdup(key);
	m->when = xstrdup(when);
	m->state = NULL;
	return m;
}

void opctx_free_models(struct opctx *c)
{
	for (size_t i = 0; i < c->nmodels; i++) {
		free(c->models[i].key);
		free(c->models[i].when);
		value_free(c->models[i].state);
	}
	free(c->models);
	c->models = NULL;
	c->nmodels = 0;
}
