/* python.h: the Python reader: migration files read statically (never
 * run) into migrations, with the little evaluation they need and what
 * migtools knows of Django's classes and functions. */
#ifndef MIG_PYTHON_H
#define MIG_PYTHON_H

#include <stddef.h>

#include "stream/stream.h"

/* pyparse.h: read one Django migration file into a struct migration.
 *
 * Only syntax is read: module- and class-level statements, imports, the
 * Migration class and the literal values it holds.  Bodies of functions
 * and methods are skipped, never understood.
 */

struct pyerr {
	char *msg;
	long line, col;
	int checked;	/* the file was read, but a value is wrong (a rule
			   name): giving the migration by hand is no help */
};

/* Values the user gives to names and calls the files import from the
 * project (-D NAME=VALUE, map lines "define NAME=VALUE"): each key is
 * the canonical text of the name or call, as migparse writes it. */
struct defines {
	char **keys;
	struct value **vals;
	size_t n;
};

/* Add "NAME=VALUE": VALUE a Python literal.  Returns 0, or -1 with *err
 * (allocated) saying why. */
int define_add(struct defines *d, const char *arg, char **err);
/* The define lines of a map file (migstate(1)'s other lines are
 * skipped); errors reported as PATH:LINE.  Returns 0 or -1. */
int defines_read_map(struct defines *d, const char *path);
const struct value *define_get(const struct defines *d, const char *key);
void defines_free(struct defines *d);

/* m->app, m->name and m->file are set by the caller; defs may be NULL.
 * Returns 0, or -1 with err filled in (and m left for migration_free). */
int parse_migration(const char *src, size_t len, struct migration *m,
    const struct defines *defs, struct pyerr *err);

/* migfile.h: migration source files: reading them and naming them. */

struct srcfile {
	char *text;
	size_t len;
};

/* Read path ("-" is standard input) as UTF-8 text.  A file that declares
 * a Latin-1 coding is converted.  Errors (missing, directory, empty, bad
 * bytes) are reported; returns 0 or -1. */
int read_source(const char *path, struct srcfile *src);

/* Fill m->app, m->name and m->file from .../APP/migrations/NAME.py, or
 * from label and name when given.  Returns 0, or -1 after reporting. */
int migration_names(const char *path, const char *label, const char *name,
    struct migration *m);

/* fragment.h: a migration given by hand, as stream records, instead of
 * its file (migparse(1), "Migrations given by hand"). */

/* Where to look for it: DIR/APP/NAME.migstream with a dir, else
 * NAME.migstream beside file (NULL for standard input).  Allocated. */
char *fragment_path(const char *dir, const char *file, const char *app,
    const char *name);
/* Read path's records for m->app, m->name into m (its atomic, initial,
 * dependency, replaces, run_before, allow and operation fields), each
 * checked.  Errors are reported as PATH:LINE; returns 0 or -1. */
int read_fragment(const char *path, struct migration *m);

/* sig.h: what migtools knows of Django's classes and functions.
 *
 * Every class or function that Django 5.2 or django.contrib.postgres
 * provides for use in migration files has one entry: its canonical name
 * (the spelling the stream uses), what kind of thing it is, and the names
 * of the parameters it accepts positionally, in order, so that migparse
 * can turn positional arguments into keyword arguments.
 *
 * Canonical names:
 *   operations (django.db.migrations.*, django.contrib.postgres.operations.*)
 *                         bare class name: "AddField", "AddIndexConcurrently"
 *   django.db.models.*    "models." + name, dropping the defining submodule
 *                         ("models.CharField", "models.ForeignKey",
 *                         "models.CASCADE", "models.Q", "models.Index"),
 *                         except functions: "models.functions.Lower"
 *   django.contrib.postgres.SUB.*
 *                         "postgres." + SUB + "." + name, SUB being the
 *                         public package (fields, indexes, constraints,
 *                         search, functions, expressions...):
 *                         "postgres.fields.ArrayField",
 *                         "postgres.indexes.GinIndex"
 */

enum sig_kind {
	SIG_OPERATION,	/* a migration operation */
	SIG_FIELD,	/* a model field class */
	SIG_INDEX,	/* an index class */
	SIG_CONSTRAINT,	/* a constraint class */
	SIG_EXPRESSION,	/* Q, F, Value, Func and database functions, OpClass... */
	SIG_OTHER	/* anything else (on_delete handlers, validators, ...) */
};

struct sig {
	const char *name;		/* canonical name */
	enum sig_kind kind;
	const char *const *params;	/* positional parameter names, in order,
					   NULL-terminated */
	int varargs;			/* 1: takes *args after params, so extra
					   positional arguments stay positional */
};

/* The entry for a canonical name, or NULL when migtools does not know it. */
const struct sig *sig_lookup(const char *name);

/* Turn a fully qualified dotted name as imported ("django.db.models.fields.
 * related.ForeignKey", "django.contrib.postgres.operations.HStoreExtension")
 * into its canonical name; names outside django.db.models,
 * django.db.migrations and django.contrib.postgres come back unchanged.
 * Returns a newly allocated string. */
char *sig_canonical(const char *dotted);

/* All entries, for listing and tests; *n receives the count. */
const struct sig *sig_all(unsigned *n);

#endif
