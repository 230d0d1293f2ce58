/* field.c: an operation's arguments and model states, their fields and
 * columns: what every renderer asks of a model (near the bottom: it calls
 * only sink.c, the literals and the names). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sqlint.h"

/* --- model states and fields -------------------------------------------- */

const struct value *kw(const struct value *call, const char *k)
{
	return value_kwarg(call, k);
}

int truthy(const struct value *v)
{
	return v && v->kind == V_TRUE;
}

/* The first argument kstr or kint met as an expression migparse left
 * unevaluated, since field_unread_reset: its keyword, else NULL. */
static const char *unread;

void field_unread_reset(void)
{
	unread = NULL;
}

const char *field_unread(void)
{
	return unread;
}

/* v, of another kind than wanted: an expression Python would evaluate
 * (not a None or another literal Django would refuse or ignore)? */
static void note_unread(const struct value *v, const char *k)
{
	switch (v->kind) {
	case V_NAME: case V_ATTR: case V_CALL: case V_SUBSCRIPT: case V_UNARY:
	case V_BINOP: case V_COND:
		if (!unread)
			unread = k;
		break;
	default:
		break;
	}
}

const char *kstr(const struct value *call, const char *k)
{
	const struct value *v = kw(call, k);

	if (v && v->kind != V_STR)
		note_unread(v, k);
	return v && v->kind == V_STR ? v->s : NULL;
}

long kint(const struct value *call, const char *k, long dflt)
{
	const struct value *v = kw(call, k);

	if (v && v->kind != V_INT)
		note_unread(v, k);
	return v && v->kind == V_INT ? strtol(v->s, NULL, 10) : dflt;
}

size_t nfields(const struct value *state)
{
	const struct value *f = kw(state, "fields");

	return f ? f->n : 0;
}

static int auto_created(const struct value *pair)
{
	return truthy(kw(pair->items[1], "auto_created"));
}

/* The i-th field as the rendered model's _meta.local_fields has it,
 * sorted by creation counter: a field made with auto_created=True takes
 * Field.auto_creation_counter, negative and falling, so such fields come
 * first, the last made first; the others keep the state's order. */
struct field field_at(const struct value *state, size_t i)
{
	const struct value *fs = kw(state, "fields"), *p = NULL;
	size_t na = 0, k;

	for (k = 0; k < fs->n; k++)
		na += auto_created(fs->items[k]) != 0;
	for (k = fs->n; i < na && k-- > 0;)
		if (auto_created(fs->items[k]) && i-- == 0) {
			p = fs->items[k];
			break;
		}
	for (k = 0, i -= na; !p && k < fs->n; k++)
		if (!auto_created(fs->items[k]) && i-- == 0)
			p = fs->items[k];
	return (struct field){ p->items[0]->s, p->items[1],
	    p->items[1]->fn->kind == V_NAME ? p->items[1]->fn->s : "" };
}

int field_named(const struct value *state, const char *name,
    struct field *out)
{
	for (size_t i = 0; i < nfields(state); i++) {
		*out = field_at(state, i);
		if (!strcmp(out->name, name))
			return 0;
	}
	return -1;
}

/* As _meta.get_field(): a field by its name or by its attname (a
 * foreign key's name with _id), as indexes, constraints, together options
 * and F() may name it. */
int meta_field(const struct value *state, const char *name,
    struct field *out)
{
	size_t n = strlen(name);

	if (field_named(state, name, out) == 0)
		return 0;
	for (size_t i = 0; i < nfields(state); i++) {
		*out = field_at(state, i);
		if (is_fk(out) && n > 3 && !strcmp(name + n - 3, "_id") &&
		    strlen(out->name) == n - 3 && !strncmp(out->name, name, n - 3))
			return 0;
	}
	return -1;
}

int is_cls(const struct field *f, const char *c)
{
	return !strcmp(f->cls, c);
}

