#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "sql/sql.h"
#include "stream/stream.h"

/* The keys ("app.model", lowercase) of the models an operation affects
 * and of the models related to them. */
struct keys {
	char **k;
	size_t n;
};

static void key_add(struct keys *ks, const char *app, const char *model)
{
	char *k = xasprintf("%s.%s", app, model), *l = name_lower(k);

	free(k);
	k = l;
	for (size_t i = 0; i < ks->n; i++)
		if (!strcmp(ks->k[i], k)) {
			free(k);
			return;
		}
	ks->k = xrealloc(ks->k, (ks->n + 1) * sizeof *ks->k);
	ks->k[ks->n++] = k;
}

static void keys_free(struct keys *ks)
{
	for (size_t i = 0; i < ks->n; i++)
		free(ks->k[i]);
	free(ks->k);
	ks->k = NULL;
	ks->n = 0;
}

static const char *const model_ops[] = {
	"CreateModel", "DeleteModel", "AlterModelTable",
	"AlterModelTableComment", "AlterUniqueTogether", "AlterIndexTogether",
	"AlterOrderWithRespectTo", "AlterModelOptions", "AlterModelManagers",
	NULL
};

/* The models an operation names itself. */
static void own_models(const struct pstate *st, const struct value *op,
    const char *app, struct keys *ks)
{
	const char *c = op->fn->kind == V_NAME ? state_class(st, op->fn->s) : NULL;
	const char *args[3] = { "model_name", NULL, NULL };

	if (!c)
		return;
	for (int i = 0; model_ops[i]; i++)
		if (!strcmp(c, model_ops[i]))
			args[0] = "name";
	if (!strcmp(c, "RenameModel")) {
		args[0] = "old_name";
		args[1] = "new_name";
	}
	for (int i = 0; args[i]; i++) {
		const struct value *v = value_kwarg(op, args[i]);

		if (v && v->kind == V_STR)
			key_add(ks, app, v->s);
	}
}

/* Is m the model of key "app.model" (lowercase)?  Called for every model
 * around every operation: no allocation for ASCII names. */
static int key_is(const struct mstate *m, const char *key)
{
	size_t a = strlen(m->app);

	return !strncmp(key, m->app, a) && key[a] == '.' &&
	    name_same(key + a + 1, m->name);
}

/* Does the label "app.Model" name the key "app.model"? */
static int label_is(const char *label, const char *key)
{
	return name_same(label, key);
}

/* Only relations point at models (mapped classes are built-in ones by
 * now); checking the class first spares a search of every field's
 * arguments around every operation. */
static int is_relation(const struct value *f)
{
	const char *c = f->kind == V_CALL && f->fn->kind == V_NAME ? f->fn->s :
	    "";

	if (strncmp(c, "models.", 7))
		return 0;
	c += 7;
	return !strcmp(c, "ForeignKey") || !strcmp(c, "OneToOneField") ||
	    !strcmp(c, "ManyToManyField");
}

/* Add the models that the models of ks point at, and that point at them. */
static void related(const struct pstate *st, struct keys *ks)
{
	size_t own = ks->n;

	for (size_t i = 0; i < st->n; i++) {
		const struct mstate *m = &st->m[i];
		int mine = 0;

		for (size_t k = 0; k < own && !mine; k++)
			mine = key_is(m, ks->k[k]);
		for (size_t f = 0; f < m->nf; f++)
			for (int t = 0; t < 2 && is_relation(m->fields[f]); t++) {
				const struct value *to = value_kwarg(m->fields[f],
				    t ? "through" : "to");
				const char *dot;

				if (!to || to->kind != V_STR)
					continue;
				for (size_t k = 0; k < own; k++)
					if (label_is(to->s, ks->k[k]))
						key_add(ks, m->app, m->name);
				if (mine && (dot = strchr(to->s, '.'))) {
					char *app = xstrndup(to->s,
					    (size_t)(dot - to->s));

					key_add(ks, app, dot + 1);
					free(app);
				}
			}
	}
}

