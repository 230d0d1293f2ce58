/* catalog.c: the tables, constraints and indexes of catalog.h, kept as
 * PostgreSQL 15 keeps them for the statements Django 5.2 and RunSQL run.
 *
 * Each statement is tokenized, parsed into what it asks for, checked for
 * the errors that would make PostgreSQL refuse it (nothing changes then),
 * and applied.  Unnamed objects get the names PostgreSQL would choose
 * (makeObjectName, ChooseRelationName, ChooseConstraintName,
 * ChooseIndexColumnNames), in the order PostgreSQL makes them: CREATE
 * TABLE makes its checks, then its primary key, unique and exclusion
 * constraints, then its foreign keys; ALTER TABLE drops first, makes
 * again what is on a retyped column, adds columns, then makes index
 * constraints, then checks and foreign keys.  Foreign keys remember the
 * unique index they use, as pg_depend does, so that dropping it needs
 * CASCADE and takes them along.
 *
 * Not followed: column types (so a cast PostgreSQL drops, as in
 * (col::same_type), still counts as an expression), partitions and
 * inheritance (such tables are unknown), schemas (a qualified name is
 * its last part), transactions (each statement stands alone).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "sql/sql.h"
#include "base/base.h"
#include "stream/stream.h"

#define NAMELEN 63		/* NAMEDATALEN - 1: PostgreSQL's longest name */

/* --- string vectors -------------------------------------------------- */

/* Column lists; a NULL entry stands for an expression. */
struct strv {
	char **v;
	size_t n;
};

static void strv_push(struct strv *sv, const char *s)
{
	sv->v = xrealloc(sv->v, (sv->n + 1) * sizeof *sv->v);
	sv->v[sv->n++] = s ? xstrdup(s) : NULL;
}

static void strv_free(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

static struct strv strv_copy(const struct strv *sv)
{
	struct strv c = {0};

	for (size_t i = 0; i < sv->n; i++)
		strv_push(&c, sv->v[i]);
	return c;
}

static int strv_has(const struct strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (sv->v[i] && !strcmp(sv->v[i], s))
			return 1;
	return 0;
}

/* Push s unless it is there already. */
static void strv_add(struct strv *sv, const char *s)
{
	if (!strv_has(sv, s))
		strv_push(sv, s);
}

static int strv_eq(const struct strv *a, const struct strv *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i] ? !b->v[i] || strcmp(a->v[i], b->v[i]) : !!b->v[i])
			return 0;
	return 1;
}

static void strv_rename(struct strv *sv, const char *from, const char *to)
{
	for (size_t i = 0; i < sv->n; i++)
		if (sv->v[i] && !strcmp(sv->v[i], from)) {
			free(sv->v[i]);
			sv->v[i] = xstrdup(to);
		}
}

static void strv_remove(struct strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (sv->v[i] && !strcmp(sv->v[i], s)) {
			free(sv->v[i]);
			memmove(sv->v + i, sv->v + i + 1,
			    (sv->n - i - 1) * sizeof *sv->v);
			sv->n--;
			return;
		}
}

/* --- the catalog ----------------------------------------------------- */

/* O_SEQ: the sequence of an identity column, named when it was made */
enum okind { O_PK, O_UNIQUE, O_FK, O_CHECK, O_EXCLUDE, O_INDEX, O_UINDEX,
	O_SEQ };

static const char *const kind_names[] = {
	"pk", "unique", "fk", "check", "exclude", "index", "uindex", "seq"
};

struct object {
	enum okind kind;
	char *name;
	struct strv cols;	/* as the object lists them */
	struct strv uses;	/* other columns its expressions, WHERE or
				 * INCLUDE read: dropping one drops it */
	size_t nkey;		/* indexes: cols[0..nkey) are the key */
	char *reftable;		/* fk: the table and columns referenced */
	struct strv refcols;
	char *method;		/* indexes: the access method */
	unsigned long id;	/* what foreign keys depend on */
	unsigned long dep;	/* fk: the id of the unique index it uses */
	int nofk;		/* unique, but no foreign key can use it */
	char *index;		/* fk of a live catalog: the name of that
				 * index, until catalog_prefer() finds it */
};

struct table {
	char *name;
	int unknown;		/* tainted: its objects cannot be told */
	struct strv cols;
	struct object *objs;
	size_t nobjs;
	struct strv seqs;	/* a live catalog's sequences of its columns,
				 * whose names are taken too */
};

struct catalog {
	struct table *tabs;
	size_t ntabs;
	unsigned long lastid;
	int database;		/* a live catalog with a database record: */
	struct strv dbwide;	/* its extensions, and its non-deterministic
				 * collations as "collation:NAME" */
};

static int has_index(enum okind k)
{
	return k == O_PK || k == O_UNIQUE || k == O_EXCLUDE || k == O_INDEX ||
	    k == O_UINDEX;
}

static int is_constraint(enum okind k)
{
	return k != O_INDEX && k != O_UINDEX && k != O_SEQ;
}

static void object_free(struct object *o)
{
	free(o->name);
	strv_free(&o->cols);
	strv_free(&o->uses);
	free(o->reftable);
	strv_free(&o->refcols);
	free(o->method);
	free(o->index);
}

static void object_copy(struct object *d, const struct object *s)
{
	*d = *s;
	d->name = xstrdup(s->name);
	d->cols = strv_copy(&s->cols);
	d->uses = strv_copy(&s->uses);
	d->reftable = s->reftable ? xstrdup(s->reftable) : NULL;
	d->refcols = strv_copy(&s->refcols);
	d->method = s->method ? xstrdup(s->method) : NULL;
	d->index = s->index ? xstrdup(s->index) : NULL;
}

static void table_clear(struct table *t)
{
	for (size_t i = 0; i < t->nobjs; i++)
		object_free(&t->objs[i]);
	free(t->objs);
	t->objs = NULL;
	t->nobjs = 0;
	strv_free(&t->cols);
	strv_free(&t->seqs);
}

static void object_append(struct table *t, struct object *o)
{
	t->objs = xrealloc(t->objs, (t->nobjs + 1) * sizeof *t->objs);
	t->objs[t->nobjs++] = *o;
}

/* Take object i out of t's list without freeing it. */
static struct object object_take(struct table *t, size_t i)
{
	struct object o = t->objs[i];

	memmove(t->objs + i, t->objs + i + 1,
	    (t->nobjs - i - 1) * sizeof *t->objs);
	t->nobjs--;
	return o;
}

static void object_remove(struct table *t, size_t i)
{
	struct object o = object_take(t, i);

	object_free(&o);
}

struct catalog *catalog_new(void)
{
	return xcalloc(1, sizeof(struct catalog));
}

struct catalog *catalog_copy(const struct catalog *c)
{
	struct catalog *d = catalog_new();

	d->lastid = c->lastid;
	d->ntabs = c->ntabs;
	d->tabs = xcalloc(c->ntabs ? c->ntabs : 1, sizeof *d->tabs);
	for (size_t i = 0; i < c->ntabs; i++) {
		const struct table *s = &c->tabs[i];
		struct table *t = &d->tabs[i];

		t->name = xstrdup(s->name);
		t->unknown = s->unknown;
		t->cols = strv_copy(&s->cols);
		t->seqs = strv_copy(&s->seqs);
		t->nobjs = s->nobjs;
		t->objs = xcalloc(s->nobjs ? s->nobjs : 1, sizeof *t->objs);
		for (size_t j = 0; j < s->nobjs; j++)
			object_copy(&t->objs[j], &s->objs[j]);
	}
	return d;
}

void catalog_free(struct catalog *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ntabs; i++) {
		table_clear(&c->tabs[i]);
		free(c->tabs[i].name);
	}
	free(c->tabs);
	strv_free(&c->dbwide);
	free(c);
}

static struct table *table_find(const struct catalog *c, const char *name)
{
	for (size_t i = 0; i < c->ntabs; i++)
		if (!strcmp(c->tabs[i].name, name))
			return &c->tabs[i];
	return NULL;
}

/* The entry of table name, emptied, or a new one. */
static struct table *table_fresh(struct catalog *c, const char *name)
{
	struct table *t = table_find(c, name);

	if (t) {
		table_clear(t);
	} else {
		c->tabs = xrealloc(c->tabs, (c->ntabs + 1) * sizeof *c->tabs);
		t = &c->tabs[c->ntabs++];
		memset(t, 0, sizeof *t);
		t->name = xstrdup(name);
	}
	t->unknown = 0;
	return t;
}

static void table_forget(struct catalog *c, const char *name)
{
	struct table *t = table_find(c, name);
	size_t i;

	if (!t)
		return;
	i = (size_t)(t - c->tabs);
	table_clear(t);
	free(t->name);
	memmove(c->tabs + i, c->tabs + i + 1,
	    (c->ntabs - i - 1) * sizeof *c->tabs);
	c->ntabs--;
}

/* The position in t of the object called name that pred accepts, or -1. */
static long object_find(const struct table *t, const char *name,
    int (*pred)(enum okind))
{
	for (size_t i = 0; i < t->nobjs; i++)
		if (!strcmp(t->objs[i].name, name) && pred(t->objs[i].kind))
			return (long)i;
	return -1;
}

static long object_by_id(const struct table *t, unsigned long id)
{
	for (size_t i = 0; i < t->nobjs; i++)
		if (t->objs[i].id == id)
			return (long)i;
	return -1;
}

/* The index (or index-backed constraint) called name, in any table. */
static struct object *index_find(const struct catalog *c, const char *name,
    struct table **tp)
{
	for (size_t i = 0; i < c->ntabs; i++) {
		long j = object_find(&c->tabs[i], name, has_index);

		if (j >= 0) {
			*tp = &c->tabs[i];
			return &c->tabs[i].objs[j];
		}
	}
	return NULL;
}

