#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"
#include "base/base.h"

#define MAXDEPTH 200

struct lx_state {
	struct lexer *lx;
	const char *s, *end, *p;
	long line, col;
	enum lex_mode mode;
	int indent[MAXDEPTH];
	int nindent;
	char brackets[MAXDEPTH];
	long bline[MAXDEPTH], bcol[MAXDEPTH];
	int depth;
};

static int lex_error(struct lx_state *st, long line, long col,
    const char *fmt, ...)
{
	va_list ap;
	struct buf b = {0};
	int n;

	if (st->lx->err)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	b.s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b.s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	st->lx->err = b.s;
	st->lx->err_line = line;
	st->lx->err_col = col;
	return -1;
}

static struct token *push(struct lx_state *st, enum tok_kind k, long line,
    long col)
{
	struct lexer *lx = st->lx;
	struct token *t;

	if (lx->n == lx->cap) {
		lx->cap = lx->cap ? lx->cap * 2 : 256;
		lx->tok = xrealloc(lx->tok, lx->cap * sizeof *lx->tok);
	}
	t = &lx->tok[lx->n++];
	memset(t, 0, sizeof *t);
	t->kind = k;
	t->line = line;
	t->col = col;
	return t;
}

/* Advance over one byte, keeping line and column. */
static void adv(struct lx_state *st)
{
	unsigned char c = (unsigned char)*st->p++;

	if (c == '\n' || (c == '\r' && (st->p >= st->end || *st->p != '\n'))) {
		st->line++;
		st->col = 1;
	} else if (c != '\r' && (c & 0xC0) != 0x80) {
		st->col++;
	}
}

static int at_eol(const struct lx_state *st)
{
	return st->p < st->end && (*st->p == '\n' || *st->p == '\r');
}

static void skip_eol(struct lx_state *st)
{
	if (*st->p == '\r' && st->p + 1 < st->end && st->p[1] == '\n')
		adv(st);
	adv(st);
}

static int is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c >= 0x80;
}

static int is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static int last_is_newline(const struct lx_state *st)
{
	const struct lexer *lx = st->lx;

	return lx->n == 0 || lx->tok[lx->n - 1].kind == T_NEWLINE ||
	    lx->tok[lx->n - 1].kind == T_INDENT ||
	    lx->tok[lx->n - 1].kind == T_DEDENT;
}

/* At the start of a logical line in file mode: measure the indentation,
 * skip blank and comment-only lines, emit INDENT/DEDENT. */
static int line_start(struct lx_state *st)
{
	for (;;) {
		int width = 0;

		while (st->p < st->end && (*st->p == ' ' || *st->p == '\t' ||
		    *st->p == '\f')) {
			if (*st->p == '\t')
				width = (width / 8 + 1) * 8;
			else if (*st->p == '\f')
				width = 0;
			else
				width++;
			adv(st);
		}
		if (st->p < st->end && *st->p == '#')
			while (st->p < st->end && !at_eol(st))
				adv(st);
		if (at_eol(st)) {
			skip_eol(st);
			continue;
		}
		if (st->p >= st->end)
			return 0;
		if (width > st->indent[st->nindent - 1]) {
			if (st->nindent == MAXDEPTH)
				return lex_error(st, st->line, st->col,
				    "too deeply nested");
			st->indent[st->nindent++] = width;
			push(st, T_INDENT, st->line, st->col);
		}
		while (width < st->indent[st->nindent - 1]) {
			st->nindent--;
			push(st, T_DEDENT, st->line, st->col);
		}
		if (width != st->indent[st->nindent - 1])
			return lex_error(st, st->line, st->col,
			    "unindent does not match any outer indentation level");
		return 0;
	}
}

static void put_utf8(struct buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		buf_putc(b, (int)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (int)(0xC0 | (cp >> 6)));
		buf_putc(b, (int)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		buf_putc(b, (int)(0xE0 | (cp >> 12)));
		buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3F)));
		buf_putc(b, (int)(0x80 | (cp & 0x3F)));
	} else {
		buf_putc(b, (int)(0xF0 | (cp >> 18)));
		buf_putc(b, (int)(0x80 | ((cp >> 12) & 0x3F)));
		buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3F)));
		buf_putc(b, (int)(0x80 | (cp & 0x3F)));
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read n hex digits at st->p into *v; -1 if there are not n. */
static int read_hex(struct lx_state *st, int n, unsigned long *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		int h = st->p < st->end ? hexval((unsigned char)*st->p) : -1;

		if (h < 0)
			return -1;
		*v = *v * 16 + (unsigned long)h;
		adv(st);
	}
	return 0;
}

