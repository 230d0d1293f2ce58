/* sqlint.h: inside the renderer, its files from the top down:
 *   render.c     the dispatcher: an operation's header, then its family
 *   opextra.c    RunSQL, extensions, collations
 *   opschema.c   models, fields, indexes, constraints
 *   opalter.c    AlterField, RenameField, model-level alterations
 *   schema.c     the schema editor's statements, the db= catalog's names
 *   field.c      arguments, model states, fields and columns
 *   where.c      Q conditions and expressions as SQL
 *   sqlliteral.c Python values as psycopg2 quotes them
 *   sink.c       where statements go: emit, defer, errors
 * A file calls only files below it (scripts/layers checks). */
#ifndef MIG_SQLINT_H
#define MIG_SQLINT_H

#include "sql.h"

/* --- opextra.c ------------------------------------------------------------ */

int render_extension(struct opctx *c, const char *name);
int render_collation(struct opctx *c, int create);
int render_run_sql(struct opctx *c);
/* The extension an operation creates, by class and arguments. */
const char *extension_name(const struct value *op, const char *cls);

/* --- opschema.c ----------------------------------------------------------- */

int render_model(struct opctx *c, int create);
int render_field(struct opctx *c, int add);
int render_index(struct opctx *c, int add, int concurrently);
int render_constraint(struct opctx *c, int add, int not_valid);
int render_validate(struct opctx *c);

/* --- opalter.c ------------------------------------------------------------ */

int render_alter_field(struct opctx *c);
int render_rename_field(struct opctx *c);
int render_alter_model_table(struct opctx *c);
int render_alter_table_comment(struct opctx *c);
int render_alter_together(struct opctx *c, int unique);
int render_rename_index(struct opctx *c);
int render_rename_model(struct opctx *c);

/* --- schema.c ------------------------------------------------------------- */

/* The names of existing objects, from the db= catalog. */
int db_names(struct opctx *c, const struct value *state, const char *kinds,
    const char *const *cols, size_t n, const char *excl, char ***out,
    size_t *nout);
void free_names(char **v, size_t n);
void drop_fk(struct opctx *c, const char *table, const char *name);
/* Is name in the model's Meta option opt (indexes, constraints)? */
int in_meta(const struct value *state, const char *opt, const char *name);
/* ALTER TABLE table what. */
void alter_table(struct opctx *c, const char *table, const char *what);
/* DROP INDEX of a column's _like index, under Django's computed name. */
void drop_like(struct opctx *c, const char *table, const char *col);

/* --- field.c and schema.c: the schema editor's helpers ------------------- */

struct field {
	const char *name;
	const struct value *call;	/* models.CharField(...) */
	const char *cls;		/* its class, "models.CharField" */
};

const struct value *kw(const struct value *call, const char *k);
int truthy(const struct value *v);
const char *kstr(const struct value *call, const char *k);
long kint(const struct value *call, const char *k, long dflt);
/* Did kstr or kint meet an argument left as an expression (a name, a
 * call, an operator) since the reset?  Its keyword, else NULL. */
void field_unread_reset(void);
const char *field_unread(void);
size_t nfields(const struct value *state);
struct field field_at(const struct value *state, size_t i);
int field_named(const struct value *state, const char *name,
    struct field *out);
const struct value *related_model(const struct opctx *c,
    const char *label, int after);
int meta_field(const struct value *state, const char *name,
    struct field *out);
int is_cls(const struct field *f, const char *c);
int is_fk(const struct field *f);
int is_m2m(const struct field *f);
char *column(const struct field *f);
int is_pk(const struct field *f);
int is_unique(const struct field *f);
int is_null(const struct field *f);
int is_indexed(const struct field *f);
const struct value *model_for(const struct opctx *c, const char *label,
    int after);
int pk_field(const struct value *state, struct field *out);
int target(const struct opctx *c, const struct field *f, int after,
    const struct value **model, struct field *t);
