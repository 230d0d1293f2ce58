#include <stdarg.h>
#include <errno.h>
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
		pyfunc_free(b->fn);
	} else {
		sc->b = xrealloc(sc->b, (sc->n + 1) * sizeof *sc->b);
		b = &sc->b[sc->n++];
		b->name = xstrdup(name);
	}
	b->kind = kind;
	b->text = text ? xstrdup(text) : NULL;
	b->v = v;
	b->fn = NULL;
	b->line = line;
	b->col = col;
}

void scope_bind_function(struct scope *sc, const char *name,
    struct pyfunc *f, long line, long col)
{
	scope_bind(sc, name, B_FUNCTION, NULL, NULL, line, col);
	for (size_t i = 0; i < sc->n; i++)
		if (strcmp(sc->b[i].name, name) == 0)
			sc->b[i].fn = f;
}

void pyfunc_free(struct pyfunc *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nparams; i++) {
		free(f->params[i]);
		value_free(f->defaults[i]);
	}
	free(f->params);
	free(f->defaults);
	free(f->why);
	free(f);
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
		pyfunc_free(sc->b[i].fn);
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

/* v.a.b for a value migparse does not know: the attributes stay, for -D
 * to give them a value. */
static struct value *attributes(const struct value *v, const char *tail,
    const struct value *at)
{
	struct value *obj = value_copy(v), *a;

	obj->line = at->line;
	obj->col = at->col;
	while (*tail == '.') {
		size_t n = strcspn(tail + 1, ".");

		a = value_new(V_ATTR, at->line, at->col);
		a->fn = obj;
		a->s = xstrndup(tail + 1, n);
		a->len = n;
		obj = a;
		tail += 1 + n;
	}
	return obj;
}

