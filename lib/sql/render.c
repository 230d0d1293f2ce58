/* render.c: the top of the renderer.  render_op writes an operation's
 * header (its description, as Operation.describe()) and hands it to the
 * renderer of its family (ops.c); render_finish appends what was deferred. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sqlint.h"

/* --- descriptions, as Operation.describe() -------------------------------- */

static const char *s_arg(const struct value *op, const char *k)
{
	const struct value *v = value_kwarg(op, k);

	return v && v->kind == V_STR ? v->s : "";
}

/* Python's str() of a list of strings: ['a', 'b'] */
static void py_list(struct buf *b, const struct value *v)
{
	char *t = value_text(v);

	buf_puts(b, t);
	free(t);
}

static void join_strings(struct buf *b, const struct value *v)
{
	for (size_t i = 0; v && i < v->n; i++)
		if (v->items[i]->kind == V_STR)
			buf_printf(b, "%s%s", i ? ", " : "", v->items[i]->s);
}

static int together_count(const struct value *v)
{
	if (!v || v->kind == V_NONE)
		return 0;
	if (v->n && v->items[0]->kind == V_STR)
		return 1;
	return (int)v->n;
}

/* str() of a value inside an expression's repr: a str as it is,
 * numbers and constants as Python writes them. */
static char *plain_str(const struct value *v)
{
	switch (v->kind) {
	case V_STR:
		return xstrdup(v->s);
	case V_INT: case V_FLOAT:
		return xstrdup(v->s);
	case V_TRUE:
		return xstrdup("True");
	case V_FALSE:
		return xstrdup("False");
	case V_NONE:
		return xstrdup("None");
	default:
		return NULL;
	}
}

static char *expr_str(const struct value *v);

/* Func.__repr__: Name(arg, arg, key=value, ...), the extra keywords
 * sorted; a str argument is an F(). */
static char *func_str(const char *name, const struct value *v,
    const char *const *skip)
{
	struct buf b = {0}, extra = {0};
	size_t k = 0, nk = 0;
	const char *keys[8];
	const struct value *vals[8];

	buf_printf(&b, "%s(", name);
	for (size_t i = 0; i < v->n; i++) {
		char *t;
		int skipped = 0;

		if (v->names[i] && strcmp(v->names[i], "expression")) {
			for (int j = 0; skip && skip[j]; j++)
				skipped |= !strcmp(v->names[i], skip[j]);
			if (!skipped) {
				if (nk == 8)
					goto fail;
				keys[nk] = v->names[i];
				vals[nk++] = v->items[i];
			}
			continue;
		}
		t = v->items[i]->kind == V_STR ? xasprintf("F(%s)",
		    v->items[i]->s) : expr_str(v->items[i]);
		if (!t)
			goto fail;
		buf_printf(&b, "%s%s", k++ ? ", " : "", t);
		free(t);
	}
	for (size_t i = 1; i < nk; i++)	/* sorted(extra.items()) */
		for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
			const char *tk = keys[j];
			const struct value *tv = vals[j];

			keys[j] = keys[j - 1];
			vals[j] = vals[j - 1];
			keys[j - 1] = tk;
			vals[j - 1] = tv;
		}
	for (size_t i = 0; i < nk; i++) {
		char *t = plain_str(vals[i]);

		if (!t)
			goto fail;
		buf_printf(&extra, "%s%s=%s", i ? ", " : "", keys[i], t);
		free(t);
	}
	if (nk)
		buf_printf(&b, "%s%s", k ? ", " : "", extra.s);
	buf_putc(&b, ')');
	buf_free(&extra);
	return b.s;
fail:
	buf_free(&b);
	buf_free(&extra);
	return NULL;
}

/* Python's str() of an index expression; NULL when migsql cannot
 * tell it exactly. */
