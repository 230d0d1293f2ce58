#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base.h"
#include "python/python.h"
#include "state.h"

/* A model's name as Python's str.lower() makes it (Options.model_name). */
static char *lower(const char *s)
{
	return name_lower(s);
}

static int same_name(const char *a, const char *b)
{
	return name_same(a, b);
}

static int op_error(const struct opref *at, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s.%s #%s: ", argv0, at->app, at->migration,
	    at->index);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* --- dicts --------------------------------------------------------------- */

static long dict_find(const struct value *d, const char *key)
{
	for (size_t i = 0; d && i + 1 < d->n; i += 2)
		if (value_is_str(d->items[i], key))
			return (long)i;
	return -1;
}

static void dict_pop(struct value *d, const char *key)
{
	long i = dict_find(d, key);

	if (i < 0)
		return;
	value_free(d->items[i]);
	value_free(d->items[i + 1]);
	memmove(d->items + i, d->items + i + 2, (d->n - (size_t)i - 2) *
	    sizeof *d->items);
	d->n -= 2;
}

/* Set key to v (owned); an existing key keeps its place, as in Python. */
static void dict_set(struct value *d, const char *key, struct value *v)
{
	long i = dict_find(d, key);

	if (i >= 0) {
		value_free(d->items[i + 1]);
		d->items[i + 1] = v;
		return;
	}
	value_push(d, value_str(V_STR, key, strlen(key)), NULL);
	value_push(d, v, NULL);
}

/* --- models ----------------------------------------------------------- */

struct mstate *state_model(const struct pstate *s, const char *app,
    const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->m[i].app, app) && same_name(s->m[i].name,
		    name))
			return &s->m[i];
	return NULL;
}

static void mstate_free(struct mstate *m)
{
	free(m->app);
	free(m->name);
	for (size_t i = 0; i < m->nf; i++) {
		free(m->fnames[i]);
		value_free(m->fields[i]);
	}
	free(m->fnames);
	free(m->fields);
	value_free(m->options);
	value_free(m->bases);
	value_free(m->managers);
	value_free(m->past_tables);
}

static void mstate_copy(struct mstate *d, const struct mstate *m)
{
	d->app = xstrdup(m->app);
	d->name = xstrdup(m->name);
	d->nf = m->nf;
	d->fnames = xcalloc(m->nf, sizeof *d->fnames);
	d->fields = xcalloc(m->nf, sizeof *d->fields);
	for (size_t i = 0; i < m->nf; i++) {
		d->fnames[i] = xstrdup(m->fnames[i]);
		d->fields[i] = value_copy(m->fields[i]);
	}
	d->options = value_copy(m->options);
	d->bases = value_copy(m->bases);
	d->managers = value_copy(m->managers);
	d->past_tables = value_copy(m->past_tables);
}

void pstate_copy(struct pstate *dst, const struct pstate *src)
{
	*dst = *src;
	dst->m = xcalloc(src->n, sizeof *dst->m);
	for (size_t i = 0; i < src->n; i++)
		mstate_copy(&dst->m[i], &src->m[i]);
	dst->extensions = xcalloc(src->next, sizeof *dst->extensions);
	for (size_t i = 0; i < src->next; i++)
		dst->extensions[i] = xstrdup(src->extensions[i]);
	dst->cat = src->cat ? catalog_copy(src->cat) : NULL;
}

void pstate_free(struct pstate *s)
{
	for (size_t i = 0; i < s->n; i++)
		mstate_free(&s->m[i]);
	free(s->m);
	for (size_t i = 0; i < s->next; i++)
		free(s->extensions[i]);
	free(s->extensions);
	s->m = NULL;
	s->n = 0;
	s->extensions = NULL;
	s->next = 0;
	catalog_free(s->cat);
	s->cat = NULL;
}

static long field_index(const struct mstate *m, const char *name)
{
	for (size_t i = 0; i < m->nf; i++)
		if (!strcmp(m->fnames[i], name))
			return (long)i;
	return -1;
}

static void add_field(struct mstate *m, const char *name, struct value *f)
{
	m->fnames = xrealloc(m->fnames, (m->nf + 1) * sizeof *m->fnames);
	m->fields = xrealloc(m->fields, (m->nf + 1) * sizeof *m->fields);
	m->fnames[m->nf] = xstrdup(name);
	m->fields[m->nf++] = f;
}

static void remove_field(struct mstate *m, size_t i)
{
	free(m->fnames[i]);
	value_free(m->fields[i]);
	memmove(m->fnames + i, m->fnames + i + 1, (m->nf - i - 1) *
	    sizeof *m->fnames);
	memmove(m->fields + i, m->fields + i + 1, (m->nf - i - 1) *
	    sizeof *m->fields);
	m->nf--;
}

/* Django's truncate_name(): PostgreSQL names are at most 63 bytes. */
static char *truncate_name(const char *name)
{
	char hex[33];
	size_t n = strlen(name);

	if (n <= 63)
		return xstrdup(name);
	md5_hex(name, n, hex);
	return xasprintf("%.59s%.4s", name, hex);
}

char *mstate_table(const struct mstate *m)
{
	const struct value *t = value_dict_get(m->options, "db_table");
	char *l, *full, *r;

	if (t && t->kind == V_STR)
		return xstrdup(t->s);
	l = lower(m->name);
	full = xasprintf("%s_%s", m->app, l);
	r = truncate_name(full);
	free(l);
	free(full);
	return r;
}

