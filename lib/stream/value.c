#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

struct value *value_new(enum vkind kind, long line, long col)
{
	struct value *v = xcalloc(1, sizeof *v);

	v->kind = kind;
	v->line = line;
	v->col = col;
	return v;
}

struct value *value_str(enum vkind kind, const char *s, size_t len)
{
	struct value *v = value_new(kind, 0, 0);

	v->s = xstrndup(s, len);
	v->len = len;
	return v;
}

void value_push(struct value *v, struct value *item, const char *name)
{
	v->items = xrealloc(v->items, (v->n + 1) * sizeof *v->items);
	v->items[v->n] = item;
	if (v->kind == V_CALL) {
		v->names = xrealloc(v->names, (v->n + 1) * sizeof *v->names);
		v->names[v->n] = name ? xstrdup(name) : NULL;
	}
	v->n++;
}

struct value *value_copy(const struct value *v)
{
	struct value *c;

	if (!v)
		return NULL;
	c = value_new(v->kind, v->line, v->col);
	if (v->s) {
		/* only strings and bytes may hold NUL; other kinds' text is
		 * a C string whose len may not have been set */
		c->len = v->kind == V_STR || v->kind == V_BYTES ? v->len :
		    strlen(v->s);
		c->s = xstrndup(v->s, c->len);
	}
	c->fn = value_copy(v->fn);
	for (size_t i = 0; i < v->n; i++)
		value_push(c, value_copy(v->items[i]),
		    v->names ? v->names[i] : NULL);
	return c;
}

void value_free(struct value *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		value_free(v->items[i]);
		if (v->names)
			free(v->names[i]);
	}
	free(v->items);
	free(v->names);
	value_free(v->fn);
	free(v->s);
	free(v);
}

struct value *value_kwarg(const struct value *call, const char *name)
{
	if (!call || call->kind != V_CALL)
		return NULL;
	for (size_t i = 0; i < call->n; i++)
		if (call->names[i] && strcmp(call->names[i], name) == 0)
			return call->items[i];
	return NULL;
}

struct value *value_dict_get(const struct value *dict, const char *key)
{
	if (!dict || dict->kind != V_DICT)
		return NULL;
	for (size_t i = 0; i + 1 < dict->n; i += 2)
		if (value_is_str(dict->items[i], key))
			return dict->items[i + 1];
	return NULL;
}

int value_is_str(const struct value *v, const char *s)
{
	return v && v->kind == V_STR && v->len == strlen(s) &&
	    memcmp(v->s, s, v->len) == 0;
}

/* --- writing --------------------------------------------------------- */

static int precedence(const struct value *v)
{
	static const struct { const char *op; int prec; } tab[] = {
		{"or", 1}, {"and", 2}, {"==", 4}, {"!=", 4}, {"<", 4},
		{">", 4}, {"<=", 4}, {">=", 4}, {"in", 4}, {"not in", 4},
		{"is", 4}, {"is not", 4}, {"|", 5}, {"^", 6}, {"&", 7},
		{"<<", 8}, {">>", 8}, {"+", 9}, {"-", 9}, {"*", 10},
		{"/", 10}, {"//", 10}, {"%", 10}, {"@", 10}, {"**", 12},
	};

	if (v->kind == V_COND)
		return 0;
	if (v->kind == V_UNARY)
		return strcmp(v->s, "not") == 0 ? 3 : 11;
	if (v->kind != V_BINOP)
		return 100;
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strcmp(tab[i].op, v->s) == 0)
			return tab[i].prec;
	return 0;
}

static void write_operand(struct buf *b, const struct value *v, int min)
{
	int paren = precedence(v) < min;

	if (paren)
		buf_putc(b, '(');
	value_write(b, v);
	if (paren)
		buf_putc(b, ')');
}

static void write_string(struct buf *b, const struct value *v)
{
	int bytes = v->kind == V_BYTES;

	buf_puts(b, bytes ? "b'" : "'");
	for (size_t i = 0; i < v->len; i++) {
		unsigned char c = (unsigned char)v->s[i];

		if (c == '\\' || c == '\'') {
			buf_putc(b, '\\');
			buf_putc(b, c);
		} else if (c == '\n' || c == '\t') {
			buf_putc(b, c);	/* the stream escapes these */
		} else if (c < 0x20 || c == 0x7F || (bytes && c >= 0x80)) {
			buf_printf(b, "\\x%02x", c);
		} else {
			buf_putc(b, c);
		}
	}
	buf_putc(b, '\'');
}

