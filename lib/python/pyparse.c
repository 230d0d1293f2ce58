#include <stdlib.h>
#include <string.h>

#include "pyint.h"
#include "python.h"

struct ctx {
	struct parser ps;
	struct scope module, klass;
	struct scope *cur;
	int found;		/* class Migration seen */
	int decorated;		/* the def that follows has decorators */
	struct evalerr err;	/* the first hard error */
};

static struct token *peek(struct ctx *c)
{
	return &c->ps.tok[c->ps.pos];
}

static struct token *next(struct ctx *c)
{
	struct token *t = peek(c);

	if (c->ps.pos < c->ps.n - 1)
		c->ps.pos++;
	return t;
}

static int is_op(struct ctx *c, const char *op)
{
	return tok_is(peek(c), T_OP, op);
}

static int is_kw(struct ctx *c, const char *kw)
{
	return tok_is(peek(c), T_NAME, kw);
}

static int hard_error(struct ctx *c, const struct token *t, const char *msg,
    const char *arg)
{
	if (!c->err.msg) {
		c->err.msg = xasprintf(msg, arg);
		c->err.line = t->line;
		c->err.col = t->col;
	}
	return -1;
}

/* Skip to the end of a simple statement (NEWLINE or ';'). */
static void skip_simple(struct ctx *c)
{
	while (peek(c)->kind != T_NEWLINE && peek(c)->kind != T_EOF &&
	    !is_op(c, ";"))
		next(c);
}

static int end_simple(struct ctx *c)
{
	if (is_op(c, ";")) {
		next(c);
		return 0;
	}
	if (peek(c)->kind == T_NEWLINE) {
		next(c);
		return 0;
	}
	if (peek(c)->kind == T_EOF)
		return 0;
	return hard_error(c, peek(c), "invalid syntax: unexpected %s",
	    peek(c)->kind == T_NAME ? peek(c)->text : "token");
}

/* Names assigned in a block that is not executed cannot be read. */
static void mark_assigned(struct ctx *c, size_t from, size_t to,
    const char *why)
{
	for (size_t i = from; i + 1 < to; i++) {
		struct token *t = &c->ps.tok[i], *prev = i ? &c->ps.tok[i - 1] :
		    NULL;
		struct token *n = &c->ps.tok[i + 1];

		if (t->kind != T_NAME || (prev && prev->kind != T_NEWLINE &&
		    prev->kind != T_INDENT && prev->kind != T_DEDENT &&
		    !tok_is(prev, T_OP, ":")))
			continue;
		if (tok_is(n, T_OP, "=") || tok_is(n, T_OP, "+="))
			scope_bind(c->cur, t->text, B_ERROR, why, NULL, t->line,
			    t->col);
	}
}

/* Skip a suite (after its ':'); mark names it assigns when why is set. */
static void skip_suite(struct ctx *c, const char *why)
{
	size_t start = c->ps.pos;
	int depth = 0;

	if (peek(c)->kind != T_NEWLINE) {
		skip_simple(c);
		while (is_op(c, ";")) {
			next(c);
			skip_simple(c);
		}
		if (peek(c)->kind == T_NEWLINE)
			next(c);
	} else {
		next(c);
		do {
			struct token *t = next(c);

			if (t->kind == T_INDENT)
				depth++;
			else if (t->kind == T_DEDENT)
				depth--;
		} while (depth > 0 && peek(c)->kind != T_EOF);
	}
	if (why)
		mark_assigned(c, start, c->ps.pos, why);
}

/* Skip a compound statement's header up to and including its ':'. */
static int skip_header(struct ctx *c)
{
	int depth = 0;

	while (peek(c)->kind != T_EOF && peek(c)->kind != T_NEWLINE) {
		struct token *t = next(c);

		if (t->kind == T_OP && strchr("([{", t->text[0]))
			depth++;
		else if (t->kind == T_OP && strchr(")]}", t->text[0]))
			depth--;
		else if (depth == 0 && tok_is(t, T_OP, ":"))
			return 0;
	}
	return hard_error(c, peek(c), "invalid syntax: expected ':'%s", "");
}

/* --- imports ------------------------------------------------------------ */

static char *dotted(struct ctx *c)
{
	struct buf b = {0};

	buf_putn(&b, "", 0);
	while (peek(c)->kind == T_NAME && !is_kw(c, "import")) {
		buf_puts(&b, next(c)->text);
		if (!is_op(c, "."))
			break;
		next(c);
		buf_putc(&b, '.');
	}
	return b.s;
}

static int import_stmt(struct ctx *c)
{
	next(c);
	do {
		struct token *t = peek(c);
		char *mod = dotted(c);

		if (!*mod) {
			free(mod);
			return hard_error(c, t, "invalid syntax in import%s", "");
		}
		if (is_kw(c, "as")) {
			next(c);
			scope_bind(c->cur, next(c)->text, B_MODULE, mod, NULL,
			    t->line, t->col);
		} else {
			char *head = xstrndup(mod, strcspn(mod, "."));

			scope_bind(c->cur, head, B_MODULE, head, NULL, t->line,
			    t->col);
			free(head);
		}
		free(mod);
	} while (is_op(c, ",") && next(c));
	return end_simple(c);
}

