/* sql.h: the SQL renderer: Django's PostgreSQL schema editor, one
 * operation at a time, into the statements of a migration; the
 * zero-downtime rules over those statements (migsql -W); and PostgreSQL's
 * and Django's names for identifiers and objects. */
#ifndef MIG_SQL_H
#define MIG_SQL_H

#include <stddef.h>

#include "stream/stream.h"

/* sqlname.h: identifiers and names as Django's PostgreSQL backend makes
 * them, and SQL scripts split into statements as RunSQL runs them. */

/* "name", unless already quoted. */
void sql_quote_name(struct buf *b, const char *name);
/* The first n hex digits of the md5 of the concatenated strings. */
void names_digest(const char *const *parts, size_t nparts, size_t n,
    char *out);
/* Django's _create_index_name(table, columns, suffix). */
char *index_name(const char *table, const char *const *cols, size_t ncols,
    const char *suffix);
/* Split a script into statements as sqlparse.split does, comments
 * stripped; each statement is allocated. */
char **sql_split(const char *script, size_t *n);
/* 1 when PostgreSQL refuses to run the statement inside a transaction
 * block (CREATE or DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM,
 * CREATE DATABASE, ALTER SYSTEM, ...). */
int sql_needs_autocommit(const char *sql);
/* Does the statement take only a lock that lets writes go on while it
 * runs long (CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY,
 * VALIDATE CONSTRAINT)? */
int sql_weak_lock(const char *sql);
/* s after blanks and SQL comments (-- to the end of the line, C style). */
const char *sql_skip_blank(const char *s);
/* The end of the quoted string, quoted identifier or dollar-quoted body
 * ('...', "...", $tag$...$tag$) that starts at p. */
const char *sql_skip_quoted(const char *p);
#define PG_NAMELEN 63	/* NAMEDATALEN - 1: PostgreSQL's longest name */
/* pg_mbcliplen for UTF-8: how many of the first n bytes of s to keep so
 * that they end on a character boundary (all of s when it is shorter). */
size_t pg_clip(const char *s, size_t n);
/* PostgreSQL's makeObjectName(): "name1_name2_label" within 63 bytes,
 * the longer of name1 and name2 shortened first (name2 may be NULL). */
char *pg_object_name(const char *name1, const char *name2, const char *label);
/* The table Django makes for a many-to-many field without through=. */
char *m2m_table_name(const char *model_table, const char *field,
    const char *db_table);

/* render.h: Django's PostgreSQL schema editor, one operation at a time.
 *
 * An operation comes with the model states migstate attached (before
 * and after it, in the forwards sense); rendering appends statements to
 * the migration, and statements Django defers to the migration's end. */

struct opmodel {
	char *key;		/* app.model */
	char *when;		/* before, after, both */
	struct value *state;	/* ModelState(...) */
};

struct opctx {
	const char *app, *migration, *index;
	int back;
	struct value *op;
	struct opmodel *models;
	size_t nmodels;
	const char *ext_state;	/* extension record: present/absent */
	struct migctx *mig;
	int nested;		/* inside SeparateDatabaseAndState */
};

struct migctx {
	char *app, *name, *file;
	int atomic, back;
	char **stmts;		/* in execution order; headers included */
	int *is_stmt;		/* 1: SQL, 0: a comment line of -p */
	unsigned *flags;	/* STMT_* of each */
	char **stmt_index;	/* the op each came from */
	size_t n;
	char **deferred, **deferred_index;
	size_t ndeferred;
	int failed;
	int quiet;		/* render_error says nothing (migstate's fold) */
	int open;		/* an operation's header awaits its SQL */
	size_t open_at;		/* n just after that header */
};

/* What lint.c needs to know of a statement beyond its text. */
#define STMT_SCHEMA	1u	/* written by the schema editor, not RunSQL */
#define STMT_REWRITE	2u	/* an ALTER COLUMN TYPE that rewrites the table */
#define STMT_ONCE_DEFAULT 4u	/* ADD COLUMN with a default Django computed
				   once (timezone.now, uuid4...) */

/* A model state for the operation (its state NULL, for the caller to
 * set), and all of them freed. */
struct opmodel *opctx_add_model(struct opctx *c, const char *key,
    const char *when);
void opctx_free_models(struct opctx *c);

/* Render one operation into its migration.  0, or -1 after reporting
 * "migsql: APP NAME #INDEX: message". */
int render_op(struct opctx *op);
/* Append the deferred statements and finish. */
void render_finish(struct migctx *m);
void migctx_free(struct migctx *m);
/* The db_table of a model state ("" when it has none). */
const char *model_table(const struct value *state);

/* lint.h: zero-downtime rules for the statements a migration runs.
 *
 * Each rule names a statement that takes a lock a busy table cannot
 * afford (or rewrites it), the lock, and the safe way to get the same
 * schema.  The rules read the SQL itself, so the statements of RunSQL
 * are held to them as well as those migsql renders; a table created
 * earlier in the same migration is exempt (nobody uses it yet). */

/* One warning: the rule, the operation, and the statement's table. */
struct lint_warning {
	const struct lint_rule *rule;
	char *index;		/* the operation's INDEX */
	char *table;		/* may be "" */
	char *what;		/* what the statement does, in a few words */
};

/* Check the statements of a rendered migration (m->stmts after
 * render_finish) and return the warnings, in statement order; the
 * rules in allow[0..nallow) are not reported. */
struct lint_warning *lint_migration(const struct migctx *m,
    const char *const *allow, size_t nallow, size_t *nwarnings);
void lint_free(struct lint_warning *w, size_t n);

/* migsql -Z: rewrite Django's statements on tables that existed before
 * the migration into their zero-downtime form (zdt.c lists them); a
 * migration with a rewrite becomes non-atomic. */
void zdt_rewrite(struct migctx *m);


#endif
