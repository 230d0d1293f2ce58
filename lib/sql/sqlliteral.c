/* sqlliteral.c: Python values as SQL literals (see sqlliteral.h).
 *
 * Three steps, as in Django: a value of the stream is evaluated into a
 * Python object (struct py), the field prepares it (get_db_prep_save),
 * and psycopg2's adapter for its type writes the literal. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <arpa/inet.h>

#include "sqlint.h"
#include "base/base.h"
#include "stream/stream.h"

/* --- one call's memory and first error ----------------------------------- */

struct cx {
	void **mem;
	size_t nmem, capmem;
	char *err;
	int volatile_;
};

static void *cx_track(struct cx *c, void *p)
{
	if (c->nmem == c->capmem) {
		c->capmem = c->capmem ? 2 * c->capmem : 32;
		c->mem = xrealloc(c->mem, c->capmem * sizeof *c->mem);
	}
	c->mem[c->nmem++] = p;
	return p;
}

static void *cx_alloc(struct cx *c, size_t n)
{
	return cx_track(c, xcalloc(1, n ? n : 1));
}

static char *cx_strndup(struct cx *c, const char *s, size_t n)
{
	return cx_track(c, xstrndup(s, n));
}

static char *cx_printf(struct cx *c, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = cx_alloc(c, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Record the first error; returns NULL for the caller to pass on. */
static void *fail(struct cx *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->err)
		return NULL;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	c->err = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(c->err, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return NULL;
}

static void cx_done(struct cx *c)
{
	for (size_t i = 0; i < c->nmem; i++)
		free(c->mem[i]);
	free(c->mem);
	c->mem = NULL;
	c->nmem = c->capmem = 0;
}

/* --- Python objects ------------------------------------------------------ */

enum pk {
	P_NONE, P_BOOL, P_INT, P_FLOAT, P_DECIMAL, P_STR, P_BYTES,
	P_LIST, P_TUPLE, P_SET, P_DICT,
	P_DATE, P_DATETIME, P_TIME, P_DELTA, P_UUID, P_RANGE,
	P_JSONB,		/* psycopg2's Json adapter with ::jsonb: it[0] */
	P_INET			/* psycopg2.extras.Inet: it[0] */
};

static const char *const pk_name[] = {
	"NoneType", "bool", "int", "float", "Decimal", "str", "bytes",
	"list", "tuple", "set", "dict",
	"date", "datetime", "time", "timedelta", "UUID", "Range",
	"Jsonb", "Inet"
};

struct py {
	enum pk k;
	int b;			/* bool; decimal: negative; range: empty */
	const char *s;		/* int: digits, maybe '-'; str, bytes;
				   decimal: the coefficient's digits */
	size_t len;
	double d;		/* float */
	long exp;		/* decimal: exponent */
	int special;		/* decimal: 0, 'I'nfinity, 'n' NaN, 'N' sNaN */
	int y, mo, dd, h, mi, sec, us;	/* date, datetime, time */
	int tz;			/* datetime, time: aware */
	long long off;		/* its utcoffset, microseconds */
	long long days;		/* timedelta, normalized as Python does */
	long secs, usecs;
	unsigned char uuid[16];
	struct py **it;		/* list, tuple, set; dict: key, value...;
				   range: lower, upper; jsonb, inet: it[0] */
	size_t n;
	const char *rname;	/* range: SQL type, NULL for NumericRange */
	char bounds[3];
	const struct value *encoder;	/* jsonb: the field's encoder */
};

static struct py *py_new(struct cx *c, enum pk k)
{
	struct py *p = cx_alloc(c, sizeof *p);

	p->k = k;
	return p;
}

static struct py *py_none(struct cx *c)
{
	return py_new(c, P_NONE);
}

static struct py *py_bool(struct cx *c, int b)
{
	struct py *p = py_new(c, P_BOOL);

	p->b = !!b;
	return p;
}

static struct py *py_int(struct cx *c, const char *digits)
{
	struct py *p = py_new(c, P_INT);

	p->s = digits;
	p->len = strlen(digits);
	return p;
}

static struct py *py_float(struct cx *c, double d)
{
	struct py *p = py_new(c, P_FLOAT);

	p->d = d;
	return p;
}

static struct py *py_str(struct cx *c, const char *s, size_t len)
{
	struct py *p = py_new(c, P_STR);

	p->s = s;
	p->len = len;
	return p;
}

static struct py *py_seq(struct cx *c, enum pk k, size_t n)
{
	struct py *p = py_new(c, k);

	p->n = n;
	p->it = cx_alloc(c, (n ? n : 1) * sizeof *p->it);
	return p;
}

static int is_int(const struct py *p)
{
	return p->k == P_INT || p->k == P_BOOL;
}

static const char *int_digits(const struct py *p)
{
	return p->k == P_BOOL ? (p->b ? "1" : "0") : p->s;
}

/* An int as a long long; 0 and *out set, or -1 when it does not fit. */
static int int_ll(const struct py *p, long long *out)
{
	const char *s = int_digits(p);
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int is_empty_value(const struct py *p)
{
	switch (p->k) {
	case P_NONE: return 1;
	case P_STR: return p->len == 0;
	case P_LIST: case P_TUPLE: case P_DICT: return p->n == 0;
	default: return 0;
	}
}

/* --- numbers ------------------------------------------------------------- */

/* modf(), trunc() and round() (half away from zero) without libm, which
 * the tools do not link. */
static double int_part(double x)
{
	return x > -4503599627370496.0 && x < 4503599627370496.0 ?
	    (double)(long long)x : x;
}

static double round_half_away(double x)
{
	double t = int_part(x);

	return x - t >= 0.5 ? t + 1 : x - t <= -0.5 ? t - 1 : t;
}

/* Python's repr() of a finite double (value.c has the one writer). */
static char *float_repr(struct cx *c, double x)
{
	return cx_track(c, py_float_repr(x));
}

/* Strip Python's whitespace and take out the underscores that may group
 * digits ("1_000"); NULL when an underscore is misplaced. */
static char *numeric_text(struct cx *c, const char *s, size_t len)
{
	const char *end = s + len;
	char *out, *w;

	while (s < end && *s && strchr(" \t\n\r\v\f", *s))
		s++;
	while (end > s && end[-1] && strchr(" \t\n\r\v\f", end[-1]))
		end--;
	out = w = cx_alloc(c, (size_t)(end - s) + 1);
	for (const char *p = s; p < end; p++) {
		if (*p == '_') {
			if (p == s || p + 1 == end || !(p[-1] >= '0' &&
			    p[-1] <= '9') || !(p[1] >= '0' && p[1] <= '9'))
				return NULL;
			continue;
		}
		*w++ = *p;
	}
	*w = '\0';
	return out;
}

/* Digits without leading zeros, "0" for zero; neg says whether to keep
 * a '-' (never on zero). */
static char *norm_digits(struct cx *c, const char *d, size_t n, int neg)
{
	while (n > 1 && *d == '0')
		d++, n--;
	if (n == 1 && *d == '0')
		neg = 0;
	return cx_printf(c, "%s%.*s", neg ? "-" : "", (int)n, d);
}

/* int(str) */
static struct py *int_from_text(struct cx *c, const char *s, size_t len)
{
	char *t = numeric_text(c, s, len), *p;
	int neg = 0;

	if (!t)
		goto bad;
	p = t;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p || strspn(p, "0123456789") != strlen(p))
		goto bad;
	return py_int(c, norm_digits(c, p, strlen(p), neg));
bad:
	return fail(c, "invalid literal for int(): '%.*s'", (int)len, s);
}

/* float(str) */
static struct py *float_from_text(struct cx *c, const char *s, size_t len)
{
	char *t = numeric_text(c, s, len), *p, *end;
	size_t n;

	if (!t)
		goto bad;
	p = t + (*t == '+' || *t == '-');
	if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0)
		return py_float(c, *t == '-' ? -INFINITY : INFINITY);
	if (strcasecmp(p, "nan") == 0)
		return py_float(c, NAN);
	n = strspn(p, "0123456789");
	if (p[n] == '.')
		n += 1 + strspn(p + n + 1, "0123456789");
	if (n == 0 || (n == 1 && *p == '.'))
		goto bad;
	if (p[n] == 'e' || p[n] == 'E') {
		size_t m = n + 1 + (p[n + 1] == '+' || p[n + 1] == '-');
		size_t k = strspn(p + m, "0123456789");

		if (!k)
			goto bad;
		n = m + k;
	}
	if (p[n])
		goto bad;
	return py_float(c, strtod(t, &end));
bad:
	return fail(c, "could not convert string to float: '%.*s'", (int)len,
	    s);
}

/* Decimal(str) */
static struct py *decimal_from_text(struct cx *c, const char *s, size_t len)
{
	struct py *p = py_new(c, P_DECIMAL);
	char *t = numeric_text(c, s, len), *q, *coef, *w;
	size_t ni, nf;
	long e = 0;

	if (!t)
		goto bad;
	q = t;
	if (*q == '+' || *q == '-')
		p->b = *q++ == '-';
	if (strcasecmp(q, "inf") == 0 || strcasecmp(q, "infinity") == 0) {
		p->special = 'I';
		p->s = "";
		return p;
	}
	if (strncasecmp(q, "nan", 3) == 0 || strncasecmp(q, "snan", 4) == 0) {
		p->special = (q[0] == 's' || q[0] == 'S') ? 'N' : 'n';
		q += p->special == 'N' ? 4 : 3;
		if (strspn(q, "0123456789") != strlen(q))
			goto bad;
		while (*q == '0')
			q++;
		p->s = q;
		return p;
	}
	ni = strspn(q, "0123456789");
	nf = q[ni] == '.' ? strspn(q + ni + 1, "0123456789") : 0;
	if (ni + nf == 0)
		goto bad;
	coef = w = cx_alloc(c, ni + nf + 1);
	memcpy(w, q, ni);
	memcpy(w + ni, q + ni + 1, nf);
	w[ni + nf] = '\0';
	q += ni + (q[ni] == '.') + nf;
	if (*q == 'e' || *q == 'E') {
		char *end;

		q++;
		if (!*q || strspn(q + (*q == '+' || *q == '-'), "0123456789") !=
		    strlen(q + (*q == '+' || *q == '-')) ||
		    !q[*q == '+' || *q == '-'])
			goto bad;
		errno = 0;
		e = strtol(q, &end, 10);
		if (errno || e > 999999999L || e < -999999999L)
			goto bad;
		q = end;
	}
	if (*q)
		goto bad;
	p->s = norm_digits(c, coef, ni + nf, 0);
	p->len = strlen(p->s);
	p->exp = e - (long)nf;
	return p;
bad:
	return fail(c, "invalid literal for Decimal: '%.*s'", (int)len, s);
}

static struct py *decimal_from_int(struct cx *c, const struct py *i)
{
	struct py *p = py_new(c, P_DECIMAL);
	const char *s = int_digits(i);

	p->b = s[0] == '-';
	p->s = s + p->b;
	p->len = strlen(p->s);
	return p;
}

/* The exact decimal digits of a finite double's magnitude, with *exp the
 * power of ten they are scaled by: Decimal.from_float(). */
static char *double_digits(struct cx *c, double x, long *exp)
{
	uint32_t *limb;		/* base 1e9, least significant first */
	size_t n = 1, cap;
	uint64_t bits, m;
	int e2;
	struct buf b = {0};

	memcpy(&bits, &x, sizeof bits);
	e2 = (int)(bits >> 52 & 0x7ff);
	m = bits & 0xfffffffffffffu;
	if (e2)
		m |= 1ull << 52;
	else
		e2 = 1;		/* subnormal */
	e2 -= 1075;
	while (m && !(m & 1) && e2 < 0)
		m >>= 1, e2++;
	if (!m)
		e2 = 0;
	cap = 140;		/* 2^1024 and 5^1074 fit in 90 limbs */
	limb = cx_alloc(c, cap * sizeof *limb);
	limb[0] = (uint32_t)(m % 1000000000u);
	if (m >= 1000000000u) {
		limb[n++] = (uint32_t)(m / 1000000000u % 1000000000u);
		if (m >= 1000000000000000000u)
			limb[n++] = (uint32_t)(m / 1000000000000000000u);
	}
	*exp = e2 < 0 ? e2 : 0;
	for (int k = e2 < 0 ? -e2 : e2; k > 0;) {
		/* times 2^j (j <= 29) or 5^j (j <= 13), in one pass */
		int j = e2 < 0 ? (k < 13 ? k : 13) : (k < 29 ? k : 29);
		uint64_t f = 1, carry = 0;

		for (int i = 0; i < j; i++)
			f *= e2 < 0 ? 5 : 2;
		for (size_t i = 0; i < n; i++) {
			uint64_t t = limb[i] * f + carry;

			limb[i] = (uint32_t)(t % 1000000000u);
			carry = t / 1000000000u;
		}
		while (carry) {
			limb[n++] = (uint32_t)(carry % 1000000000u);
			carry /= 1000000000u;
		}
		k -= j;
	}
	buf_printf(&b, "%u", limb[n - 1]);
	for (size_t i = n - 1; i-- > 0;)
		buf_printf(&b, "%09u", limb[i]);
	return cx_track(c, b.s);
}

static struct py *decimal_from_float(struct cx *c, double x)
{
	struct py *p = py_new(c, P_DECIMAL);

	if (isnan(x)) {
		p->special = 'n';
		p->s = "";
		return p;
	}
	p->b = signbit(x) != 0;
	if (isinf(x)) {
		p->special = 'I';
		p->s = "";
		return p;
	}
	p->s = double_digits(c, x, &p->exp);
	p->len = strlen(p->s);
	return p;
}

/* Round a finite decimal to prec significant digits, half to even, as a
 * decimal.Context(prec=...) does when it creates a number. */
static struct py *decimal_round(struct cx *c, const struct py *d, long prec)
{
	struct py *p;
	size_t keep, len = d->len;
	char *co;
	int up;

	if (d->special || len <= (size_t)prec || strcmp(d->s, "0") == 0)
		return (struct py *)d;
	p = py_new(c, P_DECIMAL);
	*p = *d;
	keep = (size_t)prec;
	co = cx_strndup(c, d->s, keep);
	if (d->s[keep] > '5')
		up = 1;
	else if (d->s[keep] < '5')
		up = 0;
	else if (strspn(d->s + keep + 1, "0") != len - keep - 1)
		up = 1;
	else
		up = (co[keep - 1] - '0') % 2;
	p->exp = d->exp + (long)(len - keep);
	if (up) {
		size_t i = keep;

		while (i > 0 && co[i - 1] == '9')
			co[--i] = '0';
		if (i > 0) {
			co[i - 1]++;
		} else {	/* 99.9 became 100.0: one digit too many */
			co[0] = '1';
			p->exp++;
		}
	}
	p->s = co;
	p->len = keep;
	return p;
}

/* str(Decimal): Python's to_sci_string. */
static char *decimal_text(struct cx *c, const struct py *d)
{
	const char *sign = d->b ? "-" : "";
	long nd = (long)d->len, left = d->exp + nd, dot;
	struct buf b = {0};

	if (d->special == 'I')
		return cx_printf(c, "%sInfinity", sign);
	if (d->special)
		return cx_printf(c, "%s%s%s", sign,
		    d->special == 'N' ? "sNaN" : "NaN", d->s);
	dot = d->exp <= 0 && left > -6 ? left : 1;
	buf_puts(&b, sign);
	if (dot <= 0) {
		buf_puts(&b, "0.");
		for (long i = 0; i < -dot; i++)
			buf_putc(&b, '0');
		buf_puts(&b, d->s);
	} else if (dot >= nd) {
		buf_puts(&b, d->s);
		for (long i = nd; i < dot; i++)
			buf_putc(&b, '0');
	} else {
		buf_putn(&b, d->s, (size_t)dot);
		buf_putc(&b, '.');
		buf_puts(&b, d->s + dot);
	}
	if (left != dot)
		buf_printf(&b, "E%+ld", left - dot);
	return cx_track(c, b.s);
}

/* int(x) */
static struct py *to_int(struct cx *c, const struct py *p)
{
	switch (p->k) {
	case P_BOOL:
		return py_int(c, p->b ? "1" : "0");
	case P_INT:
		return (struct py *)p;
	case P_FLOAT: {
		double t = int_part(p->d);

		if (!isfinite(p->d))
			return fail(c, "cannot convert float %s to integer",
			    isnan(p->d) ? "NaN" : "infinity");
		return py_int(c, cx_printf(c, "%.0f", t == 0 ? 0.0 : t));
	}
	case P_DECIMAL: {
		long keep = (long)p->len + p->exp;

		if (p->special)
			return fail(c, "cannot convert %s Decimal to integer",
			    p->special == 'I' ? "infinite" : "NaN");
		if (p->exp > 4300)
			return fail(c, "Decimal %s is too large", p->s);
		if (keep <= 0)
			return py_int(c, "0");
		if (p->exp > 0) {
			char *t = cx_alloc(c, (size_t)keep + 1);

			memcpy(t, p->s, p->len);
			memset(t + p->len, '0', (size_t)p->exp);
			return py_int(c, norm_digits(c, t, (size_t)keep, p->b));
		}
		return py_int(c, norm_digits(c, p->s, (size_t)keep, p->b));
	}
	case P_STR:
		return int_from_text(c, p->s, p->len);
	default:
		return fail(c, "int() argument must be a string or a number, "
		    "not '%s'", pk_name[p->k]);
	}
}

/* float(x) */
static struct py *to_float(struct cx *c, const struct py *p)
{
	double d;

	switch (p->k) {
	case P_BOOL:
		return py_float(c, p->b);
	case P_INT:
		d = strtod(p->s, NULL);
		if (isinf(d))
			return fail(c, "int too large to convert to float");
		return py_float(c, d);
	case P_FLOAT:
		return (struct py *)p;
	case P_DECIMAL:
		if (p->special == 'N')
			return fail(c, "cannot convert signaling NaN to float");
		if (p->special)
			return py_float(c, p->special == 'n' ? NAN :
			    p->b ? -INFINITY : INFINITY);
		return py_float(c, strtod(cx_printf(c, "%s%se%ld",
		    p->b ? "-" : "", p->s, p->exp), NULL));
	case P_STR:
		return float_from_text(c, p->s, p->len);
	default:
		return fail(c, "float() argument must be a string or a real "
		    "number, not '%s'", pk_name[p->k]);
	}
}

/* Decimal(x) */
static struct py *to_decimal(struct cx *c, const struct py *p)
{
	switch (p->k) {
	case P_BOOL: case P_INT:
		return decimal_from_int(c, p);
	case P_FLOAT:
		return decimal_from_float(c, p->d);
	case P_DECIMAL:
		return (struct py *)p;
	case P_STR:
		return decimal_from_text(c, p->s, p->len);
	default:
		return fail(c, "conversion from %s to Decimal is not "
		    "supported", pk_name[p->k]);
	}
}

/* Python's x == 0 or x == 1 for numbers (value in (True, False)); -1
 * when x is neither. */
static int num_bool(const struct py *p)
{
	switch (p->k) {
	case P_BOOL:
		return p->b;
	case P_INT:
		return strcmp(p->s, "0") == 0 ? 0 : strcmp(p->s, "1") == 0 ?
		    1 : -1;
	case P_FLOAT:
		return p->d == 0 ? 0 : p->d == 1 ? 1 : -1;
	case P_DECIMAL: {
		long one = -p->exp;	/* "1" followed by 'one' zeros */

		if (p->special)
			return -1;
		if (strcmp(p->s, "0") == 0)
			return 0;
		if (p->b || one < 0 || (size_t)one + 1 != p->len ||
		    p->s[0] != '1' || strspn(p->s + 1, "0") != (size_t)one)
			return -1;
		return 1;
	}
	default:
		return -1;
	}
}

/* --- dates and times ----------------------------------------------------- */

static int is_leap(long y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(long y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31};

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static long long floordiv(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static struct py *mk_date(struct cx *c, long long y, long long m,
    long long d)
{
	struct py *p;

	if (y < 1 || y > 9999)
		return fail(c, "year %lld is out of range", y);
	if (m < 1 || m > 12)
		return fail(c, "month must be in 1..12");
	if (d < 1 || d > days_in_month((long)y, (int)m))
		return fail(c, "day is out of range for month");
	p = py_new(c, P_DATE);
	p->y = (int)y;
	p->mo = (int)m;
	p->dd = (int)d;
	return p;
}

static int set_time(struct cx *c, struct py *p, long long h, long long mi,
    long long s, long long us)
{
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 ||
	    us < 0 || us > 999999) {
		fail(c, "time field out of range");
		return -1;
	}
	p->h = (int)h;
	p->mi = (int)mi;
	p->sec = (int)s;
	p->us = (int)us;
	return 0;
}

/* A datetime at us microseconds after the epoch (a wall time), keeping
 * the tz fields of like. */
static struct py *datetime_at(struct cx *c, long long us, int tz,
    long long off)
{
	long long day = floordiv(us, 86400000000LL), rest = us - day *
	    86400000000LL;
	struct py *p = py_new(c, P_DATETIME);

	civil_from_days(day, &p->y, &p->mo, &p->dd);
	if (p->y < 1 || p->y > 9999)
		return fail(c, "date value out of range");
	p->h = (int)(rest / 3600000000LL);
	p->mi = (int)(rest / 60000000 % 60);
	p->sec = (int)(rest / 1000000 % 60);
	p->us = (int)(rest % 1000000);
	p->tz = tz;
	p->off = off;
	return p;
}

static long long datetime_us(const struct py *p)
{
	return days_from_civil(p->y, p->mo, p->dd) * 86400000000LL +
	    ((p->h * 60LL + p->mi) * 60 + p->sec) * 1000000 + p->us;
}

/* The same instant in UTC (astimezone(utc)). */
static struct py *datetime_utc(struct cx *c, const struct py *p)
{
	if (!p->tz || p->off == 0)
		return (struct py *)p;
	return datetime_at(c, datetime_us(p) - p->off, 1, 0);
}

/* timedelta(days, microseconds=us), normalized as Python does. */
static struct py *mk_delta(struct cx *c, long long days, long long us)
{
	struct py *p = py_new(c, P_DELTA);
	long long s = floordiv(us, 1000000), d = floordiv(s, 86400);

	p->usecs = (long)(us - s * 1000000);
	p->secs = (long)(s - d * 86400);
	p->days = days + d;
	if (p->days < -999999999 || p->days > 999999999)
		return fail(c, "days=%lld; must have magnitude <= 999999999",
		    p->days);
	return p;
}

/* A timedelta's microseconds; only for those within a day or so. */
static long long delta_us(const struct py *p)
{
	return (p->days * 86400 + p->secs) * 1000000 + p->usecs;
}

static struct py *delta_neg(struct cx *c, const struct py *p)
{
	return mk_delta(c, -p->days, -(p->secs * 1000000LL + p->usecs));
}

/* "+HH:MM[:SS[.ffffff]]" of an offset, as isoformat() writes it. */
static void put_offset(struct buf *b, long long off)
{
	char sign = off < 0 ? '-' : '+';
	long long a = off < 0 ? -off : off, s = a / 1000000, us = a % 1000000;

	buf_printf(b, "%c%02lld:%02lld", sign, s / 3600, s / 60 % 60);
	if (s % 60 || us) {
		buf_printf(b, ":%02lld", s % 60);
		if (us)
			buf_printf(b, ".%06lld", us);
	}
}

static void put_time(struct buf *b, const struct py *p)
{
	buf_printf(b, "%02d:%02d:%02d", p->h, p->mi, p->sec);
	if (p->us)
		buf_printf(b, ".%06d", p->us);
	if (p->tz)
		put_offset(b, p->off);
}

/* isoformat(); sep for a datetime. */
static char *iso_text(struct cx *c, const struct py *p, char sep)
{
	struct buf b = {0};

	if (p->k != P_TIME)
		buf_printf(&b, "%04d-%02d-%02d", p->y, p->mo, p->dd);
	if (p->k == P_DATETIME)
		buf_putc(&b, sep);
	if (p->k != P_DATE)
		put_time(&b, p);
	return cx_track(c, b.s);
}

/* str(timedelta) */
static char *delta_text(struct cx *c, const struct py *p)
{
	struct buf b = {0};

	if (p->days)
		buf_printf(&b, "%lld day%s, ", p->days,
		    p->days == 1 || p->days == -1 ? "" : "s");
	buf_printf(&b, "%ld:%02ld:%02ld", p->secs / 3600, p->secs / 60 % 60,
	    p->secs % 60);
	if (p->usecs)
		buf_printf(&b, ".%06ld", p->usecs);
	return cx_track(c, b.s);
}

/* Read n digits (at least min, at most n) at *s as an int; -1 if none. */
static long read_num(const char **s, int min, int max)
{
	long v = 0;
	int i;

	for (i = 0; i < max && (*s)[i] >= '0' && (*s)[i] <= '9'; i++)
		v = v * 10 + ((*s)[i] - '0');
	if (i < min)
		return -1;
	*s += i;
	return v;
}

/* "HH:MM[:SS[.ffffff]]" (Django's time_re) into p; the rest in *rest. */
static int scan_time(const char *s, struct py *p, const char **rest)
{
	long h, mi, sec = 0, us = 0;

	if ((h = read_num(&s, 1, 2)) < 0 || *s++ != ':' ||
	    (mi = read_num(&s, 1, 2)) < 0)
		return -1;
	if (*s == ':') {
		s++;
		if ((sec = read_num(&s, 1, 2)) < 0)
			return -1;
		if (*s == '.' || *s == ',') {
			const char *f = ++s;
			long frac = read_num(&s, 1, 6);

			if (frac < 0)
				return -1;
			for (long n = s - f; n < 6; n++)
				frac *= 10;
			us = frac;
			read_num(&s, 0, 6);
		}
	}
	p->h = (int)h, p->mi = (int)mi, p->sec = (int)sec, p->us = (int)us;
	*rest = s;
	return 0;
}

/* Django's parse_date / parse_datetime / parse_time on a string: kind is
 * P_DATE, P_DATETIME or P_TIME.  NULL (no error set) when the string is
 * not of that form. */
static struct py *parse_temporal(struct cx *c, const struct py *str,
    enum pk kind)
{
	char *s = cx_strndup(c, str->s, str->len);
	const char *q = s;
	struct py *p = py_new(c, kind);
	long y = 1, mo = 1, d = 1;

	if (kind != P_TIME) {
		if ((y = read_num(&q, 4, 4)) < 0 || *q++ != '-' ||
		    (mo = read_num(&q, 1, 2)) < 0 || *q++ != '-' ||
		    (d = read_num(&q, 1, 2)) < 0)
			return NULL;
		if (kind == P_DATE && *q)
			return NULL;
	}
	if (kind == P_DATETIME) {
		if (*q != 'T' && *q != ' ')
			return NULL;
		q++;
	}
	if (kind != P_DATE) {
		if (scan_time(q, p, &q) < 0)
			return NULL;
		while (kind == P_DATETIME && *q == ' ')
			q++;
		if (*q == 'Z' && kind == P_DATETIME) {
			p->tz = 1;
			q++;
		} else if ((*q == '+' || *q == '-') && kind == P_DATETIME) {
			int neg = *q++ == '-';
			long hh = read_num(&q, 2, 2), mm = 0;

			if (hh < 0)
				return NULL;
			if ((*q == ':' && (q++, 1)) || *q)
				if ((mm = read_num(&q, 2, 2)) < 0)
					return NULL;
			p->tz = 1;
			p->off = (hh * 60 + mm) * 60000000LL * (neg ? -1 : 1);
		}
		if (*q)
			return NULL;
		if (set_time(c, p, p->h, p->mi, p->sec, p->us) < 0)
			return NULL;
	}
	if (kind != P_TIME) {
		struct py *dt = mk_date(c, y, mo, d);

		if (!dt)
			return NULL;
		p->y = dt->y, p->mo = dt->mo, p->dd = dt->dd;
	}
	return p;
}

/* --- text of objects: str(), repr(), json.dumps() ------------------------ */

/* The next code point of UTF-8 text, or -1. */
static long utf8_next(const unsigned char **s, const unsigned char *end)
{
	const unsigned char *p = *s;
	long cp;
	int n;

	if (p[0] < 0x80) {
		*s = p + 1;
		return p[0];
	}
	n = p[0] >= 0xf0 ? 3 : p[0] >= 0xe0 ? 2 : p[0] >= 0xc0 ? 1 : -1;
	if (n < 0 || end - p <= n)
		return -1;
	cp = p[0] & (0x3f >> n);
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	*s = p + n + 1;
	return cp;
}

static int put_repr(struct cx *c, struct buf *b, const struct py *p);

/* repr() of str or bytes. */
static int put_quoted_repr(struct cx *c, struct buf *b, const struct py *p)
{
	const unsigned char *s = (const unsigned char *)p->s, *end = s +
	    p->len, *at;
	int bytes = p->k == P_BYTES;
	char q = memchr(p->s, '\'', p->len) && !memchr(p->s, '"', p->len) ?
	    '"' : '\'';

	if (bytes)
		buf_putc(b, 'b');
	buf_putc(b, q);
	while (s < end) {
		long ch;

		at = s;
		ch = bytes ? *s++ : utf8_next(&s, end);
		if (ch < 0) {
			fail(c, "invalid UTF-8 in a string");
			return -1;
		}
		if (ch == q || ch == '\\')
			buf_printf(b, "\\%c", (int)ch);
		else if (ch == '\t' || ch == '\n' || ch == '\r')
			buf_printf(b, "\\%c", ch == '\t' ? 't' : ch == '\n' ?
			    'n' : 'r');
		else if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && (bytes ||
		    ch < 0xa1 || ch == 0xad)))
			buf_printf(b, "\\x%02lx", ch);
		else if (ch < 0x100)
			buf_putn(b, (const char *)at, (size_t)(s - at));
		else {
			/* Python asks the Unicode database whether the
			 * character is printable; migtools has none. */
			fail(c, "cannot write the repr() of a string with "
			    "characters beyond U+00FF");
			return -1;
		}
	}
	buf_putc(b, q);
	return 0;
}

