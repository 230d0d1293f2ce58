/* livecat.c: the catalog of a live database, as Django 5.2's PostgreSQL
 * introspection sees it, written as catalog records (migstream(5)).
 *
 * The tables are those of get_table_list(): relations of kinds r, p, f,
 * m and v visible on the search path, outside pg_catalog and pg_toast.
 * Their objects are those of get_constraints(): the constraints of
 * pg_constraint (primary keys, unique, foreign keys, checks, exclusion
 * constraints), with their columns as conkey lists them (an expression's
 * 0 joins no column and is left out), then the indexes whose name no
 * constraint of the table has; index columns as indkey lists them, None
 * for an expression.  Their sequences are those of get_sequences(): the
 * sequences that depend on one of the table's columns (identity and
 * serial).  Beyond what Django reads, each object carries what the fold
 * needs to go on following statements from it (catalog.h): the other
 * columns it depends on (pg_depend: INCLUDE, expressions, WHERE), an
 * index's method and key count, whether it is partial or deferrable, and
 * the unique index a foreign key uses (conindid).
 *
 * Objects come in the order Django's own queries return them (below).
 * Constraint triggers (contype t) and NOT NULL constraints (n, from
 * PostgreSQL 18) are left out: the fold has no kind for them.
 */
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "base/base.h"
#include "stream/stream.h"

/* The relations Django's get_table_list() lists. */
#define TABLES \
    "WITH t AS (SELECT c.oid, c.relname FROM pg_catalog.pg_class c " \
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " \
    "WHERE c.relkind IN ('f', 'm', 'p', 'r', 'v') " \
    "AND n.nspname NOT IN ('pg_catalog', 'pg_toast') " \
    "AND pg_catalog.pg_table_is_visible(c.oid)) "

static const char q_columns[] = TABLES
    "SELECT t.relname, a.attname FROM t LEFT JOIN pg_catalog.pg_attribute a "
    "ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped "
    "ORDER BY t.relname COLLATE \"C\", a.attnum";

/* Objects: oid, table, kind, name, deferrable, partial, method, key
 * count, the referenced table and the index a foreign key uses. */
static const char q_objects[] = TABLES
    "SELECT c.oid, t.relname, c.contype::text, c.conname, c.condeferrable, "
    "false, am.amname, NULL::int, fr.relname, ic.relname "
    "FROM pg_catalog.pg_constraint c JOIN t "
    "ON c.conrelid = t.oid "
    "LEFT JOIN pg_catalog.pg_class ic ON ic.oid = c.conindid "
    "LEFT JOIN pg_catalog.pg_am am ON am.oid = ic.relam AND c.contype = 'x' "
    "LEFT JOIN pg_catalog.pg_class fr ON fr.oid = c.confrelid "
    "WHERE c.contype IN ('p', 'u', 'f', 'c', 'x') "
    "UNION ALL "
    "SELECT i.indexrelid, t.relname, CASE WHEN i.indisunique THEN 'U' "
    "ELSE 'I' END, x.relname, false, i.indpred IS NOT NULL, am.amname, "
    "i.indnkeyatts, NULL, NULL FROM pg_catalog.pg_index i "
    "JOIN t ON i.indrelid = t.oid "
    "JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid "
    "JOIN pg_catalog.pg_am am ON am.oid = x.relam "
    "WHERE x.relname NOT IN (SELECT conname FROM pg_catalog.pg_constraint "
    "WHERE conrelid = t.oid)";

/* Columns of objects: oid, role (k: conkey, r: confkey, i: indkey, d:
 * a column it depends on), place, the column or NULL (an index's
 * expression).  A dependency of the index that backs a constraint is the
 * constraint's. */