static const struct mstate *by_key(const struct pstate *st, const char *key)
{
	for (size_t i = 0; i < st->n; i++)
		if (key_is(&st->m[i], key))
			return &st->m[i];
	return NULL;
}

struct opout {
	struct buf text;	/* the op's records */
};

static void rec(struct buf *b, const char *const *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, '\t');
		for (const char *p = f[i]; *p; p++) {
			if (*p == '\\' || *p == '\t' || *p == '\n' || *p == '\r') {
				buf_putc(b, '\\');
				buf_putc(b, *p == '\\' ? '\\' : *p == '\t' ? 't' :
				    *p == '\n' ? 'n' : 'r');
			} else {
				buf_putc(b, *p);
			}
		}
	}
	buf_putc(b, '\n');
}

/* --- the catalog: what the plan's statements leave in the database -------- */

/* through_db={TABLE: [...]}: the catalogs of the tables Django makes for
 * the model's many-to-many fields, which have no model state of their
 * own; auto_field='models.X': the class of their id when
 * DEFAULT_AUTO_FIELD is given (else models.BigAutoField). */
static void through_db(const struct pstate *st, const struct mstate *m,
    const char *table, struct buf *b)
{
	int any = 0;
	struct value *st_auto;

	for (size_t i = 0; i < m->nf; i++) {
		const struct value *f = m->fields[i], *dt;
		char *t, *db;

		if (f->kind != V_CALL || f->fn->kind != V_NAME ||
		    strcmp(f->fn->s, "models.ManyToManyField") ||
		    value_kwarg(f, "through"))
			continue;
		dt = value_kwarg(f, "db_table");
		t = m2m_table_name(table, m->fnames[i], dt && dt->kind == V_STR ?
		    dt->s : NULL);
		db = st->cat ? catalog_text(st->cat, t) : xstrdup("[]");
		buf_puts(b, any ? ", " : ", through_db={");
		any = 1;
		buf_putc(b, '\'');
		buf_puts(b, t);	/* table names need no escaping here */
		buf_printf(b, "': %s", db ? db : "None");
		free(t);
		free(db);
	}
	if (any)
		buf_putc(b, '}');
	if (any && (st_auto = state_setting(st, "DEFAULT_AUTO_FIELD"))) {
		const char *a = state_auto_field(st);

		if (a)
			buf_printf(b, ", auto_field='%s'", a);
		value_free(st_auto);
	}
}

/* collations={NAME: False}: the non-deterministic collations the plan
 * made (CreateCollation), for a model with a db_collation. */
static void collations(const struct pstate *st, const struct mstate *m,
    struct buf *b)
{
	int any = 0, uses = 0;

	for (size_t i = 0; i < m->nf && !uses; i++)
		uses = value_kwarg(m->fields[i], "db_collation") != NULL;
	for (size_t i = 0; uses && i < st->next; i++) {
		if (strncmp(st->extensions[i], "collation:", 10))
			continue;
		buf_printf(b, "%s'%s': False", any ? ", " : ", collations={",
		    st->extensions[i] + 10);
		any = 1;
	}
	if (any)
		buf_putc(b, '}');
}

/* A model's text with the catalog of its table, as introspection would
 * find it when the migration starts (db=None: cannot be told). */
static char *with_db(const struct pstate *st, const struct mstate *m)
{
	char *text = mstate_text(m), *table = mstate_table(m), *r;
	char *db = st->cat ? catalog_text(st->cat, table) : xstrdup("[]");
	size_t n = strlen(text);

	struct buf b = {0};

	buf_printf(&b, "%.*s, db=%s", (int)(n - 1), text, db ? db : "None");
	if (state_swapped(st, m))
		buf_puts(&b, ", swapped=True");
	through_db(st, m, table, &b);
	collations(st, m, &b);
	buf_putc(&b, ')');
	r = b.s;
	free(text);
	free(table);
	free(db);
	return r;
}

/* The fold renders each forward migration as migsql would, quietly, and
 * feeds the statements to the catalog the migration leaves behind. */
