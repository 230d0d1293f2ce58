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

/* Python's str() of an index expression; NULL when migsql cannot
 * tell it exactly. */
static char *expr_str(const struct value *v)
{
	const char *f = v->kind == V_CALL && v->fn->kind == V_NAME ? v->fn->s :
	    "";
	const struct value *a = v->n ? v->items[0] : NULL;

	if (!strcmp(f, "models.F") && a && a->kind == V_STR)
		return xasprintf("F(%s)", a->s);
	if (!strncmp(f, "models.functions.", 17) && v->n == 1 && a &&
	    a->kind == V_STR)
		return xasprintf("%s(F(%s))", f + 17, a->s);
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
	}
	return render_class(c, cls);
}

void render_finish(struct migctx *m)
{
	close_op(m);
	for (size_t i = 0; i < m->ndeferred; i++)
		sink_add(m, m->deferred[i], 1, m->deferred_index[i]);
}