static const char q_objcols[] = TABLES
    "SELECT c.oid, 'k', k.n, a.attname FROM pg_catalog.pg_constraint c "
    "JOIN t ON c.conrelid = t.oid CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY "
    "k(attnum, n) JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid "
    "AND a.attnum = k.attnum "
    "UNION ALL "
    "SELECT c.oid, 'r', k.n, a.attname FROM pg_catalog.pg_constraint c "
    "JOIN t ON c.conrelid = t.oid CROSS JOIN LATERAL unnest(c.confkey) WITH ORDINALITY "
    "k(attnum, n) JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid "
    "AND a.attnum = k.attnum "
    "UNION ALL "
    "SELECT i.indexrelid, 'i', k.n, a.attname FROM pg_catalog.pg_index i "
    "JOIN t ON i.indrelid = t.oid CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY "
    "k(attnum, n) LEFT JOIN pg_catalog.pg_attribute a "
    "ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
    "UNION ALL "
    "SELECT COALESCE(c.oid, d.objid), 'd', a.attnum, a.attname "
    "FROM pg_catalog.pg_depend d JOIN t ON d.refobjid = t.oid "
    "JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid "
    "AND a.attnum = d.refobjsubid "
    "LEFT JOIN pg_catalog.pg_constraint c ON c.conrelid = t.oid "
    "AND c.conindid = d.objid AND c.contype IN ('p', 'u', 'x') "
    "AND d.classid = 'pg_catalog.pg_class'::regclass "
    "WHERE d.refclassid = 'pg_catalog.pg_class'::regclass "
    "AND d.refobjsubid > 0 AND d.classid IN "
    "('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_constraint'::regclass) "
    "ORDER BY 1, 2, 3";

/* The database, its extensions (Django's CreateExtension asks
 * pg_extension) and its non-deterministic collations (the schema editor
 * asks pg_collation before it makes a _like index): records of no
 * table. */
static const char q_database[] =
    "SELECT 'database', current_database() "
    "UNION ALL (SELECT 'extension', extname::text "
    "FROM pg_catalog.pg_extension ORDER BY extname COLLATE \"C\") "
    "UNION ALL (SELECT DISTINCT 'collation', collname::text COLLATE \"C\" "
    "FROM pg_catalog.pg_collation WHERE NOT collisdeterministic "
    "ORDER BY 2)";

/* Django's get_sequences(), for every table. */
static const char q_sequences[] = TABLES
    "SELECT t.relname, s.relname, a.attname FROM pg_catalog.pg_class s "
    "JOIN pg_catalog.pg_depend d ON d.objid = s.oid "
    "AND d.classid = 'pg_catalog.pg_class'::regclass "
    "AND d.refclassid = 'pg_catalog.pg_class'::regclass "
    "JOIN pg_catalog.pg_attribute a ON d.refobjid = a.attrelid "
    "AND d.refobjsubid = a.attnum JOIN t ON t.oid = d.refobjid "
    "WHERE s.relkind = 'S' "
    "ORDER BY t.relname COLLATE \"C\", s.relname COLLATE \"C\"";

/* Django's get_constraints() asks for one table's constraints, then its
 * indexes, and keeps the rows in the order the server returns them, with
 * no ORDER BY: that order is the plan's (a sequential scan of
 * pg_constraint gives its physical order, an index scan the order of
 * conname; the GROUP BY of the indexes their names, or a hash's order).
 * Where several objects match what it looks for, Django takes them in
 * that order, so the same queries are asked here, for each table, and
 * give the order of the records: its constraints, then its indexes. */
static const char q_django_constraints[] =
    "SELECT c.conname, array(SELECT attname FROM unnest(c.conkey) "
    "WITH ORDINALITY cols(colid, arridx) JOIN pg_attribute AS ca "
    "ON cols.colid = ca.attnum WHERE ca.attrelid = c.conrelid "
    "ORDER BY cols.arridx), c.contype, (SELECT fkc.relname || '.' || "
    "fka.attname FROM pg_attribute AS fka JOIN pg_class AS fkc "
    "ON fka.attrelid = fkc.oid WHERE fka.attrelid = c.confrelid "
    "AND fka.attnum = c.confkey[1]), cl.reloptions "
    "FROM pg_constraint AS c JOIN pg_class AS cl ON c.conrelid = cl.oid "
    "WHERE cl.relname = $1 AND pg_catalog.pg_table_is_visible(cl.oid)";