char *mstate_text(const struct mstate *m)
{
	struct buf b = {0};
	char *table = mstate_table(m);
	struct value s = { .kind = V_STR };

	buf_puts(&b, "ModelState(app_label=");
	s.s = m->app;
	s.len = strlen(m->app);
	value_write(&b, &s);
	buf_puts(&b, ", name=");
	s.s = m->name;
	s.len = strlen(m->name);
	value_write(&b, &s);
	buf_puts(&b, ", db_table=");
	s.s = table;
	s.len = strlen(table);
	value_write(&b, &s);
	buf_puts(&b, ", fields=[");
	for (size_t i = 0; i < m->nf; i++) {
		s.s = m->fnames[i];	/* quotes and backslashes escaped */
		s.len = strlen(s.s);
		buf_puts(&b, i ? ", (" : "(");
		value_write(&b, &s);
		buf_puts(&b, ", ");
		value_write(&b, m->fields[i]);
		buf_putc(&b, ')');
	}
	buf_puts(&b, "], options=");
	value_write(&b, m->options);
	if (m->bases) {
		buf_puts(&b, ", bases=");
		value_write(&b, m->bases);
	}
	if (m->managers) {
		buf_puts(&b, ", managers=");
		value_write(&b, m->managers);
	}
	if (m->past_tables) {
		buf_puts(&b, ", past_tables=");
		value_write(&b, m->past_tables);
	}
	buf_putc(&b, ')');
	free(table);
	return b.s;
}

/* --- classes and references --------------------------------------------- */

const char *state_class(const struct pstate *s, const char *name)
{
	size_t n = strlen(name);

	for (const char *const *c = s->classmap; c && *c; c++)
		if (!strncmp(*c, name, n) && (*c)[n] == '=')
			return *c + n + 1;
	return sig_lookup(name) ? name : NULL;
}

/* The text given for setting NAME, or NULL. */
static const char *setting_text(const struct pstate *s, const char *name)
{
	size_t n = strlen(name);

	for (const char *const *c = s->settings; c && *c; c++)
		if (!strncmp(*c, name, n) && (*c)[n] == '=')
			return *c + n + 1;
	return NULL;
}

/* A map value: a Python literal, or a bare (dotted) name taken as a
 * string. */
static struct value *map_value(const char *text, int names_are_strings)
{
	char *err = NULL;
	long col;
	struct value *v = value_parse(text, &err, &col);

	free(err);
	if (!v)
		return value_str(V_STR, text, strlen(text));
	if (v->kind == V_NAME && names_are_strings)
		v->kind = V_STR;
	return v;
}

struct value *state_setting(const struct pstate *s, const char *name)
{
	const char *t = setting_text(s, name);

	return t ? map_value(t, 1) : NULL;
}

const char *state_auto_field(const struct pstate *s)
{
	static const char *const autos[] = { "models.AutoField",
	    "models.BigAutoField", "models.SmallAutoField" };
	struct value *v = state_setting(s, "DEFAULT_AUTO_FIELD");
	const char *c, *r = NULL;
	char *canon;

	if (!v)
		return "models.BigAutoField";
	canon = v->kind == V_STR ? sig_canonical(v->s) : NULL;
	c = canon ? state_class(s, canon) : NULL;
	for (size_t i = 0; c && i < sizeof autos / sizeof *autos; i++)
		if (!strcmp(c, autos[i]))
			r = autos[i];
	if (!r)
		warnx_("setting DEFAULT_AUTO_FIELD=%s: not an AutoField class "
		    "(map a class of the project to one with -M)",
		    setting_text(s, "DEFAULT_AUTO_FIELD"));
	free(canon);
	value_free(v);
	return r;
}

static const char *setting_value(const struct pstate *s, const char *name)
{
	const char *t = setting_text(s, name);

	if (t)
		return t;
	return strcmp(name, "AUTH_USER_MODEL") ? NULL : "auth.User";
}

int state_swapped(const struct pstate *s, const struct mstate *m)
{
	const struct value *sw = value_dict_get(m->options, "swappable");
	const char *label = sw && sw->kind == V_STR ? setting_value(s, sw->s) :
	    NULL;
	const char *dot = label ? strchr(label, '.') : NULL;

	if (!dot)
		return 0;
	return (size_t)(dot - label) != strlen(m->app) ||
	    strncmp(label, m->app, strlen(m->app)) ||
	    !same_name(dot + 1, m->name);
}

int state_ref(const struct pstate *s, const struct value *to,
    const char *app, char **rapp, char **rmodel)
{
	const char *label, *dot;

	if (to && to->kind == V_NAME && !strncmp(to->s, "settings.", 9))
		label = setting_value(s, to->s + 9);
	else if (to && to->kind == V_STR)
		label = to->s;
	else
		return -1;
	if (!label)
		return -1;
	dot = strchr(label, '.');
	*rapp = dot ? xstrndup(label, (size_t)(dot - label)) : xstrdup(app);
	*rmodel = lower(dot ? dot + 1 : label);
	return 0;
}

/* Check (and map) the class of a field, index or constraint call. */
static int check_class(const struct pstate *s, struct value *v,
    enum sig_kind kind, const char *what, const struct opref *at)
{
	static const char *const kinds[] = { "operation", "field", "index",
	    "constraint", "expression", "class" };
	const char *c;
	const struct sig *sg;

	if (!v || v->kind != V_CALL || v->fn->kind != V_NAME)
		return op_error(at, "%s is not a %s call", what, kinds[kind]);
	if (!(c = state_class(s, v->fn->s)) || !strcmp(c, "-"))
		return op_error(at, "unknown %s class %s in %s; map it to a "
		    "built-in class with -M %s=CLASS", kinds[kind], v->fn->s,
		    what, v->fn->s);
	if (!(sg = sig_lookup(c)) || sg->kind != kind)
		return op_error(at, "%s is mapped to %s, which is not a %s "
		    "class", v->fn->s, c, kinds[kind]);
	if (c != v->fn->s) {
		free(v->fn->s);
		v->fn->s = xstrdup(c);
		v->fn->len = strlen(c);
	}
	return 0;
}

