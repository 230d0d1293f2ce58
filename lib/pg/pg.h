/* pg.h: the PostgreSQL side: libpq connections, the history a database
 * holds (django_migrations, migtools_migrations), the plan migapply reads
 * and how it runs it. */
#ifndef MIG_PG_H
#define MIG_PG_H

#include <libpq-fe.h>
#include <stdio.h>

#include "stream/stream.h"

/* pgconn.h: the libpq wrapper.  Connections are made the libpq way (a
 * conninfo string or URI, else the PG* environment, service files and
 * .pgpass), every result is checked, and errors are reported with
 * PostgreSQL's SQLSTATE and never with a password. */

struct pg {
	PGconn *conn;
	char *where;		/* "dbname=D host=H port=P user=U": no password */
	char **secrets;		/* passwords, kept out of every message */
	size_t nsecrets;
	int notices;		/* print the server's notices on stderr */
};

/* Connect with conninfo (NULL: libpq's defaults and environment alone).
 * Returns 0, or the exit status after a message: EXIT_BADINPUT when
 * conninfo cannot be parsed, 1 when the connection fails. */
int pg_connect(struct pg *pg, const char *conninfo);
void pg_finish(struct pg *pg);

/* Run sql with n text parameters ($1...; params may be NULL when n is
 * 0).  The result is never NULL; pg_ok() tells whether it succeeded. */
PGresult *pg_run(struct pg *pg, const char *sql, int n,
    const char *const *params);
int pg_ok(const PGresult *r);
/* The SQLSTATE of a failed result ("" when there is none). */
const char *pg_sqlstate(const PGresult *r);
/* PostgreSQL's message for a failed result, on one line with its
 * SQLSTATE, DETAIL and HINT; passwords masked.  Allocated. */
char *pg_error(const struct pg *pg, const PGresult *r);
/* Run sql, which must succeed: on failure, report "WHAT: error" and
 * return -1. */
int pg_do(struct pg *pg, const char *what, const char *sql, int n,
    const char *const *params);
/* Run a query whose first row's first column is read: a copy of it
 * (NULL for SQL NULL or no row) in *out; -1 after a message. */
int pg_value(struct pg *pg, const char *what, const char *sql, int n,
    const char *const *params, char **out);

/* s with the connection's passwords masked.  Allocated. */
char *pg_mask(const struct pg *pg, const char *s);

/* sql quoted as a literal or an identifier for this connection.
 * Allocated with malloc. */
char *pg_literal(struct pg *pg, const char *s);
char *pg_ident(struct pg *pg, const char *s);

/* SIGINT and SIGTERM cancel the running statement (the next signal
 * kills); pg_interrupted() then tells. */
void pg_cancel_on_signals(struct pg *pg);
int pg_interrupted(void);

/* applyplan.h: what migapply reads, the migrations of a stream with their
 * SQL, in the order they are to run.  No database here: the whole stream
 * is read and checked before migapply touches anything.
 *
 * Read: plan (the order and direction), migration (the atomic flag), sql
 * and nosql (what to run), replaces (recorded with a squashed migration,
 * when the stream carries them).  Every other record is ignored.
 */

/* One sql or nosql record, in stream order. */
struct step {
	char *opindex;		/* the operation's INDEX */
	char *text;		/* the statement; for nosql, the CLASS */
	int notx;		/* must run outside a transaction block */
	int python;		/* a nosql record: nothing to run */
	long line;		/* where it was read */
};

struct amig {
	char *app, *name;
	int atomic;
	int backwards;
	long step;		/* the plan's STEP, 0 without plan records */
	long line;		/* of the migration record, 0 when missing */
	long plan_line;		/* of the plan record, 0 when missing */
	struct step *steps;
	size_t nsteps;
	struct migkey *replaces;
	size_t nreplaces;
	char checksum[33];	/* md5 of what it runs, see applyplan_checksum */
};

struct pending;

struct applyplan {
	struct amig *v;		/* in the order they run once checked */
	size_t n, cap;
	size_t *byname;		/* indexes of v sorted by app, name */
	struct pending *later;	/* plan and replaces records, attached */
	size_t nlater;		/* once every migration record is read */
	const char *src;	/* the input's name */
	int has_plan;		/* plan records were read */
	int backwards;		/* the plan runs backwards */
	int bad;		/* an error was reported */
};

/* Read the whole stream fp (named name in messages) into p and check it:
 * a plan step without its migration record (a migration migsql could not
 * render), a migration outside the plan, a plan mixing directions, a
 * notx statement in an atomic migration are errors, reported as
 * "NAME:LINE:COL: ...".  Orders the migrations by plan step and computes
 * their checksums.  Returns 0 or EXIT_BADINPUT. */
