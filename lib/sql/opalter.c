/* opalter.c: AlterField and RenameField, as Django's schema editor
 * alter_field() and the PostgreSQL backend's _alter_field() run them, and
 * the model-level alterations (AlterModelTable, RenameModel, the together
 * options, RenameIndex, table comments). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlint.h"

/* --- comparing fields -------------------------------------------------------- */

/* Field.non_db_attrs: attributes that do not change the schema. */
static int non_db(const char *k, int comment_too)
{
	static const char *const attrs[] = { "blank", "choices", "db_column",
	    "editable", "error_messages", "help_text", "limit_choices_to",
	    "on_delete", "related_name", "related_query_name", "validators",
	    "verbose_name", NULL };

	if (comment_too && !strcmp(k, "db_comment"))
		return 1;
	for (int i = 0; attrs[i]; i++)
		if (!strcmp(k, attrs[i]))
			return 1;
	return 0;
}

/* Two to= model labels as a relation's deconstruct() writes them
 * ("%s.%s" % (app_label, model_name.lower())): the model's name compares
 * without case, the app's label as it is. */
static int same_label(const char *a, const char *b)
{
	const char *da = strrchr(a, '.'), *db = strrchr(b, '.');
	size_t na = da ? (size_t)(da - a) : 0, nb = db ? (size_t)(db - b) : 0;

	if (na != nb || strncmp(a, b, na))
		return 0;
	return name_same(da ? da + 1 : a, db ? db + 1 : b);
}

/* Every schema-relevant keyword of a is in b with the same value (but
 * to= when skip_to). */
static int kwargs_within(const struct value *a, const struct value *b,
    int comment_too, int skip_to)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct value *o;
		char *x, *y;
		int same;

		if (!a->names[i] || non_db(a->names[i], comment_too) ||
		    (skip_to && !strcmp(a->names[i], "to")))
			continue;
		if (!(o = kw(b, a->names[i])))
			return 0;
		if (!strcmp(a->names[i], "to") && a->items[i]->kind == V_STR &&
		    o->kind == V_STR) {
			if (!same_label(a->items[i]->s, o->s))
				return 0;
			continue;
		}
		x = value_text(a->items[i]);
		y = value_text(o);
		same = !strcmp(x, y);
		free(x);
		free(y);
		if (!same)
			return 0;
	}
	return 1;
}

static int is_auto(const struct field *f)
{
	return is_cls(f, "models.AutoField") || is_cls(f, "models.BigAutoField") ||
	    is_cls(f, "models.SmallAutoField");
}

static int is_varchar_family(const char *t)
{
	return t && !strncmp(t, "varchar", 7);
}

/* _field_data_type: the class's type template, or the target's type for
 * a relation. */
