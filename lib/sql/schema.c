/* schema.c: the statements of Django's schema editor: CREATE and DROP
 * TABLE, columns, foreign keys, indexes and constraints, built from a
 * model state, and the names of existing objects from its db= catalog.
 * The operation renderers (opschema.c, opalter.c) call these. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlint.h"

/* --- the catalog of database objects (db= in the model state) ------------- */

static int is_constraint_kind(const char *k)
{
	return !strcmp(k, "pk") || !strcmp(k, "unique") || !strcmp(k, "fk") ||
	    !strcmp(k, "check") || !strcmp(k, "exclude");
}

int in_meta(const struct value *state, const char *opt,
    const char *name)
{
	return opt && named_in(state, opt, name) != NULL;
}

static int cols_equal(const struct value *l, const char *const *cols,
    size_t n)
{
	if (!cols)
		return 1;	/* any columns */
	if (!l || (l->kind != V_LIST && l->kind != V_TUPLE) || l->n != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!value_is_str(l->items[i], cols[i]))
			return 0;
	return 1;
}

/* One pass of db_names: constraints, or indexes. */
static void db_pass(const struct value *db, const struct value *state,
    const char *kinds, const char *const *cols, size_t n, const char *excl,
    int constraints, char ***out, size_t *nout)
{
	for (size_t i = 0; i < db->n; i++) {
		const struct value *o = db->items[i];
		const char *k, *name;
		char pat[32];

		if (o->kind != V_TUPLE || o->n < 3 || o->items[0]->kind != V_STR ||
		    o->items[1]->kind != V_STR)
			continue;
		k = o->items[0]->s;
		name = o->items[1]->s;
		snprintf(pat, sizeof pat, "|%s|", k);
		if (is_constraint_kind(k) != constraints || !strstr(kinds, pat) ||
		    !cols_equal(o->items[2], cols, n) || in_meta(state, excl, name))
			continue;
		if (!strcmp(kinds, "|index|uindex|") && (o->n < 4 ||
		    !value_is_str(o->items[3], "btree")))
			continue;	/* Django asks for type "idx": btree */
		*out = xrealloc(*out, (*nout + 1) * sizeof **out);
		(*out)[(*nout)++] = xstrdup(name);
	}
}

/* The names the database holds for objects of the given kinds ("|fk|",
 * "|unique|uindex|", ...) on exactly cols, as Django's _constraint_names
 * finds them (constraints before indexes), leaving out those the model's
 * Meta option excl lists.  -1 (reported) when the stream does not know. */
static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int db_names(struct opctx *c, const struct value *state,
    const char *kinds, const char *const *cols, size_t n, const char *excl,
    char ***out, size_t *nout)
{
	const struct value *db = kw(state, "db");
	size_t k;

	*out = NULL;
	*nout = 0;
	if (!db || db->kind != V_LIST)
		return render_error(c, "the database objects of table %s are not "
		    "known (an earlier statement on it could not be followed)",
		    model_table(state));
	db_pass(db, state, kinds, cols, n, excl, 1, out, nout);
	k = *nout;
	db_pass(db, state, kinds, cols, n, excl, 0, out, nout);
	/* get_constraints' index query groups by the index's name: a
	 * sorting plan, as PostgreSQL picks for a table's few indexes,
	 * returns them in name order (constraints come in catalog order) */
	if (*nout - k > 1)
		qsort(*out + k, *nout - k, sizeof **out, cmp_names);
	return 0;
}

void free_names(char **v, size_t n)
{
	free_cols(v, n);
}

/* --- statements ------------------------------------------------------------- */

void drop_fk(struct opctx *c, const char *table, const char *name)
{
	struct buf b = {0};

	buf_puts(&b, "SET CONSTRAINTS ");
	qn(&b, name);
	buf_puts(&b, " IMMEDIATE; ALTER TABLE ");
	qn(&b, table);
	buf_puts(&b, " DROP CONSTRAINT ");
	qn(&b, name);
	emit(c, b.s);
	buf_free(&b);
}

void alter_table(struct opctx *c, const char *table, const char *what)
{
	struct buf b = {0};

	buf_puts(&b, "ALTER TABLE ");
	qn(&b, table);
	buf_printf(&b, " %s", what);
	emit(c, b.s);
	buf_free(&b);
}

void drop_like(struct opctx *c, const char *table, const char *col)
{
	const char *cols[1] = { col };
	char *name = index_name(table, cols, 1, "_like");

	drop_index(c, name, 0);
	free(name);
}

void qn(struct buf *b, const char *name)
{
	sql_quote_name(b, name);
}

