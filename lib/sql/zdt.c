/* zdt.c: migsql -Z, the zero-downtime form of a rendered migration.
 *
 * Django's statements (STMT_SCHEMA: never RunSQL's) on a table that
 * existed before the migration are rewritten into statements that leave
 * the same schema without blocking writes for a scan or a build:
 *
 *   CREATE [UNIQUE] INDEX n ON t ...    CREATE [UNIQUE] INDEX CONCURRENTLY
 *   DROP INDEX IF EXISTS n              DROP INDEX CONCURRENTLY IF EXISTS
 *   ADD CONSTRAINT n CHECK | FOREIGN    ... NOT VALID, then VALIDATE n
 *   ADD CONSTRAINT n UNIQUE | PRIMARY   CREATE UNIQUE INDEX CONCURRENTLY n,
 *                                       then ADD CONSTRAINT n ... USING INDEX
 *   ALTER COLUMN c SET NOT NULL         CHECK (c IS NOT NULL) NOT VALID,
 *                                       VALIDATE, SET NOT NULL, DROP CHECK
 *
 * A statement of another form (several actions, INCLUDE, a condition)
 * stays as Django wrote it.  A migration with a rewrite becomes
 * non-atomic: each statement then runs and commits on its own, which
 * CONCURRENTLY needs and which lets VALIDATE run without the lock of the
 * ADD, and migapply resumes it statement by statement. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sqlint.h"

struct zctx {
	struct migctx *m;
	char **made;		/* tables and indexes made in this migration */
	size_t nmade;
	/* the statements being built */
	char **stmts, **index;
	int *is_stmt;
	unsigned *flags;
	size_t n;
	int rewrote;
};

static void out(struct zctx *z, const char *s, int is_stmt, unsigned flags,
    const char *index)
{
	z->stmts = xrealloc(z->stmts, (z->n + 1) * sizeof *z->stmts);
	z->index = xrealloc(z->index, (z->n + 1) * sizeof *z->index);
	z->is_stmt = xrealloc(z->is_stmt, (z->n + 1) * sizeof *z->is_stmt);
	z->flags = xrealloc(z->flags, (z->n + 1) * sizeof *z->flags);
	z->stmts[z->n] = xstrdup(s);
	z->index[z->n] = xstrdup(index);
	z->is_stmt[z->n] = is_stmt;
	z->flags[z->n++] = flags;
}

static void made(struct zctx *z, const char *name)
{
	z->made = xrealloc(z->made, (z->nmade + 1) * sizeof *z->made);
	z->made[z->nmade++] = xstrdup(name);
}

static int made_here(const struct zctx *z, const char *name)
{
	for (size_t i = 0; i < z->nmade; i++)
		if (!strcmp(z->made[i], name))
			return 1;
	return 0;
}

/* A quoted identifier at *p ("..." with "" for a quote): its name, and
 * *p past it; NULL when there is none. */
static char *quoted(const char **p)
{
	struct buf b = {0};
	const char *s = *p;

	if (*s != '"')
		return NULL;
	buf_putn(&b, "", 0);
	for (s++; *s; s++) {
		if (*s == '"' && s[1] == '"')
			buf_putc(&b, *s++);
		else if (*s == '"')
			break;
		else
			buf_putc(&b, *s);
	}
	if (*s != '"') {
		free(b.s);
		return NULL;
	}
	*p = s + 1;
	return b.s;
}

/* s starts with word (then p past it), as Django writes it. */
static int lead(const char **p, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(*p, word, n))
		return 0;
	*p += n;
	return 1;
}

/* Does s hold word outside quotes? */
static int has_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\'') {
			p = sql_skip_quoted(p) - 1;
			continue;
		}
		if (!strncmp(p, word, n) && (p == s || p[-1] == ' ' ||
		    p[-1] == ')') && (p[n] == '\0' || p[n] == ' ' ||
		    p[n] == '('))
			return 1;
	}
	return 0;
}