/* --- foreign keys other objects hold --------------------------------- */

typedef int (*fk_pred)(const struct table *owner, const struct object *fk,
    const void *arg);

/* Drop (or with dry, only count) the foreign keys pred accepts. */
static size_t fks_drop(struct catalog *c, fk_pred pred, const void *arg,
    int dry)
{
	size_t n = 0;

	for (size_t i = 0; i < c->ntabs; i++) {
		struct table *t = &c->tabs[i];

		for (size_t j = 0; j < t->nobjs;) {
			if (t->objs[j].kind == O_FK && pred(t, &t->objs[j], arg)) {
				n++;
				if (!dry) {
					object_remove(t, j);
					continue;
				}
			}
			j++;
		}
	}
	return n;
}

static int fk_uses_id(const struct table *owner, const struct object *fk,
    const void *arg)
{
	(void)owner;
	return fk->dep && fk->dep == *(const unsigned long *)arg;
}

/* The foreign keys into tables that are dropped, held by tables that are
 * not. */
static int fk_into(const struct table *owner, const struct object *fk,
    const void *arg)
{
	const struct strv *dropped = arg;

	return strv_has(dropped, fk->reftable) &&
	    !strv_has(dropped, owner->name);
}

/* A column dropped: the objects of its table that involved it, and what
 * depended on them. */
struct coldrop {
	const char *table, *col;
	unsigned long *ids;
	size_t nids;
};

static int involves(const struct object *o, const char *col)
{
	return strv_has(&o->cols, col) || strv_has(&o->uses, col);
}

static int fk_on_column(const struct table *owner, const struct object *fk,
    const void *arg)
{
	const struct coldrop *d = arg;
	int hit = !strcmp(fk->reftable, d->table) &&
	    strv_has(&fk->refcols, d->col);

	for (size_t i = 0; !hit && i < d->nids; i++)
		hit = fk->dep == d->ids[i];
	/* the table's own keys on the column go with it anyway */
	return hit && !(!strcmp(owner->name, d->table) && involves(fk, d->col));
}

static void fks_rename_table(struct catalog *c, const char *from,
    const char *to)
{
	for (size_t i = 0; i < c->ntabs; i++)
		for (size_t j = 0; j < c->tabs[i].nobjs; j++) {
			struct object *o = &c->tabs[i].objs[j];

			if (o->kind == O_FK && !strcmp(o->reftable, from)) {
				free(o->reftable);
				o->reftable = xstrdup(to);
			}
		}
}

static void fks_rename_column(struct catalog *c, const char *table,
    const char *from, const char *to)
{
	for (size_t i = 0; i < c->ntabs; i++)
		for (size_t j = 0; j < c->tabs[i].nobjs; j++) {
			struct object *o = &c->tabs[i].objs[j];

			if (o->kind == O_FK && !strcmp(o->reftable, table))
				strv_rename(&o->refcols, from, to);
		}
}

/* --- PostgreSQL's names ---------------------------------------------- */

enum { NS_REL = 1, NS_CON = 2 };

/* Is name a relation (NS_REL: a table or an index) or a constraint
 * (NS_CON) of the schema? */
static int name_taken(const struct catalog *c, const char *name, int ns)
{
	for (size_t i = 0; i < c->ntabs; i++) {
		const struct table *t = &c->tabs[i];

		if ((ns & NS_REL) && (!strcmp(t->name, name) ||
		    strv_has(&t->seqs, name)))
			return 1;
		for (size_t j = 0; j < t->nobjs; j++) {
			const struct object *o = &t->objs[j];

			if (strcmp(o->name, name))
				continue;
			if (((ns & NS_REL) && (has_index(o->kind) ||
			    o->kind == O_SEQ)) ||
			    ((ns & NS_CON) && is_constraint(o->kind)))
				return 1;
		}
	}
	return 0;
}

/* ChooseRelationName / ChooseConstraintName: the first of label, label1,
 * label2... that gives a name not taken. */
static char *choose_name(const struct catalog *c, const char *name1,
    const char *name2, const char *label, int ns)
{
	char lab[32];

	for (unsigned pass = 0;; pass++) {
		char *name;

		if (pass)
			snprintf(lab, sizeof lab, "%s%u", label, pass);
		else
			snprintf(lab, sizeof lab, "%s", label);
		name = pg_object_name(name1, name2, lab);
		if (!name_taken(c, name, ns))
			return name;
		free(name);
	}
}

/* ChooseIndexColumnNames: a column named twice becomes name1, name2... */
static struct strv index_colnames(const struct strv *names)
{
	struct strv out = {0};

	for (size_t i = 0; i < names->n; i++) {
		const char *orig = names->v[i];
		char *cur = xstrdup(orig);

		for (unsigned k = 1; strv_has(&out, cur); k++) {
			char num[16];
			size_t n;

			snprintf(num, sizeof num, "%u", k);
			n = pg_clip(orig, NAMELEN - strlen(num));
			free(cur);
			cur = xasprintf("%.*s%s", (int)n, orig, num);
		}
		strv_push(&out, cur);
		free(cur);
	}
	return out;
}

/* ChooseIndexNameAddition (and its foreign-key twin): the names joined
 * with '_', cut off once past NAMELEN. */
static char *name_addition(const struct strv *names)
{
	struct buf b = {0};

	buf_putn(&b, "", 0);
	for (size_t i = 0; i < names->n && b.len <= NAMELEN; i++) {
		if (b.len)
			buf_putc(&b, '_');
		buf_putn(&b, names->v[i], pg_clip(names->v[i], NAMELEN));
	}
	return b.s;
}

/* --- tokens ---------------------------------------------------------- */

enum tkind {
	K_WORD,			/* an unquoted word, folded to lower case */
	K_QUOTED,		/* a quoted identifier, unescaped */
	K_STRING, K_NUMBER, K_OP,
	K_OPEN, K_CLOSE,	/* ( [ and ) ] */
	K_COMMA, K_SEMI, K_DOT
};

struct tok {
	enum tkind kind;
	char *s;
};

struct toks {
	struct tok *v;
	size_t n, cap;
};

static void tok_push(struct toks *ts, enum tkind kind, char *s)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 64;
		ts->v = xrealloc(ts->v, ts->cap * sizeof *ts->v);
	}
	ts->v[ts->n].kind = kind;
	ts->v[ts->n++].s = s;
}

static void toks_free(struct toks *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		free(ts->v[i].s);
	free(ts->v);
}

static int word_char(int ch, int first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    ch == '_' || ch >= 0x80 || (!first && ((ch >= '0' && ch <= '9') ||
	    ch == '$'));
}

/* Blanks, -- comments and (nested) block comments. */
static const char *skip_blank(const char *p)
{
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f' || *p == '\v')
			p++;
		if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			int depth = 0;

			do {
				if (p[0] == '/' && p[1] == '*')
					depth++, p++;
				else if (p[0] == '*' && p[1] == '/')
					depth--, p++;
				p++;
			} while (*p && depth > 0);
		} else {
			return p;
		}
	}
}

/* The end of the quoted text at p (quote q doubled inside; with bs, a
 * backslash escapes); its unescaped contents into b when b is given. */
static const char *lex_quoted(const char *p, int bs, struct buf *b)
{
	char q = *p++;

	for (; *p; p++) {
		if (bs && *p == '\\' && p[1]) {
			p++;
		} else if (*p == q) {
			if (p[1] != q)
				return p + 1;
			p++;
		}
		if (b)
			buf_putc(b, *p);
	}
	return p;
}

/* A dollar-quoted string at p, or NULL when p starts none. */
static const char *lex_dollar(const char *p)
{
	const char *e = p + 1, *close;
	size_t n;

	if (*e != '$' && !word_char((unsigned char)*e, 1))
		return NULL;
	while (*e != '$' && word_char((unsigned char)*e, 0))
		e++;
	if (*e != '$')
		return NULL;
	n = (size_t)(e + 1 - p);
	for (close = strstr(e + 1, "$"); close; close = strstr(close + 1, "$"))
		if (!strncmp(close, p, n))
			return close + n;
	return p + strlen(p);
}

