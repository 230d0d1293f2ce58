/* where.c: Q conditions compiled as Django 5.2 compiles them for
 * PostgreSQL (Query.build_where, WhereNode.as_sql, the lookups of
 * django/db/models/lookups.py with the operators and lookup casts of the
 * postgresql backend).
 *
 * The work goes in Django's three steps, because each decides something:
 *   1. the Q objects, combined with ~ | & as Q.__invert__ and Q._combine
 *      do (tree.Node.add squashes a child into its parent);
 *   2. the WhereNode tree of Query._add_q/build_filter: one lookup per
 *      (name, value) child, its value prepared by the field, an exact None
 *      turned into isnull, and under a negation "col IS NOT NULL" added
 *      for a nullable column (and for a nullable F() on the right);
 *   3. WhereNode.as_sql: children compiled in order, a child that matches
 *      nothing or everything (an empty IN list, an integer out of the
 *      column's range) prunes its parent as EmptyResultSet/FullResultSet
 *      do, "NOT (...)" and "(...)" as Django writes them.
 * The SQL is kept with Django's placeholders ("%s", and "%%" for a
 * percent sign) and its parameters until the end, where the caller's
 * literal function renders each parameter, as `sql % quoted_params`. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql.h"
#include "sqlint.h"

/* --- context and errors -------------------------------------------------- */

enum fkind {
	K_INT, K_FLOAT, K_DECIMAL, K_TEXT, K_BOOL,
	K_FK,		/* ForeignKey, OneToOneField: a column of the target's type */
	K_PASS,		/* scalar fields whose values go to the literal as written */
	K_SPECIAL,	/* JSON, arrays, ranges, hstore, search vectors */
	K_M2M,
	K_GENERATED
};

struct ftype {
	const char *cls, *internal;
	enum fkind kind;
	const char *lo, *hi;	/* K_INT: the column's range */
};

struct mfield {
	const char *name;
	const struct value *field;	/* models.X(...) */
	const struct value *typed;	/* a GeneratedField's output_field */
	const struct ftype *t;		/* NULL: a class not known here */
	char *column;
	int null;
	int pk;
};

struct wctx {
	const struct value *state;
	literal_fn literal;
	char *err;
	struct mfield *fields;
	size_t nfields;
	struct value **owned;	/* values made here, freed at the end */
	size_t nowned;
};

/* Record the first error; returns -1. */
static int fail(struct wctx *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (c->err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->err = xstrdup(msg);
	return -1;
}

static struct value *own(struct wctx *c, struct value *v)
{
	c->owned = xrealloc(c->owned, (c->nowned + 1) * sizeof *c->owned);
	c->owned[c->nowned++] = v;
	return v;
}

/* The canonical text of v, for messages (static buffer, cut short). */
static const char *vtext(const struct value *v)
{
	static char out[200];
	char *t = value_text(v);

	if (strlen(t) >= sizeof out) {
		memcpy(out, t, sizeof out - 4);
		strcpy(out + sizeof out - 4, "...");
	} else {
		strcpy(out, t);
	}
	free(t);
	return out;
}

static const char *call_name(const struct value *v)
{
	if (!v || v->kind != V_CALL || !v->fn || v->fn->kind != V_NAME)
		return NULL;
	return v->fn->s;
}

static int is_call(const struct value *v, const char *name)
{
	const char *n = call_name(v);

	return n && !strcmp(n, name);
}

/* A call's argument: the positional one at pos, or the keyword one. */
static const struct value *arg(const struct value *call, size_t pos,
    const char *kw)
{
	const struct value *v = value_kwarg(call, kw);
	size_t i, k = 0;

	if (v)
		return v;
	for (i = 0; i < call->n; i++) {
		if (call->names[i])
			continue;
		if (k++ == pos)
			return call->items[i];
	}
	return NULL;
}

static size_t npositional(const struct value *call)
{
	size_t i, k = 0;

	for (i = 0; i < call->n; i++)
		if (!call->names[i])
			k++;
	return k;
}

/* --- numbers as Python holds them ---------------------------------------- */

/* trunc() and ceil() without libm. */
static double d_trunc(double d)
{
	if (!isfinite(d) || fabs(d) >= 4503599627370496.0)
		return d;
	return (double)(long long)d;
}

static double d_ceil(double d)
{
	double t = d_trunc(d);

	return t < d ? t + 1 : t;
}

static int is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	    ch == '\v' || ch == '\f';
}

/* "-007" -> "-7", "-0" -> "0". */
static void int_canon(const char *s, struct buf *b)
{
	int neg = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	while (*s == '0' && s[1])
		s++;
	if (neg && strcmp(s, "0"))
		buf_putc(b, '-');
	buf_puts(b, s);
}

/* Python's int(str): 0, or -1 when it raises. */
static int py_int_of_str(const char *s, size_t len, struct buf *b)
{
	const char *e = s + len;
	struct buf d = {0};
	int neg = 0, ok = 1;

	while (s < e && is_space((unsigned char)*s))
		s++;
	while (e > s && is_space((unsigned char)e[-1]))
		e--;
	if (s < e && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	if (s == e)
		ok = 0;
	for (const char *p = s; ok && p < e; p++) {
		if (isdigit((unsigned char)*p))
			buf_putc(&d, *p);
		else if (*p == '_' && p > s && p + 1 < e &&
		    isdigit((unsigned char)p[-1]) &&
		    isdigit((unsigned char)p[1]))
			;
		else
			ok = 0;
	}
	if (ok) {
		struct buf t = {0};

		buf_printf(&t, "%s%s", neg ? "-" : "", d.s);
		int_canon(t.s, b);
		buf_free(&t);
	}
	buf_free(&d);
	return ok ? 0 : -1;
}

/* Python's repr() of a float (value.c has the one writer). */
static void float_repr(double d, struct buf *b)
{
	char *r = py_float_repr(d);

	buf_puts(b, r);
	free(r);
}

/* Python's float(str), finite values only: 0, or -1. */
static int py_float_of_str(const char *s, size_t len, double *out)
{
	struct buf t = {0};
	const char *e = s + len, *p;
	int digits = 0, ok = 1;
	char *end;

	while (s < e && is_space((unsigned char)*s))
		s++;
	while (e > s && is_space((unsigned char)e[-1]))
		e--;
	buf_putn(&t, s, (size_t)(e - s));
	p = t.s;
	if (*p == '+' || *p == '-')
		p++;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			digits++;
	if (!digits)
		ok = 0;
	if (ok && (*p == 'e' || *p == 'E')) {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			ok = 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (ok && *p)
		ok = 0;
	if (ok) {
		*out = strtod(t.s, &end);
		if (*end || !isfinite(*out))
			ok = 0;
	}
	buf_free(&t);
	return ok ? 0 : -1;
}

/* A Python Decimal: (-1)^neg * coef * 10^exp. */
struct dec {
	int neg;
	char *coef;	/* digits, no leading zeros ("0" for zero) */
	long exp;
};

static void dec_free(struct dec *d)
{
	free(d->coef);
	d->coef = NULL;
}

static void dec_set(struct dec *d, int neg, const char *digits, size_t n,
    long exp)
{
	while (n > 1 && *digits == '0')
		digits++, n--;
	if (n == 0)
		digits = "0", n = 1;
	d->neg = neg;
	d->coef = xstrndup(digits, n);
	d->exp = exp;
}

/* Python's Decimal(str), finite values: 0, or -1. */
static int dec_parse(const char *s, size_t len, struct dec *d)
{
	const char *e = s + len;
	struct buf dig = {0};
	long frac = 0, ex = 0;
	int neg = 0, n = 0, eneg = 0;

	while (s < e && is_space((unsigned char)*s))
		s++;
	while (e > s && is_space((unsigned char)e[-1]))
		e--;
	if (s < e && (*s == '+' || *s == '-'))
		neg = *s++ == '-';
	for (; s < e && isdigit((unsigned char)*s); s++, n++)
		buf_putc(&dig, *s);
	if (s < e && *s == '.')
		for (s++; s < e && isdigit((unsigned char)*s); s++, n++, frac++)
			buf_putc(&dig, *s);
	if (!n) {
		buf_free(&dig);
		return -1;
	}
	if (s < e && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < e && (*s == '+' || *s == '-'))
			eneg = *s++ == '-';
		if (s == e || !isdigit((unsigned char)*s)) {
			buf_free(&dig);
			return -1;
		}
		for (; s < e && isdigit((unsigned char)*s); s++)
			if (ex < 100000000)
				ex = ex * 10 + (*s - '0');
	}
	if (s != e) {
		buf_free(&dig);
		return -1;
	}
	dec_set(d, neg, dig.s, dig.len, (eneg ? -ex : ex) - frac);
	buf_free(&dig);
	return 0;
}

/* str() of a Decimal (its to-sci-string). */
static void dec_str(const struct dec *d, struct buf *b)
{
	long nd = (long)strlen(d->coef), left = d->exp + nd, dot;

	if (d->neg)
		buf_putc(b, '-');
	dot = d->exp <= 0 && left > -6 ? left : 1;
	if (dot <= 0) {
		buf_puts(b, "0.");
		for (long i = 0; i < -dot; i++)
			buf_putc(b, '0');
		buf_puts(b, d->coef);
	} else if (dot >= nd) {
		buf_puts(b, d->coef);
		for (long i = nd; i < dot; i++)
			buf_putc(b, '0');
	} else {
		buf_putn(b, d->coef, (size_t)dot);
		buf_printf(b, ".%s", d->coef + dot);
	}
	if (left != dot)
		buf_printf(b, "E%+ld", left - dot);
}

/* Decimal.from_float(x), then rounded to prec digits (half even) as
 * Context(prec).create_decimal_from_float does; prec 0: exact. */
static void dec_from_double(double x, int prec, struct dec *d)
{
	unsigned char *dig;	/* little endian */
	size_t n = 0, cap = 1200;
	uint64_t m;
	int e, mul, times;
	char *s;

	d->neg = signbit(x) != 0;
	x = fabs(x);
	if (x == 0) {
		dec_set(d, d->neg, "0", 1, 0);
		return;
	}
	m = (uint64_t)ldexp(frexp(x, &e), 53);
	e -= 53;
	while (e < 0 && !(m & 1))
		m >>= 1, e++;
	dig = xcalloc(cap, 1);
	while (m) {
		dig[n++] = (unsigned char)(m % 10);
		m /= 10;
	}
	mul = e < 0 ? 5 : 2;
	times = abs(e);
	for (int k = 0; k < times; k++) {
		int carry = 0;

		for (size_t i = 0; i < n; i++) {
			int v = dig[i] * mul + carry;

			dig[i] = (unsigned char)(v % 10);
			carry = v / 10;
		}
		while (carry) {
			dig[n++] = (unsigned char)(carry % 10);
			carry /= 10;
		}
	}
	s = xmalloc(n + 2);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)('0' + dig[n - 1 - i]);
	s[n] = 0;
	free(dig);
	d->exp = e < 0 ? e : 0;
	if (prec > 0 && n > (size_t)prec) {
		size_t drop = n - (size_t)prec;
		int up = 0;
		char first = s[prec];
		int rest = 0;

		for (size_t i = (size_t)prec + 1; i < n; i++)
			if (s[i] != '0')
				rest = 1;
		if (first > '5' || (first == '5' && rest) ||
		    (first == '5' && !rest && (s[prec - 1] - '0') % 2))
			up = 1;
		s[prec] = 0;
		if (up) {
			int i = prec - 1;

			while (i >= 0 && s[i] == '9')
				s[i--] = '0';
			if (i >= 0) {
				s[i]++;
			} else {
				/* 999 -> 1000, one digit too many: 100 */
				memmove(s + 1, s, (size_t)prec);
				s[0] = '1';
				s[prec] = 0;
				drop++;
			}
		}
		d->exp += (long)drop;
		n = (size_t)prec;
	}
	dec_set(d, d->neg, s, n, d->exp);
	free(s);
}