/* The module a relative import names: level 1 is the migrations package. */
static char *relative(struct ctx *c, int level, const char *mod)
{
	const char *pkg = c->module.package;
	char *base;

	if (level == 1)
		base = xstrdup(pkg);
	else if (level == 2)
		base = xstrndup(pkg, strcspn(pkg, "."));
	else
		base = xstrdup("");
	if (*mod) {
		char *full = *base ? xasprintf("%s.%s", base, mod) : xstrdup(mod);

		free(base);
		return full;
	}
	return base;
}

static int from_names(struct ctx *c, const char *mod)
{
	int paren = is_op(c, "(");

	if (paren)
		next(c);
	while (peek(c)->kind == T_NAME) {
		struct token *t = next(c);
		const char *as = t->text;
		char *full = *mod ? xasprintf("%s.%s", mod, t->text) :
		    xstrdup(t->text);

		if (is_kw(c, "as")) {
			next(c);
			as = next(c)->text;
		}
		if (strcmp(mod, "__future__"))
			scope_bind(c->cur, as, B_MODULE, full, NULL, t->line,
			    t->col);
		free(full);
		if (!is_op(c, ","))
			break;
		next(c);
	}
	if (is_op(c, "*")) {
		next(c);	/* names it brings are reported as undefined */
	}
	if (paren && !is_op(c, ")"))
		return hard_error(c, peek(c), "invalid syntax in import%s", "");
	if (paren)
		next(c);
	return end_simple(c);
}

static int from_stmt(struct ctx *c)
{
	int level = 0, rc;
	char *mod, *full;

	next(c);
	while (is_op(c, ".") || is_op(c, "..."))
		level += (int)strlen(next(c)->text);
	mod = dotted(c);
	if (!is_kw(c, "import")) {
		free(mod);
		return hard_error(c, peek(c), "invalid syntax: expected "
		    "'import'%s", "");
	}
	next(c);
	full = level ? relative(c, level, mod) : xstrdup(mod);
	rc = from_names(c, full);
	free(mod);
	free(full);
	return rc;
}

/* --- expressions in statements ------------------------------------------ */

static struct value *expr(struct ctx *c)
{
	return parse_expr(&c->ps);
}

/* An expression list: "a, b" is a tuple, as on either side of '='. */
static struct value *expr_list(struct ctx *c)
{
	struct value *v = expr(c), *t;

	if (!v || !is_op(c, ","))
		return v;
	t = value_new(V_TUPLE, v->line, v->col);
	value_push(t, v, NULL);
	while (is_op(c, ",")) {
		next(c);
		if (peek(c)->kind == T_NEWLINE || is_op(c, "=") || is_op(c, ";"))
			break;
		if (!(v = expr(c))) {
			value_free(t);
			return NULL;
		}
		value_push(t, v, NULL);
	}
	return t;
}

/* Bind name to what raw evaluates to, or to the reason it cannot be. */
static void bind_value(struct ctx *c, const char *name, struct value *v,
    struct evalerr *e, const struct token *at)
{
	if (v) {
		scope_bind(c->cur, name, B_VALUE, NULL, v, at->line, at->col);
		return;
	}
	scope_bind(c->cur, name, B_ERROR, e->msg, NULL, e->line, e->col);
}

/* A parse error inside an assignment's value only matters if the name
 * is used, so it becomes the name's reason. */
static void bind_parse_error(struct ctx *c, const char *name)
{
	struct evalerr e = { c->ps.err, c->ps.err_line, c->ps.err_col };

	bind_value(c, name, NULL, &e, peek(c));
	free(c->ps.err);
	c->ps.err = NULL;
	skip_simple(c);
}

/* a, b = v: each name gets its item; the items of a value migparse does
 * not know (a project function's result) are that value's [0], [1]...,
 * which a later stage may or may not need to know. */
static void unpack(struct ctx *c, const struct value *target,
    const struct value *v, struct evalerr *e, const struct token *at)
{
	int seq = v && (v->kind == V_TUPLE || v->kind == V_LIST);

	for (size_t j = 0; j < target->n; j++) {
		const struct value *t = target->items[j];
		struct value *item = NULL;
		struct evalerr why = { e->msg, e->line, e->col };

		if (v && seq && v->n != target->n)
			why.msg = "the number of values is not the number of names";
		else if (v && !seq && is_literal(v))
			why.msg = "this value cannot be unpacked";
		else if (v && seq)
			item = value_copy(v->items[j]);
		else if (v) {
			item = value_new(V_SUBSCRIPT, v->line, v->col);
			item->fn = value_copy(v);
			value_push(item, value_new(V_INT, v->line, v->col), NULL);
			item->items[0]->s = xasprintf("%zu", j);
			item->items[0]->len = strlen(item->items[0]->s);
		}
		if (t->kind == V_TUPLE || t->kind == V_LIST) {
			unpack(c, t, item, &why, at);
			value_free(item);
		} else if (t->kind == V_NAME && !strchr(t->s, '.')) {
			if (!item)
				why.line = at->line, why.col = at->col;
			bind_value(c, t->s, item, &why, at);
		} else {
			value_free(item);
		}
	}
}