/* An identifier as PostgreSQL keeps it: at most NAMELEN bytes. */
static char *ident(const char *s, size_t n, int fold)
{
	char *id = xstrndup(s, n);

	id[pg_clip(id, NAMELEN)] = '\0';
	for (char *p = id; fold && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return id;
}

/* One token at p into ts; returns the position after it. */
static const char *lex_one(const char *p, struct toks *ts)
{
	static const char opchars[] = "+-*/<>=~!@#%^&|`?:";
	const char *e;

	if ((*p == 'E' || *p == 'e') && p[1] == '\'') {
		e = lex_quoted(p + 1, 1, NULL);
		tok_push(ts, K_STRING, NULL);
	} else if (*p == '\'') {
		e = lex_quoted(p, 0, NULL);
		tok_push(ts, K_STRING, NULL);
	} else if (*p == '"') {
		struct buf b = {0};

		buf_putn(&b, "", 0);
		e = lex_quoted(p, 0, &b);
		tok_push(ts, K_QUOTED, ident(b.s, b.len, 0));
		buf_free(&b);
	} else if (*p == '$' && (e = lex_dollar(p))) {
		tok_push(ts, K_STRING, NULL);
	} else if (word_char((unsigned char)*p, 1)) {
		for (e = p; word_char((unsigned char)*e, 0); e++)
			;
		tok_push(ts, K_WORD, ident(p, (size_t)(e - p), 1));
	} else if ((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' &&
	    p[1] <= '9')) {
		for (e = p; word_char((unsigned char)*e, 0) || *e == '.'; e++)
			;
		tok_push(ts, K_NUMBER, NULL);
	} else if (strchr(opchars, *p)) {
		for (e = p + 1; *e && strchr(opchars, *e) &&
		    !(e[0] == '-' && e[1] == '-') &&
		    !(e[0] == '/' && e[1] == '*'); e++)
			;
		tok_push(ts, K_OP, xstrndup(p, (size_t)(e - p)));
	} else {
		static const char single[] = "([)],;.";
		static const enum tkind kinds[] = { K_OPEN, K_OPEN, K_CLOSE,
		    K_CLOSE, K_COMMA, K_SEMI, K_DOT };
		const char *k = strchr(single, *p);

		tok_push(ts, k ? kinds[k - single] : K_OP, xstrndup(p, 1));
		e = p + 1;
	}
	return e;
}

static struct toks sql_lex(const char *sql)
{
	struct toks ts = {0};
	const char *p = skip_blank(sql);

	while (*p)
		p = skip_blank(lex_one(p, &ts));
	return ts;
}

/* --- a cursor over the tokens of one statement ----------------------- */

struct cur {
	const struct tok *v;
	size_t i, n;
};

static const struct tok *tk(const struct cur *c, size_t k)
{
	return c->i + k < c->n ? &c->v[c->i + k] : NULL;
}

static int at_end(const struct cur *c)
{
	return c->i >= c->n;
}

static int is_word(const struct tok *t, const char *w)
{
	return t && t->kind == K_WORD && !strcmp(t->s, w);
}

static int is_name(const struct tok *t)
{
	return t && (t->kind == K_WORD || t->kind == K_QUOTED);
}

static int is_open(const struct tok *t)
{
	return t && t->kind == K_OPEN && t->s[0] == '(';
}

static int is_op(const struct tok *t, const char *op)
{
	return t && t->kind == K_OP && !strcmp(t->s, op);
}

/* Consume the words w[0], w[1]... if all of them come next. */
static int accept_seq(struct cur *c, const char *const *w)
{
	size_t k;

	for (k = 0; w[k]; k++)
		if (!is_word(tk(c, k), w[k]))
			return 0;
	c->i += k;
	return 1;
}

#define ACCEPT(c, ...) accept_seq((c), (const char *const[]){__VA_ARGS__, NULL})

/* A possibly qualified name, consumed: its last part, or NULL. */
static const char *qname(struct cur *c)
{
	const char *s;

	if (!is_name(tk(c, 0)))
		return NULL;
	s = tk(c, 0)->s;
	c->i++;
	while (tk(c, 0) && tk(c, 0)->kind == K_DOT && is_name(tk(c, 1))) {
		s = tk(c, 1)->s;
		c->i += 2;
	}
	return s;
}

/* Skip one token, or a whole bracketed group; 0 if it is not closed. */
static int skip(struct cur *c)
{
	size_t depth = 0;

	do {
		if (c->v[c->i].kind == K_OPEN)
			depth++;
		else if (c->v[c->i].kind == K_CLOSE && depth)
			depth--;
		c->i++;
	} while (depth && !at_end(c));
	return depth == 0;
}

/* At '(': the tokens inside into in, and c moved past ')'. */
static int group(struct cur *c, struct cur *in)
{
	if (!is_open(tk(c, 0)))
		return 0;
	in->v = c->v;
	in->i = c->i + 1;
	if (!skip(c))
		return 0;
	in->n = c->i - 1;
	return 1;
}

/* The next comma-separated item of c into it. */
static int item(struct cur *c, struct cur *it)
{
	if (at_end(c))
		return 0;
	*it = *c;
	while (!at_end(c) && tk(c, 0)->kind != K_COMMA)
		skip(c);
	it->n = c->i;
	if (!at_end(c))
		c->i++;
	return 1;
}

/* "(a, b)": the names into out. */
static int name_list(struct cur *c, struct strv *out)
{
	struct cur in, it;

	if (!group(c, &in))
		return 0;
	while (item(&in, &it)) {
		const char *s = qname(&it);

		if (!s || !at_end(&it))
			return 0;
		strv_push(out, s);
	}
	return 1;
}

/* --- expressions ----------------------------------------------------- */

/* Words that are never column references. */
static int is_keyword(const struct tok *t)
{
	static const char *const kw[] = { "and", "or", "not", "is", "null",
	    "true", "false", "in", "between", "like", "ilike", "similar",
	    "case", "when", "then", "else", "end", "any", "all", "some",
	    "array", "cast", "as", "distinct", "from", "collate", "escape",
	    "symmetric", "asymmetric", "isnull", "notnull", "unknown",
	    "current_date", "current_time", "current_timestamp", "localtime",
	    "localtimestamp", "current_user", "session_user", "user" };

	for (size_t i = 0; t->kind == K_WORD && i < sizeof kw / sizeof *kw; i++)
		if (!strcmp(t->s, kw[i]))
			return 1;
	return 0;
}

/* The names expression e may read as columns, in order of first
 * appearance, added to out: not functions, qualifiers, types, typed
 * literals' types or keywords. */
static void expr_refs(struct cur e, struct strv *out)
{
	for (size_t i = e.i; i < e.n; i++) {
		const struct tok *t = &e.v[i], *next = i + 1 < e.n ? t + 1 : NULL;

		if (!is_name(t) || is_keyword(t) || is_open(next) ||
		    (next && (next->kind == K_DOT || next->kind == K_STRING)))
			continue;
		if (i > e.i && (is_op(t - 1, "::") || is_word(t - 1, "as")))
			continue;
		strv_add(out, t->s);
	}
}

/* The internal name of a type named with SQL's own words. */
static const char *type_name(struct cur *c)
{
	static const char *const map[][2] = { {"int", "int4"},
	    {"integer", "int4"}, {"smallint", "int2"}, {"bigint", "int8"},
	    {"real", "float4"}, {"float", "float8"}, {"double", "float8"},
	    {"boolean", "bool"}, {"decimal", "numeric"}, {"dec", "numeric"},
	    {"char", "bpchar"}, {"character", "bpchar"}, {"varchar", "varchar"},
	    {"timestamp", "timestamp"}, {"time", "time"} };
	const struct tok *t = tk(c, 0);
	const char *name = qname(c);

	if (!name)
		return NULL;
	for (size_t i = 0; t->kind == K_WORD && i < sizeof map / sizeof *map; i++)
		if (!strcmp(name, map[i][0]))
			name = map[i][1];
	if (ACCEPT(c, "varying"))
		name = "varchar";
	ACCEPT(c, "precision");
	if (ACCEPT(c, "with", "time", "zone"))
		name = !strcmp(name, "time") ? "timetz" : "timestamptz";
	ACCEPT(c, "without", "time", "zone");
	while (tk(c, 0) && tk(c, 0)->kind == K_OPEN)
		skip(c);
	return name;
}

static const char *expr_name(struct cur *c, int *strength);

/* A name or function call primary (FigureColnameInternal). */
static const char *call_name(struct cur *c, int *strength)
{
	const char *name;
	struct cur in;

	if (is_word(tk(c, 0), "cast") && is_open(tk(c, 1))) {
		c->i++;
		group(c, &in);
		name = expr_name(&in, strength);
		if (ACCEPT(&in, "as") && *strength <= 1) {
			name = type_name(&in);
			*strength = 1;
		}
		return name;
	}
	if (is_word(tk(c, 0), "case") || is_word(tk(c, 0), "array")) {
		name = tk(c, 0)->s;
		c->i = c->n;	/* the rest is theirs */
		*strength = 2;
		return name;
	}
	if (tk(c, 1) && tk(c, 1)->kind == K_STRING) {	/* interval '1 day' */
		name = type_name(c);
		c->i++;
		*strength = 1;
		return name;
	}
	name = qname(c);
	if (is_open(tk(c, 0)))
		skip(c);
	*strength = 2;
	return name;
}

/* The name PostgreSQL gives an index column on the expression at c, or
 * NULL ("expr"); *strength as FigureColnameInternal's. */
static const char *expr_name(struct cur *c, int *strength)
{
	const struct tok *t = tk(c, 0);
	const char *name = NULL;
	struct cur in;

	*strength = 0;
	if (!t)
		return NULL;
	if (group(c, &in)) {
		name = expr_name(&in, strength);
		if (!at_end(&in))
			name = NULL, *strength = 0;
	} else if (is_name(t) && !is_word(t, "true") && !is_word(t, "false") &&
	    !is_word(t, "null")) {
		name = call_name(c, strength);
	} else if (t->kind == K_STRING || t->kind == K_NUMBER || is_name(t)) {
		c->i++;
	} else {
		return NULL;
	}
	while (is_op(tk(c, 0), "::")) {
		const char *type;

		c->i++;
		type = type_name(c);
		if (*strength <= 1)
			name = type, *strength = 1;
	}
	if (ACCEPT(c, "collate"))
		qname(c);
	return name;
}

/* The name PostgreSQL gives an index column on expression e. */
static const char *figure(struct cur e)
{
	int strength;
	const char *name = expr_name(&e, &strength);

	return name && at_end(&e) ? name : "expr";
}

/* --- what statements make -------------------------------------------- */

/* An object a statement asks for. */
struct spec {
	enum okind kind;
	char *name;		/* as given; NULL: PostgreSQL chooses one */
	struct strv cols;	/* as the object will list them */
	size_t nkey;
	struct strv names;	/* indexes: the column names of its name */
	struct strv uses;	/* names its expressions refer to */
	char *reftable, *method;
	char *index;		/* ADD ... USING INDEX */
	struct strv refcols;
	int nofk;
};

struct specs {
	struct spec *v;
	size_t n;
};

static struct spec *spec_new(struct specs *ss, enum okind kind,
    const char *name)
{
	struct spec *s;

	ss->v = xrealloc(ss->v, (ss->n + 1) * sizeof *ss->v);
	s = &ss->v[ss->n++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->name = name ? xstrdup(name) : NULL;
	return s;
}

static void specs_free(struct specs *ss)
{
	for (size_t i = 0; i < ss->n; i++) {
		struct spec *s = &ss->v[i];

		free(s->name);
		strv_free(&s->cols);
		strv_free(&s->names);
		strv_free(&s->uses);
		free(s->reftable);
		free(s->method);
		free(s->index);
		strv_free(&s->refcols);
	}
	free(ss->v);
	ss->v = NULL;
	ss->n = 0;
}

/* The inside of the group at c, nested parentheses stripped:
 * ((x)) -> x. */
static int unwrap(struct cur *c, struct cur *in)
{
	struct cur rest;

	if (!group(c, in))
		return 0;
	for (;;) {
		rest = *in;
		if (!is_open(tk(&rest, 0)) || !skip(&rest) || !at_end(&rest))
			return 1;
		rest = *in;
		group(&rest, in);
	}
}

/* One element of an index or exclusion constraint: a column or an
 * expression, its opclass, order and the rest ignored. */
static int parse_elem(struct cur *e, struct spec *s)
{
	const struct tok *t = tk(e, 0), *col = NULL;
	struct cur in, x = *e;

	if (is_open(t)) {
		if (!unwrap(e, &in))
			return 0;
		if (is_name(tk(&in, 0)) && !is_keyword(tk(&in, 0)) &&
		    (in.i + 1 == in.n || is_word(tk(&in, 1), "collate")))
			col = tk(&in, 0);		/* (col) */
		else
			expr_refs(in, &s->uses);
	} else if (is_name(t) && tk(e, 1) && (tk(e, 1)->kind == K_DOT ||
	    is_open(tk(e, 1)))) {			/* f(...) */
		qname(e);
		if (!group(e, &in))
			return 0;
		expr_refs(in, &s->uses);
	} else if (is_name(t)) {
		col = t;
	} else {
		return 0;
	}
	x.n = e->i;
	strv_push(&s->cols, col ? col->s : NULL);
	strv_push(&s->names, col ? col->s : figure(x));
	s->nofk |= !col;
	return 1;
}

/* INCLUDE (...), WHERE ..., DEFERRABLE...: what may follow an index or
 * an index constraint's columns. */
static int parse_index_tail(struct cur *c, struct spec *s, int constraint)
{
	while (!at_end(c)) {
		struct strv incl = {0};

		if (ACCEPT(c, "include")) {
			if (!name_list(c, &incl))
				return strv_free(&incl), 0;
			for (size_t i = 0; i < incl.n; i++) {
				strv_push(constraint ? &s->uses : &s->cols,
				    incl.v[i]);
				strv_push(&s->names, incl.v[i]);
			}
			strv_free(&incl);
		} else if (ACCEPT(c, "where")) {
			expr_refs(*c, &s->uses);
			s->nofk = 1;
			c->i = c->n;
		} else if (ACCEPT(c, "not", "deferrable")) {
			continue;
		} else if (ACCEPT(c, "deferrable") ||
		    ACCEPT(c, "initially", "deferred")) {
			s->nofk = 1;
		} else {
			skip(c);
		}
	}
	return 1;
}

/* ( elem [WITH op], ... ) of an index or exclusion constraint. */
static int parse_elems(struct cur *c, struct spec *s, int exclude)
{
	struct cur in, it;

	if (!group(c, &in))
		return 0;
	while (item(&in, &it)) {
		struct cur e = it;

		while (exclude && !at_end(&it) && !is_word(tk(&it, 0), "with"))
			skip(&it);
		e.n = exclude ? it.i : it.n;
		if (!parse_elem(&e, s))
			return 0;
	}
	s->nkey = s->cols.n;
	return s->cols.n > 0;
}

/* EXCLUDE [USING method] (elems) ...: its columns are only the plain
 * ones, as pg_constraint lists them. */
static int parse_exclude(struct cur *c, struct spec *s)
{
	struct strv cols = {0};

	if (ACCEPT(c, "using")) {
		if (!is_name(tk(c, 0)))
			return 0;
		s->method = xstrdup(tk(c, 0)->s);
		c->i++;
	} else {
		s->method = xstrdup("gist");
	}
	if (!parse_elems(c, s, 1))
		return 0;
	for (size_t i = 0; i < s->cols.n; i++)
		if (s->cols.v[i])
			strv_push(&cols, s->cols.v[i]);
	strv_free(&s->cols);
	s->cols = cols;
	return parse_index_tail(c, s, 1);
}

/* A table constraint (CREATE TABLE, ALTER TABLE ADD). */
static int parse_table_constraint(struct cur *c, struct specs *out)
{
	const char *name = NULL;
	struct spec *s;
	struct cur in;
	int pk;

	if (ACCEPT(c, "constraint") && !(name = qname(c)))
		return 0;
	if (ACCEPT(c, "check")) {
		s = spec_new(out, O_CHECK, name);
		if (!group(c, &in))
			return 0;
		expr_refs(in, &s->uses);
		c->i = c->n;	/* NO INHERIT, NOT VALID */
		return 1;
	}
	if ((pk = ACCEPT(c, "primary", "key")) || ACCEPT(c, "unique")) {
		s = spec_new(out, pk ? O_PK : O_UNIQUE, name);
		if (!ACCEPT(c, "nulls", "not", "distinct"))
			ACCEPT(c, "nulls", "distinct");
		if (ACCEPT(c, "using", "index")) {
			const char *idx = qname(c);

			s->index = idx ? xstrdup(idx) : NULL;
			return idx && parse_index_tail(c, s, 1);
		}
		if (!name_list(c, &s->cols))
			return 0;
		s->names = strv_copy(&s->cols);
		s->nkey = s->cols.n;
		return parse_index_tail(c, s, 1);
	}
	if (ACCEPT(c, "foreign", "key")) {
		const char *ref;

		s = spec_new(out, O_FK, name);
		if (!name_list(c, &s->cols) || !ACCEPT(c, "references") ||
		    !(ref = qname(c)))
			return 0;
		s->reftable = xstrdup(ref);
		if (is_open(tk(c, 0)) && !name_list(c, &s->refcols))
			return 0;
		c->i = c->n;	/* MATCH, ON DELETE, DEFERRABLE, NOT VALID */
		return 1;
	}
	if (ACCEPT(c, "exclude"))
		return parse_exclude(c, spec_new(out, O_EXCLUDE, name));
	return 0;
}

/* The constraints written in a column definition; CONSTRAINT name names
 * the one that follows it. */
static int parse_column_constraints(struct cur *c, const char *col,
    struct specs *out)
{
	const char *name = NULL;
	size_t first = out->n;
	struct spec *s;
	struct cur in;
	int pk;

	while (!at_end(c)) {
		if (ACCEPT(c, "constraint")) {
			if (!(name = qname(c)))
				return 0;
			continue;
		}
		if ((pk = ACCEPT(c, "primary", "key")) || ACCEPT(c, "unique")) {
			s = spec_new(out, pk ? O_PK : O_UNIQUE, name);
			strv_push(&s->cols, col);
			s->names = strv_copy(&s->cols);
			s->nkey = 1;
		} else if (ACCEPT(c, "check")) {
			s = spec_new(out, O_CHECK, name);
			if (!group(c, &in))
				return 0;
			expr_refs(in, &s->uses);
		} else if (ACCEPT(c, "references")) {
			const char *ref = qname(c);

			if (!ref)
				return 0;
			s = spec_new(out, O_FK, name);
			strv_push(&s->cols, col);
			s->reftable = xstrdup(ref);
			if (is_open(tk(c, 0)) && !name_list(c, &s->refcols))
				return 0;
		} else if (ACCEPT(c, "generated", "by", "default", "as",
		    "identity") || ACCEPT(c, "generated", "always", "as",
		    "identity")) {
			s = spec_new(out, O_SEQ, NULL);
			strv_push(&s->cols, col);
		} else if (ACCEPT(c, "not", "deferrable")) {
			continue;
		} else if (ACCEPT(c, "deferrable") ||
		    ACCEPT(c, "initially", "deferred")) {
			if (out->n > first)
				out->v[out->n - 1].nofk = 1;
			continue;
		} else {
			skip(c);	/* a type, NULL, DEFAULT, GENERATED... */
		}
		name = NULL;
	}
	return 1;
}

/* Does a table element start a table constraint? */
static int is_table_constraint(const struct cur *c)
{
	static const char *const kw[] = { "constraint", "check", "unique",
	    "primary", "foreign" };
	const struct tok *t = tk(c, 0);

	for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
		if (is_word(t, kw[i]))
			return 1;
	return is_word(t, "exclude") && (is_open(tk(c, 1)) ||
	    is_word(tk(c, 1), "using"));
}

/* --- making objects -------------------------------------------------- */

/* The unique index a new foreign key uses (the primary key when it names
 * no columns, whose columns it then takes): its id, or 0 if unknown. */
static unsigned long fk_dep(const struct catalog *c, struct object *fk)
{
	const struct table *r = table_find(c, fk->reftable);

	for (size_t i = 0; r && !r->unknown && i < r->nobjs; i++) {
		const struct object *o = &r->objs[i];
		size_t k;

		if (!fk->refcols.n) {
			if (o->kind != O_PK)
				continue;
			fk->refcols = strv_copy(&o->cols);
			return o->id;
		}
		if ((o->kind != O_PK && o->kind != O_UNIQUE &&
		    o->kind != O_UINDEX) || o->nofk || o->nkey != fk->refcols.n)
			continue;
		for (k = 0; k < o->nkey && strv_has(&fk->refcols, o->cols.v[k]);
		    k++)
			;
		if (k == o->nkey)
			return o->id;
	}
	return 0;
}

/* The name PostgreSQL gives the unnamed object o of table t. */
static char *auto_name(const struct catalog *c, const struct table *t,
    const struct spec *s, const struct object *o)
{
	static const char *const labels[] = { "pkey", "key", "fkey", "check",
	    "excl", "idx", "idx" };
	struct strv names = {0};
	char *add, *name;

	if (o->kind == O_PK)
		return choose_name(c, t->name, NULL, "pkey", NS_REL | NS_CON);
	if (o->kind == O_SEQ)
		return choose_name(c, t->name, o->cols.v[0], "seq", NS_REL);
	if (o->kind == O_CHECK)
		return choose_name(c, t->name, o->cols.n == 1 ? o->cols.v[0] :
		    NULL, "check", NS_CON);
	names = o->kind == O_FK ? strv_copy(&o->cols) :
	    index_colnames(&s->names);
	add = name_addition(&names);
	name = choose_name(c, t->name, add, labels[o->kind],
	    o->kind == O_FK ? NS_CON : o->kind == O_INDEX ||
	    o->kind == O_UINDEX ? NS_REL : NS_REL | NS_CON);
	free(add);
	strv_free(&names);
	return name;
}

/* Make the object s asks for in table t. */
static void make(struct catalog *c, struct table *t, const struct spec *s)
{
	struct object o = {0};

	o.kind = s->kind;
	o.id = ++c->lastid;
	o.nofk = s->nofk;
	o.nkey = s->nkey;
	o.cols = strv_copy(&s->cols);
	for (size_t i = 0; i < s->uses.n; i++)
		if (strv_has(&t->cols, s->uses.v[i]))
			strv_add(s->kind == O_CHECK ? &o.cols : &o.uses,
			    s->uses.v[i]);
	if (s->method)
		o.method = xstrdup(s->method);
	if (s->kind == O_FK) {
		o.reftable = xstrdup(s->reftable);
		o.refcols = strv_copy(&s->refcols);
		o.dep = fk_dep(c, &o);
	}
	o.name = s->name ? xstrdup(s->name) : auto_name(c, t, s, &o);
	object_append(t, &o);
}

/* ADD [CONSTRAINT n] {UNIQUE|PRIMARY KEY} USING INDEX i: the index
 * becomes the constraint (renamed to n), made now. */
static void make_using_index(struct table *t, const struct spec *s)
{
	long i = object_find(t, s->index, has_index);
	struct object o;

	if (i < 0)
		return;
	o = object_take(t, (size_t)i);
	o.kind = s->kind;
	while (o.cols.n > o.nkey) {
		strv_add(&o.uses, o.cols.v[o.cols.n - 1]);
		free(o.cols.v[--o.cols.n]);
	}
	free(o.method);
	o.method = NULL;
	o.nofk |= s->nofk;
	if (s->name) {
		free(o.name);
		o.name = xstrdup(s->name);
	}
	object_append(t, &o);
}

/* Objects waiting for their pass. */
struct queue {
	struct spec **v;
	size_t n;
};

static void enqueue(struct queue *q, struct spec *s)
{
	q->v = xrealloc(q->v, (q->n + 1) * sizeof *q->v);
	q->v[q->n++] = s;
}

/* A unique or primary key index spec the same as one already queued
 * from the same definition merges into it (transformIndexConstraints). */
static void enqueue_index(struct queue *q, size_t first, struct spec *s)
{
	for (size_t i = first; s->kind != O_EXCLUDE && i < q->n; i++) {
		struct spec *p = q->v[i];

		if (p->kind != O_EXCLUDE && p->kind != O_SEQ &&
		    strv_eq(&p->cols, &s->cols) &&
		    strv_eq(&p->names, &s->names) && p->nofk == s->nofk) {
			if (!p->name && s->name)
				p->name = xstrdup(s->name);
			return;
		}
	}
	enqueue(q, s);
}

/* Queue the objects one definition asks for: index constraints (the
 * primary key first) on idx, checks on chk, foreign keys on fk. */
static void enqueue_specs(struct specs *ss, struct queue *idx,
    struct queue *chk, struct queue *fk)
{
	size_t first = idx->n;

	for (size_t i = 0; i < ss->n; i++)
		if (ss->v[i].kind == O_PK && !ss->v[i].index)
			enqueue_index(idx, first, &ss->v[i]);
	for (size_t i = 0; i < ss->n; i++)
		if ((ss->v[i].kind == O_UNIQUE || ss->v[i].kind == O_EXCLUDE) &&
		    !ss->v[i].index)
			enqueue_index(idx, first, &ss->v[i]);
	for (size_t i = 0; i < ss->n; i++)
		if (ss->v[i].kind == O_CHECK)
			enqueue(chk, &ss->v[i]);
	for (size_t i = 0; i < ss->n; i++)
		if (ss->v[i].kind == O_FK)
			enqueue(fk, &ss->v[i]);
}

/* The sequences of identity columns: made while the statement is
 * analysed, before anything else it makes. */
static void make_seqs(struct catalog *c, struct table *t,
    const struct specs *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		if (ss->v[i].kind == O_SEQ)
			make(c, t, &ss->v[i]);
}

static void make_queue(struct catalog *c, struct table *t, struct queue *q)
{
	for (size_t i = 0; i < q->n; i++)
		make(c, t, q->v[i]);
	free(q->v);
	q->v = NULL;
	q->n = 0;
}

/* --- CREATE TABLE ---------------------------------------------------- */

/* The elements of CREATE TABLE's parentheses: its columns into cols,
 * its constraints into ss.  -1: a LIKE, whose copies cannot be told. */
static int parse_elements(struct cur *body, struct strv *cols,
    struct specs *ss)
{
	struct cur it;

	while (item(body, &it)) {
		const char *col;

		if (is_table_constraint(&it)) {
			if (!parse_table_constraint(&it, ss) || !at_end(&it))
				return 0;
			continue;
		}
		if (is_word(tk(&it, 0), "like"))
			return -1;
		if (!is_name(tk(&it, 0)))
			return 0;
		col = tk(&it, 0)->s;
		it.i++;
		strv_push(cols, col);
		if (!parse_column_constraints(&it, col, ss))
			return 0;
	}
	return 1;
}

void catalog_taint(struct catalog *c, const char *table)
{
	char *name = ident(table, strlen(table), 0);

	table_fresh(c, name)->unknown = 1;
	free(name);
}

/* Make table t's objects as CREATE TABLE does: checks, index
 * constraints, foreign keys. */
static void create_objects(struct catalog *c, struct table *t,
    struct specs *ss)
{
	struct queue idx = {0}, chk = {0}, fk = {0};

	make_seqs(c, t, ss);
	enqueue_specs(ss, &idx, &chk, &fk);
	make_queue(c, t, &chk);
	make_queue(c, t, &idx);
	make_queue(c, t, &fk);
}

static size_t count_pks(const struct specs *ss)
{
	size_t n = 0;

	for (size_t i = 0; i < ss->n; i++)
		n += ss->v[i].kind == O_PK;
	return n;
}

static void create_table(struct catalog *c, struct cur *cu)
{
	int ine = ACCEPT(cu, "if", "not", "exists");
	const char *name = qname(cu);
	struct strv cols = {0};
	struct specs ss = {0};
	struct table *t;
	struct cur body;
	int ok;

	if (!name)
		return;
	t = table_find(c, name);
	if (t && (ine || !t->unknown))
		return;		/* there already: skipped, or an error */
	ok = group(cu, &body) ? parse_elements(&body, &cols, &ss) : -1;
	if (ok > 0 && count_pks(&ss) > 1)
		ok = 0;		/* PostgreSQL refuses it */
	if (ok > 0 && ACCEPT(cu, "inherits"))
		ok = -1;	/* the parents' checks are copied */
	if (ok < 0)
		catalog_taint(c, name);
	if (ok > 0) {
		t = table_fresh(c, name);
		t->cols = cols;
		cols = (struct strv){0};
		create_objects(c, t, &ss);
	}
	strv_free(&cols);
	specs_free(&ss);
}

/* --- ALTER TABLE ----------------------------------------------------- */

enum akind { A_OTHER, A_ADDCOL, A_ADDCON, A_DROPCON, A_DROPCOL, A_RETYPE,
	A_DROPSEQ };

struct action {
	enum akind kind;
	const char *name;	/* the column or constraint */
	int exists;		/* IF [NOT] EXISTS */
	int cascade;
	struct specs specs;
};

struct actions {
	struct action *v;
	size_t n;
};

static void actions_free(struct actions *as)
{
	for (size_t i = 0; i < as->n; i++)
		specs_free(&as->v[i].specs);
	free(as->v);
}

static int parse_drop(struct cur *c, struct action *a)
{
	a->kind = ACCEPT(c, "constraint") ? A_DROPCON : A_DROPCOL;
	if (a->kind == A_DROPCOL)
		ACCEPT(c, "column");
	a->exists = ACCEPT(c, "if", "exists");
	if (!(a->name = qname(c)))
		return 0;
	a->cascade = ACCEPT(c, "cascade");
	ACCEPT(c, "restrict");
	return at_end(c);
}

static int parse_action(struct cur *c, struct action *a)
{
	int column;

	if (ACCEPT(c, "drop"))
		return parse_drop(c, a);
	if (ACCEPT(c, "alter")) {
		ACCEPT(c, "column");
		a->name = qname(c);
		if (a->name && (ACCEPT(c, "add", "generated", "by", "default",
		    "as", "identity") || ACCEPT(c, "add", "generated", "always",
		    "as", "identity"))) {
			struct spec *s = spec_new(&a->specs, O_SEQ, NULL);

			strv_push(&s->cols, a->name);
			a->kind = A_ADDCON;
			return 1;
		}
		if (a->name && ACCEPT(c, "drop", "identity")) {
			a->kind = A_DROPSEQ;
			return 1;
		}
		a->kind = a->name && (ACCEPT(c, "type") ||
		    ACCEPT(c, "set", "data", "type")) ? A_RETYPE : A_OTHER;
		return a->name != NULL;
	}
	if (!ACCEPT(c, "add")) {
		a->kind = A_OTHER;	/* VALIDATE, SET, OWNER... */
		return 1;
	}
	column = ACCEPT(c, "column");
	if (!column && is_table_constraint(c)) {
		a->kind = A_ADDCON;
		return parse_table_constraint(c, &a->specs) && at_end(c);
	}
	a->kind = A_ADDCOL;
	a->exists = ACCEPT(c, "if", "not", "exists");
	if (!is_name(tk(c, 0)))
		return 0;
	a->name = tk(c, 0)->s;
	c->i++;
	return parse_column_constraints(c, a->name, &a->specs);
}

static int parse_actions(struct cur *c, struct actions *as)
{
	struct cur it;

	while (item(c, &it)) {
		as->v = xrealloc(as->v, (as->n + 1) * sizeof *as->v);
		memset(&as->v[as->n], 0, sizeof *as->v);
		if (!parse_action(&it, &as->v[as->n++]))
			return 0;
	}
	return as->n > 0;
}

/* The ids of t's objects that involve column col. */
static unsigned long *involved_ids(const struct table *t, const char *col,
    size_t *n)
{
	unsigned long *ids = xcalloc(t->nobjs + 1, sizeof *ids);

	*n = 0;
	for (size_t i = 0; i < t->nobjs; i++)
		if (involves(&t->objs[i], col))
			ids[(*n)++] = t->objs[i].id;
	return ids;
}

/* Drop column col of table name (t: its entry, when known) and what
 * depends on it; with dry, only count the foreign keys of others that
 * depend on it. */
static size_t drop_column(struct catalog *c, const char *name,
    const char *col, int dry)
{
	struct table *t = table_find(c, name);
	struct coldrop d = { name, col, NULL, 0 };
	size_t n;

	if (t && t->unknown)
		t = NULL;
	if (t)
		d.ids = involved_ids(t, col, &d.nids);
	n = fks_drop(c, fk_on_column, &d, dry);
	for (size_t i = 0; t && !dry && i < t->nobjs;) {
		if (involves(&t->objs[i], col))
			object_remove(t, i);
		else
			i++;
	}
	if (t && !dry)
		strv_remove(&t->cols, col);
	free(d.ids);
	return n;
}

/* Drop object i of table t, and the foreign keys that use it. */
static void drop_object(struct catalog *c, struct table *t, size_t i)
{
	unsigned long id = t->objs[i].id;
	long j;

	fks_drop(c, fk_uses_id, &id, 0);
	if ((j = object_by_id(t, id)) >= 0)
		object_remove(t, (size_t)j);
}

/* Would the table have more than one primary key after the actions? */
static int too_many_pks(const struct table *t, const struct actions *as)
{
	long pk = -1;
	size_t n = 0;

	for (size_t i = 0; pk < 0 && i < t->nobjs; i++)
		if (t->objs[i].kind == O_PK)
			pk = (long)i;
	for (size_t i = 0; i < as->n; i++) {
		const struct action *a = &as->v[i];

		if (pk >= 0 && a->kind == A_DROPCON &&
		    !strcmp(a->name, t->objs[pk].name))
			pk = -1;
		if (pk >= 0 && a->kind == A_DROPCOL &&
		    involves(&t->objs[pk], a->name))
			pk = -1;
		if (a->kind == A_ADDCON || (a->kind == A_ADDCOL &&
		    !strv_has(&t->cols, a->name)))
			n += count_pks(&a->specs);
	}
	return n + (pk >= 0) > 1;
}

/* Would PostgreSQL run these actions on t, known?  It refuses a missing
 * column or constraint, a column added twice, a second primary key, and
 * a drop others depend on without CASCADE. */
static int actions_ok(struct catalog *c, struct table *t,
    const struct actions *as)
{
	if (too_many_pks(t, as))
		return 0;
	for (size_t i = 0; i < as->n; i++) {
		const struct action *a = &as->v[i];
		long j;

		if (a->kind == A_ADDCOL && strv_has(&t->cols, a->name) &&
		    !a->exists)
			return 0;
		if (a->kind == A_RETYPE && !strv_has(&t->cols, a->name))
			return 0;
		if (a->kind == A_DROPCOL && !strv_has(&t->cols, a->name)) {
			if (!a->exists)
				return 0;
		} else if (a->kind == A_DROPCOL && !a->cascade &&
		    drop_column(c, t->name, a->name, 1)) {
			return 0;
		}
		if (a->kind != A_DROPCON)
			continue;
		j = object_find(t, a->name, is_constraint);
		if (j < 0 ? !a->exists : !a->cascade &&
		    fks_drop(c, fk_uses_id, &t->objs[j].id, 1))
			return 0;
	}
	return 1;
}

static void run_drops(struct catalog *c, struct table *t,
    const struct actions *as)
{
	for (size_t i = 0; i < as->n; i++) {
		const struct action *a = &as->v[i];
		long j;

		if (a->kind == A_DROPCOL && strv_has(&t->cols, a->name))
			drop_column(c, t->name, a->name, 0);
		if (a->kind == A_DROPCON &&
		    (j = object_find(t, a->name, is_constraint)) >= 0)
			drop_object(c, t, (size_t)j);
		for (size_t k = 0; a->kind == A_DROPSEQ && k < t->nobjs; k++)
			if (t->objs[k].kind == O_SEQ &&
			    strv_has(&t->objs[k].cols, a->name)) {
				drop_object(c, t, k);
				break;
			}
	}
}

/* Make object i of t again, last: a new id, which the foreign keys that
 * used the old one follow. */
static void remake(struct catalog *c, struct table *t, size_t i)
{
	struct object o = object_take(t, i);
	unsigned long old = o.id;

	o.id = ++c->lastid;
	object_append(t, &o);
	for (size_t j = 0; j < c->ntabs; j++)
		for (size_t k = 0; k < c->tabs[j].nobjs; k++)
			if (c->tabs[j].objs[k].dep == old)
				c->tabs[j].objs[k].dep = o.id;
}

/* Is o, of table owner, made again when columns cols of table are
 * retyped?  Pass 0: index constraints, 1: plain indexes, 2: the rest. */
static int retyped(const struct table *owner, const struct object *o,
    const char *table, const struct strv *cols, int pass)
{
	int hit = 0;

	for (size_t i = 0; !hit && i < cols->n; i++)
		hit = (!strcmp(owner->name, table) && involves(o, cols->v[i])) ||
		    (o->kind == O_FK && !strcmp(o->reftable, table) &&
		    strv_has(&o->refcols, cols->v[i]));
	if (!hit)
		return 0;
	if (pass == 0)
		return has_index(o->kind) && is_constraint(o->kind);
	if (pass == 1)
		return !is_constraint(o->kind);
	return !has_index(o->kind);
}

/* Make again, in their order, the objects of o that retyped() takes. */
static void remake_pass(struct catalog *c, struct table *o,
    const char *table, const struct strv *cols, int pass)
{
	size_t n = o->nobjs, i = 0;

	for (size_t k = 0; k < n; k++) {
		if (retyped(o, &o->objs[i], table, cols, pass))
			remake(c, o, i);	/* the next moves up to i */
		else
			i++;
	}
}

/* ALTER COLUMN ... TYPE: PostgreSQL makes every index and constraint on
 * the columns again (same names, later in the order): the table's index
 * constraints, its indexes, its checks and foreign keys, then the
 * foreign keys of other tables into the columns. */
static void retype(struct catalog *c, const char *table,
    const struct strv *cols)
{
	struct table *t = table_find(c, table);

	if (t && t->unknown)
		t = NULL;
	for (int pass = 0; t && pass < 3; pass++)
		remake_pass(c, t, table, cols, pass);
	for (size_t j = 0; j < c->ntabs; j++)
		if (&c->tabs[j] != t)
			remake_pass(c, &c->tabs[j], table, cols, 2);
}

static void run_retypes(struct catalog *c, const char *table,
    const struct actions *as)
{
	struct strv cols = {0};

	for (size_t i = 0; i < as->n; i++)
		if (as->v[i].kind == A_RETYPE)
			strv_add(&cols, as->v[i].name);
	if (cols.n)
		retype(c, table, &cols);
	strv_free(&cols);
}

/* ALTER TABLE's passes: drops, retyped columns, new columns, then the
 * objects the columns and constraints ask for: USING INDEX, index
 * constraints, the rest. */
static void run_actions(struct catalog *c, struct table *t,
    struct actions *as)
{
	struct queue use = {0}, idx = {0}, other = {0};

	run_drops(c, t, as);
	run_retypes(c, t->name, as);
	for (size_t i = 0; i < as->n; i++)
		if ((as->v[i].kind == A_ADDCOL && !strv_has(&t->cols,
		    as->v[i].name)) || as->v[i].kind == A_ADDCON)
			make_seqs(c, t, &as->v[i].specs);
	for (size_t i = 0; i < as->n; i++) {
		struct action *a = &as->v[i];

		/* ADD COLUMN IF NOT EXISTS of one there does nothing */
		if (a->kind != A_ADDCOL || strv_has(&t->cols, a->name))
			continue;
		strv_push(&t->cols, a->name);
		enqueue_specs(&a->specs, &idx, &other, &other);
	}
	for (size_t i = 0; i < as->n; i++) {
		struct action *a = &as->v[i];

		if (a->kind == A_ADDCON && a->specs.v[0].index)
			enqueue(&use, &a->specs.v[0]);
		else if (a->kind == A_ADDCON)
			enqueue_specs(&a->specs, &idx, &other, &other);
	}
	for (size_t i = 0; i < use.n; i++)
		make_using_index(t, use.v[i]);
	free(use.v);
	make_queue(c, t, &idx);
	make_queue(c, t, &other);
}

/* The actions on a table the catalog cannot tell: only what they do to
 * the foreign keys of others. */
static void run_foreign(struct catalog *c, const char *name,
    const struct actions *as)
{
	for (size_t i = 0; i < as->n; i++)
		if (as->v[i].kind == A_DROPCOL && !as->v[i].cascade &&
		    drop_column(c, name, as->v[i].name, 1))
			return;
	for (size_t i = 0; i < as->n; i++)
		if (as->v[i].kind == A_DROPCOL)
			drop_column(c, name, as->v[i].name, 0);
	run_retypes(c, name, as);
}

/* USING INDEX needs a unique index of the table that is not partial,
 * not on expressions. */
static int using_ok(const struct table *t, const struct actions *as)
{
	for (size_t i = 0; i < as->n; i++) {
		const struct spec *s = as->v[i].specs.v;
		long j;

		if (as->v[i].kind != A_ADDCON || !s->index)
			continue;
		j = object_find(t, s->index, has_index);
		if (j < 0 || t->objs[j].kind != O_UINDEX || t->objs[j].nofk)
			return 0;
	}
	return 1;
}

/* --- renames --------------------------------------------------------- */

/* ALTER TABLE|INDEX old RENAME TO new: a table (foreign keys into it
 * follow), or an index (with the constraint it backs). */
static void rename_relation(struct catalog *c, const char *old,
    const char *new)
{
	struct table *t = table_find(c, old), *it;
	struct object *o;

	if (name_taken(c, new, NS_REL))
		return;
	if (!t && (o = index_find(c, old, &it))) {
		free(o->name);
		o->name = xstrdup(new);
		return;
	}
	if (t) {
		free(t->name);
		t->name = xstrdup(new);
	}
	fks_rename_table(c, old, new);
}

static void rename_column(struct catalog *c, const char *table,
    const char *old, const char *new)
{
	struct table *t = table_find(c, table);

	if (t && !t->unknown) {
		if (!strv_has(&t->cols, old) || strv_has(&t->cols, new))
			return;
		strv_rename(&t->cols, old, new);
		for (size_t i = 0; i < t->nobjs; i++) {
			strv_rename(&t->objs[i].cols, old, new);
			strv_rename(&t->objs[i].uses, old, new);
		}
	}
	fks_rename_column(c, table, old, new);
}

static void rename_constraint(struct catalog *c, const char *table,
    const char *old, const char *new)
{
	struct table *t = table_find(c, table);
	long i = t && !t->unknown ? object_find(t, old, is_constraint) : -1;

	if (i < 0 || object_find(t, new, is_constraint) >= 0 ||
	    (has_index(t->objs[i].kind) && name_taken(c, new, NS_REL)))
		return;
	free(t->objs[i].name);
	t->objs[i].name = xstrdup(new);
}

/* ALTER TABLE t RENAME ...: its own statement, never one of several
 * actions. */
static void alter_rename(struct catalog *c, const char *table,
    struct cur *cu)
{
	const char *old = NULL, *new;
	int con = ACCEPT(cu, "constraint");

	if (!con && !ACCEPT(cu, "to")) {
		ACCEPT(cu, "column");
		if (!(old = qname(cu)) || !ACCEPT(cu, "to"))
			return;
	} else if (con && (!(old = qname(cu)) || !ACCEPT(cu, "to"))) {
		return;
	}
	if (!(new = qname(cu)) || !at_end(cu))
		return;
	if (con)
		rename_constraint(c, table, old, new);
	else if (old)
		rename_column(c, table, old, new);
	else
		rename_relation(c, table, new);
}

static void alter_table(struct catalog *c, struct cur *cu)
{
	struct actions as = {0};
	const char *name;
	struct table *t;

	ACCEPT(cu, "if", "exists");
	ACCEPT(cu, "only");
	if (!(name = qname(cu)))
		return;
	if (is_op(tk(cu, 0), "*"))
		cu->i++;
	if (ACCEPT(cu, "rename")) {
		alter_rename(c, name, cu);
		return;
	}
	if (parse_actions(cu, &as)) {
		t = table_find(c, name);
		if (!t || t->unknown)
			run_foreign(c, name, &as);
		else if (actions_ok(c, t, &as) && using_ok(t, &as))
			run_actions(c, t, &as);
	}
	actions_free(&as);
}

static void alter_index(struct catalog *c, struct cur *cu)
{
	const char *old, *new;

	ACCEPT(cu, "if", "exists");
	if ((old = qname(cu)) && ACCEPT(cu, "rename", "to") &&
	    (new = qname(cu)) && at_end(cu))
		rename_relation(c, old, new);
}

/* --- indexes and tables ---------------------------------------------- */

static void create_index(struct catalog *c, struct cur *cu, int unique)
{
	struct specs ss = {0};
	struct spec *s;
	struct table *t;
	const char *name = NULL, *table;

	ACCEPT(cu, "concurrently");
	ACCEPT(cu, "if", "not", "exists");
	if (!is_word(tk(cu, 0), "on") && !(name = qname(cu)))
		return;
	if (!ACCEPT(cu, "on"))
		return;
	ACCEPT(cu, "only");
	if (!(table = qname(cu)))
		return;
	s = spec_new(&ss, unique ? O_UINDEX : O_INDEX, name);
	if (!ACCEPT(cu, "using")) {
		s->method = xstrdup("btree");
	} else if (is_name(tk(cu, 0))) {
		s->method = xstrdup(tk(cu, 0)->s);
		cu->i++;
	}
	t = table_find(c, table);
	if (s->method && parse_elems(cu, s, 0) && parse_index_tail(cu, s, 0) &&
	    t && !t->unknown && !(name && name_taken(c, name, NS_REL)))
		make(c, t, s);
	specs_free(&ss);
}

/* The names of DROP INDEX or DROP TABLE, and whether it CASCADEs. */
static int drop_names(struct cur *cu, struct strv *names, int *cascade)
{
	struct cur it;

	ACCEPT(cu, "concurrently");
	ACCEPT(cu, "if", "exists");
	*cascade = 0;
	while (item(cu, &it)) {
		const char *n = qname(&it);

		if (!n)
			return 0;
		strv_push(names, n);
		*cascade = ACCEPT(&it, "cascade");
		ACCEPT(&it, "restrict");
		if (!at_end(&it) || (*cascade && !at_end(cu)))
			return 0;
	}
	return names->n > 0;
}

/* DROP INDEX a, b: PostgreSQL refuses a table, the index of a
 * constraint, and one a foreign key uses without CASCADE. */
static void drop_index(struct catalog *c, struct cur *cu)
{
	struct strv names = {0};
	struct table *t;
	struct object *o;
	int cascade, ok = drop_names(cu, &names, &cascade);

	for (size_t i = 0; ok && i < names.n; i++) {
		if (table_find(c, names.v[i]))
			ok = 0;
		else if ((o = index_find(c, names.v[i], &t)))
			ok = !is_constraint(o->kind) && (cascade ||
			    !fks_drop(c, fk_uses_id, &o->id, 1));
	}
	for (size_t i = 0; ok && i < names.n; i++)
		if ((o = index_find(c, names.v[i], &t)))
			drop_object(c, t, (size_t)(o - t->objs));
	strv_free(&names);
}

/* DROP TABLE a, b: the foreign keys of other tables into them go with
 * CASCADE, and keep them from going without. */
static void drop_table(struct catalog *c, struct cur *cu)
{
	struct strv names = {0};
	int cascade;

	if (drop_names(cu, &names, &cascade) &&
	    (cascade || !fks_drop(c, fk_into, &names, 1))) {
		fks_drop(c, fk_into, &names, 0);
		for (size_t i = 0; i < names.n; i++)
			table_forget(c, names.v[i]);
	}
	strv_free(&names);
}

/* --- statements ------------------------------------------------------ */

static void exec_create(struct catalog *c, struct cur *cu)
{
	int unique = ACCEPT(cu, "unique");

	if (ACCEPT(cu, "index")) {
		create_index(c, cu, unique);
		return;
	}
	if (unique)
		return;
	if (!ACCEPT(cu, "global"))
		ACCEPT(cu, "local");
	if (ACCEPT(cu, "temp") || ACCEPT(cu, "temporary"))
		return;		/* not in the schema; gone at the end */
	ACCEPT(cu, "unlogged");
	if (ACCEPT(cu, "table"))
		create_table(c, cu);
}

static void exec_stmt(struct catalog *c, struct cur *cu)
{
	if (ACCEPT(cu, "create"))
		exec_create(c, cu);
	else if (ACCEPT(cu, "alter", "table"))
		alter_table(c, cu);
	else if (ACCEPT(cu, "alter", "index"))
		alter_index(c, cu);
	else if (ACCEPT(cu, "drop", "table"))
		drop_table(c, cu);
	else if (ACCEPT(cu, "drop", "index"))
		drop_index(c, cu);
}

void catalog_exec(struct catalog *c, const char *sql)
{
	struct toks ts = sql_lex(sql);
	size_t start = 0;

	for (size_t i = 0; i <= ts.n; i++) {
		if (i < ts.n && ts.v[i].kind != K_SEMI)
			continue;
		if (i > start) {
			struct cur cu = { ts.v, start, i };

			exec_stmt(c, &cu);
		}
		start = i + 1;
	}
	toks_free(&ts);
}

/* --- the db= text ---------------------------------------------------- */

static struct value *str_value(const char *s)
{
	return s ? value_str(V_STR, s, strlen(s)) : value_new(V_NONE, 0, 0);
}

static struct value *list_value(const struct strv *sv)
{
	struct value *l = value_new(V_LIST, 0, 0);

	for (size_t i = 0; i < sv->n; i++)
		value_push(l, str_value(sv->v[i]), NULL);
	return l;
}

static struct value *object_value(const struct object *o)
{
	struct value *v = value_new(V_TUPLE, 0, 0);

	value_push(v, str_value(kind_names[o->kind]), NULL);
	value_push(v, str_value(o->name), NULL);
	value_push(v, list_value(&o->cols), NULL);
	if (o->kind == O_FK) {
		value_push(v, str_value(o->reftable), NULL);
		value_push(v, list_value(&o->refcols), NULL);
	} else if (o->kind == O_INDEX || o->kind == O_UINDEX) {
		value_push(v, str_value(o->method), NULL);
	}
	return v;
}

/* The table's name as PostgreSQL keeps it, like every name the
 * statements give, is at most NAMELEN bytes long. */
char *catalog_text(const struct catalog *c, const char *table)
{
	char *name = ident(table, strlen(table), 0);
	const struct table *t = table_find(c, name);
	struct value *l;
	char *s;

	free(name);
	if (!t)
		return xstrdup("[]");	/* no such table: nothing to find */
	if (t->unknown)
		return NULL;
	l = value_new(V_LIST, 0, 0);
	for (size_t i = 0; i < t->nobjs; i++)
		value_push(l, object_value(&t->objs[i]), NULL);
	s = value_text(l);
	value_free(l);
	return s;
}

/* --- the live catalog: catalog records ------------------------------- */

/* The kind named s: an object's, or -1 for "table", -2 for "sequence",
 * -3 for none. */
static int record_kind(const char *s)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
		if (!strcmp(s, kind_names[i]))
			return (int)i;
	return !strcmp(s, "table") ? -1 : !strcmp(s, "sequence") ? -2 : -3;
}

/* A list of strings (None too with nones) into sv; 0 if v is not one. */
static int names_of(const struct value *v, int nones, struct strv *sv)
{
	if (!v || (v->kind != V_LIST && v->kind != V_TUPLE))
		return 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct value *x = v->items[i];

		if (x->kind == V_STR && x->len == strlen(x->s) && x->len &&
		    x->len <= NAMELEN)
			strv_push(sv, x->s);
		else if (x->kind == V_NONE && nones)
			strv_push(sv, NULL);
		else
			return 0;
	}
	return 1;
}