/* int(Decimal): truncated toward zero. */
static void dec_trunc(const struct dec *d, struct buf *b)
{
	long nd = (long)strlen(d->coef);
	struct buf t = {0};

	if (d->exp >= 0) {
		buf_puts(&t, d->coef);
		if (strcmp(d->coef, "0"))
			for (long i = 0; i < d->exp; i++)
				buf_putc(&t, '0');
	} else if (nd + d->exp <= 0) {
		buf_puts(&t, "0");
	} else {
		buf_putn(&t, d->coef, (size_t)(nd + d->exp));
	}
	if (d->neg && strcmp(t.s, "0"))
		buf_putc(b, '-');
	buf_puts(b, t.s);
	buf_free(&t);
}

/* Decimal equal to the integer k (0 or 1)? */
static int dec_is(const struct dec *d, int k)
{
	struct buf t = {0};
	int r;

	dec_trunc(d, &t);
	r = !strcmp(t.s, k ? "1" : "0");
	if (r) {
		/* no fractional digits other than zeros */
		long nd = (long)strlen(d->coef);

		for (long i = nd + d->exp; i < nd; i++)
			if (i >= 0 && d->coef[i] != '0')
				r = 0;
	}
	buf_free(&t);
	return r;
}

/* A value as Python holds it. */
enum pyk { PY_NONE, PY_BOOL, PY_INT, PY_FLOAT, PY_DEC, PY_STR, PY_OTHER };

struct py {
	enum pyk k;
	int b;			/* PY_BOOL */
	struct buf txt;		/* PY_INT digits, PY_FLOAT repr, PY_DEC str() */
	double d;		/* PY_FLOAT */
	struct dec dec;		/* PY_DEC */
	const char *s;		/* PY_STR */
	size_t len;
};

static void py_free(struct py *p)
{
	buf_free(&p->txt);
	dec_free(&p->dec);
}

static int py_of(struct wctx *c, const struct value *v, struct py *p)
{
	memset(p, 0, sizeof *p);
	switch (v->kind) {
	case V_NONE:
		p->k = PY_NONE;
		return 0;
	case V_TRUE:
	case V_FALSE:
		p->k = PY_BOOL;
		p->b = v->kind == V_TRUE;
		return 0;
	case V_INT:
		p->k = PY_INT;
		int_canon(v->s, &p->txt);
		return 0;
	case V_FLOAT:
		p->k = PY_FLOAT;
		p->d = strtod(v->s, NULL);
		float_repr(p->d, &p->txt);
		return 0;
	case V_STR:
		p->k = PY_STR;
		p->s = v->s;
		p->len = v->len;
		return 0;
	case V_UNARY:
		if (!strcmp(v->s, "-") || !strcmp(v->s, "+")) {
			struct py in;
			int neg = !strcmp(v->s, "-");

			if (py_of(c, v->items[0], &in) < 0)
				return -1;
			if (in.k == PY_INT) {
				p->k = PY_INT;
				if (neg && strcmp(in.txt.s, "0")) {
					if (in.txt.s[0] == '-')
						buf_puts(&p->txt, in.txt.s + 1);
					else
						buf_printf(&p->txt, "-%s",
						    in.txt.s);
				} else {
					buf_puts(&p->txt, in.txt.s);
				}
			} else if (in.k == PY_FLOAT) {
				p->k = PY_FLOAT;
				p->d = neg ? -in.d : in.d;
				float_repr(p->d, &p->txt);
			} else if (in.k == PY_DEC) {
				p->k = PY_DEC;
				dec_set(&p->dec, neg ? !in.dec.neg : in.dec.neg,
				    in.dec.coef, strlen(in.dec.coef),
				    in.dec.exp);
				dec_str(&p->dec, &p->txt);
			} else {
				p->k = PY_OTHER;
			}
			py_free(&in);
			return 0;
		}
		break;
	case V_CALL:
		if (is_call(v, "decimal.Decimal") && v->n == 1) {
			const struct value *a = v->items[0];

			p->k = PY_DEC;
			if (a->kind == V_STR) {
				if (dec_parse(a->s, a->len, &p->dec) < 0)
					return fail(c, "not a finite decimal: %s",
					    vtext(v));
			} else if (a->kind == V_INT) {
				struct buf t = {0};

				int_canon(a->s, &t);
				dec_set(&p->dec, t.s[0] == '-',
				    t.s + (t.s[0] == '-'),
				    t.len - (t.s[0] == '-'), 0);
				buf_free(&t);
			} else if (a->kind == V_FLOAT) {
				dec_from_double(strtod(a->s, NULL), 0, &p->dec);
			} else {
				return fail(c, "a decimal not rendered: %s",
				    vtext(v));
			}
			dec_str(&p->dec, &p->txt);
			return 0;
		}
		break;
	default:
		break;
	}
	p->k = PY_OTHER;
	return 0;
}

/* Python's str() of a value, for the LIKE lookups and text fields. */
static int py_str(struct wctx *c, const struct value *v, const struct py *p,
    struct buf *b)
{
	switch (p->k) {
	case PY_STR:
		buf_putn(b, p->s, p->len);
		return 0;
	case PY_INT:
	case PY_FLOAT:
	case PY_DEC:
		buf_puts(b, p->txt.s);
		return 0;
	case PY_BOOL:
		buf_puts(b, p->b ? "True" : "False");
		return 0;
	case PY_NONE:
		buf_puts(b, "None");
		return 0;
	default:
		return fail(c, "str() of %s is not rendered", vtext(v));
	}
}

/* --- values made here ---------------------------------------------------- */

static const struct value *mk(struct wctx *c, enum vkind k, const char *s)
{
	return own(c, s ? value_str(k, s, strlen(s)) : value_new(k, 0, 0));
}

static const struct value *mk_str(struct wctx *c, const char *s, size_t n)
{
	return own(c, value_str(V_STR, s, n));
}

static const struct value *mk_dec(struct wctx *c, const char *s)
{
	struct value *v = value_new(V_CALL, 0, 0);

	v->fn = value_str(V_NAME, "decimal.Decimal", 15);
	value_push(v, value_str(V_STR, s, strlen(s)), NULL);
	return own(c, v);
}

/* A number written with a unary sign becomes a plain number. */
static const struct value *norm(struct wctx *c, const struct value *v)
{
	struct py p;
	const struct value *r = v;

	if (v->kind != V_UNARY || py_of(c, v, &p) < 0)
		return v;
	if (p.k == PY_INT)
		r = mk(c, V_INT, p.txt.s);
	else if (p.k == PY_FLOAT)
		r = mk(c, V_FLOAT, p.txt.s);
	else if (p.k == PY_DEC)
		r = mk_dec(c, p.txt.s);
	py_free(&p);
	return r;
}

/* --- the model's fields ------------------------------------------------ */

#define I32 "-2147483648", "2147483647"
#define I64 "-9223372036854775808", "9223372036854775807"
#define I16 "-32768", "32767"