static char *data_type(struct opctx *c, const struct field *f, int after)
{
	char *t = internal_db_type(c, f, after);

	if (!t || is_fk(f) || strchr(t, '['))
		return t;
	if (is_varchar_family(t)) {
		free(t);
		/* CharField's entry in data_types is a function (varchar
		 * with or without a length), equal to no template string */
		if (is_cls(f, "models.CharField") || is_cls(f,
		    "models.EmailField") || is_cls(f, "models.URLField") ||
		    is_cls(f, "models.CommaSeparatedIntegerField"))
			return xstrdup("_get_varchar_column");
		return xstrdup("varchar(%(max_length)s)");
	}
	if (!strncmp(t, "numeric", 7)) {
		free(t);
		return xstrdup("numeric(%(max_digits)s, %(decimal_places)s)");
	}
	return t;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* _using_sql: " USING col::type" when the data type changes. */
static int needs_using(struct opctx *c, const struct field *o, int oa,
    const struct field *n, int na, int *using)
{
	char *x, *y;

	if (is_cls(o, "postgres.fields.ArrayField") &&
	    is_cls(n, "postgres.fields.ArrayField")) {
		const struct value *ob = kw(o->call, "base_field"),
		    *nb = kw(n->call, "base_field");
		struct field bo = { o->name, ob, ob && ob->kind == V_CALL ?
		    ob->fn->s : "" }, bn = { n->name, nb, nb && nb->kind ==
		    V_CALL ? nb->fn->s : "" };

		if (!ob || !nb)
			return render_error(c, "field %s: array without base_field",
			    n->name);
		return needs_using(c, &bo, oa, &bn, na, using);
	}
	if (!(x = data_type(c, o, oa)))
		return -1;
	if (!(y = data_type(c, n, na))) {
		free(x);
		return -1;
	}
	*using = strcmp(x, y) != 0;
	free(x);
	free(y);
	return 0;
}

/* --- the alteration ---------------------------------------------------------- */

struct alt {
	struct opctx *c;
	const struct value *state;	/* the model, before the alteration */
	struct field o, n;
	int oa, na;			/* which states o and n live in */
	const struct value *ndefault;	/* the field whose default applies */
	const char *table;
	char *ocol, *ncol, *otype, *ntype;
	const char *ocoll, *ncoll;
	char **post;			/* statements after the ALTER */
	size_t npost;
	int rewrite;			/* the type change rewrites the table */
	const struct value *nstate;	/* the model, after */
	const struct value *dbstate;	/* the table introspection reads (db=):
					   the model's, or the renamed one's */
	struct value **made;		/* through-table states, freed at the end */
	size_t nmade;
};

/* Two relations, the new one not many-to-many, whose models have one
 * table (a model and its proxy, say): their to= does not count. */
static int same_remote_table(struct opctx *c, const struct field *o, int oa,
    const struct field *n, int na)
{
	const char *ot = kstr(o->call, "to"), *nt = kstr(n->call, "to");
	const struct value *om, *nm;

	if (!ot || !nt || is_m2m(n) || !(is_fk(o) || is_m2m(o)) || !is_fk(n))
		return 0;
	om = related_model(c, ot, oa);
	nm = related_model(c, nt, na);
	return om && nm && !strcmp(model_table(om), model_table(nm));
}

/* Django's _field_should_be_altered. */
static int should_alter(struct alt *a, int comment_too)
{
	const struct field *o = &a->o, *n = &a->n;
	char *oc = column(o), *nc = column(n);
	int col = strcmp(oc, nc) != 0, skip_to;

	free(oc);
	free(nc);
	if (col || strcmp(o->cls, n->cls))
		return 1;
	for (size_t i = 0; i < o->call->n; i++)
		if (!o->call->names[i])
			return 1;	/* positional arguments: compare all */
	skip_to = same_remote_table(a->c, o, a->oa, n, a->na);
	return !kwargs_within(o->call, n->call, comment_too, skip_to) ||
	    !kwargs_within(n->call, o->call, comment_too, skip_to);
}

static void post(struct alt *a, char *sql)
{
	a->post = xrealloc(a->post, (a->npost + 1) * sizeof *a->post);
	a->post[a->npost++] = sql;
}

/* _get_sequence_name(table, column): the sequence of the column as the
 * catalog (db=) has it when the migration starts, named when it was made
 * (a table or column renamed since keeps it); NULL for none. */
static int sequence_name(struct alt *a, const char *col, char **out)
{
	const char *cols[1] = { col };
	char **names;
	size_t k;

	*out = NULL;
	if (db_names(a->c, a->dbstate ? a->dbstate : a->state, "|seq|", cols,
	    1, NULL, &names, &k) < 0)
		return -1;
	if (k)
		*out = xstrdup(names[0]);
	free_names(names, k);
	return 0;
}

/* ALTER SEQUENCE of an identity column whose integer type changes, or
 * DROP SEQUENCE of one that stops being an identity (drop 1). */
static int identity_sequence(struct alt *a, const char *col,
    const char *type, int drop)
{
	char *seq;
	struct buf b = {0};

	if (sequence_name(a, col, &seq) < 0)
		return -1;
	if (!seq)
		return 0;
	if (drop) {
		buf_puts(&b, "DROP SEQUENCE IF EXISTS ");
		qn(&b, seq);
		buf_puts(&b, " CASCADE");
	} else {
		buf_puts(&b, "ALTER SEQUENCE IF EXISTS ");
		qn(&b, seq);
		buf_printf(&b, " AS %s", type);
	}
	post(a, b.s);
	free(seq);
	return 0;
}

/* Does ALTER COLUMN ... TYPE from otype to ntype rewrite the table?
 * PostgreSQL keeps the rows when the new type only widens the old:
 * varchar(n) to varchar(m >= n), varchar or text; numeric(p, s) to
 * numeric(q >= p, s) or numeric. */
static int rewrites(const char *otype, const char *ntype)
{
	long n, m, p, s, q, t;

	if (!strcmp(otype, ntype))
		return 0;
	if (!strncmp(otype, "varchar", 7) && (!strcmp(ntype, "text") ||
	    !strcmp(ntype, "varchar")))
		return 0;
	if (!strcmp(otype, "text") && !strcmp(ntype, "varchar"))
		return 0;
	if (sscanf(otype, "varchar(%ld)", &n) == 1 &&
	    sscanf(ntype, "varchar(%ld)", &m) == 1)
		return m < n;
	if (!strncmp(otype, "numeric", 7) && !strcmp(ntype, "numeric"))
		return 0;
	if (sscanf(otype, "numeric(%ld, %ld)", &p, &s) == 2 &&
	    sscanf(ntype, "numeric(%ld, %ld)", &q, &t) == 2)
		return !(t == s && q >= p);
	return 1;
}

/* The type change of one column: its fragment for ALTER TABLE, and the
 * statements it runs before (the _like index of a text column changing
 * type, an identity dropped) and after (identity added, comment). */
static char *type_fragment(struct alt *a, const char *table,
    const struct field *o, const struct field *n, const char *ntype,
    const char *ncoll)
{
	struct opctx *c = a->c;
	char *otype = db_type(c, o, a->oa), *ocol = column(o), *ncol = column(n);
	struct buf f = {0};
	int using = 0;

	if (!otype || needs_using(c, o, a->oa, n, a->na, &using) < 0) {
		free(otype);
		free(ocol);
		free(ncol);
		return NULL;
	}
	if ((is_indexed(o) || is_unique(o)) &&
	    ((!strncmp(otype, "varchar", 7) && strncmp(ntype, "varchar", 7)) ||
	    (!strncmp(otype, "text", 4) && strncmp(ntype, "text", 4)) ||
	    (!strncmp(otype, "citext", 6) && strncmp(ntype, "citext", 6))))
		drop_like(c, table, ocol);
	a->rewrite = rewrites(otype, ntype);
	buf_puts(&f, "ALTER COLUMN ");
	qn(&f, ncol);
	buf_printf(&f, " TYPE %s", ntype);
	if (ncoll && !(is_auto(n) && !is_auto(o))) {
		buf_puts(&f, " COLLATE ");
		qn(&f, ncoll);
	}
	if (using) {
		buf_puts(&f, " USING ");
		qn(&f, ncol);
		buf_printf(&f, "::%s", ntype);
	}
	if (is_auto(n) && !is_auto(o)) {
		struct buf p = {0};

		buf_puts(&p, "ALTER TABLE ");
		qn(&p, table);
		buf_puts(&p, " ALTER COLUMN ");
		qn(&p, ncol);
		buf_puts(&p, " ADD GENERATED BY DEFAULT AS IDENTITY");
		post(a, p.s);
	} else if (is_auto(o) && !is_auto(n)) {
		struct buf p = {0};

		buf_puts(&p, "ALTER COLUMN ");
		qn(&p, ncol);
		buf_puts(&p, " DROP IDENTITY IF EXISTS");
		alter_table(c, table, p.s);
		buf_free(&p);
		if (identity_sequence(a, ncol, ntype, 1) < 0) {
			free(otype);
			free(ocol);
			free(ncol);
			free(f.s);
			return NULL;
		}
	} else if (is_auto(o) && is_auto(n) && strcmp(o->cls, n->cls)) {
		if (identity_sequence(a, ncol, ntype, 0) < 0) {
			free(otype);
			free(ocol);
			free(ncol);
			free(f.s);
			return NULL;
		}
	} else if (!(is_auto(o) && is_auto(n)) && !same_str(kstr(o->call,
	    "db_comment"), kstr(n->call, "db_comment"))) {
		struct buf p = {0};

		column_comment(&p, table, ncol, kstr(n->call, "db_comment") ?
		    kstr(n->call, "db_comment") : "");
		post(a, p.s);
	}
	free(otype);
	free(ocol);
	free(ncol);
	return f.s;
}

/* Django compares the old and new defaults as the driver adapts them,
 * and a JSON adapter equals no other. */
static int is_json(const struct field *f)
{
	return is_cls(f, "models.JSONField") || is_cls(f, "postgres.fields.JSONField");
}

/* The effective default of the new field, rendered; NULL for none. */
static char *new_default(struct alt *a, const struct field *f, int *vol,
    int *err)
{
	char *e = NULL, *s = sql_effective_default(f->call, vol, &e);

	*err = 0;
	if (e) {
		render_error(a->c, "field %s: default: %s", f->name, e);
		free(e);
		*err = 1;
	}
	return s;
}

/* Django's "has_default()": a default given, None included. */
static int has_default(const struct value *call)
{
	return kw(call, "default") != NULL;
}

/* Other models' foreign keys that point at the altered field. */
struct rel {
	const struct value *ostate, *nstate;
	struct field of, nf;
	int through;		/* of an auto-created m2m table: no db= */
};

static int points_here(const struct alt *a, const struct field *f,
    const char *label, const struct field *target)
{
	const char *to = kstr(f->call, "to"), *tf = kstr(f->call, "to_field");

	if (!is_fk(f) || !to || !name_same(to, label))
		return 0;
	(void)a;
	return tf ? !strcmp(tf, target->name) : is_pk(target);
}

static char *label_of(const struct value *state)
{
	char *n = name_lower(kstr(state, "name"));
	char *l = xasprintf("%s.%s", kstr(state, "app_label"), n);

	free(n);
	return l;
}

static const struct value *state_of(const struct opctx *c, size_t i,
    int after)
{
	const struct opmodel *m = &c->models[i];

	if (!strcmp(m->when, "both") || !strcmp(m->when, after ? "after" :
	    "before"))
		return m->state;
	return NULL;
}

/* The state of model record i's key on the other side of the operation
 * (the same record when it holds for both). */
static const struct value *paired(const struct opctx *c, size_t i, int after)
{
	const struct value *v = state_of(c, i, after);

	for (size_t j = 0; !v && j < c->nmodels; j++)
		if (!strcmp(c->models[j].key, c->models[i].key))
			v = state_of(c, j, after);
	return v;
}

static size_t relations(struct alt *a, struct rel **out, size_t have)
{
	const struct opctx *c = a->c;
	char *label = label_of(a->state);
	size_t n = have;

	for (size_t i = 0; i < c->nmodels; i++) {
		const struct value *os = state_of(c, i, a->oa),
		    *ns = state_of(c, i, a->na);

		if (!os || !ns)
			continue;
		for (size_t j = 0; j < nfields(os); j++) {
			struct field of = field_at(os, j), nf;

			if (!points_here(a, &of, label, &a->o) ||
			    field_named(ns, of.name, &nf) < 0)
				continue;
			*out = xrealloc(*out, (n + 1) * sizeof **out);
			(*out)[n++] = (struct rel){ os, ns, of, nf, 0 };
		}
	}
	free(label);
	return n - have;
}


static int points_at(const struct field *f, const char *label)
{
	const char *to = kstr(f->call, "to");

	return to && name_same(to, label);
}

static void push_rel(struct rel **out, size_t *n, struct rel r)
{
	*out = xrealloc(*out, (*n + 1) * sizeof **out);
	(*out)[(*n)++] = r;
}

/* The keys of the auto-created table of os's many-to-many field f (ns's
 * nf after) that point at the model labelled label: the key to its owner
 * (field 1) when the owner is that model, the key to the other side
 * (field 2) when that side is; both for a field to its own model. */
static int through_keys(struct alt *a, const struct value *os,
    const struct field *f, const struct value *ns, const char *label,
    struct rel **out, size_t *n)
{
	struct value *ot, *nt = NULL;
	struct field nf;
	char *err = NULL, *owner = label_of(os);
	int own = !strcmp(owner, label);

	free(owner);
	if (field_named(ns, f->name, &nf) < 0)
		return render_error(a->c, "no field %s in the state", f->name);
	if (!(ot = through_state(a->c, os, f, &err)) ||
	    !(nt = through_state(a->c, ns, &nf, &err))) {
		value_free(ot);
		render_error(a->c, "field %s: %s", f->name, err);
		free(err);
		return -1;
	}
	a->made = xrealloc(a->made, (a->nmade + 2) * sizeof *a->made);
	a->made[a->nmade++] = ot;
	a->made[a->nmade++] = nt;
	for (size_t k = 1; k <= 2; k++) {
		struct field tf = field_at(ot, k);

		if (k == 1 ? !own : !points_at(&tf, label))
			continue;
		push_rel(out, n, (struct rel){ ot, nt, tf, field_at(nt, k), 0 });
	}
	return 0;
}

/* _related_non_m2m_objects(old_field, new_field): the keys that point
 * at the field target of the model os, in a fixed order:
 * for a primary key, the keys of the auto-created many-to-many tables
 * (the model's own fields first); then the other models' foreign keys,
 * in the order of their records, each followed, as Django recurses, by
 * the keys that point at it when it is itself a primary key or unique.
 * Django's order follows its app registry, which the history of
 * re-rendered models orders. */
static int collect_rels(struct alt *a, const struct value *os,
    const struct field *target, struct rel **out, size_t *n, int depth)
{
	const struct opctx *c = a->c;
	char *label = label_of(os);
	int rc = 0;

	if (depth > 32) {
		free(label);
		return render_error(a->c, "foreign keys point at each other in a "
		    "cycle of primary keys");
	}
	for (int pass = 0; is_pk(target) && pass < 2 && rc == 0; pass++)
		for (size_t i = 0; i < c->nmodels && rc == 0; i++) {
			const struct value *ros = state_of(c, i, a->oa), *rns;
			char *owner;
			int own;

			if (!ros || !(rns = paired(c, i, a->na)))
				continue;
			owner = label_of(ros);
			own = !strcmp(owner, label);
			free(owner);
			if (own != !pass)
				continue;
			for (size_t j = 0; j < nfields(ros) && rc == 0; j++) {
				struct field f = field_at(ros, j);

				if (!is_m2m(&f) || kstr(f.call, "through") ||
				    (!own && !points_at(&f, label)))
					continue;
				rc = through_keys(a, ros, &f, rns, label, out, n);
			}
		}
	for (size_t i = 0; i < c->nmodels && rc == 0; i++) {
		const struct value *ros = state_of(c, i, a->oa), *rns;

		if (!ros || !(rns = paired(c, i, a->na)))
			continue;
		for (size_t j = 0; j < nfields(ros) && rc == 0; j++) {
			struct field of = field_at(ros, j), nf;

			if (!points_here(a, &of, label, target) ||
			    field_named(rns, of.name, &nf) < 0)
				continue;
			push_rel(out, n, (struct rel){ ros, rns, of, nf, 0 });
			if (is_pk(&of) || is_unique(&of))
				rc = collect_rels(a, ros, &of, out, n, depth + 1);
		}
	}
	free(label);
	return rc;
}

static int drop_rel_fks(struct alt *a, const struct rel *r, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		char *col = column(&r[i].nf), **names;
		const char *cols[1] = { col };
		size_t k;

		if (r[i].through) {	/* named when the table was made */
			const struct value *m;
			char *tcol, *name = fk_name(a->c, model_table(r[i].ostate),
			    &r[i].of, a->oa, &m, &tcol);

			free(col);
			if (!name)
				return -1;
			drop_fk(a->c, model_table(r[i].ostate), name);
			free(name);
			free(tcol);
			continue;
		}
		if (db_names(a->c, r[i].ostate, "|fk|", cols, 1, NULL, &names,
		    &k) < 0) {
			free(col);
			return -1;
		}
		for (size_t j = 0; j < k; j++)
			drop_fk(a->c, model_table(r[i].ostate), names[j]);
		free_names(names, k);
		free(col);
	}
	return 0;
}