static int put_items_repr(struct cx *c, struct buf *b, const struct py *p,
    const char *open, const char *close)
{
	buf_puts(b, open);
	for (size_t i = 0; i < p->n; i++) {
		if (i)
			buf_puts(b, p->k == P_DICT && i % 2 ? ": " : ", ");
		if (put_repr(c, b, p->it[i]) < 0)
			return -1;
	}
	if (p->k == P_TUPLE && p->n == 1)
		buf_putc(b, ',');
	buf_puts(b, close);
	return 0;
}

static char *py_text(struct cx *c, const struct py *p);

static int put_repr(struct cx *c, struct buf *b, const struct py *p)
{
	switch (p->k) {
	case P_STR: case P_BYTES:
		return put_quoted_repr(c, b, p);
	case P_LIST:
		return put_items_repr(c, b, p, "[", "]");
	case P_TUPLE:
		return put_items_repr(c, b, p, "(", ")");
	case P_DICT:
		return put_items_repr(c, b, p, "{", "}");
	case P_SET:
		if (p->n) {
			fail(c, "the order of a set's repr() is Python's "
			    "hashing");
			return -1;
		}
		buf_puts(b, "set()");
		return 0;
	case P_DECIMAL:
		buf_printf(b, "Decimal('%s')", decimal_text(c, p));
		return 0;
	case P_UUID:
		buf_printf(b, "UUID('%s')", py_text(c, p));
		return 0;
	case P_NONE: case P_BOOL: case P_INT: case P_FLOAT:
		buf_puts(b, py_text(c, p));
		return 0;
	default:
		fail(c, "cannot write the repr() of a %s", pk_name[p->k]);
		return -1;
	}
}