/* One escape sequence after a backslash in a non-raw literal. */
static int escape(struct lx_state *st, struct buf *b, int bytes)
{
	long line = st->line, col = st->col - 1;
	char c = *st->p;
	unsigned long v;
	const char *simple = "\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v";

	if (at_eol(st)) {
		skip_eol(st);
		return 0;
	}
	for (const char *q = simple; *q; q += 2)
		if (c == q[0]) {
			buf_putc(b, q[1]);
			adv(st);
			return 0;
		}
	if (c >= '0' && c <= '7') {
		v = 0;
		for (int i = 0; i < 3 && st->p < st->end && *st->p >= '0' &&
		    *st->p <= '7'; i++, adv(st))
			v = v * 8 + (unsigned long)(*st->p - '0');
	} else if (c == 'x' || (!bytes && (c == 'u' || c == 'U'))) {
		adv(st);
		if (read_hex(st, c == 'x' ? 2 : c == 'u' ? 4 : 8, &v) < 0)
			return lex_error(st, line, col,
			    "truncated \\%c escape in string literal", c);
		if (v > 0x10FFFF)
			return lex_error(st, line, col,
			    "\\%c escape out of range", c);
	} else if (c == 'N' && !bytes) {
		return lex_error(st, line, col,
		    "\\N{...} escapes are not supported; write the character");
	} else {
		buf_putc(b, '\\');
		return 0;
	}
	if (bytes)
		buf_putc(b, (int)(v & 0xFF));
	else
		put_utf8(b, v);
	return 0;
}

