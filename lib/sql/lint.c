#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sql.h"

/* --- tokens ------------------------------------------------------------- */

enum tk { T_WORD, T_IDENT, T_STR, T_PUNCT, T_END };

struct tok {
	enum tk k;
	char *s;	/* WORD upper-cased; IDENT as named; PUNCT one char */
	int depth;	/* parentheses around it */
};

struct toks {
	struct tok *v;
	size_t n;
};

static void push(struct toks *t, enum tk k, char *s, int depth)
{
	t->v = xrealloc(t->v, (t->n + 6) * sizeof *t->v);
	t->v[t->n++] = (struct tok){ k, s, depth };
	for (size_t i = t->n; i < t->n + 5; i++)	/* room to look ahead */
		t->v[i] = (struct tok){ T_END, NULL, 0 };
}

/* The value of the escape string E'...' at *p (backslash escapes kept as
 * written: the rules only compare words); *p moves past it. */
static char *estring(const char **p)
{
	struct buf b = {0};
	const char *q = *p + 2;

	for (; *q && *q != '\''; q++) {
		if (*q == '\\' && q[1])
			buf_putc(&b, *q++);
		buf_putc(&b, *q);
	}
	*p = *q ? q + 1 : q;
	buf_putn(&b, "", 0);
	return b.s;
}

/* Tokens of one statement, up to a ';' outside parentheses; *end is
 * where the next statement starts. */
static struct toks sql_tokens(const char *p, const char **end)
{
	struct toks t = {0};
	int depth = 0;

	push(&t, T_END, NULL, 0);
	t.n = 0;
	while (*(p = sql_skip_blank(p)) && !(*p == ';' && depth == 0)) {
		const char *s = p;

		if (*p == '$' && sql_skip_quoted(p) != p + 1) {
			const char *e = sql_skip_quoted(p);

			push(&t, T_STR, xstrndup(p, (size_t)(e - p)), depth);
			p = e;
		} else if ((*p == 'E' || *p == 'e') && p[1] == '\'') {
			push(&t, T_STR, estring(&p), depth);
		} else if (*p == '\'' || *p == '"') {
			char q = *p++;
			struct buf b = {0};

			for (; *p; p++) {
				if (*p == q && p[1] == q)
					buf_putc(&b, *p++);
				else if (*p == q)
					break;
				else
					buf_putc(&b, *p);
			}
			if (*p)
				p++;
			buf_putn(&b, "", 0);
			push(&t, q == '"' ? T_IDENT : T_STR, b.s, depth);
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			char *w;

			while (isalnum((unsigned char)*p) || *p == '_' || *p == '$')
				p++;
			w = xstrndup(s, (size_t)(p - s));
			for (char *q = w; *q; q++)
				*q = (char)toupper((unsigned char)*q);
			push(&t, T_WORD, w, depth);
		} else {
			if (*p == ')')
				depth--;
			push(&t, T_PUNCT, xstrndup(p, 1), depth);
			if (*p == '(')
				depth++;
			p++;
		}
	}
	*end = *p == ';' ? p + 1 : p;
	return t;
}

static void toks_free(struct toks *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].s);
	free(t->v);
}

static int is_w(const struct tok *t, const char *w)
{
	return t->k == T_WORD && !strcmp(t->s, w);
}