/* Steps 1-6 of _alter_field: what goes before the column changes. */
static int drops(struct alt *a, int *fks_dropped, struct rel **rels,
    size_t *nrels, int *drop_fks)
{
	struct opctx *c = a->c;
	const char *cols[1] = { a->ocol };
	char **names;
	size_t k;

	*fks_dropped = 0;
	if (has_fk(&a->o) && should_alter(a, 1)) {
		if (db_names(c, a->dbstate, "|fk|", cols, 1, NULL, &names, &k) < 0)
			return -1;
		for (size_t i = 0; i < k; i++)
			drop_fk(c, a->table, names[i]);
		*fks_dropped = k > 0;
		free_names(names, k);
	}
	if (is_unique(&a->o) && (!is_unique(&a->n) || (!is_pk(&a->o) &&
	    is_pk(&a->n)))) {
		if (db_names(c, a->dbstate, "|unique|uindex|", cols, 1,
		    "constraints", &names, &k) < 0)
			return -1;
		for (size_t i = 0; i < k; i++)
			drop_constraint(c, a->table, names[i]);
		free_names(names, k);
	}
	*drop_fks = ((is_pk(&a->o) && is_pk(&a->n)) || (is_unique(&a->o) &&
	    is_unique(&a->n))) && (strcmp(a->otype, a->ntype) ||
	    !same_str(a->ocoll, a->ncoll));
	*nrels = 0;
	*rels = NULL;
	if (*drop_fks) {
		if (collect_rels(a, a->state, &a->o, rels, nrels, 0) < 0)
			return -1;
		if (drop_rel_fks(a, *rels, *nrels) < 0)
			return -1;
	}
	if (is_indexed(&a->o) && !is_unique(&a->o) && (!is_indexed(&a->n) ||
	    is_unique(&a->n))) {
		if (db_names(c, a->dbstate, "|index|uindex|", cols, 1, "indexes",
		    &names, &k) < 0)
			return -1;
		for (size_t i = 0; i < k; i++)
			drop_index(c, names[i], 0);
		free_names(names, k);
	}
	if (has_check(&a->o) && !has_check(&a->n)) {
		if (db_names(c, a->dbstate, "|check|", cols, 1, "constraints",
		    &names, &k) < 0)
			return -1;
		for (size_t i = 0; i < k; i++)
			drop_constraint(c, a->table, names[i]);
		free_names(names, k);
	}
	return 0;
}