struct dbrun {
	struct migctx mc;
	int back;		/* backwards: op groups run in reverse */
	size_t *groups;		/* where each op's pending statements start */
	size_t ngroups;
	size_t ndeferred_at;	/* pending from here: the deferred SQL */
	size_t done;		/* statements of mc already queued */
	char **pending;		/* statements, or "\1TABLE" to taint TABLE,
				   for the catalog at the migration's end */
	size_t npending;
};

static void queue(struct dbrun *r, char *s)
{
	r->pending = xrealloc(r->pending, (r->npending + 1) *
	    sizeof *r->pending);
	r->pending[r->npending++] = s;
}

static struct dbrun *run_start(struct dbrun *r, const struct migration *m,
    int back)
{
	memset(r, 0, sizeof *r);
	r->back = back;
	r->mc.app = xstrdup(m->app);
	r->mc.name = xstrdup(m->name);
	r->mc.file = xstrdup(m->file ? m->file : "");
	r->mc.atomic = m->atomic;
	r->mc.quiet = 1;
	return r;
}

static void run_feed(struct dbrun *r)
{
	for (; r->done < r->mc.n; r->done++)
		if (r->mc.is_stmt[r->done])
			queue(r, xstrdup(r->mc.stmts[r->done]));
}

static void add_model(struct opctx *c, const char *key, const char *when,
    const char *text)
{
	char *err = NULL;
	long col;
	struct value *v = value_parse(text, &err, &col);

	free(err);
	if (v)
		opctx_add_model(c, key, when)->state = v;
}

static void run_op(struct dbrun *r, const struct value *op,
    const struct opref *at, const struct keys *ks, char **before,
    char **after, const char *ext_state)
{
	struct opctx c = {0};

	c.app = at->app;
	c.migration = at->migration;
	c.index = at->index;
	c.op = (struct value *)op;
	c.back = r->back;
	c.mig = &r->mc;
	c.nested = strchr(at->index, '.') != NULL;
	c.ext_state = ext_state;
	for (size_t i = 0; i < ks->n; i++) {
		if (before[i] && after[i] && !strcmp(before[i], after[i])) {
			add_model(&c, ks->k[i], "both", after[i]);
			continue;
		}
		if (before[i])
			add_model(&c, ks->k[i], "before", before[i]);
		if (after[i])
			add_model(&c, ks->k[i], "after", after[i]);
	}
	r->groups = xrealloc(r->groups, (r->ngroups + 1) * sizeof *r->groups);
	r->groups[r->ngroups++] = r->npending;
	r->mc.failed = 0;
	render_op(&c);
	if (r->mc.failed) {	/* its statements are unknown: so are its tables */
		r->done = r->mc.n;
		for (size_t i = 0; i < c.nmodels; i++)
			queue(r, xasprintf("\1%s", model_table(c.models[i].state)));
	}
	run_feed(r);
	opctx_free_models(&c);
}

static void pending_range(struct pstate *st, struct dbrun *r, size_t from,
    size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (r->pending[i][0] == '\1')
			catalog_taint(st->cat, r->pending[i] + 1);
		else
			catalog_exec(st->cat, r->pending[i]);
	}
}

static void run_end(struct dbrun *r, struct pstate *st)
{
	render_finish(&r->mc);
	r->ndeferred_at = r->npending;
	run_feed(r);
	migctx_free(&r->mc);
	if (!st->cat)
		st->cat = catalog_new();
	if (r->back) {	/* the ops ran last to first, deferred SQL last */
		for (size_t g = r->ngroups; g-- > 0; )
			pending_range(st, r, r->groups[g], g + 1 < r->ngroups ?
			    r->groups[g + 1] : r->ndeferred_at);
		pending_range(st, r, r->ndeferred_at, r->npending);
	} else {
		pending_range(st, r, 0, r->npending);
	}
	for (size_t i = 0; i < r->npending; i++)
		free(r->pending[i]);
	free(r->pending);
	free(r->groups);
}

