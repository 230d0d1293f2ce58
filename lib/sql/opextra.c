/* opextra.c: the operations outside the schema editor's model methods:
 * RunSQL (with its parameters), CreateExtension and its subclasses,
 * CreateCollation and RemoveCollation. */
#include <stdlib.h>
#include <string.h>

#include "sqlint.h"

static const char *s_arg(const struct value *op, const char *k)
{
	const struct value *v = value_kwarg(op, k);

	return v && v->kind == V_STR ? v->s : NULL;
}

const char *extension_name(const struct value *op, const char *cls)
{
	static const char *const ext[][2] = {
		{"BloomExtension", "bloom"}, {"BtreeGinExtension", "btree_gin"},
		{"BtreeGistExtension", "btree_gist"}, {"CITextExtension", "citext"},
		{"CryptoExtension", "pgcrypto"}, {"HStoreExtension", "hstore"},
		{"TrigramExtension", "pg_trgm"}, {"UnaccentExtension", "unaccent"},
	};

	if (!strcmp(cls, "CreateExtension"))
		return s_arg(op, "name");
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
		if (!strcmp(cls, ext[i][0]))
			return ext[i][1];
	return NULL;
}

static void emitf(struct opctx *c, struct buf *b)
{
	emit(c, b->s);
	buf_free(b);
}

/* CreateExtension: the state says whether an earlier migration made it. */
int render_extension(struct opctx *c, const char *name)
{
	struct buf b = {0};

	if (c->back) {
		buf_puts(&b, "DROP EXTENSION IF EXISTS ");
	} else {
		if (c->ext_state && !strcmp(c->ext_state, "present"))
			return 0;
		buf_puts(&b, "CREATE EXTENSION IF NOT EXISTS ");
	}
	sql_quote_name(&b, name);
	emitf(c, &b);
	return 0;
}

int render_collation(struct opctx *c, int create)
{
	const char *name = s_arg(c->op, "name"), *locale = s_arg(c->op, "locale");
	const char *provider = s_arg(c->op, "provider");
	const struct value *det = value_kwarg(c->op, "deterministic");
	struct buf b = {0};

	if (!name)
		return render_error(c, "collation needs a name");
	if (!create) {
		buf_puts(&b, "DROP COLLATION ");
		sql_quote_name(&b, name);
		emitf(c, &b);
		return 0;
	}
	if (!locale)
		return render_error(c, "CreateCollation needs a locale");
	buf_puts(&b, "CREATE COLLATION ");
	sql_quote_name(&b, name);
	buf_puts(&b, " (locale=");
	sql_quote_name(&b, locale);
	if (provider && strcmp(provider, "libc")) {
		buf_puts(&b, ", provider=");
		sql_quote_name(&b, provider);
	}
	if (det && det->kind == V_FALSE)
		buf_puts(&b, ", deterministic=false");
	buf_putc(&b, ')');
	emitf(c, &b);
	return 0;
}

/* psycopg2's mogrify: %s takes the next parameter as a literal, %(name)s
 * the named one, %% is a percent sign. */
static char *compose(struct opctx *c, const char *sql, const struct value *p)
{
	struct buf b = {0};
	size_t next = 0;

	for (const char *s = sql; *s; s++) {
		const struct value *v = NULL;
		char *lit, *err = NULL;

		if (*s != '%') {
			buf_putc(&b, *s);
			continue;
		}
		if (s[1] == '%') {
			buf_putc(&b, '%');
			s++;
			continue;
		}
		if (s[1] == 's' && p->kind != V_DICT) {
			v = next < p->n ? p->items[next++] : NULL;
			s++;
		} else if (s[1] == '(' && p->kind == V_DICT && strchr(s, ')') &&
		    strchr(s, ')')[1] == 's') {
			char *k = xstrndup(s + 2, (size_t)(strchr(s, ')') - s - 2));

			v = value_dict_get(p, k);
			free(k);
			s = strchr(s, ')') + 1;
		}
		if (!v || !(lit = param_literal(v, NULL, &err))) {
			render_error(c, "RunSQL parameters do not fit its SQL%s%s",
			    err ? ": " : "", err ? err : "");
			free(err);
			buf_free(&b);
			return NULL;
		}
		buf_puts(&b, lit);
		free(lit);
	}
	if (p->kind != V_DICT && next != p->n) {
		buf_free(&b);
		return render_error(c, "RunSQL has more parameters than its SQL "
		    "takes"), NULL;
	}
	return b.s;
}

int render_run_sql(struct opctx *c)
{
	const struct value *sql = value_kwarg(c->op, c->back ? "reverse_sql" :
	    "sql");

	if (!sql || sql->kind == V_NONE)
		return c->back ? render_error(c, "RunSQL is not reversible "
		    "(it has no reverse_sql)") : 0;
	if (sql->kind == V_NAME && !strcmp(sql->s, "RunSQL.noop"))
		return 0;
	if (sql->kind == V_STR) {
		/* the PostgreSQL backend's prepare_sql_script() keeps a
		 * script whole, as written: one execute() */
		if (*sql->s)
			emit_raw(c, sql->s);
		return 0;
	}
	if (sql->kind != V_LIST && sql->kind != V_TUPLE)
		return render_error(c, "RunSQL's SQL is not a string or a list");
	for (size_t i = 0; i < sql->n; i++) {
		const struct value *s = sql->items[i];

		char *sq;

		if (s->kind == V_STR) {
			emit_raw(c, s->s);
			continue;
		}
		if ((s->kind != V_TUPLE && s->kind != V_LIST) || s->n != 2 ||
		    s->items[0]->kind != V_STR)
			return render_error(c, "RunSQL item %zu is neither SQL nor "
			    "(SQL, parameters)", i + 1);
		if (s->items[1]->kind == V_NONE) {
			emit_raw(c, s->items[0]->s);
			continue;
		}
		if (!(sq = compose(c, s->items[0]->s, s->items[1])))
			return -1;
		emit_raw(c, sq);
		free(sq);
	}
	return 0;
}