/* Swappable and relative references become "app.model" strings. */
static int resolve_to(const struct pstate *s, struct value *f,
    const char *app, const char *model, const struct opref *at)
{
	static const char *const keys[] = { "to", "through" };

	for (int k = 0; k < 2; k++) {
		struct value *to = value_kwarg(f, keys[k]);
		char *rapp, *rmodel, *label;

		if (!to || (to->kind == V_STR && strchr(to->s, '.')))
			continue;
		if (to->kind == V_STR && !strcmp(to->s, "self")) {
			rapp = xstrdup(app);
			rmodel = lower(model);
		} else if (state_ref(s, to, app, &rapp, &rmodel) < 0) {
			char *t = value_text(to);
			int rc = op_error(at, "cannot resolve %s=%s; give the "
			    "setting with -s", keys[k], t);

			free(t);
			return rc;
		}
		label = xasprintf("%s.%s", rapp, rmodel);
		free(to->s);
		to->kind = V_STR;
		to->s = label;
		to->len = strlen(label);
		free(rapp);
		free(rmodel);
	}
	return 0;
}

/* The entry for name in a NAME=... list, or NULL. */
static const char *map_entry(const char *const *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *const *c = list; c && *c; c++)
		if (!strncmp(*c, name, n) && (*c)[n] == '=')
			return *c + n + 1;
	return NULL;
}

/* Replace keyword argument i of call f by v. */
static void set_arg(struct value *f, size_t i, struct value *v)
{
	value_free(f->items[i]);
	f->items[i] = v;
}

/* What the maps say of a field's arguments: the column type of a mapped
 * class (written as db_type=), a JSON encoder mapped to Django's, a
 * project function given as a default, the settings it reads.  With at
 * NULL, quietly: what cannot be mapped stays. */
static int map_field_args(const struct pstate *s, struct value *f,
    const char *cls, const struct opref *at)
{
	const char *t = cls ? map_entry(s->coltypes, cls) : NULL;

	size_t n = cls ? strlen(cls) : 0;

	for (const char *const *a = s->classargs; cls && a && *a; a++) {
		const char *k = *a + n + 1, *eq = strchr(k, '=');
		char *key;

		if (strncmp(*a, cls, n) || (*a)[n] != '=' || !eq)
			continue;
		key = xstrndup(k, (size_t)(eq - k));
		if (!value_kwarg(f, key))
			value_push(f, map_value(eq + 1, 0), key);
		free(key);
	}
	if (t && !value_kwarg(f, "db_type"))
		value_push(f, value_str(V_STR, t, strlen(t)), "db_type");
	for (size_t i = 0; i < f->n; i++) {
		const char *k = f->names[i], *m;
		struct value *v = f->items[i], *nv;

		if (!k || v->kind != V_NAME || !strcmp(k, "to") ||
		    !strcmp(k, "through"))
			continue;
		if (!strncmp(v->s, "settings.", 9)) {
			if ((nv = state_setting(s, v->s + 9)))
				set_arg(f, i, nv);
		} else if (!strcmp(k, "default") &&
		    (m = map_entry(s->defaults, v->s))) {
			set_arg(f, i, map_value(m, 0));
		} else if (!strcmp(k, "encoder") &&
		    (m = map_entry(s->classmap, v->s))) {
			if (strcmp(m, "django.core.serializers.json."
			    "DjangoJSONEncoder") && strcmp(m, "json.JSONEncoder")) {
				if (!at)
					continue;	/* quiet */
				return op_error(at, "encoder %s is mapped to %s; "
				    "an encoder maps to django.core.serializers."
				    "json.DjangoJSONEncoder or json.JSONEncoder",
				    v->s, m);
			}
			set_arg(f, i, strcmp(m, "json.JSONEncoder") ?
			    value_str(V_NAME, m, strlen(m)) :
			    value_new(V_NONE, 0, 0));
		}
	}
	return 0;
}

static int check_field(const struct pstate *s, struct value *f,
    const char *app, const char *model, const char *name,
    const struct opref *at)
{
	char *what = xasprintf("field '%s' of %s.%s", name, app, model);
	char *cls = f && f->kind == V_CALL && f->fn->kind == V_NAME ?
	    xstrdup(f->fn->s) : NULL;
	int rc = check_class(s, f, SIG_FIELD, what, at);

	free(what);
	if (rc == 0)
		rc = map_field_args(s, f, cls, at);
	free(cls);
	if (rc == 0 && !strcmp(f->fn->s, "postgres.fields.ArrayField")) {
		struct value *base = value_kwarg(f, "base_field");

		if (base)
			rc = check_field(s, base, app, model, name, at);
	}
	return rc < 0 ? rc : resolve_to(s, f, app, model, at);
}

/* call's class replaced by the built-in class of that kind the maps
 * name for it; 1 when it was. */
static int rename_mapped(const struct pstate *s, struct value *call,
    enum sig_kind kind)
{
	const char *c = state_class(s, call->fn->s);
	const struct sig *sg;

	if (!c || !strcmp(c, "-") || !strcmp(c, call->fn->s) ||
	    !(sg = sig_lookup(c)) || sg->kind != kind)
		return 0;
	free(call->fn->s);
	call->fn->s = xstrdup(c);
	call->fn->len = strlen(c);
	return 1;
}