static void write_items(struct buf *b, const struct value *v, const char *open,
    const char *close)
{
	buf_puts(b, open);
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			buf_puts(b, ", ");
		if (v->kind == V_CALL && v->names[i])
			buf_printf(b, strcmp(v->names[i], "**") ? "%s=" : "%s",
			    v->names[i]);
		value_write(b, v->items[i]);
	}
	if (v->kind == V_TUPLE && v->n == 1)
		buf_putc(b, ',');
	buf_puts(b, close);
}

static void write_dict(struct buf *b, const struct value *v)
{
	buf_putc(b, '{');
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		if (i)
			buf_puts(b, ", ");
		value_write(b, v->items[i]);
		buf_puts(b, ": ");
		value_write(b, v->items[i + 1]);
	}
	buf_putc(b, '}');
}

static void write_binop(struct buf *b, const struct value *v)
{
	int p = precedence(v);

	/* ** is right-associative, everything else left; and it binds
	 * tighter than the sign of a negative number on its left */
	if (!strcmp(v->s, "**") && (v->items[0]->kind == V_INT ||
	    v->items[0]->kind == V_FLOAT) && v->items[0]->s[0] == '-') {
		buf_putc(b, '(');
		value_write(b, v->items[0]);
		buf_putc(b, ')');
	} else {
		write_operand(b, v->items[0], strcmp(v->s, "**") ? p : p + 1);
	}
	buf_printf(b, " %s ", v->s);
	write_operand(b, v->items[1], strcmp(v->s, "**") ? p + 1 : p);
}

static void write_comp(struct buf *b, const struct value *v)
{
	int dict = strcmp(v->s, "dict") == 0;

	buf_puts(b, dict || !strcmp(v->s, "set") ? "{" : *v->s == 'l' ? "[" : "(");
	if (dict && v->fn->n == 2) {
		value_write(b, v->fn->items[0]);
		buf_puts(b, ": ");
		value_write(b, v->fn->items[1]);
	} else {
		value_write(b, v->fn);
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct value *c = v->items[i];

		buf_printf(b, " %s ", c->s);
		if (c->kind == V_BINOP) {
			value_write(b, c->items[0]);
			buf_puts(b, " in ");
			write_operand(b, c->items[1], 1);
		} else {
			write_operand(b, c->items[0], 1);
		}
	}
	buf_puts(b, dict || !strcmp(v->s, "set") ? "}" : *v->s == 'l' ? "]" : ")");
}

void value_write(struct buf *b, const struct value *v)
{
	switch (v->kind) {
	case V_NONE: buf_puts(b, "None"); break;
	case V_TRUE: buf_puts(b, "True"); break;
	case V_FALSE: buf_puts(b, "False"); break;
	case V_INT: case V_FLOAT: case V_NAME: buf_puts(b, v->s); break;
	case V_STR: case V_BYTES: write_string(b, v); break;
	case V_LIST: write_items(b, v, "[", "]"); break;
	case V_TUPLE: write_items(b, v, "(", ")"); break;
	case V_SET:
		if (v->n == 0)
			buf_puts(b, "set()");
		else
			write_items(b, v, "{", "}");
		break;
	case V_DICT: write_dict(b, v); break;
	case V_CALL:
		write_operand(b, v->fn, 100);
		write_items(b, v, "(", ")");
		break;
	case V_ATTR:
		write_operand(b, v->fn, 100);
		buf_printf(b, ".%s", v->s);
		break;
	case V_SUBSCRIPT:
		write_operand(b, v->fn, 100);
		buf_putc(b, '[');
		value_write(b, v->items[0]);
		buf_putc(b, ']');
		break;
	case V_UNARY:
		buf_puts(b, v->s);
		if (strcmp(v->s, "not") == 0)
			buf_putc(b, ' ');
		write_operand(b, v->items[0], precedence(v));
		break;
	case V_BINOP: write_binop(b, v); break;
	case V_LAMBDA: buf_puts(b, "lambda: ..."); break;
	case V_COND:
		write_operand(b, v->items[0], 1);
		buf_puts(b, " if ");
		write_operand(b, v->items[1], 1);
		buf_puts(b, " else ");
		write_operand(b, v->items[2], 0);
		break;
	case V_COMP: write_comp(b, v); break;
	}
}

char *value_text(const struct value *v)
{
	struct buf b = {0};

	value_write(&b, v);
	buf_putn(&b, "", 0);
	return b.s;
}

/* --- numbers ------------------------------------------------------------ */