/* str(x); NULL on error. */
static char *py_text(struct cx *c, const struct py *p)
{
	struct buf b = {0};
	const unsigned char *u = p->uuid;

	switch (p->k) {
	case P_NONE:
		return "None";
	case P_BOOL:
		return p->b ? "True" : "False";
	case P_INT:
		return (char *)p->s;
	case P_FLOAT:
		if (isnan(p->d))
			return "nan";
		if (isinf(p->d))
			return p->d < 0 ? "-inf" : "inf";
		return float_repr(c, p->d);
	case P_DECIMAL:
		return decimal_text(c, p);
	case P_STR:
		return cx_strndup(c, p->s, p->len);
	case P_DATE: case P_TIME:
		return iso_text(c, p, 'T');
	case P_DATETIME:
		return iso_text(c, p, ' ');
	case P_DELTA:
		return delta_text(c, p);
	case P_UUID:
		return cx_printf(c, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
		    "%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2],
		    u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
		    u[12], u[13], u[14], u[15]);
	default:
		if (put_repr(c, &b, p) < 0) {
			buf_free(&b);
			return NULL;
		}
		buf_putn(&b, "", 0);
		return cx_track(c, b.s);
	}
}

static int is_django_encoder(const struct value *enc)
{
	return enc && enc->kind == V_NAME && (strcmp(enc->s,
	    "django.core.serializers.json.DjangoJSONEncoder") == 0);
}

/* json.dumps' string, ensure_ascii on. */
static int put_json_str(struct cx *c, struct buf *b, const char *s,
    size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	buf_putc(b, '"');
	while (p < end) {
		long ch = utf8_next(&p, end);

		if (ch < 0) {
			fail(c, "invalid UTF-8 in a string");
			return -1;
		}
		if (ch == '"' || ch == '\\')
			buf_printf(b, "\\%c", (int)ch);
		else if (ch == '\b' || ch == '\f' || ch == '\n' ||
		    ch == '\r' || ch == '\t')
			buf_printf(b, "\\%c", ch == '\b' ? 'b' : ch == '\f' ?
			    'f' : ch == '\n' ? 'n' : ch == '\r' ? 'r' : 't');
		else if (ch >= 0x20 && ch < 0x7f)
			buf_putc(b, (int)ch);
		else if (ch > 0xffff)
			buf_printf(b, "\\u%04lx\\u%04lx",
			    0xd800 + ((ch - 0x10000) >> 10),
			    0xdc00 + ((ch - 0x10000) & 0x3ff));
		else
			buf_printf(b, "\\u%04lx", ch);
	}
	buf_putc(b, '"');
	return 0;
}

static char *json_float(struct cx *c, double d)
{
	if (isnan(d))
		return "NaN";
	if (isinf(d))
		return d < 0 ? "-Infinity" : "Infinity";
	return float_repr(c, d);
}