/* A field call as the maps make it, quietly (the state's copy reports). */
static void map_field_quiet(const struct pstate *s, struct value *f)
{
	char *cls;
	struct value *base;

	if (!f || f->kind != V_CALL || f->fn->kind != V_NAME)
		return;
	cls = xstrdup(f->fn->s);
	rename_mapped(s, f, SIG_FIELD);
	map_field_args(s, f, cls, NULL);
	free(cls);
	if (!strcmp(f->fn->s, "postgres.fields.ArrayField") &&
	    (base = value_kwarg(f, "base_field")))
		map_field_quiet(s, base);
}

/* The expressions of an index or constraint as the maps make them: a
 * field (a Cast's output_field) as map_field_quiet does; a project's
 * function class mapped to a built-in expression (ipam.lookups.Host=
 * models.Func function='HOST') renamed, given the map's arguments and
 * its own name as _class, the name its repr() shows. */
static void map_expressions(const struct pstate *s, struct value *v)
{
	const char *c;
	const struct sig *sg;

	if (!v)
		return;
	if (v->kind == V_CALL && v->fn->kind == V_NAME &&
	    (c = state_class(s, v->fn->s)) && strcmp(c, v->fn->s) &&
	    (sg = sig_lookup(c))) {
		if (sg->kind == SIG_FIELD) {
			map_field_quiet(s, v);
			return;
		}
		if (sg->kind == SIG_EXPRESSION) {
			char *cls = xstrdup(v->fn->s);
			const char *dot = strrchr(cls, '.');
			const char *name = dot ? dot + 1 : cls;

			rename_mapped(s, v, SIG_EXPRESSION);
			map_field_args(s, v, cls, NULL);
			if (!value_kwarg(v, "_class"))
				value_push(v, value_str(V_STR, name,
				    strlen(name)), "_class");
			free(cls);
		}
	}
	if (v->kind == V_CALL && v->fn->kind == V_ATTR)
		map_expressions(s, v->fn->fn);
	for (size_t i = 0; i < v->n; i++)
		map_expressions(s, v->items[i]);
}

/* An operation of the project's own class mapped to a built-in one
 * (-M CLASS=TARGET [ARG=VALUE ...]): migsql renders the target, with the
 * map's arguments added (a RunPython subclass given reverse_code, say). */
static void map_op_class(const struct pstate *s, struct value *op)
{
	char *cls;

	if (op->fn->kind != V_NAME)
		return;
	cls = xstrdup(op->fn->s);
	if (rename_mapped(s, op, SIG_OPERATION))
		map_field_args(s, op, cls, NULL);
	free(cls);
}

struct value *state_map_op(const struct pstate *s, const struct value *op)
{
	struct value *c = value_copy(op), *v;
	static const char *const lists[] = { "database_operations",
	    "state_operations" };

	if (c->kind != V_CALL)
		return c;
	map_op_class(s, c);
	map_field_quiet(s, value_kwarg(c, "field"));
	map_expressions(s, value_kwarg(c, "index"));
	map_expressions(s, value_kwarg(c, "constraint"));
	if ((v = value_kwarg(c, "fields")) && (v->kind == V_LIST ||
	    v->kind == V_TUPLE))
		for (size_t i = 0; i < v->n; i++)
			if ((v->items[i]->kind == V_TUPLE ||
			    v->items[i]->kind == V_LIST) && v->items[i]->n == 2)
				map_field_quiet(s, v->items[i]->items[1]);
	for (int k = 0; k < 2; k++)
		if ((v = value_kwarg(c, lists[k])) && (v->kind == V_LIST ||
		    v->kind == V_TUPLE))
			for (size_t i = 0; i < v->n; i++) {
				struct value *m = state_map_op(s, v->items[i]);

				value_free(v->items[i]);
				v->items[i] = m;
			}
	return c;
}

/* --- operations ----------------------------------------------------------- */

static const char *str_arg(const struct value *op, const char *name)
{
	const struct value *v = value_kwarg(op, name);

	return v && v->kind == V_STR ? v->s : NULL;
}

static struct mstate *need_model(struct pstate *s, const struct value *op,
    const char *arg, const char *app, const struct opref *at)
{
	const char *name = str_arg(op, arg);
	struct mstate *m;

	if (!name)
		return op_error(at, "%s needs %s", op->fn->s, arg), NULL;
	if (!(m = state_model(s, app, name)))
		return op_error(at, "%s: no model %s.%s in the state",
		    op->fn->s, app, name), NULL;
	return m;
}

static struct value *option_list(struct mstate *m, const char *key);

/* ModelState always has indexes and constraints, each of a known class. */
static int check_options(const struct pstate *s, struct mstate *m,
    const struct opref *at)
{
	static const char *const keys[] = { "indexes", "constraints" };

	for (int k = 0; k < 2; k++) {
		struct value *l = option_list(m, keys[k]);

		for (size_t i = 0; i < l->n; i++)
			if (check_class(s, l->items[i], k ? SIG_CONSTRAINT :
			    SIG_INDEX, keys[k], at) < 0)
				return -1;
	}
	return 0;
}

/* A model without a primary key field and without a parent model gets
 * the one Options._prepare adds: "id" of settings.DEFAULT_AUTO_FIELD,
 * auto-created and so first among the columns.  (In Django's state the
 * field is not there; every rendering of the model adds it.) */
