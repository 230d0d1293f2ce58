/* fragment.c: a migration given by hand as stream records, for a file
 * migparse cannot read (migparse(1), "Migrations given by hand"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "python.h"

struct frag {
	struct migration *m;
	const char *path;
	int seen;		/* the migration record */
	size_t nops;		/* operation records, good or bad */
	int bad;
};

static int frag_error(struct frag *fr, const struct record *r,
    const char *fmt, const char *arg)
{
	char *msg = xasprintf(fmt, arg);

	warn_at(fr->path, r->line, 0, "%s", msg);
	free(msg);
	fr->bad = 1;
	return 0;
}

static int flag_field(const char *s)
{
	return strcmp(s, "1") == 0 ? 1 : strcmp(s, "0") == 0 ? 0 : -1;
}

static int frag_operation(struct frag *fr, const struct record *r)
{
	struct migration *m = fr->m;
	char *end, *err;
	unsigned long idx = strtoul(r->f[3], &end, 10);
	long col;
	struct value *v;

	if (*end || idx != ++fr->nops)
		return frag_error(fr, r, "operation %s out of order (they count "
		    "from 1, one after the other)", r->f[3]);
	if (!(v = value_parse(r->f[4], &err, &col))) {
		warn_at(fr->path, r->line, 0, "operation %s: %s (column %ld of "
		    "the call)", r->f[3], err, col);
		free(err);
		fr->bad = 1;
		return 0;
	}
	if (v->kind != V_CALL || v->fn->kind != V_NAME) {
		value_free(v);
		return frag_error(fr, r, "operation %s is not an operation call",
		    r->f[3]);
	}
	m->ops = xrealloc(m->ops, (m->nops + 1) * sizeof *m->ops);
	m->ops[m->nops++] = v;
	return 0;
}

static int frag_record(const struct record *r, void *arg)
{
	struct frag *fr = arg;
	struct migration *m = fr->m;
	const char *k = r->f[0];
	size_t want = !strcmp(k, REC_MIGRATION) ? 6 : !strcmp(k, REC_OPERATION) ||
	    !strcmp(k, REC_DEPENDENCY) || !strcmp(k, REC_REPLACES) ||
	    !strcmp(k, REC_RUN_BEFORE) ? 5 : !strcmp(k, REC_ALLOW) ? 4 : 0;

	if (k[0] == '#')
		return 0;
	if (!want)
		return frag_error(fr, r, "a %s record has no place in a "
		    "migration given by hand (migration, dependency, replaces, "
		    "run_before, allow and operation do)", k);
	if (r->n != want)
		return frag_error(fr, r, "a %s record has the wrong number of "
		    "fields (migstream(5))", k);
	if (strcmp(r->f[1], m->app) || strcmp(r->f[2], m->name)) {
		char *both = xasprintf("%s %s", m->app, m->name);

		frag_error(fr, r, "this record is not for migration %s", both);
		free(both);
		return 1;	/* the rest is some other migration's too */
	}
	if (!fr->seen && strcmp(k, REC_MIGRATION))
		return frag_error(fr, r, "the first record must be the migration "
		    "record%s", "");
	if (!strcmp(k, REC_MIGRATION)) {
		if (fr->seen++)
			return frag_error(fr, r, "a second migration record%s", "");
		m->atomic = flag_field(r->f[3]);
		m->initial = flag_field(r->f[4]);
		if (m->atomic < 0 || m->initial < 0)
			return frag_error(fr, r, "ATOMIC and INITIAL are 1 or 0%s",
			    "");
	} else if (!strcmp(k, REC_OPERATION)) {
		return frag_operation(fr, r);
	} else if (!strcmp(k, REC_ALLOW)) {
		if (!lint_rule(r->f[3]))
			return frag_error(fr, r, "allow: no rule '%s' (migsql(1) "
			    "lists them)", r->f[3]);
		m->allow = xrealloc(m->allow, (m->nallow + 1) * sizeof *m->allow);
		m->allow[m->nallow++] = xstrdup(r->f[3]);
	} else {
		migkey_push(!strcmp(k, REC_DEPENDENCY) ? &m->deps :
		    !strcmp(k, REC_REPLACES) ? &m->replaces : &m->run_before,
		    !strcmp(k, REC_DEPENDENCY) ? &m->ndeps :
		    !strcmp(k, REC_REPLACES) ? &m->nreplaces : &m->nrun_before,
		    r->f[3], r->f[4]);
	}
	return 0;
}

int read_fragment(const char *path, struct migration *m)
{
	FILE *fp = fopen(path, "r");
	struct frag fr = { m, path, 0, 0, 0 };
	int rc;

	if (!fp) {
		warnx_("%s:", path);
		return -1;
	}
	rc = stream_each(fp, path, frag_record, &fr);
	fclose(fp);
	if (!rc && !fr.bad && !fr.seen) {
		warn_at(path, 0, 0, "no migration record for %s %s", m->app,
		    m->name);
		fr.bad = 1;
	}
	return rc || fr.bad ? -1 : 0;
}

char *fragment_path(const char *dir, const char *file, const char *app,
    const char *name)
{
	const char *slash;

	if (dir)
		return xasprintf("%s/%s/%s.migstream", dir, app, name);
	if (strcmp(file, "-") == 0)
		return NULL;
	if (!(slash = strrchr(file, '/')))
		return xasprintf("%s.migstream", name);
	return xasprintf("%.*s/%s.migstream", (int)(slash - file), file, name);
}