/* What DjangoJSONEncoder.default() makes of a non-JSON object, or NULL. */
static char *django_json_text(struct cx *c, const struct py *p)
{
	char *r;

	switch (p->k) {
	case P_DATETIME:
		r = iso_text(c, p, 'T');
		if (p->us)	/* milliseconds only */
			memmove(r + 23, r + 26, strlen(r + 26) + 1);
		if (strlen(r) >= 6 && strcmp(r + strlen(r) - 6, "+00:00") ==
		    0)
			strcpy(r + strlen(r) - 6, "Z");
		return r;
	case P_DATE:
		return iso_text(c, p, 'T');
	case P_TIME:
		if (p->tz)
			return fail(c, "JSON can't represent timezone-aware "
			    "times.");
		r = iso_text(c, p, 'T');
		if (p->us)
			r[12] = '\0';
		return r;
	case P_DELTA: {		/* duration_iso_string() */
		int neg = p->days < 0;
		const struct py *a = neg ? delta_neg(c, p) : p;

		if (!a)
			return NULL;
		return cx_printf(c, "%sP%lldDT%02ldH%02ldM%02ld%sS",
		    neg ? "-" : "", a->days, a->secs / 3600, a->secs / 60 % 60,
		    a->secs % 60, a->usecs ? cx_printf(c, ".%06ld", a->usecs) :
		    "");
	}
	case P_DECIMAL: case P_UUID:
		return py_text(c, p);
	default:
		return NULL;
	}
}

/* json.dumps(p, cls=encoder) with its default separators. */
static int put_json(struct cx *c, struct buf *b, const struct py *p,
    const struct value *enc)
{
	char *t;

	switch (p->k) {
	case P_NONE: buf_puts(b, "null"); return 0;
	case P_BOOL: buf_puts(b, p->b ? "true" : "false"); return 0;
	case P_INT: buf_puts(b, p->s); return 0;
	case P_FLOAT: buf_puts(b, json_float(c, p->d)); return 0;
	case P_STR: return put_json_str(c, b, p->s, p->len);
	case P_LIST: case P_TUPLE:
		buf_putc(b, '[');
		for (size_t i = 0; i < p->n; i++) {
			if (i)
				buf_puts(b, ", ");
			if (put_json(c, b, p->it[i], enc) < 0)
				return -1;
		}
		buf_putc(b, ']');
		return 0;
	case P_DICT:
		buf_putc(b, '{');
		for (size_t i = 0; i < p->n; i += 2) {
			const struct py *k = p->it[i];

			if (i)
				buf_puts(b, ", ");
			if (k->k == P_STR) {
				if (put_json_str(c, b, k->s, k->len) < 0)
					return -1;
			} else if (k->k == P_NONE || k->k == P_BOOL ||
			    k->k == P_INT || k->k == P_FLOAT) {
				buf_putc(b, '"');
				buf_puts(b, k->k == P_FLOAT ? json_float(c,
				    k->d) : k->k == P_NONE ? "null" :
				    k->k == P_BOOL ? (k->b ? "true" : "false") :
				    k->s);
				buf_putc(b, '"');
			} else {
				fail(c, "keys must be str, int, float, bool or "
				    "None, not %s", pk_name[k->k]);
				return -1;
			}
			buf_puts(b, ": ");
			if (put_json(c, b, p->it[i + 1], enc) < 0)
				return -1;
		}
		buf_putc(b, '}');
		return 0;
	default:
		if (is_django_encoder(enc) && (t = django_json_text(c, p)))
			return put_json_str(c, b, t, strlen(t));
		if (!c->err)
			fail(c, "Object of type %s is not JSON serializable",
			    pk_name[p->k]);
		return -1;
	}
}

/* --- psycopg2's adapters ------------------------------------------------- */

/* QuotedString on a UTF-8 connection, standard_conforming_strings on. */
static int put_sql_str(struct cx *c, struct buf *b, const char *s,
    size_t len)
{
	if (memchr(s, '\0', len)) {
		fail(c, "A string literal cannot contain NUL (0x00) "
		    "characters.");
		return -1;
	}
	buf_putc(b, '\'');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\'')
			buf_putc(b, '\'');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '\'');
	return 0;
}

/* A number's text with the space psycopg2 puts before a minus (so that
 * "x - -1" never becomes a comment). */
static void put_signed(struct buf *b, const char *s)
{
	if (s[0] == '-')
		buf_putc(b, ' ');
	buf_puts(b, s);
}

static int adapt(struct cx *c, struct buf *b, const struct py *p);

static char *adapted(struct cx *c, const struct py *p)
{
	struct buf b = {0};

	if (adapt(c, &b, p) < 0) {
		buf_free(&b);
		return NULL;
	}
	buf_putn(&b, "", 0);
	return cx_track(c, b.s);
}

/* A list: ARRAY[...], or '{...}' when it holds only NULLs (or arrays of
 * them), '{}' when empty. */
static int adapt_list(struct cx *c, struct buf *b, const struct py *p)
{
	char **q;
	int all_nulls = 1;

	if (p->n == 0) {
		buf_puts(b, "'{}'");
		return 0;
	}
	q = cx_alloc(c, p->n * sizeof *q);
	for (size_t i = 0; i < p->n; i++) {
		if (p->it[i]->k == P_NONE) {
			q[i] = "NULL";
			continue;
		}
		if (!(q[i] = adapted(c, p->it[i])))
			return -1;
		if (p->it[i]->k != P_LIST)
			all_nulls = 0;
		else if (q[i][0] == 'A')
			all_nulls = 0;
		else if (strcmp(q[i], "'{}'") == 0) {
			all_nulls = 0;
			q[i] = "ARRAY[]";
		}
	}
	buf_puts(b, all_nulls ? "'{" : "ARRAY[");
	for (size_t i = 0; i < p->n; i++) {
		size_t n = strlen(q[i]);

		if (i)
			buf_putc(b, ',');
		if (all_nulls && q[i][0] == '\'')
			buf_putn(b, q[i] + 1, n - 2);
		else
			buf_puts(b, q[i]);
	}
	buf_puts(b, all_nulls ? "}'" : "]");
	return 0;
}

/* psycopg2's HstoreAdapter for PostgreSQL 9.0 and later. */
static int adapt_hstore(struct cx *c, struct buf *b, const struct py *p)
{
	struct py *k, *v;

	if (p->n == 0) {
		buf_puts(b, "''::hstore");
		return 0;
	}
	k = py_seq(c, P_LIST, p->n / 2);
	v = py_seq(c, P_LIST, p->n / 2);
	for (size_t i = 0; i < p->n / 2; i++) {
		k->it[i] = p->it[2 * i];
		v->it[i] = p->it[2 * i + 1];
	}
	buf_puts(b, "hstore(");
	if (adapt_list(c, b, k) < 0)
		return -1;
	buf_puts(b, ", ");
	if (adapt_list(c, b, v) < 0)
		return -1;
	buf_putc(b, ')');
	return 0;
}

static int adapt_range(struct cx *c, struct buf *b, const struct py *p)
{
	const struct py *lo = p->it[0], *up = p->it[1];
	char *l, *u;

	if (p->b) {
		buf_printf(b, "'empty'%s%s", p->rname ? "::" : "",
		    p->rname ? p->rname : "");
		return 0;
	}
	if (!p->rname) {	/* NumberRangeAdapter: '[1,10)' */
		l = lo->k == P_NONE ? "" : adapted(c, lo);
		u = up->k == P_NONE ? "" : adapted(c, up);
		if (!l || !u)
			return -1;
		buf_printf(b, "'%c%s,%s%c'", p->bounds[0], l, u, p->bounds[1]);
		return 0;
	}
	if (!(l = adapted(c, lo)) || !(u = adapted(c, up)))
		return -1;
	buf_printf(b, "%s(%s, %s, '%s')", p->rname, l, u, p->bounds);
	return 0;
}

static int adapt(struct cx *c, struct buf *b, const struct py *p)
{
	struct buf j = {0};
	int rc;

	switch (p->k) {
	case P_NONE:
		buf_puts(b, "NULL");
		return 0;
	case P_BOOL:
		buf_puts(b, p->b ? "true" : "false");
		return 0;
	case P_INT:
		put_signed(b, p->s);
		return 0;
	case P_FLOAT:
		if (isnan(p->d))
			buf_puts(b, "'NaN'::float");
		else if (isinf(p->d))
			buf_puts(b, p->d > 0 ? "'Infinity'::float" :
			    "'-Infinity'::float");
		else
			put_signed(b, float_repr(c, p->d));
		return 0;
	case P_DECIMAL:
		if (p->special)
			buf_puts(b, "'NaN'::numeric");
		else
			put_signed(b, decimal_text(c, p));
		return 0;
	case P_STR:
		return put_sql_str(c, b, p->s, p->len);
	case P_BYTES:
		buf_puts(b, "'\\x");
		for (size_t i = 0; i < p->len; i++)
			buf_printf(b, "%02x", (unsigned char)p->s[i]);
		buf_puts(b, "'::bytea");
		return 0;
	case P_LIST:
		return adapt_list(c, b, p);
	case P_TUPLE:
		buf_putc(b, '(');
		for (size_t i = 0; i < p->n; i++) {
			if (i)
				buf_puts(b, ", ");
			if (adapt(c, b, p->it[i]) < 0)
				return -1;
		}
		buf_putc(b, ')');
		return 0;
	case P_DICT:
		return adapt_hstore(c, b, p);
	case P_DATE:
		buf_printf(b, "'%s'::date", iso_text(c, p, 'T'));
		return 0;
	case P_DATETIME:
		buf_printf(b, "'%s'::%s", iso_text(c, p, 'T'),
		    p->tz ? "timestamptz" : "timestamp");
		return 0;
	case P_TIME:
		buf_printf(b, "'%s'::%s", iso_text(c, p, 'T'),
		    p->tz ? "timetz" : "time");
		return 0;
	case P_DELTA:
		buf_printf(b, "'%lld days %ld.%06ld seconds'::interval",
		    p->days, p->secs, p->usecs);
		return 0;
	case P_UUID:
		buf_printf(b, "'%s'::uuid", py_text(c, p));
		return 0;
	case P_RANGE:
		return adapt_range(c, b, p);
	case P_JSONB:
		if (put_json(c, &j, p->it[0], p->encoder) < 0) {
			buf_free(&j);
			return -1;
		}
		rc = put_sql_str(c, b, j.s, j.len);
		buf_free(&j);
		if (rc == 0)
			buf_puts(b, "::jsonb");
		return rc;
	case P_INET:
		if (adapt(c, b, p->it[0]) < 0)
			return -1;
		buf_puts(b, "::inet");
		return 0;
	default:
		fail(c, "can't adapt type '%s'", pk_name[p->k]);
		return -1;
	}
}

/* --- evaluating the stream's values -------------------------------------- */

static struct py *eval(struct cx *c, const struct value *v);

static const char *call_name(const struct value *v)
{
	return v && v->kind == V_CALL && v->fn && v->fn->kind == V_NAME ?
	    v->fn->s : NULL;
}

/* Argument i of a call, by position or by keyword; NULL if absent. */
static const struct value *arg(const struct value *call, size_t i,
    const char *name)
{
	size_t pos = 0;

	for (size_t j = 0; j < call->n; j++) {
		if (call->names && call->names[j]) {
			if (strcmp(call->names[j], name) == 0)
				return call->items[j];
		} else if (pos++ == i) {
			return call->items[j];
		}
	}
	return NULL;
}