int is_fk(const struct field *f)
{
	return is_cls(f, "models.ForeignKey") || is_cls(f, "models.OneToOneField");
}

int is_m2m(const struct field *f)
{
	return is_cls(f, "models.ManyToManyField");
}

/* The column: db_column, or the name (with _id for a foreign key). */
char *column(const struct field *f)
{
	const char *c = kstr(f->call, "db_column");

	if (c)
		return xstrdup(c);
	return is_fk(f) ? xasprintf("%s_id", f->name) : xstrdup(f->name);
}

int is_pk(const struct field *f)
{
	return truthy(kw(f->call, "primary_key"));
}

int is_unique(const struct field *f)
{
	return is_pk(f) || truthy(kw(f->call, "unique")) ||
	    is_cls(f, "models.OneToOneField");
}

int is_null(const struct field *f)
{
	return truthy(kw(f->call, "null")) || is_cls(f, "models.NullBooleanField");
}

/* db_index, with the classes that default it to True. */
int is_indexed(const struct field *f)
{
	const struct value *v = kw(f->call, "db_index");

	if (v)
		return truthy(v);
	return is_fk(f) || is_cls(f, "models.SlugField");
}

const struct value *model_for(const struct opctx *c, const char *label,
    int after)
{
	char *key = name_lower(label);
	const struct value *v;

	v = op_model(c, key, after);
	if (!v)
		v = op_model(c, key, !after);
	free(key);
	return v;
}

int pk_field(const struct value *state, struct field *out)
{
	for (size_t i = 0; i < nfields(state); i++) {
		*out = field_at(state, i);
		if (is_pk(out))
			return 0;
	}
	return -1;
}

/* The model a relation to label points at: for a proxy model its
 * concrete model, the first model of its bases followed through proxies
 * (Options.concrete_model, whose pk and table a proxy's _meta shares);
 * NULL when one is not in the stream. */
const struct value *related_model(const struct opctx *c,
    const char *label, int after)
{
	const struct value *m = model_for(c, label, after);

	for (int depth = 0; m && truthy(option(m, "proxy")); depth++) {
		const struct value *bases = kw(m, "bases"), *base = NULL;

		for (size_t i = 0; bases && !base && i < bases->n; i++)
			if (bases->items[i]->kind == V_STR)
				base = bases->items[i];
		if (!base || depth > 32)
			return NULL;
		m = model_for(c, base->s, after);
	}
	return m;
}

/* The field a relation points at, and its model. */
int target(const struct opctx *c, const struct field *f, int after,
    const struct value **model, struct field *t)
{
	const char *to = kstr(f->call, "to"), *tf = kstr(f->call, "to_field");

	if (!to || !(*model = related_model(c, to, after)))
		return render_error(c, "field %s: the model it points at (%s) is "
		    "not in the stream", f->name, to ? to : "?");
	if (tf ? field_named(*model, tf, t) : pk_field(*model, t))
		return render_error(c, "field %s: no target field on %s",
		    f->name, to);
	return 0;
}

/* --- column types --------------------------------------------------------- */

static const char *const simple_types[][2] = {
	{"models.AutoField", "integer"}, {"models.BigAutoField", "bigint"},
	{"models.SmallAutoField", "smallint"}, {"models.BinaryField", "bytea"},
	{"models.BooleanField", "boolean"}, {"models.NullBooleanField", "boolean"},
	{"models.DateField", "date"},
	{"models.DateTimeField", "timestamp with time zone"},
	{"models.DurationField", "interval"}, {"models.FloatField", "double precision"},
	{"models.IntegerField", "integer"}, {"models.BigIntegerField", "bigint"},
	{"models.IPAddressField", "inet"}, {"models.GenericIPAddressField", "inet"},
	{"models.JSONField", "jsonb"}, {"models.PositiveBigIntegerField", "bigint"},
	{"models.PositiveIntegerField", "integer"},
	{"models.PositiveSmallIntegerField", "smallint"},
	{"models.SmallIntegerField", "smallint"}, {"models.TextField", "text"},
	{"models.TimeField", "time"}, {"models.UUIDField", "uuid"},
	{"postgres.fields.HStoreField", "hstore"},
	{"postgres.fields.IntegerRangeField", "int4range"},
	{"postgres.fields.BigIntegerRangeField", "int8range"},
	{"postgres.fields.DecimalRangeField", "numrange"},
	{"postgres.fields.DateTimeRangeField", "tstzrange"},
	{"postgres.fields.DateRangeField", "daterange"},
	{"postgres.fields.CICharField", "citext"},
	{"postgres.fields.CIEmailField", "citext"},
	{"postgres.fields.CITextField", "citext"},
	{"postgres.fields.JSONField", "jsonb"},
	{"postgres.search.SearchVectorField", "tsvector"},
};