/* Django renders its deferred statements late, so a table or column
 * renamed in the same migration changes their names; migsql refuses
 * rather than write the old ones. */
static int deferred_mentions(struct opctx *c, const char *table,
    const char *col)
{
	struct buf t = {0}, k = {0};
	int hit = 0;

	qn(&t, table);
	if (col)
		qn(&k, col);
	for (size_t i = 0; i < c->mig->ndeferred && !hit; i++)
		hit = strstr(c->mig->deferred[i], t.s) && (!col ||
		    strstr(c->mig->deferred[i], k.s));
	buf_free(&t);
	buf_free(&k);
	if (hit)
		return render_error(c, "renaming %s%s%s, which statements deferred "
		    "earlier in this migration name, is not rendered yet", table,
		    col ? "." : "", col ? col : "");
	return 0;
}

static int rename_column(struct alt *a)
{
	struct buf b = {0};

	if (!strcmp(a->ocol, a->ncol))
		return 0;
	if (deferred_mentions(a->c, a->table, a->ocol) < 0)
		return -1;
	buf_puts(&b, "RENAME COLUMN ");
	qn(&b, a->ocol);
	buf_puts(&b, " TO ");
	qn(&b, a->ncol);
	alter_table(a->c, a->table, b.s);
	buf_free(&b);
	return 0;
}

struct actions {
	char **v;
	size_t n;
};

static void act(struct actions *x, char *s)
{
	x->v = xrealloc(x->v, (x->n + 1) * sizeof *x->v);
	x->v[x->n++] = s;
}

static void emit_actions(struct alt *a, struct actions *x)
{
	struct buf b = {0};

	if (!x->n)
		return;
	for (size_t i = 0; i < x->n; i++) {
		buf_puts(&b, i ? ", " : "");
		buf_puts(&b, x->v[i]);
	}
	alter_table(a->c, a->table, b.s);
	buf_free(&b);
}

static void free_actions(struct actions *x)
{
	free_cols(x->v, x->n);
	x->v = NULL;
	x->n = 0;
}

static char *col_action(const char *col, const char *what)
{
	struct buf b = {0};

	buf_puts(&b, "ALTER COLUMN ");
	qn(&b, col);
	buf_printf(&b, " %s", what);
	return b.s;
}

/* The column's database default (db_default) set, changed or dropped. */
static int db_default_action(struct alt *a, struct actions *x)
{
	const struct value *o = kw(a->o.call, "db_default"),
	    *n = kw(a->n.call, "db_default");
	char *ot, *nt, *sql, *s;
	int same;

	if (!n) {
		if (o)
			act(x, col_action(a->ncol, "DROP DEFAULT"));
		return 0;
	}
	if (o) {
		ot = value_text(o);
		nt = value_text(n);
		same = !strcmp(ot, nt);
		free(ot);
		free(nt);
		if (same)
			return 0;
	}
	if (!(sql = db_default_sql(a->c, a->state, &a->n)))
		return -1;
	s = xasprintf("SET DEFAULT %s", sql);
	act(x, col_action(a->ncol, s));
	free(s);
	free(sql);
	return 0;
}

/* Steps 7-9: the column's type, default and nullability. */
static int column_changes(struct alt *a, int *needs_default)
{
	struct opctx *c = a->c;
	struct actions acts = {0}, nulls = {0};
	int four_way, vol = 0, err = 0;

	*needs_default = 0;
	if (rename_column(a) < 0)
		return -1;
	if (strcmp(a->otype, a->ntype) || strcmp(type_suffix(&a->o),
	    type_suffix(&a->n)) || !same_str(a->ocoll, a->ncoll) ||
	    !same_str(kstr(a->o.call, "db_comment"), kstr(a->n.call,
	    "db_comment"))) {
		char *f = type_fragment(a, a->table, &a->o, &a->n, a->ntype,
		    a->ncoll);

		if (!f)
			return -1;
		act(&acts, f);
	}
	if (db_default_action(a, &acts) < 0)
		return free_actions(&acts), -1;
	if (is_null(&a->o) && !is_null(&a->n) && !kw(a->n.call, "db_default")) {
		char *od = NULL, *nd;
		struct field d = a->n;

		d.call = a->ndefault;
		if (!(nd = new_default(a, &d, &vol, &err)) && err)
			return free_actions(&acts), -1;
		if (nd) {
			int ovol;

			od = new_default(a, &a->o, &ovol, &err);
			if (err) {
				free(nd);
				return free_actions(&acts), -1;
			}
			if (vol || !od || strcmp(od, nd) || is_json(&a->n)) {
				char *s = xasprintf("SET DEFAULT %s", nd);

				*needs_default = 1;
				act(&acts, col_action(a->ncol, s));
				free(s);
			}
		}
		free(od);
		free(nd);
	}
	if (is_null(&a->o) != is_null(&a->n))
		act(&nulls, col_action(a->ncol, is_null(&a->n) ? "DROP NOT NULL" :
		    "SET NOT NULL"));
	four_way = (has_default(a->ndefault) || kw(a->n.call, "db_default")) && is_null(&a->o) &&
	    !is_null(&a->n);
	if (acts.n || nulls.n) {
		if (!four_way) {
			for (size_t i = 0; i < nulls.n; i++)
				act(&acts, nulls.v[i]);
			free(nulls.v);
			nulls.v = NULL;
			nulls.n = 0;
		}
		emit_actions(a, &acts);
		if (a->rewrite)
			mark_stmt(c, STMT_REWRITE);
		if (four_way) {
			struct field d = a->n;
			struct buf b = {0};
			char *nd;

			d.call = a->ndefault;
			nd = kw(a->n.call, "db_default") ? db_default_sql(c, a->state,
			    &a->n) : new_default(a, &d, &vol, &err);
			if (!nd && (err || kw(a->n.call, "db_default"))) {
				free_actions(&acts);
				free_actions(&nulls);
				return -1;
			}
			buf_puts(&b, "UPDATE ");
			qn(&b, a->table);
			buf_puts(&b, " SET ");
			qn(&b, a->ncol);
			buf_printf(&b, " = %s WHERE ", nd ? nd : "NULL");
			qn(&b, a->ncol);
			buf_puts(&b, " IS NULL; SET CONSTRAINTS ALL IMMEDIATE");
			emit(c, b.s);
			buf_free(&b);
			free(nd);
			for (size_t i = 0; i < nulls.n; i++)
				alter_table(c, a->table, nulls.v[i]);
		}
	}
	free_actions(&acts);
	free_actions(&nulls);
	for (size_t i = 0; i < a->npost; i++)
		emit(c, a->post[i]);
	return 0;
}