static const struct ftype ftypes[] = {
	{"models.AutoField", "AutoField", K_INT, I32},
	{"models.BigAutoField", "BigAutoField", K_INT, I64},
	{"models.SmallAutoField", "SmallAutoField", K_INT, I16},
	{"models.IntegerField", "IntegerField", K_INT, I32},
	{"models.BigIntegerField", "BigIntegerField", K_INT, I64},
	{"models.SmallIntegerField", "SmallIntegerField", K_INT, I16},
	{"models.PositiveIntegerField", "PositiveIntegerField", K_INT,
	    "0", "2147483647"},
	{"models.PositiveSmallIntegerField", "PositiveSmallIntegerField",
	    K_INT, "0", "32767"},
	{"models.PositiveBigIntegerField", "PositiveBigIntegerField", K_INT,
	    "0", "9223372036854775807"},
	{"models.FloatField", "FloatField", K_FLOAT, NULL, NULL},
	{"models.DecimalField", "DecimalField", K_DECIMAL, NULL, NULL},
	{"models.CharField", "CharField", K_TEXT, NULL, NULL},
	{"models.SlugField", "SlugField", K_TEXT, NULL, NULL},
	{"models.EmailField", "CharField", K_TEXT, NULL, NULL},
	{"models.URLField", "CharField", K_TEXT, NULL, NULL},
	{"models.TextField", "TextField", K_TEXT, NULL, NULL},
	{"models.FileField", "FileField", K_TEXT, NULL, NULL},
	{"models.ImageField", "FileField", K_TEXT, NULL, NULL},
	{"models.FilePathField", "FilePathField", K_TEXT, NULL, NULL},
	{"models.BooleanField", "BooleanField", K_BOOL, NULL, NULL},
	{"models.ForeignKey", "ForeignKey", K_FK, NULL, NULL},
	{"models.OneToOneField", "OneToOneField", K_FK, NULL, NULL},
	{"models.ManyToManyField", "ManyToManyField", K_M2M, NULL, NULL},
	{"models.DateField", "DateField", K_PASS, NULL, NULL},
	{"models.DateTimeField", "DateTimeField", K_PASS, NULL, NULL},
	{"models.TimeField", "TimeField", K_PASS, NULL, NULL},
	{"models.DurationField", "DurationField", K_PASS, NULL, NULL},
	{"models.UUIDField", "UUIDField", K_PASS, NULL, NULL},
	{"models.BinaryField", "BinaryField", K_PASS, NULL, NULL},
	{"models.GenericIPAddressField", "GenericIPAddressField", K_PASS,
	    NULL, NULL},
	{"models.IPAddressField", "IPAddressField", K_PASS, NULL, NULL},
	{"models.JSONField", "JSONField", K_SPECIAL, NULL, NULL},
	{"models.GeneratedField", "GeneratedField", K_GENERATED, NULL, NULL},
};

static const struct ftype special = {
	"postgres.*", "", K_SPECIAL, NULL, NULL
};

static const struct ftype *ftype_of(const struct value *call)
{
	const char *n = call_name(call);

	if (!n)
		return NULL;
	for (size_t i = 0; i < sizeof ftypes / sizeof *ftypes; i++)
		if (!strcmp(ftypes[i].cls, n))
			return &ftypes[i];
	if (!strncmp(n, "postgres.", 9))
		return &special;
	return NULL;
}

static int is_true(const struct value *v)
{
	return v && v->kind == V_TRUE;
}

static void load_fields(struct wctx *c)
{
	const struct value *fl = value_kwarg(c->state, "fields");

	if (!fl || (fl->kind != V_LIST && fl->kind != V_TUPLE))
		return;
	c->fields = xcalloc(fl->n + 1, sizeof *c->fields);
	for (size_t i = 0; i < fl->n; i++) {
		const struct value *t = fl->items[i];
		const struct value *col;
		struct mfield *f;

		if (t->kind != V_TUPLE || t->n != 2 ||
		    t->items[0]->kind != V_STR || t->items[1]->kind != V_CALL)
			continue;
		f = &c->fields[c->nfields++];
		f->name = t->items[0]->s;
		f->field = f->typed = t->items[1];
		f->t = ftype_of(f->field);
		if (f->t && f->t->kind == K_GENERATED) {
			f->typed = value_kwarg(f->field, "output_field");
			f->t = ftype_of(f->typed);
		}
		f->null = is_true(value_kwarg(f->field, "null"));
		f->pk = is_true(value_kwarg(f->field, "primary_key"));
		col = value_kwarg(f->field, "db_column");
		if (col && col->kind == V_STR)
			f->column = xstrdup(col->s);
		else if (f->t && f->t->kind == K_FK)
			f->column = xasprintf("%s_id", f->name);
		else
			f->column = xstrdup(f->name);
	}
}

/* Options.get_field(): by name, by attname (a relation's "x_id"), and
 * "pk" for the primary key. */
static const struct mfield *find_field(struct wctx *c, const char *name)
{
	size_t i, n = strlen(name);

	if (!strcmp(name, "pk")) {
		for (i = 0; i < c->nfields; i++)
			if (c->fields[i].pk)
				return &c->fields[i];
		name = "id";
	}
	for (i = 0; i < c->nfields; i++)
		if (!strcmp(c->fields[i].name, name))
			return &c->fields[i];
	for (i = 0; i < c->nfields; i++) {
		const struct mfield *f = &c->fields[i];
		size_t k = strlen(f->name);

		if (f->t && f->t->kind == K_FK && n == k + 3 &&
		    !strncmp(name, f->name, k) && !strcmp(name + k, "_id"))
			return f;
	}
	return NULL;
}

static enum fkind kind_of(const struct mfield *f)
{
	return f->t ? f->t->kind : K_SPECIAL;
}

/* --- SQL with placeholders ---------------------------------------------- */

struct sqlp {
	struct buf sql;			/* "%s" a parameter, "%%" a percent */
	const struct value **pv;	/* the parameters... */
	const struct value **pf;	/* ...and their fields (or NULL) */
	size_t np;
};

static void sp_param(struct sqlp *sp, const struct value *v,
    const struct value *f)
{
	sp->pv = xrealloc(sp->pv, (sp->np + 1) * sizeof *sp->pv);
	sp->pf = xrealloc(sp->pf, (sp->np + 1) * sizeof *sp->pf);
	sp->pv[sp->np] = v;
	sp->pf[sp->np++] = f;
	buf_puts(&sp->sql, "%s");
}

static void sp_cat(struct sqlp *to, const struct sqlp *from)
{
	buf_putn(&to->sql, from->sql.s ? from->sql.s : "", from->sql.len);
	for (size_t i = 0; i < from->np; i++) {
		to->pv = xrealloc(to->pv, (to->np + 1) * sizeof *to->pv);
		to->pf = xrealloc(to->pf, (to->np + 1) * sizeof *to->pf);
		to->pv[to->np] = from->pv[i];
		to->pf[to->np++] = from->pf[i];
	}
}

static void sp_free(struct sqlp *sp)
{
	buf_free(&sp->sql);
	free(sp->pv);
	free(sp->pf);
	memset(sp, 0, sizeof *sp);
}

static const char *sp_str(const struct sqlp *sp)
{
	return sp->sql.s ? sp->sql.s : "";
}

static int put_column(struct wctx *c, struct sqlp *sp, const char *column)
{
	if (strchr(column, '%'))
		return fail(c, "column name with '%%' (%s): Django's "
		    "%%-formatting of the SQL breaks on it", column);
	sql_quote_name(&sp->sql, column);
	return 0;
}

/* --- expressions -------------------------------------------------------- */

/* Is v an expression (rather than a value)? */
static int is_expr(const struct value *v)
{
	const char *n = call_name(v);

	if (n)
		return !strncmp(n, "models.", 7) || !strcmp(n, "F") ||
		    !strcmp(n, "Value") || !strcmp(n, "Q");
	if (v->kind == V_BINOP)
		return is_expr(v->items[0]) || is_expr(v->items[1]);
	if (v->kind == V_UNARY)
		return is_expr(v->items[0]);
	return 0;
}

static int is_f(const struct value *v)
{
	return is_call(v, "models.F") || is_call(v, "F");
}

static int is_value_expr(const struct value *v)
{
	return is_call(v, "models.Value") || is_call(v, "Value");
}

/* F(name) -> its field. */
static const struct mfield *f_field(struct wctx *c, const struct value *v)
{
	const struct value *n = arg(v, 0, "name");
	const struct mfield *f;

	if (!n || n->kind != V_STR) {
		fail(c, "an F() without a name: %s", vtext(v));
		return NULL;
	}
	if (strstr(n->s, "__")) {
		fail(c, "F('%s'): joins and transforms in F() are not "
		    "rendered", n->s);
		return NULL;
	}
	f = find_field(c, n->s);
	if (!f) {
		fail(c, "Cannot resolve keyword '%s' into field", n->s);
		return NULL;
	}
	if (kind_of(f) == K_M2M) {
		fail(c, "F('%s'): a many-to-many relation is a join", n->s);
		return NULL;
	}
	return f;
}

static const struct {
	const char *cls, *fn;
	int min, max;
} funcs[] = {
	{"Lower", "LOWER", 1, 1}, {"Upper", "UPPER", 1, 1},
	{"Length", "LENGTH", 1, 1}, {"Reverse", "REVERSE", 1, 1},
	{"Trim", "TRIM", 1, 1}, {"LTrim", "LTRIM", 1, 1},
	{"RTrim", "RTRIM", 1, 1}, {"Abs", "ABS", 1, 1},
	{"Ceil", "CEILING", 1, 1}, {"Floor", "FLOOR", 1, 1},
	{"Sign", "SIGN", 1, 1}, {"Coalesce", "COALESCE", 2, 1000},
	{"Greatest", "GREATEST", 2, 1000}, {"Least", "LEAST", 2, 1000},
	{"Now", NULL, 0, 0},
};

static int q_expr_sql(struct wctx *c, const struct value *v, struct sqlp *out,
    int *is_value, const struct mfield **col);

/* A temporal operand would make Django build a DurationExpression or a
 * TemporalSubtraction. */
