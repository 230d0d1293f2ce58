/* opschema.c: CreateModel, DeleteModel, AddField, RemoveField, the index
 * and constraint operations, as Django's operations call the schema editor
 * (the statements themselves are built by schema.c). */
#include <stdlib.h>
#include <string.h>

#include "sqlint.h"

int render_field(struct opctx *c, int add)
{
	int after = add, skip;
	const struct value *s = model(c, "model_name", after, &skip);
	struct field f;

	if (!s || skip)
		return s ? 0 : -1;
	if (field_named(s, op_arg(c, "name") ? op_arg(c, "name") : "", &f) < 0)
		return render_error(c, "no field %s in the state", op_arg(c, "name"));
	/* AddField's default is the operation's, even when the state keeps
	 * none (preserve_default=False) */
	return add != c->back ? add_column(c, s, &f, after, add ?
	    kw(c->op, "field") : f.call) : remove_column(c, s, &f, after);
}

int render_index(struct opctx *c, int add, int concurrently)
{
	int after = add, skip;
	const struct value *s = model(c, "model_name", after, &skip), *idx;
	const char *name;

	if (!s || skip)
		return s ? 0 : -1;
	idx = add ? kw(c->op, "index") : named_in(s, "indexes", op_arg(c, "name"));
	name = add ? kstr(idx, "name") : op_arg(c, "name");
	if (add == c->back) {
		forget_deferred_index(c, name ? name : "");
		return drop_index(c, name ? name : "", concurrently);
	}
	if (!idx)
		return render_error(c, "no index %s in the state", name ?
		    name : "?");
	return emit_index(c, s, idx, concurrently);
}

int render_constraint(struct opctx *c, int add, int not_valid)
{
	int after = add, skip;
	const struct value *s = model(c, "model_name", after, &skip), *con;
	const char *name;

	if (!s || skip)
		return s ? 0 : -1;
	con = add ? kw(c->op, "constraint") : named_in(s, "constraints",
	    op_arg(c, "name"));
	name = add ? kstr(con, "name") : op_arg(c, "name");
	if (!con || !name)
		return render_error(c, "no constraint %s in the state", name ?
		    name : "?");
	if (add == c->back) {
		if (strcmp(con->fn->s, "models.UniqueConstraint") &&
		    strcmp(con->fn->s, "models.CheckConstraint") &&
		    strcmp(con->fn->s, "postgres.constraints.ExclusionConstraint"))
			return render_error(c, "dropping a %s is not rendered yet",
			    con->fn->s);
		if (is_unique_index(con))
			return drop_index(c, name, 0);
		return drop_constraint(c, model_table(s), name);
	}
	return add_constraint(c, s, con, not_valid);
}

int render_model(struct opctx *c, int create)
{
	int after = create, skip;
	const struct value *s = model(c, "name", after, &skip);

	if (!s || skip)
		return s ? 0 : -1;
	return create != c->back ? create_table(c, s, after) :
	    drop_table(c, s, after);
}

int render_validate(struct opctx *c)
{
	int skip;
	const struct value *s = model(c, "model_name", 0, &skip);
	struct buf b = {0};

	if (!s || skip || c->back)
		return s ? 0 : -1;
	buf_puts(&b, "ALTER TABLE ");
	qn(&b, model_table(s));
	buf_puts(&b, " VALIDATE CONSTRAINT ");
	qn(&b, op_arg(c, "name") ? op_arg(c, "name") : "");
	emit(c, b.s);
	buf_free(&b);
	return 0;
}