char *array_type(const struct opctx *c, const struct field *f,
    int after);
char *rel_type(const struct opctx *c, const struct field *f, int after);
char *db_type(const struct opctx *c, const struct field *f, int after);
/* The type of the field's built-in class, before a map's own column
 * type (db_type=): what _field_data_type compares. */
char *internal_db_type(const struct opctx *c, const struct field *f,
    int after);
const char *type_suffix(const struct field *f);
int has_check(const struct field *f);
const char *collation(const struct opctx *c, const struct field *f,
    int after);
void qn(struct buf *b, const char *name);
void str_literal(struct buf *b, const char *s);
void column_comment(struct buf *b, const char *table, const char *col,
    const char *text);
const char *call_cls(const struct value *v);
int column_ref(const struct opctx *c, const struct value *state,
    const char *name, struct buf *b);
int literal(const struct opctx *c, const struct value *v,
    const struct value *field, struct buf *b);
int expr_sql(const struct opctx *c, const struct value *state,
    const struct value *e, struct buf *b);
char *db_default_sql(const struct opctx *c, const struct value *state,
    const struct field *f);
char *generated_sql(const struct opctx *c, const struct value *state,
    const struct field *f);
char *column_def(const struct opctx *c, const struct value *state,
    const struct field *f, int after, const struct value *with_default,
    int *has_default);
void append_check_suffix(struct buf *b, const struct field *f,
    const char *col);
int has_fk(const struct field *f);
char *fk_name(const struct opctx *c, const char *table,
    const struct field *f, int after, const struct value **m, char **tcol);
char *add_fk_sql(const char *table, const char *name, const char *col,
    const char *to_table, const char *to_col);
char *fk_sql(const struct opctx *c, const char *table,
    const struct field *f, int after);
char *create_index(const char *table, const char *const *cols,
    size_t ncols, const char *name, const char *suffix, const char *opclass,
    const char *using, int concurrently);
int nondeterministic(const struct opctx *c, const char *coll);
char *like_index_sql(const struct opctx *c, const char *table,
    const char *col, const char *type, const char *coll);
int field_indexes(struct opctx *c, const char *table,
    const struct field *f, int after);
int managed(const struct value *state);
const struct value *option(const struct value *state, const char *k);
const char *auto_field(const struct value *state);
char *lowered(const char *s);
struct value *through_state(const struct opctx *c,
    const struct value *state, const struct field *f, char **err);
int with_through(struct opctx *c, const struct value *state,
    const struct field *f, int after, int create);
void together_items(const struct value *v, const struct value ***items,
    size_t *n);
char *unique_sql(const char *table, const char *const *cols, size_t n,
    const char *name);
int columns_of(const struct opctx *c, const struct value *state,
    const struct value *names, char ***cols, size_t *n);
void free_cols(char **cols, size_t n);
int defer_unique_together(struct opctx *c, const struct value *state);
int create_table(struct opctx *c, const struct value *state, int after);
int drop_table(struct opctx *c, const struct value *state, int after);
const char *index_method(const char *cls);
void on_off(struct buf *w, const struct value *idx, const char *k);
void number(struct buf *w, const struct value *idx, const char *k);
void with_params(struct buf *w, const struct value *idx,
    const char *method);
int has_expressions(const struct value *call);
int index_expression(const struct opctx *c, const struct value *state,
    const struct value *e, struct buf *b);
int index_expressions(const struct opctx *c, const struct value *state,
    const struct value *call, struct buf *b);
int include_sql(struct opctx *c, const struct value *state,
    const struct value *call, struct buf *b);
int condition_sql(struct opctx *c, const struct value *state,
    const struct value *call, struct buf *b);
char *index_tail(struct opctx *c, const struct value *state,
    const struct value *idx, const char *method, struct buf *b);
char *index_sql(struct opctx *c, const struct value *state,
    const struct value *idx, int concurrently);
