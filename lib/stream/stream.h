/* stream.h: what every tool reads and writes.  The stream's records
 * (migstream(5): one per line, KEY=VALUE fields), the values they carry
 * (Python expressions, read with the tokenizer below, so that the stream
 * and the migration files share one grammar), the migration as the tools
 * hold it, and the names of the zero-downtime rules that allow and
 * warning records carry. */
#ifndef MIG_STREAM_H
#define MIG_STREAM_H

#include <stddef.h>
#include <stdio.h>

#include "base/base.h"

/* stream.h: the migstream format, read and written in one place.
 *
 * A stream is UTF-8 text, one record per line, fields separated by TAB.
 * The first field is the record's kind.  Inside a field, backslash, TAB,
 * newline and carriage return are written as \\, \t, \n and \r; no other
 * escapes exist.  Every record names its migration in fields 2 and 3 (app
 * label, migration name), except the version marker.  man/migstream.5 is
 * the reference; the record layouts below are the code's.
 */

#define STREAM_VERSION "1"

/* Record kinds and their fields after the kind:
 *   migstream   VERSION
 *   migration   APP NAME ATOMIC INITIAL FILE      ATOMIC, INITIAL: 1 or 0
 *   dependency  APP NAME DEP_APP DEP_NAME         DEP_APP may be symbolic:
 *                                                 settings.AUTH_USER_MODEL
 *   replaces    APP NAME OLD_APP OLD_NAME
 *   run_before  APP NAME OTHER_APP OTHER_NAME
 *   operation   APP NAME INDEX CALL               INDEX counts from 1
 *   applied     APP NAME [APPLIED_AT]             in the database already
 *   allow       APP NAME RULE                     migtools_allow: migsql -W
 *                                                 does not report RULE there
 *   plan        APP NAME STEP DIRECTION           migstate: NAME is step STEP
 *                                                 of the plan, DIRECTION
 *                                                 forwards or backwards
 *   sql         APP NAME INDEX TX STATEMENT       migsql: one statement of op
 *                                                 INDEX, in execution order;
 *                                                 TX tx, or notx when it must
 *                                                 run outside a transaction
 *   nosql       APP NAME INDEX CLASS              migsql: an operation with no
 *                                                 SQL (RunPython)
 *   catalog     TABLE KIND NAME COLUMNS DETAIL    migapply -C: an object of the
 *                                                 database (no APP NAME)
 *   failed      TOOL STATUS                       a stage failed: every later
 *                                                 stage stops (no APP NAME)
 * and migstate's op, model and extension records (migstream(5)).
 */
#define REC_VERSION	"migstream"
#define REC_MIGRATION	"migration"
#define REC_DEPENDENCY	"dependency"
#define REC_REPLACES	"replaces"
#define REC_RUN_BEFORE	"run_before"
#define REC_OPERATION	"operation"
#define REC_APPLIED	"applied"
#define REC_PLAN	"plan"
#define REC_SQL		"sql"
#define REC_ALLOW	"allow"
#define REC_NOSQL	"nosql"
#define REC_CATALOG	"catalog"
#define REC_FAILED	"failed"
#define REC_OP		"op"
#define REC_MODEL	"model"
#define REC_EXTENSION	"extension"

struct record {
	char **f;		/* unescaped fields; f[0] is the kind */
	size_t n;
	const char *src;	/* input name, for messages */
	long line;		/* line number in that input */
	char *raw;		/* the line as read, without its newline */
};

/* Called for each record other than the version marker; a non-zero
 * return stops the loop and is returned by stream_each(). */
typedef int (*record_fn)(const struct record *r, void *arg);

/* Read every record of fp.  What cannot be trusted is reported as
 * "NAME:LINE:COL: ..." and never reaches fn: a NUL byte, invalid UTF-8,
 * a raw carriage return, a bad escape, a field of a known record kind
 * that record_check() refuses; so is a last line without its newline and
 * an input without a single byte (what a stage that died leaves).  Those
 * make stream_each return EXIT_BADINPUT after the rest of the input has
 * been read.  A version marker of another version, and a failed record
 * (a stage before failed), stop the reading at once: EXIT_BADINPUT. */
int stream_each(FILE *fp, const char *name, record_fn fn, void *arg);