/* Is name one of a class body's that Python hides from sc? */
static int hidden_in_class(const struct scope *sc, const char *name)
{
	for (; sc; sc = sc->parent)
		if (sc->hidden)
			for (size_t i = 0; i < sc->hidden->n; i++)
				if (strcmp(sc->hidden->b[i].name, name) == 0)
					return 1;
	return 0;
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
		else if (hidden_in_class(sc, head))
			fail(err, raw, "name '%s' is not defined (a comprehension "
			    "or a function does not see the names of the class "
			    "body)", head);
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
	} else if (b->kind == B_VALUE && !is_literal(b->v)) {
		v = attributes(b->v, tail, raw);	/* of a value not known */
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
		    (fmt->s[i] == 'd' && arg->kind != V_INT) ||
		    to_text(arg, &b) < 0) {
			char *hint = arg && !is_literal(arg) ? define_hint(arg) :
			    NULL;

			buf_free(&b);
			fail(err, fmt, "this string formatting cannot be read "
			    "statically%s%s", hint ? ": " : "", hint ? hint : "");
			free(hint);
			return NULL;
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

static struct value *new_str(const struct value *at, const char *s, size_t n)
{
	struct value *v = value_new(V_STR, at->line, at->col);

	v->s = xstrndup(s, n);
	v->len = n;
	return v;
}

/* s.lower(), .upper(), .strip(): ASCII only, as migrations use them. */
static struct value *str_case(const struct value *s, const char *method)
{
	struct value *v;
	size_t from = 0, to = s->len;

	if (method[0] == 's') {
		while (from < to && s->s[from] && strchr(" \t\n\r\f\v",
		    s->s[from]))
			from++;
		while (to > from && s->s[to - 1] && strchr(" \t\n\r\f\v",
		    s->s[to - 1]))
			to--;
	}
	v = new_str(s, s->s + from, to - from);
	for (size_t i = 0; method[0] != 's' && i < v->len; i++)
		if (method[0] == 'l' && v->s[i] >= 'A' && v->s[i] <= 'Z')
			v->s[i] += 'a' - 'A';
		else if (method[0] == 'u' && v->s[i] >= 'a' && v->s[i] <= 'z')
			v->s[i] -= 'a' - 'A';
	return v;
}

/* s.split(sep[, maxsplit]) and s.rsplit(sep[, maxsplit]), sep given. */
static struct value *str_split(const struct value *s, int right,
    const struct value *call, struct evalerr *err)
{
	const struct value *sep = call->n >= 1 ? call->items[0] : NULL;
	long max = call->n == 2 && call->items[1]->kind == V_INT ?
	    strtol(call->items[1]->s, NULL, 10) : -1;
	struct value *v = value_new(V_LIST, s->line, s->col);
	size_t end = s->len, start = 0;

	if (!sep || sep->kind != V_STR || sep->len == 0 || call->n > 2 ||
	    (call->n == 2 && call->items[1]->kind != V_INT) ||
	    call->names[0] || (call->n == 2 && call->names[1])) {
		value_free(v);
		return fail(err, call, "this str.%s() call cannot be read "
		    "statically", right ? "rsplit" : "split");
	}
	if (!right) {
		for (size_t i = 0; i + sep->len <= s->len && max != 0; i++)
			if (!memcmp(s->s + i, sep->s, sep->len)) {
				value_push(v, new_str(s, s->s + start, i - start),
				    NULL);
				start = i + sep->len;
				i = start - 1;
				max--;
			}
		value_push(v, new_str(s, s->s + start, s->len - start), NULL);
		return v;
	}
	for (size_t i = s->len; i >= sep->len && max != 0; i--)
		if (i <= end && !memcmp(s->s + i - sep->len, sep->s, sep->len)) {
			value_push(v, new_str(s, s->s + i, end - i), NULL);
			end = i - sep->len;
			i = end + 1;
			max--;
		}
	value_push(v, new_str(s, s->s, end), NULL);
	for (size_t i = 0; i < v->n / 2; i++) {	/* reverse */
		struct value *x = v->items[i];

		v->items[i] = v->items[v->n - 1 - i];
		v->items[v->n - 1 - i] = x;
	}
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
	if (call->n == 0 && (!strcmp(method, "lower") ||
	    !strcmp(method, "upper") || !strcmp(method, "strip"))) {
		for (size_t i = 0; i < s->len; i++)
			if ((unsigned char)s->s[i] >= 0x80)	/* Unicode rules */
				return fail(err, call, "str.%s() of a string that "
				    "is not ASCII cannot be read statically",
				    method);
		return str_case(s, method);
	}
	if (!strcmp(method, "split") || !strcmp(method, "rsplit"))
		return str_split(s, method[0] == 'r', call, err);
	return fail(err, call, "str.%s() cannot be read statically", method);
}

/* seq * n (or n * seq) for a string, bytes, list or tuple seq and an
 * int n, as Python repeats it (n <= 0: empty); NULL when it is not that
 * or the result would exceed a megabyte or a million items. */
static struct value *repeat(struct value *l, struct value *r)
{
	struct value *seq = l->kind == V_INT ? r : l, *n = l->kind == V_INT ? l : r;
	long times;
	struct value *v;

	if (n->kind != V_INT || (seq->kind != V_STR && seq->kind != V_BYTES &&
	    seq->kind != V_LIST && seq->kind != V_TUPLE))
		return NULL;
	errno = 0;
	times = strtol(n->s, NULL, 10);
	if (errno || times > 1000000)
		return NULL;
	if (times < 0)
		times = 0;
	if (seq->kind == V_STR || seq->kind == V_BYTES) {
		struct buf b = {0};

		if (seq->len && (size_t)times > (1u << 20) / seq->len)
			return NULL;
		buf_putn(&b, "", 0);
		for (long i = 0; i < times; i++)
			buf_putn(&b, seq->s, seq->len);
		v = value_new(seq->kind, seq->line, seq->col);
		v->s = b.s;
		v->len = b.len;
	} else {
		if (seq->n && (size_t)times > 1000000 / seq->n)
			return NULL;
		v = value_new(seq->kind, seq->line, seq->col);
		for (long i = 0; i < times; i++)
			for (size_t k = 0; k < seq->n; k++)
				value_push(v, value_copy(seq->items[k]), NULL);
	}
	value_free(l);
	value_free(r);
	return v;
}

/* l op r for two ints and op +, - or *, as Python computes it; NULL when
 * it is not that or leaves the range of a long long. */
static struct value *arith(const char *op, struct value *l, struct value *r)
{
	long long a, b, x = 0;
	char digits[32];
	struct value *v;

	if (l->kind != V_INT || r->kind != V_INT || strlen(op) != 1 ||
	    !strchr("+-*", op[0]))
		return NULL;
	errno = 0;
	a = strtoll(l->s, NULL, 10);
	b = strtoll(r->s, NULL, 10);
	if (errno)
		return NULL;
	if ((op[0] == '+' && __builtin_add_overflow(a, b, &x)) ||
	    (op[0] == '-' && __builtin_sub_overflow(a, b, &x)) ||
	    (op[0] == '*' && __builtin_mul_overflow(a, b, &x)))
		return NULL;
	snprintf(digits, sizeof digits, "%lld", x);
	v = value_new(V_INT, l->line, l->col);
	v->s = xstrdup(digits);
	v->len = strlen(digits);
	value_free(l);
	value_free(r);
	return v;
}

static struct value *concat(const char *op, struct value *l, struct value *r,
    struct evalerr *err)
{
	struct value *v;

	if (strcmp(op, "*") == 0 && (v = repeat(l, r)))
		return v;
	if ((v = arith(op, l, r)))
		return v;

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

static int is_starred(const struct value *raw)
{
	return raw->kind == V_UNARY && strcmp(raw->s, "*") == 0;
}

/* seq as a list or tuple to iterate over, in Python's order; consumes
 * seq.  what names the construct for the message. */
static struct value *as_sequence(struct value *seq, const char *what,
    struct evalerr *err)
{
	struct value *keys;
	char *hint;

	switch (seq->kind) {
	case V_LIST: case V_TUPLE:
		return seq;
	case V_DICT:
		keys = value_new(V_LIST, seq->line, seq->col);
		for (size_t i = 0; i < seq->n; i += 2)
			value_push(keys, value_copy(seq->items[i]), NULL);
		value_free(seq);
		return keys;
	case V_SET:
		if (seq->n <= 1)
			return seq;
		fail(err, seq, "%s iterates over a set: Python's order for it "
		    "is its hash order, which migparse does not reproduce", what);
		break;
	default:
		if (is_literal(seq)) {
			fail(err, seq, "%s iterates over something that is not a "
			    "list, tuple or dict", what);
			break;
		}
		hint = define_hint(seq);
		fail(err, seq, "%s cannot be read statically: %s", what, hint);
		free(hint);
		break;
	}
	value_free(seq);
	return NULL;
}

/* *seq in a display or a call: its items pushed onto v. */
static int push_starred(const struct scope *sc, struct value *v,
    const struct value *raw, struct evalerr *err)
{
	struct value *seq = eval(sc, raw->items[0], err);

	if (!seq || !(seq = as_sequence(seq, "this * unpacking", err)))
		return -1;
	for (size_t i = 0; i < seq->n; i++)
		value_push(v, seq->items[i], NULL);
	seq->n = 0;
	value_free(seq);
	return 0;
}

/* Bind a comprehension's (or a for's) target to item. */
static int bind_target(struct scope *in, const struct value *target,
    const struct value *item, struct evalerr *err)
{
	if (target->kind == V_NAME && !strchr(target->s, '.')) {
		scope_bind(in, target->s, B_VALUE, NULL, value_copy(item),
		    target->line, target->col);
		return 0;
	}
	if (target->kind != V_TUPLE && target->kind != V_LIST)
		return fail(err, target, "this target cannot be read "
		    "statically"), -1;
	if ((item->kind != V_TUPLE && item->kind != V_LIST) ||
	    item->n != target->n)
		return fail(err, target, "cannot unpack %s into %zu names",
		    is_literal(item) ? "this value" : "a value migparse does "
		    "not know", target->n), -1;
	for (size_t i = 0; i < target->n; i++)
		if (bind_target(in, target->items[i], item->items[i], err) < 0)
			return -1;
	return 0;
}

/* d[key] = val, as Python does it: a key seen before keeps its place. */
static void dict_set(struct value *d, struct value *key, struct value *val)
{
	char *k = value_text(key);

	for (size_t i = 0; i < d->n; i += 2) {
		char *o = value_text(d->items[i]);
		int same = strcmp(o, k) == 0;

		free(o);
		if (same) {
			value_free(d->items[i + 1]);
			d->items[i + 1] = val;
			value_free(key);
			free(k);
			return;
		}
	}
	free(k);
	value_push(d, key, NULL);
	value_push(d, val, NULL);
}

/* Clause k of comprehension raw and those after it, for each item. */
static int comp_clause(const struct scope *outer, struct scope *in,
    const struct value *raw, size_t k, struct value *out,
    struct evalerr *err)
{
	const struct value *c;
	struct value *v;
	int t;

	if (k == raw->n) {
		if (!(v = eval(in, raw->fn, err)))
			return -1;
		if (out->kind == V_DICT) {
			dict_set(out, v->items[0], v->items[1]);
			v->n = 0;
			value_free(v);
		} else {
			value_push(out, v, NULL);
		}
		return 0;
	}
	c = raw->items[k];
	if (c->kind == V_UNARY) {	/* if */
		if (!(v = eval(in, c->items[0], err)))
			return -1;
		if ((t = truth(v)) < 0) {
			char *hint = define_hint(unknown_part(v));

			fail(err, c, "the if of this comprehension cannot be "
			    "decided statically: %s", hint);
			free(hint);
		}
		value_free(v);
		return t < 0 ? -1 : t ? comp_clause(outer, in, raw, k + 1, out,
		    err) : 0;
	}
	/* the first iterable is evaluated where the comprehension is */
	if (!(v = eval(k ? in : outer, c->items[1], err)) ||
	    !(v = as_sequence(v, "this comprehension", err)))
		return -1;
	for (size_t i = 0; i < v->n; i++)
		if (bind_target(in, c->items[0], v->items[i], err) < 0 ||
		    comp_clause(outer, in, raw, k + 1, out, err) < 0) {
			value_free(v);
			return -1;
		}
	value_free(v);
	return 0;
}

/* A comprehension over literal sequences, as the list, tuple (for a
 * generator), set or dict it makes.  Its names live in their own scope,
 * which does not see a class body's names (Python's rule). */
static struct value *eval_comp(const struct scope *sc, const struct value *raw,
    struct evalerr *err)
{
	struct scope in = { .parent = sc->is_class ? sc->parent : sc,
	    .package = sc->package, .hidden = sc->is_class ? sc : NULL };
	enum vkind kind = !strcmp(raw->s, "list") ? V_LIST : !strcmp(raw->s,
	    "set") ? V_SET : !strcmp(raw->s, "dict") ? V_DICT : V_TUPLE;
	struct value *out = value_new(kind, raw->line, raw->col);

	if (comp_clause(sc, &in, raw, 0, out, err) < 0) {
		value_free(out);
		out = NULL;
	}
	scope_free(&in);
	return out;
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
	struct evalerr e = {0};
	struct value *v;

	/* RunPython's functions are never run: one made by a function of
	 * the file whose value migparse cannot compute stays a call */
	if (!code || !is_local_call(sc, raw))
		return eval(sc, raw, err);
	if ((v = eval(sc, raw, &e)))
		return v;
	free(e.msg);
	return eval_args(sc, raw, value_copy(raw->fn), err);
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
		const struct value *r = raw->items[i];
		struct value *a;
		const char *name = raw->names[i];

		if (is_starred(r)) {
			if (push_starred(sc, call, r, err) < 0) {
				value_free(call);
				return NULL;
			}
			continue;
		}
		a = eval_arg(sc, r, code, err);

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

/* range(stop), range(start, stop[, step]) of integers. */
static struct value *range(struct value *call, struct evalerr *err)
{
	long a[3] = {0, 0, 1}, n = (long)call->n;
	struct value *v;

	for (long i = 0; i < n; i++)
		if (n > 3 || call->names[i] || call->items[i]->kind != V_INT) {
			fail(err, call, "this range() call cannot be read "
			    "statically");
			value_free(call);
			return NULL;
		}
	for (long i = 0; i < n; i++)
		a[n == 1 ? 1 : i] = strtol(call->items[i]->s, NULL, 10);
	if (n == 0 || a[2] == 0 || (a[1] - a[0]) / a[2] > 100000) {
		fail(err, call, "this range() call cannot be read statically");
		value_free(call);
		return NULL;
	}
	v = value_new(V_LIST, call->line, call->col);
	for (long i = a[0]; a[2] > 0 ? i < a[1] : i > a[1]; i += a[2]) {
		struct value *x = value_new(V_INT, call->line, call->col);

		x->s = xasprintf("%ld", i);
		x->len = strlen(x->s);
		value_push(v, x, NULL);
	}
	value_free(call);
	return v;
}

/* itertools.chain(a, b...) and chain.from_iterable([a, b...]) of literal
 * sequences: one list (an iterator, which Python consumes once). */
static struct value *chain(struct value *call, struct evalerr *err)
{
	int from = strchr(call->fn->s + 10, '.') != NULL;
	const char *what = from ? "this itertools.chain.from_iterable() call" :
	    "this itertools.chain() call";
	struct value *out = value_new(V_LIST, call->line, call->col);
	struct value *seqs = call;

	for (size_t i = 0; i <= call->n; i++)
		if ((i < call->n && call->names[i]) || (from && call->n != 1)) {
			fail(err, call, "%s cannot be read statically", what);
			goto fail;
		}
	if (from) {
		seqs = call->items[0];
		call->n = 0;
		if (!(seqs = as_sequence(seqs, what, err)))
			goto fail;
	}
	for (size_t i = 0; i < seqs->n; i++) {
		struct value *seq = as_sequence(seqs->items[i], what, err);

		seqs->items[i] = value_new(V_NONE, 0, 0);
		if (!seq)
			goto fail;
		for (size_t j = 0; j < seq->n; j++)
			value_push(out, seq->items[j], NULL);
		seq->n = 0;
		value_free(seq);
	}
	if (seqs != call)
		value_free(seqs);
	value_free(call);
	return out;
fail:
	if (seqs != call)
		value_free(seqs);
	value_free(call);
	value_free(out);
	return NULL;
}

/* getattr(module.name, 'attr'[, default]) is module.name.attr when -D
 * gives that; otherwise the call stays, default and all. */
static struct value *getattr_given(const struct scope *sc, struct value *call)
{
	const struct value *given;
	char *key, *full;

	while (sc->parent)
		sc = sc->parent;
	if (call->n < 2 || call->n > 3 || call->items[0]->kind != V_NAME ||
	    call->items[1]->kind != V_STR || call->names[0] || call->names[1])
		return call;
	full = xasprintf("%s.%s", call->items[0]->s, call->items[1]->s);
	key = canonical_name(full);
	free(full);
	if ((given = define_get(sc->defs, key))) {
		struct value *v = value_copy(given);

		v->line = call->line;
		v->col = call->col;
		value_free(call);
		call = v;
	}
	free(key);
	return call;
}

static int depth;	/* of calls to functions of the file */

/* Bind the arguments of call to f's parameters in fs. */
static int bind_params(struct scope *fs, const struct pyfunc *f,
    const char *name, struct value *call, struct evalerr *err)
{
	size_t pos = 0;
	struct value **got = xcalloc(f->nparams + 1, sizeof *got);
	int rc = -1;

	for (size_t i = 0; i < call->n; i++) {
		size_t p = 0;

		if (!call->names[i]) {
			if ((p = pos++) >= f->kwonly) {
				fail(err, call->items[i], "%s() takes %zu "
				    "positional argument%s", name, f->kwonly,
				    f->kwonly == 1 ? "" : "s");
				goto out;
			}
		} else {
			while (p < f->nparams && strcmp(f->params[p],
			    call->names[i]))
				p++;
			if (p == f->nparams) {
				fail(err, call->items[i], "%s() got an unexpected "
				    "keyword argument '%s'", name, call->names[i]);
				goto out;
			}
		}
		if (got[p]) {
			fail(err, call->items[i], "%s() got multiple values for "
			    "argument '%s'", name, f->params[p]);
			goto out;
		}
		got[p] = call->items[i];
	}
	for (size_t p = 0; p < f->nparams; p++) {
		const struct value *v = got[p] ? got[p] : f->defaults[p];

		if (!v) {
			fail(err, call, "%s() missing argument '%s'", name,
			    f->params[p]);
			goto out;
		}
		scope_bind(fs, f->params[p], B_VALUE, NULL, value_copy(v),
		    call->line, call->col);
	}
	rc = 0;
out:
	free(got);
	return rc;
}

/* f(args) for a def of the file: the value its body returns. */
static struct value *call_function(const struct scope *sc,
    const struct binding *b, const struct value *raw, struct evalerr *err)
{
	const struct pyfunc *f = b->fn;
	const struct scope *top = sc;
	struct scope fs = {0};
	struct value *call, *v = NULL;

	if (!f || f->why)
		return fail(err, raw, "'%s' (line %ld) is a function migparse "
		    "cannot read: %s", b->name, b->line, f ? f->why :
		    "it is not a plain def");
	if (depth >= 50)
		return fail(err, raw, "'%s' calls itself too deeply", b->name);
	while (top->parent)
		top = top->parent;
	fs.parent = top;	/* a function sees the module, not the class */
	for (const struct scope *k = sc; k; k = k->parent)
		if (k->is_class)
			fs.hidden = k;
	fs.package = top->package;
	if (!(call = eval_args(sc, raw, NULL, err)))
		return NULL;
	depth++;
	if (bind_params(&fs, f, b->name, call, err) < 0)
		goto out;
	if ((v = run_body(f, &fs, err))) {
		v->line = raw->line;
		v->col = raw->col;
	} else if (err->msg && strncmp(err->msg, "in ", 3)) {
		char *msg = xasprintf("in %s(), called at line %ld: %s", b->name,
		    raw->line, err->msg);

		free(err->msg);
		err->msg = msg;
	}
out:
	depth--;
	value_free(call);
	scope_free(&fs);
	return v;
}

/* a.b.method: a.b, when it is a string (a constant, or given by -D). */
static struct value *string_object(const struct scope *sc,
    const struct value *fnraw)
{
	struct value *name = value_str(V_NAME, fnraw->s,
	    (size_t)(strrchr(fnraw->s, '.') - fnraw->s)), *v;
	struct evalerr e = {0};

	name->line = fnraw->line;
	name->col = fnraw->col;
	v = eval(sc, name, &e);
	free(e.msg);
	value_free(name);
	if (v && v->kind == V_STR)
		return v;
	value_free(v);
	return NULL;
}

static struct value *eval_call(const struct scope *sc, const struct value *raw,
    struct evalerr *err)
{
	const struct value *fnraw = raw->fn;
	struct value *fn, *call, *obj;
	const struct binding *b = NULL;
	const struct sig *sg;

	if (fnraw->kind == V_NAME) {
		char *head = xstrndup(fnraw->s, strcspn(fnraw->s, "."));

		b = scope_lookup(sc, head);
		free(head);
	}
	if (b && b->kind == B_FUNCTION && !strchr(fnraw->s, '.'))
		return call_function(sc, b, raw, err);
	if (fnraw->kind == V_NAME && strchr(fnraw->s, '.') &&
	    (obj = string_object(sc, fnraw))) {
		struct value *r = NULL;

		if ((call = eval_args(sc, raw, NULL, err)))
			r = str_method(obj, strrchr(fnraw->s, '.') + 1, call, err);
		value_free(call);
		value_free(obj);
		return r;
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
	if (!b && strcmp(fn->s, "range") == 0)
		return range(call, err);
	if (!b && strcmp(fn->s, "getattr") == 0)
		return getattr_given(sc, call);
	if (strcmp(fn->s, "itertools.chain") == 0 ||
	    strcmp(fn->s, "itertools.chain.from_iterable") == 0)
		return chain(call, err);
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
		struct value *item;

		if (raw->kind != V_UNARY && is_starred(raw->items[i])) {
			if (push_starred(sc, v, raw->items[i], err) < 0) {
				value_free(v);
				return NULL;
			}
			continue;
		}
		if (!(item = eval(sc, raw->items[i], err))) {
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

/* x if test else y: a test migparse decides picks its side, the other
 * is never evaluated; otherwise (a setting, say) the expression stays,
 * for a later stage to decide. */
static struct value *eval_cond(const struct scope *sc, const struct value *raw,
    struct evalerr *err)
{
	struct value *test = eval(sc, raw->items[1], err), *v, *x, *y;
	struct evalerr e = {0};
	char *hint;
	int t;

	if (!test)
		return NULL;
	if ((t = truth(test)) >= 0) {
		value_free(test);
		return eval(sc, raw->items[t ? 0 : 2], err);
	}
	x = eval(sc, raw->items[0], &e);
	y = x ? eval(sc, raw->items[2], &e) : NULL;
	if (!y) {
		hint = define_hint(unknown_part(test));
		fail(err, raw, "one side of this conditional expression cannot "
		    "be read (%s), and which side is taken cannot be decided: "
		    "%s", e.msg, hint);
		free(hint);
		free(e.msg);
		value_free(x);
		value_free(test);
		return NULL;
	}
	v = value_new(V_COND, raw->line, raw->col);
	value_push(v, x, NULL);
	value_push(v, test, NULL);
	value_push(v, y, NULL);
	return v;
}

static struct value *eval_raw(const struct scope *sc,
    const struct value *raw, struct evalerr *err)
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
	case V_COMP:
		return eval_comp(sc, raw, err);
	case V_LIST: case V_TUPLE: case V_SET: case V_DICT: case V_UNARY:
		return eval_items(sc, raw, err);
	default:
		return value_copy(raw);
	}
}

/* What eval_raw gives, unless the user gave its value (-D, define). */
struct value *eval(const struct scope *sc, const struct value *raw,
    struct evalerr *err)
{
	struct value *v = eval_raw(sc, raw, err);
	const struct scope *top = sc;
	const struct value *given;
	char *key;

	while (top->parent)
		top = top->parent;
	if (!v || !top->defs || !top->defs->n || (v->kind != V_NAME &&
	    v->kind != V_CALL && v->kind != V_SUBSCRIPT && v->kind != V_ATTR))
		return v;
	key = value_text(v);
	if ((given = define_get(top->defs, key))) {
		value_free(v);
		v = value_copy(given);
		v->line = raw->line;
		v->col = raw->col;
	}
	free(key);
	return v;
}
