/* truth.c: deciding the conditions of a migration file (if statements,
 * x if test else y, the ifs of comprehensions) from the values migparse
 * knows, and naming what it would need to know otherwise. */
#include <stdlib.h>
#include <string.h>

#include "pyint.h"
#include "python.h"

static int is_number(const struct value *v)
{
	return v->kind == V_INT || v->kind == V_FLOAT || v->kind == V_TRUE ||
	    v->kind == V_FALSE;
}

static double number_of(const struct value *v)
{
	if (v->kind == V_TRUE || v->kind == V_FALSE)
		return v->kind == V_TRUE;
	return strtod(v->s, NULL);
}

/* a == b for literals: 1, 0, or -1 when Python's answer is not plain. */
static int literal_equal(const struct value *a, const struct value *b)
{
	if (is_number(a) && is_number(b))
		return number_of(a) == number_of(b);
	if (a->kind != b->kind)
		return a->kind == V_NONE || b->kind == V_NONE ||
		    ((a->kind == V_STR || a->kind == V_BYTES) &&
		    (b->kind == V_STR || b->kind == V_BYTES)) ? 0 : -1;
	switch (a->kind) {
	case V_NONE:
		return 1;
	case V_STR: case V_BYTES:
		return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
	case V_LIST: case V_TUPLE:
		if (a->n != b->n)
			return 0;
		for (size_t i = 0; i < a->n; i++) {
			int e = literal_equal(a->items[i], b->items[i]);

			if (e != 1)
				return e;
		}
		return 1;
	default:
		return -1;	/* sets and dicts: not worth the order rules */
	}
}

/* x in seq for literals. */
static int literal_in(const struct value *x, const struct value *seq)
{
	int unsure = 0;

	if (seq->kind == V_STR && x->kind == V_STR)
		return x->len == 0 || (x->len <= seq->len &&
		    strstr(seq->s, x->s) != NULL);
	if (seq->kind != V_LIST && seq->kind != V_TUPLE && seq->kind != V_SET &&
	    seq->kind != V_DICT)
		return -1;
	for (size_t i = 0; i < seq->n; i += seq->kind == V_DICT ? 2 : 1) {
		int e = literal_equal(x, seq->items[i]);

		if (e == 1)
			return 1;
		unsure |= e < 0;
	}
	return unsure ? -1 : 0;
}

static int compare(const char *op, const struct value *l,
    const struct value *r)
{
	int e;

	if (!is_literal(l) || !is_literal(r))
		return -1;
	if (!strcmp(op, "==") || !strcmp(op, "!=")) {
		e = literal_equal(l, r);
		return e < 0 ? -1 : op[0] == '=' ? e : !e;
	}
	if (!strcmp(op, "in") || !strcmp(op, "not in")) {
		e = literal_in(l, r);
		return e < 0 ? -1 : op[0] == 'i' ? e : !e;
	}
	if (!strcmp(op, "is") || !strcmp(op, "is not")) {
		/* identity is only plain for the singletons */
		if (l->kind > V_FALSE && r->kind > V_FALSE)
			return -1;
		e = l->kind == r->kind;
		return op[2] ? !e : e;
	}
	if (!is_number(l) || !is_number(r))
		return -1;
	if (!strcmp(op, "<"))
		return number_of(l) < number_of(r);
	if (!strcmp(op, ">"))
		return number_of(l) > number_of(r);
	if (!strcmp(op, "<="))
		return number_of(l) <= number_of(r);
	if (!strcmp(op, ">="))
		return number_of(l) >= number_of(r);
	return -1;
}

/* connection.vendor: only PostgreSQL is ever the backend. */
static int vendor(const struct value *v)
{
	int pg;

	if (v->items[0]->kind != V_NAME || v->items[1]->kind != V_STR ||
	    strcmp(v->items[0]->s, "django.db.connection.vendor"))
		return -1;
	pg = value_is_str(v->items[1], "postgresql");
	if (strcmp(v->s, "==") == 0)
		return pg;
	if (strcmp(v->s, "!=") == 0)
		return !pg;
	return -1;
}

