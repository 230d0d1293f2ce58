#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pgint.h"
#include "base/base.h"

/* s past blanks and comments. */
static const char *skip(const char *s)
{
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
		} else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			s = e ? e + 2 : s + strlen(s);
		} else {
			return s;
		}
	}
}

/* The keyword kw (upper case) at s: the position after it, or NULL. */
static const char *keyword(const char *s, const char *kw)
{
	size_t n = strlen(kw);

	s = skip(s);
	for (size_t i = 0; i < n; i++)
		if (toupper((unsigned char)s[i]) != kw[i])
			return NULL;
	if (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '$')
		return NULL;
	return s + n;
}

/* An identifier at s, quoted ("a""b") or not (folded to lower case). */
static char *identifier(const char *s)
{
	struct buf b = {0};

	s = skip(s);
	buf_puts(&b, "");
	if (*s == '"') {
		for (s++; *s && !(s[0] == '"' && s[1] != '"'); s++) {
			if (*s == '"')
				s++;	/* "" stands for " */
			buf_putc(&b, *s);
		}
		if (*s != '"') {
			buf_free(&b);
			return NULL;
		}
		return b.s;
	}
	while (isalnum((unsigned char)*s) || *s == '_' || *s == '$')
		buf_putc(&b, tolower((unsigned char)*s++));
	if (!b.len || !strcmp(b.s, "on")) {
		buf_free(&b);
		return NULL;
	}
	return b.s;
}

char *concidx_name(const char *sql)
{
	const char *p = keyword(sql, "CREATE"), *q;

	if (!p)
		return NULL;
	if ((q = keyword(p, "UNIQUE")))
		p = q;
	if (!(p = keyword(p, "INDEX")) || !(p = keyword(p, "CONCURRENTLY")))
		return NULL;
	if ((q = keyword(p, "IF")) && (q = keyword(q, "NOT")) &&
	    (q = keyword(q, "EXISTS")))
		p = q;
	return identifier(p);
}

PGresult *concidx_state(struct pg *pg, const char *name,
    enum concidx_state *st, char **drop)
{
	const char *params[] = { name };
	PGresult *r = pg_run(pg, "SELECT n.nspname, i.indisvalid "
	    "FROM pg_catalog.pg_class c "
	    "JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid "
	    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	    "WHERE c.relname = $1 AND pg_catalog.pg_table_is_visible(c.oid)",
	    1, params);

	*drop = NULL;
	*st = CONCIDX_ABSENT;
	if (!pg_ok(r))
		return r;
	if (PQntuples(r) > 0) {
		*st = strcmp(PQgetvalue(r, 0, 1), "t") ? CONCIDX_INVALID :
		    CONCIDX_VALID;
		if (*st == CONCIDX_INVALID) {
			char *n = pg_ident(pg, PQgetvalue(r, 0, 0));
			char *i = pg_ident(pg, name);

			*drop = xasprintf("DROP INDEX CONCURRENTLY IF EXISTS "
			    "%s.%s", n, i);
			free(n);
			free(i);
		}
	}
	PQclear(r);
	return NULL;
}