static int temporal(struct wctx *c, const struct value *v)
{
	const struct mfield *f;
	const char *n;

	if (is_f(v)) {
		f = f_field(c, v);
		if (!f || !f->t)
			return 0;
		return !strcmp(f->t->internal, "DateField") ||
		    !strcmp(f->t->internal, "DateTimeField") ||
		    !strcmp(f->t->internal, "TimeField") ||
		    !strcmp(f->t->internal, "DurationField");
	}
	if (is_value_expr(v) && arg(v, 0, "value"))
		v = arg(v, 0, "value");
	n = call_name(v);
	if (n && !strncmp(n, "datetime.", 9))
		return 1;
	if (v->kind == V_BINOP || v->kind == V_UNARY || is_call(v,
	    "models.CombinedExpression")) {
		for (size_t i = 0; i < v->n; i++)
			if (temporal(c, v->items[i]))
				return 1;
	}
	return 0;
}

/* An operand of arithmetic or a function's argument: an expression,
 * or a value wrapped in Value() (a str is an F() in a function). */
static int operand_sql(struct wctx *c, const struct value *v,
    struct sqlp *out, int str_is_f)
{
	if (is_expr(v))
		return q_expr_sql(c, v, out, NULL, NULL);
	if (v->kind == V_STR && str_is_f) {
		const struct mfield *f = find_field(c, v->s);

		if (strstr(v->s, "__"))
			return fail(c, "'%s': joins and transforms in function "
			    "arguments are not rendered", v->s);
		if (!f)
			return fail(c, "Cannot resolve keyword '%s' into field",
			    v->s);
		return put_column(c, out, f->column);
	}
	if (v->kind == V_NONE) {
		buf_puts(&out->sql, "NULL");
		return 0;
	}
	sp_param(out, norm(c, v), NULL);
	return 0;
}

static int combined_sql(struct wctx *c, const struct value *l,
    const char *conn, const struct value *r, struct sqlp *out)
{
	if (temporal(c, l) || temporal(c, r))
		return c->err ? -1 : fail(c, "arithmetic on dates, times or "
		    "durations is not rendered");
	if (c->err)
		return -1;
	buf_putc(&out->sql, '(');
	if (operand_sql(c, l, out, 0) < 0)
		return -1;
	buf_printf(&out->sql, " %s ", conn);
	if (operand_sql(c, r, out, 0) < 0)
		return -1;
	buf_putc(&out->sql, ')');
	return 0;
}

/* The SQL of an expression; *is_value: it is a Value() (not wrapped in
 * parentheses as a lookup's right-hand side), *col: the field of a plain
 * F(). */
static int q_expr_sql(struct wctx *c, const struct value *v, struct sqlp *out,
    int *is_value, const struct mfield **col)
{
	const char *n = call_name(v);

	if (is_value)
		*is_value = 0;
	if (col)
		*col = NULL;
	if (is_f(v)) {
		const struct mfield *f = f_field(c, v);

		if (!f)
			return -1;
		if (col)
			*col = f;
		return put_column(c, out, f->column);
	}
	if (is_value_expr(v)) {
		const struct value *val = arg(v, 0, "value");
		const struct value *of = value_kwarg(v, "output_field");

		if (!val)
			return fail(c, "a Value() without a value");
		if (is_value)
			*is_value = 1;
		if (val->kind == V_NONE) {
			buf_puts(&out->sql, "NULL");
			return 0;
		}
		if (is_expr(val))
			return fail(c, "Value() of an expression: %s",
			    vtext(v));
		sp_param(out, norm(c, val), of);
		return 0;
	}
	if (is_call(v, "models.CombinedExpression")) {
		const struct value *l = arg(v, 0, "lhs");
		const struct value *cn = arg(v, 1, "connector");
		const struct value *r = arg(v, 2, "rhs");
		static const char *const ok[] = {
			"+", "-", "*", "/", "^", "%%", "&", "|", "<<", ">>",
			"#", NULL
		};
		int found = 0;

		if (!l || !r || !cn || cn->kind != V_STR)
			return fail(c, "a CombinedExpression not rendered: %s",
			    vtext(v));
		for (int i = 0; ok[i]; i++)
			if (!strcmp(ok[i], cn->s))
				found = 1;
		if (!found)
			return fail(c, "connector '%s' not rendered", cn->s);
		return combined_sql(c, l, cn->s, r, out);
	}
	if (v->kind == V_BINOP) {
		static const char *const ops[][2] = {
			{"+", "+"}, {"-", "-"}, {"*", "*"}, {"/", "/"},
			{"%", "%%"}, {"**", "^"},
		};

		for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
			if (!strcmp(v->s, ops[i][0]))
				return combined_sql(c, v->items[0], ops[i][1],
				    v->items[1], out);
		return fail(c, "operator '%s' between expressions is not "
		    "rendered: %s", v->s, vtext(v));
	}
	if (v->kind == V_UNARY && !strcmp(v->s, "-")) {
		/* Combinable.__neg__: expr * -1 */
		return combined_sql(c, v->items[0], "*", mk(c, V_INT, "-1"),
		    out);
	}
	if (n && !strncmp(n, "models.functions.", 17)) {
		const char *cls = n + 17;

		for (size_t i = 0; i < sizeof funcs / sizeof *funcs; i++) {
			size_t na = npositional(v), k = 0;

			if (strcmp(funcs[i].cls, cls))
				continue;
			if ((int)na < funcs[i].min || (int)na > funcs[i].max)
				return fail(c, "%s() with %zu arguments", cls,
				    na);
			for (size_t j = 0; j < v->n; j++)
				if (v->names[j] &&
				    strcmp(v->names[j], "output_field"))
					return fail(c, "%s(%s=...) is not "
					    "rendered", cls, v->names[j]);
			if (!funcs[i].fn) {
				buf_puts(&out->sql, "STATEMENT_TIMESTAMP()");
				return 0;
			}
			buf_printf(&out->sql, "%s(", funcs[i].fn);
			for (size_t j = 0; j < v->n; j++) {
				if (v->names[j])
					continue;
				if (k++)
					buf_puts(&out->sql, ", ");
				if (operand_sql(c, v->items[j], out, 1) < 0)
					return -1;
			}
			buf_putc(&out->sql, ')');
			return 0;
		}
	}
	return fail(c, "expression not rendered: %s", vtext(v));
}

/* --- Q objects ---------------------------------------------------------- */

struct qnode;

struct qchild {
	const char *key;		/* a (lookup, value) child... */
	const struct value *val;
	struct qnode *q;		/* ...or a Q */
};

struct qnode {
	char conn;		/* 'A', 'O', 'X' */
	int negated;
	struct qchild *kids;
	size_t n;
};

static struct qnode *q_new(char conn)
{
	struct qnode *q = xcalloc(1, sizeof *q);

	q->conn = conn;
	return q;
}

static void q_free(struct qnode *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		q_free(q->kids[i].q);
	free(q->kids);
	free(q);
}

static void q_push(struct qnode *q, const char *key, const struct value *val,
    struct qnode *sub)
{
	q->kids = xrealloc(q->kids, (q->n + 1) * sizeof *q->kids);
	q->kids[q->n].key = key;
	q->kids[q->n].val = val;
	q->kids[q->n++].q = sub;
}

/* tree.Node.add(data, conn) on a node whose connector is conn. */
static void q_add(struct qnode *q, struct qnode *data)
{
	if (!data->negated && (data->conn == q->conn || data->n == 1)) {
		for (size_t i = 0; i < data->n; i++)
			q_push(q, data->kids[i].key, data->kids[i].val,
			    data->kids[i].q);
		free(data->kids);
		free(data);
	} else {
		q_push(q, NULL, NULL, data);
	}
}

static struct qnode *q_eval(struct wctx *c, const struct value *v);

/* Q._combine(other, conn) */
static struct qnode *q_combine(struct qnode *a, struct qnode *b, char conn)
{
	struct qnode *q;

	if (!a || !b) {
		q_free(a);
		q_free(b);
		return NULL;
	}
	if (!a->n) {
		q_free(a);
		return b;
	}
	if (!b->n) {
		q_free(b);
		return a;
	}
	q = q_new(conn);
	q_add(q, a);
	q_add(q, b);
	return q;
}

static int kw_cmp(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(x[0], y[0]);
}

static struct qnode *q_eval(struct wctx *c, const struct value *v)
{
	struct qnode *q;
	const char **kw;	/* name, index pairs */
	size_t nkw = 0;

	if (v->kind == V_UNARY && !strcmp(v->s, "~")) {
		q = q_eval(c, v->items[0]);
		if (q)
			q->negated = !q->negated;
		return q;
	}
	if (v->kind == V_BINOP && (!strcmp(v->s, "|") || !strcmp(v->s, "&") ||
	    !strcmp(v->s, "^"))) {
		struct qnode *a = q_eval(c, v->items[0]);
		struct qnode *b = a ? q_eval(c, v->items[1]) : NULL;

		return q_combine(a, b, v->s[0] == '|' ? 'O' :
		    v->s[0] == '&' ? 'A' : 'X');
	}
	if (!is_call(v, "models.Q") && !is_call(v, "Q")) {
		fail(c, "not a Q object (conditional expressions are not "
		    "rendered): %s", vtext(v));
		return NULL;
	}
	q = q_new('A');
	kw = xcalloc(2 * v->n + 1, sizeof *kw);
	for (size_t i = 0; i < v->n; i++) {
		const struct value *it = v->items[i];
		const char *name = v->names[i];

		if (!name) {
			if ((it->kind == V_TUPLE || it->kind == V_LIST) &&
			    it->n == 2 && it->items[0]->kind == V_STR) {
				q_push(q, it->items[0]->s, it->items[1], NULL);
			} else if (is_call(it, "models.Q") ||
			    is_call(it, "Q") || it->kind == V_UNARY ||
			    it->kind == V_BINOP) {
				struct qnode *sub = q_eval(c, it);

				if (!sub)
					goto bad;
				q_push(q, NULL, NULL, sub);
			} else {
				fail(c, "a Q child that is neither a (lookup, "
				    "value) pair nor a Q is not rendered: %s",
				    vtext(it));
				goto bad;
			}
		} else if (!strcmp(name, "_connector")) {
			if (it->kind == V_NONE || value_is_str(it, "AND"))
				q->conn = 'A';
			else if (value_is_str(it, "OR"))
				q->conn = 'O';
			else if (value_is_str(it, "XOR"))
				q->conn = 'X';
			else {
				fail(c, "_connector must be 'AND', 'OR', 'XOR' "
				    "or None: %s", vtext(it));
				goto bad;
			}
		} else if (!strcmp(name, "_negated")) {
			if (it->kind != V_TRUE && it->kind != V_FALSE) {
				fail(c, "_negated not rendered: %s",
				    vtext(it));
				goto bad;
			}
			q->negated = it->kind == V_TRUE;
		} else {
			kw[2 * nkw] = name;
			kw[2 * nkw++ + 1] = (const char *)it;
		}
	}
	/* Q(**kwargs): children sorted by name, after the positional ones */
	qsort(kw, nkw, 2 * sizeof *kw, kw_cmp);
	for (size_t i = 0; i < nkw; i++)
		q_push(q, kw[2 * i], (const struct value *)kw[2 * i + 1],
		    NULL);
	free(kw);
	return q;
bad:
	free(kw);
	q_free(q);
	return NULL;
}