/* A string literal as psycopg2 writes one. */
void str_literal(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_putc(b, '\'');
		buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

/* COMMENT ON COLUMN "table"."column" IS '...' */
void column_comment(struct buf *b, const char *table, const char *col,
    const char *text)
{
	buf_puts(b, "COMMENT ON COLUMN ");
	qn(b, table);
	buf_putc(b, '.');
	qn(b, col);
	buf_puts(b, " IS ");
	str_literal(b, text);
}

/* --- expressions of db_default and GeneratedField ------------------------- */

const char *call_cls(const struct value *v)
{
	return v && v->kind == V_CALL && v->fn->kind == V_NAME ? v->fn->s : "";
}

int column_ref(const struct opctx *c, const struct value *state,
    const char *name, struct buf *b)
{
	struct field f;
	char *col;

	if (meta_field(state, name, &f) < 0)
		return render_error(c, "expression: no field %s", name);
	col = column(&f);
	qn(b, col);
	free(col);
	return 0;
}

int literal(const struct opctx *c, const struct value *v,
    const struct value *field, struct buf *b)
{
	char *err = NULL, *s = param_literal(v, field, &err);

	if (!s) {
		render_error(c, "expression: %s", err ? err : "no literal");
		free(err);
		return -1;
	}
	buf_puts(b, s);
	free(s);
	return 0;
}

/* Is e an expression of Django's (F(), a function, an operation on
 * them), rather than a value Combinable wraps in Value()? */
static int is_expression(const struct value *e)
{
	if (e->kind == V_BINOP)
		return is_expression(e->items[0]) || is_expression(e->items[1]);
	return !strncmp(call_cls(e), "models.", 7);
}

/* Date, time and duration operands make Django build a
 * DurationExpression or TemporalSubtraction instead. */
static int temporal_operand(const struct value *state, const struct value *e)
{
	struct field f;
	const char *name = !strcmp(call_cls(e), "models.F") ? kstr(e, "name") :
	    NULL;

	if (!strncmp(call_cls(e), "datetime.", 9))
		return 1;
	if (!name || meta_field(state, name, &f) < 0)
		return 0;
	return is_cls(&f, "models.DateField") ||
	    is_cls(&f, "models.DateTimeField") ||
	    is_cls(&f, "models.TimeField") ||
	    is_cls(&f, "models.DurationField");
}

int expr_sql(const struct opctx *c, const struct value *state,
    const struct value *e, struct buf *b);

/* a + b, a - b, a * b, a / b: Combinable's CombinedExpression, a value
 * on either side wrapped in Value(). */
static int binop_sql(const struct opctx *c, const struct value *state,
    const struct value *e, struct buf *b)
{
	static const char *const ops[] = { "+", "-", "*", "/", NULL };
	int ok = 0;

	for (int i = 0; ops[i]; i++)
		ok |= !strcmp(e->s, ops[i]);
	if (!ok)
		return render_error(c, "expression: operator %s is not rendered "
		    "yet", e->s);
	if (temporal_operand(state, e->items[0]) ||
	    temporal_operand(state, e->items[1]))
		return render_error(c, "expression: arithmetic on dates, times "
		    "or durations is not rendered yet");
	buf_putc(b, '(');
	for (int i = 0; i < 2; i++) {
		const struct value *v = e->items[i];

		if (i)
			buf_printf(b, " %s ", e->s);
		if (is_expression(v) ? expr_sql(c, state, v, b) < 0 :
		    literal(c, v, NULL, b) < 0)
			return -1;
	}
	buf_putc(b, ')');
	return 0;
}

/* Cast.as_postgresql: "(expression)::type", the type the output
 * field's cast_db_type() gives: the three auto fields' integer types,
 * varchar for a CharField without max_length, else its db_type() (a
 * mapped class's own type=, as Field.cast_db_type). */
static int cast_sql(const struct opctx *c, const struct value *state,
    const struct value *e, struct buf *b)
{
	const struct value *x = kw(e, "expression"), *of = kw(e, "output_field");
	struct field f = { "output_field", of, call_cls(of) };
	char *t;

	if (!x && e->n && !e->names[0])
		x = e->items[0];
	if (!of && e->n > 1 && !e->names[1])
		f.call = of = e->items[1], f.cls = call_cls(of);
	if (!x || !of || of->kind != V_CALL)
		return render_error(c, "expression Cast: without an expression "
		    "and an output field");
	if (is_cls(&f, "models.AutoField"))
		t = xstrdup("integer");
	else if (is_cls(&f, "models.BigAutoField"))
		t = xstrdup("bigint");
	else if (is_cls(&f, "models.SmallAutoField"))
		t = xstrdup("smallint");
	else if (is_cls(&f, "models.CharField") && !kw(of, "max_length") &&
	    !kw(of, "db_type"))
		t = xstrdup("varchar");
	else if (!(t = db_type(c, &f, 1)))
		return -1;
	buf_putc(b, '(');
	if (expr_sql(c, state, x, b) < 0) {
		free(t);
		return -1;
	}
	buf_printf(b, ")::%s", t);
	free(t);
	return 0;
}

/* Func(*expressions, function=NAME): "NAME(expr, expr)", its
 * template and arg_joiner Func's own; as a project's function class
 * mapped to it (ipam.lookups.Host=models.Func function='HOST'). */
static int func_sql(const struct opctx *c, const struct value *state,
    const struct value *e, struct buf *b)
{
	const char *fn = kstr(e, "function");
	size_t k = 0;

	if (!fn)
		return render_error(c, "expression models.Func: without a "
		    "function");
	buf_printf(b, "%s(", fn);
	for (size_t j = 0; j < e->n; j++) {
		if (e->names[j]) {
			if (!strcmp(e->names[j], "function") ||
			    !strcmp(e->names[j], "_class") ||
			    !strcmp(e->names[j], "output_field"))
				continue;
			return render_error(c, "expression models.Func: argument "
			    "%s is not rendered yet", e->names[j]);
		}
		buf_puts(b, k++ ? ", " : "");
		if (expr_sql(c, state, e->items[j], b) < 0)
			return -1;
	}
	buf_putc(b, ')');
	return 0;
}

/* Compile an expression as Django's compiler writes it for a column
 * default or a generated column: F, Value, CombinedExpression, Cast,
 * Func and the functions Lower, Upper and Now. */
int expr_sql(const struct opctx *c, const struct value *state,
    const struct value *e, struct buf *b)
{
	static const char *const fns[][2] = {
		{"models.functions.Lower", "LOWER"},
		{"models.functions.Upper", "UPPER"},
		{"models.functions.Now", "STATEMENT_TIMESTAMP"},
	};
	const char *cls = call_cls(e);

	if (e->kind == V_STR)
		return column_ref(c, state, e->s, b);
	if (!strcmp(cls, "models.F") && kstr(e, "name"))
		return column_ref(c, state, kstr(e, "name"), b);
	if (!strcmp(cls, "models.Value") && kw(e, "value") && e->n == 1)
		return literal(c, kw(e, "value"), NULL, b);
	if (!strcmp(cls, "models.CombinedExpression") && kw(e, "lhs") &&
	    kstr(e, "connector") && kw(e, "rhs")) {
		buf_putc(b, '(');
		if (expr_sql(c, state, kw(e, "lhs"), b) < 0)
			return -1;
		buf_printf(b, " %s ", kstr(e, "connector"));
		if (expr_sql(c, state, kw(e, "rhs"), b) < 0)
			return -1;
		buf_putc(b, ')');
		return 0;
	}
	if (e->kind == V_BINOP)
		return binop_sql(c, state, e, b);
	if ((!strcmp(cls, "postgres.functions.RandomUUID") ||
	    !strcmp(cls, "postgres.functions.TransactionNow")) && e->n == 0) {
		buf_puts(b, cls[19] == 'R' ? "GEN_RANDOM_UUID()" :
		    "CURRENT_TIMESTAMP");
		return 0;
	}
	if (!strcmp(cls, "models.functions.Cast"))
		return cast_sql(c, state, e, b);
	if (!strcmp(cls, "models.Func"))
		return func_sql(c, state, e, b);
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		if (strcmp(cls, fns[i][0]))
			continue;
		buf_printf(b, "%s(", fns[i][1]);
		for (size_t j = 0; j < e->n; j++) {
			if (e->names[j])
				return render_error(c, "expression %s: argument %s is "
				    "not rendered yet", cls, e->names[j]);
			buf_puts(b, j ? ", " : "");
			if (expr_sql(c, state, e->items[j], b) < 0)
				return -1;
		}
		buf_putc(b, ')');
		return 0;
	}
	return render_error(c, "expression %s is not rendered yet",
	    *cls ? cls : "(not a call)");
}

/* Does Django's compiler return parameters for the expression e (as
 * expr_sql renders it)?  A Value gives one unless its value is prepared
 * to None (written NULL); F and column names give none. */
static int value_param(const struct value *v, const struct value *field)
{
	char *err = NULL, *s = v ? param_literal(v, field, &err) : NULL;
	int r = s && strcmp(s, "NULL") != 0;

	free(s);
	free(err);
	return r;
}

static int expr_params(const struct value *e)
{
	const char *cls = call_cls(e);
	int r = 0;

	if (!strcmp(cls, "models.Value"))
		return value_param(kw(e, "value"), NULL);
	if (e->kind == V_BINOP) {
		for (int i = 0; i < 2 && !r; i++)
			r = is_expression(e->items[i]) ? expr_params(e->items[i]) :
			    value_param(e->items[i], NULL);
		return r;
	}
	if (e->kind != V_CALL || !strcmp(cls, "models.F"))
		return 0;
	for (size_t i = 0; i < e->n && !r; i++)
		r = expr_params(e->items[i]);
	return r;
}

/* table_sql's params: does a column's db_default or generated expression
 * come with parameters?  Then Django defers the model's constraints
 * (constraint.create_sql) instead of writing them into CREATE TABLE. */