static int record_bad(const struct record *r, const char *fmt, const char *s)
{
	char msg[256];

	snprintf(msg, sizeof msg, fmt, s);
	warn_at(r->src, r->line, 1, "catalog record: %s", msg);
	return -1;
}

/* A string of d, or NULL; *bad set if present and not a string. */
static const char *detail_str(const struct value *d, const char *key,
    int *bad)
{
	const struct value *v = value_dict_get(d, key);

	if (v && v->kind != V_STR)
		*bad = 1;
	return v && v->kind == V_STR ? v->s : NULL;
}

static int detail_flag(const struct value *d, const char *key)
{
	const struct value *v = value_dict_get(d, key);

	return v && v->kind == V_TRUE;
}

/* The object of one record, from its COLUMNS and DETAIL values. */
static int record_object(struct object *o, const struct value *cols,
    const struct value *d)
{
	const struct value *keys = value_dict_get(d, "keys");
	int bad = 0, ix = o->kind == O_INDEX || o->kind == O_UINDEX;
	const char *ref = NULL, *method = detail_str(d, "method", &bad);

	if (!names_of(cols, ix, &o->cols) || (value_dict_get(d, "uses") &&
	    !names_of(value_dict_get(d, "uses"), 0, &o->uses)))
		return 0;
	o->nkey = o->cols.n;
	if (keys) {
		long k = keys->kind == V_INT ? strtol(keys->s, NULL, 10) : -1;

		if (!ix || k < 1 || (size_t)k > o->cols.n)
			return 0;
		o->nkey = (size_t)k;
	}
	if ((o->kind == O_FK) != ((ref = detail_str(d, "references", &bad)) !=
	    NULL) || (method != NULL) != (ix || o->kind == O_EXCLUDE) || bad)
		return 0;
	if (ref) {
		o->reftable = xstrdup(ref);
		if (!names_of(value_dict_get(d, "refcolumns"), 0, &o->refcols) ||
		    o->refcols.n != o->cols.n)
			return 0;
		if (detail_str(d, "index", &bad))
			o->index = xstrdup(detail_str(d, "index", &bad));
	}
	o->method = method ? xstrdup(method) : NULL;
	o->nofk = detail_flag(d, "deferrable") || detail_flag(d, "partial");
	for (size_t i = 0; i < o->nkey; i++)
		o->nofk |= o->cols.v[i] == NULL;
	return !bad;
}