static int retype_rels(struct alt *a, struct rel *r, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		char *t = db_type(a->c, &r[i].nf, a->na), *f;
		struct buf b = {0};
		size_t np = a->npost;

		if (!t)
			return -1;
		f = type_fragment(a, model_table(r[i].nstate), &r[i].of, &r[i].nf,
		    t, collation(a->c, &r[i].nf, a->na));
		free(t);
		if (!f)
			return -1;
		buf_puts(&b, "ALTER TABLE ");
		qn(&b, model_table(r[i].nstate));
		buf_printf(&b, " %s", f);
		emit(a->c, b.s);
		if (a->rewrite)
			mark_stmt(a->c, STMT_REWRITE);
		buf_free(&b);
		free(f);
		for (size_t j = np; j < a->npost; j++)
			emit(a->c, a->post[j]);
	}
	return 0;
}

static char *rel_fk_sql(struct alt *a, const struct rel *r)
{
	const struct value *m;
	struct field t;
	char *col = column(&r->nf), *tcol, *name;
	const char *cols[1] = { col };
	char *sql;

	if (target(a->c, &r->nf, a->na, &m, &t) < 0) {
		free(col);
		return NULL;
	}
	tcol = column(&t);
	name = index_name(model_table(r->nstate), cols, 1, "_fk");
	sql = add_fk_sql(model_table(r->nstate), name, col, model_table(m), tcol);
	free(col);
	free(tcol);
	free(name);
	return sql;
}

/* Steps 10-17: keys, uniques, indexes and checks made anew. */
static int additions(struct alt *a, int fks_dropped, struct rel *rels,
    size_t nrels, int drop_fks, int needs_default)
{
	struct opctx *c = a->c;
	const char *cols[1] = { a->ncol };
	char **names, *sql;
	size_t k;

	if (is_pk(&a->o) && !is_pk(&a->n)) {
		if (db_names(c, a->dbstate, "|pk|", NULL, 0, NULL, &names, &k) < 0)
			return -1;
		for (size_t i = 0; i < k; i++)
			drop_constraint(c, a->table, names[i]);
		free_names(names, k);
	}
	if ((!is_unique(&a->o) && is_unique(&a->n)) || (is_pk(&a->o) &&
	    !is_pk(&a->n) && is_unique(&a->n))) {
		sql = unique_sql(a->table, cols, 1, NULL);
		emit(c, sql);
		free(sql);
	}
	if ((!is_indexed(&a->o) || is_unique(&a->o)) && is_indexed(&a->n) &&
	    !is_unique(&a->n)) {
		sql = create_index(a->table, cols, 1, NULL, "", NULL, NULL, 0);
		emit(c, sql);
		free(sql);
	}
	if (!is_pk(&a->o) && is_pk(&a->n)) {
		char *name = index_name(a->table, cols, 1, "_pk");
		struct buf b = {0};

		if (nrels == 0 && !drop_fks)
			nrels = relations(a, &rels, 0);
		buf_puts(&b, "ADD CONSTRAINT ");
		qn(&b, name);
		buf_puts(&b, " PRIMARY KEY (");
		qn(&b, a->ncol);
		buf_putc(&b, ')');
		alter_table(c, a->table, b.s);
		buf_free(&b);
		free(name);
	}
	if (retype_rels(a, rels, nrels) < 0)
		return -1;
	if (has_fk(&a->n) && (fks_dropped || !has_fk(&a->o))) {
		if (!(sql = fk_sql(c, a->table, &a->n, a->na)))
			return -1;
		emit(c, sql);
		free(sql);
	}
	for (size_t i = 0; drop_fks && i < nrels; i++) {
		if (!has_fk(&rels[i].nf))
			continue;
		if (!(sql = rel_fk_sql(a, &rels[i])))
			return -1;
		emit(c, sql);
		free(sql);
	}
	if (!has_check(&a->o) && has_check(&a->n)) {
		char *name = index_name(a->table, cols, 1, "_check");
		struct buf b = {0};

		buf_puts(&b, "ADD CONSTRAINT ");
		qn(&b, name);
		buf_printf(&b, " CHECK (\"%s\" >= 0)", a->ncol);
		alter_table(c, a->table, b.s);
		buf_free(&b);
		free(name);
	}
	if (needs_default) {
		char *s = col_action(a->ncol, "DROP DEFAULT");

		alter_table(c, a->table, s);
		free(s);
	}
	return 0;
}

/* The PostgreSQL backend's own step: the _like index. */
static int like_index(struct alt *a)
{
	struct opctx *c = a->c;
	char *sql;

	if (((!(is_indexed(&a->o) || is_unique(&a->o)) && is_indexed(&a->n)) ||
	    (!is_unique(&a->o) && is_unique(&a->n))) &&
	    (sql = like_index_sql(c, a->table, a->ncol, a->ntype, a->ncoll))) {
		emit(c, sql);
		free(sql);
	}
	if (is_unique(&a->o) && !(is_indexed(&a->n) || is_unique(&a->n)))
		drop_like(c, a->table, a->ocol);
	return 0;
}

static void alt_free(struct alt *a)
{
	for (size_t i = 0; i < a->nmade; i++)
		value_free(a->made[i]);
	free(a->made);
	free(a->ocol);
	free(a->ncol);
	free(a->otype);
	free(a->ntype);
	free_cols(a->post, a->npost);
}

static int auto_m2m(const struct field *f);
static int alter_m2m(struct opctx *c, const struct value *os,
    const struct field *of, const struct value *ns, const struct field *nf);