int applyplan_read(FILE *fp, const char *name, struct applyplan *p);
long applyplan_find(const struct applyplan *p, const char *app,
    const char *name);
void applyplan_free(struct applyplan *p);

/* The number of nosql steps of m. */
size_t amig_python(const struct amig *m);

/* history.h: what a database holds of its migrations.
 *
 * django_migrations is Django's own table, with Django's columns, so that
 * migtools and a Django deployment sharing a database each see what the
 * other applied.  migtools_migrations, beside it, is migtools' own: for
 * each migration migapply applied, the checksum of its SQL (for -c), and
 * for a non-atomic migration under way, how many of its steps are done
 * (so that a re-run resumes after them).
 */

#define HISTORY_TABLE	"django_migrations"
#define OWN_TABLE	"migtools_migrations"

struct applied {
	char *app, *name;
	char *at;		/* when, ISO 8601 in UTC */
};

struct ownrow {
	char *app, *name;
	char *checksum;
	char *partial;		/* NULL when complete, else the direction
				 * of a non-atomic run under way */
	long done;		/* its steps done so far */
};

struct history {
	struct applied *applied;	/* sorted by app, name */
	size_t napplied;
	struct ownrow *own;		/* sorted by app, name */
	size_t nown;
};

/* Read both tables (either may be absent: then it is empty). */
int history_read(struct pg *pg, struct history *h);
void history_free(struct history *h);
const struct applied *history_applied(const struct history *h,
    const char *app, const char *name);
const struct ownrow *history_own(const struct history *h, const char *app,
    const char *name);
/* Create both tables when missing. */
int history_create(struct pg *pg);
/* Print django_migrations as applied records, in the order applied. */
int history_list(struct pg *pg, FILE *fp);

/* livecat.h: the catalog of the database as Django's introspection sees
 * it (get_table_list, get_constraints, get_sequences): every table
 * visible on the search path with its columns, constraints, indexes and
 * sequences, written as catalog records (migstream(5)) for migstate to
 * prefer to its own fold.  Returns 0, or -1 after a message. */
int livecat_write(struct pg *pg, FILE *fp);

/* SQL, appended to b, that records m as applied (its replaced migrations
 * too, as Django does for a squashed one) or as unapplied, in both
 * tables; and that notes a non-atomic run of m under way with done steps
 * done. */
void history_record_sql(struct buf *b, struct pg *pg, const struct amig *m);
void history_unrecord_sql(struct buf *b, struct pg *pg, const struct amig *m);
void history_progress_sql(struct buf *b, struct pg *pg, const struct amig *m,
    long done);

/* apply.h: a plan run against a database, as migapply runs it.
 *
 * An atomic migration runs in one transaction with its history rows; a
 * non-atomic one statement by statement, each in its own transaction
 * with a note of how far it got (notx statements outside any), and is
 * recorded after its last.  Every statement runs under lock_timeout; a
 * lock timeout or a deadlock rolls back what it must and tries again
 * after a pause that doubles, up to a number of retries.  One runner at a
 * time per database: a session-level advisory lock, taken outside any
 * transaction.
 */

struct apply_opts {
	int dry_run;		/* print what would run; change nothing */
	int fake;		/* record (or unrecord) without running */
	int skip_python;	/* run migrations with RunPython, without it */
	int wait;		/* wait for another runner, do not exit 75 */
	int quiet;		/* errors only */
	int progress;		/* a line per migration on stderr */
	int meter;		/* a meter on a terminal (progress.c) */
	long lock_timeout;	/* milliseconds */
	long statement_timeout;	/* milliseconds, 0 for none */
	long weak_timeout;	/* statement_timeout of a statement whose lock
				 * lets writes go on (sql_weak_lock), 0 none */
	int retries;		/* after a lock timeout or a deadlock */
};

/* Run the plan.  Returns the exit status: 0, 1 (a migration failed),
 * EXIT_BADINPUT (RunPython without skip_python, a squashed migration
 * partly applied: nothing was run) or EXIT_BUSY. */
int apply_plan(struct pg *pg, struct applyplan *p, const struct apply_opts *o);

/* Print a "changed APP NAME APPLIED_AT" record for each migration of the
 * (forwards) plan applied with other SQL than the plan's.  Returns 0, 1
 * when there are any, or EXIT_BADINPUT for a backwards plan. */
int apply_check(struct pg *pg, const struct applyplan *p, int quiet);

/* A duration as PostgreSQL reads one, "250ms", "2s", "1min" or a
 * number of milliseconds; -1 when it is none of those. */
long apply_parse_ms(const char *s);

#endif