static const char q_django_indexes[] =
    "SELECT indexname, array_agg(attname ORDER BY arridx), indisunique, "
    "indisprimary, array_agg(ordering ORDER BY arridx), amname, exprdef, "
    "s2.attoptions FROM (SELECT c2.relname as indexname, idx.*, "
    "attr.attname, am.amname, CASE WHEN idx.indexprs IS NOT NULL THEN "
    "pg_get_indexdef(idx.indexrelid) END AS exprdef, CASE am.amname "
    "WHEN 'btree' THEN CASE (option & 1) WHEN 1 THEN 'DESC' ELSE 'ASC' END "
    "END as ordering, c2.reloptions as attoptions FROM (SELECT * "
    "FROM pg_index i, unnest(i.indkey, i.indoption) WITH ORDINALITY "
    "koi(key, option, arridx)) idx LEFT JOIN pg_class c "
    "ON idx.indrelid = c.oid LEFT JOIN pg_class c2 "
    "ON idx.indexrelid = c2.oid LEFT JOIN pg_am am ON c2.relam = am.oid "
    "LEFT JOIN pg_attribute attr ON attr.attrelid = c.oid "
    "AND attr.attnum = idx.key WHERE c.relname = $1 "
    "AND pg_catalog.pg_table_is_visible(c.oid)) s2 GROUP BY indexname, "
    "indisunique, indisprimary, amname, exprdef, attoptions";

struct lobj {
	unsigned long oid;
	const char *table, *name, *method, *reftable, *index;
	char kind;		/* contype, or U / I: a unique / plain index */
	int deferrable, partial;
	long nkey;
	struct value *cols, *refcols, *deps;	/* lists */
	long rank;		/* in Django's rows: constraints, indexes */
};

struct livecat {
	PGresult *db, *cols, *objs, *ocols, *seqs;
	struct lobj *v;
	size_t n;
};

static PGresult *query(struct pg *pg, const char *sql)
{
	PGresult *r = pg_run(pg, sql, 0, NULL);

	if (!pg_ok(r)) {
		char *e = pg_error(pg, r);

		warnx_("reading the catalog: %s", e);
		free(e);
		PQclear(r);
		return NULL;
	}
	return r;
}

