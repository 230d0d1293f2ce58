/* where_t: a test driver for lib/sql/where.c.
 *
 * Reads lines "STATE<TAB>CONDITION" (a ModelState(...) value and a Q
 * value, in the stream's value syntax) and writes, for each, the SQL
 * where_sql() renders or "error: MESSAGE".  Empty lines and lines
 * starting with '#' are copied as they are.
 *
 * Its literal function is a small stand-in for psycopg2's quoting:
 * integers and floats as written, strings in single quotes with ''
 * doubling, True/False as true/false, None as NULL and
 * decimal.Decimal('x') as x; anything else is an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "stream/stream.h"
#include "sql/sqlint.h"

static char *t_literal(const struct value *v, const struct value *field,
    char **err)
{
	struct buf b = {0};

	(void)field;
	switch (v->kind) {
	case V_INT:
	case V_FLOAT:
		buf_puts(&b, v->s);
		break;
	case V_STR:
		buf_putc(&b, '\'');
		for (size_t i = 0; i < v->len; i++) {
			if (v->s[i] == '\'')
				buf_putc(&b, '\'');
			buf_putc(&b, v->s[i]);
		}
		buf_putc(&b, '\'');
		break;
	case V_TRUE:
		buf_puts(&b, "true");
		break;
	case V_FALSE:
		buf_puts(&b, "false");
		break;
	case V_NONE:
		buf_puts(&b, "NULL");
		break;
	case V_CALL:
		if (v->fn && v->fn->kind == V_NAME &&
		    !strcmp(v->fn->s, "decimal.Decimal") && v->n == 1 &&
		    v->items[0]->kind == V_STR) {
			buf_puts(&b, v->items[0]->s);
			break;
		}
		/* FALLTHROUGH */
	default: {
		char *t = value_text(v);

		*err = xasprintf("literal: %s not rendered", t);
		free(t);
		buf_free(&b);
		return NULL;
	}
	}
	return b.s;
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	argv0 = "where_t";
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		struct value *state, *q;
		char *tab, *err = NULL;
		long col;
		struct buf out = {0};

		if (n > 0 && line[n - 1] == '\n')
			line[--n] = 0;
		if (!n || line[0] == '#') {
			puts(line);
			continue;
		}
		tab = strchr(line, '\t');
		if (!tab) {
			puts("error: no TAB between the state and the condition");
			continue;
		}
		*tab = 0;
		state = value_parse(line, &err, &col);
		if (!state) {
			printf("error: state: %s\n", err);
			free(err);
			continue;
		}
		q = value_parse(tab + 1, &err, &col);
		if (!q) {
			printf("error: condition: %s\n", err);
			free(err);
			value_free(state);
			continue;
		}
		if (where_sql(q, state, t_literal, &out, &err) == 0) {
			puts(out.s ? out.s : "");
		} else {
			printf("error: %s\n", err);
			free(err);
		}
		buf_free(&out);
		value_free(q);
		value_free(state);
	}
	free(line);
	return close_stdout();
}