/* Python's repr() of a double: the shortest text that reads back. */
char *py_float_repr(double x)
{
	char tmp[64], digits[32];
	int prec, exp, nd = 0;
	struct buf b = {0};

	if (isnan(x))
		return xstrdup("nan");
	if (isinf(x))
		return xstrdup(x < 0 ? "-inf" : "inf");

	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
		if (strtod(tmp, NULL) == x)
			break;
	}
	for (char *p = tmp; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	digits[nd] = '\0';
	exp = atoi(strchr(tmp, 'e') + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		digits[--nd] = '\0';
	if (tmp[0] == '-')
		buf_putc(&b, '-');
	if (exp >= -4 && exp < 16) {
		if (exp < 0) {
			buf_puts(&b, "0.");
			for (int i = -1; i > exp; i--)
				buf_putc(&b, '0');
			buf_puts(&b, digits);
		} else {
			for (int i = 0; i <= exp; i++)
				buf_putc(&b, i < nd ? digits[i] : '0');
			buf_putc(&b, '.');
			buf_puts(&b, nd > exp + 1 ? digits + exp + 1 : "0");
		}
	} else {
		buf_putc(&b, digits[0]);
		if (nd > 1)
			buf_printf(&b, ".%s", digits + 1);
		buf_printf(&b, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
	}
	return b.s;
}

/* Normalize a number token: decimal integers, Python's float repr. */
static struct value *number(struct parser *ps, const struct token *t)
{
	char *clean = xmalloc(t->len + 1), *w = clean, *end;
	struct value *v;

	for (const char *p = t->text; *p; p++)
		if (*p != '_')
			*w++ = *p;
	*w = '\0';
	v = value_new(V_INT, t->line, t->col);
	if (strpbrk(clean, "jJ")) {
		free(clean);
		value_free(v);
		return parse_error(ps, t, "complex numbers are not supported");
	}
	if (clean[0] == '0' && clean[1] && strchr("xXoObB", clean[1])) {
		int base = strchr("xX", clean[1]) ? 16 :
		    strchr("oO", clean[1]) ? 8 : 2;
		uintmax_t n;

		errno = 0;
		n = strtoumax(clean + 2, &end, base);
		if (errno || *end || end == clean + 2) {
			free(clean);
			value_free(v);
			return parse_error(ps, t, "bad or too large integer '%s'",
			    t->text);
		}
		v->s = xasprintf("%ju", n);
	} else if (strpbrk(clean, ".eE")) {
		double d = strtod(clean, &end);

		v->kind = V_FLOAT;
		if (*end || !isfinite(d)) {
			free(clean);
			value_free(v);
			return parse_error(ps, t, "bad number '%s'", t->text);
		}
		v->s = py_float_repr(d);
	} else {
		const char *p = clean;

		while (p[0] == '0' && p[1])
			p++;
		v->s = xstrdup(p);
	}
	v->len = strlen(v->s);
	free(clean);
	return v;
}

/* --- parsing ---------------------------------------------------------- */

int tok_is(const struct token *t, enum tok_kind k, const char *text)
{
	return t->kind == k && (!text || strcmp(t->text, text) == 0);
}

struct value *parse_error(struct parser *ps, const struct token *t,
    const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ps->err)
		return NULL;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	ps->err = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(ps->err, (size_t)n + 1, fmt, ap);
	va_end(ap);
	ps->err_line = t->line;
	ps->err_col = t->col;
	return NULL;
}

static struct token *peek(struct parser *ps)
{
	return &ps->tok[ps->pos < ps->n ? ps->pos : ps->n - 1];
}

static struct token *next(struct parser *ps)
{
	struct token *t = peek(ps);

	if (ps->pos < ps->n - 1)
		ps->pos++;
	return t;
}

static int accept(struct parser *ps, const char *op)
{
	if (tok_is(peek(ps), T_OP, op)) {
		next(ps);
		return 1;
	}
	return 0;
}

static int accept_name(struct parser *ps, const char *kw)
{
	if (tok_is(peek(ps), T_NAME, kw)) {
		next(ps);
		return 1;
	}
	return 0;
}

static int expect(struct parser *ps, const char *op)
{
	if (accept(ps, op))
		return 0;
	parse_error(ps, peek(ps), "expected '%s'", op);
	return -1;
}

static const char *const keywords[] = {
	"and", "as", "assert", "async", "await", "break", "class", "continue",
	"def", "del", "elif", "else", "except", "finally", "for", "from",
	"global", "if", "import", "in", "is", "lambda", "nonlocal", "not",
	"or", "pass", "raise", "return", "try", "while", "with", "yield", NULL
};

static int is_keyword(const struct token *t)
{
	if (t->kind != T_NAME)
		return 0;
	for (int i = 0; keywords[i]; i++)
		if (strcmp(t->text, keywords[i]) == 0)
			return 1;
	return 0;
}

static struct value *binop(const char *op, struct value *l, struct value *r)
{
	struct value *v = value_new(V_BINOP, l->line, l->col);

	v->s = xstrdup(op);
	value_push(v, l, NULL);
	value_push(v, r, NULL);
	return v;
}

/* The end of an f-string field's expression at s[i] (just after its
 * '{'): the index of its '}', or 0 when it has a conversion, a format
 * spec or no end. */
static size_t field_end(const char *s, size_t len, size_t i)
{
	int depth = 0;
	char quote = 0;

	for (; i < len; i++) {
		char ch = s[i];

		if (quote) {
			quote = ch == quote ? 0 : quote;
		} else if (ch == '\'' || ch == '"') {
			quote = ch;
		} else if (strchr("([{", ch)) {
			depth++;
		} else if (strchr(")]", ch) || (ch == '}' && depth > 0)) {
			depth--;
		} else if (depth == 0 && ch == '}') {
			return i;
		} else if (depth == 0 && (ch == ':' || (ch == '!' && s[i + 1] !=
		    '=') || (ch == '=' && i + 1 < len && s[i + 1] == '}'))) {
			return 0;
		}
	}
	return 0;
}

/* One field of an f-string: its expression, read as a value. */
static struct value *fstring_field(struct parser *ps, const struct token *t,
    const char *src, size_t len)
{
	struct lexer lx = {0};
	struct parser sub = {0};
	struct value *v = NULL;

	if (lex(&lx, src, len, LEX_VALUE) < 0) {
		free(lx.err);
		lx.err = NULL;
	} else {
		sub.tok = lx.tok;
		sub.n = lx.n;
		sub.file = 1;
		if ((v = parse_expr(&sub)) && sub.tok[sub.pos].kind != T_EOF) {
			value_free(v);
			v = NULL;
		}
		free(sub.err);
	}
	lex_free(&lx);
	if (!v)
		return parse_error(ps, t, "an f-string field that cannot be "
		    "read statically");
	v->line = t->line;
	v->col = t->col;
	return v;
}

/* An f-string of a migration file, s, added to the format fmt ('%'
 * doubled, '%s' for each field) and its fields to args. */
static int fstring(struct parser *ps, const struct token *s, struct buf *fmt,
    struct value *args)
{
	for (size_t i = 0; i < s->len; i++) {
		char ch = s->text[i];
		size_t end;
		struct value *v;

		if ((ch == '{' || ch == '}') && i + 1 < s->len &&
		    s->text[i + 1] == ch) {
			buf_putc(fmt, ch);
			i++;
		} else if (ch == '{') {
			if (!(end = field_end(s->text, s->len, i + 1))) {
				parse_error(ps, s, "an f-string field with a "
				    "conversion or a format spec cannot be read "
				    "statically");
				return -1;
			}
			if (!(v = fstring_field(ps, s, s->text + i + 1,
			    end - i - 1)))
				return -1;
			value_push(args, v, NULL);
			buf_puts(fmt, "%s");
			i = end;
		} else {
			buf_putc(fmt, ch);
			if (ch == '%')
				buf_putc(fmt, '%');
		}
	}
	return 0;
}

/* Adjacent string literals concatenate; str and bytes do not mix.  In a
 * migration file, f-strings with fields become 'fmt' % (fields,). */
static struct value *strings(struct parser *ps)
{
	struct token *t = peek(ps);
	struct buf b = {0}, fmt = {0};
	int flags = t->flags;
	struct value *v, *args = value_new(V_TUPLE, t->line, t->col);

	buf_putn(&b, "", 0);
	buf_putn(&fmt, "", 0);
	while (peek(ps)->kind == T_STRING) {
		struct token *s = next(ps);

		if ((s->flags & STR_BYTES) != (flags & STR_BYTES)) {
			parse_error(ps, s, "cannot mix bytes and str literals");
			goto fail;
		}
		if (s->flags & STR_FSTRING && memchr(s->text, '{', s->len)) {
			if (!ps->file) {
				parse_error(ps, s, "an f-string with replacement "
				    "fields cannot be read statically");
				goto fail;
			}
			if (fstring(ps, s, &fmt, args) < 0)
				goto fail;
			continue;
		}
		buf_putn(&b, s->text, s->len);
		for (size_t i = 0; i < s->len; i++) {
			buf_putc(&fmt, s->text[i]);
			if (s->text[i] == '%')
				buf_putc(&fmt, '%');
		}
	}
	v = value_new(flags & STR_BYTES ? V_BYTES : V_STR, t->line, t->col);
	if (args->n) {
		buf_free(&b);
		v->s = fmt.s;
		v->len = fmt.len;
		return binop("%", v, args);
	}
	buf_free(&fmt);
	value_free(args);
	v->s = b.s;
	v->len = b.len;
	return v;
fail:
	buf_free(&b);
	buf_free(&fmt);
	value_free(args);
	return NULL;
}

static struct value *level(struct parser *ps, size_t lv);
static struct value *bool_op(struct parser *ps, const char *op);

/* *x in a display or a call of a migration file. */
static struct value *starred(struct parser *ps)
{
	struct token *t = next(ps);
	struct value *v = level(ps, 0), *u;

	if (!v)
		return NULL;
	u = value_new(V_UNARY, t->line, t->col);
	u->s = xstrdup("*");
	value_push(u, v, NULL);
	return u;
}

/* The targets of a comprehension's for: a name, or names and
 * parenthesized targets separated by commas. */
static struct value *targets(struct parser *ps)
{
	struct value *v = level(ps, 0), *t;

	if (!v || !tok_is(peek(ps), T_OP, ","))
		return v;
	t = value_new(V_TUPLE, v->line, v->col);
	value_push(t, v, NULL);
	while (accept(ps, ",") && !tok_is(peek(ps), T_NAME, "in")) {
		if (!(v = level(ps, 0))) {
			value_free(t);
			return NULL;
		}
		value_push(t, v, NULL);
	}
	return t;
}

/* The for and if clauses after a comprehension's element, up to close. */
static struct value *comprehension(struct parser *ps, struct value *elt,
    const char *kind, const char *close)
{
	struct value *c = value_new(V_COMP, elt->line, elt->col), *t, *it;

	c->s = xstrdup(kind);
	c->fn = elt;
	while (accept_name(ps, "for")) {
		if (!(t = targets(ps)))
			goto fail;
		if (!accept_name(ps, "in")) {
			value_free(t);
			parse_error(ps, peek(ps), "expected 'in'");
			goto fail;
		}
		if (!(it = bool_op(ps, "or"))) {
			value_free(t);
			goto fail;
		}
		value_push(c, binop("for", t, it), NULL);
		while (tok_is(peek(ps), T_NAME, "if")) {
			struct token *at = next(ps);

			if (!(it = bool_op(ps, "or")))
				goto fail;
			t = value_new(V_UNARY, at->line, at->col);
			t->s = xstrdup("if");
			value_push(t, it, NULL);
			value_push(c, t, NULL);
		}
	}
	if (expect(ps, close) == 0)
		return c;
fail:
	value_free(c);
	return NULL;
}

/* A comprehension after the first item of a display: only in a file. */
static struct value *maybe_comp(struct parser *ps, struct value *v,
    struct value *item, const char *close)
{
	static const char *const kinds[] = {
		[V_LIST] = "list", [V_TUPLE] = "gen", [V_SET] = "set",
		[V_DICT] = "dict"
	};

	if (!ps->file || v->n > (v->kind == V_DICT)) {
		value_free(item);
		return parse_error(ps, peek(ps), "a comprehension cannot be "
		    "read statically");
	}
	if (v->kind == V_DICT) {
		struct value *pair = value_new(V_TUPLE, v->items[0]->line,
		    v->items[0]->col);

		value_push(pair, v->items[0], NULL);
		value_push(pair, item, NULL);
		v->n = 0;
		item = pair;
	}
	return comprehension(ps, item, kinds[v->kind], close);
}

/* Items up to the closing bracket; *trailing_comma as Python needs;
 * *comp receives a comprehension, which is the whole display. */
static int items(struct parser *ps, struct value *v, const char *close,
    int *comma, struct value **comp)
{
	*comma = 0;
	*comp = NULL;
	while (!accept(ps, close)) {
		struct value *item;

		if (tok_is(peek(ps), T_OP, "*") && ps->file &&
		    v->kind != V_DICT) {
			if (!(item = starred(ps)))
				return -1;
		} else if (tok_is(peek(ps), T_OP, "*") ||
		    tok_is(peek(ps), T_OP, "**")) {
			return parse_error(ps, peek(ps), "unpacking with * "
			    "cannot be read statically"), -1;
		} else if (!(item = parse_expr(ps))) {
			return -1;
		}
		if (tok_is(peek(ps), T_NAME, "for") && v->kind != V_DICT)
			return (*comp = maybe_comp(ps, v, item, close)) ? 0 : -1;
		if (v->kind == V_DICT) {
			struct value *val;

			value_push(v, item, NULL);
			if (expect(ps, ":") < 0 || !(val = parse_expr(ps)))
				return -1;
			if (tok_is(peek(ps), T_NAME, "for"))
				return (*comp = maybe_comp(ps, v, val, close)) ?
				    0 : -1;
			item = val;
		}
		value_push(v, item, NULL);
		*comma = accept(ps, ",");
		if (!*comma && expect(ps, close) < 0)
			return -1;
		if (!*comma)
			break;
	}
	return 0;
}

static struct value *bracket(struct parser *ps)
{
	struct token *t = next(ps);
	const char *close = t->text[0] == '(' ? ")" : t->text[0] == '[' ? "]" : "}";
	struct value *v, *comp;
	int comma;

	v = value_new(*close == ')' ? V_TUPLE : *close == ']' ? V_LIST : V_SET,
	    t->line, t->col);
	if (*close == '}') {
		/* a dict unless the first item is followed by ',' or '}' */
		size_t save = ps->pos;
		struct value *first;

		if (!tok_is(peek(ps), T_OP, "}")) {
			first = parse_expr(ps);
			if (first && tok_is(peek(ps), T_OP, ":"))
				v->kind = V_DICT;
			value_free(first);
			ps->pos = save;
		} else {
			v->kind = V_DICT;
		}
	}
	if (items(ps, v, close, &comma, &comp) < 0) {
		value_free(v);
		return NULL;
	}
	if (comp) {
		value_free(v);
		return comp;
	}
	if (*close == ')' && v->n == 1 && !comma) {
		struct value *inner = v->items[0];

		v->n = 0;
		value_free(v);
		return inner;	/* (x) is x */
	}
	return v;
}

/* Skip tokens up to a ',' or closing bracket at this level (or, with
 * colon set, up to a ':'). */
static void skip_to(struct parser *ps, int colon)
{
	int depth = 0;

	for (;;) {
		struct token *u = peek(ps);

		if (u->kind == T_EOF || u->kind == T_NEWLINE)
			return;
		if (u->kind == T_OP && strchr("([{", u->text[0]))
			depth++;
		if (u->kind == T_OP && strchr(")]}", u->text[0])) {
			if (depth == 0)
				return;
			depth--;
		}
		if (depth == 0 && (tok_is(u, T_OP, ",") ||
		    (colon && tok_is(u, T_OP, ":"))))
			return;
		next(ps);
	}
}

/* lambda: its parameters and body are code migtools never reads.  The
 * stream writes "lambda: ...". */
static struct value *lambda(struct parser *ps)
{
	struct token *t = next(ps);

	for (;;) {
		size_t before = ps->pos;

		if (accept(ps, ":")) {
			skip_to(ps, 0);
			break;
		}
		skip_to(ps, 1);
		accept(ps, ",");
		if (ps->pos == before)
			break;
	}
	return value_new(V_LAMBDA, t->line, t->col);
}

static struct value *atom(struct parser *ps)
{
	struct token *t = peek(ps);
	struct value *v;

	switch (t->kind) {
	case T_STRING:
		return strings(ps);
	case T_NUMBER:
		next(ps);
		return number(ps, t);
	case T_OP:
		if (strchr("([{", t->text[0]))
			return bracket(ps);
		if (strcmp(t->text, "...") == 0) {
			next(ps);
			return value_str(V_NAME, "Ellipsis", 8);
		}
		return parse_error(ps, t, "unexpected '%s'", t->text);
	case T_NAME:
		if (strcmp(t->text, "lambda") == 0)
			return lambda(ps);
		if (is_keyword(t))
			return parse_error(ps, t, "unexpected keyword '%s'",
			    t->text);
		next(ps);
		if (strcmp(t->text, "None") == 0)
			return value_new(V_NONE, t->line, t->col);
		if (strcmp(t->text, "True") == 0)
			return value_new(V_TRUE, t->line, t->col);
		if (strcmp(t->text, "False") == 0)
			return value_new(V_FALSE, t->line, t->col);
		v = value_str(V_NAME, t->text, t->len);
		v->line = t->line;
		v->col = t->col;
		return v;
	default:
		return parse_error(ps, t, "expected an expression");
	}
}

static struct value *call_args(struct parser *ps, struct value *fn)
{
	struct value *v = value_new(V_CALL, fn->line, fn->col);

	v->fn = fn;
	while (!accept(ps, ")")) {
		const char *kw = NULL;
		struct value *arg;

		if (tok_is(peek(ps), T_OP, "*") && !ps->file)
			goto unpack;
		if (tok_is(peek(ps), T_OP, "*")) {
			if (!(arg = starred(ps)))
				goto fail;
		} else {
			if (tok_is(peek(ps), T_OP, "**")) {
				next(ps);
				kw = "**";	/* expanded by pyeval, or written back */
			} else if (peek(ps)->kind == T_NAME &&
			    tok_is(&ps->tok[ps->pos + 1], T_OP, "=")) {
				kw = next(ps)->text;
				next(ps);
			}
			if (!(arg = parse_expr(ps)))
				goto fail;
		}
		if (tok_is(peek(ps), T_NAME, "for")) {
			if (!ps->file || kw || v->n) {
				value_free(arg);
				parse_error(ps, peek(ps), "a comprehension cannot "
				    "be read statically");
				goto fail;
			}
			if (!(arg = comprehension(ps, arg, "gen", ")")))
				goto fail;
			value_push(v, arg, NULL);
			break;
		}
		value_push(v, arg, kw);
		if (!accept(ps, ",") && expect(ps, ")") < 0)
			goto fail;
		if (tok_is(&ps->tok[ps->pos - 1], T_OP, ")"))
			break;
	}
	return v;
unpack:
	parse_error(ps, peek(ps), "unpacking with * cannot be read statically");
fail:
	value_free(v);
	return NULL;
}

static struct value *trailers(struct parser *ps, struct value *v)
{
	for (;;) {
		struct token *t = peek(ps);

		if (tok_is(t, T_OP, ".")) {
			struct token *n;

			next(ps);
			n = next(ps);
			if (n->kind != T_NAME) {
				value_free(v);
				return parse_error(ps, n, "expected a name after '.'");
			}
			if (v->kind == V_NAME) {
				char *s = xasprintf("%s.%s", v->s, n->text);

				free(v->s);
				v->s = s;
				v->len = strlen(s);
			} else {
				struct value *a = value_new(V_ATTR, v->line, v->col);

				a->fn = v;
				a->s = xstrdup(n->text);
				a->len = n->len;
				v = a;
			}
		} else if (tok_is(t, T_OP, "(")) {
			next(ps);
			if (!(v = call_args(ps, v)))
				return NULL;
		} else if (tok_is(t, T_OP, "[")) {
			struct value *s = value_new(V_SUBSCRIPT, v->line, v->col),
			    *idx;

			next(ps);
			s->fn = v;
			if (!(idx = parse_expr(ps)) || expect(ps, "]") < 0) {
				value_free(idx);
				value_free(s);
				return NULL;
			}
			value_push(s, idx, NULL);
			v = s;
		} else {
			return v;
		}
	}
}

static struct value *unary(struct parser *ps);

static struct value *power(struct parser *ps)
{
	struct value *v = atom(ps), *r;

	if (v)
		v = trailers(ps, v);
	if (v && accept(ps, "**")) {
		if (!(r = unary(ps))) {
			value_free(v);
			return NULL;
		}
		v = binop("**", v, r);
	}
	return v;
}

/* Negative number literals fold into the number, as Python's repr shows. */
static struct value *negate(struct value *v, struct token *t)
{
	struct value *u;

	if ((v->kind == V_INT || v->kind == V_FLOAT) && v->s[0] != '-') {
		char *s = strcmp(v->s, "0") == 0 ? xstrdup("0") :
		    xasprintf("-%s", v->s);

		free(v->s);
		v->s = s;
		v->len = strlen(s);
		v->line = t->line;
		v->col = t->col;
		return v;
	}
	u = value_new(V_UNARY, t->line, t->col);
	u->s = xstrdup("-");
	value_push(u, v, NULL);
	return u;
}

static struct value *unary(struct parser *ps)
{
	struct token *t = peek(ps);
	struct value *v, *u;

	if (!tok_is(t, T_OP, "-") && !tok_is(t, T_OP, "+") &&
	    !tok_is(t, T_OP, "~"))
		return power(ps);
	next(ps);
	if (!(v = unary(ps)))
		return NULL;
	if (t->text[0] == '-')
		return negate(v, t);
	u = value_new(V_UNARY, t->line, t->col);
	u->s = xstrdup(t->text);
	value_push(u, v, NULL);
	return u;
}

/* Binary operators by level, loosest first; each level left-associative. */
static const char *const levels[][7] = {
	{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"},
	{"*", "/", "//", "%", "@"},
};
#define NLEVELS (sizeof levels / sizeof levels[0])

static struct value *level(struct parser *ps, size_t lv)
{
	struct value *v, *r;

	if (lv == NLEVELS)
		return unary(ps);
	if (!(v = level(ps, lv + 1)))
		return NULL;
	for (;;) {
		const char *op = NULL;

		for (int i = 0; levels[lv][i]; i++)
			if (tok_is(peek(ps), T_OP, levels[lv][i]))
				op = levels[lv][i];
		if (!op)
			return v;
		next(ps);
		if (!(r = level(ps, lv + 1))) {
			value_free(v);
			return NULL;
		}
		v = binop(op, v, r);
	}
}

static const char *compare_op(struct parser *ps)
{
	static const char *const ops[] = {"==", "!=", "<", ">", "<=", ">=", NULL};
	struct token *t = peek(ps);

	for (int i = 0; ops[i]; i++)
		if (tok_is(t, T_OP, ops[i])) {
			next(ps);
			return ops[i];
		}
	if (accept_name(ps, "in"))
		return "in";
	if (tok_is(t, T_NAME, "not") && tok_is(&ps->tok[ps->pos + 1],
	    T_NAME, "in")) {
		next(ps);
		next(ps);
		return "not in";
	}
	if (accept_name(ps, "is"))
		return accept_name(ps, "not") ? "is not" : "is";
	return NULL;
}

static struct value *comparison(struct parser *ps)
{
	struct value *v = level(ps, 0), *r;
	const char *op;

	while (v && (op = compare_op(ps))) {
		if (!(r = level(ps, 0))) {
			value_free(v);
			return NULL;
		}
		v = binop(op, v, r);
	}
	return v;
}

static struct value *not_test(struct parser *ps)
{
	struct token *t = peek(ps);
	struct value *v, *u;

	if (!accept_name(ps, "not"))
		return comparison(ps);
	if (!(v = not_test(ps)))
		return NULL;
	u = value_new(V_UNARY, t->line, t->col);
	u->s = xstrdup("not");
	value_push(u, v, NULL);
	return u;
}

static struct value *bool_op(struct parser *ps, const char *op)
{
	struct value *v, *r;
	int is_or = strcmp(op, "or") == 0;

	v = is_or ? bool_op(ps, "and") : not_test(ps);
	while (v && accept_name(ps, op)) {
		if (!(r = is_or ? bool_op(ps, "and") : not_test(ps))) {
			value_free(v);
			return NULL;
		}
		v = binop(op, v, r);
	}
	return v;
}

/* Does t end an operand: what may follow a whole expression in the
 * stream's values and calls?  Then an operand that starts with none of
 * the unary operators is the whole expression. */
static int ends_operand(const struct token *t)
{
	static const char *const ends[] = { ",", ")", "]", "}", ":", NULL };

	if (t->kind == T_EOF)
		return 1;
	for (int i = 0; t->kind == T_OP && ends[i]; i++)
		if (!strcmp(t->text, ends[i]))
			return 1;
	return 0;
}

/* Most values are a literal, a name or a call, with no operator around
 * them: read as one without descending through the ten levels of
 * precedence; anything else is read again the long way. */
static struct value *plain_operand(struct parser *ps)
{
	const struct token *t = peek(ps);
	size_t at = ps->pos;
	struct value *v;

	if (tok_is(t, T_OP, "-") || tok_is(t, T_OP, "+") ||
	    tok_is(t, T_OP, "~") || tok_is(t, T_NAME, "not") || ps->err)
		return NULL;
	v = power(ps);
	if (!v || ends_operand(peek(ps)))
		return v;	/* NULL: the long way fails there alike */
	value_free(v);
	ps->pos = at;
	return NULL;
}

struct value *parse_expr(struct parser *ps)
{
	int failed = ps->err != NULL;
	struct value *v = plain_operand(ps), *c, *test, *orelse;

	if (v || (!failed && ps->err))
		return v;
	v = bool_op(ps, "or");

	if (!v || !accept_name(ps, "if"))
		return v;
	c = value_new(V_COND, v->line, v->col);
	value_push(c, v, NULL);
	if (!(test = bool_op(ps, "or")) || (value_push(c, test, NULL),
	    !accept_name(ps, "else"))) {
		value_free(c);
		return parse_error(ps, peek(ps), "expected 'else' in a "
		    "conditional expression");
	}
	if (!(orelse = parse_expr(ps))) {
		value_free(c);
		return NULL;
	}
	value_push(c, orelse, NULL);
	return c;
}

struct value *value_parse(const char *s, char **err, long *col)
{
	struct lexer lx = {0};
	struct parser ps = {0};
	struct value *v = NULL;

	*err = NULL;
	*col = 0;
	if (lex(&lx, s, strlen(s), LEX_VALUE) < 0) {
		*err = lx.err;
		*col = lx.err_col;
		lx.err = NULL;
		lex_free(&lx);
		return NULL;
	}
	ps.tok = lx.tok;
	ps.n = lx.n;
	v = parse_expr(&ps);
	if (v && peek(&ps)->kind != T_EOF) {
		value_free(v);
		v = parse_error(&ps, peek(&ps), "unexpected text after the value");
	}
	if (!v) {
		*err = ps.err;
		*col = ps.err_col;
	}
	lex_free(&lx);
	return v;
}