/* --- WhereNodes --------------------------------------------------------- */

struct wnode;

struct rhs {
	const struct value *v;	/* a prepared value, or an expression */
	int expr;
};

struct leaf {
	const char *lookup;
	const struct mfield *f;
	int intlk;		/* IntegerField lookups: range checks */
	struct rhs one;
	struct rhs *list;	/* in, range */
	size_t nlist;
	int is_list;
	const struct value *pfield;	/* for the literal */
	int isnull;		/* isnull: 1, 0, or -1 (not a bool) */
	const struct wnode *xor;	/* 1 = (CASE WHEN ... + ...), for XOR */
};

struct wnode {
	struct leaf *leaf;
	char conn;
	int negated;
	struct wnode **kids;
	size_t n;
};

static struct wnode *w_new(char conn, int negated)
{
	struct wnode *w = xcalloc(1, sizeof *w);

	w->conn = conn;
	w->negated = negated;
	return w;
}

static void w_free(struct wnode *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++)
		w_free(w->kids[i]);
	free(w->kids);
	if (w->leaf)
		free(w->leaf->list);
	free(w->leaf);
	free(w);
}

static void w_push(struct wnode *w, struct wnode *kid)
{
	w->kids = xrealloc(w->kids, (w->n + 1) * sizeof *w->kids);
	w->kids[w->n++] = kid;
}

/* tree.Node.add() again, for WhereNodes. */
static void w_add(struct wnode *w, struct wnode *data)
{
	if (!data->negated && (data->conn == w->conn || data->n == 1)) {
		for (size_t i = 0; i < data->n; i++)
			w_push(w, data->kids[i]);
		free(data->kids);
		free(data->leaf);
		free(data);
	} else {
		w_push(w, data);
	}
}

static struct wnode *w_leaf(struct leaf *l)
{
	struct wnode *w = w_new('A', 0);

	w->leaf = l;
	return w;
}

static struct leaf *isnull_leaf(const struct mfield *f, int isnull)
{
	struct leaf *l = xcalloc(1, sizeof *l);

	l->lookup = "isnull";
	l->f = f;
	l->isnull = isnull;
	return l;
}

static const char *const lookups[] = {
	"exact", "iexact", "gt", "gte", "lt", "lte", "in", "contains",
	"icontains", "startswith", "istartswith", "endswith", "iendswith",
	"range", "isnull", "regex", "iregex", NULL
};

static const char *lookup_name(const char *s)
{
	for (int i = 0; lookups[i]; i++)
		if (!strcmp(lookups[i], s))
			return lookups[i];
	return NULL;
}

static int is_one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(*set, s))
			return 1;
	return 0;
}

static const char *const prep_lookups[] = {
	"exact", "gt", "gte", "lt", "lte", "in", "range", NULL
};
static const char *const pattern_lookups[] = {
	"contains", "icontains", "startswith", "istartswith", "endswith",
	"iendswith", NULL
};
static const char *const text_lookups[] = {
	"iexact", "contains", "icontains", "startswith", "istartswith",
	"endswith", "iendswith", "regex", "iregex", NULL
};

/* IntegerField.get_prep_value(): int(v) (after math.ceil() of a float for
 * gte and lt: IntegerFieldFloatRounding). */
static int prep_int(struct wctx *c, const struct mfield *f, const char *lookup,
    const struct value *v, struct py *p, struct buf *b)
{
	if (p->k == PY_FLOAT && (!strcmp(lookup, "gte") ||
	    !strcmp(lookup, "lt")))
		p->d = d_ceil(p->d);
	switch (p->k) {
	case PY_BOOL:
		buf_puts(b, p->b ? "1" : "0");
		return 0;
	case PY_INT:
		buf_puts(b, p->txt.s);
		return 0;
	case PY_FLOAT:
		if (!isfinite(p->d))
			break;
		buf_printf(b, "%.0f", d_trunc(p->d));
		if (!strcmp(b->s, "-0"))
			buf_reset(b), buf_puts(b, "0");
		return 0;
	case PY_DEC:
		dec_trunc(&p->dec, b);
		return 0;
	case PY_STR:
		if (py_int_of_str(p->s, p->len, b) == 0)
			return 0;
		break;
	default:
		return fail(c, "a value for integer field '%s' not rendered: "
		    "%s", f->name, vtext(v));
	}
	return fail(c, "Field '%s' expected a number but got %s", f->name,
	    vtext(v));
}

/* FloatField.get_prep_value(): float(v), written as repr() writes it. */
static int prep_float(struct wctx *c, const struct mfield *f,
    const struct value *v, const struct py *p, struct buf *b)
{
	double d = 0;

	if (p->k == PY_BOOL)
		d = p->b;
	else if (p->k == PY_INT || p->k == PY_DEC)
		d = strtod(p->txt.s, NULL);
	else if (p->k == PY_FLOAT)
		d = p->d;
	else if (p->k != PY_STR || py_float_of_str(p->s, p->len, &d) < 0)
		return fail(c, "a value for float field '%s' not rendered: %s",
		    f->name, vtext(v));
	if (!isfinite(d))
		return fail(c, "a non-finite value for float field '%s' is not "
		    "rendered: %s", f->name, vtext(v));
	float_repr(d, b);
	return 0;
}

/* DecimalField.to_python(): Decimal(v), a float through the field's
 * context (max_digits significant digits); str() of the result. */
static int prep_decimal(struct wctx *c, const struct mfield *f,
    const struct value *v, const struct py *p, struct buf *b)
{
	struct dec d = {0};
	const struct value *md;

	switch (p->k) {
	case PY_BOOL:
		buf_puts(b, p->b ? "1" : "0");
		return 0;
	case PY_INT:
	case PY_DEC:
		buf_puts(b, p->txt.s);
		return 0;
	case PY_FLOAT:
		md = value_kwarg(f->typed, "max_digits");
		if (!md || md->kind != V_INT || atoi(md->s) < 1)
			return fail(c, "a float for decimal field '%s' without "
			    "max_digits", f->name);
		dec_from_double(p->d, atoi(md->s), &d);
		break;
	case PY_STR:
		if (dec_parse(p->s, p->len, &d) == 0)
			break;
		/* FALLTHROUGH */
	default:
		return fail(c, "a value for decimal field '%s' not rendered: "
		    "%s", f->name, vtext(v));
	}
	dec_str(&d, b);
	dec_free(&d);
	return 0;
}

/* BooleanField.to_python(): True, False, or None for a nullable field's
 * empty string; 1 if true, 0 if false, -1 if Django rejects v. */
static int prep_bool(const struct mfield *f, const struct value *v,
    const struct py *p)
{
	if (f->null && p->k == PY_STR && p->len == 0)
		return 2;
	switch (p->k) {
	case PY_BOOL:
		return p->b;
	case PY_INT:
		return !strcmp(p->txt.s, "1") ? 1 :
		    !strcmp(p->txt.s, "0") ? 0 : -1;
	case PY_FLOAT:
		return p->d == 1 ? 1 : p->d == 0 ? 0 : -1;
	case PY_DEC:
		return dec_is(&p->dec, 1) ? 1 : dec_is(&p->dec, 0) ? 0 : -1;
	case PY_STR:
		if (value_is_str(v, "t") || value_is_str(v, "True") ||
		    value_is_str(v, "1"))
			return 1;
		if (value_is_str(v, "f") || value_is_str(v, "False") ||
		    value_is_str(v, "0"))
			return 0;
		return -1;
	default:
		return -1;
	}
}