/* Every argument of a call is one of the n names (or in their positions). */
static int args_known(struct cx *c, const struct value *call,
    const char *const *names, size_t n)
{
	size_t pos = 0;

	for (size_t j = 0; j < call->n; j++) {
		const char *kw = call->names ? call->names[j] : NULL;
		size_t i;

		if (!kw) {
			if (pos++ < n)
				continue;
			fail(c, "%s() takes at most %zu arguments",
			    call_name(call), n);
			return -1;
		}
		for (i = 0; i < n && strcmp(names[i], kw) != 0; i++)
			;
		if (i == n) {
			fail(c, "%s() got an unexpected keyword argument '%s'",
			    call_name(call), kw);
			return -1;
		}
	}
	return 0;
}

/* Integer argument i (default dflt when absent). */
static int int_arg(struct cx *c, const struct value *call, size_t i,
    const char *name, long long dflt, long long *out)
{
	const struct value *a = arg(call, i, name);
	struct py *p;

	*out = dflt;
	if (!a)
		return 0;
	if (!(p = eval(c, a)))
		return -1;
	if (!is_int(p)) {
		fail(c, "%s(): %s must be an integer, not %s", call_name(call),
		    name, pk_name[p->k]);
		return -1;
	}
	if (int_ll(p, out) < 0) {
		fail(c, "%s(): %s is out of range", call_name(call), name);
		return -1;
	}
	return 0;
}

/* A tzinfo: 0 and *off set, or -1. */
static int eval_tz(struct cx *c, const struct value *v, int *tz,
    long long *off)
{
	static const char *const utc[] = {
		"datetime.timezone.utc", "datetime.UTC",
		"django.utils.timezone.utc", "pytz.utc", "pytz.UTC",
	};
	const char *fn = call_name(v);
	const struct value *a;

	*tz = 0;
	*off = 0;
	if (!v || v->kind == V_NONE)
		return 0;
	*tz = 1;
	if (v->kind == V_NAME)
		for (size_t i = 0; i < sizeof utc / sizeof *utc; i++)
			if (strcmp(v->s, utc[i]) == 0)
				return 0;
	if (fn && (strcmp(fn, "zoneinfo.ZoneInfo") == 0 ||
	    strcmp(fn, "pytz.timezone") == 0) &&
	    (a = arg(v, 0, strcmp(fn, "pytz.timezone") == 0 ? "zone" :
	    "key")) && (value_is_str(a, "UTC") || value_is_str(a, "Etc/UTC")))
		return 0;
	if (fn && strcmp(fn, "datetime.timezone") == 0 &&
	    (a = arg(v, 0, "offset"))) {
		struct py *d = eval(c, a);

		if (!d)
			return -1;
		if (d->k == P_DELTA && (d->days == 0 || (d->days == -1 &&
		    (d->secs || d->usecs)))) {
			*off = delta_us(d);
			return 0;
		}
	}
	if (fn && strcmp(fn, "django.utils.timezone.get_fixed_timezone") == 0
	    && (a = arg(v, 0, "offset"))) {
		struct py *d = eval(c, a);
		long long m;

		if (!d)
			return -1;
		if (d->k == P_DELTA && (d->days == 0 || (d->days == -1 &&
		    (d->secs || d->usecs)))) {
			*off = delta_us(d);
			return 0;
		}
		if (is_int(d) && int_ll(d, &m) == 0 && m > -1440 && m < 1440) {
			*off = m * 60000000LL;
			return 0;
		}
	}
	fail(c, "time zone %s: its offset is not known to migtools",
	    v->kind == V_NAME ? v->s : fn ? fn : "value");
	return -1;
}

static struct py *eval_date(struct cx *c, const struct value *v)
{
	static const char *const names[] = {"year", "month", "day"};
	long long y, m, d;

	if (args_known(c, v, names, 3) < 0 ||
	    int_arg(c, v, 0, "year", -1, &y) < 0 ||
	    int_arg(c, v, 1, "month", -1, &m) < 0 ||
	    int_arg(c, v, 2, "day", -1, &d) < 0)
		return NULL;
	return mk_date(c, y, m, d);
}

static struct py *eval_time(struct cx *c, const struct value *v, int off)
{
	static const char *const names[] = {"year", "month", "day", "hour",
	    "minute", "second", "microsecond", "tzinfo", "fold"};
	long long h, mi, s, us, fold;
	struct py *p;

	if (args_known(c, v, names + off, 9 - (size_t)off) < 0)
		return NULL;
	if (off) {
		p = py_new(c, P_TIME);
	} else {
		long long y, m, d;

		if (int_arg(c, v, 0, "year", -1, &y) < 0 ||
		    int_arg(c, v, 1, "month", -1, &m) < 0 ||
		    int_arg(c, v, 2, "day", -1, &d) < 0 ||
		    !(p = mk_date(c, y, m, d)))
			return NULL;
		p->k = P_DATETIME;
	}
	if (int_arg(c, v, (size_t)(3 - off), "hour", 0, &h) < 0 ||
	    int_arg(c, v, (size_t)(4 - off), "minute", 0, &mi) < 0 ||
	    int_arg(c, v, (size_t)(5 - off), "second", 0, &s) < 0 ||
	    int_arg(c, v, (size_t)(6 - off), "microsecond", 0, &us) < 0 ||
	    int_arg(c, v, (size_t)(8 - off), "fold", 0, &fold) < 0 ||
	    set_time(c, p, h, mi, s, us) < 0 ||
	    eval_tz(c, arg(v, (size_t)(7 - off), "tzinfo"), &p->tz,
	    &p->off) < 0)
		return NULL;
	return p;
}

/* timedelta(days, seconds, microseconds, milliseconds, minutes, hours,
 * weeks), summed as CPython does: integers exactly, the fractions of
 * floats in a double, rounded half to even once at the end. */
static struct py *eval_delta(struct cx *c, const struct value *v)
{
	static const char *const names[] = {"days", "seconds",
	    "microseconds", "milliseconds", "minutes", "hours", "weeks"};
	static const int order[] = {2, 3, 1, 4, 5, 0, 6};
	static const long long factor[] = {86400000000LL, 1000000, 1, 1000,
	    60000000, 3600000000LL, 604800000000LL};
	long long total = 0, days = 0;	/* days and weeks apart */
	double left = 0;

	if (args_known(c, v, names, 7) < 0)
		return NULL;
	for (int k = 0; k < 7; k++) {
		int i = order[k];
		const struct value *a = arg(v, (size_t)i, names[i]);
		struct py *p;
		long long n;
		double ip, fp;

		if (!a)
			continue;
		if (!(p = eval(c, a)))
			return NULL;
		if (is_int(p)) {
			if (int_ll(p, &n) < 0 || n > 999999999999LL ||
			    n < -999999999999LL || (!(i == 0 || i == 6) &&
			    (n > INT64_MAX / 4 / factor[i] ||
			    n < -INT64_MAX / 4 / factor[i])))
				return fail(c, "timedelta %s out of range",
				    names[i]);
			if (i == 0 || i == 6)
				days += n * (i == 6 ? 7 : 1);
			else
				total += n * factor[i];
			continue;
		}
		if (p->k != P_FLOAT)
			return fail(c, "unsupported type for timedelta %s "
			    "component: %s", names[i], pk_name[p->k]);
		ip = int_part(p->d);
		fp = p->d - ip;
		if (!isfinite(p->d) || ip > 1e12 || ip < -1e12 ||
		    (!(i == 0 || i == 6) && (ip > 2e18 / (double)factor[i] ||
		    ip < -2e18 / (double)factor[i])))
			return fail(c, "timedelta %s out of range", names[i]);
		if (i == 0 || i == 6)
			days += (long long)ip * (i == 6 ? 7 : 1);
		else
			total += (long long)ip * factor[i];
		if (fp == 0)
			continue;
		fp *= (double)factor[i];
		ip = int_part(fp);
		fp -= ip;
		total += (long long)ip;
		left += fp;
	}
	if (left != 0) {
		double whole = round_half_away(left);

		if (whole - left == 0.5 || whole - left == -0.5) {
			int odd = total % 2 != 0;

			whole = 2.0 * round_half_away((left + odd) * 0.5) - odd;
		}
		total += (long long)whole;
	}
	return mk_delta(c, days, total);
}

