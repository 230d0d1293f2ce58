#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pyint.h"
#include "python.h"

void scope_bind(struct scope *sc, const char *name, enum bind_kind kind,
    const char *text, struct value *v, long line, long col)
{
	struct binding *b = NULL;

	for (size_t i = 0; i < sc->n; i++)
		if (strcmp(sc->b[i].name, name) == 0)
			b = &sc->b[i];
	if (b) {
		free(b->text);
		value_free(b->v);
	} else {
		sc->b = xrealloc(sc->b, (sc->n + 1) * sizeof *sc->b);
		b = &sc->b[sc->n++];
		b->name = xstrdup(name);
	}
	b->kind = kind;
	b->text = text ? xstrdup(text) : NULL;
	b->v = v;
	b->line = line;
	b->col = col;
}

const struct binding *scope_lookup(const struct scope *sc, const char *name)
{
	for (; sc; sc = sc->parent)
		for (size_t i = 0; i < sc->n; i++)
			if (strcmp(sc->b[i].name, name) == 0)
				return &sc->b[i];
	return NULL;
}

void scope_free(struct scope *sc)
{
	for (size_t i = 0; i < sc->n; i++) {
		free(sc->b[i].name);
		free(sc->b[i].text);
		value_free(sc->b[i].v);
	}
	free(sc->b);
	sc->b = NULL;
	sc->n = 0;
}

char *canonical_name(const char *dotted)
{
	static const char settings[] = "django.conf.settings.";

	if (strncmp(dotted, settings, sizeof settings - 1) == 0)
		return xasprintf("settings.%s", dotted + sizeof settings - 1);
	return sig_canonical(dotted);
}

static struct value *fail(struct evalerr *err, const struct value *at,
    const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err->msg)
		return NULL;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	err->msg = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(err->msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	err->line = at->line;
	err->col = at->col;
	return NULL;
}