static char **texts(const struct pstate *st, const struct keys *ks)
{
	char **t = xcalloc(ks->n + 1, sizeof *t);

	for (size_t i = 0; i < ks->n; i++) {
		const struct mstate *m = by_key(st, ks->k[i]);

		t[i] = m ? with_db(st, m) : NULL;
	}
	return t;
}

static void free_texts(char **t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i]);
	free(t);
}

/* model records: before, after, or both when the op left it alone. */
static void model_records(struct buf *b, const struct opref *at,
    const struct keys *ks, char **before, char **after)
{
	for (size_t i = 0; i < ks->n; i++) {
		const char *f[7] = { "model", at->app, at->migration, at->index,
		    NULL, ks->k[i], NULL };

		if (before[i] && after[i] && !strcmp(before[i], after[i])) {
			f[4] = "both";
			f[6] = after[i];
			rec(b, f, 7);
			continue;
		}
		if (before[i]) {
			f[4] = "before";
			f[6] = before[i];
			rec(b, f, 7);
		}
		if (after[i]) {
			f[4] = "after";
			f[6] = after[i];
			rec(b, f, 7);
		}
	}
}

static const char *extension_name(const struct pstate *st,
    const struct value *op);

/* One operation: apply it to st, write its op and model records. */
static int one_op(struct pstate *st, const struct value *op,
    const struct opref *at, int back, struct buf *b, struct dbrun *r)
{
	struct keys ks = {0};
	struct value *mapped = state_map_op(st, op);
	char **before, **after, *call = value_text(mapped);
	const char *f[6] = { "op", at->app, at->migration, at->index,
	    back ? "backwards" : "forwards", call };
	const char *ext = extension_name(st, op);
	int had = 0, rc;

	if (ext)
		for (size_t i = 0; i < st->next; i++)
			had |= !strcmp(st->extensions[i], ext);
	own_models(st, op, at->app, &ks);
	related(st, &ks);
	before = texts(st, &ks);
	rc = state_apply(st, op, at);
	if (rc == 0) {
		size_t nb = ks.n;

		related(st, &ks);
		after = texts(st, &ks);
		before = xrealloc(before, (ks.n + 1) * sizeof *before);
		for (size_t i = nb; i < ks.n; i++)	/* untouched by op */
			before[i] = after[i] ? xstrdup(after[i]) : NULL;
		rec(b, f, 6);
		model_records(b, at, &ks, before, after);
		if (r)
			run_op(r, mapped, at, &ks, before, after, ext ? (had ?
			    "present" : "absent") : NULL);
		if (ext) {
			const char *e[7] = { "extension", at->app, at->migration,
			    at->index, "before", ext, had ? "present" : "absent" };

			rec(b, e, 7);
		}
		free_texts(after, ks.n);
	}
	free_texts(before, ks.n);
	keys_free(&ks);
	free(call);
	value_free(mapped);
	return rc;
}

static const char *extension_name(const struct pstate *st,
    const struct value *op)
{
	return state_extension(st, op);
}

static int is_class(const struct pstate *st, const struct value *op,
    const char *c)
{
	const char *k = op->kind == V_CALL && op->fn->kind == V_NAME ?
	    state_class(st, op->fn->s) : NULL;

	return k && !strcmp(k, c);
}

/* SeparateDatabaseAndState: the state side folds into st; each database
 * operation runs on its own chain of states from the state before it. */
static int separate(struct pstate *st, const struct value *op,
    const struct opref *at, int back, struct buf *b, struct dbrun *r)
{
	struct catalog *cat;
	const struct value *db = value_kwarg(op, "database_operations");
	struct pstate chain;
	struct buf *parts;
	size_t n = db && (db->kind == V_LIST || db->kind == V_TUPLE) ? db->n : 0;
	int rc;

	cat = st->cat;	/* the chain reads the same catalog: no copy */
	st->cat = NULL;
	pstate_copy(&chain, st);
	st->cat = chain.cat = cat;
	if ((rc = one_op(st, op, at, back, b, r)) < 0) {
		chain.cat = NULL;
		pstate_free(&chain);
		return rc;
	}
	parts = xcalloc(n + 1, sizeof *parts);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *idx = xasprintf("%s.%zu", at->index, i + 1);
		struct opref sub = *at;

		sub.index = idx;
		rc = one_op(&chain, db->items[i], &sub, back, &parts[i], r);
		free(idx);
	}
	for (size_t i = 0; i < n; i++) {
		struct buf *p = &parts[back ? n - 1 - i : i];

		if (p->len)
			buf_putn(b, p->s, p->len);
		buf_free(p);
	}
	free(parts);
	chain.cat = NULL;
	pstate_free(&chain);
	return rc;
}

