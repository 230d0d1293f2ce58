#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "sql.h"

void sql_quote_name(struct buf *b, const char *name)
{
	size_t n = strlen(name);

	if (n >= 2 && name[0] == '"' && name[n - 1] == '"')
		buf_puts(b, name);
	else
		buf_printf(b, "\"%s\"", name);
}

void names_digest(const char *const *parts, size_t nparts, size_t n,
    char *out)
{
	struct buf b = {0};
	char hex[33];

	buf_putn(&b, "", 0);
	for (size_t i = 0; i < nparts; i++)
		buf_puts(&b, parts[i]);
	md5_hex(b.s, b.len, hex);
	memcpy(out, hex, n);
	out[n] = '\0';
	buf_free(&b);
}

/* Names count characters, not bytes, as Python's len() does. */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The first n characters of s, allocated. */
static char *prefix(const char *s, size_t n)
{
	const char *p = s;

	for (size_t k = 0; *p && k <= n; p++)
		if (((unsigned char)*p & 0xC0) != 0x80 && k++ == n)
			break;
	return xstrndup(s, (size_t)(p - s));
}

char *index_name(const char *table, const char *const *cols, size_t ncols,
    const char *suffix)
{
	const char **parts = xcalloc(ncols + 1, sizeof *parts);
	struct buf joined = {0};
	char digest[9], *hash, *name, *t, *c;
	const char *dot = strrchr(table, '.');
	size_t max = 63, other;

	if (dot && table[0] == '"')	/* "schema"."table" */
		table = dot + 1;
	parts[0] = table;
	buf_putn(&joined, "", 0);
	for (size_t i = 0; i < ncols; i++) {
		parts[i + 1] = cols[i];
		buf_printf(&joined, "%s%s", i ? "_" : "", cols[i]);
	}
	names_digest(parts, ncols + 1, 8, digest);
	hash = xasprintf("%s%s", digest, suffix);
	name = xasprintf("%s_%s_%s", table, joined.s, hash);
	if (chars(name) > max) {
		free(name);
		if (chars(hash) > max / 3) {
			char *h = prefix(hash, max / 3);

			free(hash);
			hash = h;
		}
		other = (max - chars(hash)) / 2 - 1;
		t = prefix(table, other);
		c = prefix(joined.s, other);
		name = xasprintf("%s_%s_%s", t, c, hash);
		free(t);
		free(c);
		if (name[0] == '_' || isdigit((unsigned char)name[0])) {
			char *d = xasprintf("D%.*s", (int)strlen(name) - 1, name);

			free(name);
			name = d;
		}
	}
	free(hash);
	free(parts);
	buf_free(&joined);
	return name;
}

const char *sql_skip_quoted(const char *p)
{
	char q = *p;

	if (q == '$') {
		const char *end = strchr(p + 1, '$');
		size_t n;
		const char *close;

		if (!end)
			return p + 1;
		n = (size_t)(end - p + 1);
		for (const char *t = p + 1; t < end; t++)
			if (!isalnum((unsigned char)*t) && *t != '_')
				return p + 1;
		close = strstr(end + 1, p);
		while (close && strncmp(close, p, n))
			close = strstr(close + 1, p);
		return close && !strncmp(close, p, n) ? close + n : p + strlen(p);
	}
	for (p++; *p; p++)
		if (*p == q) {
			if (p[1] == q) {
				p++;
				continue;
			}
			return p + 1;
		}
	return p;
}

static void push_stmt(char ***v, size_t *n, struct buf *b)
{
	size_t s = 0, e = b->len;

	while (s < e && isspace((unsigned char)b->s[s]))
		s++;
	while (e > s && isspace((unsigned char)b->s[e - 1]))
		e--;
	if (e > s && !(e - s == 1 && b->s[s] == ';')) {
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		(*v)[(*n)++] = xstrndup(b->s + s, e - s);
	}
	buf_reset(b);
}

char **sql_split(const char *script, size_t *n)
{
	struct buf b = {0};
	char **v = NULL;
	const char *p = script;

	*n = 0;
	buf_putn(&b, "", 0);
	while (*p) {
		if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");

			p = e ? e + 2 : p + strlen(p);
			continue;
		}
		if (*p == '\'' || *p == '"' || (*p == '$' && (p == script ||
		    !isalnum((unsigned char)p[-1])))) {
			const char *e = sql_skip_quoted(p);

			buf_putn(&b, p, (size_t)(e - p));
			p = e;
			continue;
		}
		buf_putc(&b, *p);
		if (*p++ == ';')
			push_stmt(&v, n, &b);
	}
	push_stmt(&v, n, &b);
	buf_free(&b);
	return v;
}