/* varchar fields and their default max_length. */
static const struct { const char *cls; long dflt; } varchars[] = {
	{"models.CharField", -1}, {"models.EmailField", 254},
	{"models.URLField", 200}, {"models.SlugField", 50},
	{"models.FileField", 100}, {"models.ImageField", 100},
	{"models.FilePathField", 100}, {"models.CommaSeparatedIntegerField", -1},
};


char *array_type(const struct opctx *c, const struct field *f,
    int after)
{
	const struct value *base = kw(f->call, "base_field");
	struct field b = { f->name, base, base && base->kind == V_CALL &&
	    base->fn->kind == V_NAME ? base->fn->s : "" };
	const struct value *size = kw(f->call, "size");
	char *t, *r;

	if (!base || !(t = db_type(c, &b, after)))
		return NULL;
	r = size && size->kind == V_INT ? xasprintf("%s[%s]", t, size->s) :
	    xasprintf("%s[]", t);
	free(t);
	return r;
}

/* A related field's type is its target's "rel_db_type". */
char *rel_type(const struct opctx *c, const struct field *f, int after)
{
	const struct value *m;
	struct field t;

	if (target(c, f, after, &m, &t) < 0)
		return NULL;
	if (is_cls(&t, "models.AutoField") ||
	    is_cls(&t, "models.PositiveIntegerField"))
		return xstrdup("integer");
	if (is_cls(&t, "models.BigAutoField") ||
	    is_cls(&t, "models.PositiveBigIntegerField"))
		return xstrdup("bigint");
	if (is_cls(&t, "models.SmallAutoField") ||
	    is_cls(&t, "models.PositiveSmallIntegerField"))
		return xstrdup("smallint");
	return db_type(c, &t, after);
}

/* The column type of the field's class, or NULL (reported). */
static char *class_type(const struct opctx *c, const struct field *f,
    int after)
{
	if (is_fk(f))
		return rel_type(c, f, after);
	for (size_t i = 0; i < sizeof simple_types / sizeof simple_types[0]; i++)
		if (is_cls(f, simple_types[i][0]))
			return xstrdup(simple_types[i][1]);
	for (size_t i = 0; i < sizeof varchars / sizeof varchars[0]; i++)
		if (is_cls(f, varchars[i].cls)) {
			long n = kint(f->call, "max_length", varchars[i].dflt);

			return n < 0 ? xstrdup("varchar") :
			    xasprintf("varchar(%ld)", n);
		}
	if (is_cls(f, "models.DecimalField")) {
		const struct value *d = kw(f->call, "max_digits"),
		    *p = kw(f->call, "decimal_places");

		if ((!d || d->kind == V_NONE) && (!p || p->kind == V_NONE))
			return xstrdup("numeric");
		return xasprintf("numeric(%s, %s)", d && d->kind == V_INT ?
		    d->s : "None", p && p->kind == V_INT ? p->s : "None");
	}
	if (is_cls(f, "postgres.fields.ArrayField"))
		return array_type(c, f, after);
	render_error(c, "field %s: column type of %s is not rendered yet",
	    f->name, f->cls);
	return NULL;
}