static int hexval(int ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ?
	    ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* uuid.UUID(hex=...): braces, "urn:" and "uuid:" and hyphens allowed. */
static struct py *uuid_from_hex(struct cx *c, const char *s, size_t len)
{
	struct py *p = py_new(c, P_UUID);
	char hex[33];
	size_t n = 0;
	const char *end = s + len;

	for (const char *q = s; q < end; q++) {
		if (end - q >= 4 && (strncmp(q, "urn:", 4) == 0)) {
			q += 3;
			continue;
		}
		if (end - q >= 5 && strncmp(q, "uuid:", 5) == 0) {
			q += 4;
			continue;
		}
		if (*q == '-' || ((*q == '{' || *q == '}') && (q == s ||
		    q == end - 1)))
			continue;
		if (hexval(*q) < 0 || n == 32)
			return fail(c, "badly formed hexadecimal UUID string");
		hex[n++] = *q;
	}
	if (n != 32)
		return fail(c, "badly formed hexadecimal UUID string");
	for (int i = 0; i < 16; i++)
		p->uuid[i] = (unsigned char)(hexval(hex[2 * i]) << 4 |
		    hexval(hex[2 * i + 1]));
	return p;
}

/* uuid.UUID(int=n), 0 <= n < 2**128. */
static struct py *uuid_from_int(struct cx *c, const struct py *n)
{
	struct py *p = py_new(c, P_UUID);
	const char *s = int_digits(n);

	if (s[0] == '-' || strlen(s) > 39)
		return fail(c, "int is out of range (need a 128-bit value)");
	for (; *s; s++) {	/* p->uuid = p->uuid * 10 + digit */
		int carry = *s - '0';

		for (int i = 15; i >= 0; i--) {
			int t = p->uuid[i] * 10 + carry;

			p->uuid[i] = (unsigned char)(t & 0xff);
			carry = t >> 8;
		}
		if (carry)
			return fail(c, "int is out of range (need a 128-bit "
			    "value)");
	}
	return p;
}

static struct py *eval_uuid(struct cx *c, const struct value *v)
{
	static const char *const names[] = {"hex", "bytes", "bytes_le",
	    "fields", "int", "version", "is_safe"};
	const struct value *a;
	struct py *p;

	if (args_known(c, v, names, 7) < 0)
		return NULL;
	if ((a = arg(v, 0, "hex"))) {
		if (!(p = eval(c, a)))
			return NULL;
		if (p->k != P_STR)
			return fail(c, "uuid.UUID(): hex must be a string");
		return uuid_from_hex(c, p->s, p->len);
	}
	if ((a = arg(v, 4, "int"))) {
		if (!(p = eval(c, a)))
			return NULL;
		if (!is_int(p))
			return fail(c, "uuid.UUID(): int must be an integer");
		return uuid_from_int(c, p);
	}
	return fail(c, "uuid.UUID() with other than hex= or int= is not "
	    "supported");
}

/* psycopg2's range classes, by every name a migration may use. */
static const char *range_type(const char *fn, int *ok)
{
	static const char *const pre[] = {"psycopg2.extras.",
	    "psycopg2._range.", "django.db.backends.postgresql.psycopg_any."};
	static const struct { const char *cls, *sql; } cls[] = {
		{"NumericRange", NULL}, {"DateRange", "daterange"},
		{"DateTimeRange", "tsrange"},
		{"DateTimeTZRange", "tstzrange"},
	};

	*ok = 0;
	for (size_t i = 0; fn && i < sizeof pre / sizeof *pre; i++) {
		size_t n = strlen(pre[i]);

		if (strncmp(fn, pre[i], n) != 0)
			continue;
		for (size_t j = 0; j < sizeof cls / sizeof *cls; j++)
			if (strcmp(fn + n, cls[j].cls) == 0) {
				*ok = 1;
				return cls[j].sql;
			}
	}
	return NULL;
}

static struct py *mk_range(struct cx *c, const char *rname, struct py *lo,
    struct py *up, const char *bounds, int empty)
{
	struct py *p = py_seq(c, P_RANGE, 2);

	p->rname = rname;
	p->it[0] = lo;
	p->it[1] = up;
	p->b = empty;
	if (!empty && (strlen(bounds) != 2 || !strchr("[(", bounds[0]) ||
	    !strchr("])", bounds[1])))
		return fail(c, "bound flags not valid: '%s'", bounds);
	if (empty)
		p->it[0] = p->it[1] = py_none(c);
	else
		memcpy(p->bounds, bounds, 2);
	return p;
}

static struct py *eval_range(struct cx *c, const struct value *v,
    const char *rname)
{
	static const char *const names[] = {"lower", "upper", "bounds",
	    "empty"};
	const struct value *a;
	struct py *lo, *up, *bd = NULL, *em = NULL;

	if (args_known(c, v, names, 4) < 0)
		return NULL;
	lo = (a = arg(v, 0, "lower")) ? eval(c, a) : py_none(c);
	up = (a = arg(v, 1, "upper")) ? eval(c, a) : py_none(c);
	if ((a = arg(v, 2, "bounds")) && (bd = eval(c, a)) && bd->k != P_STR)
		return fail(c, "range bounds must be a string");
	if ((a = arg(v, 3, "empty")))
		em = eval(c, a);
	if (!lo || !up || c->err)
		return NULL;
	return mk_range(c, rname, lo, up, bd ? cx_strndup(c, bd->s, bd->len) :
	    "[)", em && num_bool(em) == 1);
}

/* list(x), tuple(x), set(x) of a list, tuple or set; dict(pairs). */
static struct py *eval_convert(struct cx *c, const struct value *v,
    enum pk k)
{
	struct py *src, *p;

	if (v->n == 0)
		return py_seq(c, k, 0);
	if (v->n != 1 || (v->names && v->names[0]))
		return fail(c, "%s() with these arguments is not supported",
		    call_name(v));
	if (!(src = eval(c, v->items[0])))
		return NULL;
	if (k == P_DICT) {
		if (src->k == P_DICT)
			return src;
		return fail(c, "dict() of a %s is not supported",
		    pk_name[src->k]);
	}
	if (src->k != P_LIST && src->k != P_TUPLE && src->k != P_SET)
		return fail(c, "%s() of a %s is not supported", call_name(v),
		    pk_name[src->k]);
	if (k == P_SET && src->n)
		return fail(c, "the order of a set is Python's hashing");
	p = py_seq(c, k, src->n);
	memcpy(p->it, src->it, src->n * sizeof *p->it);
	return p;
}

static struct py *eval_call(struct cx *c, const struct value *v)
{
	const char *fn = call_name(v);
	const char *rname;
	struct py *p;
	int ok;

	if (!fn)
		return fail(c, "a call of a computed function");
	if (strcmp(fn, "decimal.Decimal") == 0) {
		static const char *const names[] = {"value", "context"};

		if (args_known(c, v, names, 2) < 0)
			return NULL;
		if (!arg(v, 0, "value"))
			return decimal_from_text(c, "0", 1);
		if (arg(v, 1, "context"))
			return fail(c, "decimal.Decimal() with a context");
		return (p = eval(c, arg(v, 0, "value"))) ? to_decimal(c, p) :
		    NULL;
	}
	if (strcmp(fn, "datetime.date") == 0)
		return eval_date(c, v);
	if (strcmp(fn, "datetime.datetime") == 0)
		return eval_time(c, v, 0);
	if (strcmp(fn, "datetime.time") == 0)
		return eval_time(c, v, 3);
	if (strcmp(fn, "datetime.timedelta") == 0)
		return eval_delta(c, v);
	if (strcmp(fn, "uuid.UUID") == 0)
		return eval_uuid(c, v);
	if ((rname = range_type(fn, &ok)), ok)
		return eval_range(c, v, rname);
	if (strcmp(fn, "float") == 0 || strcmp(fn, "int") == 0) {
		if (v->n == 0)
			return fn[0] == 'f' ? py_float(c, 0) : py_int(c, "0");
		if (v->n != 1 || (v->names && v->names[0]))
			return fail(c, "%s() with these arguments is not "
			    "supported", fn);
		if (!(p = eval(c, v->items[0])))
			return NULL;
		return fn[0] == 'f' ? to_float(c, p) : to_int(c, p);
	}
	if (strcmp(fn, "list") == 0)
		return eval_convert(c, v, P_LIST);
	if (strcmp(fn, "tuple") == 0)
		return eval_convert(c, v, P_TUPLE);
	if (strcmp(fn, "set") == 0 || strcmp(fn, "frozenset") == 0)
		return eval_convert(c, v, P_SET);
	if (strcmp(fn, "dict") == 0)
		return eval_convert(c, v, P_DICT);
	if (strcmp(fn, "bytes") == 0 || strcmp(fn, "bytearray") == 0 ||
	    strcmp(fn, "memoryview") == 0) {
		if (v->n == 0 && fn[0] != 'm')
			return (p = py_new(c, P_BYTES)), p->s = "", p;
		if (v->n == 1 && !(v->names && v->names[0]) &&
		    (p = eval(c, v->items[0])) && p->k == P_BYTES)
			return p;
		return fail(c, "%s() with these arguments is not supported",
		    fn);
	}
	return fail(c, "%s(...) is a value of a class migtools does not "
	    "know", fn);
}

static struct py *eval_unary(struct cx *c, const struct value *v)
{
	struct py *p = eval(c, v->items[0]), *q;

	if (!p)
		return NULL;
	if (strcmp(v->s, "-") != 0 && strcmp(v->s, "+") != 0)
		return fail(c, "unary %s is not supported", v->s);
	if (p->k == P_BOOL)
		p = to_int(c, p);
	if (strcmp(v->s, "+") == 0 && (p->k == P_INT || p->k == P_FLOAT ||
	    p->k == P_DECIMAL))
		return p;
	switch (p->k) {
	case P_INT:
		return py_int(c, p->s[0] == '-' ? p->s + 1 :
		    norm_digits(c, p->s, p->len, 1));
	case P_FLOAT:
		return py_float(c, -p->d);
	case P_DECIMAL:
		q = py_new(c, P_DECIMAL);
		*q = *p;
		q->b = !p->b;
		return q;
	case P_DELTA:
		return delta_neg(c, p);
	default:
		return fail(c, "bad operand type for unary -: '%s'",
		    pk_name[p->k]);
	}
}

/* Are two dict keys the same key?  (1, 1.0 and True are; keys of other
 * kinds are compared as unequal.) */
static int same_key(const struct py *a, const struct py *b)
{
	int na = a->k == P_INT || a->k == P_BOOL || a->k == P_FLOAT;
	int nb = b->k == P_INT || b->k == P_BOOL || b->k == P_FLOAT;

	if (a->k == P_STR && b->k == P_STR)
		return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
	if (a->k == P_NONE || b->k == P_NONE)
		return a->k == b->k;
	if (!na || !nb)
		return 0;
	if (a->k != P_FLOAT && b->k != P_FLOAT)
		return strcmp(int_digits(a), int_digits(b)) == 0;
	if (a->k == P_FLOAT && b->k == P_FLOAT)
		return a->d == b->d;
	if (a->k == P_FLOAT) {
		const struct py *t = a;

		a = b;
		b = t;
	}			/* a an int, b a float */
	return b->d == strtod(int_digits(a), NULL) && b->d < 9007199254740992.0
	    && b->d > -9007199254740992.0;
}

/* A dict literal: a repeated key keeps its first place, its last value. */
static struct py *eval_dict(struct cx *c, const struct value *v)
{
	struct py *p = py_seq(c, P_DICT, v->n);

	p->n = 0;
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		struct py *k = eval(c, v->items[i]), *x = eval(c,
		    v->items[i + 1]);
		size_t j;

		if (!k || !x)
			return NULL;
		for (j = 0; j < p->n && !same_key(p->it[j], k); j += 2)
			;
		if (j == p->n) {
			p->it[j] = k;
			p->n += 2;
		}
		p->it[j + 1] = x;
	}
	return p;
}

static struct py *eval(struct cx *c, const struct value *v)
{
	struct py *p;

	switch (v->kind) {
	case V_NONE:
		return py_none(c);
	case V_TRUE: case V_FALSE:
		return py_bool(c, v->kind == V_TRUE);
	case V_INT:
		return py_int(c, v->s);
	case V_FLOAT:
		return py_float(c, strtod(v->s, NULL));
	case V_STR:
		return py_str(c, v->s, v->len);
	case V_BYTES:
		p = py_new(c, P_BYTES);
		p->s = v->s;
		p->len = v->len;
		return p;
	case V_DICT:
		return eval_dict(c, v);
	case V_LIST: case V_TUPLE: case V_SET:
		p = py_seq(c, v->kind == V_LIST ? P_LIST : v->kind == V_TUPLE ?
		    P_TUPLE : P_SET, v->n);
		for (size_t i = 0; i < v->n; i++)
			if (!(p->it[i] = eval(c, v->items[i])))
				return NULL;
		return p;
	case V_CALL:
		return eval_call(c, v);
	case V_UNARY:
		return eval_unary(c, v);
	case V_NAME:
		if (strncmp(v->s, "settings.", 9) == 0)
			return fail(c, "%s is a setting: its value is not in "
			    "the migrations", v->s);
		return fail(c, "%s is a name whose value migtools does not "
		    "know", v->s);
	case V_LAMBDA:
		return fail(c, "a lambda: its value is computed by Python");
	default:
		return fail(c, "an expression whose value is computed by "
		    "Python");
	}
}

/* --- fields -------------------------------------------------------------- */

enum fkind {
	F_GENERIC, F_CHAR, F_STRCAST, F_BOOL, F_INT, F_FLOAT, F_DECIMAL,
	F_DATE, F_DATETIME, F_TIME, F_DURATION, F_BINARY, F_UUID, F_GENIP,
	F_JSON, F_ARRAY, F_HSTORE, F_RANGE, F_GENERATED, F_M2M
};

struct fclass {
	const char *name;
	enum fkind kind;
	int empty_strings;	/* empty_strings_allowed */
	const char *range;	/* ranges: the SQL type, NULL: numeric */
	int continuous;		/* ranges: default_bounds apply */
};