static int auto_pk(const struct pstate *s, struct mstate *m)
{
	const char *cls;
	char *text, *name;
	struct value *f;

	for (size_t i = 0; i < m->nf; i++)
		if (value_kwarg(m->fields[i], "primary_key") &&
		    value_kwarg(m->fields[i], "primary_key")->kind == V_TRUE)
			return 0;
	for (size_t i = 0; m->bases && i < m->bases->n; i++)
		if (m->bases->items[i]->kind == V_STR)
			return 0;	/* the parent link becomes the key */
	if (!(cls = state_auto_field(s)))
		return -1;
	text = xasprintf("%s(auto_created=True, primary_key=True, "
	    "serialize=False, verbose_name='ID')", cls);
	f = map_value(text, 0);
	free(text);
	add_field(m, "id", f);
	name = m->fnames[m->nf - 1];
	memmove(m->fields + 1, m->fields, (m->nf - 1) * sizeof *m->fields);
	memmove(m->fnames + 1, m->fnames, (m->nf - 1) * sizeof *m->fnames);
	m->fields[0] = f;
	m->fnames[0] = name;
	return 0;
}

static int create_model(struct pstate *s, const struct value *op,
    const char *app, const struct opref *at)
{
	const char *name = str_arg(op, "name");
	const struct value *fields = value_kwarg(op, "fields");
	const struct value *opts = value_kwarg(op, "options");
	struct mstate m = {0}, *old;

	if (!name || !fields || (fields->kind != V_LIST && fields->kind != V_TUPLE))
		return op_error(at, "CreateModel needs name and fields");
	m.app = xstrdup(app);
	m.name = xstrdup(name);
	m.options = opts && opts->kind == V_DICT ? value_copy(opts) :
	    value_new(V_DICT, 0, 0);
	m.bases = value_copy(value_kwarg(op, "bases"));
	m.managers = value_copy(value_kwarg(op, "managers"));
	for (size_t i = 0; i < fields->n; i++) {
		const struct value *p = fields->items[i];
		struct value *f;

		if ((p->kind != V_TUPLE && p->kind != V_LIST) || p->n != 2 ||
		    p->items[0]->kind != V_STR) {
			mstate_free(&m);
			return op_error(at, "CreateModel: field %zu is not a "
			    "(name, field) pair", i + 1);
		}
		f = value_copy(p->items[1]);
		add_field(&m, p->items[0]->s, f);
		if (check_field(s, f, app, name, p->items[0]->s, at) < 0) {
			mstate_free(&m);
			return -1;
		}
	}
	if (check_options(s, &m, at) < 0 || auto_pk(s, &m) < 0) {
		mstate_free(&m);
		return -1;
	}
	if ((old = state_model(s, app, name))) {
		/* Django's add_model overwrites, keeping the dict position */
		mstate_free(old);
		*old = m;
		return 0;
	}
	s->m = xrealloc(s->m, (s->n + 1) * sizeof *s->m);
	s->m[s->n++] = m;
	return 0;
}

static int delete_model(struct pstate *s, const struct value *op,
    const char *app, const struct opref *at)
{
	struct mstate *m = need_model(s, op, "name", app, at);
	size_t i;

	if (!m)
		return -1;
	i = (size_t)(m - s->m);
	mstate_free(m);
	memmove(s->m + i, s->m + i + 1, (s->n - i - 1) * sizeof *s->m);
	s->n--;
	return 0;
}

/* Fields of every model that point at app.old now point at app.new. */
static void repoint(struct pstate *s, const char *app, const char *old,
    const char *new)
{
	char *from = xasprintf("%s.%s", app, old), *to = xasprintf("%s.%s",
	    app, new), *lfrom = lower(from);

	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; j < s->m[i].nf; j++)
			for (int k = 0; k < 2; k++) {
				struct value *r = value_kwarg(s->m[i].fields[j],
				    k ? "through" : "to");
				char *l;

				if (!r || r->kind != V_STR)
					continue;
				l = lower(r->s);
				if (!strcmp(l, lfrom)) {
					free(r->s);
					r->s = xstrdup(to);
					r->len = strlen(to);
				}
				free(l);
			}
	free(from);
	free(to);
	free(lfrom);
}

/* A table renamed keeps the names of its indexes and constraints. */
static void remember_table(struct mstate *m)
{
	char *t = mstate_table(m);

	if (!m->past_tables)
		m->past_tables = value_new(V_LIST, 0, 0);
	value_push(m->past_tables, value_str(V_STR, t, strlen(t)), NULL);
	free(t);
}

static int rename_model(struct pstate *s, const struct value *op,
    const char *app, const struct opref *at)
{
	struct mstate *m = need_model(s, op, "old_name", app, at), copy;
	const char *new = str_arg(op, "new_name");
	size_t i;

	if (!m)
		return -1;
	if (!new)
		return op_error(at, "RenameModel needs new_name");
	/* Django adds the renamed model at the end and drops the old one. */
	remember_table(m);
	mstate_copy(&copy, m);
	free(copy.name);
	copy.name = xstrdup(new);
	i = (size_t)(m - s->m);
	mstate_free(m);
	memmove(s->m + i, s->m + i + 1, (s->n - i - 1) * sizeof *s->m);
	s->m[s->n - 1] = copy;
	repoint(s, app, str_arg(op, "old_name"), new);
	return 0;
}

static int set_option(struct pstate *s, const struct value *op,
    const char *app, const char *arg, const char *key,
    const struct opref *at)
{
	struct mstate *m = need_model(s, op, "name", app, at);
	const struct value *v = value_kwarg(op, arg);

	if (!m)
		return -1;
	if (!strcmp(key, "db_table"))
		remember_table(m);
	if (!v || v->kind == V_NONE) {
		if (!strcmp(key, "db_table") || !strcmp(key, "db_table_comment"))
			dict_pop(m->options, key);
		else
			dict_set(m->options, key, v ? value_copy(v) :
			    value_new(V_NONE, 0, 0));
		return 0;
	}
	dict_set(m->options, key, value_copy(v));
	return 0;
}