int truth(const struct value *v)
{
	int l, r;

	switch (v->kind) {
	case V_TRUE: return 1;
	case V_FALSE: case V_NONE: return 0;
	case V_INT: case V_FLOAT: return number_of(v) != 0;
	case V_STR: case V_BYTES: return v->len > 0;
	case V_LIST: case V_TUPLE: case V_SET: case V_DICT: return v->n > 0;
	case V_UNARY:
		if (strcmp(v->s, "not"))
			return -1;
		return (l = truth(v->items[0])) < 0 ? -1 : !l;
	case V_BINOP:
		break;
	default:
		return -1;
	}
	if (strcmp(v->s, "and") == 0 || strcmp(v->s, "or") == 0) {
		int and = v->s[0] == 'a';

		/* x and y is x when x is false: y is never looked at */
		if ((l = truth(v->items[0])) >= 0)
			return l == !and ? !and : truth(v->items[1]);
		/* x and False is false, x or True true, whatever x is */
		r = truth(v->items[1]);
		return r == !and ? !and : -1;
	}
	if ((r = vendor(v)) >= 0)
		return r;
	return compare(v->s, v->items[0], v->items[1]);
}

const struct value *unknown_part(const struct value *v)
{
	const struct value *u;

	if (truth(v) >= 0 || is_literal(v))
		return NULL;
	if (v->kind == V_UNARY && strcmp(v->s, "not") == 0)
		return unknown_part(v->items[0]);
	if (v->kind == V_BINOP && (!strcmp(v->s, "and") || !strcmp(v->s, "or"))) {
		if (truth(v->items[0]) < 0)
			return unknown_part(v->items[0]);
		return unknown_part(v->items[1]);
	}
	if (v->kind == V_BINOP) {
		if ((u = unknown_part(v->items[0])) || !is_literal(v->items[0]))
			return u ? u : v->items[0];
		if ((u = unknown_part(v->items[1])) || !is_literal(v->items[1]))
			return u ? u : v->items[1];
	}
	return v;
}

static int str_method_name(const char *m)
{
	static const char *const names[] = {
		"lower", "upper", "strip", "split", "rsplit", "format", "join",
		NULL
	};

	for (int i = 0; names[i]; i++)
		if (strcmp(m, names[i]) == 0)
			return 1;
	return 0;
}

/* The value a define would best give: under the subscripts and the
 * string methods applied to it, e.g. settings.X of settings.X.lower(). */
static char *define_key(const struct value *v)
{
	const char *dot;

	for (;;) {
		if (v->kind == V_SUBSCRIPT) {
			v = v->fn;
		} else if (v->kind == V_CALL && v->fn->kind == V_ATTR &&
		    str_method_name(v->fn->s)) {
			v = v->fn->fn;
		} else if (v->kind == V_CALL && v->fn->kind == V_NAME &&
		    (dot = strrchr(v->fn->s, '.')) && str_method_name(dot + 1)) {
			return xstrndup(v->fn->s, (size_t)(dot - v->fn->s));
		} else if (v->kind == V_CALL && v->fn->kind == V_NAME &&
		    !strcmp(v->fn->s, "getattr") && v->n >= 2 &&
		    v->items[0]->kind == V_NAME && v->items[1]->kind == V_STR) {
			char *full = xasprintf("%s.%s", v->items[0]->s,
			    v->items[1]->s), *key = canonical_name(full);

			free(full);
			return key;
		} else {
			return value_text(v);
		}
	}
}

char *define_hint(const struct value *v)
{
	char *key = define_key(v), *hint;

	hint = xasprintf("it depends on %s, which migparse does not know: "
	    "give its value with -D \"%s=VALUE\" or the map line "
	    "\"define %s=VALUE\"", key, key, key);
	free(key);
	return hint;
}