/* A record of the database, not of a table (an empty TABLE): database,
 * extension, collation. */
static int record_db(struct catalog *c, const struct record *r,
    const struct value *d)
{
	const char *kind = r->f[2], *name = r->f[3];
	const struct value *det = value_dict_get(d, "deterministic");

	if (!strcmp(kind, "database")) {
		c->database = 1;
	} else if (!strcmp(kind, "extension")) {
		strv_add(&c->dbwide, name);
	} else if (!strcmp(kind, "collation")) {
		if (!det || (det->kind != V_TRUE && det->kind != V_FALSE))
			return record_bad(r, "collation %s: DETAIL needs "
			    "'deterministic'", name);
		if (det->kind == V_FALSE) {
			char *key = xasprintf("collation:%s", name);

			strv_add(&c->dbwide, key);
			free(key);
		}
	} else {
		return record_bad(r, "unknown KIND %s without a TABLE", kind);
	}
	if (!c->database)
		return record_bad(r, "%s before the database record", kind);
	return 0;
}

/* One record: table and sequence records, and the objects of a table
 * whose table record came first. */
static int record_take(struct catalog *c, const struct record *r,
    struct value *cols, struct value *d)
{
	const char *table = r->f[1], *name = r->f[3];
	int k = record_kind(r->f[2]);
	struct table *t = table_find(c, table);
	struct object o = {0};