/* The field's get_prep_value(v); *out a value (made here or v itself). */
static int prep(struct wctx *c, const struct mfield *f, const char *lookup,
    const struct value *v, const struct value **out)
{
	struct py p;
	struct buf b = {0};
	int r = 0, t;

	*out = v;
	if (py_of(c, v, &p) < 0)
		return -1;
	if (p.k == PY_NONE)
		goto done;
	switch (kind_of(f)) {
	case K_INT:
		if ((r = prep_int(c, f, lookup, v, &p, &b)) == 0)
			*out = mk(c, V_INT, b.s);
		break;
	case K_FLOAT:
		if ((r = prep_float(c, f, v, &p, &b)) == 0)
			*out = mk(c, V_FLOAT, b.s);
		break;
	case K_DECIMAL:
		if ((r = prep_decimal(c, f, v, &p, &b)) == 0)
			*out = mk_dec(c, b.s);
		break;
	case K_TEXT:
		/* CharField.to_python(): str(v) */
		if (p.k != PY_STR && (r = py_str(c, v, &p, &b)) == 0)
			*out = mk_str(c, b.s, b.len);
		break;
	case K_BOOL:
		t = prep_bool(f, v, &p);
		if (t < 0)
			r = fail(c, "a value for boolean field '%s' must be "
			    "True or False: %s", f->name, vtext(v));
		else
			*out = mk(c, t == 2 ? V_NONE : t ? V_TRUE : V_FALSE,
			    NULL);
		break;
	case K_FK:
		/* The target's primary key prepares the value; the state does
		 * not say what it is.  An int is an int to the usual ones. */
		if (p.k == PY_INT)
			*out = mk(c, V_INT, p.txt.s);
		else
			r = fail(c, "a value for relation '%s' other than an "
			    "integer is not rendered (its target's primary key "
			    "prepares it): %s", f->name, vtext(v));
		break;
	default:
		/* the rest: the literal prepares them */
		*out = norm(c, v);
		break;
	}
done:
	py_free(&p);
	buf_free(&b);
	return r;
}

/* The items of an iterable right-hand side (in, range). */
static int iter_items(struct wctx *c, const struct value *v,
    const struct value ***items, size_t *n)
{
	*items = NULL;
	*n = 0;
	if (v->kind == V_LIST || v->kind == V_TUPLE ||
	    (v->kind == V_SET && v->n <= 1)) {
		*items = xcalloc(v->n + 1, sizeof **items);
		for (size_t i = 0; i < v->n; i++)
			(*items)[(*n)++] = v->items[i];
		return 0;
	}
	if (v->kind == V_DICT) {
		*items = xcalloc(v->n / 2 + 1, sizeof **items);
		for (size_t i = 0; i + 1 < v->n; i += 2)
			(*items)[(*n)++] = v->items[i];
		return 0;
	}
	if (v->kind == V_STR) {
		/* a str iterates over its characters */
		*items = xcalloc(v->len + 1, sizeof **items);
		for (size_t i = 0; i < v->len;) {
			size_t k = 1;

			while (i + k < v->len &&
			    ((unsigned char)v->s[i + k] & 0xC0) == 0x80)
				k++;
			(*items)[(*n)++] = mk_str(c, v->s + i, k);
			i += k;
		}
		return 0;
	}
	if (v->kind == V_SET)
		return fail(c, "a set of several values (Python's iteration "
		    "order) is not rendered: %s", vtext(v));
	return fail(c, "the value of an in or range lookup must be "
	    "iterable: %s", vtext(v));
}

/* The right-hand side of a lookup, as Query.resolve_lookup_value()
 * resolves it and the lookup's get_prep_lookup() prepares it; *vcol the
 * field of a plain F(). */
static int build_rhs(struct wctx *c, struct leaf *l, const char *key,
    const struct value *val, const struct mfield **vcol)
{
	const char *lookup = l->lookup;
	const struct mfield *f = l->f;
	const struct value **items;
	struct sqlp tmp = {0};
	int bad;

	if (!strcmp(lookup, "isnull")) {
		if (val->kind == V_NONE)
			return fail(c, "Cannot use None as a query value");
		l->isnull = val->kind == V_TRUE ? 1 :
		    val->kind == V_FALSE ? 0 : -1;
		return 0;
	}
	if (is_expr(val)) {
		bad = q_expr_sql(c, val, &tmp, NULL, vcol);
		sp_free(&tmp);
		if (bad < 0)
			return -1;
		if (!strcmp(lookup, "range"))
			return fail(c, "'%s': an expression as a whole range "
			    "is not rendered", key);
		l->one.v = val;
		l->one.expr = 1;
		return 0;
	}
	if (strcmp(lookup, "in") && strcmp(lookup, "range")) {
		if (is_one_of(lookup, prep_lookups))
			return prep(c, f, lookup, val, &l->one.v);
		l->one.v = norm(c, val);
		return 0;
	}
	if (iter_items(c, val, &items, &l->nlist) < 0)
		return -1;
	l->is_list = 1;
	l->list = xcalloc(l->nlist + 1, sizeof *l->list);
	for (size_t i = 0; i < l->nlist && !c->err; i++) {
		l->list[i].v = items[i];
		if (is_expr(items[i]) && kind_of(f) == K_FK) {
			fail(c, "'%s': an expression in the list of a relation's "
			    "in lookup (Django prepares it as a value)", key);
		} else if (is_expr(items[i])) {
			l->list[i].expr = 1;
			q_expr_sql(c, items[i], &tmp, NULL, NULL);
			sp_free(&tmp);
		} else {
			prep(c, f, lookup, items[i], &l->list[i].v);
		}
	}
	free(items);
	return c->err ? -1 : 0;
}

/* Query.build_filter() for a (lookup, value) child. */
static struct wnode *build_filter(struct wctx *c, const char *key,
    const struct value *val, int cur_neg)
{
	char **parts = NULL;
	size_t nparts = 0;
	const char *p, *q, *lookup;
	const struct mfield *f, *vcol = NULL;
	struct leaf *l = NULL;
	struct wnode *w = NULL;

	for (p = key;; p = q + 2) {
		q = strstr(p, "__");
		parts = xrealloc(parts, (nparts + 1) * sizeof *parts);
		parts[nparts++] = q ? xstrndup(p, (size_t)(q - p)) : xstrdup(p);
		if (!q)
			break;
	}
	if (!*key) {
		fail(c, "Cannot parse keyword query ''");
		goto out;
	}
	f = find_field(c, parts[0]);
	if (!f) {
		fail(c, "Cannot resolve keyword '%s' into field", parts[0]);
		goto out;
	}
	if (kind_of(f) == K_M2M) {
		fail(c, "'%s': a many-to-many relation is a join", key);
		goto out;
	}
	lookup = nparts > 1 ? lookup_name(parts[1]) : "exact";
	if (!lookup || nparts > 2) {
		if (kind_of(f) == K_FK && (!lookup || nparts > 2))
			fail(c, "'%s': joined field references are not "
			    "permitted (or a transform not rendered)", key);
		else
			fail(c, "'%s': transforms are not rendered", key);
		goto out;
	}
	if (kind_of(f) == K_FK && !is_one_of(lookup, (const char *const[]){
	    "exact", "in", "gt", "gte", "lt", "lte", "isnull", NULL})) {
		/* ForeignObject has the Related* lookups only */
		fail(c, "Unsupported lookup '%s' for %s", lookup,
		    f->t->internal);
		goto out;
	}
	if ((kind_of(f) == K_SPECIAL) && strcmp(lookup, "isnull")) {
		fail(c, "'%s': the %s lookup of %s is not rendered", key,
		    lookup, f->t ? call_name(f->typed) :
		    (call_name(f->field) ? call_name(f->field) : "a field"));
		goto out;
	}

	l = xcalloc(1, sizeof *l);
	l->lookup = lookup;
	l->f = f;
	l->intlk = kind_of(f) == K_INT && is_one_of(lookup,
	    (const char *const[]){"exact", "gt", "gte", "lt", "lte", NULL});
	l->pfield = is_one_of(lookup, prep_lookups) ? f->typed : NULL;

	if (build_rhs(c, l, key, val, &vcol) < 0)
		goto out;

	/* build_lookup(): None */
	if (!l->is_list && !l->one.expr && l->one.v &&
	    l->one.v->kind == V_NONE) {
		if (strcmp(lookup, "exact") && strcmp(lookup, "iexact")) {
			fail(c, "Cannot use None as a query value");
			goto out;
		}
		free(l->list);
		memset(l, 0, sizeof *l);
		l->lookup = "isnull";
		l->f = f;
		l->isnull = 1;
	}

	/* WhereNode([condition], AND) */
	w = w_new('A', 0);
	w_push(w, w_leaf(l));
	l = NULL;
	/* A negated lookup keeps NULLs out of the NOT: "col IS NOT NULL"
	 * for a nullable column, and for a nullable F() on the right. */
	if (cur_neg && strcmp(w->kids[0]->leaf->lookup, "isnull")) {
		if (f->null)
			w_push(w, w_leaf(isnull_leaf(f, 0)));
		if (vcol && vcol->null)
			w_push(w, w_leaf(isnull_leaf(vcol, 0)));
	}
out:
	for (size_t i = 0; i < nparts; i++)
		free(parts[i]);
	free(parts);
	if (l)
		free(l->list);
	free(l);
	return w;
}

/* Query._add_q() */
static struct wnode *add_q(struct wctx *c, const struct qnode *q,
    int cur_neg)
{
	struct wnode *t = w_new(q->conn, q->negated);

	cur_neg ^= q->negated;
	for (size_t i = 0; i < q->n; i++) {
		struct wnode *kid = q->kids[i].q ?
		    add_q(c, q->kids[i].q, cur_neg) :
		    build_filter(c, q->kids[i].key, q->kids[i].val, cur_neg);

		if (!kid) {
			w_free(t);
			return NULL;
		}
		if (kid->n)
			w_add(t, kid);
		else
			w_free(kid);
	}
	return t;
}

/* --- compiling ---------------------------------------------------------- */

enum { R_OK, R_EMPTY, R_FULL, R_ERR };

static void rhs_expr(struct wctx *c, const struct value *v, struct sqlp *out,
    int *bad)
{
	struct sqlp e = {0};
	int is_value;

	*bad = q_expr_sql(c, v, &e, &is_value, NULL);
	if (*bad == 0) {
		/* parenthesized unless a Value() or already in parentheses */
		int wrap = !is_value && e.sql.len && e.sql.s[0] != '(';

		if (wrap)
			buf_putc(&out->sql, '(');
		sp_cat(out, &e);
		if (wrap)
			buf_putc(&out->sql, ')');
	}
	sp_free(&e);
}