static char *expr_str(const struct value *v)
{
	static const char *const no_extra[] = { "output_field", NULL };
	const char *f = v->kind == V_CALL && v->fn->kind == V_NAME ? v->fn->s :
	    "";
	const struct value *a = v->n ? v->items[0] : NULL;

	if (!strcmp(f, "models.F") && a && a->kind == V_STR)
		return xasprintf("F(%s)", a->s);
	if (v->kind == V_CALL && v->fn->kind == V_ATTR && !v->n &&
	    (!strcmp(v->fn->s, "desc") || !strcmp(v->fn->s, "asc"))) {
		char *in = v->fn->fn->kind == V_STR ? xasprintf("F(%s)",
		    v->fn->fn->s) : expr_str(v->fn->fn), *r;

		if (!in)
			return NULL;
		r = xasprintf("OrderBy(%s, descending=%s)", in,
		    !strcmp(v->fn->s, "desc") ? "True" : "False");
		free(in);
		return r;
	}
	if (!strcmp(f, "models.OrderBy") && a) {
		char *in = expr_str(a), *r;
		const struct value *d = value_kwarg(v, "descending");

		if (!in)
			return NULL;
		r = xasprintf("OrderBy(%s, descending=%s)", in,
		    d && d->kind == V_TRUE ? "True" : "False");
		free(in);
		return r;
	}
	if (!strcmp(f, "postgres.indexes.OpClass"))
		return func_str("OpClass", v, NULL);
	/* a project's function class that the maps made a Func: its own
	 * name; the map's function= is its class attribute, not extra */
	if (!strcmp(f, "models.Func") && value_kwarg(v, "_class") &&
	    value_kwarg(v, "_class")->kind == V_STR)
		return func_str(value_kwarg(v, "_class")->s, v,
		    (const char *const[]){ "_class", "function", "output_field",
		    NULL });
	if (!strcmp(f, "models.Func"))	/* function= is extra */
		return func_str("Func", v, no_extra);
	if (!strcmp(f, "models.functions.Collate"))	/* no extra */
		return v->n && !strcmp(v->names[0] ? v->names[0] :
		    "expression", "expression") ? func_str("Collate", v,
		    (const char *const[]){ "collation", NULL }) : NULL;
	if (!strncmp(f, "models.functions.", 17) && !strchr(f + 17, '.'))
		return func_str(f + 17, v, no_extra);
	if (!strcmp(f, "postgres.functions.RandomUUID") ||
	    !strcmp(f, "postgres.functions.TransactionNow"))
		return func_str(f + 19, v, no_extra);
	return NULL;
}

/* AddIndex names its expressions; AddIndexConcurrently only fields. */
static int describe_index(struct buf *b, const struct value *op,
    const char *verb, int concurrently)
{
	const struct value *idx = value_kwarg(op, "index");
	const struct value *fields = value_kwarg(idx, "fields");
	size_t npos = 0;

	for (size_t i = 0; idx && i < idx->n; i++)
		npos += !idx->names[i];
	buf_printf(b, "%s index %s on ", verb, s_arg(idx, "name"));
	if (npos && !concurrently) {
		for (size_t i = 0, k = 0; i < idx->n; i++)
			if (!idx->names[i]) {
				char *t = expr_str(idx->items[i]);

				if (!t)
					return -1;
				buf_printf(b, "%s%s", k++ ? ", " : "", t);
				free(t);
			}
		buf_printf(b, " on model %s", s_arg(op, "model_name"));
	} else {
		buf_puts(b, "field(s) ");
		join_strings(b, fields);
		buf_printf(b, " of model %s", s_arg(op, "model_name"));
	}
	return 0;
}