const char *sql_skip_blank(const char *s)
{
	for (;;) {
		while (*s && isspace((unsigned char)*s))
			s++;
		if (s[0] == '-' && s[1] == '-') {
			while (*s && *s != '\n')
				s++;
		} else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			s = e ? e + 2 : s + strlen(s);
		} else {
			return s;
		}
	}
}

/* The next word of s (letters and underscores), upper-cased into w;
 * returns the position after it, with comments and blanks skipped. */
static const char *sql_word(const char *s, char *w, size_t wn)
{
	size_t i = 0;

	s = sql_skip_blank(s);
	while ((isalpha((unsigned char)*s) || *s == '_') && i + 1 < wn)
		w[i++] = (char)toupper((unsigned char)*s++);
	w[i] = '\0';
	return s;
}

int sql_needs_autocommit(const char *sql)
{
	static const char *const first[] = { "VACUUM", "ALTER SYSTEM",
	    "CREATE DATABASE", "DROP DATABASE", "CREATE TABLESPACE",
	    "DROP TABLESPACE" };
	char w[4][32], two[72];
	const char *p = sql;

	for (int i = 0; i < 4; i++)
		p = sql_word(p, w[i], sizeof w[i]);
	snprintf(two, sizeof two, "%s %s", w[0], w[1]);
	for (size_t i = 0; i < sizeof first / sizeof first[0]; i++)
		if (!strcmp(w[0], first[i]) || !strcmp(two, first[i]))
			return 1;
	/* CREATE [UNIQUE] INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY,
	 * REINDEX [(...)] {INDEX|TABLE|...} CONCURRENTLY */
	if (!strcmp(w[0], "CREATE") && !strcmp(w[1], "UNIQUE"))
		return !strcmp(w[2], "INDEX") && !strcmp(w[3], "CONCURRENTLY");
	if (!strcmp(w[0], "CREATE") || !strcmp(w[0], "DROP"))
		return !strcmp(w[1], "INDEX") && !strcmp(w[2], "CONCURRENTLY");
	if (!strcmp(w[0], "REINDEX"))
		return strstr(sql, "CONCURRENTLY") || strstr(sql, "concurrently");
	return 0;
}

int sql_weak_lock(const char *sql)
{
	char w[5][32];
	const char *p = sql;

	for (int i = 0; i < 5; i++)
		p = sql_word(p, w[i], sizeof w[i]);
	/* CREATE [UNIQUE] INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY:
	 * SHARE UPDATE EXCLUSIVE */
	if (!strcmp(w[0], "CREATE") && !strcmp(w[1], "UNIQUE"))
		return !strcmp(w[2], "INDEX") && !strcmp(w[3], "CONCURRENTLY");
	if (!strcmp(w[0], "CREATE") || !strcmp(w[0], "DROP"))
		return !strcmp(w[1], "INDEX") && !strcmp(w[2], "CONCURRENTLY");
	/* REINDEX ... CONCURRENTLY: SHARE UPDATE EXCLUSIVE */
	if (!strcmp(w[0], "REINDEX"))
		return sql_needs_autocommit(sql);
	/* ALTER TABLE t VALIDATE CONSTRAINT n, alone: SHARE UPDATE
	 * EXCLUSIVE (ROW SHARE on a foreign key's other table) */
	if (!strcmp(w[0], "ALTER") && !strcmp(w[1], "TABLE")) {
		const char *q = strstr(sql, " VALIDATE CONSTRAINT ");

		return q && !strchr(q, ',') && !strchr(q, ';') &&
		    !strstr(q + 1, " ALTER ") && !strstr(q + 1, " ADD ");
	}
	return 0;
}

size_t pg_clip(const char *s, size_t n)
{
	if (strlen(s) <= n)
		return strlen(s);
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

char *pg_object_name(const char *name1, const char *name2, const char *label)
{
	size_t overhead = strlen(label) + 1 + (name2 ? 1 : 0);
	size_t avail = PG_NAMELEN > overhead ? PG_NAMELEN - overhead : 0;
	size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;

	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	n1 = pg_clip(name1, n1);
	if (!name2)
		return xasprintf("%.*s_%s", (int)n1, name1, label);
	n2 = pg_clip(name2, n2);
	return xasprintf("%.*s_%.*s_%s", (int)n1, name1, (int)n2, name2,
	    label);
}

char *m2m_table_name(const char *model_table, const char *field,
    const char *db_table)
{
	char *table = db_table ? xstrdup(db_table) : xasprintf("%s_%s",
	    model_table, field);

	if (strlen(table) > 63) {	/* Django's truncate_name(name, 63) */
		char hex[9], *t;
		const char *p[1] = { table };

		names_digest(p, 1, 4, hex);
		t = xasprintf("%.59s%s", table, hex);
		free(table);
		table = t;
	}
	return table;
}
