/* check.c: what the stream reader verifies before a tool sees a record.
 *
 * A migration tool runs unattended against production databases, so the
 * stream is trusted for nothing: every field of every record kind that a
 * tool reads has its shape checked here, in one table, and the values
 * that carry operations and model states have theirs checked by
 * record_value().  A record that fails is reported as FILE:LINE:COL and
 * never reaches the tool. */
#include <stdlib.h>
#include <string.h>

#include "stream.h"
#include "base/base.h"

/* Field checks, one letter a field after the kind:
 *   a  an app label or migration name: not empty
 *   i  a step or operation number: 1, 2, ... (no sign, no leading 0)
 *   I  an operation number, or N.K for one inside SeparateDatabaseAndState
 *   b  a flag: 1 or 0
 *   d  forwards or backwards
 *   w  before, after or both
 *   B  before
 *   k  a model key app.model
 *   e  present or absent
 *   t  tx or notx
 *   R  RunPython
 *   *  anything
 * A kind's fields beyond its letters are allowed (later versions may add
 * some); fewer are not. */
static const struct {
	const char *kind, *fields, *what;
} specs[] = {
	{ REC_MIGRATION, "aabb*", "APP NAME ATOMIC INITIAL FILE" },
	{ REC_DEPENDENCY, "aaaa", "APP NAME DEP_APP DEP_NAME" },
	{ REC_REPLACES, "aaaa", "APP NAME OLD_APP OLD_NAME" },
	{ REC_RUN_BEFORE, "aaaa", "APP NAME OTHER_APP OTHER_NAME" },
	{ REC_OPERATION, "aai*", "APP NAME INDEX CALL" },
	{ REC_APPLIED, "aa", "APP NAME [APPLIED_AT]" },
	{ REC_ALLOW, "aaa", "APP NAME RULE" },
	{ REC_PLAN, "aaid", "APP NAME STEP DIRECTION" },
	{ REC_OP, "aaId*", "APP NAME INDEX DIRECTION CALL" },
	{ REC_MODEL, "aaIwk*", "APP NAME INDEX WHEN KEY STATE" },
	{ REC_EXTENSION, "aaIBae", "APP NAME INDEX before EXTENSION STATE" },
	{ REC_SQL, "aaIt*", "APP NAME INDEX TX STATEMENT" },
	{ REC_NOSQL, "aaIR", "APP NAME INDEX CLASS" },
	{ REC_FAILED, "a*", "TOOL STATUS" },
};