static char *describe(const struct value *op, const char *c)
{
	struct buf b = {0};
	const struct value *v;

	buf_putn(&b, "", 0);
	if (!strcmp(c, "CreateModel")) {
		v = value_dict_get(value_kwarg(op, "options"), "proxy");
		buf_printf(&b, "Create %smodel %s", v && v->kind == V_TRUE ?
		    "proxy " : "", s_arg(op, "name"));
	} else if (!strcmp(c, "DeleteModel"))
		buf_printf(&b, "Delete model %s", s_arg(op, "name"));
	else if (!strcmp(c, "RenameModel"))
		buf_printf(&b, "Rename model %s to %s", s_arg(op, "old_name"),
		    s_arg(op, "new_name"));
	else if (!strcmp(c, "AlterModelTable")) {
		v = value_kwarg(op, "table");
		buf_printf(&b, "Rename table for %s to %s", s_arg(op, "name"),
		    v && v->kind == V_STR ? v->s : "(default)");
	} else if (!strcmp(c, "AlterModelTableComment"))
		buf_printf(&b, "Alter %s table comment", s_arg(op, "name"));
	else if (!strcmp(c, "AlterUniqueTogether") ||
	    !strcmp(c, "AlterIndexTogether")) {
		const char *opt = c[5] == 'U' ? "unique_together" : "index_together";

		buf_printf(&b, "Alter %s for %s (%d constraint(s))", opt,
		    s_arg(op, "name"), together_count(value_kwarg(op, opt)));
	} else if (!strcmp(c, "AlterOrderWithRespectTo")) {
		v = value_kwarg(op, "order_with_respect_to");
		buf_printf(&b, "Set order_with_respect_to on %s to %s",
		    s_arg(op, "name"), v && v->kind == V_STR ? v->s : "None");
	} else if (!strcmp(c, "AlterModelOptions"))
		buf_printf(&b, "Change Meta options on %s", s_arg(op, "name"));
	else if (!strcmp(c, "AlterModelManagers"))
		buf_printf(&b, "Change managers on %s", s_arg(op, "name"));
	else if (!strcmp(c, "AddField"))
		buf_printf(&b, "Add field %s to %s", s_arg(op, "name"),
		    s_arg(op, "model_name"));
	else if (!strcmp(c, "RemoveField"))
		buf_printf(&b, "Remove field %s from %s", s_arg(op, "name"),
		    s_arg(op, "model_name"));
	else if (!strcmp(c, "AlterField"))
		buf_printf(&b, "Alter field %s on %s", s_arg(op, "name"),
		    s_arg(op, "model_name"));
	else if (!strcmp(c, "RenameField"))
		buf_printf(&b, "Rename field %s on %s to %s", s_arg(op,
		    "old_name"), s_arg(op, "model_name"), s_arg(op, "new_name"));
	else if (!strcmp(c, "AddIndex") || !strcmp(c, "AddIndexConcurrently")) {
		int conc = strcmp(c, "AddIndex") != 0;

		if (describe_index(&b, op, conc ? "Concurrently create" :
		    "Create", conc) < 0) {
			buf_free(&b);
			return NULL;
		}
	}
	else if (!strcmp(c, "RemoveIndex"))
		buf_printf(&b, "Remove index %s from %s", s_arg(op, "name"),
		    s_arg(op, "model_name"));
	else if (!strcmp(c, "RemoveIndexConcurrently"))
		buf_printf(&b, "Concurrently remove index %s from %s",
		    s_arg(op, "name"), s_arg(op, "model_name"));
	else if (!strcmp(c, "RenameIndex")) {
		if (*s_arg(op, "old_name"))
			buf_printf(&b, "Rename index %s on %s to %s",
			    s_arg(op, "old_name"), s_arg(op, "model_name"),
			    s_arg(op, "new_name"));
		else {
			buf_puts(&b, "Rename unnamed index for ");
			py_list(&b, value_kwarg(op, "old_fields"));
			buf_printf(&b, " on %s to %s", s_arg(op, "model_name"),
			    s_arg(op, "new_name"));
		}
	} else if (!strcmp(c, "AddConstraint"))
		buf_printf(&b, "Create constraint %s on model %s",
		    s_arg(value_kwarg(op, "constraint"), "name"),
		    s_arg(op, "model_name"));
	else if (!strcmp(c, "AddConstraintNotValid"))
		buf_printf(&b, "Create not valid constraint %s on model %s",
		    s_arg(value_kwarg(op, "constraint"), "name"),
		    s_arg(op, "model_name"));
	else if (!strcmp(c, "RemoveConstraint"))
		buf_printf(&b, "Remove constraint %s from model %s",
		    s_arg(op, "name"), s_arg(op, "model_name"));
	else if (!strcmp(c, "AlterConstraint"))
		buf_printf(&b, "Alter constraint %s on %s", s_arg(op, "name"),
		    s_arg(op, "model_name"));
	else if (!strcmp(c, "ValidateConstraint"))
		buf_printf(&b, "Validate constraint %s on model %s",
		    s_arg(op, "name"), s_arg(op, "model_name"));
	else if (!strcmp(c, "RunSQL"))
		buf_puts(&b, "Raw SQL operation");
	else if (!strcmp(c, "RunPython"))
		buf_puts(&b, "Raw Python operation");
	else if (!strcmp(c, "SeparateDatabaseAndState"))
		buf_puts(&b, "Custom state/database change combination");
	else if (!strcmp(c, "CreateCollation"))
		buf_printf(&b, "Create collation %s", s_arg(op, "name"));
	else if (!strcmp(c, "RemoveCollation"))
		buf_printf(&b, "Remove collation %s", s_arg(op, "name"));
	else if (extension_name(op, c))
		buf_printf(&b, "Creates extension %s", extension_name(op, c));
	else
		buf_printf(&b, "%s", c);
	return b.s;
}

/* --- the driver ---------------------------------------------------------- */

static void header(struct opctx *c, const char *desc)
{
	char *line = xasprintf("-- %s", desc);

	sink_add(c->mig, "--", 0, c->index);
	sink_add(c->mig, line, 0, c->index);
	sink_add(c->mig, "--", 0, c->index);
	free(line);
}