/* Write the failed record of this tool (argv0) and its exit status, for
 * a tool that fails after it may have written part of its stream. */
void stream_failed(FILE *fp, int status);

/* check.c: does r's every field have the shape its kind needs?  0, or -1
 * reported.  Kinds the table does not know pass (stream_each calls it). */
int record_check(const struct record *r);
/* The 1-based column (in characters) where field i of r starts. */
long record_col(const struct record *r, size_t i);

enum vshape {
	VS_ANY,
	VS_CALL,		/* NAME(...): an operation */
	VS_MODEL_STATE		/* ModelState(...) of migstream(5)'s form */
};
struct value;
/* Parse field i (after APP NAME INDEX) of r as a value of the given
 * shape; NULL reported (the column that of the offending part) when it
 * does not read or is not of that shape. */
/* Does v, the value of field i, have the shape?  -1 after a warning at
 * its FILE:LINE:COL when not. */
int record_shape(const struct record *r, size_t i, const struct value *v,
    enum vshape shape);
struct value *record_value(const struct record *r, size_t i,
    enum vshape shape);

/* Write the version marker. */
void stream_header(FILE *fp);
/* Write one record of n fields, escaping each. */
void stream_write(FILE *fp, const char *const *fields, size_t n);
/* Write a record as it was read, byte for byte (for passing it on). */
void stream_pass(FILE *fp, const struct record *r);

/* Field escaping, for tools that build lines themselves. */
void stream_escape(FILE *fp, const char *s);

/* pylex.h: a tokenizer for the Python that migration files are made of.
 *
 * It tokenizes all of a source buffer at once.  In file mode it produces
 * NEWLINE, INDENT and DEDENT tokens the way Python's tokenizer does, so
 * that statements and skipped function bodies can be found; in value mode
 * (the stream's payloads) line ends are white space and a single-quoted
 * string may hold a raw newline.
 */

enum tok_kind {
	T_EOF, T_NAME, T_NUMBER, T_STRING, T_OP,
	T_NEWLINE, T_INDENT, T_DEDENT
};

enum {
	STR_BYTES = 1,	/* b'' */
	STR_FSTRING = 2	/* f'' */
};

struct token {
	enum tok_kind kind;
	char *text;	/* NAME, NUMBER, OP: the source text; STRING: the
			   decoded contents (UTF-8, or raw bytes for b'') */
	size_t len;	/* STRING: length of the decoded contents */
	int flags;	/* STRING: STR_* */
	long line, col;	/* 1-based; col counts characters */
};

struct lexer {
	struct token *tok;
	size_t n, cap;
	const char *file;
	/* the first error, if any: */
	char *err;
	long err_line, err_col;
};

enum lex_mode { LEX_FILE, LEX_VALUE };

/* Tokenize src[0..len).  Returns 0, or -1 with lx->err set. */
int lex(struct lexer *lx, const char *src, size_t len, enum lex_mode mode);
void lex_free(struct lexer *lx);

/* Is s valid UTF-8?  Returns 0, or the 1-based byte offset of the first
 * bad byte and its line in *line. */
size_t utf8_check(const char *s, size_t len, long *line, long *col);

/* value.h: Python values as the stream writes them.
 *
 * An operation's payload is one value in a normalized syntax close to
 * Django's deconstructed call syntax:
 *   AddIndexConcurrently(model_name='book',
 *       index=postgres.indexes.GinIndex(fields=['tags'], name='book_tags_gin2'))
 * The same parser reads that syntax back (value_parse) and reads the
 * expressions of migration files (pyparse.c), so there is one grammar.
 */