static int assign(struct ctx *c, struct value *target)
{
	struct value **targets = NULL, *v, *raw = target;
	size_t n = 0;
	struct evalerr e = {0};
	struct token *at;

	while (is_op(c, "=")) {
		next(c);
		targets = xrealloc(targets, (n + 1) * sizeof *targets);
		targets[n++] = raw;
		at = peek(c);
		if (!(raw = expr_list(c))) {
			for (size_t i = 0; i < n; i++) {
				if (targets[i]->kind == V_NAME)
					bind_parse_error(c, targets[i]->s);
				value_free(targets[i]);
			}
			free(targets);
			free(c->ps.err);
			c->ps.err = NULL;
			skip_simple(c);
			return end_simple(c);
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (targets[i]->kind == V_NAME && !strchr(targets[i]->s, '.')) {
			v = eval(c->cur, raw, &e);
			bind_value(c, targets[i]->s, v, &e, at);
			free(e.msg);
			e.msg = NULL;
		} else if (targets[i]->kind == V_TUPLE ||
		    targets[i]->kind == V_LIST) {
			v = eval(c->cur, raw, &e);
			unpack(c, targets[i], v, &e, at);
			value_free(v);
			free(e.msg);
			e.msg = NULL;
		}
		value_free(targets[i]);
	}
	free(targets);
	value_free(raw);
	return end_simple(c);
}

static int aug_assign(struct ctx *c, struct value *target)
{
	struct token *op = next(c), *at = peek(c);
	struct value *rhs, *both, *v;
	struct evalerr e = {0};

	if (target->kind != V_NAME || strchr(target->s, '.') ||
	    strcmp(op->text, "+=")) {
		skip_simple(c);
		value_free(target);
		return end_simple(c);
	}
	if (!(rhs = expr(c))) {
		bind_parse_error(c, target->s);
		value_free(target);
		return end_simple(c);
	}
	both = value_new(V_BINOP, at->line, at->col);
	both->s = xstrdup("+");
	value_push(both, target, NULL);
	value_push(both, rhs, NULL);
	v = eval(c->cur, both, &e);
	bind_value(c, target->s, v, &e, at);
	free(e.msg);
	value_free(both);
	return end_simple(c);
}

/* NAME.append(x) / .extend(xs) / .insert(i, x) on a list constant. */
static void mutate(struct ctx *c, const struct value *raw)
{
	const char *dot;
	char *name;
	const struct binding *b;
	struct value *list, *arg;
	struct evalerr e = {0};

	if (raw->kind != V_CALL || raw->fn->kind != V_NAME ||
	    !(dot = strrchr(raw->fn->s, '.')))
		return;
	name = xstrndup(raw->fn->s, (size_t)(dot - raw->fn->s));
	b = scope_lookup(c->cur, name);
	if (b && b->kind == B_VALUE && b->v->kind == V_LIST &&
	    raw->n == (strcmp(dot, ".insert") ? 1u : 2u) &&
	    (arg = eval(c->cur, raw->items[raw->n - 1], &e))) {
		list = value_copy(b->v);
		if (strcmp(dot, ".extend") == 0 && (arg->kind == V_LIST ||
		    arg->kind == V_TUPLE)) {
			for (size_t i = 0; i < arg->n; i++)
				value_push(list, value_copy(arg->items[i]), NULL);
			value_free(arg);
		} else if (strcmp(dot, ".append") == 0) {
			value_push(list, arg, NULL);
		} else {
			value_free(arg);
			scope_bind(c->cur, name, B_ERROR, "changed by a method "
			    "call that is not read", NULL, raw->line, raw->col);
			value_free(list);
			list = NULL;
		}
		if (list)
			scope_bind(c->cur, name, B_VALUE, NULL, list, raw->line,
			    raw->col);
	}
	free(e.msg);
	free(name);
}

static int expr_stmt(struct ctx *c)
{
	struct value *v = expr_list(c);

	if (!v) {
		free(c->ps.err);
		c->ps.err = NULL;
		skip_simple(c);
		return end_simple(c);
	}
	if (is_op(c, "="))
		return assign(c, v);
	if (is_op(c, ":") && v->kind == V_NAME) {	/* NAME: T = value */
		struct value *ann;

		next(c);
		if ((ann = expr(c)))
			value_free(ann);
		if (is_op(c, "="))
			return assign(c, v);
		value_free(v);
		skip_simple(c);
		return end_simple(c);
	}
	if (peek(c)->kind == T_OP && strlen(peek(c)->text) >= 2 &&
	    peek(c)->text[strlen(peek(c)->text) - 1] == '=' &&
	    strcmp(peek(c)->text, "==") && strcmp(peek(c)->text, "!=") &&
	    strcmp(peek(c)->text, "<=") && strcmp(peek(c)->text, ">="))
		return aug_assign(c, v);
	mutate(c, v);
	value_free(v);
	return end_simple(c);
}

/* --- compound statements -------------------------------------------------- */

static int statements(struct ctx *c, int until_dedent);

static int suite(struct ctx *c)
{
	if (peek(c)->kind != T_NEWLINE) {
		if (statements(c, -1) < 0)
			return -1;
		return 0;
	}
	next(c);
	if (peek(c)->kind != T_INDENT)
		return hard_error(c, peek(c), "expected an indented block%s", "");
	next(c);
	return statements(c, 1);
}

/* 1 true, 0 false, -1 cannot tell (*why says what it depends on). */
static int condition(struct ctx *c, const struct value *raw, char **why)
{
	struct evalerr e = {0};
	struct value *v = eval(c->cur, raw, &e);
	int r = v ? truth(v) : -1;

	if (!v)
		*why = e.msg;
	else if (r < 0)
		*why = define_hint(unknown_part(v));
	value_free(v);
	return r;
}

static int if_stmt(struct ctx *c)
{
	int taken = 0;
	long unknown = 0;	/* line of an undecidable condition */
	char *reason = NULL;	/* and what it depends on */

	for (;;) {
		struct token *kw = next(c);	/* if, elif or else */
		int truth = 1;
		struct value *test = NULL;
		char *r = NULL;

		if (strcmp(kw->text, "else")) {
			if (!(test = expr(c))) {
				free(reason);
				return hard_error(c, kw, "invalid condition%s", "");
			}
			truth = taken || unknown ? 1 : condition(c, test, &r);
			value_free(test);
		}
		if (!is_op(c, ":")) {
			free(r);
			free(reason);
			return hard_error(c, peek(c), "expected ':'%s", "");
		}
		next(c);
		if (!taken && !unknown && truth < 0) {
			unknown = kw->line;
			reason = r;
			r = NULL;
		}
		free(r);
		if (!taken && unknown) {
			/* this branch, and every one after, may or may not run */
			char *why = xasprintf("assigned under the condition "
			    "at line %ld, which migparse cannot decide: %s",
			    unknown, reason);

			skip_suite(c, why);
			free(why);
		} else if (taken || truth == 0) {
			skip_suite(c, NULL);
		} else if (suite(c) < 0) {
			free(reason);
			return -1;
		}
		taken |= truth > 0 && !unknown;
		if (!is_kw(c, "elif") && !is_kw(c, "else")) {
			free(reason);
			return 0;
		}
	}
}

static int try_stmt(struct ctx *c)
{
	next(c);
	if (skip_header(c) < 0 || suite(c) < 0)
		return -1;
	while (is_kw(c, "except") || is_kw(c, "else") || is_kw(c, "finally")) {
		int run = !is_kw(c, "except");

		next(c);
		if (skip_header(c) < 0)
			return -1;
		if (run && suite(c) < 0)
			return -1;
		if (!run)
			skip_suite(c, NULL);
	}
	return 0;
}

static int class_stmt(struct ctx *c)
{
	struct token *name;
	struct scope *outer = c->cur;
	int rc;

	next(c);
	name = next(c);
	if (name->kind != T_NAME)
		return hard_error(c, name, "invalid syntax: class name%s", "");
	if (skip_header(c) < 0)
		return -1;
	if (strcmp(name->text, "Migration") || c->cur != &c->module) {
		scope_bind(c->cur, name->text, B_CLASS, NULL, NULL, name->line,
		    name->col);
		skip_suite(c, NULL);
		return 0;
	}
	scope_free(&c->klass);
	c->found = 1;
	c->cur = &c->klass;
	rc = suite(c);
	c->cur = outer;
	scope_bind(c->cur, name->text, B_CLASS, NULL, NULL, name->line,
	    name->col);
	return rc;
}

/* One parameter of a def: NAME[: annotation][= default], a bare '*' or
 * '/'.  Returns 0, or -1 with f->why set (the caller skips the header). */
static int param(struct ctx *c, struct pyfunc *f)
{
	struct value *ann, *raw, *v;
	struct evalerr e = {0};
	struct token *name;

	if (is_op(c, "/")) {
		next(c);
		return 0;
	}
	if (is_op(c, "*") && (tok_is(&c->ps.tok[c->ps.pos + 1], T_OP, ",") ||
	    tok_is(&c->ps.tok[c->ps.pos + 1], T_OP, ")"))) {
		next(c);
		f->kwonly = f->nparams;
		return 0;
	}
	if (peek(c)->kind != T_NAME) {
		f->why = xstrdup("it takes *args or **kwargs");
		return -1;
	}
	name = next(c);
	if (is_op(c, ":")) {
		next(c);
		if (!(ann = expr(c)))
			return -1;
		value_free(ann);
	}
	v = NULL;
	if (is_op(c, "=")) {
		next(c);
		if (!(raw = expr(c)))
			return -1;
		if (!(v = eval(c->cur, raw, &e))) {
			f->why = xasprintf("the default of '%s' cannot be read: %s",
			    name->text, e.msg);
			free(e.msg);
			value_free(raw);
			return -1;
		}
		value_free(raw);
	}
	f->params = xrealloc(f->params, (f->nparams + 1) * sizeof *f->params);
	f->defaults = xrealloc(f->defaults, (f->nparams + 1) *
	    sizeof *f->defaults);
	f->params[f->nparams] = xstrdup(name->text);
	f->defaults[f->nparams++] = v;
	return 0;
}

/* (params) [-> annotation] : */
static int def_header(struct ctx *c, struct pyfunc *f)
{
	struct value *ann;

	if (!is_op(c, "("))
		return -1;
	next(c);
	f->kwonly = (size_t)-1;
	while (!is_op(c, ")")) {
		if (param(c, f) < 0)
			return -1;
		if (!is_op(c, ","))
			break;
		next(c);
	}
	if (f->kwonly == (size_t)-1)
		f->kwonly = f->nparams;
	if (!is_op(c, ")"))
		return -1;
	next(c);
	if (is_op(c, "->")) {
		next(c);
		if (!(ann = expr(c)))
			return -1;
		value_free(ann);
	}
	if (!is_op(c, ":"))
		return -1;
	next(c);
	return 0;
}

static int def_stmt(struct ctx *c)
{
	struct token *name;
	struct pyfunc *f = xcalloc(1, sizeof *f);
	size_t head;

	if (is_kw(c, "async")) {
		next(c);
		f->why = xstrdup("it is async");
	}
	next(c);
	name = next(c);
	if (name->kind != T_NAME) {
		pyfunc_free(f);
		return hard_error(c, name, "invalid syntax: function name%s", "");
	}
	if (c->decorated && !f->why)
		f->why = xstrdup("it has decorators");
	c->decorated = 0;
	head = c->ps.pos;
	if (!f->why && def_header(c, f) == 0) {
		f->tok = c->ps.tok;
		f->ntok = c->ps.n;
		f->body = c->ps.pos;
		skip_suite(c, NULL);
	} else {
		if (!f->why)
			f->why = xstrdup("its parameters cannot be read");
		c->ps.pos = head;
		if (skip_header(c) < 0) {
			pyfunc_free(f);
			return -1;
		}
		skip_suite(c, NULL);
	}
	free(c->ps.err);
	c->ps.err = NULL;
	scope_bind_function(c->cur, name->text, f, name->line, name->col);
	return 0;
}

static int loop_stmt(struct ctx *c)
{
	const char *why = "assigned in a loop or with block, which is not read";

	next(c);
	if (skip_header(c) < 0)
		return -1;
	skip_suite(c, why);
	while (is_kw(c, "else")) {
		next(c);
		if (skip_header(c) < 0)
			return -1;
		skip_suite(c, why);
	}
	return 0;
}

static int statement(struct ctx *c)
{
	static const char *const skipped[] = {
		"pass", "break", "continue", "return", "raise", "global",
		"nonlocal", "del", "assert", "yield", NULL
	};
	struct token *t = peek(c);

	if (t->kind == T_INDENT)
		return hard_error(c, t, "unexpected indent%s", "");
	if (t->kind == T_NEWLINE) {
		next(c);
		return 0;
	}
	if (tok_is(t, T_OP, "@")) {
		c->decorated = 1;
		skip_simple(c);
		return end_simple(c);
	}
	if (t->kind == T_NAME) {
		if (strcmp(t->text, "import") == 0)
			return import_stmt(c);
		if (strcmp(t->text, "from") == 0)
			return from_stmt(c);
		if (strcmp(t->text, "def") == 0 || strcmp(t->text, "async") == 0)
			return def_stmt(c);
		if (strcmp(t->text, "class") == 0)
			return class_stmt(c);
		if (strcmp(t->text, "if") == 0)
			return if_stmt(c);
		if (strcmp(t->text, "try") == 0)
			return try_stmt(c);
		if (!strcmp(t->text, "for") || !strcmp(t->text, "while") ||
		    !strcmp(t->text, "with"))
			return loop_stmt(c);
		for (int i = 0; skipped[i]; i++)
			if (strcmp(t->text, skipped[i]) == 0) {
				skip_simple(c);
				return end_simple(c);
			}
	}
	return expr_stmt(c);
}

/* until: 0 the whole file, 1 up to the block's DEDENT, -1 one line. */
static int statements(struct ctx *c, int until)
{
	size_t line = (size_t)peek(c)->line;

	while (peek(c)->kind != T_EOF) {
		if (until == 1 && peek(c)->kind == T_DEDENT) {
			next(c);
			return 0;
		}
		if (until == -1 && (size_t)peek(c)->line != line)
			return 0;
		if (statement(c) < 0)
			return -1;
		if (until == -1 && c->ps.pos > 0 &&
		    c->ps.tok[c->ps.pos - 1].kind == T_NEWLINE)
			return 0;
	}
	return 0;
}

/* --- running a def's body ------------------------------------------------
 *
 * A def of the file is run when the file calls it, over its tokens, with
 * its arguments bound: NAME = EXPR, if/elif/else (on conditions migparse
 * decides), return, pass and docstrings; any other statement makes the
 * call an error. */

struct run {
	struct ctx c;
	struct value *ret;
	struct evalerr *err;
};

static int run_suite(struct run *r);

static int run_fail(struct run *r, const struct token *t, const char *fmt,
    const char *arg)
{
	if (!r->err->msg) {
		if (r->c.ps.err) {
			r->err->msg = r->c.ps.err;
			r->err->line = r->c.ps.err_line;
			r->err->col = r->c.ps.err_col;
			r->c.ps.err = NULL;
		} else {
			r->err->msg = xasprintf(fmt, arg);
			r->err->line = t->line;
			r->err->col = t->col;
		}
	}
	return -1;
}

static int run_if(struct run *r)
{
	struct ctx *c = &r->c;
	int taken = 0, rc;

	for (;;) {
		struct token *kw = next(c);
		struct value *test, *v;
		int t = 1;

		if (strcmp(kw->text, "else")) {
			if (!(test = expr(c)))
				return run_fail(r, kw, "invalid condition%s", "");
			v = taken ? NULL : eval(c->cur, test, r->err);
			value_free(test);
			if (!taken && !v)
				return -1;
			if (!taken && (t = truth(v)) < 0) {
				char *hint = define_hint(unknown_part(v));

				run_fail(r, kw, "the condition of this if cannot be "
				    "decided statically: %s", hint);
				free(hint);
			}
			value_free(v);
			if (t < 0)
				return -1;
		}
		if (!is_op(c, ":"))
			return run_fail(r, peek(c), "expected ':'%s", "");
		next(c);
		if (!taken && t) {
			if ((rc = run_suite(r)) != 0)
				return rc;
			taken = 1;
		} else {
			skip_suite(c, NULL);
		}
		if (!is_kw(c, "elif") && !is_kw(c, "else"))
			return 0;
	}
}

/* One statement: 0 on, 1 returned, -1 error. */
static int run_stmt(struct run *r)
{
	struct ctx *c = &r->c;
	struct token *t = peek(c);
	struct value *raw = NULL, *v;

	if (tok_is(t, T_NAME, "if"))
		return run_if(r);
	if (tok_is(t, T_NAME, "return")) {
		next(c);
		if (peek(c)->kind == T_NEWLINE || is_op(c, ";")) {
			r->ret = value_new(V_NONE, t->line, t->col);
			return 1;
		}
		if (!(raw = expr_list(c)))
			return run_fail(r, t, "%s", "");
		r->ret = eval(c->cur, raw, r->err);
		value_free(raw);
		return r->ret ? 1 : -1;
	}
	if (tok_is(t, T_NAME, "pass")) {
		next(c);
	} else if (t->kind == T_STRING) {
		if (!(raw = expr(c)))
			return run_fail(r, t, "%s", "");
	} else if (t->kind == T_NAME && tok_is(&c->ps.tok[c->ps.pos + 1],
	    T_OP, "=")) {
		next(c);
		next(c);
		if (!(raw = expr_list(c)))
			return run_fail(r, t, "%s", "");
		if (!(v = eval(c->cur, raw, r->err))) {
			value_free(raw);
			return -1;
		}
		scope_bind(c->cur, t->text, B_VALUE, NULL, v, t->line, t->col);
	} else {
		return run_fail(r, t, "this statement of a function is not read "
		    "(only NAME = EXPR, if and return are)%s", "");
	}
	value_free(raw);
	if (is_op(c, ";"))
		next(c);
	else if (peek(c)->kind == T_NEWLINE)
		next(c);
	else if (peek(c)->kind != T_EOF && peek(c)->kind != T_DEDENT)
		return run_fail(r, peek(c), "invalid syntax%s", "");
	return 0;
}

/* A suite, from just after its ':'. */
static int run_suite(struct run *r)
{
	struct ctx *c = &r->c;
	long line = peek(c)->line;
	int rc;

	if (peek(c)->kind != T_NEWLINE) {
		while (peek(c)->line == line && peek(c)->kind != T_EOF &&
		    peek(c)->kind != T_NEWLINE)
			if ((rc = run_stmt(r)) != 0)
				return rc;
		return 0;
	}
	next(c);
	if (peek(c)->kind != T_INDENT)
		return run_fail(r, peek(c), "expected an indented block%s", "");
	next(c);
	while (peek(c)->kind != T_DEDENT && peek(c)->kind != T_EOF) {
		if (peek(c)->kind == T_NEWLINE) {
			next(c);
			continue;
		}
		if ((rc = run_stmt(r)) != 0)
			return rc;
	}
	next(c);
	return 0;
}

struct value *run_body(const struct pyfunc *f, struct scope *fs,
    struct evalerr *err)
{
	struct run r = { .err = err };
	int rc;

	r.c.ps.tok = f->tok;
	r.c.ps.n = f->ntok;
	r.c.ps.pos = f->body;
	r.c.ps.file = 1;
	r.c.cur = fs;
	rc = run_suite(&r);
	free(r.c.ps.err);
	if (rc < 0) {
		value_free(r.ret);
		return NULL;
	}
	return r.ret ? r.ret : value_new(V_NONE, 0, 0);
}

/* --- the Migration class ------------------------------------------------- */

static const struct binding *attr(struct ctx *c, const char *name)
{
	for (size_t i = 0; i < c->klass.n; i++)
		if (strcmp(c->klass.b[i].name, name) == 0)
			return &c->klass.b[i];
	return NULL;
}

static int attr_error(struct pyerr *err, const struct binding *b,
    const char *fmt, const char *what)
{
	err->msg = xasprintf(fmt, what, b->text ? b->text : "");
	err->line = b->line;
	err->col = b->col;
	return -1;
}

/* The value of a class attribute, or NULL (err set) if unreadable. */
static const struct value *attr_value(struct ctx *c, const char *name,
    struct pyerr *err)
{
	const struct binding *b = attr(c, name);

	if (!b)
		return NULL;
	if (b->kind == B_ERROR)
		return attr_error(err, b, "%s cannot be read statically: %s",
		    name), NULL;
	if (b->kind != B_VALUE)
		return attr_error(err, b, "%s is not a value%s", name), NULL;
	return b->v;
}

static int flag(struct ctx *c, const char *name, int dflt, int *out,
    struct pyerr *err)
{
	const struct value *v = attr_value(c, name, err);

	*out = dflt;
	if (err->msg)
		return -1;
	if (!v)
		return 0;
	if (v->kind == V_TRUE || v->kind == V_FALSE || v->kind == V_NONE) {
		*out = v->kind == V_TRUE;
		return 0;
	}
	err->msg = xasprintf("%s must be True or False", name);
	err->line = v->line;
	err->col = v->col;
	return -1;
}

static int key_error(struct pyerr *err, const struct value *v, const char *what)
{
	err->msg = xasprintf("each of %s must be a pair of strings "
	    "(app label, migration name)", what);
	err->line = v->line;
	err->col = v->col;
	return -1;
}

/* migrations.swappable_dependency(settings.X) or ('app', 'name'). */
static int one_key(const struct value *v, struct migkey **keys, size_t *n,
    int swappable_ok)
{
	if ((v->kind == V_TUPLE || v->kind == V_LIST) && v->n == 2 &&
	    v->items[0]->kind == V_STR && v->items[1]->kind == V_STR) {
		migkey_push(keys, n, v->items[0]->s, v->items[1]->s);
		return 0;
	}
	if (!swappable_ok || v->kind != V_CALL || v->fn->kind != V_NAME ||
	    strcmp(v->fn->s, "swappable_dependency") || v->n != 1)
		return -1;
	v = v->items[0];
	if (v->kind == V_NAME && strncmp(v->s, "settings.", 9) == 0) {
		migkey_push(keys, n, v->s, "__first__");
		return 0;
	}
	if (v->kind == V_STR && strchr(v->s, '.')) {
		char *app = xstrndup(v->s, strcspn(v->s, "."));

		migkey_push(keys, n, app, "__first__");
		free(app);
		return 0;
	}
	return -1;
}

static int keys(struct ctx *c, const char *name, struct migkey **out,
    size_t *n, struct pyerr *err)
{
	const struct value *v = attr_value(c, name, err);

	if (err->msg)
		return -1;
	if (!v)
		return 0;
	if (v->kind != V_LIST && v->kind != V_TUPLE)
		return key_error(err, v, name);
	for (size_t i = 0; i < v->n; i++)
		if (one_key(v->items[i], out, n,
		    strcmp(name, "dependencies") == 0) < 0)
			return key_error(err, v->items[i], name);
	return 0;
}

static int operations(struct ctx *c, struct migration *m, struct pyerr *err)
{
	const struct value *v = attr_value(c, "operations", err);

	if (err->msg)
		return -1;
	if (!v)
		return 0;
	if ((v->kind == V_CALL && v->fn->kind == V_NAME && !sig_lookup(v->fn->s))
	    || v->kind == V_SUBSCRIPT || v->kind == V_ATTR) {
		char *text = value_text(v);

		err->msg = xasprintf("operations is %s, which migparse cannot "
		    "compute", text);
		free(text);
		err->line = v->line;
		err->col = v->col;
		return -1;
	}
	if (v->kind != V_LIST && v->kind != V_TUPLE) {
		err->msg = xstrdup("operations must be a list");
		err->line = v->line;
		err->col = v->col;
		return -1;
	}
	m->ops = xcalloc(v->n, sizeof *m->ops);
	for (size_t i = 0; i < v->n; i++) {
		const struct value *op = v->items[i];
		const struct binding *b = op->kind == V_CALL &&
		    op->fn->kind == V_NAME ? scope_lookup(&c->klass, op->fn->s) :
		    NULL;

		if (b && b->kind == B_FUNCTION) {
			err->msg = xasprintf("operation %zu is made by a call to "
			    "'%s', a function of the file, which cannot be read "
			    "statically", i + 1, op->fn->s);
			err->line = op->line;
			err->col = op->col;
			return -1;
		}
		if (op->kind != V_CALL) {
			err->msg = xasprintf("operation %zu is not an operation "
			    "call", i + 1);
			err->line = v->items[i]->line;
			err->col = v->items[i]->col;
			return -1;
		}
		m->ops[m->nops++] = value_copy(v->items[i]);
	}
	return 0;
}

/* migtools_allow = ['rule', ...]: the zero-downtime rules of migsql -W
 * this migration silences, by name. */
static int allow_list(struct ctx *c, struct migration *m, struct pyerr *err)
{
	const struct value *v = attr_value(c, "migtools_allow", err);

	if (err->msg)
		return -1;
	if (!v)
		return 0;
	if (v->kind != V_LIST && v->kind != V_TUPLE)
		goto bad;
	for (size_t i = 0; i < v->n; i++) {
		const struct value *s = v->items[i];

		if (s->kind != V_STR)
			goto bad;
		if (!lint_rule(s->s)) {
			err->checked = 1;
			err->msg = xasprintf("migtools_allow: no rule '%s' (migsql(1) "
			    "lists them)", s->s);
			err->line = s->line;
			err->col = s->col;
			return -1;
		}
		m->allow = xrealloc(m->allow, (m->nallow + 1) * sizeof *m->allow);
		m->allow[m->nallow++] = xstrdup(s->s);
	}
	return 0;
bad:
	err->msg = xstrdup("migtools_allow must be a list of rule names");
	err->line = v->line;
	err->col = v->col;
	return -1;
}

static int extract(struct ctx *c, struct migration *m, struct pyerr *err)
{
	if (!c->found) {
		err->msg = xstrdup("no class Migration in the file");
		err->line = err->col = 0;
		return -1;
	}
	if (flag(c, "atomic", 1, &m->atomic, err) < 0 ||
	    flag(c, "initial", 0, &m->initial, err) < 0 ||
	    keys(c, "dependencies", &m->deps, &m->ndeps, err) < 0 ||
	    keys(c, "replaces", &m->replaces, &m->nreplaces, err) < 0 ||
	    keys(c, "run_before", &m->run_before, &m->nrun_before, err) < 0 ||
	    allow_list(c, m, err) < 0)
		return -1;
	return operations(c, m, err);
}

int parse_migration(const char *src, size_t len, struct migration *m,
    const struct defines *defs, struct pyerr *err)
{
	struct lexer lx = {0};
	struct ctx c = {0};
	char *pkg = xasprintf("%s.migrations", m->app);
	int rc = -1;

	memset(err, 0, sizeof *err);
	if (lex(&lx, src, len, LEX_FILE) < 0) {
		err->msg = lx.err;
		err->line = lx.err_line;
		err->col = lx.err_col;
		lx.err = NULL;
		goto out;
	}
	c.ps.tok = lx.tok;
	c.ps.n = lx.n;
	c.ps.file = 1;
	c.module.package = pkg;
	c.module.defs = defs;
	c.klass.parent = &c.module;
	c.klass.package = pkg;
	c.klass.is_class = 1;
	c.cur = &c.module;
	if (statements(&c, 0) < 0 || c.err.msg) {
		err->msg = c.err.msg ? c.err.msg : xstrdup("invalid syntax");
		err->line = c.err.line;
		err->col = c.err.col;
		c.err.msg = NULL;
		goto out;
	}
	rc = extract(&c, m, err);
out:
	free(c.ps.err);
	scope_free(&c.klass);
	scope_free(&c.module);
	lex_free(&lx);
	free(pkg);
	return rc;
}
