#include <stdlib.h>
#include <string.h>

#include "stream.h"

void migkey_push(struct migkey **v, size_t *n, const char *app,
    const char *name)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n].app = xstrdup(app);
	(*v)[*n].name = xstrdup(name);
	++*n;
}

int migkey_in(const struct migkey *v, size_t n, const char *app,
    const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].app, app) && !strcmp(v[i].name, name))
			return 1;
	return 0;
}

static void keys_free(struct migkey *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].app);
		free(v[i].name);
	}
	free(v);
}

void migration_free(struct migration *m)
{
	free(m->app);
	free(m->name);
	free(m->file);
	keys_free(m->deps, m->ndeps);
	keys_free(m->replaces, m->nreplaces);
	keys_free(m->run_before, m->nrun_before);
	for (size_t i = 0; i < m->nops; i++)
		value_free(m->ops[i]);
	free(m->ops);
	for (size_t i = 0; i < m->nallow; i++)
		free(m->allow[i]);
	free(m->allow);
}

static void write_keys(FILE *fp, const struct migration *m, const char *kind,
    const struct migkey *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *f[] = { kind, m->app, m->name, v[i].app, v[i].name };

		stream_write(fp, f, 5);
	}
}

void migration_write(FILE *fp, const struct migration *m)
{
	const char *f[6] = { REC_MIGRATION, m->app, m->name,
	    m->atomic ? "1" : "0", m->initial ? "1" : "0", m->file };

	stream_write(fp, f, 6);
	write_keys(fp, m, REC_DEPENDENCY, m->deps, m->ndeps);
	write_keys(fp, m, REC_REPLACES, m->replaces, m->nreplaces);
	write_keys(fp, m, REC_RUN_BEFORE, m->run_before, m->nrun_before);
	for (size_t i = 0; i < m->nallow; i++) {
		const char *a[] = { REC_ALLOW, m->app, m->name, m->allow[i] };

		stream_write(fp, a, 4);
	}
	for (size_t i = 0; i < m->nops; i++) {
		char idx[32], *call = value_text(m->ops[i]);
		const char *g[] = { REC_OPERATION, m->app, m->name, idx, call };

		snprintf(idx, sizeof idx, "%zu", i + 1);
		stream_write(fp, g, 5);
		free(call);
	}
}