static const struct fclass models_classes[] = {
	{"AutoField", F_INT, 0, NULL, 0},
	{"BigAutoField", F_INT, 0, NULL, 0},
	{"BigIntegerField", F_INT, 0, NULL, 0},
	{"BinaryField", F_BINARY, 1, NULL, 0},
	{"BooleanField", F_BOOL, 0, NULL, 0},
	{"CharField", F_CHAR, 1, NULL, 0},
	{"CommaSeparatedIntegerField", F_CHAR, 1, NULL, 0},
	{"DateField", F_DATE, 0, NULL, 0},
	{"DateTimeField", F_DATETIME, 0, NULL, 0},
	{"DecimalField", F_DECIMAL, 0, NULL, 0},
	{"DurationField", F_DURATION, 0, NULL, 0},
	{"EmailField", F_CHAR, 1, NULL, 0},
	{"Field", F_GENERIC, 1, NULL, 0},
	{"FileField", F_STRCAST, 1, NULL, 0},
	{"FilePathField", F_STRCAST, 1, NULL, 0},
	{"FloatField", F_FLOAT, 0, NULL, 0},
	{"ForeignKey", F_GENERIC, 0, NULL, 0},
	{"GeneratedField", F_GENERATED, 1, NULL, 0},
	{"GenericIPAddressField", F_GENIP, 0, NULL, 0},
	{"IPAddressField", F_STRCAST, 0, NULL, 0},
	{"ImageField", F_STRCAST, 1, NULL, 0},
	{"IntegerField", F_INT, 0, NULL, 0},
	{"JSONField", F_JSON, 0, NULL, 0},
	{"ManyToManyField", F_M2M, 0, NULL, 0},
	{"NullBooleanField", F_BOOL, 0, NULL, 0},
	{"OneToOneField", F_GENERIC, 0, NULL, 0},
	{"PositiveBigIntegerField", F_INT, 0, NULL, 0},
	{"PositiveIntegerField", F_INT, 0, NULL, 0},
	{"PositiveSmallIntegerField", F_INT, 0, NULL, 0},
	{"SlugField", F_CHAR, 1, NULL, 0},
	{"SmallAutoField", F_INT, 0, NULL, 0},
	{"SmallIntegerField", F_INT, 0, NULL, 0},
	{"TextField", F_CHAR, 1, NULL, 0},
	{"TimeField", F_TIME, 0, NULL, 0},
	{"URLField", F_CHAR, 1, NULL, 0},
	{"UUIDField", F_UUID, 0, NULL, 0},
};

/* django.contrib.postgres: matched on the class name, whatever module
 * of the package it was imported from. */
static const struct fclass postgres_classes[] = {
	{"ArrayField", F_ARRAY, 0, NULL, 0},
	{"BigIntegerRangeField", F_RANGE, 0, NULL, 0},
	{"CICharField", F_CHAR, 1, NULL, 0},
	{"CIEmailField", F_CHAR, 1, NULL, 0},
	{"CITextField", F_CHAR, 1, NULL, 0},
	{"DateRangeField", F_RANGE, 0, "daterange", 0},
	{"DateTimeRangeField", F_RANGE, 0, "tstzrange", 1},
	{"DecimalRangeField", F_RANGE, 0, NULL, 1},
	{"HStoreField", F_HSTORE, 0, NULL, 0},
	{"IntegerRangeField", F_RANGE, 0, NULL, 0},
	{"JSONField", F_JSON, 0, NULL, 0},
	{"SearchVectorField", F_GENERIC, 1, NULL, 0},
};

static const struct fclass generic_class = {NULL, F_GENERIC, 0, NULL, 0};

static const struct fclass *field_class(struct cx *c,
    const struct value *field)
{
	const char *fn = call_name(field), *base;
	const struct fclass *t;
	size_t n;

	if (!field)
		return &generic_class;
	if (!fn)
		return fail(c, "a field that is not a call of a field class");
	if (strncmp(fn, "models.", 7) == 0 && !strchr(fn + 7, '.')) {
		t = models_classes;
		n = sizeof models_classes / sizeof *models_classes;
		base = fn + 7;
	} else if (strncmp(fn, "postgres.", 9) == 0) {
		t = postgres_classes;
		n = sizeof postgres_classes / sizeof *postgres_classes;
		base = strrchr(fn, '.') + 1;
	} else {
		return fail(c, "field class %s is not one migtools knows", fn);
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, base) == 0)
			return &t[i];
	return fail(c, "field class %s is not one migtools knows", fn);
}

static int kw_true(const struct value *field, const char *name)
{
	const struct value *v = field ? value_kwarg(field, name) : NULL;

	return v && v->kind == V_TRUE;
}

static struct py *prep_value(struct cx *c, const struct value *field,
    struct py *p);

/* Django's clean_ipv6_address: the compressed form, "::ffff:a.b.c.d"
 * for a mapped IPv4 address; NULL when not an IPv6 address. */
static char *ipv6_clean(struct cx *c, const char *s, size_t len, int unpack)
{
	unsigned char a[16];
	int best = -1, bestlen = 0;
	struct buf b = {0};
	char *t = cx_strndup(c, s, len);
	unsigned h[8];

	if (len > 39 || inet_pton(AF_INET6, t, a) != 1)
		return NULL;
	for (int i = 0; i < 8; i++)
		h[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	if (!h[0] && !h[1] && !h[2] && !h[3] && !h[4] && h[5] == 0xffff)
		return cx_printf(c, "%s%u.%u.%u.%u", unpack ? "" : "::ffff:",
		    a[12], a[13], a[14], a[15]);
	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && h[j] == 0)
			j++;
		if (j - i > bestlen && j - i > 1)
			best = i, bestlen = j - i;
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			buf_puts(&b, "::");
			i += bestlen - 1;
			continue;
		}
		if (i && i != best + bestlen)
			buf_putc(&b, ':');
		buf_printf(&b, "%x", h[i]);
	}
	return cx_track(c, b.s);
}

/* BooleanField.to_python() */
static struct py *prep_bool(struct cx *c, const struct value *field,
    struct py *p)
{
	int nb;

	if (p->k == P_NONE)
		return p;
	if ((kw_true(field, "null") || strcmp(call_name(field),
	    "models.NullBooleanField") == 0) && is_empty_value(p))
		return py_none(c);
	if ((nb = num_bool(p)) >= 0)
		return py_bool(c, nb);
	if (p->k == P_STR && p->len <= 5) {
		char s[6];

		memcpy(s, p->s, p->len);
		s[p->len] = '\0';
		if (!strcmp(s, "t") || !strcmp(s, "True") || !strcmp(s, "1"))
			return py_bool(c, 1);
		if (!strcmp(s, "f") || !strcmp(s, "False") || !strcmp(s, "0"))
			return py_bool(c, 0);
	}
	return fail(c, "“%s” value must be either True or False.",
	    py_text(c, p) ? py_text(c, p) : pk_name[p->k]);
}

/* DecimalField: to_python(), a float through the field's context. */
static struct py *prep_decimal(struct cx *c, const struct value *field,
    struct py *p)
{
	const struct value *md = value_kwarg(field, "max_digits");
	long long prec = 28;
	struct py *d;

	if (p->k == P_NONE)
		return p;
	if (p->k == P_FLOAT) {
		if (md && md->kind != V_NONE) {
			if (md->kind != V_INT || int_ll(&(struct py){.k = P_INT,
			    .s = md->s}, &prec) < 0 || prec < 1)
				return fail(c, "max_digits must be a positive "
				    "integer");
		}
		d = to_decimal(c, p);
		if (d && !d->special)
			d = decimal_round(c, d, (long)prec);
	} else if (p->k == P_LIST || p->k == P_TUPLE || p->k == P_DICT ||
	    p->k == P_SET) {
		return fail(c, "“%s” value must be a decimal number.",
		    pk_name[p->k]);
	} else {
		d = to_decimal(c, p);
	}
	if (!d)
		return NULL;
	if (d->special)
		return fail(c, "“%s” value must be a decimal number.",
		    decimal_text(c, d));
	return d;
}

static struct py *prep_date(struct cx *c, struct py *p)
{
	struct py *d;

	switch (p->k) {
	case P_NONE: case P_DATE:
		return p;
	case P_DATETIME:
		p = datetime_utc(c, p);	/* to TIME_ZONE */
		return p ? mk_date(c, p->y, p->mo, p->dd) : NULL;
	case P_STR:
		if ((d = parse_temporal(c, p, P_DATE)))
			return d;
		if (!c->err)
			fail(c, "“%.*s” value has an invalid date format.",
			    (int)p->len, p->s);
		return NULL;
	default:
		return fail(c, "a %s is not a date", pk_name[p->k]);
	}
}

static struct py *prep_datetime(struct cx *c, struct py *p)
{
	struct py *d;

	switch (p->k) {
	case P_NONE:
		return p;
	case P_DATETIME:
		d = p;
		break;
	case P_DATE:
		d = py_new(c, P_DATETIME);
		*d = *p;
		d->k = P_DATETIME;
		break;
	case P_STR:
		if (!(d = parse_temporal(c, p, P_DATETIME)) && !c->err &&
		    (d = parse_temporal(c, p, P_DATE)))
			d->k = P_DATETIME;
		if (d)
			break;
		if (!c->err)
			fail(c, "“%.*s” value has an invalid format.",
			    (int)p->len, p->s);
		return NULL;
	default:
		return fail(c, "a %s is not a datetime", pk_name[p->k]);
	}
	if (!d->tz) {		/* make_aware in TIME_ZONE, UTC */
		struct py *a = py_new(c, P_DATETIME);

		*a = *d;
		a->tz = 1;
		a->off = 0;
		d = a;
	}
	return d;
}

static struct py *prep_time(struct cx *c, struct py *p)
{
	struct py *t;

	switch (p->k) {
	case P_NONE: case P_TIME:
		return p;
	case P_DATETIME:
		t = py_new(c, P_TIME);
		*t = *p;
		t->k = P_TIME;
		t->tz = 0;
		t->off = 0;
		return t;
	case P_STR:
		if ((t = parse_temporal(c, p, P_TIME)))
			return t;
		if (!c->err)
			fail(c, "“%.*s” value has an invalid format.",
			    (int)p->len, p->s);
		return NULL;
	default:
		return fail(c, "a %s is not a time", pk_name[p->k]);
	}
}

static struct py *prep_uuid(struct cx *c, struct py *p)
{
	switch (p->k) {
	case P_NONE: case P_UUID:
		return p;
	case P_INT: case P_BOOL:
		return uuid_from_int(c, p);
	case P_STR:
		return uuid_from_hex(c, p->s, p->len);
	default:
		return fail(c, "“%s” is not a valid UUID.", pk_name[p->k]);
	}
}

static struct py *prep_genip(struct cx *c, const struct value *field,
    struct py *p)
{
	char *clean;

	if (p->k == P_NONE)
		return p;
	if (p->k == P_STR) {
		if (memchr(p->s, ':', p->len) && (clean = ipv6_clean(c, p->s,
		    p->len, kw_true(field, "unpack_ipv4"))))
			p = py_str(c, clean, strlen(clean));
	} else if (num_bool(p) == 0 && p->k != P_DECIMAL) {
		char *t = py_text(c, p);

		p = py_str(c, t, strlen(t));
	} else {
		return fail(c, "a %s is not an IP address", pk_name[p->k]);
	}
	if (p->len == 0)	/* adapt_ipaddressfield_value: falsy is None */
		return py_none(c);
	{
		struct py *inet = py_seq(c, P_INET, 1);

		inet->it[0] = p;
		return inet;
	}
}

static struct py *str_of(struct cx *c, struct py *p)
{
	char *t;

	if (p->k == P_STR || p->k == P_NONE)
		return p;
	if (!(t = py_text(c, p)))
		return NULL;
	return py_str(c, t, strlen(t));
}

static struct py *prep_hstore(struct cx *c, struct py *p)
{
	struct py *q;

	if (p->k != P_DICT && p->k != P_LIST)
		return p;
	q = py_seq(c, p->k, p->n);
	for (size_t i = 0; i < p->n; i++) {
		struct py *x = p->it[i];

		/* dict values stay None; keys and list items are str()'d */
		if (p->k == P_DICT && i % 2 && x->k == P_NONE)
			q->it[i] = x;
		else if (!(q->it[i] = str_of(c, x)))
			return NULL;
	}
	return q;
}