/* All of a migration's operations, in execution order. */
static int migration_ops(struct pstate *st, const struct migration *m,
    int back, struct buf *out)
{
	struct buf *ops = xcalloc(m->nops + 1, sizeof *ops);
	int rc = 0;
	struct dbrun run, *r = run_start(&run, m, back);

	for (size_t i = 0; i < m->nops && rc == 0; i++) {
		char idx[32];
		struct opref at = { m->app, m->name, m->file, idx };

		snprintf(idx, sizeof idx, "%zu", i + 1);
		if (is_class(st, m->ops[i], "SeparateDatabaseAndState"))
			rc = separate(st, m->ops[i], &at, back, &ops[i], r);
		else
			rc = one_op(st, m->ops[i], &at, back, &ops[i], r);
	}
	for (size_t i = 0; i < m->nops; i++) {
		struct buf *p = &ops[back ? m->nops - 1 - i : i];

		if (rc == 0 && p->len)
			buf_putn(out, p->s, p->len);
		buf_free(p);
	}
	free(ops);
	if (r)
		run_end(r, st);
	return rc;
}

static int fold_silently(struct pstate *st, const struct migration *m)
{
	struct buf b = {0};
	int rc = migration_ops(st, m, 0, &b);

	buf_free(&b);
	return rc;
}

/* A migration applied in the database that a live catalog was read
 * from, met after the plan started from that catalog: its state is
 * folded, its statements are in the catalog already. */
static int fold_state_only(struct pstate *st, const struct migration *m)
{
	struct catalog *keep = st->cat;
	int rc;

	st->cat = keep ? catalog_copy(keep) : NULL;
	rc = fold_silently(st, m);
	catalog_free(st->cat);
	st->cat = keep;
	return rc;
}

/* The database's own catalog, where the plan meets that database: the
 * tables it describes replace the fold's. */
static void live_catalog(const struct pstate *st, struct catalog **cat)
{
	if (!st->live)
		return;
	if (!*cat)
		*cat = catalog_new();
	catalog_prefer(*cat, st->live);
}

/* And its extensions and non-deterministic collations, which Django asks
 * pg_extension and pg_collation for, replace those the plan made. */
static void live_extensions(const struct pstate *live, struct pstate *st)
{
	const char *const *ext;
	size_t n;

	if (!live->live || !(ext = catalog_extensions(live->live, &n)))
		return;
	for (size_t i = 0; i < st->next; i++)
		free(st->extensions[i]);
	st->extensions = xrealloc(st->extensions, (n + 1) *
	    sizeof *st->extensions);
	for (size_t i = 0; i < n; i++)
		st->extensions[i] = xstrdup(ext[i]);
	st->next = n;
}

static void head(FILE *out, const struct migration *m, size_t step, int back)
{
	char num[32];
	const char *p[] = { REC_PLAN, m->app, m->name, num,
	    back ? "backwards" : "forwards" };
	const char *f[] = { REC_MIGRATION, m->app, m->name,
	    m->atomic ? "1" : "0", m->initial ? "1" : "0", m->file };

	snprintf(num, sizeof num, "%zu", step);
	stream_write(out, p, 5);
	stream_write(out, f, 6);
}

static int emit_migration(struct pstate *st, const struct migration *m, size_t step,
    int back, FILE *out)
{
	struct buf b = {0};
	int rc = migration_ops(st, m, back, &b);

	if (rc == 0) {
		head(out, m, step, back);
		if (b.len)
			fwrite(b.s, 1, b.len, out);
	}
	buf_free(&b);
	return rc;
}