/* Is there a comma outside quotes and parentheses (several actions)? */
static int several(const char *s)
{
	int depth = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\'') {
			p = sql_skip_quoted(p) - 1;
			continue;
		}
		depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
		if (*p == ',' && depth == 0)
			return 1;
	}
	return 0;
}

static char *alter(const char *table, const char *what)
{
	struct buf b = {0};

	buf_puts(&b, "ALTER TABLE ");
	sql_quote_name(&b, table);
	buf_putc(&b, ' ');
	buf_puts(&b, what);
	return b.s;
}

static char *named(const char *fmt, const char *name)
{
	struct buf q = {0};
	char *s;

	sql_quote_name(&q, name);
	s = xasprintf(fmt, q.s);
	free(q.s);
	return s;
}

/* CREATE [UNIQUE] INDEX "n" ON "t" ...: CONCURRENTLY. */
static int z_create_index(struct zctx *z, const char *s, const char *index)
{
	const char *p = s;
	int unique;
	char *name, *table, *sql;

	if (!lead(&p, "CREATE "))
		return 0;
	unique = lead(&p, "UNIQUE ");
	if (!lead(&p, "INDEX ") || !(name = quoted(&p)))
		return 0;
	if (!lead(&p, " ON ") || !(table = quoted(&p))) {
		free(name);
		return 0;
	}
	if (made_here(z, table)) {
		made(z, name);	/* an index of a new table: dropped in place */
		free(name);
		free(table);
		return 0;
	}
	sql = xasprintf("CREATE %sINDEX CONCURRENTLY %s", unique ? "UNIQUE " :
	    "", s + strlen(unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX "));
	out(z, sql, 1, STMT_SCHEMA, index);
	free(sql);
	free(name);
	free(table);
	return 1;
}

/* DROP INDEX IF EXISTS "n": CONCURRENTLY, unless n is of a table made
 * here. */
static int z_drop_index(struct zctx *z, const char *s, const char *index)
{
	const char *p = s;
	char *name, *sql;

	if (!lead(&p, "DROP INDEX IF EXISTS ") || !(name = quoted(&p)) || *p) {
		return 0;
	}
	if (made_here(z, name)) {
		free(name);
		return 0;
	}
	sql = named("DROP INDEX CONCURRENTLY IF EXISTS %s", name);
	out(z, sql, 1, STMT_SCHEMA, index);
	free(sql);
	free(name);
	return 1;
}

/* ADD CONSTRAINT "n" CHECK | FOREIGN KEY ...: NOT VALID, then VALIDATE. */
static void not_valid(struct zctx *z, const char *s, const char *table,
    const char *name, const char *index)
{
	char *sql = xasprintf("%s NOT VALID", s);
	char *v = named("VALIDATE CONSTRAINT %s", name);
	char *val = alter(table, v);

	out(z, sql, 1, STMT_SCHEMA, index);
	out(z, val, 1, STMT_SCHEMA, index);
	free(sql);
	free(v);
	free(val);
}

/* ADD CONSTRAINT "n" UNIQUE [NULLS NOT DISTINCT] (cols) [DEFERRABLE ...]
 * or PRIMARY KEY (cols): the index built concurrently, then taken. */
static int using_index(struct zctx *z, const char *table, const char *name,
    const char *rest, const char *index)
{
	const char *p = rest, *cols, *end;
	int pk = lead(&p, "PRIMARY KEY "), nnd = 0;
	struct buf b = {0};
	char *cons;

	if (!pk && !lead(&p, "UNIQUE"))
		return 0;
	if (!pk) {
		nnd = lead(&p, " NULLS NOT DISTINCT");
		if (!lead(&p, " "))
			return 0;
	}
	if (*p != '(' || has_word(p, "INCLUDE") || has_word(p, "WHERE"))
		return 0;
	cols = p;
	end = strchr(cols, ')');
	if (!end || (end[1] && strcmp(end + 1, " DEFERRABLE INITIALLY DEFERRED")
	    && strcmp(end + 1, " DEFERRABLE INITIALLY IMMEDIATE")))
		return 0;
	buf_puts(&b, "CREATE UNIQUE INDEX CONCURRENTLY ");
	sql_quote_name(&b, name);
	buf_puts(&b, " ON ");
	sql_quote_name(&b, table);
	buf_putc(&b, ' ');
	buf_putn(&b, cols, (size_t)(end + 1 - cols));
	if (nnd)
		buf_puts(&b, " NULLS NOT DISTINCT");
	out(z, b.s, 1, STMT_SCHEMA, index);
	buf_reset(&b);
	buf_puts(&b, "ADD CONSTRAINT ");
	sql_quote_name(&b, name);
	buf_puts(&b, pk ? " PRIMARY KEY USING INDEX " : " UNIQUE USING INDEX ");
	sql_quote_name(&b, name);
	buf_puts(&b, end + 1);
	cons = alter(table, b.s);
	out(z, cons, 1, STMT_SCHEMA, index);
	free(cons);
	buf_free(&b);
	return 1;
}

/* ALTER COLUMN "c" SET NOT NULL: proved by a validated CHECK first, so
 * that PostgreSQL skips its scan under ACCESS EXCLUSIVE. */
static void set_not_null(struct zctx *z, const char *s, const char *table,
    const char *col, const char *index)
{
	char *check = pg_object_name(table, col, "notnull");
	struct buf b = {0};
	char *sql;

	buf_puts(&b, "ADD CONSTRAINT ");
	sql_quote_name(&b, check);
	buf_puts(&b, " CHECK (");
	sql_quote_name(&b, col);
	buf_puts(&b, " IS NOT NULL) NOT VALID");
	sql = alter(table, b.s);
	out(z, sql, 1, STMT_SCHEMA, index);
	free(sql);
	buf_reset(&b);
	buf_puts(&b, "VALIDATE CONSTRAINT ");
	sql_quote_name(&b, check);
	sql = alter(table, b.s);
	out(z, sql, 1, STMT_SCHEMA, index);
	free(sql);
	out(z, s, 1, STMT_SCHEMA, index);
	buf_reset(&b);
	buf_puts(&b, "DROP CONSTRAINT ");
	sql_quote_name(&b, check);
	sql = alter(table, b.s);
	out(z, sql, 1, STMT_SCHEMA, index);
	free(sql);
	buf_free(&b);
	free(check);
}

/* Where word (" UNIQUE", " CHECK (", " CONSTRAINT ") starts in s at the
 * top level (outside quotes and parentheses), or NULL. */
static const char *top_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	int depth = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\'') {
			p = sql_skip_quoted(p) - 1;
			continue;
		}
		if (depth == 0 && !strncmp(p, word, n) &&
		    (!isalpha((unsigned char)word[n - 1]) || p[n] == '\0' ||
		    p[n] == ' ' || p[n] == ';'))
			return p;
		depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
	}
	return NULL;
}