static int table_params(const struct value *state)
{
	for (size_t i = 0; i < nfields(state); i++) {
		struct field f = field_at(state, i);
		const struct value *d = kw(f.call, "db_default");

		if (is_m2m(&f))
			continue;
		if (is_cls(&f, "models.GeneratedField") && kw(f.call,
		    "expression") && expr_params(kw(f.call, "expression")))
			return 1;
		if (!d)
			continue;
		if (d->kind == V_CALL && (strncmp(call_cls(d), "models.", 7) ==
		    0 || strncmp(call_cls(d), "postgres.functions.", 19) == 0) &&
		    strcmp(call_cls(d), "models.Value")) {
			if (expr_params(d))
				return 1;
			continue;
		}
		if (!strcmp(call_cls(d), "models.Value"))
			d = kw(d, "value") ? kw(d, "value") : d;
		if (value_param(d, f.call))
			return 1;
	}
	return 0;
}

/* db_default_sql: a plain value as a literal of the field, an expression
 * in parentheses. */
char *db_default_sql(const struct opctx *c, const struct value *state,
    const struct field *f)
{
	const struct value *d = kw(f->call, "db_default");
	struct buf b = {0};
	int rc;

	if (d->kind == V_CALL && (strncmp(call_cls(d), "models.", 7) == 0 ||
	    strncmp(call_cls(d), "postgres.functions.", 19) == 0) &&
	    strcmp(call_cls(d), "models.Value")) {
		buf_putc(&b, '(');
		rc = expr_sql(c, state, d, &b);
		buf_putc(&b, ')');
	} else {
		if (!strcmp(call_cls(d), "models.Value"))
			d = kw(d, "value") ? kw(d, "value") : d;
		rc = literal(c, d, f->call, &b);
	}
	if (rc < 0) {
		buf_free(&b);
		return NULL;
	}
	return b.s;
}

/* GENERATED ALWAYS AS (...) STORED */
char *generated_sql(const struct opctx *c, const struct value *state,
    const struct field *f)
{
	const struct value *e = kw(f->call, "expression"),
	    *p = kw(f->call, "db_persist");
	struct buf b = {0};

	if (!e)
		return render_error(c, "field %s: no expression", f->name), NULL;
	buf_puts(&b, "GENERATED ALWAYS AS (");
	if (expr_sql(c, state, e, &b) < 0) {
		buf_free(&b);
		return NULL;
	}
	buf_printf(&b, ") %s", truthy(p) ? "STORED" : "VIRTUAL");
	return b.s;
}

/* Django's column_sql: type, collation, NULL/NOT NULL, PRIMARY KEY or
 * UNIQUE; then the CHECK and identity suffix that table_sql and
 * add_field append.  NULL (reported) when it cannot be rendered. */
char *column_def(const struct opctx *c, const struct value *state,
    const struct field *f, int after, const struct value *with_default,
    int *has_default)
{
	struct buf b = {0};
	char *type, *dflt = NULL, *gen = NULL;
	const char *coll;
	struct field tf = *f;

	if (has_default)
		*has_default = 0;
	if (kw(f->call, "db_default")) {
		if (!(dflt = db_default_sql(c, state, f)))
			return NULL;
		with_default = NULL;	/* include_default is off */
	}
	if (is_cls(f, "models.GeneratedField")) {
		const struct value *of = kw(f->call, "output_field");

		if (!of || of->kind != V_CALL || of->fn->kind != V_NAME)
			return render_error(c, "field %s: no output_field",
			    f->name), free(dflt), NULL;
		tf.call = of;
		tf.cls = of->fn->s;
		if (!(gen = generated_sql(c, state, f)))
			return free(dflt), NULL;
	}
	if (with_default) {
		int vol = 0;
		char *err = NULL;

		dflt = sql_effective_default(with_default, &vol, &err);
		if (err) {
			render_error(c, "field %s: default: %s", f->name, err);
			free(err);
			free(gen);
			return NULL;
		}
		if (dflt && has_default)
			*has_default = vol ? 2 : 1;
	}
	if (!(type = db_type(c, &tf, after))) {
		free(dflt);
		free(gen);
		return NULL;
	}
	buf_puts(&b, type);
	free(type);
	if ((coll = collation(c, &tf, after))) {
		buf_puts(&b, " COLLATE ");
		qn(&b, coll);
	}
	if (dflt)
		buf_printf(&b, " DEFAULT %s", dflt);
	free(dflt);
	if (gen)
		buf_printf(&b, " %s", gen);
	else
		buf_puts(&b, is_null(f) ? " NULL" : " NOT NULL");
	free(gen);
	if (is_pk(f))
		buf_puts(&b, " PRIMARY KEY");
	else if (is_unique(f))
		buf_puts(&b, " UNIQUE");
	return b.s;
}

void append_check_suffix(struct buf *b, const struct field *f,
    const char *col)
{
	if (has_check(f))
		buf_printf(b, " CHECK (\"%s\" >= 0)", col);
	buf_puts(b, type_suffix(f));
}

/* A relation with a database constraint (db_constraint defaults True). */
int has_fk(const struct field *f)
{
	return is_fk(f) && (!kw(f->call, "db_constraint") ||
	    truthy(kw(f->call, "db_constraint")));
}

/* Django's name of a field's foreign key, "<table>_<col>_<digest>_fk_
 * <to_table>_<to_col>"; *m and *tcol receive what it references. */
char *fk_name(const struct opctx *c, const char *table,
    const struct field *f, int after, const struct value **m, char **tcol)
{
	struct field t;
	char *col, *suffix, *name;
	const char *cols[1];

	if (target(c, f, after, m, &t) < 0)
		return NULL;
	col = column(f);
	*tcol = column(&t);
	suffix = xasprintf("_fk_%s_%s", model_table(*m), *tcol);
	cols[0] = col;
	name = index_name(table, cols, 1, suffix);
	free(col);
	free(suffix);
	return name;
}

/* ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY, as Django writes it. */
char *add_fk_sql(const char *table, const char *name, const char *col,
    const char *to_table, const char *to_col)
{
	struct buf b = {0};

	buf_puts(&b, "ALTER TABLE ");
	qn(&b, table);
	buf_puts(&b, " ADD CONSTRAINT ");
	qn(&b, name);
	buf_puts(&b, " FOREIGN KEY (");
	qn(&b, col);
	buf_puts(&b, ") REFERENCES ");
	qn(&b, to_table);
	buf_puts(&b, " (");
	qn(&b, to_col);
	buf_puts(&b, ") DEFERRABLE INITIALLY DEFERRED");
	return b.s;
}

char *fk_sql(const struct opctx *c, const char *table,
    const struct field *f, int after)
{
	const struct value *m;
	char *col, *tcol, *name;
	char *sql;

	if (!(name = fk_name(c, table, f, after, &m, &tcol)))
		return NULL;
	col = column(f);
	sql = add_fk_sql(table, name, col, model_table(m), tcol);
	free(col);
	free(tcol);
	free(name);
	return sql;
}