/* Python's builtins that a migration may name without importing. */
static int is_builtin(const char *s)
{
	static const char *const names[] = {
		"bool", "bytes", "dict", "float", "frozenset", "getattr", "int",
		"isinstance", "len", "list", "max", "min", "object", "range",
		"repr", "set", "sorted", "str", "tuple", "type", "Exception",
		"ValueError", "__name__", "__file__", "print", NULL
	};

	for (int i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return 1;
	return 0;
}

static struct value *name_value(const char *s, const struct value *at)
{
	struct value *v = value_str(V_NAME, s, strlen(s));

	v->line = at->line;
	v->col = at->col;
	return v;
}

/* A dotted name: head resolved through the scope, the rest attributes. */
static struct value *eval_name(const struct scope *sc, const struct value *raw,
    struct evalerr *err)
{
	size_t hl = strcspn(raw->s, ".");
	char *head = xstrndup(raw->s, hl);
	const char *tail = raw->s + hl;
	const struct binding *b = scope_lookup(sc, head);
	struct value *v = NULL;
	char *full;

	if (!b) {
		if (is_builtin(head))
			v = name_value(raw->s, raw);
		else
			fail(err, raw, "name '%s' is not defined", head);
	} else if (b->kind == B_MODULE) {
		full = xasprintf("%s%s", b->text, tail);
		free(head);
		head = canonical_name(full);
		free(full);
		v = name_value(head, raw);
	} else if (b->kind == B_ERROR) {
		fail(err, raw, "'%s' (line %ld) cannot be read statically: %s",
		    head, b->line, b->text);
	} else if (b->kind == B_VALUE && !*tail) {
		v = value_copy(b->v);
		v->line = raw->line;
		v->col = raw->col;
	} else if (b->kind == B_VALUE) {
		fail(err, raw, "attribute '%s' of constant '%s' cannot be read "
		    "statically", tail + 1, head);
	} else {
		v = name_value(raw->s, raw);	/* a def or class of the file */
	}
	free(head);
	return v;
}

static int to_text(const struct value *v, struct buf *b)
{
	switch (v->kind) {
	case V_STR: buf_putn(b, v->s, v->len); return 0;
	case V_INT: case V_FLOAT: buf_puts(b, v->s); return 0;
	case V_TRUE: buf_puts(b, "True"); return 0;
	case V_FALSE: buf_puts(b, "False"); return 0;
	case V_NONE: buf_puts(b, "None"); return 0;
	default: return -1;
	}
}

/* The argument a str.format() field names: {} {0} {name}. */
static const struct value *format_arg(const struct value *call,
    const char *field, size_t *autonum)
{
	size_t npos = 0;
	char *end;
	unsigned long idx;

	if (!*field) {
		idx = (*autonum)++;
	} else {
		idx = strtoul(field, &end, 10);
		if (*end)
			return value_kwarg(call, field);
	}
	for (size_t i = 0; i < call->n; i++)
		if (!call->names[i] && npos++ == idx)
			return call->items[i];
	return NULL;
}

static struct value *str_format(const struct value *fmt,
    const struct value *call, struct evalerr *err)
{
	struct buf b = {0};
	size_t autonum = 0;
	struct value *v;

	buf_putn(&b, "", 0);
	for (size_t i = 0; i < fmt->len; i++) {
		const char *s = fmt->s + i, *close;
		const struct value *arg;
		char *field;

		if ((*s == '{' || *s == '}') && i + 1 < fmt->len && s[1] == *s) {
			buf_putc(&b, *s);
			i++;
			continue;
		}
		if (*s != '{') {
			buf_putc(&b, *s);
			continue;
		}
		if (!(close = memchr(s, '}', fmt->len - i)))
			break;
		field = xstrndup(s + 1, (size_t)(close - s - 1));
		arg = strpbrk(field, ":!") ? NULL : format_arg(call, field, &autonum);
		free(field);
		if (!arg || to_text(arg, &b) < 0) {
			buf_free(&b);
			return fail(err, call, "this str.format() call cannot "
			    "be read statically");
		}
		i += (size_t)(close - s);
	}
	v = value_new(V_STR, fmt->line, fmt->col);
	v->s = b.s;
	v->len = b.len;
	return v;
}

/* 'fmt' % args with %s, %d and %% conversions. */
static struct value *str_percent(const struct value *fmt,
    const struct value *args, struct evalerr *err)
{
	struct buf b = {0};
	size_t next = 0;
	struct value *v;

	buf_putn(&b, "", 0);
	for (size_t i = 0; i < fmt->len; i++) {
		const struct value *arg;

		if (fmt->s[i] != '%') {
			buf_putc(&b, fmt->s[i]);
			continue;
		}
		if (++i < fmt->len && fmt->s[i] == '%') {
			buf_putc(&b, '%');
			continue;
		}
		arg = args->kind == V_TUPLE ? (next < args->n ?
		    args->items[next] : NULL) : (next == 0 ? args : NULL);
		next++;
		if (i >= fmt->len || !strchr("sd", fmt->s[i]) || !arg ||
		    to_text(arg, &b) < 0) {
			buf_free(&b);
			return fail(err, fmt, "this %% formatting cannot be "
			    "read statically");
		}
	}
	v = value_new(V_STR, fmt->line, fmt->col);
	v->s = b.s;
	v->len = b.len;
	return v;
}

static struct value *str_join(const struct value *sep, const struct value *call,
    struct evalerr *err)
{
	const struct value *seq = call->n == 1 ? call->items[0] : NULL;
	struct buf b = {0};
	struct value *v;

	if (!seq || (seq->kind != V_LIST && seq->kind != V_TUPLE))
		return fail(err, call, "this str.join() call cannot be read "
		    "statically");
	buf_putn(&b, "", 0);
	for (size_t i = 0; i < seq->n; i++) {
		if (seq->items[i]->kind != V_STR) {
			buf_free(&b);
			return fail(err, seq->items[i], "str.join() of a "
			    "non-string cannot be read statically");
		}
		if (i)
			buf_putn(&b, sep->s, sep->len);
		buf_putn(&b, seq->items[i]->s, seq->items[i]->len);
	}
	v = value_new(V_STR, sep->line, sep->col);
	v->s = b.s;
	v->len = b.len;
	return v;
}

/* A method called on a string constant. */
static struct value *str_method(const struct value *s, const char *method,
    const struct value *call, struct evalerr *err)
{
	if (strcmp(method, "format") == 0)
		return str_format(s, call, err);
	if (strcmp(method, "join") == 0)
		return str_join(s, call, err);
	return fail(err, call, "str.%s() cannot be read statically", method);
}

static struct value *concat(const char *op, struct value *l, struct value *r,
    struct evalerr *err)
{
	struct value *v;

	if (strcmp(op, "%") == 0 && l->kind == V_STR) {
		v = str_percent(l, r, err);
		value_free(l);
		value_free(r);
		return v;
	}
	if (strcmp(op, "+") || l->kind != r->kind || (l->kind != V_STR &&
	    l->kind != V_BYTES && l->kind != V_LIST && l->kind != V_TUPLE)) {
		v = value_new(V_BINOP, l->line, l->col);
		v->s = xstrdup(op);
		value_push(v, l, NULL);
		value_push(v, r, NULL);
		return v;
	}
	if (l->kind == V_STR || l->kind == V_BYTES) {
		l->s = xrealloc(l->s, l->len + r->len + 1);
		memcpy(l->s + l->len, r->s, r->len + 1);
		l->len += r->len;
	} else {
		for (size_t i = 0; i < r->n; i++)
			value_push(l, r->items[i], NULL);
		r->n = 0;
	}
	value_free(r);
	return l;
}

/* Positional arguments of a known class become keyword arguments, and
 * keyword arguments take the order of the class's parameters. */
static int map_args(struct value *call, const struct sig *sg,
    struct evalerr *err)
{
	size_t npar = 0, pos = 0;
	struct value **items;
	char **names;
	size_t k = 0;

	while (sg->params[npar])
		npar++;
	for (size_t i = 0; i < call->n; i++) {
		if (call->names[i])
			continue;
		if (pos < npar) {
			call->names[i] = xstrdup(sg->params[pos++]);
			continue;
		}
		if (!sg->varargs)
			return fail(err, call->items[i], "%s takes %zu positional "
			    "argument%s", sg->name, npar, npar == 1 ? "" : "s"),
			    -1;
		pos++;
	}
	for (size_t i = 0; i < call->n; i++)
		for (size_t j = i + 1; j < call->n; j++)
			if (call->names[i] && call->names[j] &&
			    strcmp(call->names[i], call->names[j]) == 0)
				return fail(err, call->items[j], "%s got multiple "
				    "values for argument '%s'", sg->name,
				    call->names[j]), -1;
	items = xmalloc(call->n * sizeof *items);
	names = xmalloc(call->n * sizeof *names);
	for (size_t i = 0; i < call->n; i++)
		if (!call->names[i]) {
			items[k] = call->items[i];
			names[k++] = NULL;
		}
	for (size_t p = 0; p <= npar; p++)
		for (size_t i = 0; i < call->n; i++) {
			int at = -1;

			if (!call->names[i])
				continue;
			for (size_t q = 0; q < npar; q++)
				if (strcmp(sg->params[q], call->names[i]) == 0)
					at = (int)q;
			if ((p < npar && at == (int)p) || (p == npar && at < 0)) {
				items[k] = call->items[i];
				names[k++] = call->names[i];
			}
		}
	free(call->items);
	free(call->names);
	call->items = items;
	call->names = names;
	return 0;
}

/* A call to a function of the file, where its result is Python code
 * that migtools never runs: RunPython(make_forwards('Product')). */
static int is_local_call(const struct scope *sc, const struct value *raw)
{
	const struct binding *b;

	if (raw->kind != V_CALL || raw->fn->kind != V_NAME ||
	    strchr(raw->fn->s, '.'))
		return 0;
	b = scope_lookup(sc, raw->fn->s);
	return b && b->kind == B_FUNCTION;
}

static struct value *eval_args(const struct scope *sc, const struct value *raw,
    struct value *fn, struct evalerr *err);

static struct value *eval_arg(const struct scope *sc, const struct value *raw,
    int code, struct evalerr *err)
{
	if (code && is_local_call(sc, raw))
		return eval_args(sc, raw, value_copy(raw->fn), err);
	return eval(sc, raw, err);
}

/* **CONSTANT: a dict of string keys becomes keyword arguments. */
static int expand_kwargs(struct value *call, struct value *d,
    struct evalerr *err)
{
	if (d->kind != V_DICT) {
		fail(err, d, "unpacking with ** of anything but a constant dict "
		    "cannot be read statically");
		value_free(d);
		return -1;
	}
	for (size_t i = 0; i + 1 < d->n; i += 2)
		if (d->items[i]->kind != V_STR) {
			fail(err, d->items[i], "** unpacking needs string keys");
			value_free(d);
			return -1;
		}
	for (size_t i = 0; i + 1 < d->n; i += 2) {
		value_push(call, d->items[i + 1], d->items[i]->s);
		value_free(d->items[i]);
	}
	d->n = 0;
	value_free(d);
	return 0;
}

static struct value *eval_args(const struct scope *sc, const struct value *raw,
    struct value *fn, struct evalerr *err)
{
	struct value *call = value_new(V_CALL, raw->line, raw->col);
	int code = fn && fn->kind == V_NAME && strcmp(fn->s, "RunPython") == 0;

	call->fn = fn;
	for (size_t i = 0; i < raw->n; i++) {
		struct value *a = eval_arg(sc, raw->items[i], code, err);
		const char *name = raw->names[i];

		if (a && name && strcmp(name, "**") == 0) {
			if (expand_kwargs(call, a, err) == 0)
				continue;
			a = NULL;
		}
		if (!a) {
			value_free(call);
			return NULL;
		}
		value_push(call, a, name);
	}
	return call;
}

/* set(), set([...]), list((...)), tuple([...]) of literals. */
static struct value *builtin_seq(struct value *call, enum vkind kind)
{
	struct value *arg = call->n == 1 && !call->names[0] ? call->items[0] :
	    NULL;

	if (call->n == 0) {
		struct value *v = value_new(kind, call->line, call->col);

		value_free(call);
		return v;
	}
	if (!arg || (arg->kind != V_LIST && arg->kind != V_TUPLE &&
	    arg->kind != V_SET))
		return call;
	call->items[0] = NULL;
	call->n = 0;
	arg->kind = kind;
	arg->line = call->line;
	arg->col = call->col;
	value_free(call);
	return arg;
}

static struct value *eval_call(const struct scope *sc, const struct value *raw,
    struct evalerr *err)
{
	const struct value *fnraw = raw->fn;
	struct value *fn, *call;
	const struct binding *b = NULL;
	const struct sig *sg;

	if (fnraw->kind == V_NAME) {
		char *head = xstrndup(fnraw->s, strcspn(fnraw->s, "."));

		b = scope_lookup(sc, head);
		free(head);
	}
	if (b && b->kind == B_FUNCTION && !strchr(fnraw->s, '.'))
		return eval_args(sc, raw, value_copy(fnraw), err);
	if (b && b->kind == B_VALUE && b->v->kind == V_STR &&
	    strchr(fnraw->s, '.') && !strchr(strchr(fnraw->s, '.') + 1, '.')) {
		if (!(call = eval_args(sc, raw, NULL, err)))
			return NULL;
		fn = str_method(b->v, strchr(fnraw->s, '.') + 1, call, err);
		value_free(call);
		return fn;
	}
	if (fnraw->kind == V_ATTR) {
		struct value *obj = eval(sc, fnraw->fn, err);

		if (!obj)
			return NULL;
		if (obj->kind == V_STR) {
			if ((call = eval_args(sc, raw, NULL, err)))
				fn = str_method(obj, fnraw->s, call, err);
			else
				fn = NULL;
			value_free(call);
			value_free(obj);
			return fn;
		}
		fn = value_new(V_ATTR, fnraw->line, fnraw->col);
		fn->fn = obj;
		fn->s = xstrdup(fnraw->s);
		fn->len = fnraw->len;
	} else if (!(fn = eval(sc, fnraw, err))) {
		return NULL;
	}
	if (!(call = eval_args(sc, raw, fn, err)))
		return NULL;
	if (fn->kind != V_NAME)
		return call;
	if (!b && strcmp(fn->s, "set") == 0)
		return builtin_seq(call, V_SET);
	if (!b && strcmp(fn->s, "list") == 0)
		return builtin_seq(call, V_LIST);
	if (!b && strcmp(fn->s, "tuple") == 0)
		return builtin_seq(call, V_TUPLE);
	if ((sg = sig_lookup(fn->s)) && map_args(call, sg, err) < 0) {
		value_free(call);
		return NULL;
	}
	return call;
}

static struct value *eval_items(const struct scope *sc, const struct value *raw,
    struct evalerr *err)
{
	struct value *v = value_new(raw->kind, raw->line, raw->col);

	if (raw->s) {
		v->len = raw->kind == V_STR || raw->kind == V_BYTES ? raw->len :
		    strlen(raw->s);
		v->s = xstrndup(raw->s, v->len);
	}
	for (size_t i = 0; i < raw->n; i++) {
		struct value *item = eval(sc, raw->items[i], err);

		if (!item) {
			value_free(v);
			return NULL;
		}
		value_push(v, item, NULL);
	}
	return v;
}

static struct value *eval_subscript(const struct scope *sc,
    const struct value *raw, struct evalerr *err)
{
	struct value *obj = eval(sc, raw->fn, err), *idx = NULL, *v;

	if (!obj || !(idx = eval(sc, raw->items[0], err))) {
		value_free(obj);
		return NULL;
	}
	if ((obj->kind == V_LIST || obj->kind == V_TUPLE) && idx->kind == V_INT) {
		long i = strtol(idx->s, NULL, 10);

		if (i < 0)
			i += (long)obj->n;
		if (i < 0 || (size_t)i >= obj->n) {
			value_free(obj);
			value_free(idx);
			return fail(err, raw, "index out of range");
		}
		v = value_copy(obj->items[i]);
		value_free(obj);
		value_free(idx);
		return v;
	}
	v = value_new(V_SUBSCRIPT, raw->line, raw->col);
	v->fn = obj;
	value_push(v, idx, NULL);
	return v;
}

static struct value *eval_binop(const struct scope *sc, const struct value *raw,
    struct evalerr *err)
{
	struct value *l = eval(sc, raw->items[0], err), *r;

	if (!l)
		return NULL;
	if (!(r = eval(sc, raw->items[1], err))) {
		value_free(l);
		return NULL;
	}
	return concat(raw->s, l, r, err);
}

/* x if test else y: a constant test picks its side; otherwise (a
 * setting, say) the expression stays, for a later stage to decide. */
static struct value *eval_cond(const struct scope *sc, const struct value *raw,
    struct evalerr *err)
{
	struct value *v = eval_items(sc, raw, err), *pick;
	enum vkind t;

	if (!v)
		return NULL;
	t = v->items[1]->kind;
	if (t != V_TRUE && t != V_FALSE && t != V_NONE)
		return v;
	pick = v->items[t == V_TRUE ? 0 : 2];
	v->items[t == V_TRUE ? 0 : 2] = NULL;
	value_free(v);
	return pick;
}

struct value *eval(const struct scope *sc, const struct value *raw,
    struct evalerr *err)
{
	switch (raw->kind) {
	case V_NAME:
		return eval_name(sc, raw, err);
	case V_CALL:
		return eval_call(sc, raw, err);
	case V_SUBSCRIPT:
		return eval_subscript(sc, raw, err);
	case V_BINOP:
		return eval_binop(sc, raw, err);
	case V_ATTR: {
		struct value *obj = eval(sc, raw->fn, err), *v;

		if (!obj)
			return NULL;
		v = value_new(V_ATTR, raw->line, raw->col);
		v->fn = obj;
		v->s = xstrdup(raw->s);
		v->len = raw->len;
		return v;
	}
	case V_COND:
		return eval_cond(sc, raw, err);
	case V_LIST: case V_TUPLE: case V_SET: case V_DICT: case V_UNARY:
		return eval_items(sc, raw, err);
	default:
		return value_copy(raw);
	}
}
