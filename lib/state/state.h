/* state.h: the state fold: the project state after each migration, as
 * Django's operations fold it, the catalog of database objects PostgreSQL
 * makes for the statements run so far, and migstate's walk of the plan. */
#ifndef MIG_STATE_H
#define MIG_STATE_H

#include <stdio.h>

#include "graph/graph.h"
#include "python/python.h"
#include "sql/sql.h"

/* state.h: the project state that migrations fold into, as Django's
 * ProjectState and ModelState hold it. */

struct mstate {
	char *app, *name;	/* name as the migration wrote it */
	char **fnames;
	struct value **fields;	/* field calls, in order */
	size_t nf;
	struct value *options;	/* a V_DICT */
	struct value *bases, *managers;	/* as given, or NULL */
	struct value *past_tables;	/* the tables it had before, a V_LIST:
					   objects named then keep those names */
};

struct pstate {
	struct mstate *m;
	size_t n;
	char **extensions;	/* created by CreateExtension and friends */
	size_t next;
	const char *const *settings;	/* NAME=app.Model */
	const char *const *classmap;	/* dotted=canonical or dotted=- */
	const char *const *coltypes;	/* dotted=SQL column type */
	const char *const *defaults;	/* dotted=value of a callable default */
	const char *const *classargs;	/* dotted=ARG=VALUE: the arguments a
					   class gives itself */
	struct catalog *cat;	/* the database objects, as the plan left
				   them so far (catalog.h); NULL: none yet */
	const struct catalog *live;	/* the database's own, read from
					   catalog records; NULL: none */
	struct progress *progress;	/* the fold's meter, or NULL */
};

/* Where an operation comes from, for messages. */
struct opref {
	const char *app, *migration, *file;
	const char *index;	/* "3", or "3.1" inside SeparateDatabaseAndState */
};

/* Apply one operation's state change.  Returns 0, or -1 after reporting
 * "migstate: APP.NAME #INDEX: message". */
int state_apply(struct pstate *s, const struct value *op,
    const struct opref *at);

struct mstate *state_model(const struct pstate *s, const char *app,
    const char *name);
/* The model state as a stream value: ModelState(app_label=..., name=...,
 * db_table=..., fields=[...], options={...}, ...). */
char *mstate_text(const struct mstate *m);
/* Django's default table name, truncated as PostgreSQL needs. */
char *mstate_table(const struct mstate *m);

void pstate_copy(struct pstate *dst, const struct pstate *src);
void pstate_free(struct pstate *s);

/* The canonical class of a call after the user's class map; NULL when
 * the map says it has no database effect ("=-"). */
const char *state_class(const struct pstate *s, const char *name);

/* The value given for setting NAME (-s), parsed: a Python literal, or
 * a bare name taken as a string; NULL when not given.  Freed by the
 * caller. */
struct value *state_setting(const struct pstate *s, const char *name);

/* The class of the primary key Django gives the models it makes itself
 * (settings.DEFAULT_AUTO_FIELD); NULL after reporting when the setting
 * names no AutoField class. */
const char *state_auto_field(const struct pstate *s);

/* A copy of the operation with its field calls as the maps make them
 * (classes, their arguments and column types, settings, defaults), as
 * its op record is written. */
struct value *state_map_op(const struct pstate *s, const struct value *op);

/* A swappable model (options swappable='NAME') that the setting NAME
 * swaps for another: Django neither creates nor alters its table. */
int state_swapped(const struct pstate *s, const struct mstate *m);

/* The extension an operation creates (CreateExtension and the named
 * ones), or NULL. */
const char *state_extension(const struct pstate *s, const struct value *op);

/* "app.Model" or "Model" (of app) or settings.X resolved to (app, model
 * lowercased); returns 0, or -1 if it names a setting with no value. */
int state_ref(const struct pstate *s, const struct value *to,
    const char *app, char **rapp, char **rmodel);