/* Compare two canonical integers. */
static int int_cmp(const char *a, const char *b)
{
	int na = *a == '-', nb = *b == '-';
	size_t la, lb;
	int r;

	if (na != nb)
		return na ? -1 : 1;
	a += na;
	b += nb;
	la = strlen(a);
	lb = strlen(b);
	r = la != lb ? (la < lb ? -1 : 1) : strcmp(a, b);
	if (r)
		r = r < 0 ? -1 : 1;
	return na ? -r : r;
}

/* A key for In's OrderedSet: equal values, equal keys. */
static void in_key(struct wctx *c, const struct rhs *r, struct buf *b)
{
	struct py p;

	if (r->expr) {
		struct sqlp e = {0};

		buf_puts(b, "E");
		if (q_expr_sql(c, r->v, &e, NULL, NULL) == 0)
			buf_puts(b, sp_str(&e));
		sp_free(&e);
		return;
	}
	if (py_of(c, r->v, &p) < 0) {
		buf_puts(b, "?");
		return;
	}
	if (p.k == PY_INT || p.k == PY_FLOAT || p.k == PY_DEC ||
	    p.k == PY_BOOL) {
		struct dec d = {0};

		if (p.k == PY_BOOL)
			dec_set(&d, 0, p.b ? "1" : "0", 1, 0);
		else if (dec_parse(p.txt.s, p.txt.len, &d) < 0)
			dec_set(&d, 0, "0", 1, 0);
		{
			size_t n = strlen(d.coef);

			while (n > 1 && d.coef[n - 1] == '0')
				d.coef[--n] = 0, d.exp++;
			if (!strcmp(d.coef, "0"))
				d.neg = 0, d.exp = 0;
		}
		buf_printf(b, "N%s%se%ld", d.neg ? "-" : "", d.coef, d.exp);
		dec_free(&d);
	} else {
		char *t = value_text(r->v);

		buf_printf(b, "V%s", t);
		free(t);
	}
	py_free(&p);
}

static int compile_node(struct wctx *c, const struct wnode *w,
    struct sqlp *out);

/* The right half of WhereNode's XOR rewrite:
 *   Exact(1, Case(When(a, then=1), default=0) + ...), in MOD(..., 2) for
 * more than two children. */
static int compile_xor_sum(struct wctx *c, const struct wnode *x,
    struct sqlp *out)
{
	struct sqlp sum = {0};

	for (size_t i = 0; i < x->n; i++) {
		struct sqlp kid = {0}, t = {0};
		int kr = compile_node(c, x->kids[i], &kid);

		if (kr == R_ERR) {
			sp_free(&kid);
			sp_free(&sum);
			return R_ERR;
		}
		if (kr == R_EMPTY) {
			sp_param(&t, mk(c, V_INT, "0"), NULL);
		} else if (kr == R_FULL || !kid.sql.len) {
			sp_param(&t, mk(c, V_INT, "1"), NULL);
		} else {
			buf_puts(&t.sql, "CASE WHEN ");
			sp_cat(&t, &kid);
			buf_puts(&t.sql, " THEN ");
			sp_param(&t, mk(c, V_INT, "1"), NULL);
			buf_puts(&t.sql, " ELSE ");
			sp_param(&t, mk(c, V_INT, "0"), NULL);
			buf_puts(&t.sql, " END");
		}
		if (i == 0) {
			sp_cat(&sum, &t);
		} else {
			struct sqlp s2 = {0};

			buf_putc(&s2.sql, '(');
			sp_cat(&s2, &sum);
			buf_puts(&s2.sql, " + ");
			sp_cat(&s2, &t);
			buf_putc(&s2.sql, ')');
			sp_free(&sum);
			sum = s2;
		}
		sp_free(&kid);
		sp_free(&t);
	}
	if (x->n > 2) {
		struct sqlp m = {0};

		buf_puts(&m.sql, "MOD(");
		sp_cat(&m, &sum);
		buf_puts(&m.sql, ", ");
		sp_param(&m, mk(c, V_INT, "2"), NULL);
		buf_putc(&m.sql, ')');
		sp_free(&sum);
		sum = m;
	}
	sp_param(out, mk(c, V_INT, "1"), NULL);
	buf_puts(&out->sql, " = ");
	if (sum.sql.s[0] != '(')
		buf_putc(&out->sql, '(');
	sp_cat(out, &sum);
	if (sum.sql.s[0] != '(')
		buf_putc(&out->sql, ')');
	sp_free(&sum);
	return R_OK;
}

/* In: "col IN (a, b)", the values an OrderedSet without None. */
static int compile_in(struct wctx *c, const struct leaf *l, struct sqlp *out)
{
	struct buf *keys;
	int hashable = 1, has_expr = 0, bad = 0;
	size_t n = 0;

	if (l->one.expr) {
		buf_puts(&out->sql, " IN ");
		rhs_expr(c, l->one.v, out, &bad);
		return bad < 0 ? R_ERR : R_OK;
	}
	for (size_t i = 0; i < l->nlist; i++) {
		enum vkind k = l->list[i].v->kind;

		/* unhashable: Django filters out None, keeps duplicates */
		if (!l->list[i].expr && (k == V_LIST || k == V_DICT ||
		    k == V_SET))
			hashable = 0;
	}
	/* With an expression in the list Django wraps the values in
	 * Value(): a None is then Value(None), "NULL", and stays. */
	for (size_t i = 0; i < l->nlist; i++)
		if (l->list[i].expr)
			has_expr = 1;
	keys = xcalloc(l->nlist + 1, sizeof *keys);
	buf_puts(&out->sql, " IN (");
	for (size_t i = 0; i < l->nlist && !bad; i++) {
		const struct rhs *e = &l->list[i];
		int dup = 0;

		if (!e->expr && e->v->kind == V_NONE && !has_expr)
			continue;
		in_key(c, e, &keys[i]);
		for (size_t j = 0; hashable && j < i; j++)
			if (keys[j].s && !strcmp(keys[j].s, keys[i].s))
				dup = 1;
		if (dup)
			continue;
		if (n++)
			buf_puts(&out->sql, ", ");
		if (e->expr)
			bad = q_expr_sql(c, e->v, out, NULL, NULL);
		else if (e->v->kind == V_NONE)
			buf_puts(&out->sql, "NULL");
		else
			sp_param(out, e->v, l->pfield);
	}
	buf_putc(&out->sql, ')');
	for (size_t i = 0; i < l->nlist; i++)
		buf_free(&keys[i]);
	free(keys);
	if (bad < 0)
		return R_ERR;
	return n ? R_OK : R_EMPTY;
}

/* Range: "col BETWEEN a AND b".  Django formats the first two items
 * but passes the parameters of all: extra values make the final
 * formatting fail, extra expressions without parameters vanish. */
static int compile_range(struct wctx *c, const struct leaf *l,
    struct sqlp *out)
{
	struct sqlp extra = {0};
	int has_expr = 0;

	for (size_t i = 0; i < l->nlist; i++)
		if (l->list[i].expr)
			has_expr = 1;
	if (l->nlist < 2) {
		fail(c, "a range lookup needs two values, not %zu", l->nlist);
		return R_ERR;
	}
	buf_puts(&out->sql, " BETWEEN ");
	for (size_t i = 0; i < l->nlist; i++) {
		struct sqlp *to = i < 2 ? out : &extra;

		if (i == 1)
			buf_puts(&out->sql, " AND ");
		if (!l->list[i].expr && has_expr &&
		    l->list[i].v->kind == V_NONE)
			buf_puts(&to->sql, "NULL");	/* Value(None) */
		else if (!l->list[i].expr)
			sp_param(to, l->list[i].v, l->pfield);
		else if (q_expr_sql(c, l->list[i].v, to, NULL, NULL) < 0) {
			sp_free(&extra);
			return R_ERR;
		}
	}
	buf_reset(&extra.sql);
	sp_cat(out, &extra);
	sp_free(&extra);
	return R_OK;
}

/* contains, icontains, startswith...: LIKE with the value escaped
 * (prep_for_like_query) and wrapped in '%', or for an expression the
 * backend's pattern_ops around pattern_esc. */
static int compile_pattern(struct wctx *c, const struct leaf *l,
    struct sqlp *out)
{
	int upper = l->lookup[0] == 'i';
	const char *base = l->lookup + upper;
	int pre = strcmp(base, "startswith") != 0;	/* '%' || */
	int post = strcmp(base, "endswith") != 0;	/* || '%' */
	struct buf s = {0}, pat = {0};
	struct py p;
	int bad = 0;

	if (l->one.expr) {
		buf_puts(&out->sql, " LIKE ");
		if (pre)
			buf_puts(&out->sql, "'%%' || ");
		if (upper)
			buf_puts(&out->sql, "UPPER(");
		buf_puts(&out->sql, "REPLACE(REPLACE(REPLACE(");
		rhs_expr(c, l->one.v, out, &bad);
		buf_puts(&out->sql, ", E'\\\\', E'\\\\\\\\'), E'%%', "
		    "E'\\\\%%'), E'_', E'\\\\_')");
		if (upper)
			buf_putc(&out->sql, ')');
		if (post)
			buf_puts(&out->sql, " || '%%'");
		return bad < 0 ? R_ERR : R_OK;
	}
	if (py_of(c, l->one.v, &p) < 0 || py_str(c, l->one.v, &p, &s) < 0) {
		py_free(&p);
		buf_free(&s);
		return R_ERR;
	}
	if (pre)
		buf_putc(&pat, '%');
	for (size_t i = 0; i < s.len; i++) {
		if (s.s[i] && strchr("\\%_", s.s[i]))
			buf_putc(&pat, '\\');
		buf_putc(&pat, s.s[i]);
	}
	if (post)
		buf_putc(&pat, '%');
	buf_puts(&out->sql, upper ? " LIKE UPPER(" : " LIKE ");
	sp_param(out, mk_str(c, pat.s ? pat.s : "", pat.len), NULL);
	if (upper)
		buf_putc(&out->sql, ')');
	py_free(&p);
	buf_free(&s);
	buf_free(&pat);
	return R_OK;
}