/* An operation whose database side wrote nothing says so. */
static void close_op(struct migctx *m)
{
	if (m->open && m->n == m->open_at)
		sink_add(m, "-- (no-op)", 0, m->stmt_index[m->n - 1]);
	m->open = 0;
}

/* --- the dispatch --------------------------------------------------------- */

/* The operations of each family, by class.  RunPython is the driver's. */
static int render_class(struct opctx *c, const char *cls)
{
	const char *ext = extension_name(c->op, cls);

	if (ext)
		return render_extension(c, ext);
	if (!strcmp(cls, "CreateCollation"))
		return render_collation(c, !c->back);
	if (!strcmp(cls, "RemoveCollation"))
		return render_collation(c, c->back);
	if (!strcmp(cls, "RunSQL"))
		return render_run_sql(c);
	if (!strcmp(cls, "SeparateDatabaseAndState") ||
	    !strcmp(cls, "AlterConstraint") ||	/* database_forwards: pass */
	    !strcmp(cls, "AlterModelOptions") ||
	    !strcmp(cls, "AlterModelManagers"))
		return 0;
	if (!strcmp(cls, "CreateModel")) return render_model(c, 1);
	if (!strcmp(cls, "DeleteModel")) return render_model(c, 0);
	if (!strcmp(cls, "AddField")) return render_field(c, 1);
	if (!strcmp(cls, "RemoveField")) return render_field(c, 0);
	if (!strcmp(cls, "AddIndex")) return render_index(c, 1, 0);
	if (!strcmp(cls, "AddIndexConcurrently")) return render_index(c, 1, 1);
	if (!strcmp(cls, "RemoveIndex")) return render_index(c, 0, 0);
	if (!strcmp(cls, "RemoveIndexConcurrently")) return render_index(c, 0, 1);
	if (!strcmp(cls, "AddConstraint")) return render_constraint(c, 1, 0);
	if (!strcmp(cls, "AddConstraintNotValid"))
		return render_constraint(c, 1, 1);
	if (!strcmp(cls, "RemoveConstraint")) return render_constraint(c, 0, 0);
	if (!strcmp(cls, "ValidateConstraint")) return render_validate(c);
	if (!strcmp(cls, "AlterField")) return render_alter_field(c);
	if (!strcmp(cls, "RenameField")) return render_rename_field(c);
	if (!strcmp(cls, "AlterModelTable")) return render_alter_model_table(c);
	if (!strcmp(cls, "AlterModelTableComment"))
		return render_alter_table_comment(c);
	if (!strcmp(cls, "AlterUniqueTogether")) return render_alter_together(c, 1);
	if (!strcmp(cls, "AlterIndexTogether")) return render_alter_together(c, 0);
	if (!strcmp(cls, "RenameIndex")) return render_rename_index(c);
	if (!strcmp(cls, "RenameModel")) return render_rename_model(c);
	return render_error(c, "%s is not rendered yet", cls);
}

int render_op(struct opctx *c)
{
	const char *cls = c->op->kind == V_CALL && c->op->fn->kind == V_NAME ?
	    c->op->fn->s : NULL;
	char *desc;

	if (!cls)
		return render_error(c, "not an operation call");
	if (!c->nested) {
		close_op(c->mig);
		if (!(desc = describe(c->op, cls)))
			return render_error(c, "%s: the description of its "
			    "expressions is not rendered yet", cls);
		header(c, desc);
		free(desc);
		if (!strcmp(cls, "RunPython")) {
			const struct value *rev = value_kwarg(c->op,
			    "reverse_code");

			/* RunPython.reversible: reverse_code is not None */
			if (c->back && (!rev || rev->kind == V_NONE))
				return render_error(c, "RunPython is not "
				    "reversible (it has no reverse_code)");
			sink_add(c->mig, "-- THIS OPERATION CANNOT BE WRITTEN AS SQL", 0,
			    c->index);
			return 0;
		}
		c->mig->open = 1;
		c->mig->open_at = c->mig->n;
		field_unread_reset();
	}
	if (render_class(c, cls))
		return -1;
	if (field_unread())
		return render_error(c, "%s: the argument %s= is an expression "
		    "migparse left unevaluated (a name, a call or an operator); "
		    "write its value in the file, or give the names it uses "
		    "with migparse -D", cls, field_unread());
	return 0;
}

void render_finish(struct migctx *m)
{
	close_op(m);
	for (size_t i = 0; i < m->ndeferred; i++)
		sink_add(m, m->deferred[i], 1, m->deferred_index[i]);
}

