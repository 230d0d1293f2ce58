/* pgint.h: inside the PostgreSQL side: concurrent index builds. */
#ifndef MIG_PGINT_H
#define MIG_PGINT_H

#include "pg.h"

/* concidx.h: concurrent index builds.  A CREATE INDEX CONCURRENTLY that
 * fails (a duplicate key, a lock timeout, a cancel) leaves its index
 * behind, marked INVALID: the next build of that name fails on it, so it
 * is dropped, concurrently too, before the build is tried again. */

/* The name of the index that a CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT
 * EXISTS] statement builds (unquoted), or NULL for any other statement or
 * an index left for PostgreSQL to name.  Allocated. */
char *concidx_name(const char *sql);

enum concidx_state { CONCIDX_ABSENT, CONCIDX_VALID, CONCIDX_INVALID };

/* The state of the index name visible on the search path; with INVALID,
 * *drop is set to the DROP INDEX CONCURRENTLY statement that removes it
 * (allocated).  NULL, or the failed query's result. */
PGresult *concidx_state(struct pg *pg, const char *name,
    enum concidx_state *st, char **drop);

#endif