/* CREATE INDEX over columns, named as Django names it unless given. */
char *create_index(const char *table, const char *const *cols,
    size_t ncols, const char *name, const char *suffix, const char *opclass,
    const char *using, int concurrently)
{
	struct buf b = {0};
	char *gen = name ? NULL : index_name(table, cols, ncols, suffix);

	buf_puts(&b, concurrently ? "CREATE INDEX CONCURRENTLY " :
	    "CREATE INDEX ");
	qn(&b, name ? name : gen);
	buf_puts(&b, " ON ");
	qn(&b, table);
	if (using)
		buf_printf(&b, " USING %s", using);
	buf_puts(&b, " (");
	for (size_t i = 0; i < ncols; i++) {
		if (i)
			buf_puts(&b, ", ");
		qn(&b, cols[i]);
		if (opclass)
			buf_printf(&b, " %s", opclass);
	}
	buf_putc(&b, ')');
	free(gen);
	return b.s;
}

/* Is coll a collation the plan made non-deterministic (the collations=
 * of the model states)?  PostgreSQL's own collations are deterministic. */
int nondeterministic(const struct opctx *c, const char *coll)
{
	for (size_t i = 0; coll && i < c->nmodels; i++) {
		const struct value *d = value_dict_get(kw(c->models[i].state,
		    "collations"), coll);

		if (d && d->kind == V_FALSE)
			return 1;
	}
	return 0;
}

/* _create_like_index_sql: the varchar_pattern_ops or text_pattern_ops
 * index of a varchar or text column (not an array), or NULL: none, as
 * for a non-deterministic collation. */
char *like_index_sql(const struct opctx *c, const char *table,
    const char *col, const char *type, const char *coll)
{
	const char *cols[1] = { col };

	if (strchr(type, '[') || (strncmp(type, "varchar", 7) &&
	    strncmp(type, "text", 4)) || nondeterministic(c, coll))
		return NULL;
	return create_index(table, cols, 1, NULL, "_like", type[0] == 'v' ?
	    "varchar_pattern_ops" : "text_pattern_ops", NULL, 0);
}

/* _field_indexes_sql: db_index without unique, and the _like index of
 * varchar and text columns that are indexed or unique. */
int field_indexes(struct opctx *c, const char *table,
    const struct field *f, int after)
{
	char *col, *type, *sql;
	const char *cols[1];

	if (!is_indexed(f) && !is_unique(f))
		return 0;
	if (!(type = db_type(c, f, after)))
		return -1;
	col = column(f);
	cols[0] = col;
	if (is_indexed(f) && !is_unique(f)) {
		sql = create_index(table, cols, 1, NULL, "", NULL, NULL, 0);
		defer(c, sql);
		free(sql);
	}
	if ((sql = like_index_sql(c, table, col, type, collation(c, f, after)))) {
		defer(c, sql);
		free(sql);
	}
	free(type);
	free(col);
	return 0;
}

/* The ModelState of an auto-created m2m table, as Django builds it. */
struct value *through_state(const struct opctx *c,
    const struct value *state, const struct field *f, char **err)
{
	const char *app = kstr(state, "app_label"), *name = kstr(state, "name");
	const char *to = kstr(f->call, "to"), *dt = kstr(f->call, "db_table");
	char *from_l = lowered(name), *to_l = lowered(strchr(to, '.') + 1);
	char *table, *text, *from_col, *to_col, *self_label, *dbt;
	const struct value *db;
	long col;
	struct value *v;

	(void)c;
	self_label = xasprintf("%s.%s", app, from_l);
	if (name_same(self_label, to)) {
		from_col = xasprintf("from_%s", from_l);
		to_col = xasprintf("to_%s", to_l);
	} else {
		from_col = xstrdup(from_l);
		to_col = xstrdup(to_l);
	}
	table = m2m_table_name(model_table(state), f->name, dt);
	db = value_dict_get(kw(state, "through_db"), table);
	dbt = db ? value_text(db) : xstrdup("None");
	text = xasprintf("ModelState(app_label='%s', name='%s_%s', db_table='%s',"
	    " fields=[('id', %s(primary_key=True, auto_created=True)), "
	    "('%s', models.ForeignKey(to='%s', on_delete=models.CASCADE)), "
	    "('%s', models.ForeignKey(to='%s', on_delete=models.CASCADE))], "
	    "options={'unique_together': {('%s', '%s')}}, db=%s)", app, name,
	    f->name, table, auto_field(state), from_col, self_label, to_col, to,
	    from_col, to_col, dbt);
	free(dbt);
	v = value_parse(text, err, &col);
	free(text);
	free(table);
	free(from_l);
	free(to_l);
	free(from_col);
	free(to_col);
	free(self_label);
	return v;
}


int with_through(struct opctx *c, const struct value *state,
    const struct field *f, int after, int create)
{
	char *err = NULL;
	struct value *t;
	struct buf b = {0};
	int rc = 0;

	if (kstr(f->call, "through"))
		return 0;	/* a model of its own, created by its own op */
	if (!kstr(f->call, "to") || !strchr(kstr(f->call, "to"), '.'))
		return render_error(c, "field %s: unresolved many-to-many target",
		    f->name);
	if (!(t = through_state(c, state, f, &err))) {
		rc = render_error(c, "field %s: %s", f->name, err);
		free(err);
		return rc;
	}
	if (create) {
		rc = create_table(c, t, after);
	} else {
		buf_puts(&b, "DROP TABLE ");
		qn(&b, model_table(t));
		buf_puts(&b, " CASCADE");
		emit(c, b.s);
		buf_free(&b);
	}
	value_free(t);
	return rc;
}


/* unique_together entries, each a list of field names. */
void together_items(const struct value *v, const struct value ***items,
    size_t *n)
{
	static const struct value *one[1];

	*items = NULL;
	*n = 0;
	if (!v || (v->kind != V_LIST && v->kind != V_TUPLE && v->kind != V_SET) ||
	    !v->n)
		return;
	if (v->items[0]->kind == V_STR) {
		one[0] = v;
		*items = one;
		*n = 1;
		return;
	}
	*items = (const struct value **)v->items;
	*n = v->n;
}

char *unique_sql(const char *table, const char *const *cols, size_t n,
    const char *name)
{
	struct buf b = {0};
	char *gen = name ? NULL : index_name(table, cols, n, "_uniq");

	buf_puts(&b, "ALTER TABLE ");
	qn(&b, table);
	buf_puts(&b, " ADD CONSTRAINT ");
	qn(&b, name ? name : gen);
	buf_puts(&b, " UNIQUE (");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, ", ");
		qn(&b, cols[i]);
	}
	buf_putc(&b, ')');
	free(gen);
	return b.s;
}

/* Columns of field names; -1 (reported) for an unknown field. */
int columns_of(const struct opctx *c, const struct value *state,
    const struct value *names, char ***cols, size_t *n)
{
	*cols = xcalloc(names->n + 1, sizeof **cols);
	*n = 0;
	for (size_t i = 0; i < names->n; i++) {
		struct field f;
		const char *nm = names->items[i]->kind == V_STR ?
		    names->items[i]->s : "";

		if (*nm == '-')
			nm++;
		if (meta_field(state, nm, &f) < 0)
			return render_error(c, "no field %s on %s", nm,
			    kstr(state, "name"));
		(*cols)[(*n)++] = column(&f);
	}
	return 0;
}

void free_cols(char **cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(cols[i]);
	free(cols);
}