	if (k == -3)
		return record_bad(r, "unknown KIND %s", r->f[2]);
	if (k == -1) {
		if (t)
			return record_bad(r, "table %s twice", table);
		if (strcmp(name, table))
			return record_bad(r, "a table record's NAME is its "
			    "TABLE, not %s", name);
		t = table_fresh(c, table);
		if (!names_of(cols, 0, &t->cols))
			return record_bad(r, "COLUMNS of %s: expected a list of "
			    "column names", table);
		return 0;
	}
	if (!t)
		return record_bad(r, "%s has no table record before it", table);
	if (k == -2) {
		strv_add(&t->seqs, name);
		return 0;
	}
	o.kind = (enum okind)k;
	o.name = xstrdup(name);
	o.id = ++c->lastid;
	if (!record_object(&o, cols, d)) {
		object_free(&o);
		return record_bad(r, "%s: COLUMNS or DETAIL is not what its "
		    "KIND has (migstream(5))", name);
	}
	object_append(t, &o);
	return 0;
}

int catalog_record(struct catalog *c, const struct record *r)
{
	struct value *v[2] = { NULL, NULL };
	int rc = 0;

	if (r->n < 6)
		return record_bad(r, "needs TABLE KIND NAME COLUMNS DETAIL%s",
		    "");
	for (int i = 0; i < 2 && rc == 0; i++) {
		char *err = NULL;
		long col;

		v[i] = value_parse(r->f[4 + i], &err, &col);
		if (!v[i] || (i == 1 && v[i]->kind != V_DICT))
			rc = record_bad(r, "%s: not a value of its kind", i ?
			    "DETAIL" : "COLUMNS");
		free(err);
	}
	if (rc == 0 && !*r->f[3])
		rc = record_bad(r, "an empty NAME%s", "");
	if (rc == 0)
		rc = *r->f[1] ? record_take(c, r, v[0], v[1]) :
		    record_db(c, r, v[1]);
	value_free(v[0]);
	value_free(v[1]);
	return rc;
}