static int alter_field(struct alt *a)
{
	struct opctx *c = a->c;
	struct rel *rels = NULL;
	size_t nrels = 0;
	int fks_dropped, drop_fks, needs_default, rc = -1;

	if (!should_alter(a, 0))
		return 0;
	if (is_m2m(&a->o) || is_m2m(&a->n)) {
		if (auto_m2m(&a->o) && auto_m2m(&a->n))
			return alter_m2m(c, a->state, &a->o, a->nstate, &a->n);
		if (is_m2m(&a->o) && is_m2m(&a->n) && !auto_m2m(&a->o) &&
		    !auto_m2m(&a->n))
			return 0;	/* both through= models: a no-op */
		return render_error(c, "field %s: Django cannot alter a field "
		    "to or from a many-to-many field, or add or remove through=",
		    a->n.name);
	}
	if (is_cls(&a->o, "models.GeneratedField") ||
	    is_cls(&a->n, "models.GeneratedField"))
		return render_error(c, "field %s: Django refuses to alter a "
		    "generated field (remove it and add it anew)", a->n.name);
	if (!a->table)
		a->table = model_table(a->state);
	if (!a->dbstate)
		a->dbstate = a->state;
	a->ocol = column(&a->o);
	a->ncol = column(&a->n);
	if (!(a->otype = db_type(c, &a->o, a->oa)) ||
	    !(a->ntype = db_type(c, &a->n, a->na)))
		return -1;
	a->ocoll = collation(c, &a->o, a->oa);
	a->ncoll = collation(c, &a->n, a->na);
	if (drops(a, &fks_dropped, &rels, &nrels, &drop_fks) == 0 &&
	    column_changes(a, &needs_default) == 0 &&
	    additions(a, fks_dropped, rels, nrels, drop_fks,
	    needs_default) == 0)
		rc = like_index(a);
	free(rels);
	return rc;
}

/* AlterField and RenameField: the old field from the state the operation
 * starts from, the new one from the state it leads to. */
static int alter_op(struct opctx *c, const char *oname, const char *nname,
    int keep_default)
{
	int skip, oa = c->back, na = !c->back;
	const struct value *os = model(c, "model_name", oa, &skip), *ns;
	struct alt a = {0};
	int rc;

	if (!os || skip)
		return os ? 0 : -1;
	if (!(ns = model(c, "model_name", na, &skip)))
		return -1;
	if (field_named(os, oname, &a.o) < 0)
		return render_error(c, "no field %s in the state", oname);
	if (field_named(ns, nname, &a.n) < 0)
		return render_error(c, "no field %s in the state", nname);
	a.c = c;
	a.state = os;
	a.nstate = ns;
	a.oa = oa;
	a.na = na;
	/* preserve_default=False: the operation's default, forwards and
	 * backwards alike (database_backwards runs database_forwards) */
	a.ndefault = keep_default ? a.n.call : kw(c->op, "field");
	rc = alter_field(&a);
	alt_free(&a);
	return rc;
}

int render_alter_field(struct opctx *c)
{
	const struct value *p = kw(c->op, "preserve_default");
	const char *name = op_arg(c, "name") ? op_arg(c, "name") : "";

	return alter_op(c, name, name, !p || p->kind != V_FALSE);
}

int render_rename_field(struct opctx *c)
{
	const char *o = op_arg(c, "old_name") ? op_arg(c, "old_name") : "",
	    *n = op_arg(c, "new_name") ? op_arg(c, "new_name") : "";

	return c->back ? alter_op(c, n, o, 1) : alter_op(c, o, n, 1);
}

/* --- model-level operations -------------------------------------------------- */

/* The states an operation goes from and to, in the direction it runs;
 * 1 when the model is unmanaged (nothing to do), -1 reported. */
static int from_to(struct opctx *c, const char *key, const struct value **from,
    const struct value **to)
{
	int skip;

	if (!(*from = model(c, key, c->back, &skip)))
		return -1;
	if (skip)
		return 1;
	if (!(*to = model(c, key, !c->back, &skip)))
		return -1;
	return 0;
}

/* --- deferred statements across a table rename ------------------------------ */

/* Django keeps its deferred statements as parts and writes them at the
 * end of the migration, so a table renamed meanwhile shows in them with
 * its new name, and the names Django made from the table are made anew.
 * migsql keeps the text: it reads back the statements it wrote itself.
 * The quoted identifiers of a statement, in order. */
static size_t quoted(const char *s, char ***out)
{
	size_t n = 0;

	*out = NULL;
	for (const char *p = s; (p = strchr(p, '"')); ) {
		struct buf b = {0};

		for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
			if (*p == '"')
				p++;
			buf_putc(&b, *p);
		}
		if (*p)
			p++;
		buf_putn(&b, "", 0);
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = b.s;
	}
	return n;
}

/* The name Django gave, made anew from the new table names when it was
 * one Django made; NULL when it was given (it stays). */
static char *renamed_name(const char *name, const char *otab,
    const char *ntab, const char *const *cols, size_t ncols)
{
	static const char *const sfx[] = { "", "_like", "_uniq", "_idx", NULL };

	for (int i = 0; sfx[i]; i++) {
		char *x = index_name(otab, cols, ncols, sfx[i]);
		int same = !strcmp(x, name);
		free(x);
		if (same)
			return index_name(ntab, cols, ncols, sfx[i]);
	}
	return NULL;
}

/* One deferred statement, rewritten for old -> new; 0 when it is not one
 * of the forms migsql defers (then it stays, if it does not name old). */
static int rewrite_deferred(char **stmt, const char *old, const char *new)
{
	char **q, *name = NULL;
	size_t n = quoted(*stmt, &q), k;
	struct buf b = {0};
	int ok = 0;

	for (k = 0; k < n && strcmp(q[k], old); k++)
		;
	if (k == n) {		/* does not name the table */
		free_cols(q, n);
		return 1;
	}
	if (!strncmp(*stmt, "CREATE INDEX ", 13) && n >= 3 &&
	    !strcmp(q[1], old)) {
		/* CREATE INDEX "name" ON "table" [USING m] ("c" ops, ...) */
		const char *rest = strstr(*stmt, " ON ");

		name = renamed_name(q[0], old, new, (const char *const *)q + 2,
		    n - 2);
		buf_puts(&b, "CREATE INDEX ");
		qn(&b, name ? name : q[0]);
		buf_puts(&b, " ON ");
		qn(&b, new);
		/* the table's closing quote */
		rest = rest && rest[4] == '"' ? strchr(rest + 5, '"') : NULL;
		if (rest) {
			buf_puts(&b, rest + 1);
			ok = 1;
		}
	} else if (!strncmp(*stmt, "ALTER TABLE ", 12) && n == 5 &&
	    strstr(*stmt, " FOREIGN KEY (")) {
		/* ALTER TABLE "t" ADD CONSTRAINT "n" FOREIGN KEY ("c")
		 * REFERENCES "to" ("tc") DEFERRABLE INITIALLY DEFERRED */
		const char *t = strcmp(q[0], old) ? q[0] : new,
		    *to = strcmp(q[3], old) ? q[3] : new;
		char *ofk = xasprintf("_fk_%s_%s", q[3], q[4]),
		    *nfk = xasprintf("_fk_%s_%s", to, q[4]);
		const char *cols[1] = { q[2] };
		char *x = index_name(q[0], cols, 1, ofk);

		if (!strcmp(x, q[1]))
			name = index_name(t, cols, 1, nfk);
		free(x);
		free(ofk);
		free(nfk);
		x = add_fk_sql(t, name ? name : q[1], q[2], to, q[4]);
		buf_puts(&b, x);
		free(x);
		ok = strstr(*stmt, ") DEFERRABLE INITIALLY DEFERRED") != NULL;
	} else if (!strncmp(*stmt, "ALTER TABLE ", 12) && n >= 3 &&
	    !strcmp(q[0], old) && strstr(*stmt, "\" UNIQUE (") &&
	    !strchr(strstr(*stmt, "\" UNIQUE (") + 10, '(')) {
		/* ALTER TABLE "t" ADD CONSTRAINT "n" UNIQUE ("a", "b") */
		name = renamed_name(q[1], old, new, (const char *const *)q + 2,
		    n - 2);
		buf_puts(&b, "ALTER TABLE ");
		qn(&b, new);
		buf_puts(&b, " ADD CONSTRAINT ");
		qn(&b, name ? name : q[1]);
		buf_puts(&b, strstr(*stmt, "\" UNIQUE (") + 1);
		ok = 1;
	}
	free(name);
	free_cols(q, n);
	if (!ok) {
		buf_free(&b);
		return 0;
	}
	free(*stmt);
	*stmt = b.s;
	return 1;
}