/* An identifier: quoted as named, bare lower-cased. */
static char *ident(const struct tok *t)
{
	char *s;

	if (t->k == T_IDENT)
		return xstrdup(t->s);
	if (t->k != T_WORD)
		return xstrdup("");
	s = xstrdup(t->s);
	for (char *q = s; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return s;
}

/* A possibly qualified name at *i: its last part. */
static char *name_at(const struct toks *t, size_t *i)
{
	char *s = ident(&t->v[*i]);

	(*i)++;
	while (t->v[*i].k == T_PUNCT && t->v[*i].s[0] == '.' &&
	    t->v[*i + 1].k != T_END) {
		free(s);
		s = ident(&t->v[*i + 1]);
		*i += 2;
	}
	return s;
}

/* --- the checks ------------------------------------------------------------ */

struct lctx {
	const struct migctx *m;
	size_t stmt;
	const char *const *allow;
	size_t nallow;
	char **created;		/* tables and indexes made in this migration */
	size_t ncreated;
	char **required;	/* "table.column" added NOT NULL with a DEFAULT */
	size_t nrequired;
	struct pending {	/* constraints added NOT VALID or on IS NOT NULL */
		char *table, *name, *notnull;	/* notnull: the column, or NULL */
		int fk, valid;
	} *pend;
	size_t npend;
	struct lint_warning *w;
	size_t nw;
};

static int made_here(const struct lctx *x, const char *name)
{
	for (size_t i = 0; i < x->ncreated; i++)
		if (!strcmp(x->created[i], name))
			return 1;
	return 0;
}

static void made(struct lctx *x, const char *name)
{
	x->created = xrealloc(x->created, (x->ncreated + 1) * sizeof *x->created);
	x->created[x->ncreated++] = xstrdup(name);
}

static size_t required_at(const struct lctx *x, const char *table,
    const char *col)
{
	char *k = xasprintf("%s.%s", table, col);
	size_t i = 0;

	while (i < x->nrequired && strcmp(x->required[i], k))
		i++;
	free(k);
	return i;
}

static struct pending *pending(struct lctx *x, const char *table,
    const char *name)
{
	for (size_t i = 0; i < x->npend; i++)
		if (!strcmp(x->pend[i].table, table) &&
		    !strcmp(x->pend[i].name, name))
			return &x->pend[i];
	return NULL;
}

static void warn(struct lctx *x, const char *rule, const char *table,
    const char *what)
{
	const struct lint_rule *r = lint_rule(rule);

	for (size_t i = 0; i < x->nallow; i++)
		if (!strcmp(x->allow[i], rule))
			return;
	if (table && made_here(x, table))
		return;	/* a table nobody uses yet */
	x->w = xrealloc(x->w, (x->nw + 1) * sizeof *x->w);
	x->w[x->nw++] = (struct lint_warning){ r,
	    xstrdup(x->m->stmt_index[x->stmt]), xstrdup(table ? table : ""),
	    xstrdup(what) };
}

static size_t find_w(const struct toks *t, size_t from, const char *w,
    int depth)
{
	for (size_t i = from; i < t->n; i++)
		if (t->v[i].depth == depth && is_w(&t->v[i], w))
			return i;
	return t->n;
}

static int has_w(const struct toks *t, size_t from, size_t to, const char *w)
{
	for (size_t i = from; i < to && i < t->n; i++)
		if (is_w(&t->v[i], w))
			return 1;
	return 0;
}

/* CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON table */
static void create_index(struct lctx *x, const struct toks *t, size_t i)
{
	int conc = 0;
	size_t on = find_w(t, i, "ON", 0);
	char *table, *name = NULL;

	for (size_t j = i; j < on; j++)
		conc |= is_w(&t->v[j], "CONCURRENTLY");
	if (on >= t->n)
		return;
	if (on > i && (t->v[on - 1].k == T_IDENT || (t->v[on - 1].k == T_WORD &&
	    !is_w(&t->v[on - 1], "INDEX") && !is_w(&t->v[on - 1], "CONCURRENTLY") &&
	    !is_w(&t->v[on - 1], "EXISTS"))))
		name = ident(&t->v[on - 1]);
	i = on + 1;
	if (is_w(&t->v[i], "ONLY"))
		i++;
	table = name_at(t, &i);
	if (!conc)
		warn(x, "index-not-concurrent", table, "CREATE INDEX without "
		    "CONCURRENTLY");
	if (name)
		made(x, name);
	free(name);
	free(table);
}

/* DROP INDEX [CONCURRENTLY] [IF EXISTS] name */
static void drop_index(struct lctx *x, const struct toks *t, size_t i)
{
	int conc = is_w(&t->v[i], "CONCURRENTLY");
	char *name;

	i += conc;
	if (is_w(&t->v[i], "IF"))
		i += 2;
	if (t->v[i].k == T_END)
		return;
	name = name_at(t, &i);
	if (!conc && !made_here(x, name))
		warn(x, "index-not-concurrent", NULL, "DROP INDEX without "
		    "CONCURRENTLY");
	free(name);
}

static int volatile_call(const struct toks *t, size_t from, size_t to)
{
	static const char *const fns[] = { "RANDOM", "GEN_RANDOM_UUID",
	    "UUID_GENERATE_V1", "UUID_GENERATE_V4", "CLOCK_TIMESTAMP",
	    "TIMEOFDAY", "NEXTVAL", NULL };

	for (size_t i = from; i < to && i < t->n; i++)
		for (int k = 0; fns[k]; k++)
			if (is_w(&t->v[i], fns[k]))
				return 1;
	return 0;
}

/* NOT NULL at [i, e), outside parentheses and not after IS. */
static int not_null(const struct toks *t, size_t i, size_t e)
{
	int d = t->v[i].depth;

	for (size_t k = i + 1; k + 1 < e; k++)
		if (t->v[k].depth == d && is_w(&t->v[k], "NOT") &&
		    is_w(&t->v[k + 1], "NULL") && !is_w(&t->v[k - 1], "IS"))
			return 1;
	return 0;
}

/* The column an ADD, ALTER or DROP action at i names (the optional
 * COLUMN and IF [NOT] EXISTS skipped), or NULL. */
static char *action_column(const struct toks *t, size_t i)
{
	i++;
	if (is_w(&t->v[i], "COLUMN"))
		i++;
	if (is_w(&t->v[i], "IF"))
		i += is_w(&t->v[i + 1], "NOT") ? 3 : 2;
	if (t->v[i].k != T_IDENT && t->v[i].k != T_WORD)
		return NULL;
	return ident(&t->v[i]);
}

/* The column of CHECK (col IS NOT NULL) at k (the word CHECK), or NULL. */
static char *notnull_check(const struct toks *t, size_t k)
{
	size_t open = k + 1, c;

	while (t->v[open].k == T_PUNCT && t->v[open].s[0] == '(' &&
	    t->v[open + 1].k == T_PUNCT && t->v[open + 1].s[0] == '(')
		open++;
	c = open + 1;
	if (!(t->v[open].k == T_PUNCT && t->v[open].s[0] == '(') ||
	    (t->v[c].k != T_IDENT && t->v[c].k != T_WORD) ||
	    !is_w(&t->v[c + 1], "IS") || !is_w(&t->v[c + 2], "NOT") ||
	    !is_w(&t->v[c + 3], "NULL") || t->v[c + 4].k != T_PUNCT ||
	    t->v[c + 4].s[0] != ')')
		return NULL;
	return ident(&t->v[c]);
}

/* ADD [CONSTRAINT name] CHECK | FOREIGN KEY ... [NOT VALID]: kept to
 * see what a later VALIDATE or SET NOT NULL of this migration meets. */
static void note_constraint(struct lctx *x, const struct toks *t, size_t i,
    size_t k, size_t e, const char *table)
{
	struct pending p = {0};

	if (!is_w(&t->v[i + 1], "CONSTRAINT") ||
	    !(is_w(&t->v[k], "CHECK") || is_w(&t->v[k], "FOREIGN")))
		return;
	p.table = xstrdup(table);
	p.name = ident(&t->v[i + 2]);
	p.fk = is_w(&t->v[k], "FOREIGN");
	p.valid = !has_w(t, k, e, "VALID");
	p.notnull = p.fk ? NULL : notnull_check(t, k);
	x->pend = xrealloc(x->pend, (x->npend + 1) * sizeof *x->pend);
	x->pend[x->npend++] = p;
}

/* Is there a validated CHECK (col IS NOT NULL) on table.col? */
static int checked_not_null(const struct lctx *x, const char *table,
    const char *col)
{
	for (size_t i = 0; i < x->npend; i++)
		if (x->pend[i].valid && x->pend[i].notnull &&
		    !strcmp(x->pend[i].table, table) &&
		    !strcmp(x->pend[i].notnull, col))
			return 1;
	return 0;
}

/* ADD [COLUMN] col type ... NOT NULL: without a DEFAULT now, or (kept in
 * required) with one that a later DROP DEFAULT takes away. */
static void add_column(struct lctx *x, const struct toks *t, size_t i,
    size_t e, const char *table)
{
	char *col;

	if (!not_null(t, i, e) || has_w(t, i, e, "GENERATED") ||
	    has_w(t, i, e, "SERIAL") || has_w(t, i, e, "BIGSERIAL") ||
	    has_w(t, i, e, "SMALLSERIAL") || !(col = action_column(t, i)))
		return;
	if (!has_w(t, i, e, "DEFAULT")) {
		warn(x, "required-column", table, "ADD COLUMN NOT NULL without "
		    "a DEFAULT");
	} else if (required_at(x, table, col) == x->nrequired) {
		x->required = xrealloc(x->required, (x->nrequired + 1) *
		    sizeof *x->required);
		x->required[x->nrequired++] = xasprintf("%s.%s", table, col);
	}
	free(col);
}

/* ALTER [COLUMN] col ...: DROP DEFAULT of a column added NOT NULL in this
 * migration; SET NOT NULL; TYPE. */
static void alter_column(struct lctx *x, const struct toks *t, size_t i,
    size_t e, const char *table)
{
	unsigned flags = x->m->flags ? x->m->flags[x->stmt] : 0;
	char *col = action_column(t, i);
	size_t r;

	if (has_w(t, i, e, "TYPE") && ((flags & STMT_REWRITE) ||
	    (!(flags & STMT_SCHEMA) && has_w(t, i, e, "USING"))))
		warn(x, "type-rewrite", table, "ALTER COLUMN TYPE rewrites "
		    "the table");
	if (has_w(t, i, e, "SET") && has_w(t, i, e, "NOT") &&
	    has_w(t, i, e, "NULL") && !has_w(t, i, e, "DEFAULT") &&
	    !(col && checked_not_null(x, table, col)))
		warn(x, "set-not-null", table, "SET NOT NULL on an existing "
		    "column");
	if (col && has_w(t, i, e, "DROP") && has_w(t, i, e, "DEFAULT") &&
	    (r = required_at(x, table, col)) < x->nrequired) {
		warn(x, "required-column", table, "ADD COLUMN NOT NULL whose "
		    "DEFAULT is dropped");
		free(x->required[r]);
		x->required[r] = x->required[--x->nrequired];
	}
	free(col);
}

/* VALIDATE CONSTRAINT name: in the transaction that added it NOT VALID,
 * the ADD's lock is held through the scan. */
static void validate(struct lctx *x, const struct toks *t, size_t i,
    const char *table)
{
	char *name = ident(&t->v[i + 2]);
	struct pending *p = pending(x, table, name);

	if (p && !p->valid && x->m->atomic)
		warn(x, p->fk ? "fk-validating" : "constraint-validating", table,
		    "VALIDATE CONSTRAINT in the transaction that added it NOT "
		    "VALID");
	if (p)
		p->valid = 1;
	free(name);
}

/* One action of ALTER TABLE, tokens [i, e). */
static void action(struct lctx *x, const struct toks *t, size_t i, size_t e,
    const char *table)
{
	unsigned flags = x->m->flags ? x->m->flags[x->stmt] : 0;

	if (is_w(&t->v[i], "ADD") && (is_w(&t->v[i + 1], "CONSTRAINT") ||
	    is_w(&t->v[i + 1], "CHECK") || is_w(&t->v[i + 1], "FOREIGN") ||
	    is_w(&t->v[i + 1], "UNIQUE") || is_w(&t->v[i + 1], "PRIMARY") ||
	    is_w(&t->v[i + 1], "EXCLUDE"))) {
		/* ADD [CONSTRAINT name] CHECK | FOREIGN KEY | UNIQUE ... */
		size_t k = is_w(&t->v[i + 1], "CONSTRAINT") ? i + 3 : i + 1;

		note_constraint(x, t, i, k, e, table);
		if (is_w(&t->v[k], "CHECK") && !has_w(t, k, e, "VALID"))
			warn(x, "constraint-validating", table, "ADD CONSTRAINT CHECK "
			    "without NOT VALID");
		else if (is_w(&t->v[k], "FOREIGN") && !has_w(t, k, e, "VALID"))
			warn(x, "fk-validating", table, "ADD FOREIGN KEY without NOT "
			    "VALID");
		else if ((is_w(&t->v[k], "UNIQUE") || is_w(&t->v[k], "PRIMARY") ||
		    is_w(&t->v[k], "EXCLUDE")) && !(is_w(&t->v[k + 1], "USING") &&
		    is_w(&t->v[k + 2], "INDEX")) && !(is_w(&t->v[k], "PRIMARY") &&
		    is_w(&t->v[k + 2], "USING") && is_w(&t->v[k + 3], "INDEX")))
			warn(x, "unique-in-place", table, "ADD CONSTRAINT builds its "
			    "index in place");
		return;
	}
	if (is_w(&t->v[i], "ADD")) {
		if (has_w(t, i, e, "REFERENCES"))
			warn(x, "fk-validating", table, "ADD COLUMN with an inline "
			    "foreign key");
		if (has_w(t, i, e, "UNIQUE") || has_w(t, i, e, "PRIMARY"))
			warn(x, "unique-in-place", table, "ADD COLUMN ... UNIQUE");
		if (has_w(t, i, e, "CHECK"))
			warn(x, "constraint-validating", table, "ADD COLUMN with a "
			    "CHECK constraint");
		if ((has_w(t, i, e, "DEFAULT") && volatile_call(t, i, e)) ||
		    (flags & STMT_ONCE_DEFAULT))
			warn(x, "volatile-default", table, "ADD COLUMN with a "
			    "volatile default");
		add_column(x, t, i, e, table);
		return;
	}
	if (is_w(&t->v[i], "ALTER") && !is_w(&t->v[i + 1], "CONSTRAINT")) {
		alter_column(x, t, i, e, table);
		return;
	}
	if (is_w(&t->v[i], "VALIDATE") && is_w(&t->v[i + 1], "CONSTRAINT")) {
		validate(x, t, i, table);
		return;
	}
	if (is_w(&t->v[i], "DROP") && !is_w(&t->v[i + 1], "CONSTRAINT")) {
		warn(x, "drop-column", table, "DROP COLUMN");
		return;
	}
	if (is_w(&t->v[i], "RENAME") && !is_w(&t->v[i + 1], "CONSTRAINT"))
		warn(x, "rename", table, is_w(&t->v[i + 1], "TO") ? "RENAME TO" :
		    "RENAME COLUMN");
}

/* ALTER TABLE [IF EXISTS] [ONLY] table action [, action ...] */
static void alter_table(struct lctx *x, const struct toks *t, size_t i)
{
	char *table;
	size_t a;

	if (is_w(&t->v[i], "IF"))
		i += 2;
	if (is_w(&t->v[i], "ONLY"))
		i++;
	if (t->v[i].k == T_END)
		return;
	table = name_at(t, &i);
	for (a = i; a < t->n; ) {
		size_t e = a;

		while (e < t->n && !(t->v[e].k == T_PUNCT && t->v[e].s[0] == ',' &&
		    t->v[e].depth == 0))
			e++;
		action(x, t, a, e, table);
		a = e + 1;
	}
	free(table);
}

/* DROP TABLE [IF EXISTS] name [, name ...] */
static void drop_table(struct lctx *x, const struct toks *t, size_t i)
{
	if (is_w(&t->v[i], "IF"))
		i += 2;
	while (t->v[i].k == T_IDENT || t->v[i].k == T_WORD) {
		char *table = name_at(t, &i);

		warn(x, "drop-table", table, "DROP TABLE");
		free(table);
		if (!(t->v[i].k == T_PUNCT && t->v[i].s[0] == ','))
			break;
		i++;
	}
}

/* REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM}
 * [CONCURRENTLY] name */
static void reindex(struct lctx *x, const struct toks *t)
{
	size_t i = 1;
	int table;
	char *name;

	if (t->v[i].k == T_PUNCT && t->v[i].s[0] == '(') {
		while (t->v[i].k != T_END && !(t->v[i].k == T_PUNCT &&
		    t->v[i].s[0] == ')' && t->v[i].depth == 0))
			i++;
		i++;
	}
	table = is_w(&t->v[i], "TABLE");
	if (has_w(t, i, t->n, "CONCURRENTLY") || t->v[i].k == T_END)
		return;
	i++;
	if (t->v[i].k == T_END)
		return;
	name = name_at(t, &i);
	if (!made_here(x, name))
		warn(x, "index-not-concurrent", table ? name : NULL,
		    "REINDEX without CONCURRENTLY");
	free(name);
}

/* BEGIN, COMMIT, ROLLBACK ... written in RunSQL of an atomic migration. */
static void transaction_control(struct lctx *x, const struct toks *t)
{
	static const char *const words[] = { "BEGIN", "COMMIT", "ROLLBACK",
	    "END", "ABORT", "START", "SAVEPOINT", "RELEASE", "PREPARE", NULL };
	unsigned flags = x->m->flags ? x->m->flags[x->stmt] : 0;

	if (!x->m->atomic || (flags & STMT_SCHEMA))
		return;
	if (is_w(&t->v[0], "START") && !is_w(&t->v[1], "TRANSACTION"))
		return;
	if (is_w(&t->v[0], "PREPARE") && !is_w(&t->v[1], "TRANSACTION"))
		return;
	for (int k = 0; words[k]; k++)
		if (is_w(&t->v[0], words[k])) {
			warn(x, "transaction-control", NULL, words[k]);
			return;
		}
}

/* Every identifier over PostgreSQL's 63 bytes, once per statement. */
static void long_names(struct lctx *x, const struct toks *t)
{
	for (size_t i = 0; i < t->n; i++) {
		char *name, *what;
		size_t n;

		if ((t->v[i].k != T_IDENT && t->v[i].k != T_WORD) ||
		    strlen(t->v[i].s) <= PG_NAMELEN)
			continue;
		name = ident(&t->v[i]);
		n = 0;
		for (size_t j = 0; j < i; j++)
			if ((t->v[j].k == T_IDENT || t->v[j].k == T_WORD) &&
			    !strcmp(t->v[j].s, t->v[i].s))
				n++;
		if (!n) {
			what = xmalloc(strlen(name) + 64);
			sprintf(what, "\"%s\" is %zu bytes, kept as its first %d",
			    name, strlen(name), PG_NAMELEN);
			warn(x, "identifier-too-long", NULL, what);
			free(what);
		}
		free(name);
	}
}

static void statement(struct lctx *x, const struct toks *t)
{
	const struct tok *v = t->v;

	transaction_control(x, t);
	long_names(x, t);

	if (x->m->atomic && sql_needs_autocommit(x->m->stmts[x->stmt]))
		warn(x, "concurrent-in-atomic", NULL, "CONCURRENTLY in an atomic "
		    "migration");
	if (is_w(&v[0], "CREATE") && is_w(&v[1], "TABLE")) {
		size_t i = 2;
		char *table;

		if (is_w(&v[i], "IF"))
			i += 3;
		table = name_at(t, &i);
		made(x, table);
		free(table);
	} else if (is_w(&v[0], "CREATE") && (is_w(&v[1], "INDEX") ||
	    (is_w(&v[1], "UNIQUE") && is_w(&v[2], "INDEX")))) {
		create_index(x, t, is_w(&v[1], "UNIQUE") ? 3 : 2);
	} else if (is_w(&v[0], "DROP") && is_w(&v[1], "INDEX")) {
		drop_index(x, t, 2);
	} else if (is_w(&v[0], "DROP") && is_w(&v[1], "TABLE")) {
		drop_table(x, t, 2);
	} else if (is_w(&v[0], "REINDEX")) {
		reindex(x, t);
	} else if (is_w(&v[0], "ALTER") && is_w(&v[1], "TABLE")) {
		alter_table(x, t, 2);
	} else if (is_w(&v[0], "ALTER") && is_w(&v[1], "INDEX") &&
	    has_w(t, 2, t->n, "RENAME")) {
		/* an index's name is nobody's business but the schema's */
	}
}

/* The statements of one sql record, split as PostgreSQL would (quotes,
 * dollar quotes and comments kept whole). */
static void one_sql(struct lctx *x, const char *sql)
{
	size_t n;
	char **v = sql_split(sql, &n);

	for (size_t i = 0; i < n; i++) {
		const char *end;
		struct toks t = sql_tokens(v[i], &end);

		if (t.n)
			statement(x, &t);
		toks_free(&t);
		free(v[i]);
	}
	free(v);
}

struct lint_warning *lint_migration(const struct migctx *m,
    const char *const *allow, size_t nallow, size_t *nwarnings)
{
	struct lctx x = {0};

	x.m = m;
	x.allow = allow;
	x.nallow = nallow;
	for (x.stmt = 0; x.stmt < m->n; x.stmt++) {
		if (!m->is_stmt[x.stmt])
			continue;
		one_sql(&x, m->stmts[x.stmt]);
	}
	for (size_t i = 0; i < x.ncreated; i++)
		free(x.created[i]);
	free(x.created);
	for (size_t i = 0; i < x.nrequired; i++)
		free(x.required[i]);
	free(x.required);
	for (size_t i = 0; i < x.npend; i++) {
		free(x.pend[i].table);
		free(x.pend[i].name);
		free(x.pend[i].notnull);
	}
	free(x.pend);
	*nwarnings = x.nw;
	return x.w;
}

void lint_free(struct lint_warning *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(w[i].index);
		free(w[i].table);
		free(w[i].what);
	}
	free(w);
}