static int alter_options(struct pstate *s, const struct value *op,
    const char *app, const struct opref *at)
{
	static const char *const keys[] = {
		"base_manager_name", "default_manager_name",
		"default_related_name", "get_latest_by", "managed", "ordering",
		"permissions", "default_permissions", "select_on_save",
		"verbose_name", "verbose_name_plural", NULL
	};
	struct mstate *m = need_model(s, op, "name", app, at);
	const struct value *opts = value_kwarg(op, "options");

	if (!m)
		return -1;
	for (size_t i = 0; opts && i + 1 < opts->n; i += 2)
		if (opts->items[i]->kind == V_STR)
			dict_set(m->options, opts->items[i]->s,
			    value_copy(opts->items[i + 1]));
	for (int k = 0; keys[k]; k++)
		if (!value_dict_get(opts, keys[k]))
			dict_pop(m->options, keys[k]);
	return 0;
}

static int alter_managers(struct pstate *s, const struct value *op,
    const char *app, const struct opref *at)
{
	struct mstate *m = need_model(s, op, "name", app, at);

	if (!m)
		return -1;
	value_free(m->managers);
	m->managers = value_copy(value_kwarg(op, "managers"));
	return 0;
}

static int add_field_op(struct pstate *s, const struct value *op,
    const char *app, const struct opref *at, int alter)
{
	struct mstate *m = need_model(s, op, "model_name", app, at);
	const char *name = str_arg(op, "name");
	const struct value *pd = value_kwarg(op, "preserve_default");
	struct value *f;
	long i;

	if (!m)
		return -1;
	if (!name || !value_kwarg(op, "field"))
		return op_error(at, "%s needs name and field", op->fn->s);
	i = field_index(m, name);
	if (alter && i < 0)
		return op_error(at, "AlterField: no field %s on %s.%s", name,
		    app, m->name);
	f = value_copy(value_kwarg(op, "field"));
	if (check_field(s, f, app, m->name, name, at) < 0) {
		value_free(f);
		return -1;
	}
	if (pd && pd->kind == V_FALSE) {	/* the default was for the DDL */
		for (size_t k = 0; k < f->n; k++)
			if (f->names[k] && !strcmp(f->names[k], "default")) {
				value_free(f->items[k]);
				free(f->names[k]);
				memmove(f->items + k, f->items + k + 1,
				    (f->n - k - 1) * sizeof *f->items);
				memmove(f->names + k, f->names + k + 1,
				    (f->n - k - 1) * sizeof *f->names);
				f->n--;
				break;
			}
	}
	if (i >= 0) {	/* AlterField; AddField over a field, as Django does */
		value_free(m->fields[i]);
		m->fields[i] = f;
	} else {
		add_field(m, name, f);
	}
	return 0;
}

static int remove_field_op(struct pstate *s, const struct value *op,
    const char *app, const struct opref *at)
{
	struct mstate *m = need_model(s, op, "model_name", app, at);
	const char *name = str_arg(op, "name");
	long i;

	if (!m)
		return -1;
	if (!name || (i = field_index(m, name)) < 0)
		return op_error(at, "RemoveField: no field %s on %s.%s",
		    name ? name : "(none)", app, m->name);
	remove_field(m, (size_t)i);
	return 0;
}

/* Replace the string old by new among v's items, recursively. */
static void rename_strings(struct value *v, const char *old, const char *new)
{
	if (!v)
		return;
	if (v->kind == V_STR && !strcmp(v->s, old)) {
		free(v->s);
		v->s = xstrdup(new);
		v->len = strlen(new);
		return;
	}
	if (v->kind == V_LIST || v->kind == V_TUPLE || v->kind == V_SET)
		for (size_t i = 0; i < v->n; i++)
			rename_strings(v->items[i], old, new);
}

static int rename_field_op(struct pstate *s, const struct value *op,
    const char *app, const struct opref *at)
{
	struct mstate *m = need_model(s, op, "model_name", app, at);
	const char *old = str_arg(op, "old_name"), *new = str_arg(op, "new_name");
	char *label, *lm;
	long i;

	if (!m)
		return -1;
	if (!old || !new || (i = field_index(m, old)) < 0)
		return op_error(at, "RenameField: no field %s on %s.%s",
		    old ? old : "(none)", app, m->name);
	/* Django pops the field and adds it back: it moves to the end. */
	add_field(m, new, m->fields[i]);
	m->fields[i] = NULL;
	remove_field(m, (size_t)i);
	rename_strings(value_dict_get(m->options, "unique_together"), old, new);
	rename_strings(value_dict_get(m->options, "index_together"), old, new);
	lm = lower(m->name);
	label = xasprintf("%s.%s", app, lm);
	for (size_t k = 0; k < s->n; k++)
		for (size_t j = 0; j < s->m[k].nf; j++) {
			struct value *f = s->m[k].fields[j];
			struct value *tf = value_kwarg(f, "to_field"), *to;
			char *l;

			if (!tf)	/* the rare one: looked at first */
				continue;
			to = value_kwarg(f, "to");
			l = to && to->kind == V_STR ? lower(to->s) : NULL;
			if (l && !strcmp(l, label))
				rename_strings(tf, old, new);
			free(l);
		}
	free(label);
	free(lm);
	return 0;
}

/* options[key] as a list we may append to. */
static struct value *option_list(struct mstate *m, const char *key)
{
	struct value *l = value_dict_get(m->options, key);

	if (!l || (l->kind != V_LIST && l->kind != V_TUPLE)) {
		dict_set(m->options, key, value_new(V_LIST, 0, 0));
		l = value_dict_get(m->options, key);
	}
	l->kind = V_LIST;
	return l;
}