/* Every deferred statement follows the rename, or migsql refuses. */
static int rename_in_deferred(struct opctx *c, const char *old,
    const char *new)
{
	struct migctx *m = c->mig;

	for (size_t i = 0; i < m->ndeferred; i++) {
		char *copy = xstrdup(m->deferred[i]);

		if (!rewrite_deferred(&copy, old, new)) {
			free(copy);
			return render_error(c, "renaming %s, which a statement "
			    "deferred earlier in this migration names in a way "
			    "migsql does not rewrite, is not rendered yet", old);
		}
		free(m->deferred[i]);
		m->deferred[i] = copy;
	}
	return 0;
}

static int rename_table(struct opctx *c, const char *old, const char *new)
{
	struct buf b = {0};

	if (!strcmp(old, new))
		return 0;
	if (rename_in_deferred(c, old, new) < 0)
		return -1;
	buf_puts(&b, "ALTER TABLE ");
	qn(&b, old);
	buf_puts(&b, " RENAME TO ");
	qn(&b, new);
	emit(c, b.s);
	buf_free(&b);
	return 0;
}

/* The auto-created many-to-many tables follow their model's table. */
static int rename_through_tables(struct opctx *c, const struct value *from,
    const struct value *to)
{
	for (size_t i = 0; i < nfields(from); i++) {
		struct field of = field_at(from, i), nf;
		struct value *ot, *nt = NULL;
		int rc;
		char *err = NULL;

		if (!is_m2m(&of) || kstr(of.call, "through"))
			continue;
		if (field_named(to, of.name, &nf) < 0)
			return render_error(c, "no field %s in the state", of.name);
		if (!(ot = through_state(c, from, &of, &err)) ||
		    !(nt = through_state(c, to, &nf, &err))) {
			value_free(ot);
			render_error(c, "field %s: %s", of.name, err);
			free(err);
			return -1;
		}
		rc = rename_table(c, model_table(ot), model_table(nt));
		value_free(ot);
		value_free(nt);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int render_alter_model_table(struct opctx *c)
{
	const struct value *from, *to;
	int rc = from_to(c, "name", &from, &to);

	if (rc)
		return rc < 0 ? -1 : 0;
	if (rename_table(c, model_table(from), model_table(to)) < 0)
		return -1;
	return rename_through_tables(c, from, to);
}

int render_alter_table_comment(struct opctx *c)
{
	const struct value *from, *to, *tc;
	int rc = from_to(c, "name", &from, &to);
	struct buf b = {0};

	if (rc)
		return rc < 0 ? -1 : 0;
	tc = option(to, "db_table_comment");
	buf_puts(&b, "COMMENT ON TABLE ");
	qn(&b, model_table(to));
	buf_puts(&b, " IS ");
	str_literal(&b, tc && tc->kind == V_STR ? tc->s : "");
	emit(c, b.s);
	buf_free(&b);
	return 0;
}

static int drop_composed(struct opctx *c, const struct value *state,
    const struct value *names, int unique)
{
	char **cols, **found, *dflt;
	size_t n, k;

	if (columns_of(c, state, names, &cols, &n) < 0)
		return -1;
	if (db_names(c, state, unique ? "|unique|uindex|" : "|index|",
	    (const char *const *)cols, n, "constraints", &found, &k) < 0) {
		free_cols(cols, n);
		return -1;
	}
	/* Django leaves out Meta's indexes as well as its constraints */
	for (size_t i = 0; i < k; i++)
		if (in_meta(state, "indexes", found[i])) {
			free(found[i]);
			found[i--] = found[--k];
		}
	dflt = index_name(model_table(state), (const char *const *)cols, n,
	    "_uniq");
	for (size_t i = 0; unique && k > 1 && i < k; i++) {
		char *keep = found[i];

		if (strcmp(keep, dflt))
			continue;
		found[i] = found[0];
		found[0] = keep;
		for (size_t j = 1; j < k; j++)
			free(found[j]);
		k = 1;	/* the one named as unique_together names it */
	}
	free(dflt);
	free_cols(cols, n);
	if (k != 1) {
		free_names(found, k);
		return render_error(c, "Django would find %zu constraints for these "
		    "columns where it needs exactly one", k);
	}
	if (unique) {
		drop_constraint(c, model_table(state), found[0]);
	} else {
		drop_index(c, found[0], 0);
	}
	free_names(found, k);
	return 0;
}

/* The entries of a together option as texts, for set differences. */
static size_t together_texts(const struct value *opt,
    const struct value ***items, char ***texts)
{
	size_t n;

	together_items(opt, items, &n);
	*texts = xcalloc(n + 1, sizeof **texts);
	for (size_t i = 0; i < n; i++)
		(*texts)[i] = value_text((*items)[i]);
	return n;
}

static int in_texts(char **t, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i], s))
			return 1;
	return 0;
}

/* alter_unique_together / alter_index_together: the removed entries
 * dropped, the new ones created.  Python iterates each difference (a
 * set of tuples) in an order its string hashing decides; migsql takes
 * the order of the option's entries, old ones for the drops, new ones
 * for the creations, which is one order Django may run. */
static int alter_together(struct opctx *c, const char *opt, int unique)
{
	const struct value *from, *to, **oi, **ni;
	char **ot, **nt;
	size_t no, nn;
	int rc = from_to(c, "name", &from, &to);

	if (rc)
		return rc < 0 ? -1 : 0;
	no = together_texts(option(from, opt), &oi, &ot);
	if (no) {	/* together_items may hand out a static array */
		const struct value **copy = xcalloc(no, sizeof *copy);

		memcpy(copy, oi, no * sizeof *copy);
		oi = copy;
	} else {
		oi = NULL;
	}
	nn = together_texts(option(to, opt), &ni, &nt);
	for (size_t i = 0; rc == 0 && i < no; i++)
		if (!in_texts(nt, nn, ot[i]))
			rc = drop_composed(c, to, oi[i], unique);
	for (size_t i = 0; rc == 0 && i < nn; i++) {
		char **cols, *sql;
		size_t n;

		if (in_texts(ot, no, nt[i]))
			continue;
		if ((rc = columns_of(c, to, ni[i], &cols, &n)) < 0)
			break;
		sql = unique ? unique_sql(model_table(to), (const char *const *)cols,
		    n, NULL) : create_index(model_table(to), (const char *const *)cols,
		    n, NULL, "_idx", NULL, NULL, 0);
		emit(c, sql);
		free(sql);
		free_cols(cols, n);
	}
	free(oi);
	free_cols(ot, no);
	free_cols(nt, nn);
	return rc;
}