static const char *get(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static struct value *str_value(const char *s)
{
	return s ? value_str(V_STR, s, strlen(s)) : value_new(V_NONE, 0, 0);
}

static int is_index(const struct lobj *o)
{
	return o->kind == 'U' || o->kind == 'I';
}

static int cmp_obj(const void *a, const void *b)
{
	const struct lobj *x = a, *y = b;
	int c = strcmp(x->table, y->table);

	if (c)
		return c;
	if (is_index(x) != is_index(y))
		return is_index(x) - is_index(y);
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->oid < y->oid ? -1 : x->oid > y->oid;
}

static int cmp_oid(const void *key, const void *elt)
{
	unsigned long k = *(const unsigned long *)key;
	const struct lobj *o = elt;

	return k < o->oid ? -1 : k > o->oid;
}

static int by_oid(const void *a, const void *b)
{
	const struct lobj *x = a, *y = b;

	return x->oid < y->oid ? -1 : x->oid > y->oid;
}

static void read_objects(struct livecat *lc)
{
	PGresult *r = lc->objs;

	lc->n = (size_t)PQntuples(r);
	lc->v = xcalloc(lc->n + 1, sizeof *lc->v);
	for (size_t i = 0; i < lc->n; i++) {
		struct lobj *o = &lc->v[i];
		int row = (int)i;

		o->oid = strtoul(get(r, row, 0), NULL, 10);
		o->table = get(r, row, 1);
		o->kind = get(r, row, 2)[0];
		o->name = get(r, row, 3);
		o->deferrable = !strcmp(get(r, row, 4), "t");
		o->partial = !strcmp(get(r, row, 5), "t");
		o->method = get(r, row, 6);
		o->nkey = get(r, row, 7) ? atol(get(r, row, 7)) : 0;
		o->reftable = get(r, row, 8);
		o->index = get(r, row, 9);
		o->cols = value_new(V_LIST, 0, 0);
		o->refcols = value_new(V_LIST, 0, 0);
		o->deps = value_new(V_LIST, 0, 0);
	}
}

static struct lobj *find(const struct livecat *lc, unsigned long oid)
{
	return lc->n ? bsearch(&oid, lc->v, lc->n, sizeof *lc->v, cmp_oid) :
	    NULL;
}

/* The columns of each object, in the order of conkey, confkey and indkey,
 * and those it depends on. */
static void read_objcols(struct livecat *lc)
{
	PGresult *r = lc->ocols;

	qsort(lc->v, lc->n, sizeof *lc->v, by_oid);
	for (int i = 0; i < PQntuples(r); i++) {
		struct lobj *o = find(lc, strtoul(get(r, i, 0), NULL, 10));
		const char *role = get(r, i, 1), *col = get(r, i, 3);

		if (!o)	/* a dependency of an object not listed */
			continue;
		if (*role == 'k' || *role == 'i')
			value_push(o->cols, str_value(col), NULL);
		else if (*role == 'r')
			value_push(o->refcols, str_value(col), NULL);
		else
			value_push(o->deps, str_value(col), NULL);
	}
}

static int has(const struct value *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (value_is_str(l->items[i], s))
			return 1;
	return 0;
}

/* The columns o depends on beyond its own. */
static struct value *uses(const struct lobj *o)
{
	struct value *u = value_new(V_LIST, 0, 0);

	for (size_t i = 0; i < o->deps->n; i++) {
		const char *c = o->deps->items[i]->s;

		if (!has(o->cols, c) && !has(u, c))
			value_push(u, str_value(c), NULL);
	}
	return u;
}

static void put(struct value *d, const char *key, struct value *v)
{
	value_push(d, str_value(key), NULL);
	value_push(d, v, NULL);
}

/* DETAIL: what the kind has, in a fixed order. */
static struct value *detail(const struct lobj *o)
{
	struct value *d = value_new(V_DICT, 0, 0), *u = uses(o);
	int ix = o->kind == 'U' || o->kind == 'I';

	if (o->method && (ix || o->kind == 'x'))
		put(d, "method", str_value(o->method));
	if (ix && o->nkey < (long)o->cols->n) {
		char num[24];

		snprintf(num, sizeof num, "%ld", o->nkey);
		put(d, "keys", value_str(V_INT, num, strlen(num)));
	}
	if (o->kind == 'f') {
		put(d, "references", str_value(o->reftable));
		put(d, "refcolumns", value_copy(o->refcols));
		if (o->index)
			put(d, "index", str_value(o->index));
	}
	if (u->n && o->kind != 'f' && o->kind != 'c')
		put(d, "uses", u);
	else
		value_free(u);
	if (o->partial)
		put(d, "partial", value_new(V_TRUE, 0, 0));
	if (o->deferrable)
		put(d, "deferrable", value_new(V_TRUE, 0, 0));
	return d;
}

static const char *kind_name(char k)
{
	switch (k) {
	case 'p': return "pk";
	case 'u': return "unique";
	case 'f': return "fk";
	case 'c': return "check";
	case 'x': return "exclude";
	case 'U': return "uindex";
	default: return "index";
	}
}

static void record(FILE *fp, const char *table, const char *kind,
    const char *name, const struct value *cols, const struct value *d)
{
	char *c = value_text(cols), *t = value_text(d);
	const char *f[6] = { REC_CATALOG, table, kind, name, c, t };

	stream_write(fp, f, 6);
	free(c);
	free(t);
}

/* The database's records, then the table records, each followed by its
 * objects and sequences. */
static void write_all(const struct livecat *lc, FILE *fp)
{
	PGresult *c = lc->cols, *s = lc->seqs;
	struct value *empty = value_new(V_DICT, 0, 0), *none = value_new(V_LIST,
	    0, 0), *nondet = value_new(V_DICT, 0, 0);
	size_t o = 0;
	int i = 0, k = 0;

	put(nondet, "deterministic", value_new(V_FALSE, 0, 0));
	for (int j = 0; j < PQntuples(lc->db); j++)
		record(fp, "", get(lc->db, j, 0), get(lc->db, j, 1), none,
		    !strcmp(get(lc->db, j, 0), "collation") ? nondet : empty);
	value_free(none);
	value_free(nondet);

	while (i < PQntuples(c)) {
		const char *table = get(c, i, 0);
		struct value *cols = value_new(V_LIST, 0, 0);

		for (; i < PQntuples(c) && !strcmp(get(c, i, 0), table); i++)
			if (get(c, i, 1))
				value_push(cols, str_value(get(c, i, 1)), NULL);
		record(fp, table, "table", table, cols, empty);
		value_free(cols);
		while (o < lc->n && strcmp(lc->v[o].table, table) < 0)
			o++;
		for (; o < lc->n && !strcmp(lc->v[o].table, table); o++) {
			struct value *d = detail(&lc->v[o]);

			record(fp, table, kind_name(lc->v[o].kind),
			    lc->v[o].name, lc->v[o].cols, d);
			value_free(d);
		}
		while (k < PQntuples(s) && strcmp(get(s, k, 0), table) < 0)
			k++;
		for (; k < PQntuples(s) && !strcmp(get(s, k, 0), table); k++) {
			struct value *col = value_new(V_LIST, 0, 0);

			value_push(col, str_value(get(s, k, 2)), NULL);
			record(fp, table, "sequence", get(s, k, 1), col, empty);
			value_free(col);
		}
	}
	value_free(empty);
}

/* The rank of each object of table (objects v[0..n), sorted by table):
 * its place in the rows of Django's two queries. */
static int rank_table(struct pg *pg, const char *table, struct lobj *v,
    size_t n)
{
	const char *const params[1] = { table };
	long rank = 0;

	for (int q = 0; q < 2; q++) {
		PGresult *r = pg_run(pg, q ? q_django_indexes :
		    q_django_constraints, 1, params);

		if (!pg_ok(r)) {
			char *e = pg_error(pg, r);

			warnx_("reading the catalog of %s: %s", table, e);
			free(e);
			PQclear(r);
			return -1;
		}
		for (int i = 0; i < PQntuples(r); i++, rank++)
			for (size_t k = 0; k < n; k++)
				if (!v[k].rank && q == is_index(&v[k]) &&
				    !strcmp(v[k].name, get(r, i, 0)))
					v[k].rank = rank + 1;
		PQclear(r);
	}
	return 0;
}

/* Only a table with two constraints or two indexes needs Django's
 * order. */
static int rank_all(struct pg *pg, struct livecat *lc)
{
	qsort(lc->v, lc->n, sizeof *lc->v, cmp_obj);
	for (size_t i = 0, j; i < lc->n; i = j) {
		size_t nix = 0;

		for (j = i; j < lc->n && !strcmp(lc->v[j].table, lc->v[i].table);
		    j++)
			nix += (size_t)is_index(&lc->v[j]);
		if ((nix > 1 || j - i - nix > 1) &&
		    rank_table(pg, lc->v[i].table, lc->v + i, j - i) < 0)
			return -1;
	}
	qsort(lc->v, lc->n, sizeof *lc->v, cmp_obj);
	return 0;
}

static void livecat_free(struct livecat *lc)
{
	for (size_t i = 0; i < lc->n; i++) {
		value_free(lc->v[i].cols);
		value_free(lc->v[i].refcols);
		value_free(lc->v[i].deps);
	}
	free(lc->v);
	PQclear(lc->db);
	PQclear(lc->cols);
	PQclear(lc->objs);
	PQclear(lc->ocols);
	PQclear(lc->seqs);
}

int livecat_write(struct pg *pg, FILE *fp)
{
	struct livecat lc = {0};
	int rc = -1;

	if ((lc.db = query(pg, q_database)) && (lc.cols = query(pg, q_columns)) &&
	    (lc.objs = query(pg, q_objects)) &&
	    (lc.ocols = query(pg, q_objcols)) &&
	    (lc.seqs = query(pg, q_sequences))) {
		read_objects(&lc);
		read_objcols(&lc);
		/* tables in byte order, as the columns query sorts them */
		if (rank_all(pg, &lc) == 0) {
			write_all(&lc, fp);
			rc = 0;
		}
	}
	livecat_free(&lc);
	return rc;
}