const char *deferrable(const struct value *con);
int simple_unique(const struct value *con);
const char *nulls_distinct(const struct value *con);
char *param_literal(const struct value *v, const struct value *field,
    char **err);
char *check_body(struct opctx *c, const struct value *state,
    const struct value *con);
char *unique_index_sql(struct opctx *c, const struct value *state,
    const struct value *con);
int is_unique_index(const struct value *con);
char *constraint_body(struct opctx *c, const struct value *state,
    const struct value *con);
char *constraint_inline(struct opctx *c, const struct value *state,
    const struct value *con);
int add_constraint(struct opctx *c, const struct value *state,
    const struct value *con, int not_valid);
int drop_constraint(struct opctx *c, const char *table, const char *name);
const struct value *named_in(const struct value *state,
    const char *opt, const char *name);
int add_column(struct opctx *c, const struct value *state,
    const struct field *f, int after, const struct value *dfield);
int remove_column(struct opctx *c, const struct value *state,
    const struct field *f, int after);
void forget_deferred_index(struct opctx *c, const char *name);
int drop_index(struct opctx *c, const char *name, int concurrently);
int emit_index(struct opctx *c, const struct value *state,
    const struct value *idx, int concurrently);
const char *op_arg(const struct opctx *c, const char *k);
const struct value *model(struct opctx *c, const char *k, int after,
    int *skip);

/* where.h: the SQL of a Q condition, as Django 5.2 compiles it for
 * PostgreSQL.
 *
 * A CheckConstraint's condition (CheckConstraint._get_check_sql) and the
 * condition of a UniqueConstraint or an Index (the WHERE clause of a
 * partial index) are compiled alike: a Query over the model with
 * alias_cols=False, build_where(), WhereNode.as_sql(), and the parameters
 * written into the SQL by the schema editor's quote_value().  where_sql()
 * reproduces that: Django's tree of WhereNodes (Q children squashed as
 * tree.Node.add() squashes them, the "col IS NOT NULL" that a negated
 * lookup on a nullable column adds), its parentheses, its
 * EmptyResultSet/FullResultSet pruning, the PostgreSQL operators and
 * lookup casts, and the values as each lookup prepares them.
 */

/* Render one parameter as SQL, as the schema editor's quote_value()
 * (psycopg2's quoting) does; the result is allocated.  On failure return
 * NULL with *err allocated (or left NULL for a generic message).
 *
 * v is the parameter as the lookup left it.  For integer, float,
 * decimal, text and boolean fields where_sql() has already applied the
 * field's get_prep_value(): an int (V_INT), a float (V_FLOAT, Python's
 * repr), decimal.Decimal('...') as str() of Python's Decimal, a str, True
 * or False; a relation's value is an int (other values are refused: the
 * target's primary key would prepare them).  For other fields (dates,
 * UUIDs, durations, IP addresses, binary...) v is the value as written,
 * for the literal to prepare.  A None among a range's values comes as
 * None, and must be written NULL.
 *
 * field is the model field (its models.X(...) call; a GeneratedField's
 * output_field) whose get_db_prep_value() Django applies to v, for the
 * lookups that apply it (exact, gt, gte, lt, lte, in, range), or NULL when
 * Django passes the value on as it is: iexact, the LIKE lookups (whose
 * pattern is a str already), regex, iregex, and models.Value(...) (whose
 * output_field, when written, is passed instead).  A relation passes the
 * ForeignKey's own call: Django applies its target field's
 * get_db_prep_value(). */
typedef char *(*literal_fn)(const struct value *v, const struct value *field,
    char **err);

/* Append to out the SQL of the condition q (a models.Q(...) value, or Q
 * objects combined with ~, | and &) over the model whose ModelState(...)
 * value is state.  Returns 0, or -1 with *err allocated when the
 * condition cannot be rendered exactly (Django would raise, or the
 * condition uses something not reproduced here); out is then left as it
 * was. */
int where_sql(const struct value *q, const struct value *state,
    literal_fn literal, struct buf *out, char **err);