static struct py *prep_range(struct cx *c, const struct fclass *fc,
    const struct value *field, struct py *p)
{
	const struct value *db = value_kwarg(field, "default_bounds");
	const char *bounds = "[)";

	if (p->k != P_LIST && p->k != P_TUPLE)
		return p;
	if (p->n < 2)
		return fail(c, "a range needs two bounds");
	if (fc->continuous && db && db->kind == V_STR)
		bounds = db->s;
	return mk_range(c, fc->range, p->it[0], p->it[1], bounds, 0);
}

/* get_db_prep_value(value, prepared=False) of the field. */
static struct py *prep_value(struct cx *c, const struct value *field,
    struct py *p)
{
	const struct fclass *fc = field_class(c, field);
	const struct value *base;
	struct py *q;

	if (!fc)
		return NULL;
	switch (fc->kind) {
	case F_GENERIC: case F_GENERATED: case F_DURATION:
		return p;
	case F_M2M:
		return fail(c, "a many-to-many field has no column");
	case F_CHAR: case F_STRCAST:
		return str_of(c, p);
	case F_BOOL:
		return prep_bool(c, field, p);
	case F_INT:
		return p->k == P_NONE ? p : to_int(c, p);
	case F_FLOAT:
		return p->k == P_NONE ? p : to_float(c, p);
	case F_DECIMAL:
		return prep_decimal(c, field, p);
	case F_DATE:
		return prep_date(c, p);
	case F_DATETIME:
		return prep_datetime(c, p);
	case F_TIME:
		return prep_time(c, p);
	case F_BINARY:
		if (p->k != P_NONE && p->k != P_BYTES)
			return fail(c, "can't escape %s to binary",
			    pk_name[p->k]);
		return p;
	case F_UUID:
		return prep_uuid(c, p);
	case F_GENIP:
		return prep_genip(c, field, p);
	case F_JSON:
		if (value_kwarg(field, "encoder") &&
		    value_kwarg(field, "encoder")->kind != V_NONE &&
		    !is_django_encoder(value_kwarg(field, "encoder")))
			return fail(c, "JSON encoder %s is not one migtools "
			    "knows", value_kwarg(field, "encoder")->kind ==
			    V_NAME ? value_kwarg(field, "encoder")->s :
			    "(an expression)");
		q = py_seq(c, P_JSONB, 1);
		q->it[0] = p;
		q->encoder = value_kwarg(field, "encoder");
		return q;
	case F_ARRAY:
		if (p->k != P_LIST && p->k != P_TUPLE)
			return p;
		if (!(base = value_kwarg(field, "base_field")))
			return fail(c, "an ArrayField without base_field");
		q = py_seq(c, P_LIST, p->n);
		for (size_t i = 0; i < p->n; i++)
			if (!(q->it[i] = prep_value(c, base, p->it[i])))
				return NULL;
		return q;
	case F_HSTORE:
		return prep_hstore(c, p);
	case F_RANGE:
		return prep_range(c, fc, field, p);
	}
	return p;
}

/* get_db_prep_save(): only JSONField differs, keeping None as SQL NULL. */
static struct py *prep_save(struct cx *c, const struct value *field,
    struct py *p)
{
	const struct fclass *fc = field_class(c, field);

	if (!fc)
		return NULL;
	if (fc->kind == F_JSON && p->k == P_NONE)
		return p;
	return prep_value(c, field, p);
}

static char *render(struct cx *c, const struct py *p, char **err)
{
	char *sql = NULL;

	if (p && p->k != P_NONE && (sql = adapted(c, p)))
		sql = xstrdup(sql);
	*err = c->err;
	cx_done(c);
	if (*err) {
		free(sql);
		return NULL;
	}
	return sql;
}

/* models.Value(value, output_field): the value prepared by its own field,
 * given or guessed from its type as Value._resolve_output_field() does
 * (get_db_prep_value: Value.as_sql() when not saving, as in db_default). */
static struct py *eval_value_expr(struct cx *c, const struct value *v)
{
	static const char *const guess[] = {
		[P_STR] = "models.CharField", [P_BOOL] = "models.BooleanField",
		[P_INT] = "models.IntegerField", [P_FLOAT] = "models.FloatField",
		[P_DATETIME] = "models.DateTimeField",
		[P_DATE] = "models.DateField", [P_TIME] = "models.TimeField",
		[P_DELTA] = "models.DurationField",
		[P_DECIMAL] = "models.DecimalField",
		[P_BYTES] = "models.BinaryField", [P_UUID] = "models.UUIDField",
		[P_INET] = NULL,
	};
	static const char *const names[] = {"value", "output_field"};
	const struct value *a = arg(v, 0, "value"), *of = arg(v, 1,
	    "output_field");
	struct value *made = NULL;
	struct py *p;

	if (args_known(c, v, names, 2) < 0)
		return NULL;
	if (!a)
		return fail(c, "models.Value() without a value");
	if (!(p = eval(c, a)))
		return NULL;
	if ((!of || of->kind == V_NONE) && guess[p->k]) {
		made = value_new(V_CALL, 0, 0);
		made->fn = value_str(V_NAME, guess[p->k], strlen(guess[p->k]));
		of = made;
	}
	if (of && of->kind != V_NONE)
		p = prep_value(c, of, p);
	value_free(made);
	return p;
}

char *sql_literal(const struct value *v, const struct value *field,
    char **err)
{
	struct cx c = {0};
	struct py *p = NULL;

	if (call_name(v) && strcmp(call_name(v), "models.Value") == 0)
		p = eval_value_expr(&c, v);
	else if (v->kind == V_NAME && strncmp(v->s, "settings.", 9) != 0)
		fail(&c, "%s is a callable or a constant of Python code: its "
		    "value is computed by Python", v->s);
	else if ((p = eval(&c, v)))
		p = prep_save(&c, field, p);
	return render(&c, p, err);
}

/* --- effective defaults -------------------------------------------------- */

static struct {
	int fixed;
	long long us;
	unsigned long long uuids;
} clock_fix;

void sql_volatile_fix(int fixed, long long unix_us)
{
	clock_fix.fixed = fixed;
	clock_fix.us = unix_us;
	clock_fix.uuids = 0;
}

static long long now_us(void)
{
	struct timespec ts;

	if (clock_fix.fixed)
		return clock_fix.us;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static struct py *volatile_uuid(struct cx *c)
{
	struct py *p = py_new(c, P_UUID);
	FILE *f;

	if (clock_fix.fixed) {
		unsigned long long n = ++clock_fix.uuids;

		for (int i = 15; i >= 10; i--, n >>= 8)
			p->uuid[i] = (unsigned char)(n & 0xff);
	} else if (!(f = fopen("/dev/urandom", "rb")) ||
	    fread(p->uuid, 1, 16, f) != 16) {
		long long t = now_us();

		for (int i = 0; i < 16; i++, t = t * 6364136223846793005LL +
		    1442695040888963407LL)
			p->uuid[i] = (unsigned char)(t >> 56);
		if (f)
			fclose(f);
	} else {
		fclose(f);
	}
	p->uuid[6] = (unsigned char)((p->uuid[6] & 0x0f) | 0x40);
	p->uuid[8] = (unsigned char)((p->uuid[8] & 0x3f) | 0x80);
	return p;
}

/* What Django gets calling a default that is a callable. */
static struct py *call_default(struct cx *c, const struct value *v)
{
	static const struct { const char *name; enum pk k; } empty[] = {
		{"list", P_LIST}, {"dict", P_DICT},
		{"collections.OrderedDict", P_DICT}, {"set", P_SET},
		{"frozenset", P_SET}, {"tuple", P_TUPLE}, {"str", P_STR},
		{"bytes", P_BYTES}, {"bytearray", P_BYTES},
	};
	const char *n = v->s;
	struct py *p;

	for (size_t i = 0; i < sizeof empty / sizeof *empty; i++)
		if (strcmp(n, empty[i].name) == 0)
			return (p = py_seq(c, empty[i].k, 0)), p->s = "", p;
	if (strcmp(n, "int") == 0)
		return py_int(c, "0");
	if (strcmp(n, "float") == 0)
		return py_float(c, 0);
	if (strcmp(n, "bool") == 0)
		return py_bool(c, 0);
	if (strcmp(n, "decimal.Decimal") == 0)
		return decimal_from_text(c, "0", 1);
	if (strcmp(n, "datetime.timedelta") == 0)
		return mk_delta(c, 0, 0);
	c->volatile_ = 1;
	if (strcmp(n, "django.utils.timezone.now") == 0 ||
	    strcmp(n, "django.utils.timezone.localtime") == 0)
		return datetime_at(c, now_us(), 1, 0);
	/* The local time of the Django process, taken as UTC. */
	if (strcmp(n, "datetime.datetime.now") == 0 ||
	    strcmp(n, "datetime.datetime.today") == 0 ||
	    strcmp(n, "datetime.datetime.utcnow") == 0)
		return datetime_at(c, now_us(), 0, 0);
	if (strcmp(n, "datetime.date.today") == 0 ||
	    strcmp(n, "django.utils.timezone.localdate") == 0) {
		p = datetime_at(c, now_us(), 0, 0);
		return p ? mk_date(c, p->y, p->mo, p->dd) : NULL;
	}
	if (strcmp(n, "uuid.uuid4") == 0 || strcmp(n, "uuid.uuid1") == 0)
		return volatile_uuid(c);
	if (strcmp(n, "time.time") == 0)
		return py_float(c, (double)now_us() / 1e6);
	c->volatile_ = 0;
	if (strncmp(n, "settings.", 9) == 0)
		return fail(c, "default %s is a setting: its value is not in "
		    "the migrations", n);
	return fail(c, "default %s is a callable or a constant of Python "
	    "code: its value is computed by Python", n);
}

/* Field._effective_default(): the Python value, or NULL on error. */
static struct py *effective_default(struct cx *c, const struct value *field,
    const struct fclass *fc)
{
	const struct value *d = value_kwarg(field, "default");
	struct py *p;

	if (d && !(d->kind == V_NAME && strcmp(d->s, "models.NOT_PROVIDED")
	    == 0)) {
		if (d->kind == V_NAME) {
			p = call_default(c, d);
			/* BinaryField.get_default(): a callable's "" is b"" */
			if (p && fc->kind == F_BINARY && p->k == P_STR &&
			    p->len == 0)
				p->k = P_BYTES;
			return p;
		}
		return eval(c, d);
	}
	if (fc->kind == F_GENERATED)
		return py_none(c);
	if (!kw_true(field, "null") && kw_true(field, "blank") &&
	    fc->empty_strings)
		return fc->kind == F_BINARY ? (p = py_new(c, P_BYTES)),
		    p->s = "", p : py_str(c, "", 0);
	if ((fc->kind == F_DATE || fc->kind == F_DATETIME ||
	    fc->kind == F_TIME) && (kw_true(field, "auto_now") ||
	    kw_true(field, "auto_now_add"))) {
		c->volatile_ = 1;
		p = datetime_at(c, now_us(), fc->kind == F_DATETIME, 0);
		if (p && fc->kind == F_DATE)
			return mk_date(c, p->y, p->mo, p->dd);
		if (p && fc->kind == F_TIME)
			return prep_time(c, p);
		return p;
	}
	return py_none(c);
}

char *sql_effective_default(const struct value *field, int *volatile_,
    char **err)
{
	struct cx c = {0};
	const struct fclass *fc;
	struct py *p = NULL;

	*volatile_ = 0;
	if (!field)
		fail(&c, "no field");
	else if ((fc = field_class(&c, field)) &&
	    (p = effective_default(&c, field, fc)))
		p = prep_save(&c, field, p);
	*volatile_ = c.volatile_ && !c.err;
	return render(&c, p, err);
}
