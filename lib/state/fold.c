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

/* The first n bytes of key and of the app label app, ASCII letters in
 * any case (name_lower lowers the whole key). */
static int app_eq(const char *key, const char *app, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)key[i], y = (unsigned char)app[i];

		if ((x >= 'A' && x <= 'Z' ? x + 32 : x) !=
		    (y >= 'A' && y <= 'Z' ? y + 32 : y))
			return 0;
	}
	return 1;
}

/* Is m the model of key "app.model" (lowercase)?  Called for every model
 * around every operation: no allocation for ASCII names. */
static int key_is(const struct mstate *m, const char *key)
{
	size_t a = strlen(m->app);

	return app_eq(key, m->app, a) && key[a] == '.' &&
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

/* --- the models by key, and which models point at which ---------------- */

/* related() and by_key() run around every operation; scanning every
 * model's fields each time made the fold quadratic in the length of the
 * history.  The index keeps, for each model (by its key, app.model in
 * lowercase), where it is in the pstate and the labels its relation
 * fields point at (to= and through=, in field order), and, for each
 * label, the models that have pointed at it (a superset: what a model
 * points at now is checked in its own entry).  An entry is refreshed
 * once an operation may have changed its model: every model the
 * operation names or relates to (its keys), every model after an
 * operation with state_operations.  The index belongs to one pstate
 * (owner); another resets it.  Where two models would share a key (apps
 * differing in case only), related() scans every model as it did. */
#define NOPOS ((size_t)-1)

struct rel {
	char *key;
	size_t pos;		/* in the owner's models, or NOPOS */
	char **to;		/* the labels, as written */
	size_t nto;
	int stale;		/* queued in idx.dirty */
	char *text;		/* mstate_text() of the model, or NULL */
};

struct pointers {
	char *label;		/* lowercase */
	size_t *e;		/* entries that have pointed at it */
	size_t n;
};

static struct {
	const struct pstate *owner;
	struct rel *e;
	size_t ne;
	size_t *slot, cap;	/* key -> entry + 1; cap a power of two */
	struct pointers *p;
	size_t np;
	size_t *pslot, pcap;	/* label -> pointers + 1 */
	size_t *dirty, ndirty;
	int all;		/* every entry to refresh */
	int clash;		/* two models, one key */
} idx;

static size_t hash_str(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}


static void rel_clear(struct rel *r)
{
	for (size_t i = 0; i < r->nto; i++)
		free(r->to[i]);
	free(r->to);
	r->to = NULL;
	r->nto = 0;
	free(r->text);
	r->text = NULL;
}

static void idx_reset(void)
{
	for (size_t i = 0; i < idx.ne; i++) {
		rel_clear(&idx.e[i]);
		free(idx.e[i].key);
	}
	for (size_t i = 0; i < idx.np; i++) {
		free(idx.p[i].label);
		free(idx.p[i].e);
	}
	free(idx.e);
	free(idx.slot);
	free(idx.p);
	free(idx.pslot);
	free(idx.dirty);
	memset(&idx, 0, sizeof idx);
}

/* Open addressing over slots holding index + 1; name(i) is the string
 * of index i.  Returns the slot of s: its index + 1, or 0 (free). */
static size_t *probe(size_t *slot, size_t cap, const char *s,
    const char *(*name)(size_t))
{
	size_t i = hash_str(s) & (cap - 1);

	while (slot[i] && strcmp(name(slot[i] - 1), s))
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

static const char *ent_name(size_t i)
{
	return idx.e[i].key;
}

static const char *ptr_name(size_t i)
{
	return idx.p[i].label;
}

/* Make room for one more in a table of n entries. */
static void rehash(size_t **slot, size_t *cap, size_t n,
    const char *(*name)(size_t))
{
	if (2 * (n + 1) <= *cap)
		return;
	free(*slot);
	*cap = *cap ? 2 * *cap : 256;
	*slot = xcalloc(*cap, sizeof **slot);
	for (size_t i = 0; i < n; i++)
		*probe(*slot, *cap, name(i), name) = i + 1;
}

static size_t ent_find(const char *key)
{
	size_t *sl = idx.cap ? probe(idx.slot, idx.cap, key, ent_name) : NULL;

	return sl && *sl ? *sl - 1 : NOPOS;
}

/* The entry of key (lowercase), made when missing: takes key. */
static size_t ent_get(char *key)
{
	size_t e = ent_find(key);

	if (e != NOPOS) {
		free(key);
		return e;
	}
	rehash(&idx.slot, &idx.cap, idx.ne, ent_name);
	idx.e = xrealloc(idx.e, (idx.ne + 1) * sizeof *idx.e);
	memset(&idx.e[idx.ne], 0, sizeof *idx.e);
	idx.e[idx.ne].key = key;
	idx.e[idx.ne].pos = NOPOS;
	*probe(idx.slot, idx.cap, key, ent_name) = idx.ne + 1;
	return idx.ne++;
}

static void mark(size_t e)
{
	if (idx.e[e].stale)
		return;
	idx.e[e].stale = 1;
	idx.dirty = xrealloc(idx.dirty, (idx.ndirty + 1) * sizeof *idx.dirty);
	idx.dirty[idx.ndirty++] = e;
}

/* Entry e has pointed at label (lowercase; taken). */
static void pointed(char *label, size_t e)
{
	size_t *sl = idx.pcap ? probe(idx.pslot, idx.pcap, label, ptr_name) :
	    NULL;
	struct pointers *p;

	if (!sl || !*sl) {
		rehash(&idx.pslot, &idx.pcap, idx.np, ptr_name);
		idx.p = xrealloc(idx.p, (idx.np + 1) * sizeof *idx.p);
		memset(&idx.p[idx.np], 0, sizeof *idx.p);
		idx.p[idx.np].label = xstrdup(label);
		*probe(idx.pslot, idx.pcap, label, ptr_name) = ++idx.np;
		sl = probe(idx.pslot, idx.pcap, label, ptr_name);
	}
	free(label);
	p = &idx.p[*sl - 1];
	for (size_t i = 0; i < p->n; i++)
		if (p->e[i] == e)
			return;
	p->e = xrealloc(p->e, (p->n + 1) * sizeof *p->e);
	p->e[p->n++] = e;
}


static char *model_key(const struct mstate *m)
{
	char *k = xasprintf("%s.%s", m->app, m->name), *r = name_lower(k);

	free(k);
	return r;
}

/* Every model's place; a model new to the index is queued. */
static void positions(const struct pstate *st)
{
	for (size_t i = 0; i < idx.ne; i++)
		idx.e[i].pos = NOPOS;
	for (size_t i = 0; i < st->n; i++) {
		size_t e = ent_get(model_key(&st->m[i]));

		if (idx.e[e].pos != NOPOS)
			idx.clash = 1;
		if (!idx.e[e].to && !idx.e[e].stale)
			mark(e);
		idx.e[e].pos = i;
	}
}

/* The model of entry e, or NULL when the pstate has none.  known: an
 * entry up to date (not queued) whose model was gone is gone still (a
 * model comes back by an operation that names it, which queues it). */
static const struct mstate *model_at(const struct pstate *st, size_t e,
    int known)
{
	struct rel *r = &idx.e[e];

	if (r->pos < st->n && key_is(&st->m[r->pos], r->key))
		return &st->m[r->pos];
	if (st->n && key_is(&st->m[st->n - 1], r->key)) {
		r->pos = st->n - 1;	/* just made, or moved last */
		return &st->m[r->pos];
	}
	if (known && r->pos == NOPOS && r->to && !r->stale)
		return NULL;
	positions(st);	/* moves idx.e */
	r = &idx.e[e];
	return r->pos == NOPOS ? NULL : &st->m[r->pos];
}

static void refresh(const struct pstate *st, size_t e)
{
	const struct mstate *m = model_at(st, e, 0);
	struct rel *r = &idx.e[e];

	rel_clear(r);
	r->to = xcalloc(1, sizeof *r->to);	/* known, maybe empty */
	for (size_t f = 0; m && f < m->nf; f++)
		for (int t = 0; t < 2 && is_relation(m->fields[f]); t++) {
			const struct value *to = value_kwarg(m->fields[f],
			    t ? "through" : "to");

			if (!to || to->kind != V_STR)
				continue;
			r = &idx.e[e];
			r->to = xrealloc(r->to, (r->nto + 1) * sizeof *r->to);
			r->to[r->nto++] = xstrdup(to->s);
			pointed(name_lower(to->s), e);
		}
}

/* The index of st, every entry up to date. */
static void idx_ready(const struct pstate *st)
{
	if (idx.owner != st) {
		idx_reset();
		idx.owner = st;
		idx.all = 1;
	}
	if (idx.all) {
		idx.all = 0;
		idx.clash = 0;
		for (size_t i = 0; i < idx.ne; i++)
			mark(i);
		positions(st);
	}
	for (size_t i = 0; i < idx.ndirty; i++) {
		refresh(st, idx.dirty[i]);
		idx.e[idx.dirty[i]].stale = 0;
	}
	idx.ndirty = 0;
}

/* After an operation: the models it may have changed. */
static void idx_stale(const struct pstate *st, const struct keys *ks, int all)
{
	if (idx.owner != st)
		return;
	if (all)
		idx.all = 1;
	for (size_t k = 0; k < ks->n && !all; k++)
		mark(ent_get(xstrdup(ks->k[k])));
}

/* What a model adds to ks: itself when it points at one of the first own
 * keys, and what it points at when it is one of them. */
static void relate(const struct mstate *m, char *const *to, size_t nto,
    struct keys *ks, size_t own)
{
	int mine = 0;

	for (size_t k = 0; k < own && !mine; k++)
		mine = key_is(m, ks->k[k]);
	for (size_t t = 0; t < nto; t++) {
		const char *dot;

		for (size_t k = 0; k < own; k++)
			if (label_is(to[t], ks->k[k]))
				key_add(ks, m->app, m->name);
		if (mine && (dot = strchr(to[t], '.'))) {
			char *app = xstrndup(to[t], (size_t)(dot - to[t]));

			key_add(ks, app, dot + 1);
			free(app);
		}
	}
}

/* Every model, as the index would have it (when keys clash). */
static void related_scan(const struct pstate *st, struct keys *ks)
{
	size_t own = ks->n;

	for (size_t i = 0; i < st->n; i++) {
		struct rel r = {0};
		const struct mstate *m = &st->m[i];

		for (size_t f = 0; f < m->nf; f++)
			for (int t = 0; t < 2 && is_relation(m->fields[f]); t++) {
				const struct value *to = value_kwarg(m->fields[f],
				    t ? "through" : "to");

				if (!to || to->kind != V_STR)
					continue;
				r.to = xrealloc(r.to, (r.nto + 1) * sizeof *r.to);
				r.to[r.nto++] = to->s;
			}
		relate(m, r.to, r.nto, ks, own);
		free(r.to);
	}
}

static int by_pos(const void *a, const void *b)
{
	size_t x = idx.e[*(const size_t *)a].pos;
	size_t y = idx.e[*(const size_t *)b].pos;

	return x < y ? -1 : x > y;
}

static void candidate(const struct pstate *st, size_t e, size_t **c,
    size_t *n)
{
	if (e == NOPOS || !model_at(st, e, 1))
		return;
	*c = xrealloc(*c, (*n + 1) * sizeof **c);
	(*c)[(*n)++] = e;
}

static const struct mstate *by_key(const struct pstate *st,
    const char *key);

/* A relation to a proxy model is one to its concrete model: add the
 * model bases of the proxies in ks, through proxies of proxies. */
static void proxy_bases(const struct pstate *st, struct keys *ks)
{
	for (size_t k = 0; k < ks->n; k++) {
		const struct mstate *m = by_key(st, ks->k[k]);
		const struct value *p = m ? value_dict_get(m->options, "proxy") :
		    NULL;
		const char *dot;

		if (!p || p->kind != V_TRUE || !m->bases)
			continue;
		for (size_t b = 0; b < m->bases->n; b++) {
			const struct value *v = m->bases->items[b];
			char *app;

			if (v->kind != V_STR || !(dot = strchr(v->s, '.')))
				continue;
			app = xstrndup(v->s, (size_t)(dot - v->s));
			key_add(ks, app, dot + 1);
			free(app);
		}
	}
}

/* Add the models that the models of ks point at, and that point at them,
 * in the order of the models: the models of ks and those that have
 * pointed at them are all that can add any. */
static void related(const struct pstate *st, struct keys *ks)
{
	size_t own = ks->n, *c = NULL, n = 0;

	idx_ready(st);
	for (size_t k = 0; k < own && !idx.clash; k++) {
		size_t *sl = idx.pcap ? probe(idx.pslot, idx.pcap, ks->k[k],
		    ptr_name) : NULL;
		const struct pointers *p = sl && *sl ? &idx.p[*sl - 1] : NULL;

		candidate(st, ent_find(ks->k[k]), &c, &n);
		for (size_t i = 0; p && i < p->n; i++)
			candidate(st, p->e[i], &c, &n);
	}
	if (idx.clash) {
		free(c);
		related_scan(st, ks);
		proxy_bases(st, ks);
		return;
	}
	if (n)	/* c is NULL without candidates */
		qsort(c, n, sizeof *c, by_pos);
	for (size_t i = 0; i < n; i++)
		if (!i || c[i] != c[i - 1])
			relate(&st->m[idx.e[c[i]].pos], idx.e[c[i]].to,
			    idx.e[c[i]].nto, ks, own);
	free(c);
	proxy_bases(st, ks);
}

/* mstate_text(m) as the index keeps it while m is unchanged, or NULL
 * when the index cannot tell. */
static const char *known_text(const struct pstate *st,
    const struct mstate *m, const char *key)
{
	size_t e;

	if (idx.owner != st || idx.all || idx.ndirty || idx.clash ||
	    (e = ent_find(key)) == NOPOS || idx.e[e].pos >= st->n ||
	    &st->m[idx.e[e].pos] != m)
		return NULL;
	if (!idx.e[e].text)
		idx.e[e].text = mstate_text(m);
	return idx.e[e].text;
}

static const struct mstate *by_key(const struct pstate *st, const char *key)
{
	if (idx.owner == st && !idx.all && !idx.ndirty && !idx.clash) {
		size_t e = ent_find(key);
		const struct mstate *m = e == NOPOS ? NULL : model_at(st, e, 1);

		return m && key_is(m, key) ? m : NULL;
	}
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
		for (const char *p = f[i]; *p; ) {
			size_t plain = strcspn(p, "\\\t\n\r");

			buf_putn(b, p, plain);	/* a run with nothing to escape */
			if (!*(p += plain))
				break;
			buf_putc(b, '\\');
			buf_putc(b, *p == '\\' ? '\\' : *p == '\t' ? 't' :
			    *p == '\n' ? 'n' : 'r');
			p++;
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
static char *with_db(const struct pstate *st, const struct mstate *m,
    const char *known)
{
	char *text = known ? xstrdup(known) : mstate_text(m);
	char *table = mstate_table(m), *r;
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

/* The model states the fold has parsed for rendering, by key: most come
 * again unchanged around the next operation (vcache_get), and the
 * renderer only reads them. */
static struct vcache *parsed;

static void add_model(struct opctx *c, const char *key, const char *when,
    const char *text)
{
	char *err = NULL;
	long col;
	const struct value *v;

	if (!parsed)
		parsed = vcache_new();
	v = vcache_get(parsed, key, text, &err, &col);
	free(err);
	if (v)
		opctx_add_model(c, key, when)->state = (struct value *)v;
}

/* Is f a field call of a built-in class that makes a plain column of
 * its table: not a many-to-many field, and (when removed) not a column
 * another table's key may reference, which needs a primary key or a
 * unique constraint? */
static int plain_column(const struct value *f, int removed)
{
	const struct value *pk, *u;

	if (!f || f->kind != V_CALL || f->fn->kind != V_NAME ||
	    !strcmp(f->fn->s, "models.ManyToManyField") ||
	    !strcmp(f->fn->s, "models.OneToOneField") ||
	    (strncmp(f->fn->s, "models.", 7) && strncmp(f->fn->s,
	    "postgres.", 9)))
		return 0;
	pk = value_kwarg(f, "primary_key");
	u = value_kwarg(f, "unique");
	return !removed || ((!pk || pk->kind == V_FALSE) &&
	    (!u || u->kind == V_FALSE));
}

/* The field call named name in a model state, or NULL. */
static const struct value *state_field(const struct value *state,
    const char *name)
{
	const struct value *fs = state ? value_kwarg(state, "fields") : NULL;

	for (size_t i = 0; fs && i < fs->n; i++) {
		const struct value *t = fs->items[i];

		if ((t->kind == V_TUPLE || t->kind == V_LIST) && t->n == 2 &&
		    t->items[0]->kind == V_STR && !strcmp(t->items[0]->s, name))
			return t->items[1];
	}
	return NULL;
}

/* The key (app.model) of the one model whose table an operation that
 * failed to render could have changed, or NULL when it may change other
 * tables too (a key's re-creation, a CASCADE, a many-to-many table, raw
 * SQL): the operations that work on their model's table alone. */
static char *own_table_key(const struct opctx *c, const struct value *op,
    const char *app)
{
	static const char *const own[] = { "AddIndex", "AddIndexConcurrently",
	    "RemoveIndex", "RemoveIndexConcurrently", "RenameIndex",
	    "AddConstraint", "AddConstraintNotValid", "RemoveConstraint",
	    "AlterConstraint", "ValidateConstraint", "AlterUniqueTogether",
	    "AlterIndexTogether", "AddField", "RemoveField", "CreateModel",
	    NULL };
	const struct value *m = value_kwarg(op, "model_name"), *f, *n;
	const char *cls = op->kind == V_CALL && op->fn->kind == V_NAME ?
	    op->fn->s : "";
	int found = 0;
	char *key;

	for (size_t i = 0; own[i]; i++)
		found |= !strcmp(cls, own[i]);
	if (!m)
		m = value_kwarg(op, "name");
	if (!found || !m || m->kind != V_STR)
		return NULL;
	key = xasprintf("%s.%s", app, m->s);
	for (char *p = key; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	/* a field's column of its own table, as plain_column says */
	f = NULL;
	if (!strcmp(cls, "AddField"))
		f = value_kwarg(op, "field");
	else if (!strcmp(cls, "RemoveField") && (n = value_kwarg(op, "name")) &&
	    n->kind == V_STR)
		for (size_t i = 0; i < c->nmodels && !f; i++)
			if (!strcmp(c->models[i].key, key) &&
			    strcmp(c->models[i].when, "after"))
				f = state_field(c->models[i].state, n->s);
	if ((!strcmp(cls, "AddField") || !strcmp(cls, "RemoveField")) &&
	    !plain_column(f, cls[0] == 'R')) {
		free(key);
		return NULL;
	}
	/* CreateModel: its table alone, without many-to-many tables */
	f = !strcmp(cls, "CreateModel") ? value_kwarg(op, "fields") : NULL;
	for (size_t i = 0; f && i < f->n; i++)
		if ((f->items[i]->kind != V_TUPLE && f->items[i]->kind != V_LIST) ||
		    f->items[i]->n != 2 || !plain_column(f->items[i]->items[1], 0)) {
			free(key);
			return NULL;
		}
	return key;
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
		char *own = own_table_key(&c, op, at->app);

		r->done = r->mc.n;
		for (size_t i = 0; i < c.nmodels; i++)
			if (!own || !strcmp(c.models[i].key, own))
				queue(r, xasprintf("\1%s",
				    model_table(c.models[i].state)));
		free(own);
	}
	run_feed(r);
	for (size_t i = 0; i < c.nmodels; i++)
		c.models[i].state = NULL;	/* lent by parsed */
	opctx_free_models(&c);
	if (parsed)
		vcache_next(parsed);
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

		t[i] = m ? with_db(st, m, known_text(st, m, ks->k[i])) : NULL;
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

/* One operation: apply it to st, write its op and model records to b
 * (NULL: none). */
static int one_op(struct pstate *st, const struct value *op,
    const struct opref *at, int back, struct buf *b, struct dbrun *r)
{
	struct keys ks = {0};
	struct value *mapped = state_map_op(st, op);
	char **before, **after, *call = b ? value_text(mapped) : NULL;
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
	idx_stale(st, &ks, value_kwarg(op, "state_operations") != NULL);
	if (rc == 0) {
		size_t nb = ks.n;

		related(st, &ks);
		after = texts(st, &ks);
		before = xrealloc(before, (ks.n + 1) * sizeof *before);
		for (size_t i = nb; i < ks.n; i++)	/* untouched by op */
			before[i] = after[i] ? xstrdup(after[i]) : NULL;
		if (b) {
			rec(b, f, 6);
			model_records(b, at, &ks, before, after);
		}
		if (r)
			run_op(r, mapped, at, &ks, before, after, ext ? (had ?
			    "present" : "absent") : NULL);
		if (ext && b) {
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
		idx_reset();
		return rc;
	}
	parts = xcalloc(n + 1, sizeof *parts);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *idx = xasprintf("%s.%zu", at->index, i + 1);
		struct opref sub = *at;

		sub.index = idx;
		rc = one_op(&chain, db->items[i], &sub, back, b ? &parts[i] : NULL,
		    r);
		free(idx);
	}
	for (size_t i = 0; i < n; i++) {
		struct buf *p = &parts[back ? n - 1 - i : i];

		if (b && p->len)
			buf_putn(b, p->s, p->len);
		buf_free(p);
	}
	free(parts);
	chain.cat = NULL;
	pstate_free(&chain);
	idx_reset();	/* the next chain may have chain's address */
	return rc;
}

/* All of a migration's operations, in execution order, their records
 * appended to out (NULL: folded and rendered for the catalog only). */
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
			rc = separate(st, m->ops[i], &at, back, out ? &ops[i] :
			    NULL, r);
		else
			rc = one_op(st, m->ops[i], &at, back, out ? &ops[i] : NULL,
			    r);
	}
	for (size_t i = 0; i < m->nops; i++) {
		struct buf *p = &ops[back ? m->nops - 1 - i : i];

		if (rc == 0 && out && p->len)
			buf_putn(out, p->s, p->len);
		buf_free(p);
	}
	free(ops);
	if (r)
		run_end(r, st);
	return rc;
}

/* The same, writing nothing (out NULL: no records are made). */
static int fold_silently(struct pstate *st, const struct migration *m)
{
	return migration_ops(st, m, 0, NULL);
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

/* What the fold kept to go faster: the index of models, parsed states. */
static void fold_forget(void)
{
	idx_reset();
	vcache_free(parsed);
	parsed = NULL;
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

		progress_step(st->progress, i + 1, nfull, m->app, m->name);
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
	fold_forget();
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
	for (size_t i = 0; i < nfull && rc == 0; i++) {
		const struct migration *m = mig_of(g, full[i].node);

		progress_step(st->progress, i + 1, nfull, m->app, m->name);
		if (pos[full[i].node] || g->nodes[full[i].node].applied)
			rc = fold_silently(st, m);
	}
	for (size_t i = 0; i < st->n && rc == 0; i++) {
		char *t = mstate_text(&st->m[i]), *lname = name_lower(st->m[i].name);
		const char *f[] = { "modelstate", st->m[i].app, lname, t };

		stream_write(out, f, 4);
		free(t);
		free(lname);
	}
	free(pos);
	free(full);
	fold_forget();
	return rc ? EXIT_BADINPUT : 0;
}