/* The unique index an fk of a described table uses, by the name the
 * database gave it; by its columns when that index is not known. */
static void prefer_dep(struct catalog *c, struct object *fk)
{
	struct table *r = table_find(c, fk->reftable);
	long j = r && fk->index ? object_find(r, fk->index, has_index) : -1;

	fk->dep = j >= 0 ? r->objs[j].id : fk_dep(c, fk);
}

void catalog_prefer(struct catalog *c, const struct catalog *live)
{
	for (size_t i = 0; i < live->ntabs; i++) {
		const struct table *s = &live->tabs[i];
		struct table *t = table_fresh(c, s->name);

		t->cols = strv_copy(&s->cols);
		t->seqs = strv_copy(&s->seqs);
		for (size_t j = 0; j < s->nobjs; j++) {
			struct object o;

			object_copy(&o, &s->objs[j]);
			o.id = ++c->lastid;
			o.dep = 0;
			object_append(t, &o);
		}
	}
	/* foreign keys: of the described tables, and into them */
	for (size_t i = 0; i < c->ntabs; i++) {
		struct table *t = &c->tabs[i];
		int described = table_find(live, t->name) != NULL;

		for (size_t j = 0; j < t->nobjs; j++) {
			struct object *o = &t->objs[j];

			if (o->kind != O_FK)
				continue;
			if (described)
				prefer_dep(c, o);
			else if (table_find(live, o->reftable))
				o->dep = fk_dep(c, o);
		}
	}
}

const char *const *catalog_extensions(const struct catalog *c, size_t *n)
{
	*n = c->dbwide.n;
	return c->database ? (const char *const *)c->dbwide.v : NULL;
}