static struct step *full_plan(struct graph *g, size_t *n)
{
	size_t nl, *leaves = graph_leaves(g, NULL, &nl);
	struct migkey *t = xcalloc(nl + 1, sizeof *t);
	struct step *plan;

	for (size_t i = 0; i < nl; i++) {
		t[i].app = g->nodes[leaves[i]].app;
		t[i].name = g->nodes[leaves[i]].name;
	}
	plan = graph_plan(g, t, nl, 1, n);
	free(t);
	free(leaves);
	return plan;
}

static const struct migration *mig_of(const struct graph *g, size_t node)
{
	return &g->ms->v[g->nodes[node].mig].m;
}

int fold_write(struct graph *g, struct pstate *st, const struct step *sel,
    size_t nsel, int one, FILE *out)
{
	size_t nfull, step = 0;
	struct step *full = full_plan(g, &nfull);
	size_t *pos = xcalloc(g->n, sizeof *pos);
	struct pstate *saved = NULL;
	struct catalog *cur;
	int back = nsel && sel[0].backwards, rc = 0, live = 0;

	for (size_t i = 0; i < nsel; i++) {
		if (sel[i].backwards != back) {
			warnx_("a plan with both forwards and backwards "
			    "migrations is not supported");
			rc = EXIT_BADINPUT;
		}
		pos[sel[i].node] = i + 1;
	}
	saved = back ? xcalloc(nsel, sizeof *saved) : NULL;
	for (size_t i = 0; i < nfull && rc == 0; i++) {
		size_t node = full[i].node, p = pos[node];
		const struct migration *m = mig_of(g, node);

		if (p && back) {
			pstate_copy(&saved[p - 1], st);
			rc = fold_silently(st, m);
		} else if (p) {
			if (!live++) {
				live_catalog(st, &st->cat);
				live_extensions(st, st);
			}
			rc = emit_migration(st, m, ++step, 0, out);
		} else if (one || g->nodes[node].applied) {
			rc = live && st->live ? fold_state_only(st, m) :
			    fold_silently(st, m);
		}
		if (one && p)
			break;
	}
	/* backwards, each migration meets the database the ones unapplied
	 * before it left: the catalog goes on from the last */
	cur = back && st->cat ? catalog_copy(st->cat) : NULL;
	if (back)
		live_catalog(st, &cur);
	if (back && nsel)
		live_extensions(st, &saved[0]);
	for (size_t i = 0; back && i < nsel; i++) {
		catalog_free(saved[i].cat);
		saved[i].cat = cur;
		if (rc == 0)
			rc = emit_migration(&saved[i], mig_of(g, sel[i].node), i + 1, 1,
			    out);
		cur = saved[i].cat;
		saved[i].cat = NULL;
		pstate_free(&saved[i]);
	}
	catalog_free(cur);
	free(saved);
	free(pos);
	free(full);
	return rc ? EXIT_BADINPUT : 0;
}

int fold_dump(struct graph *g, struct pstate *st, const struct step *sel,
    size_t nsel, FILE *out)
{
	size_t nfull;
	struct step *full = full_plan(g, &nfull);
	size_t *pos = xcalloc(g->n, sizeof *pos);
	int rc = 0;

	for (size_t i = 0; i < nsel; i++)
		pos[sel[i].node] = 1;
	for (size_t i = 0; i < nfull && rc == 0; i++)
		if (pos[full[i].node] || g->nodes[full[i].node].applied)
			rc = fold_silently(st, mig_of(g, full[i].node));
	for (size_t i = 0; i < st->n && rc == 0; i++) {
		char *t = mstate_text(&st->m[i]), *lname = name_lower(st->m[i].name);
		const char *f[] = { "modelstate", st->m[i].app, lname, t };

		stream_write(out, f, 4);
		free(t);
		free(lname);
	}
	free(pos);
	free(full);
	return rc ? EXIT_BADINPUT : 0;
}