int defer_unique_together(struct opctx *c, const struct value *state)
{
	const struct value **items;
	size_t n;

	together_items(option(state, "unique_together"), &items, &n);
	for (size_t i = 0; i < n; i++) {
		char **cols, *sql;
		size_t nc;

		if (columns_of(c, state, items[i], &cols, &nc) < 0)
			return -1;
		sql = unique_sql(model_table(state), (const char *const *)cols,
		    nc, NULL);
		defer(c, sql);
		free(sql);
		free_cols(cols, nc);
	}
	return 0;
}


/* create_model: CREATE TABLE, comments, deferred keys and indexes, and
 * the tables of its many-to-many fields. */
int create_table(struct opctx *c, const struct value *state, int after)
{
	const char *table = model_table(state);
	const struct value *cons = option(state, "constraints"),
	    *idxs = option(state, "indexes"), *tc = option(state,
	    "db_table_comment");
	struct buf b = {0}, comments = {0};
	int first = 1, params = table_params(state);

	if (defer_unique_together(c, state) < 0)
		return -1;
	buf_puts(&b, "CREATE TABLE ");
	qn(&b, table);
	buf_puts(&b, " (");
	for (size_t i = 0; i < nfields(state); i++) {
		struct field f = field_at(state, i);
		char *def, *col, *fk;

		if (is_m2m(&f))
			continue;
		if (!(def = column_def(c, state, &f, after, NULL, NULL))) {
			buf_free(&b);
			return -1;
		}
		col = column(&f);
		buf_puts(&b, first ? "" : ", ");
		first = 0;
		qn(&b, col);
		buf_printf(&b, " %s", def);
		append_check_suffix(&b, &f, col);
		if (has_fk(&f)) {
			if (!(fk = fk_sql(c, table, &f, after))) {
				free(def);
				free(col);
				buf_free(&b);
				return -1;
			}
			defer(c, fk);
			free(fk);
		}
		if (kstr(f.call, "db_comment")) {
			column_comment(&comments, table, col,
			    kstr(f.call, "db_comment"));
			buf_putc(&comments, '\n');
		}
		free(def);
		free(col);
	}
	for (size_t i = 0; cons && i < cons->n; i++) {
		const struct value *con = cons->items[i];
		const struct value *nd = kw(con, "nulls_distinct");
		char *sql;

		if (is_unique_index(con)) {
			if (!(sql = unique_index_sql(c, state, con))) {
				buf_free(&b);
				buf_free(&comments);
				return -1;
			}
			defer(c, sql);
			free(sql);
			continue;
		}
		if (params || (nd && nd->kind != V_NONE)) {
			/* Django adds these after the table */
			char *body = constraint_body(c, state, con);
			struct buf a = {0};

			if (!body) {
				buf_free(&b);
				buf_free(&comments);
				return -1;
			}
			buf_puts(&a, "ALTER TABLE ");
			qn(&a, table);
			buf_puts(&a, " ADD CONSTRAINT ");
			qn(&a, kstr(con, "name"));
			buf_printf(&a, " %s", body);
			defer(c, a.s);
			buf_free(&a);
			free(body);
			continue;
		}
		if (!(sql = constraint_inline(c, state, con))) {
			buf_free(&b);
			buf_free(&comments);
			return -1;
		}
		buf_printf(&b, ", %s", sql);
		free(sql);
	}
	buf_putc(&b, ')');
	emit(c, b.s);
	buf_free(&b);
	if (tc && tc->kind == V_STR) {
		buf_puts(&b, "COMMENT ON TABLE ");
		qn(&b, table);
		buf_puts(&b, " IS ");
		str_literal(&b, tc->s);
		emit(c, b.s);
		buf_free(&b);
	}
	for (char *p = comments.s, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		emit(c, p);
	}
	buf_free(&comments);
	for (size_t i = 0; i < nfields(state); i++) {
		struct field f = field_at(state, i);

		if (!is_m2m(&f) && field_indexes(c, table, &f, after) < 0)
			return -1;
	}
	for (size_t i = 0; idxs && i < idxs->n; i++) {
		char *sql = index_sql(c, state, idxs->items[i], 0);

		if (!sql)
			return -1;
		defer(c, sql);
		free(sql);
	}
	for (size_t i = 0; i < nfields(state); i++) {
		struct field f = field_at(state, i);

		if (is_m2m(&f) && with_through(c, state, &f, after, 1) < 0)
			return -1;
	}
	return 0;
}

int drop_table(struct opctx *c, const struct value *state, int after)
{
	struct buf b = {0};

	for (size_t i = 0; i < nfields(state); i++) {
		struct field f = field_at(state, i);

		if (is_m2m(&f) && with_through(c, state, &f, after, 0) < 0)
			return -1;
	}
	buf_puts(&b, "DROP TABLE ");
	qn(&b, model_table(state));
	buf_puts(&b, " CASCADE");
	emit(c, b.s);
	buf_free(&b);
	return 0;
}

const char *index_method(const char *cls)
{
	static const char *const m[][2] = {
		{"postgres.indexes.GinIndex", "gin"},
		{"postgres.indexes.GistIndex", "gist"},
		{"postgres.indexes.BrinIndex", "brin"},
		{"postgres.indexes.BTreeIndex", "btree"},
		{"postgres.indexes.HashIndex", "hash"},
		{"postgres.indexes.SpGistIndex", "spgist"},
		{"postgres.indexes.BloomIndex", "bloom"},
	};

	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (!strcmp(cls, m[i][0]))
			return m[i][1];
	return NULL;
}

void on_off(struct buf *w, const struct value *idx, const char *k)
{
	const struct value *v = kw(idx, k);

	if (v && (v->kind == V_TRUE || v->kind == V_FALSE))
		buf_printf(w, "%s%s = %s", w->len ? ", " : "", k,
		    v->kind == V_TRUE ? "on" : "off");
}

void number(struct buf *w, const struct value *idx, const char *k)
{
	const struct value *v = kw(idx, k);

	if (v && v->kind == V_INT)
		buf_printf(w, "%s%s = %s", w->len ? ", " : "", k, v->s);
}

/* The storage parameters of contrib.postgres index classes. */
void with_params(struct buf *w, const struct value *idx,
    const char *method)
{
	const struct value *v;

	if (!strcmp(method, "gin")) {
		on_off(w, idx, "fastupdate");
		number(w, idx, "gin_pending_list_limit");
	} else if (!strcmp(method, "brin")) {
		on_off(w, idx, "autosummarize");
		number(w, idx, "pages_per_range");
	} else if (!strcmp(method, "gist")) {
		if ((v = kw(idx, "buffering")) && v->kind != V_NONE)
			buf_printf(w, "buffering = %s", v->kind == V_TRUE ? "on" :
			    v->kind == V_FALSE ? "off" : "auto");
		number(w, idx, "fillfactor");
	} else if (!strcmp(method, "btree")) {
		number(w, idx, "fillfactor");
		on_off(w, idx, "deduplicate_items");
	} else if (!strcmp(method, "bloom")) {
		number(w, idx, "length");
		v = kw(idx, "columns");
		for (size_t i = 0; v && i < v->n; i++)
			buf_printf(w, "%scol%zu = %s", w->len ? ", " : "", i + 1,
			    v->items[i]->kind == V_INT ? v->items[i]->s : "?");
	} else {
		number(w, idx, "fillfactor");
	}
}