/* A string literal; st->p is at the opening quote. */
static int string(struct lx_state *st, const char *prefix, size_t plen,
    long line, long col)
{
	int raw = 0, flags = 0;
	char q = *st->p;
	int triple;
	struct buf b = {0};
	struct token *t;

	for (size_t i = 0; i < plen; i++) {
		char c = prefix[i] | 0x20;

		raw |= c == 'r';
		flags |= c == 'b' ? STR_BYTES : c == 'f' ? STR_FSTRING : 0;
	}
	triple = st->end - st->p >= 3 && st->p[1] == q && st->p[2] == q;
	for (int i = 0; i < (triple ? 3 : 1); i++)
		adv(st);
	buf_putn(&b, "", 0);
	for (;;) {
		if (st->p >= st->end || (!triple && at_eol(st) &&
		    st->mode == LEX_FILE)) {
			buf_free(&b);
			return lex_error(st, line, col,
			    "unterminated string literal");
		}
		if (*st->p == q && (!triple || (st->end - st->p >= 3 &&
		    st->p[1] == q && st->p[2] == q))) {
			for (int i = 0; i < (triple ? 3 : 1); i++)
				adv(st);
			break;
		}
		if (*st->p == '\\' && !raw) {
			adv(st);
			if (st->p >= st->end)
				continue;
			if (escape(st, &b, flags & STR_BYTES) < 0) {
				buf_free(&b);
				return -1;
			}
			continue;
		}
		if (*st->p == '\\' && raw && st->p + 1 < st->end) {
			buf_putc(&b, '\\');
			adv(st);
			if (at_eol(st)) {
				buf_putc(&b, '\n');
				skip_eol(st);
				continue;
			}
		}
		if (at_eol(st)) {
			buf_putc(&b, '\n');
			skip_eol(st);
			continue;
		}
		buf_putc(&b, *st->p);
		adv(st);
	}
	t = push(st, T_STRING, line, col);
	t->text = b.s;
	t->len = b.len;
	t->flags = flags;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void number(struct lx_state *st)
{
	const char *start = st->p;
	long line = st->line, col = st->col;
	struct token *t;

	if (*st->p == '0' && st->p + 1 < st->end &&
	    strchr("xXoObB", st->p[1])) {
		adv(st);
		adv(st);
		while (st->p < st->end && (hexval((unsigned char)*st->p) >= 0 ||
		    *st->p == '_'))
			adv(st);
	} else {
		while (st->p < st->end && (is_digit(*st->p) || *st->p == '_' ||
		    *st->p == '.'))
			adv(st);
		if (st->p < st->end && (*st->p == 'e' || *st->p == 'E')) {
			adv(st);
			if (st->p < st->end && (*st->p == '+' || *st->p == '-'))
				adv(st);
			while (st->p < st->end && (is_digit(*st->p) ||
			    *st->p == '_'))
				adv(st);
		}
		if (st->p < st->end && (*st->p == 'j' || *st->p == 'J'))
			adv(st);
	}
	t = push(st, T_NUMBER, line, col);
	t->text = xstrndup(start, (size_t)(st->p - start));
	t->len = (size_t)(st->p - start);
}

static int open_bracket(struct lx_state *st, char c, long line, long col)
{
	if (st->depth == MAXDEPTH)
		return lex_error(st, line, col, "brackets nested too deeply");
	st->brackets[st->depth] = c;
	st->bline[st->depth] = line;
	st->bcol[st->depth] = col;
	st->depth++;
	return 0;
}

static int close_bracket(struct lx_state *st, char c, long line, long col)
{
	char want = c == ')' ? '(' : c == ']' ? '[' : '{';

	if (st->depth == 0)
		return lex_error(st, line, col, "unmatched '%c'", c);
	if (st->brackets[st->depth - 1] != want)
		return lex_error(st, line, col,
		    "closing '%c' does not match '%c' opened at line %ld", c,
		    st->brackets[st->depth - 1], st->bline[st->depth - 1]);
	st->depth--;
	return 0;
}

static int op(struct lx_state *st)
{
	static const char *const ops[] = {
		"**=", "//=", ">>=", "<<=", "...",
		"**", "//", "<<", ">>", "<=", ">=", "==", "!=", "->", ":=",
		"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
		NULL
	};
	long line = st->line, col = st->col;
	size_t n = 1;
	struct token *t;
	char c = *st->p;

	for (int i = 0; ops[i]; i++) {
		size_t l = strlen(ops[i]);

		if ((size_t)(st->end - st->p) >= l &&
		    memcmp(st->p, ops[i], l) == 0) {
			n = l;
			break;
		}
	}
	if (n == 1 && !strchr("()[]{}:,;.+-*/%&|^~<>=@!", c))
		return lex_error(st, line, col, "unexpected character '%c'", c);
	if (n == 1 && strchr("([{", c) && open_bracket(st, c, line, col) < 0)
		return -1;
	if (n == 1 && strchr(")]}", c) && close_bracket(st, c, line, col) < 0)
		return -1;
	t = push(st, T_OP, line, col);
	t->text = xstrndup(st->p, n);
	t->len = n;
	for (size_t i = 0; i < n; i++)
		adv(st);
	return 0;
}

/* A name, or a string prefix followed by its literal. */
static int name(struct lx_state *st)
{
	const char *start = st->p;
	long line = st->line, col = st->col;
	size_t n;
	struct token *t;

	while (st->p < st->end && is_name_char((unsigned char)*st->p))
		adv(st);
	n = (size_t)(st->p - start);
	if (n <= 2 && st->p < st->end && (*st->p == '\'' || *st->p == '"')) {
		char lower[3] = {0};

		for (size_t i = 0; i < n; i++)
			lower[i] = start[i] | 0x20;
		if (strspn(lower, "rubf") == n && !(strchr(lower, 'u') && n > 1))
			return string(st, start, n, line, col);
	}
	t = push(st, T_NAME, line, col);
	t->text = xstrndup(start, n);
	t->len = n;
	return 0;
}

/* One token (or none, for white space) at st->p. */
static int step(struct lx_state *st)
{
	char c = *st->p;

	if (c == ' ' || c == '\t' || c == '\f') {
		adv(st);
		return 0;
	}
	if (c == '#') {
		while (st->p < st->end && !at_eol(st))
			adv(st);
		return 0;
	}
	if (c == '\\') {
		adv(st);
		if (!at_eol(st))
			return lex_error(st, st->line, st->col - 1,
			    "unexpected character after line continuation");
		skip_eol(st);
		return 0;
	}
	if (c == '\n' || c == '\r') {
		long line = st->line, col = st->col;

		skip_eol(st);
		if (st->mode == LEX_VALUE || st->depth > 0)
			return 0;
		if (!last_is_newline(st))
			push(st, T_NEWLINE, line, col);
		return line_start(st);
	}
	if (c == '\'' || c == '"')
		return string(st, "", 0, st->line, st->col);
	if (is_digit(c) || (c == '.' && st->p + 1 < st->end &&
	    is_digit(st->p[1]))) {
		number(st);
		return 0;
	}
	if (is_name_start((unsigned char)c))
		return name(st);
	return op(st);
}

int lex(struct lexer *lx, const char *src, size_t len, enum lex_mode mode)
{
	struct lx_state *st = xcalloc(1, sizeof *st);
	int rc = 0;

	st->lx = lx;
	st->s = st->p = src;
	st->end = src + len;
	st->line = st->col = 1;
	st->mode = mode;
	st->indent[0] = 0;
	st->nindent = 1;
	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
		st->p += 3;
	if (mode == LEX_FILE)
		rc = line_start(st);
	while (rc == 0 && st->p < st->end)
		rc = step(st);
	if (rc == 0 && st->depth > 0)
		rc = lex_error(st, st->bline[st->depth - 1],
		    st->bcol[st->depth - 1], "'%c' is never closed",
		    st->brackets[st->depth - 1]);
	if (rc == 0 && mode == LEX_FILE) {
		if (!last_is_newline(st))
			push(st, T_NEWLINE, st->line, st->col);
		while (st->nindent-- > 1)
			push(st, T_DEDENT, st->line, st->col);
	}
	push(st, T_EOF, st->line, st->col);
	free(st);
	return rc;
}

void lex_free(struct lexer *lx)
{
	for (size_t i = 0; i < lx->n; i++)
		free(lx->tok[i].text);
	free(lx->tok);
	free(lx->err);
	memset(lx, 0, sizeof *lx);
}

static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t need;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		need = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 4, cp = c & 0x07;
	else
		return 0;
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return need;
}

size_t utf8_check(const char *s, size_t len, long *line, long *col)
{
	const unsigned char *u = (const unsigned char *)s;

	*line = 1;
	*col = 1;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_len(u + i, len - i);

		if (n == 0)
			return i + 1;
		if (u[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
		i += n;
	}
	return 0;
}