/* The end of the parenthesized group that starts at p. */
static const char *group_end(const char *p)
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '"' || *p == '\'') {
			p = sql_skip_quoted(p) - 1;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
	}
	return NULL;
}

/* s without the spans [a0, a1), [b0, b1), [c0, c1) that are given (not
 * NULL; they do not overlap). */
static char *without(const char *s, const char *a0, const char *a1,
    const char *b0, const char *b1, const char *c0, const char *c1)
{
	const char *from[3] = { a0, b0, c0 }, *to[3] = { a1, b1, c1 };
	struct buf b = {0};

	buf_putn(&b, "", 0);
	for (const char *p = s; *p; ) {
		int skip = -1;

		for (int k = 0; k < 3; k++)
			if (from[k] == p)
				skip = k;
		if (skip >= 0) {
			p = to[skip];
			continue;
		}
		buf_putc(&b, *p++);
	}
	return b.s;
}

/* ADD COLUMN "c" type ... [UNIQUE] [CHECK (...)] [CONSTRAINT "fk"
 * REFERENCES "t2"("id") DEFERRABLE INITIALLY DEFERRED; SET CONSTRAINTS
 * "fk" IMMEDIATE], as Django writes a column: the column alone, then each
 * constraint its own safe way, under the name PostgreSQL gives an inline
 * one (table_col_key, table_col_check; should another object hold that
 * name already, the statement fails rather than naming it otherwise).
 * SET CONSTRAINTS has no transaction to act on once each statement
 * commits alone. */