int has_expressions(const struct value *call)
{
	for (size_t i = 0; call && i < call->n; i++)
		if (!call->names[i])
			return 1;
	return 0;
}

/* One expression of a functional index or unique constraint, as
 * Django's IndexExpressions writes it: a column bare, anything else in
 * parentheses, an OrderBy's direction after it. */
/* X.desc() and X.asc(): OrderBy(X, descending=...). */
static int order_method(const struct value *e, int *desc)
{
	if (e->kind != V_CALL || e->fn->kind != V_ATTR || e->n ||
	    (strcmp(e->fn->s, "desc") && strcmp(e->fn->s, "asc")))
		return 0;
	*desc = !strcmp(e->fn->s, "desc");
	return 1;
}

/* The expression a wrapper wraps: its first positional argument or
 * the keyword k. */
static const struct value *wrapped(const struct value *e, const char *k)
{
	if (e->fn->kind == V_ATTR)
		return e->fn->fn;
	if (kw(e, k))
		return kw(e, k);
	return e->n && !e->names[0] ? e->items[0] : NULL;
}

/* IndexExpression: the wrappers at the top of an index expression
 * (OrderBy, OpClass, Collate, as django.contrib.postgres registers
 * them, each at most once) set around the root, which is in
 * parentheses unless it is a column. */
int index_expression(const struct opctx *c, const struct value *state,
    const struct value *e, struct buf *b)
{
	static const char *const wcls[3] = { "models.OrderBy",
	    "postgres.indexes.OpClass", "models.functions.Collate" };
	const struct value *w[3] = { NULL, NULL, NULL };
	int desc = 0, rc;

	for (;;) {
		int k = -1, d;

		for (int i = 0; i < 3; i++)
			if (!strcmp(call_cls(e), wcls[i]))
				k = i;
		if (order_method(e, &d)) {
			k = 0;
			desc = d;
		} else if (k == 0) {
			desc = truthy(kw(e, "descending"));
		}
		if (k < 0)
			break;
		if (w[k])
			return render_error(c, "index expression: Multiple "
			    "references to OrderBy, OpClass, Collate can't be "
			    "used in an indexed expression.");
		w[k] = e;
		if (!(e = wrapped(e, "expression")))
			return render_error(c, "index expression: %s without "
			    "its expression", wcls[k]);
	}
	if (e->kind == V_STR || !strcmp(call_cls(e), "models.F")) {
		rc = expr_sql(c, state, e, b);
	} else {
		buf_putc(b, '(');
		rc = expr_sql(c, state, e, b);
		buf_putc(b, ')');
	}
	if (rc < 0)
		return -1;
	if (w[2]) {
		const struct value *coll = kw(w[2], "collation");

		if (!coll && w[2]->n > 1 && !w[2]->names[1])
			coll = w[2]->items[1];
		if (!coll || coll->kind != V_STR)
			return render_error(c, "index expression: Collate without "
			    "a collation");
		buf_puts(b, " COLLATE ");
		qn(b, coll->s);
	}
	if (w[1]) {
		if (!kstr(w[1], "name"))
			return render_error(c, "index expression: OpClass without "
			    "a name");
		buf_printf(b, " %s", kstr(w[1], "name"));
	}
	if (w[0]) {
		buf_puts(b, desc ? " DESC" : " ASC");
		if (truthy(kw(w[0], "nulls_last")))
			buf_puts(b, " NULLS LAST");
		else if (truthy(kw(w[0], "nulls_first")))
			buf_puts(b, " NULLS FIRST");
	}
	return 0;
}

int index_expressions(const struct opctx *c, const struct value *state,
    const struct value *call, struct buf *b)
{
	int first = 1;

	for (size_t i = 0; i < call->n; i++) {
		if (call->names[i])
			continue;
		buf_puts(b, first ? "" : ", ");
		first = 0;
		if (index_expression(c, state, call->items[i], b) < 0)
			return -1;
	}
	return 0;
}

/* " INCLUDE (...)" of an index or unique constraint. */
int include_sql(struct opctx *c, const struct value *state,
    const struct value *call, struct buf *b)
{
	const struct value *inc = kw(call, "include");
	char **cols;
	size_t n;

	if (!inc || inc->kind == V_NONE || !inc->n)
		return 0;
	if (columns_of(c, state, inc, &cols, &n) < 0)
		return -1;
	buf_puts(b, " INCLUDE (");
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, i ? ", " : "");
		qn(b, cols[i]);
	}
	buf_putc(b, ')');
	free_cols(cols, n);
	return 0;
}

/* " WHERE ..." of a partial index or unique constraint. */
int condition_sql(struct opctx *c, const struct value *state,
    const struct value *call, struct buf *b)
{
	const struct value *cond = kw(call, "condition");
	char *err = NULL;

	if (!cond || cond->kind == V_NONE)
		return 0;
	buf_puts(b, " WHERE ");
	if (where_sql(cond, state, param_literal, b, &err) < 0) {
		render_error(c, "condition of %s: %s", kstr(call, "name") ?
		    kstr(call, "name") : "?", err);
		free(err);
		return -1;
	}
	return 0;
}

/* What follows an index's columns: INCLUDE, WITH, WHERE. */
char *index_tail(struct opctx *c, const struct value *state,
    const struct value *idx, const char *method, struct buf *b)
{
	struct buf w = {0};

	buf_putc(b, ')');
	if (include_sql(c, state, idx, b) < 0) {
		buf_free(b);
		return NULL;
	}
	if (method) {
		buf_putn(&w, "", 0);
		with_params(&w, idx, method);
		if (w.len)
			buf_printf(b, " WITH (%s)", w.s);
		buf_free(&w);
	}
	if (condition_sql(c, state, idx, b) < 0) {
		buf_free(b);
		return NULL;
	}
	return b->s;
}

char *index_sql(struct opctx *c, const struct value *state,
    const struct value *idx, int concurrently)
{
	const char *cls = idx && idx->kind == V_CALL && idx->fn->kind == V_NAME ?
	    idx->fn->s : "", *method = index_method(cls);
	const char *name = kstr(idx, "name");
	const struct value *fields = kw(idx, "fields"), *ops = kw(idx, "opclasses");
	struct buf b = {0};
	char **cols;
	size_t n;

	if (!name || (!fields && !has_expressions(idx)) ||
	    kstr(idx, "db_tablespace"))
		return render_error(c, "index %s: this index is not rendered yet",
		    name ? name : "?"), NULL;
	buf_puts(&b, concurrently ? "CREATE INDEX CONCURRENTLY " :
	    "CREATE INDEX ");
	qn(&b, name);
	buf_puts(&b, " ON ");
	qn(&b, model_table(state));
	if (method)
		buf_printf(&b, " USING %s", method);
	buf_puts(&b, " (");
	if (!fields) {
		if (index_expressions(c, state, idx, &b) < 0) {
			buf_free(&b);
			return NULL;
		}
		return index_tail(c, state, idx, method, &b);
	}
	if (columns_of(c, state, fields, &cols, &n) < 0) {
		buf_free(&b);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const struct value *f = fields->items[i];

		buf_puts(&b, i ? ", " : "");
		qn(&b, cols[i]);
		if (ops && i < ops->n && ops->items[i]->kind == V_STR)
			buf_printf(&b, " %s", ops->items[i]->s);
		if (f->kind == V_STR && f->s[0] == '-')
			buf_puts(&b, " DESC");
	}
	free_cols(cols, n);
	return index_tail(c, state, idx, method, &b);
}