/* catalog.h: the database objects Django finds by introspection.
 *
 * Django's schema editor names most objects itself, but when it drops a
 * foreign key, a unique or check constraint, a primary key or a field's
 * index it asks the database for the name of the one that exists, and
 * that name is whatever was chosen when the object was made: by
 * PostgreSQL for the constraints written inline in CREATE TABLE and ADD
 * COLUMN ("<table>_<col>_key", "<table>_pkey", "<table>_<col>_check"), or
 * by Django from the table and column names of that time (a table or
 * column renamed since keeps the old names).
 *
 * migstate has no database to ask, so it keeps this catalog while it
 * folds: every statement that the plan executes (migsql's rendering of
 * each operation, and RunSQL) is fed to catalog_exec(), which records
 * the tables, constraints and indexes the statement makes, renames and
 * drops, with the names PostgreSQL would give them.  Statements it does
 * not understand are ignored; a table touched by an operation that could
 * not be rendered is marked unknown with catalog_taint().
 *
 * The catalog of a table travels in the stream as the db= attribute of
 * its ModelState (migstream(5)):
 *
 *   db=[('pk', 'shop_book_pkey', ['id']),
 *       ('unique', 'shop_book_slug_key', ['slug']),
 *       ('fk', 'shop_book_author_id_6f8e2a1b_fk_shop_author_id',
 *           ['author_id'], 'shop_author', ['id']),
 *       ('check', 'shop_book_qty_check', ['qty']),
 *       ('index', 'shop_book_author_id_6f8e2a1b', ['author_id'], 'btree'),
 *       ('uindex', 'shop_book_isbn_uniq_idx', ['isbn'], 'btree'),
 *       ('exclude', 'shop_book_excl', ['period'])]
 *
 * in the order the objects were made, constraints ('pk', 'unique', 'fk',
 * 'check', 'exclude') and indexes ('index', 'uindex': a unique index that
 * backs no constraint) mixed; columns in the order the object lists them.
 * Indexes: the access method in lowercase; an index on an expression has
 * None among its columns.
 */

struct catalog;

struct catalog *catalog_new(void);
struct catalog *catalog_copy(const struct catalog *c);
void catalog_free(struct catalog *c);

/* Record the effect of one executed SQL text: one statement, or several
 * separated by semicolons ("SET CONSTRAINTS ... IMMEDIATE; ALTER TABLE
 * ..."), quoted or unquoted identifiers, any letter case. */
void catalog_exec(struct catalog *c, const char *sql);

/* The table's objects can no longer be told. */
void catalog_taint(struct catalog *c, const char *table);

/* The db= value text of a table (above), allocated: "[]" for a table no
 * statement seen created (introspection finds nothing there); NULL when
 * it cannot be told (tainted, or made by a CREATE TABLE form the catalog
 * does not follow). */
char *catalog_text(const struct catalog *c, const char *table);

/* The live catalog: what a database holds, as migapply -C reads it from
 * pg_catalog and writes it in catalog records (migstream(5)).  Each
 * record adds its table, object or sequence to c (a catalog_new() that
 * takes nothing else); returns 0, or -1 after reporting
 * "FILE:LINE:1: catalog record: ...". */
int catalog_record(struct catalog *c, const struct record *r);

/* The tables of live replace those of c, objects in the same order, and
 * the foreign keys into them are bound again; c's other tables stay as
 * its statements left them.  The fold does this where the database is
 * the one the live catalog read: at the first migration of the plan it
 * writes. */
void catalog_prefer(struct catalog *c, const struct catalog *live);

/* The extensions of the live catalog's database, and its
 * non-deterministic collations as "collation:NAME" (as pstate's
 * extensions hold them), *n of them; NULL when the records had no
 * database record. */
const char *const *catalog_extensions(const struct catalog *c, size_t *n);

/* fold.h: fold the project state along a plan and write each selected
 * migration's operations with what the renderer needs from the state. */

/* Write the selected steps (all forwards or all backwards) with their
 * states, folding every other migration of the full plan as Django's
 * executor does; with one set, the single selected migration gets the
 * state of everything before it in the full plan.  Returns 0, or
 * EXIT_BADINPUT after reporting. */
int fold_write(struct graph *g, struct pstate *st, const struct step *sel,
    size_t nsel, int one, FILE *out);

/* Fold the whole selected plan and write the resulting state as
 * modelstate records. */
int fold_dump(struct graph *g, struct pstate *st, const struct step *sel,
    size_t nsel, FILE *out);

#endif