static int add_named(struct pstate *s, const struct value *op,
    const char *app, const char *arg, const char *key, enum sig_kind kind,
    const struct opref *at)
{
	struct mstate *m = need_model(s, op, "model_name", app, at);
	struct value *obj = value_copy(value_kwarg(op, arg));
	char *what = xasprintf("%s of %s", arg, op->fn->s);
	int rc = check_class(s, obj, kind, what, at);

	free(what);
	if (m && rc == 0 && !str_arg(obj, "name"))
		rc = op_error(at, "%s: the %s has no name", op->fn->s, arg);
	if (!m || rc < 0) {
		value_free(obj);
		return -1;
	}
	value_push(option_list(m, key), obj, NULL);
	return 0;
}

static long named_index(const struct value *l, const char *name)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (value_is_str(value_kwarg(l->items[i], "name"), name))
			return (long)i;
	return -1;
}

static int remove_named(struct pstate *s, const struct value *op,
    const char *app, const char *key, const struct opref *at)
{
	struct mstate *m = need_model(s, op, "model_name", app, at);
	const char *name = str_arg(op, "name");
	struct value *l;
	long i;

	if (!m)
		return -1;
	l = option_list(m, key);
	if (!name || (i = named_index(l, name)) < 0)
		return op_error(at, "%s: no %s named %s on %s.%s", op->fn->s,
		    !strcmp(key, "indexes") ? "index" : "constraint",
		    name ? name : "(none)", app, m->name);
	value_free(l->items[i]);
	memmove(l->items + i, l->items + i + 1, (l->n - (size_t)i - 1) *
	    sizeof *l->items);
	l->n--;
	return 0;
}

static void set_name(struct value *obj, const char *name)
{
	struct value *n = value_kwarg(obj, "name");

	free(n->s);
	n->s = xstrdup(name);
	n->len = strlen(name);
}

static int rename_index(struct pstate *s, const struct value *op,
    const char *app, const struct opref *at)
{
	struct mstate *m = need_model(s, op, "model_name", app, at);
	const char *old = str_arg(op, "old_name"), *new = str_arg(op, "new_name");
	const struct value *fields = value_kwarg(op, "old_fields");
	struct value *l, *idx;
	long i;

	if (!m)
		return -1;
	if (!new)
		return op_error(at, "RenameIndex needs new_name");
	l = option_list(m, "indexes");
	if (fields && fields->kind != V_NONE) {
		idx = value_new(V_CALL, 0, 0);
		idx->fn = value_str(V_NAME, "models.Index", 12);
		value_push(idx, value_copy(fields), "fields");
		value_push(idx, value_str(V_STR, new, strlen(new)), "name");
		value_push(l, idx, NULL);
		return 0;
	}
	if (!old || (i = named_index(l, old)) < 0)
		return op_error(at, "RenameIndex: no index named %s on %s.%s",
		    old ? old : "(none)", app, m->name);
	set_name(l->items[i], new);
	return 0;
}

static int alter_constraint(struct pstate *s, const struct value *op,
    const char *app, const struct opref *at)
{
	struct mstate *m = need_model(s, op, "model_name", app, at);
	const char *name = str_arg(op, "name");
	struct value *l, *c;
	long i;

	if (!m)
		return -1;
	l = option_list(m, "constraints");
	if (!name || (i = named_index(l, name)) < 0)
		return op_error(at, "AlterConstraint: no constraint named %s",
		    name ? name : "(none)");
	c = value_copy(value_kwarg(op, "constraint"));
	if (check_class(s, c, SIG_CONSTRAINT, "constraint of AlterConstraint",
	    at) < 0) {
		value_free(c);
		return -1;
	}
	value_free(l->items[i]);
	l->items[i] = c;
	return 0;
}

/* unique_together / index_together, normalized as Django does. */
static int alter_together(struct pstate *s, const struct value *op,
    const char *app, const char *key, const struct opref *at)
{
	struct mstate *m = need_model(s, op, "name", app, at);
	const struct value *v = value_kwarg(op, key);
	struct value *set;

	if (!m)
		return -1;
	if (!v || v->kind == V_NONE || v->n == 0) {
		dict_set(m->options, key, v ? value_copy(v) :
		    value_new(V_NONE, 0, 0));
		return 0;
	}
	set = value_new(V_SET, 0, 0);
	if (v->items[0]->kind == V_STR) {
		struct value *t = value_copy(v);

		t->kind = V_TUPLE;
		value_push(set, t, NULL);
	} else {
		for (size_t i = 0; i < v->n; i++) {
			struct value *t = value_copy(v->items[i]);

			t->kind = V_TUPLE;
			value_push(set, t, NULL);
		}
	}
	dict_set(m->options, key, set);
	return 0;
}

static int add_extension(struct pstate *s, const char *name)
{
	for (size_t i = 0; i < s->next; i++)
		if (!strcmp(s->extensions[i], name))
			return 0;
	s->extensions = xrealloc(s->extensions, (s->next + 1) *
	    sizeof *s->extensions);
	s->extensions[s->next++] = xstrdup(name);
	return 0;
}

/* A non-deterministic collation is kept among the extensions as
 * "collation:NAME": Django asks the database whether a collation is
 * deterministic before it makes a _like index. */
static int collation_op(struct pstate *s, const struct value *op, int create)
{
	const struct value *d = value_kwarg(op, "deterministic");
	char *key = xasprintf("collation:%s", str_arg(op, "name"));
	size_t k = 0;

	if (create && d && d->kind == V_FALSE)
		add_extension(s, key);
	for (size_t i = 0; !create && i < s->next; i++) {
		if (!strcmp(s->extensions[i], key))
			free(s->extensions[i]);
		else
			s->extensions[k++] = s->extensions[i];
	}
	if (!create)
		s->next = k;
	free(key);
	return 0;
}