/* A field of a project class that a map gives a column type of its own
 * (its db_type() returns it) has db_type='TYPE' in the stream; its class
 * is the built-in one whose arguments and get_internal_type() it has. */
static const char *own_type(const struct field *f)
{
	return is_fk(f) || is_m2m(f) ? NULL : kstr(f->call, "db_type");
}

/* The column type, or NULL (reported) when it cannot be told. */
char *db_type(const struct opctx *c, const struct field *f, int after)
{
	const char *t = own_type(f);

	return t ? xstrdup(t) : class_type(c, f, after);
}

/* What Django's _field_data_type looks up by get_internal_type(): the
 * type of the built-in class (for the classes of connection.data_types;
 * the contrib.postgres ones are not there, so their db_type()). */
char *internal_db_type(const struct opctx *c, const struct field *f,
    int after)
{
	if (own_type(f) && !strncmp(f->cls, "postgres.", 9))
		return xstrdup(own_type(f));
	return class_type(c, f, after);
}

const char *type_suffix(const struct field *f)
{
	if (is_cls(f, "models.AutoField") || is_cls(f, "models.BigAutoField") ||
	    is_cls(f, "models.SmallAutoField"))
		return " GENERATED BY DEFAULT AS IDENTITY";
	return "";
}

int has_check(const struct field *f)
{
	return is_cls(f, "models.PositiveIntegerField") ||
	    is_cls(f, "models.PositiveBigIntegerField") ||
	    is_cls(f, "models.PositiveSmallIntegerField");
}

/* The collation of a column: its own, or its target's. */
const char *collation(const struct opctx *c, const struct field *f,
    int after)
{
	const struct value *m;
	struct field t;

	if (kstr(f->call, "db_collation"))
		return kstr(f->call, "db_collation");
	if (is_fk(f) && kstr(f->call, "to") && (m = related_model(c,
	    kstr(f->call, "to"), after)) && !(kstr(f->call, "to_field") ? field_named(m,
	    kstr(f->call, "to_field"), &t) : pk_field(m, &t)))
		return kstr(t.call, "db_collation");
	return NULL;
}

int managed(const struct value *state)
{
	const struct value *o = kw(state, "options");

	if (truthy(kw(state, "swapped")))
		return 0;	/* Options.can_migrate: swapped by a setting */
	for (size_t i = 0; o && i + 1 < o->n; i += 2)
		if ((value_is_str(o->items[i], "managed") &&
		    o->items[i + 1]->kind == V_FALSE) ||
		    (value_is_str(o->items[i], "proxy") &&
		    o->items[i + 1]->kind == V_TRUE))
			return 0;
	return 1;
}

const struct value *option(const struct value *state, const char *k)
{
	return value_dict_get(kw(state, "options"), k);
}

/* The pk class Django gives a model it creates itself (an m2m table):
 * in the migration state that is settings.DEFAULT_AUTO_FIELD (the
 * AppConfigStub of each app takes the setting), which migstate writes
 * as the model state's auto_field=; models.BigAutoField, the value of
 * startproject's settings, when it is not given. */
const char *auto_field(const struct value *state)
{
	const char *a = kstr(state, "auto_field");

	return a ? a : "models.BigAutoField";
}

char *lowered(const char *s)
{
	return name_lower(s);
}

const char *op_arg(const struct opctx *c, const char *k)
{
	return kstr(c->op, k);
}

/* The model state the schema editor works on, or NULL when the model
 * is unmanaged or a proxy (Django's allow_migrate_model is false). */
const struct value *model(struct opctx *c, const char *k, int after,
    int *skip)
{
	const struct value *s = op_arg(c, k) ? op_model_named(c, op_arg(c, k), after) :
	    NULL;

	*skip = 0;
	if (!s) {
		render_error(c, "no state for model %s", op_arg(c, k) ? op_arg(c, k) :
		    "?");
		return NULL;
	}
	*skip = !managed(s);
	return s;
}