/* 1, 2, ...: digits without a leading zero, not absurdly long. */
static int is_number(const char *s, size_t n)
{
	if (n == 0 || n > 9 || s[0] == '0')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int one_of(const char *s, const char *a, const char *b, const char *c)
{
	return !strcmp(s, a) || (b && !strcmp(s, b)) || (c && !strcmp(s, c));
}

/* Does field s pass check c?  The expectation for messages in *want. */
static int field_ok(char c, const char *s, const char **want)
{
	const char *dot;

	switch (c) {
	case 'a': *want = "a name"; return *s != '\0';
	case 'i': *want = "a number from 1"; return is_number(s, strlen(s));
	case 'I':
		*want = "an operation number (N or N.K)";
		dot = strchr(s, '.');
		return dot ? is_number(s, (size_t)(dot - s)) &&
		    is_number(dot + 1, strlen(dot + 1)) : is_number(s, strlen(s));
	case 'b': *want = "1 or 0"; return one_of(s, "1", "0", NULL);
	case 'd':
		*want = "forwards or backwards";
		return one_of(s, "forwards", "backwards", NULL);
	case 'w':
		*want = "before, after or both";
		return one_of(s, "before", "after", "both");
	case 'B': *want = "before"; return one_of(s, "before", NULL, NULL);
	case 'k':
		*want = "a model key app.model";
		dot = strchr(s, '.');
		return dot && dot != s && dot[1] && !strchr(dot + 1, '.');
	case 'e':
		*want = "present or absent";
		return one_of(s, "present", "absent", NULL);
	case 't': *want = "tx or notx"; return one_of(s, "tx", "notx", NULL);
	case 'R': *want = "RunPython"; return one_of(s, "RunPython", NULL, NULL);
	default: return 1;
	}
}

long record_col(const struct record *r, size_t i)
{
	const unsigned char *p = (const unsigned char *)r->raw;
	long col = 1;

	for (size_t tabs = 0; *p && tabs < i; p++) {
		tabs += *p == '\t';
		col += (*p & 0xC0) != 0x80;	/* characters, not bytes */
	}
	return col;
}

int record_check(const struct record *r)
{
	for (size_t k = 0; k < sizeof specs / sizeof *specs; k++) {
		const char *f = specs[k].fields, *want;
		size_t n = strlen(f);

		if (strcmp(r->f[0], specs[k].kind))
			continue;
		if (r->n < n + 1) {
			warn_at(r->src, r->line, 1, "%s record: expected %s",
			    r->f[0], specs[k].what);
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			if (field_ok(f[i], r->f[i + 1], &want))
				continue;
			warn_at(r->src, r->line, record_col(r, i + 1),
			    "%s record: field %zu ('%s') is not %s", r->f[0],
			    i + 2, r->f[i + 1], want);
			return -1;
		}
		return 0;
	}
	return 0;
}

/* --- values: operations and model states --------------------------------- */

/* f(...) with f a (dotted) name: an operation, a field, an index. */
static int is_call(const struct value *v)
{
	return v && v->kind == V_CALL && v->fn && v->fn->kind == V_NAME;
}

static int is_str(const struct value *v)
{
	return v && v->kind == V_STR;
}

/* A list whose items all pass ok. */
static int list_of(const struct value *v, int (*ok)(const struct value *))
{
	if (!v || v->kind != V_LIST)
		return 0;
	for (size_t i = 0; i < v->n; i++)
		if (!ok(v->items[i]))
			return 0;
	return 1;
}

/* ('name', models.X(...)) */
static int is_field(const struct value *v)
{
	return v && v->kind == V_TUPLE && v->n == 2 && is_str(v->items[0]) &&
	    is_call(v->items[1]);
}

/* (KIND, NAME, COLUMNS, ...): an object of the database. */
static int is_dbobj(const struct value *v)
{
	return v && v->kind == V_TUPLE && v->n >= 3 && is_str(v->items[0]) &&
	    is_str(v->items[1]) && v->items[2]->kind == V_LIST;
}

/* db=: the objects of a table, or None when they cannot be told. */
static int is_db(const struct value *v)
{
	return v->kind == V_NONE || list_of(v, is_dbobj);
}

/* A dict whose keys are strings and whose values pass ok (NULL: any). */
static int dict_of(const struct value *v, int (*ok)(const struct value *))
{
	if (!v || v->kind != V_DICT)
		return 0;
	for (size_t i = 0; i + 1 < v->n; i += 2)
		if (!is_str(v->items[i]) || (ok && !ok(v->items[i + 1])))
			return 0;
	return 1;
}

static int is_options(const struct value *v)
{
	const struct value *x;

	if (!dict_of(v, NULL))
		return 0;
	x = value_dict_get(v, "indexes");
	if (x && !list_of(x, is_call))
		return 0;
	x = value_dict_get(v, "constraints");
	return !x || list_of(x, is_call);
}

static int is_bool(const struct value *v)
{
	return v->kind == V_TRUE || v->kind == V_FALSE;
}

static int is_any(const struct value *v)
{
	(void)v;
	return 1;
}

static int is_strlist(const struct value *v)
{
	return list_of(v, is_str);
}

static int is_through_db(const struct value *v)
{
	return dict_of(v, is_db);
}

static int is_collations(const struct value *v)
{
	return dict_of(v, is_bool);
}

/* The keywords of a model state (migstream(5)), the first five required. */
static const struct {
	const char *name;
	int (*ok)(const struct value *);
	const char *want;
} state_args[] = {
	{ "app_label", is_str, "a string" },
	{ "name", is_str, "a string" },
	{ "db_table", is_str, "a string" },
	{ "fields", NULL, "a list of ('name', field call) pairs" },
	{ "options", is_options, "a dict (indexes and constraints lists of "
	    "calls)" },
	{ "bases", is_any, "" },
	{ "managers", is_any, "" },
	{ "past_tables", is_strlist, "a list of strings" },
	{ "db", is_db, "None or a list of (KIND, NAME, COLUMNS, ...)" },
	{ "through_db", is_through_db, "a dict of table names to db lists" },
	{ "auto_field", is_str, "a string" },
	{ "swapped", is_bool, "True or False" },
	{ "collations", is_collations, "a dict of names to True or False" },
};
#define NSTATE_ARGS (sizeof state_args / sizeof *state_args)
#define NSTATE_REQUIRED 5

static int is_fields(const struct value *v)
{
	return list_of(v, is_field);
}

/* NULL, or what is wrong with model state v: the message, and in *at
 * the value it is about. */
static char *state_problem(const struct value *v, const struct value **at)
{
	size_t seen[NSTATE_ARGS] = {0};

	*at = v;
	if (!is_call(v) || strcmp(v->fn->s, "ModelState"))
		return xstrdup("the model state is not a ModelState(...) call");
	for (size_t i = 0; i < v->n; i++) {
		size_t k = 0;

		*at = v->items[i];
		if (!v->names[i])
			return xstrdup("the model state has a positional "
			    "argument (all are keywords)");
		while (k < NSTATE_ARGS && strcmp(state_args[k].name, v->names[i]))
			k++;
		if (k == NSTATE_ARGS)
			return xasprintf("the model state has an unknown "
			    "keyword %s", v->names[i]);
		if (seen[k]++)
			return xasprintf("the model state has %s twice",
			    v->names[i]);
		if (!(state_args[k].ok ? state_args[k].ok : is_fields)(v->items[i]))
			return xasprintf("the model state's %s= is not %s",
			    v->names[i], state_args[k].want);
	}
	*at = v;
	for (size_t k = 0; k < NSTATE_REQUIRED; k++)
		if (!seen[k])
			return xasprintf("the model state has no %s",
			    state_args[k].name);
	return NULL;
}

int record_shape(const struct record *r, size_t i, const struct value *v,
    enum vshape shape)
{
	char *why = NULL;
	const struct value *at = v;

	if (shape == VS_CALL && !is_call(v))
		why = xstrdup("the operation is not a call NAME(...)");
	else if (shape == VS_MODEL_STATE)
		why = state_problem(v, &at);
	if (!why)
		return 0;
	warn_at(r->src, r->line, record_col(r, i) + (at->col > 0 ? at->col -
	    1 : 0), "%s %s.%s #%s: %s", r->f[0], r->f[1], r->f[2], r->f[3],
	    why);
	free(why);
	return -1;
}

struct value *record_value(const struct record *r, size_t i,
    enum vshape shape)
{
	char *err;
	long col, base = record_col(r, i);
	struct value *v = value_parse(r->f[i], &err, &col);

	if (!v) {
		warn_at(r->src, r->line, base + col - 1, "%s %s.%s #%s: %s",
		    r->f[0], r->f[1], r->f[2], r->f[3], err);
		free(err);
		return NULL;
	}
	if (record_shape(r, i, v, shape) == 0)
		return v;
	value_free(v);
	return NULL;
}