static const char *extension_of(const char *op);

const char *state_extension(const struct pstate *s, const struct value *op)
{
	const char *c = op->kind == V_CALL && op->fn->kind == V_NAME ?
	    state_class(s, op->fn->s) : NULL;
	const struct value *n;

	if (!c)
		return NULL;
	if (!strcmp(c, "CreateExtension"))
		return (n = value_kwarg(op, "name")) && n->kind == V_STR ?
		    n->s : NULL;
	return extension_of(c);
}

static int each_op(struct pstate *s, const struct value *list,
    const struct opref *at)
{
	if (!list || list->kind == V_NONE)
		return 0;
	if (list->kind != V_LIST && list->kind != V_TUPLE)
		return op_error(at, "expected a list of operations");
	for (size_t i = 0; i < list->n; i++)
		if (state_apply(s, list->items[i], at) < 0)
			return -1;
	return 0;
}

static const char *extension_of(const char *op)
{
	static const char *const ext[][2] = {
		{"BloomExtension", "bloom"}, {"BtreeGinExtension", "btree_gin"},
		{"BtreeGistExtension", "btree_gist"}, {"CITextExtension", "citext"},
		{"CryptoExtension", "pgcrypto"}, {"HStoreExtension", "hstore"},
		{"TrigramExtension", "pg_trgm"}, {"UnaccentExtension", "unaccent"},
	};

	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
		if (!strcmp(op, ext[i][0]))
			return ext[i][1];
	return NULL;
}

static int apply_known(struct pstate *s, const struct value *op,
    const char *c, const char *app, const struct opref *at)
{
	const char *ext;

	if (!strcmp(c, "CreateModel")) return create_model(s, op, app, at);
	if (!strcmp(c, "DeleteModel")) return delete_model(s, op, app, at);
	if (!strcmp(c, "RenameModel")) return rename_model(s, op, app, at);
	if (!strcmp(c, "AlterModelTable"))
		return set_option(s, op, app, "table", "db_table", at);
	if (!strcmp(c, "AlterModelTableComment"))
		return set_option(s, op, app, "table_comment",
		    "db_table_comment", at);
	if (!strcmp(c, "AlterOrderWithRespectTo"))
		return set_option(s, op, app, "order_with_respect_to",
		    "order_with_respect_to", at);
	if (!strcmp(c, "AlterUniqueTogether"))
		return alter_together(s, op, app, "unique_together", at);
	if (!strcmp(c, "AlterIndexTogether"))
		return alter_together(s, op, app, "index_together", at);
	if (!strcmp(c, "AlterModelOptions")) return alter_options(s, op, app, at);
	if (!strcmp(c, "AlterModelManagers"))
		return alter_managers(s, op, app, at);
	if (!strcmp(c, "AddField")) return add_field_op(s, op, app, at, 0);
	if (!strcmp(c, "AlterField")) return add_field_op(s, op, app, at, 1);
	if (!strcmp(c, "RemoveField")) return remove_field_op(s, op, app, at);
	if (!strcmp(c, "RenameField")) return rename_field_op(s, op, app, at);
	if (!strcmp(c, "AddIndex") || !strcmp(c, "AddIndexConcurrently"))
		return add_named(s, op, app, "index", "indexes", SIG_INDEX, at);
	if (!strcmp(c, "RemoveIndex") || !strcmp(c, "RemoveIndexConcurrently"))
		return remove_named(s, op, app, "indexes", at);
	if (!strcmp(c, "RenameIndex")) return rename_index(s, op, app, at);
	if (!strcmp(c, "AddConstraint") || !strcmp(c, "AddConstraintNotValid"))
		return add_named(s, op, app, "constraint", "constraints",
		    SIG_CONSTRAINT, at);
	if (!strcmp(c, "RemoveConstraint"))
		return remove_named(s, op, app, "constraints", at);
	if (!strcmp(c, "AlterConstraint")) return alter_constraint(s, op, app, at);
	if (!strcmp(c, "RunSQL"))
		return each_op(s, value_kwarg(op, "state_operations"), at);
	if (!strcmp(c, "SeparateDatabaseAndState"))
		return each_op(s, value_kwarg(op, "state_operations"), at);
	if ((!strcmp(c, "CreateCollation") || !strcmp(c, "RemoveCollation")) &&
	    str_arg(op, "name"))
		return collation_op(s, op, !strcmp(c, "CreateCollation"));
	if (!strcmp(c, "CreateExtension") && str_arg(op, "name"))
		return add_extension(s, str_arg(op, "name"));
	if ((ext = extension_of(c)))
		return add_extension(s, ext);
	return 0;	/* RunPython, ValidateConstraint, collations */
}

int state_apply(struct pstate *s, const struct value *op,
    const struct opref *at)
{
	const char *c;
	const struct sig *sg;

	if (!op || op->kind != V_CALL || op->fn->kind != V_NAME)
		return op_error(at, "not an operation call");
	if (!(c = state_class(s, op->fn->s)))
		return op_error(at, "unknown operation %s; map it with -M "
		    "%s=- if it has no database effect, or to a built-in "
		    "operation", op->fn->s, op->fn->s);
	if (!strcmp(c, "-"))
		return 0;
	if (!(sg = sig_lookup(c)) || sg->kind != SIG_OPERATION)
		return op_error(at, "%s is mapped to %s, which is not an "
		    "operation", op->fn->s, c);
	return apply_known(s, op, c, at->app, at);
}