static int z_add_column(struct zctx *z, const char *s, const char *table,
    const char *p, const char *index)
{
	const char *c = p, *uniq, *check, *cons, *refs = NULL, *semi = NULL,
	    *check_end = NULL;
	char *col, *fk = NULL, *head, *sql, *name;
	struct buf b = {0};

	if (!(col = quoted(&c)))
		return 0;
	uniq = top_word(c, " UNIQUE");
	check = top_word(c, " CHECK (");
	cons = top_word(c, " CONSTRAINT \"");
	if (check && !(check_end = group_end(check + 7)))
		check = NULL;
	if (cons) {
		const char *q = cons + 12;

		refs = (fk = quoted(&q)) && !strncmp(q, " REFERENCES \"", 13) ?
		    q : NULL;
		semi = refs ? strstr(refs, "; SET CONSTRAINTS ") : NULL;
		if (!semi || strchr(semi + 1, ';')) {
			free(fk);
			free(col);
			return 0;
		}
	} else if (strchr(c, ';')) {
		free(col);
		return 0;
	}
	if (!uniq && !check && !cons) {
		free(col);
		return 0;
	}
	head = without(s, uniq, uniq ? uniq + 7 : NULL, check, check_end, cons,
	    cons ? s + strlen(s) : NULL);
	out(z, head, 1, STMT_SCHEMA, index);
	free(head);
	if (uniq) {
		name = pg_object_name(table, col, "key");
		buf_puts(&b, "CREATE UNIQUE INDEX CONCURRENTLY ");
		sql_quote_name(&b, name);
		buf_puts(&b, " ON ");
		sql_quote_name(&b, table);
		buf_puts(&b, " (");
		sql_quote_name(&b, col);
		buf_putc(&b, ')');
		out(z, b.s, 1, STMT_SCHEMA, index);
		buf_reset(&b);
		buf_puts(&b, "ADD CONSTRAINT ");
		sql_quote_name(&b, name);
		buf_puts(&b, " UNIQUE USING INDEX ");
		sql_quote_name(&b, name);
		sql = alter(table, b.s);
		out(z, sql, 1, STMT_SCHEMA, index);
		free(sql);
		buf_reset(&b);
		free(name);
	}
	if (check) {
		name = pg_object_name(table, col, "check");
		buf_puts(&b, "ADD CONSTRAINT ");
		sql_quote_name(&b, name);
		buf_putn(&b, check, (size_t)(check_end - check));
		sql = alter(table, b.s);
		not_valid(z, sql, table, name, index);
		free(sql);
		buf_reset(&b);
		free(name);
	}
	if (cons) {
		buf_puts(&b, "ADD CONSTRAINT ");
		sql_quote_name(&b, fk);
		buf_puts(&b, " FOREIGN KEY (");
		sql_quote_name(&b, col);
		buf_putc(&b, ')');
		buf_putn(&b, refs, (size_t)(semi - refs));
		sql = alter(table, b.s);
		not_valid(z, sql, table, fk, index);
		free(sql);
	}
	buf_free(&b);
	free(fk);
	free(col);
	return 1;
}