/* sqlliteral.h: Python values as SQL literals, the way Django's PostgreSQL
 * schema editor writes them into DDL.
 *
 * Django prepares a value with the field's get_db_prep_save() and hands
 * it to psycopg2 2.9.5, whose adapters write the literal (a UTF-8
 * connection with standard_conforming_strings on, the server's default).
 * Settings are taken at Django's defaults for a new project: USE_TZ on,
 * TIME_ZONE 'UTC' (naive datetimes are read as UTC, aware ones brought to
 * UTC before taking their date).
 *
 * Values come in the stream's value syntax (migstream(5)):
 * decimal.Decimal('0.00'), datetime.date(2020, 1, 2),
 * datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
 * datetime.time(9, 0), datetime.timedelta(days=1), uuid.UUID('...'),
 * b'\x00', {'a': 1}, psycopg2.extras.NumericRange(1, 10, '[)')... */

/* The SQL text of value v for a column of field, the field's call value
 * (models.CharField(max_length=20), postgres.fields.ArrayField(
 * base_field=models.IntegerField()), ...): its class decides the
 * preparation, its arguments (max_digits, base_field, encoder, protocol,
 * default_bounds...) the details.  With field NULL, or a relation
 * (ForeignKey, OneToOneField: Django prepares with the target field,
 * which the call does not hold: pass that field instead when it is at
 * hand), the value is adapted as it is.  A
 * models.Value(value, output_field) is prepared by its own output field,
 * given or guessed from the value's type, as Value.as_sql() does for a
 * db_default (get_db_prep_value: a JSONField's None becomes 'null'::jsonb
 * there, while a plain None gives no literal, which Django writes NULL).
 *
 * Returns an allocated string; NULL with *err NULL when the prepared value
 * is None (no literal: Django writes no DEFAULT); NULL with *err set
 * (allocated) when the value cannot be rendered exactly: a callable, a
 * setting, an unknown class or field class, or a value Django itself
 * rejects. */
char *sql_literal(const struct value *v, const struct value *field,
    char **err);

/* Django's effective_default(field), rendered: the field's default (a
 * constant, or a callable Django calls: list, dict, set, tuple, str, int,
 * float, bool, bytes, decimal.Decimal, datetime.timedelta give their empty
 * value), '' (b'' for BinaryField) for a blank, non-null field of a class
 * that allows empty strings, the current time for auto_now and
 * auto_now_add, else none.  NULL with *err NULL: no default.
 *
 * A value Django computes afresh each time (django.utils.timezone.now,
 * datetime.datetime.now, datetime.date.today, uuid.uuid4, auto_now...)
 * sets *volatile_ to 1 (else 0) and is rendered from the clock and random
 * bytes, as Django would while migrating; sql_volatile_fix() makes it
 * reproducible. */
char *sql_effective_default(const struct value *field, int *volatile_,
    char **err);

/* Fix the volatile values: the clock reads UNIX_US microseconds since the
 * epoch, and uuid4() gives 00000000-0000-4000-8000-000000000001, ...02
 * and so on.  fixed 0 goes back to the real clock and random bytes. */
void sql_volatile_fix(int fixed, long long unix_us);

/* --- sink.c --------------------------------------------------------------- */

/* Append a statement (is_stmt 1) or a comment line of -p (0). */
void sink_add(struct migctx *m, const char *s, int is_stmt,
    const char *index);
void emit(struct opctx *c, const char *sql);
/* A statement the user wrote (RunSQL). */
void emit_raw(struct opctx *c, const char *sql);
/* Add STMT_* flags to the last statement emitted. */
void mark_stmt(struct opctx *c, unsigned flags);
void defer(struct opctx *c, const char *sql);
int render_error(const struct opctx *c, const char *fmt, ...);
const struct value *op_model(const struct opctx *c, const char *key,
    int after);
const struct value *op_model_named(const struct opctx *c, const char *name,
    int after);

#endif