/* models.Deferrable.DEFERRED, or Deferrable['DEFERRED'] as the writer
 * spells an enum member. */
const char *deferrable(const struct value *con)
{
	const struct value *d = kw(con, "deferrable");
	const char *which = NULL;

	if (d && d->kind == V_NAME)
		which = strrchr(d->s, '.') + 1;
	else if (d && d->kind == V_SUBSCRIPT && d->items[0]->kind == V_STR)
		which = d->items[0]->s;
	if (!which)
		return "";
	return !strcmp(which, "DEFERRED") ? " DEFERRABLE INITIALLY DEFERRED" :
	    " DEFERRABLE INITIALLY IMMEDIATE";
}

int simple_unique(const struct value *con)
{
	static const char *const hard[] = { "condition", "include", "opclasses",
	    NULL };

	for (size_t i = 0; i < con->n; i++)
		if (!con->names[i])
			return 0;
	for (int i = 0; hard[i]; i++) {
		const struct value *v = kw(con, hard[i]);

		if (v && v->kind != V_NONE && !((v->kind == V_LIST ||
		    v->kind == V_TUPLE) && v->n == 0))
			return 0;
	}
	return 1;
}

const char *nulls_distinct(const struct value *con)
{
	const struct value *v = kw(con, "nulls_distinct");

	return !v || v->kind == V_NONE ? "" : v->kind == V_TRUE ?
	    " NULLS DISTINCT" : " NULLS NOT DISTINCT";
}

/* where_sql's parameters, as the schema editor quotes them: None is
 * NULL. */
char *param_literal(const struct value *v, const struct value *field,
    char **err)
{
	char *s = sql_literal(v, field, err);

	return s || *err ? s : xstrdup("NULL");
}

char *check_body(struct opctx *c, const struct value *state,
    const struct value *con)
{
	const struct value *cond = kw(con, "condition");
	struct buf b = {0};
	char *err = NULL;

	if (!cond)
		cond = kw(con, "check");	/* before Django 5.1 */
	if (!cond)
		return render_error(c, "constraint %s has no condition",
		    kstr(con, "name") ? kstr(con, "name") : "?"), NULL;
	buf_puts(&b, "CHECK (");
	if (where_sql(cond, state, param_literal, &b, &err) < 0) {
		render_error(c, "constraint %s: %s", kstr(con, "name") ?
		    kstr(con, "name") : "?", err);
		free(err);
		buf_free(&b);
		return NULL;
	}
	buf_putc(&b, ')');
	return b.s;
}

/* A UniqueConstraint with a condition, INCLUDE, opclasses or expressions
 * is a unique index: CREATE UNIQUE INDEX, dropped with DROP INDEX. */
char *unique_index_sql(struct opctx *c, const struct value *state,
    const struct value *con)
{
	const struct value *fields = kw(con, "fields"), *ops = kw(con,
	    "opclasses");
	struct buf b = {0};
	char **cols;
	size_t n;

	buf_puts(&b, "CREATE UNIQUE INDEX ");
	qn(&b, kstr(con, "name") ? kstr(con, "name") : "");
	buf_puts(&b, " ON ");
	qn(&b, model_table(state));
	buf_puts(&b, " (");
	if (fields && fields->n) {
		if (columns_of(c, state, fields, &cols, &n) < 0) {
			buf_free(&b);
			return NULL;
		}
		for (size_t i = 0; i < n; i++) {
			buf_puts(&b, i ? ", " : "");
			qn(&b, cols[i]);
			if (ops && ops->kind != V_NONE && i < ops->n &&
			    ops->items[i]->kind == V_STR)
				buf_printf(&b, " %s", ops->items[i]->s);
		}
		free_cols(cols, n);
	} else if (index_expressions(c, state, con, &b) < 0) {
		buf_free(&b);
		return NULL;
	}
	buf_putc(&b, ')');
	if (include_sql(c, state, con, &b) < 0)
		return NULL;
	buf_puts(&b, nulls_distinct(con));
	if (condition_sql(c, state, con, &b) < 0)
		return NULL;
	return b.s;
}

int is_unique_index(const struct value *con)
{
	return con->kind == V_CALL && con->fn->kind == V_NAME &&
	    !strcmp(con->fn->s, "models.UniqueConstraint") && !simple_unique(con);
}

/* EXCLUDE USING GIST ("col" WITH &&, ...) [INCLUDE] [WHERE (...)] */
static char *exclusion_body(struct opctx *c, const struct value *state,
    const struct value *con)
{
	const struct value *ex = kw(con, "expressions");
	const char *type = kstr(con, "index_type");
	struct buf b = {0}, w = {0};

	if (!ex || (ex->kind != V_LIST && ex->kind != V_TUPLE) ||
	    kw(con, "opclasses"))
		return render_error(c, "constraint %s: this exclusion constraint "
		    "is not rendered yet", kstr(con, "name") ? kstr(con, "name") :
		    "?"), NULL;
	buf_printf(&b, "EXCLUDE USING %s (", type ? type : "GIST");
	for (size_t i = 0; i < ex->n; i++) {
		const struct value *p = ex->items[i];

		if ((p->kind != V_TUPLE && p->kind != V_LIST) || p->n != 2 ||
		    p->items[1]->kind != V_STR ||
		    index_expression(c, state, p->items[0], (buf_puts(&b, i ?
		    ", " : ""), &b)) < 0) {
			buf_free(&b);
			return render_error(c, "constraint %s: expression %zu is not "
			    "rendered yet", kstr(con, "name") ? kstr(con, "name") :
			    "?", i + 1), NULL;
		}
		buf_printf(&b, " WITH %s", p->items[1]->s);
	}
	buf_putc(&b, ')');
	if (include_sql(c, state, con, &b) < 0 ||
	    condition_sql(c, state, con, &w) < 0) {
		buf_free(&b);
		buf_free(&w);
		return NULL;
	}
	if (w.len)	/* " WHERE cond" becomes " WHERE (cond)" */
		buf_printf(&b, " WHERE (%s)", w.s + 7);
	buf_free(&w);
	buf_puts(&b, deferrable(con));
	return b.s;
}

/* UNIQUE (cols) or CHECK (...), for CREATE TABLE or ADD CONSTRAINT. */
char *constraint_body(struct opctx *c, const struct value *state,
    const struct value *con)
{
	const char *cls = con->kind == V_CALL && con->fn->kind == V_NAME ?
	    con->fn->s : "";
	const struct value *fields = kw(con, "fields");
	struct buf b = {0};
	char **cols;
	size_t n;

	if (!strcmp(cls, "models.CheckConstraint"))
		return check_body(c, state, con);
	if (!strcmp(cls, "postgres.constraints.ExclusionConstraint"))
		return exclusion_body(c, state, con);
	if (strcmp(cls, "models.UniqueConstraint") || !fields ||
	    !simple_unique(con))
		return render_error(c, "constraint %s: %s is not rendered yet",
		    kstr(con, "name") ? kstr(con, "name") : "?", cls), NULL;
	if (columns_of(c, state, fields, &cols, &n) < 0)
		return NULL;
	buf_printf(&b, "UNIQUE%s (", nulls_distinct(con));
	for (size_t i = 0; i < n; i++) {
		buf_puts(&b, i ? ", " : "");
		qn(&b, cols[i]);
	}
	buf_printf(&b, ")%s", deferrable(con));
	free_cols(cols, n);
	return b.s;
}