int render_alter_together(struct opctx *c, int unique)
{
	return alter_together(c, unique ? "unique_together" : "index_together",
	    unique);
}

int render_rename_index(struct opctx *c)
{
	const struct value *from, *to, *of = kw(c->op, "old_fields"), *idx;
	const char *oldn = op_arg(c, "old_name"), *newn = op_arg(c, "new_name");
	char *found = NULL;
	struct buf b = {0};
	int rc = from_to(c, "model_name", &from, &to);

	if (rc)
		return rc < 0 ? -1 : 0;
	if (of && of->kind != V_NONE) {
		char **cols, **names;
		size_t n, k;

		if (c->back)
			return 0;	/* unnamed: backwards is a no-op */
		if (columns_of(c, from, of, &cols, &n) < 0)
			return -1;
		rc = db_names(c, from, "|index|", (const char *const *)cols, n,
		    NULL, &names, &k);
		free_cols(cols, n);
		if (rc < 0)
			return -1;
		if (k != 1) {
			free_names(names, k);
			return render_error(c, "Django would find %zu indexes on "
			    "these fields where it needs exactly one", k);
		}
		found = names[0];
		free(names);
		oldn = found;
	} else if (c->back) {
		const char *t = oldn;

		oldn = newn;
		newn = t;
	}
	if (!oldn || !newn || !(idx = named_in(to, "indexes", newn))) {
		free(found);
		return render_error(c, "no index %s in the state", newn ? newn :
		    "?");
	}
	if (strcmp(oldn, newn)) {
		buf_puts(&b, "ALTER INDEX ");
		qn(&b, oldn);
		buf_puts(&b, " RENAME TO ");
		qn(&b, newn);
		emit(c, b.s);
		buf_free(&b);
	}
	free(found);
	return 0;
}

/* Django's _alter_many_to_many(model, old, new): the auto-created table
 * renamed when its name changes, then alter_field on its key to the
 * other side (m2m_reverse_field_name) and on its key to the model
 * (m2m_field_name), as the renamed table. */
static int alter_m2m(struct opctx *c, const struct value *os,
    const struct field *of, const struct value *ns, const struct field *nf)
{
	struct value *ot, *nt = NULL;
	char *err = NULL;
	int rc;

	if (!(ot = through_state(c, os, of, &err)) ||
	    !(nt = through_state(c, ns, nf, &err))) {
		value_free(ot);
		rc = render_error(c, "field %s: %s", of->name, err);
		free(err);
		return rc;
	}
	rc = rename_table(c, model_table(ot), model_table(nt));
	for (size_t k = 2; rc == 0 && k >= 1; k--) {
		struct alt a = {0};

		a.c = c;
		a.state = ot;
		a.nstate = nt;
		a.table = model_table(nt);
		a.dbstate = nt;
		a.o = field_at(ot, k);
		a.n = field_at(nt, k);
		a.oa = c->back;
		a.na = !c->back;
		a.ndefault = a.n.call;
		rc = alter_field(&a);
		alt_free(&a);
	}
	value_free(ot);
	value_free(nt);
	return rc;
}

/* An auto-created many-to-many table (not a through= model). */
static int auto_m2m(const struct field *f)
{
	return is_m2m(f) && !kstr(f->call, "through");
}

/* related_name='+' (or ending in '+'): a hidden relation, which
 * _meta.related_objects leaves out unless it is a many-to-many field. */
static int hidden(const struct field *f)
{
	const char *r = kstr(f->call, "related_name");

	return r && *r && r[strlen(r) - 1] == '+' && !is_m2m(f);
}


/* One relation to the renamed model: alter_field(model, old, new). */
static int repoint(struct opctx *c, const struct value *os,
    const struct field *of, const struct value *ns)
{
	struct field nf;
	struct alt a = {0};
	int rc;

	if (field_named(ns, of->name, &nf) < 0)
		return render_error(c, "no field %s in the state", of->name);
	if (is_m2m(of) || is_m2m(&nf)) {
		if (auto_m2m(of) && auto_m2m(&nf))
			return alter_m2m(c, os, of, ns, &nf);
		if (!auto_m2m(of) && !auto_m2m(&nf))
			return 0;	/* both through= models: a no-op */
		return render_error(c, "field %s: Django cannot alter a field "
		    "to or from a many-to-many field, or add or remove through=",
		    of->name);
	}
	a.c = c;
	a.state = os;
	a.nstate = ns;
	a.table = model_table(ns);
	a.dbstate = ns;
	a.o = *of;
	a.n = nf;
	a.oa = c->back;
	a.na = !c->back;
	a.ndefault = a.n.call;
	rc = alter_field(&a);
	alt_free(&a);
	return rc;
}

/* The relations of one model to the renamed one, as _meta.related_objects
 * lists them: its concrete fields, then its many-to-many fields. */
static int repoint_model(struct opctx *c, const struct value *os,
    const struct value *ns, const char *label)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t j = 0; j < nfields(os); j++) {
			struct field of = field_at(os, j);

			if (is_m2m(&of) != pass || !points_at(&of, label) ||
			    hidden(&of))
				continue;
			if (repoint(c, os, &of, ns) < 0)
				return -1;
		}
	return 0;
}

/* RenameModel, as Django runs it: the table; then alter_field on each
 * relation that points at the model (keys re-created under the new
 * table's name, the columns of auto-created many-to-many tables
 * renamed), model by model in the order of their records (Django's
 * follows its app registry, which the history of re-rendered models
 * orders); then the auto-created tables of the
 * model's own many-to-many fields to other models. */
int render_rename_model(struct opctx *c)
{
	const char *o = op_arg(c, "old_name"), *n = op_arg(c, "new_name");
	const struct value *from, *to;
	char *olabel;
	int rc = 0;

	if (!o || !n)
		return render_error(c, "RenameModel without names");
	if (c->back) {
		const char *t = o;

		o = n;
		n = t;
	}
	from = op_model_named(c, o, c->back);
	to = op_model_named(c, n, !c->back);
	if (!from || !to)
		return render_error(c, "no state for model %s", !from ? o : n);
	if (!managed(from))
		return 0;
	if (rename_table(c, model_table(from), model_table(to)) < 0)
		return -1;
	olabel = label_of(from);
	for (size_t i = 0; i < c->nmodels && rc == 0; i++) {
		const struct value *os = state_of(c, i, c->back), *ns;

		if (!os || !managed(os))
			continue;
		if (!(ns = os == from ? to : paired(c, i, !c->back))) {
			rc = render_error(c, "no state after the operation for %s",
			    c->models[i].key);
			break;
		}
		rc = repoint_model(c, os, ns, olabel);
	}
	for (size_t i = 0; i < nfields(from) && rc == 0; i++) {
		struct field of = field_at(from, i), nf;

		if (!auto_m2m(&of) || points_at(&of, olabel))
			continue;
		if (field_named(to, of.name, &nf) < 0)
			rc = render_error(c, "no field %s in the state", of.name);
		else if (auto_m2m(&nf))
			rc = alter_m2m(c, from, &of, to, &nf);
	}
	free(olabel);
	return rc;
}