enum vkind {
	V_NONE, V_TRUE, V_FALSE,
	V_INT,		/* s: decimal digits, maybe with a leading '-' */
	V_FLOAT,	/* s: Python's repr of the number */
	V_STR,		/* s, len: UTF-8 contents */
	V_BYTES,	/* s, len: bytes */
	V_NAME,		/* s: a dotted name */
	V_LIST, V_TUPLE, V_SET,	/* items[n] */
	V_DICT,		/* items[2n]: key, value, key, value... */
	V_CALL,		/* fn(items[n]), names[i] the keyword or NULL */
	V_ATTR,		/* fn.s, for fn not a name (a call's result) */
	V_SUBSCRIPT,	/* fn[items[0]] */
	V_UNARY,	/* s: "-", "+", "~" or "not"; items[0] */
	V_BINOP,	/* items[0] s items[1]; s: "|", "+", "==", "and"... */
	V_LAMBDA,	/* a lambda: code migtools never reads */
	V_COND,		/* items[0] if items[1] else items[2] */
	V_COMP		/* a comprehension, only while a migration file is
			   read: s "list", "set", "dict" or "gen", fn the
			   element (dict: a tuple (key, value)), items its
			   clauses in order: BINOP "for" (target, iterable)
			   and UNARY "if" (test); a "*" UNARY is a starred
			   item of a display or call there */
};

struct value {
	enum vkind kind;
	char *s;
	size_t len;
	struct value *fn;
	struct value **items;
	char **names;
	size_t n;
	long line, col;		/* where it starts in its source */
};

struct value *value_new(enum vkind kind, long line, long col);
struct value *value_str(enum vkind kind, const char *s, size_t len);
void value_push(struct value *v, struct value *item, const char *name);
struct value *value_copy(const struct value *v);
void value_free(struct value *v);

/* The keyword argument of a call, or NULL. */
struct value *value_kwarg(const struct value *call, const char *name);
/* The value of a string key of a dict, or NULL. */
struct value *value_dict_get(const struct value *dict, const char *key);
/* Is v a string equal to s? */
int value_is_str(const struct value *v, const char *s);

/* Python's repr() of a double, newly allocated. */
char *py_float_repr(double x);

/* Append the canonical text of v. */
void value_write(struct buf *b, const struct value *v);
/* The canonical text of v, newly allocated. */
char *value_text(const struct value *v);

/* Expression parser over tokens (shared with pyparse.c). */
struct parser {
	struct token *tok;
	size_t pos, n;
	char *err;		/* first error */
	long err_line, err_col;
	int file;		/* a migration file: * unpacking and
				   comprehensions are read (V_COMP) */
};
struct value *parse_expr(struct parser *ps);
/* Record an error at token t (first error wins); returns NULL. */
struct value *parse_error(struct parser *ps, const struct token *t,
    const char *fmt, ...);
int tok_is(const struct token *t, enum tok_kind k, const char *text);

/* Parse a whole payload in the stream's value syntax.  Returns NULL with
 * *err (allocated) and *col set on failure. */
struct value *value_parse(const char *s, char **err, long *col);

/* vcache.c: values parsed once.  vcache_get(c, key, text, ...) is
 * value_parse(text, ...), but the value stays the cache's, lent until
 * vcache_next() says the next operation begins, and when text is one of
 * the last two parsed for key it is not parsed again: the model states
 * of a stream repeat, the same text for the same model, around one
 * operation after another. */
struct vcache;
struct vcache *vcache_new(void);
void vcache_free(struct vcache *c);
const struct value *vcache_get(struct vcache *c, const char *key,
    const char *text, char **err, long *col);
void vcache_next(struct vcache *c);

/* migration.h: one migration as migparse reads it and the stream holds it. */

struct migkey {
	char *app, *name;
};

struct migration {
	char *app, *name, *file;
	int atomic, initial;
	struct migkey *deps, *replaces, *run_before;
	size_t ndeps, nreplaces, nrun_before;
	struct value **ops;
	size_t nops;
	char **allow;		/* migtools_allow: lint rules it silences */
	size_t nallow;
};

void migkey_push(struct migkey **v, size_t *n, const char *app,
    const char *name);
/* Is app.name among v[0..n)? */
int migkey_in(const struct migkey *v, size_t n, const char *app,
    const char *name);
void migration_free(struct migration *m);
/* Write the migration's records: migration, dependency, replaces,
 * run_before, operation, in that order. */
void migration_write(FILE *fp, const struct migration *m);

/* --- rules.c: the zero-downtime rules, by name --------------------------- */

struct lint_rule {
	const char *name;	/* as written in migtools_allow */
	const char *lock;	/* the lock taken and what it blocks */
	const char *instead;	/* the safe alternative */
};

extern const struct lint_rule lint_rules[];
/* Is name a rule? */
const struct lint_rule *lint_rule(const char *name);

#endif