/* exact, iexact, gt, gte, lt, lte, regex, iregex: "col OP rhs". */
static int compile_compare(struct wctx *c, const struct leaf *l,
    const struct sqlp *lhs, struct sqlp *out)
{
	static const char *const ops[][2] = {
		{"exact", "="}, {"iexact", "="}, {"gt", ">"}, {"gte", ">="},
		{"lt", "<"}, {"lte", "<="}, {"regex", "~"}, {"iregex", "~*"},
	};
	const char *lk = l->lookup, *op = "=";
	int upper = !strcmp(lk, "iexact"), bad = 0;

	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
		if (!strcmp(ops[i][0], lk))
			op = ops[i][1];
	if (!l->one.expr && l->intlk && l->one.v->kind == V_INT) {
		/* IntegerFieldOverflow: a value outside the column */
		int gt = !strcmp(lk, "gt") || !strcmp(lk, "gte");
		int lt = !strcmp(lk, "lt") || !strcmp(lk, "lte");

		if (int_cmp(l->one.v->s, l->f->t->lo) < 0)
			return gt ? R_FULL : R_EMPTY;
		if (int_cmp(l->one.v->s, l->f->t->hi) > 0)
			return lt ? R_FULL : R_EMPTY;
	}
	if (!strcmp(lk, "exact") && !l->one.expr && kind_of(l->f) == K_BOOL &&
	    (l->one.v->kind == V_TRUE || l->one.v->kind == V_FALSE)) {
		/* "WHERE flag" rather than "flag = true" */
		if (l->one.v->kind == V_FALSE)
			buf_puts(&out->sql, "NOT ");
		sp_cat(out, lhs);
		return R_OK;
	}
	sp_cat(out, lhs);
	buf_printf(&out->sql, " %s ", op);
	if (upper)
		buf_puts(&out->sql, "UPPER(");
	if (l->one.expr)
		rhs_expr(c, l->one.v, out, &bad);
	else
		sp_param(out, l->one.v, l->pfield);
	if (upper)
		buf_putc(&out->sql, ')');
	return bad < 0 ? R_ERR : R_OK;
}

/* A lookup: its column, cast as DatabaseOperations.lookup_cast() casts
 * it, and the rest by lookup. */
static int compile_leaf(struct wctx *c, const struct leaf *l,
    struct sqlp *out)
{
	const char *lk = l->lookup, *cast = "";
	struct sqlp lhs = {0};
	int r, ip = 0, upper = 0;

	if (l->xor)
		return compile_xor_sum(c, l->xor, out);
	if (is_one_of(lk, text_lookups)) {
		const char *it = l->f->t ? l->f->t->internal : "";

		ip = !strcmp(it, "GenericIPAddressField") ||
		    !strcmp(it, "IPAddressField");
		upper = lk[0] == 'i' && strcmp(lk, "iregex");
		cast = ip ? ")" : "::text";
	}
	buf_printf(&lhs.sql, "%s%s", upper ? "UPPER(" : "", ip ? "HOST(" : "");
	if (put_column(c, &lhs, l->f->column) < 0) {
		sp_free(&lhs);
		return R_ERR;
	}
	buf_printf(&lhs.sql, "%s%s", cast, upper ? ")" : "");
	if (!strcmp(lk, "isnull")) {
		r = R_OK;
		if (l->isnull < 0) {
			fail(c, "The QuerySet value for an isnull lookup must "
			    "be True or False");
			r = R_ERR;
		} else {
			sp_cat(out, &lhs);
			buf_puts(&out->sql, l->isnull ? " IS NULL" :
			    " IS NOT NULL");
		}
	} else if (!strcmp(lk, "in") || !strcmp(lk, "range") ||
	    is_one_of(lk, pattern_lookups)) {
		sp_cat(out, &lhs);
		r = !strcmp(lk, "in") ? compile_in(c, l, out) :
		    !strcmp(lk, "range") ? compile_range(c, l, out) :
		    compile_pattern(c, l, out);
	} else {
		r = compile_compare(c, l, &lhs, out);
	}
	sp_free(&lhs);
	return r;
}

/* PostgreSQL has no logical XOR: WhereNode.as_sql() compiles
 *   a XOR b XOR c
 * as
 *   (a OR b OR c) AND 1 = MOD(CASE WHEN a THEN 1 ELSE 0 END + ..., 2) */
static int compile_xor(struct wctx *c, const struct wnode *w,
    struct sqlp *out)
{
	struct wnode any = {0}, sum = {0}, both = {0};
	struct leaf xl = {0};
	struct wnode *kids[2];

	if (!w->n) {
		fail(c, "an empty XOR (reduce() of an empty sequence)");
		return R_ERR;
	}
	any.conn = 'O';
	any.kids = w->kids;
	any.n = w->n;
	xl.lookup = "exact";
	xl.xor = w;
	sum.leaf = &xl;
	sum.conn = 'A';
	kids[0] = &any;
	kids[1] = &sum;
	both.conn = 'A';
	both.negated = w->negated;
	both.kids = kids;
	both.n = 2;
	return compile_node(c, &both, out);
}

/* WhereNode.as_sql() */
static int compile_node(struct wctx *c, const struct wnode *w,
    struct sqlp *out)
{
	struct sqlp acc = {0};
	size_t full_needed, empty_needed, nres = 0;
	int r = R_OK;

	if (w->leaf)
		return compile_leaf(c, w->leaf, out);
	if (w->conn == 'X')
		return compile_xor(c, w, out);
	if (w->conn == 'A')
		full_needed = w->n, empty_needed = 1;
	else
		full_needed = 1, empty_needed = w->n;
	for (size_t i = 0; i < w->n; i++) {
		struct sqlp kid = {0};
		int kr = compile_node(c, w->kids[i], &kid);

		if (kr == R_ERR) {
			sp_free(&kid);
			sp_free(&acc);
			return R_ERR;
		}
		if (kr == R_EMPTY) {
			empty_needed--;
		} else if (kr == R_FULL || !kid.sql.len) {
			full_needed--;
		} else {
			if (nres++)
				buf_puts(&acc.sql, w->conn == 'A' ? " AND " :
				    " OR ");
			sp_cat(&acc, &kid);
		}
		sp_free(&kid);
		if (empty_needed == 0) {
			r = w->negated ? R_FULL : R_EMPTY;
			break;
		}
		if (full_needed == 0) {
			r = w->negated ? R_EMPTY : R_FULL;
			break;
		}
	}
	if (r == R_OK && !nres)
		r = R_FULL;
	if (r == R_OK) {
		if (w->negated)
			buf_puts(&out->sql, "NOT (");
		else if (nres > 1)
			buf_puts(&out->sql, "(");
		sp_cat(out, &acc);
		if (w->negated || nres > 1)
			buf_putc(&out->sql, ')');
	}
	sp_free(&acc);
	return r;
}

/* sql % tuple(quote_value(p) for p in params) */
static int substitute(struct wctx *c, const struct sqlp *sp, struct buf *out)
{
	const char *s = sp_str(sp);
	size_t k = 0;

	for (; *s; s++) {
		char *lit, *e = NULL;

		if (*s != '%') {
			buf_putc(out, *s);
			continue;
		}
		if (s[1] == '%') {
			buf_putc(out, '%');
			s++;
			continue;
		}
		if (s[1] != 's' || k >= sp->np)
			return fail(c, "the condition's SQL does not format");
		lit = c->literal(sp->pv[k], sp->pf[k], &e);
		if (!lit) {
			if (e) {
				fail(c, "%s", e);
				free(e);
				return -1;
			}
			return fail(c, "a value not rendered: %s",
			    vtext(sp->pv[k]));
		}
		free(e);
		buf_puts(out, lit);
		free(lit);
		k++;
		s++;
	}
	if (k != sp->np)
		return fail(c, "not all arguments converted during string "
		    "formatting");
	return 0;
}

int where_sql(const struct value *q, const struct value *state,
    literal_fn literal, struct buf *out, char **err)
{
	struct wctx c = {0};
	struct qnode *qn;
	struct wnode *w = NULL;
	struct sqlp sp = {0};
	struct buf res = {0};
	int r;

	c.state = state;
	c.literal = literal;
	*err = NULL;
	load_fields(&c);
	qn = q_eval(&c, q);
	if (qn)
		w = add_q(&c, qn, 0);
	if (w) {
		r = compile_node(&c, w, &sp);
		if (r == R_EMPTY)
			fail(&c, "the condition matches nothing (Django raises "
			    "EmptyResultSet)");
		else if (r == R_FULL)
			fail(&c, "the condition matches everything (Django "
			    "raises FullResultSet)");
		else if (r == R_OK && substitute(&c, &sp, &res) == 0)
			buf_puts(out, res.s ? res.s : "");
	}
	if (!c.err && (!qn || !w))
		fail(&c, "the condition is not rendered");
	sp_free(&sp);
	buf_free(&res);
	w_free(w);
	q_free(qn);
	for (size_t i = 0; i < c.nfields; i++)
		free(c.fields[i].column);
	free(c.fields);
	for (size_t i = 0; i < c.nowned; i++)
		value_free(c.owned[i]);
	free(c.owned);
	if (c.err) {
		*err = c.err;
		return -1;
	}
	return 0;
}