/* ALTER TABLE "t" one action: the forms above. */
static int z_alter_table(struct zctx *z, const char *s, const char *index)
{
	const char *p = s;
	char *table, *name = NULL;
	int done = 0;

	if (!lead(&p, "ALTER TABLE ") || !(table = quoted(&p)))
		return 0;
	if (made_here(z, table)) {
		free(table);
		return 0;
	}
	if (lead(&p, " ADD COLUMN ")) {
		done = z_add_column(z, s, table, p, index);
		free(table);
		return done;
	}
	if (several(p)) {
		free(table);
		return 0;
	}
	if (lead(&p, " ADD CONSTRAINT ") && (name = quoted(&p)) &&
	    lead(&p, " ")) {
		if ((!strncmp(p, "CHECK ", 6) || !strncmp(p, "FOREIGN KEY ", 12)) &&
		    !has_word(p, "VALID")) {
			not_valid(z, s, table, name, index);
			done = 1;
		} else {
			done = using_index(z, table, name, p, index);
		}
	} else if (!name && lead(&p, " ALTER COLUMN ") && (name = quoted(&p)) &&
	    !strcmp(p, " SET NOT NULL")) {
		set_not_null(z, s, table, name, index);
		done = 1;
	}
	free(name);
	free(table);
	return done;
}

/* CREATE TABLE "t": made here, nobody uses it yet. */
static void note_table(struct zctx *z, const char *s)
{
	const char *p = s;
	char *table;

	if (lead(&p, "CREATE TABLE ") && (table = quoted(&p))) {
		made(z, table);
		free(table);
	}
}

/* ADD CONSTRAINT "n" ... NOT VALID (AddConstraintNotValid) is noted; its
 * VALIDATE CONSTRAINT "n" later in the same migration makes the migration
 * non-atomic, so that the scan runs without the lock of the ADD. */
static void note_not_valid(struct zctx *z, const char *s)
{
	const char *p = s;
	char *table, *name = NULL;

	if (!lead(&p, "ALTER TABLE ") || !(table = quoted(&p)))
		return;
	if (lead(&p, " ADD CONSTRAINT ") && (name = quoted(&p)) &&
	    has_word(p, "VALID")) {
		char *key = xasprintf("%s.%s", table, name);

		made(z, key);
		free(key);
	} else if (!name && lead(&p, " VALIDATE CONSTRAINT ") &&
	    (name = quoted(&p))) {
		char *key = xasprintf("%s.%s", table, name);

		if (made_here(z, key) && !made_here(z, table))
			z->rewrote = 1;
		free(key);
	}
	free(name);
	free(table);
}

static int rewrite(struct zctx *z, size_t i)
{
	struct migctx *m = z->m;
	const char *s = m->stmts[i];

	if (!m->is_stmt[i] || !m->flags || !(m->flags[i] & STMT_SCHEMA))
		return 0;
	note_table(z, s);
	note_not_valid(z, s);
	return z_create_index(z, s, m->stmt_index[i]) ||
	    z_drop_index(z, s, m->stmt_index[i]) ||
	    z_alter_table(z, s, m->stmt_index[i]);
}

void zdt_rewrite(struct migctx *m)
{
	struct zctx z = {0};

	z.m = m;
	for (size_t i = 0; i < m->n; i++) {
		if (rewrite(&z, i)) {
			z.rewrote = 1;
			continue;
		}
		out(&z, m->stmts[i], m->is_stmt[i], m->flags ? m->flags[i] : 0,
		    m->stmt_index[i]);
	}
	for (size_t i = 0; i < m->n; i++) {
		free(m->stmts[i]);
		free(m->stmt_index[i]);
	}
	free(m->stmts);
	free(m->stmt_index);
	free(m->is_stmt);
	free(m->flags);
	m->stmts = z.stmts;
	m->stmt_index = z.index;
	m->is_stmt = z.is_stmt;
	m->flags = z.flags;
	m->n = z.n;
	if (z.rewrote)
		m->atomic = 0;
	for (size_t i = 0; i < z.nmade; i++)
		free(z.made[i]);
	free(z.made);
}