char *constraint_inline(struct opctx *c, const struct value *state,
    const struct value *con)
{
	char *body = constraint_body(c, state, con), *r;
	struct buf b = {0};

	if (!body)
		return NULL;
	buf_puts(&b, "CONSTRAINT ");
	qn(&b, kstr(con, "name"));
	buf_printf(&b, " %s", body);
	free(body);
	r = b.s;
	return r;
}

int add_constraint(struct opctx *c, const struct value *state,
    const struct value *con, int not_valid)
{
	char *body;
	struct buf b = {0};

	if (is_unique_index(con)) {
		if (!(body = unique_index_sql(c, state, con)))
			return -1;
		emit(c, body);
		free(body);
		return 0;
	}
	body = constraint_body(c, state, con);
	if (!body)
		return -1;
	buf_puts(&b, "ALTER TABLE ");
	qn(&b, model_table(state));
	buf_puts(&b, " ADD CONSTRAINT ");
	qn(&b, kstr(con, "name"));
	buf_printf(&b, " %s%s", body, not_valid ? " NOT VALID" : "");
	emit(c, b.s);
	buf_free(&b);
	free(body);
	return 0;
}

int drop_constraint(struct opctx *c, const char *table, const char *name)
{
	struct buf b = {0};

	buf_puts(&b, "ALTER TABLE ");
	qn(&b, table);
	buf_puts(&b, " DROP CONSTRAINT ");
	qn(&b, name);
	emit(c, b.s);
	buf_free(&b);
	return 0;
}

const struct value *named_in(const struct value *state,
    const char *opt, const char *name)
{
	const struct value *l = option(state, opt);

	for (size_t i = 0; l && name && i < l->n; i++)
		if (value_is_str(kw(l->items[i], "name"), name))
			return l->items[i];
	return NULL;
}

/* add_field: ALTER TABLE ADD COLUMN with an inline foreign key. */
int add_column(struct opctx *c, const struct value *state,
    const struct field *f, int after, const struct value *dfield)
{
	const char *table = model_table(state);
	struct buf b = {0};
	char *def, *col;
	int has_default;

	if (is_m2m(f))
		return with_through(c, state, f, after, 1);
	if (!(def = column_def(c, state, f, after, dfield, &has_default)))
		return -1;
	col = column(f);
	buf_puts(&b, "ALTER TABLE ");
	qn(&b, table);
	buf_puts(&b, " ADD COLUMN ");
	qn(&b, col);
	buf_printf(&b, " %s%s", def, type_suffix(f));
	if (has_check(f))
		buf_printf(&b, " CHECK (\"%s\" >= 0)", col);
	if (has_fk(f)) {
		const struct value *m;
		char *tcol, *name = fk_name(c, table, f, after, &m, &tcol);

		if (!name) {
			free(def);
			free(col);
			buf_free(&b);
			return -1;
		}
		buf_puts(&b, " CONSTRAINT ");
		qn(&b, name);
		buf_puts(&b, " REFERENCES ");
		qn(&b, model_table(m));
		buf_putc(&b, '(');
		qn(&b, tcol);
		buf_puts(&b, ") DEFERRABLE INITIALLY DEFERRED; SET CONSTRAINTS ");
		qn(&b, name);
		buf_puts(&b, " IMMEDIATE");
		free(tcol);
		free(name);
	}
	emit(c, b.s);
	buf_free(&b);
	if (has_default == 2)
		mark_stmt(c, STMT_ONCE_DEFAULT);
	if (has_default) {	/* Django keeps no default in the database */
		buf_puts(&b, "ALTER TABLE ");
		qn(&b, table);
		buf_puts(&b, " ALTER COLUMN ");
		qn(&b, col);
		buf_puts(&b, " DROP DEFAULT");
		emit(c, b.s);
		buf_free(&b);
	}
	if (kstr(f->call, "db_comment")) {
		column_comment(&b, table, col, kstr(f->call, "db_comment"));
		emit(c, b.s);
		buf_free(&b);
	}
	free(def);
	free(col);
	return field_indexes(c, table, f, after);
}

/* remove_field: its foreign key first, then the column. */
int remove_column(struct opctx *c, const struct value *state,
    const struct field *f, int after)
{
	const char *table = model_table(state);
	struct buf b = {0};
	char *col;

	if (is_m2m(f))
		return with_through(c, state, f, after, 0);
	col = column(f);
	if (is_fk(f)) {	/* the keys the database has on the column */
		const char *cols[1] = { col };
		char **names;
		size_t k;

		if (db_names(c, state, "|fk|", cols, 1, NULL, &names, &k) < 0) {
			free(col);
			return -1;
		}
		for (size_t i = 0; i < k; i++)
			drop_fk(c, table, names[i]);
		free_names(names, k);
	}
	buf_puts(&b, "ALTER TABLE ");
	qn(&b, table);
	buf_puts(&b, " DROP COLUMN ");
	qn(&b, col);
	buf_puts(&b, " CASCADE");
	emit(c, b.s);
	buf_free(&b);
	free(col);
	return 0;
}

/* An index made by a statement still deferred in this migration and
 * removed before its end is never made: Django drops that statement. */
void forget_deferred_index(struct opctx *c, const char *name)
{
	struct migctx *m = c->mig;
	struct buf a = {0}, u = {0};
	size_t k = 0;

	buf_puts(&a, "CREATE INDEX ");
	qn(&a, name);
	buf_puts(&a, " ON ");
	buf_puts(&u, "CREATE UNIQUE INDEX ");
	qn(&u, name);
	buf_puts(&u, " ON ");
	for (size_t i = 0; i < m->ndeferred; i++) {
		if (!strncmp(m->deferred[i], a.s, a.len) ||
		    !strncmp(m->deferred[i], u.s, u.len)) {
			free(m->deferred[i]);
			free(m->deferred_index[i]);
			continue;
		}
		m->deferred[k] = m->deferred[i];
		m->deferred_index[k++] = m->deferred_index[i];
	}
	m->ndeferred = k;
	buf_free(&a);
	buf_free(&u);
}

int drop_index(struct opctx *c, const char *name, int concurrently)
{
	struct buf b = {0};

	buf_puts(&b, concurrently ? "DROP INDEX CONCURRENTLY IF EXISTS " :
	    "DROP INDEX IF EXISTS ");
	qn(&b, name);
	emit(c, b.s);
	buf_free(&b);
	return 0;
}

int emit_index(struct opctx *c, const struct value *state,
    const struct value *idx, int concurrently)
{
	char *sql = index_sql(c, state, idx, concurrently);

	if (!sql)
		return -1;
	emit(c, sql);
	free(sql);
	return 0;
}
