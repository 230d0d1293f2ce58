#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pg.h"
#include "sql/sql.h"
#include "pgint.h"
#include "stream/stream.h"
#include "base/base.h"

/* The advisory lock: "migtools" in ASCII as a bigint, which pg_locks
 * shows as classid and objid. */
#define LOCK_KEY	"7883946372472204403"
#define LOCK_CLASSID	"1835624308"
#define LOCK_OBJID	"1869573235"

enum { TODO = 1, DONE = 2 };

struct run {
	struct pg *pg;
	const struct apply_opts *o;
	const struct applyplan *p;
	struct history h;
	unsigned char *state;	/* per migration: 0, TODO or DONE */
	long *resume;		/* per migration: steps an earlier run did, or
				 * -1 when none was under way */
	size_t ndone, nalready;
	const struct amig *failed;
	unsigned long rng;
	int weak;		/* the timeouts in force: 1 a weak lock's, 0 -L
				 * and -S, -1 not known (after a rollback) */
};

/* Some work retried as a whole: BEGIN or not, steps [from, to) of a
 * migration, then bookkeeping SQL (with the COMMIT). */
struct unit {
	const struct amig *m;
	size_t from, to;
	int begin;
	int resumed;		/* the step may have finished in a run that
				 * was interrupted before it noted so */
	int quiet;		/* begin and post are left out of a dry run */
	const char *post;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) == -1 && errno == EINTR && !pg_interrupted())
		;
}

/* The pause before retry n (from 0): half a second, doubling up to 30
 * seconds, give or take a quarter so that runners do not march in step. */
static long backoff(struct run *r, int n)
{
	long ms = 500;

	for (int i = 0; i < n && ms < 30000; i++)
		ms *= 2;
	if (ms > 30000)
		ms = 30000;
	r->rng = r->rng * 1103515245UL + 12345UL;
	return ms * 3 / 4 + (long)((r->rng >> 16) % (unsigned long)(ms / 2 + 1));
}

/* s on one line with blanks folded, cut short, passwords masked. */
static char *brief(const struct pg *pg, const char *s)
{
	struct buf b = {0};
	char *m;

	buf_puts(&b, "");
	for (; *s && b.len < 200; s++) {
		if (!isspace((unsigned char)*s))
			buf_putc(&b, *s);
		else if (b.len && b.s[b.len - 1] != ' ')
			buf_putc(&b, ' ');
	}
	if (*s)
		buf_puts(&b, "...");
	m = pg_mask(pg, b.s);
	buf_free(&b);
	return m;
}

/* A statement of a dry run, with its semicolon; masked, as everything
 * migapply prints. */
static void print_sql(const struct pg *pg, const char *sql)
{
	char *m = pg_mask(pg, sql);
	size_t n = strlen(m);

	while (n && isspace((unsigned char)m[n - 1]))
		n--;
	fwrite(m, 1, n, stdout);
	puts(n && m[n - 1] == ';' ? "" : ";");
	free(m);
}

/* Run sql, or in a dry run print it (unless quiet): NULL when it
 * succeeded, else its result. */
static PGresult *exec(struct run *r, const char *sql, int quiet)
{
	PGresult *res;

	if (r->o->dry_run) {
		if (!quiet)
			print_sql(r->pg, sql);
		return NULL;
	}
	res = pg_run(r->pg, sql, 0, NULL);
	if (pg_ok(res)) {
		PQclear(res);
		return NULL;
	}
	return res;
}

/* Before a concurrent index build: drop the INVALID index that an
 * earlier failed build of that name left.  *built when the index is
 * there and valid and the interrupted run may have built it. */
static PGresult *before_build(struct run *r, const struct unit *u, int *built)
{
	const struct amig *m = u->m;
	const struct step *s = &m->steps[u->from];
	char *name, *drop = NULL;
	enum concidx_state st;
	PGresult *res;

	*built = 0;
	if (!s->notx || !(name = concidx_name(s->text)))
		return NULL;
	res = concidx_state(r->pg, name, &st, &drop);
	if (!res && st == CONCIDX_INVALID) {
		if (!r->o->quiet && !r->o->dry_run)
			warnx_("%s.%s: dropping the invalid index %s that an "
			    "earlier build left", m->app, m->name, name);
		res = exec(r, drop, 0);
	} else if (!res && st == CONCIDX_VALID && u->resumed) {
		if (!r->o->quiet)
			warnx_("%s.%s: index %s was built by the interrupted "
			    "run", m->app, m->name, name);
		*built = 1;
	}
	free(name);
	free(drop);
	return res;
}

/* The timeouts of a step: lock_timeout and statement_timeout (-L, -S)
 * for a statement that may block writes; for one whose lock lets writes
 * go on while it runs long (sql_weak_lock: CONCURRENTLY, VALIDATE
 * CONSTRAINT), no lock_timeout (its wait blocks no writer) and the
 * statement_timeout of -T, none by default.  weak: what is in force. */
static PGresult *timeouts(struct run *r, int *weak, int want)
{
	char *sql;
	PGresult *res;

	if (*weak == want || r->o->dry_run)
		return NULL;
	sql = want ? xasprintf("SET lock_timeout = 0; SET statement_timeout = "
	    "%ld", r->o->weak_timeout) : xasprintf("SET lock_timeout = %ld; "
	    "SET statement_timeout = %ld", r->o->lock_timeout,
	    r->o->statement_timeout);
	res = exec(r, sql, 1);
	free(sql);
	if (!res)
		*weak = want;
	return res;
}

/* BEGIN and sql (if any) in one round trip: a migration of small
 * statements pays for its round trips. */
static PGresult *exec_begin(struct run *r, const struct unit *u,
    const char *sql)
{
	PGresult *res;
	char *both;

	if (!sql)
		return exec(r, "BEGIN", u->quiet);
	both = xasprintf("BEGIN;\n%s", sql);
	res = exec(r, both, 0);
	free(both);
	return res;
}

/* One try of u.  *steps_ok: outside a transaction, the steps are done
 * once they succeed, and a retry runs only post. */
static PGresult *attempt(struct run *r, const struct unit *u, int *steps_ok,
    const struct step **at)
{
	PGresult *res;
	int built = 0, begun = !u->begin;

	*at = NULL;
	if (!*steps_ok) {
		/* a dry run prints BEGIN on its own line, first */
		if (!begun && r->o->dry_run && (res = exec_begin(r, u, NULL)))
			return res;
		begun = begun || r->o->dry_run;
		if (!u->begin && u->to > u->from &&
		    (res = before_build(r, u, &built)))
			return res;
		for (size_t k = u->from; k < u->to && !built; k++) {
			const struct step *s = &u->m->steps[k];

			if (s->python && r->o->dry_run)
				printf("-- operation %s: %s, skipped (-P)\n",
				    s->opindex, s->text);
			if (s->python)
				continue;
			if (!begun && sql_weak_lock(s->text) != r->weak) {
				if ((res = exec_begin(r, u, NULL)))
					return res;
				begun = 1;
			}
			if ((res = timeouts(r, &r->weak,
			    sql_weak_lock(s->text)))) {
				*at = s;
				return res;
			}
			res = begun ? exec(r, s->text, 0) :
			    exec_begin(r, u, s->text);
			begun = 1;
			if (res) {
				*at = s;
				return res;
			}
		}
		if (!begun && (res = exec_begin(r, u, NULL)))
			return res;
		*steps_ok = !u->begin;
	}
	return u->post ? exec(r, u->post, u->quiet) : NULL;
}

static int retryable(const PGresult *res)
{
	const char *s = pg_sqlstate(res);

	return !strcmp(s, "55P03") || !strcmp(s, "40P01");
}

/* After failed try n (from 0): pause and say so when it is to be
 * retried. */
static int retry(struct run *r, const struct amig *m, const PGresult *res,
    int n)
{
	long ms;

	if (pg_interrupted() || !retryable(res) || n >= r->o->retries)
		return 0;
	ms = backoff(r, n);
	if (!r->o->quiet) {
		char *e = pg_error(r->pg, res);

		warnx_("%s.%s: %s; retry %d of %d in %.1f s", m->app, m->name,
		    e, n + 1, r->o->retries, (double)ms / 1000);
		free(e);
	}
	sleep_ms(ms);
	return !pg_interrupted();
}

static void report(struct run *r, const struct amig *m, const struct step *at,
    const PGresult *res, int n)
{
	char *e = pg_error(r->pg, res);

	if (at) {
		char *s = brief(r->pg, at->text);

		warnx_("%s.%s: operation %s failed: %s", m->app, m->name,
		    at->opindex, e);
		warnx_("%s.%s: the statement (%s:%ld): %s", m->app, m->name,
		    r->p->src, at->line, s);
		free(s);
	} else {
		warnx_("%s.%s: %s", m->app, m->name, e);
	}
	free(e);
	if (retryable(res) && n >= r->o->retries)
		warnx_("%s.%s: gave up after %d retries", m->app, m->name, n);
	if (pg_interrupted())
		warnx_("interrupted");
}

static int run_unit(struct run *r, const struct unit *u)
{
	int steps_ok = 0;

	for (int n = 0;; n++) {
		const struct step *at;
		PGresult *res = attempt(r, u, &steps_ok, &at);

		if (!res)
			return 0;
		if (u->begin) {
			PQclear(pg_run(r->pg, "ROLLBACK", 0, NULL));
			r->weak = -1;	/* a SET in it is undone */
		}
		if (!retry(r, u->m, res, n)) {
			report(r, u->m, at, res, n);
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
}

/* The SQL that records m as done in this direction. */
static void bookkeeping(struct buf *b, struct run *r, const struct amig *m)
{
	if (m->backwards)
		history_unrecord_sql(b, r->pg, m);
	else
		history_record_sql(b, r->pg, m);
}

static int run_fake(struct run *r, const struct amig *m)
{
	struct buf post = {0};
	struct unit u = { .m = m };
	int rc;

	bookkeeping(&post, r, m);
	u.post = post.s;
	rc = run_unit(r, &u);
	buf_free(&post);
	return rc;
}

static int run_atomic(struct run *r, const struct amig *m)
{
	struct buf post = {0};
	struct unit u = { .m = m, .to = m->nsteps, .begin = 1 };
	int rc;

	bookkeeping(&post, r, m);
	buf_puts(&post, "COMMIT;\n");
	u.post = post.s;
	rc = run_unit(r, &u);
	buf_free(&post);
	return rc;
}

/* Step k of a non-atomic migration, in its own transaction with the note
 * of its progress (outside any for a notx step). */
static int run_step(struct run *r, const struct amig *m, size_t k, int resumed)
{
	struct buf post = {0};
	struct unit u = { .m = m, .from = k, .to = k + 1, .quiet = 1,
	    .begin = !m->steps[k].notx, .resumed = resumed };
	int rc;

	history_progress_sql(&post, r->pg, m, (long)k + 1);
	if (u.begin)
		buf_puts(&post, "COMMIT;\n");
	u.post = m->steps[k].python ? NULL : post.s;
	u.begin = u.begin && !m->steps[k].python;
	rc = run_unit(r, &u);
	buf_free(&post);
	return rc;
}

static int run_stepwise(struct run *r, const struct amig *m, long resume)
{
	struct buf post = {0};
	size_t from = resume > 0 ? (size_t)resume : 0;
	struct unit u = { .m = m, .quiet = 1 };
	int rc, first = 1;

	history_progress_sql(&post, r->pg, m, (long)from);
	u.post = post.s;
	rc = run_unit(r, &u);
	for (size_t k = from; k < m->nsteps && !rc; k++) {
		rc = run_step(r, m, k, first && resume >= 0);
		first = first && m->steps[k].python;
	}
	if (!rc) {
		buf_reset(&post);
		bookkeeping(&post, r, m);
		u.post = post.s;	/* the buffer may have moved */
		u.quiet = 0;
		rc = run_unit(r, &u);
	}
	buf_free(&post);
	return rc;
}

static const char *verb(const struct run *r)
{
	if (r->o->fake)
		return "faked";
	return r->p->backwards ? "unapplied" : "applied";
}

static void dry_header(const struct run *r, const struct amig *m, long resume)
{
	printf("\n-- %s.%s: %s%s\n", m->app, m->name,
	    r->o->fake ? "recorded as " : "", r->o->fake ? verb(r) :
	    m->atomic ? "atomic: one transaction with its history rows" :
	    "not atomic: statement by statement, outside a transaction, "
	    "progress noted in " OWN_TABLE);
	if (resume > 0 && !r->o->fake && !m->atomic)
		printf("-- the first %ld steps were done by an earlier run\n",
		    resume);
}

static int run_one(struct run *r, size_t i)
{
	const struct amig *m = &r->p->v[i];
	double t0 = now();
	int rc;

	if (r->o->dry_run)
		dry_header(r, m, r->resume[i]);
	if (r->o->fake)
		rc = run_fake(r, m);
	else if (m->atomic)
		rc = run_atomic(r, m);
	else
		rc = run_stepwise(r, m, r->resume[i]);
	if (rc) {
		r->failed = m;
		warnx_("%s.%s: not %s: %s", m->app, m->name, verb(r),
		    m->atomic || r->o->fake ? "nothing of it was kept" :
		    "what ran is noted, and a re-run resumes after it");
		return 1;
	}
	r->state[i] = DONE;
	r->ndone++;
	if (r->o->progress && !r->o->dry_run)
		warnx_("%s.%s %s (%.3f s)", m->app, m->name, verb(r),
		    now() - t0);
	return 0;
}

/* Whether m is applied, as Django decides: a squashed migration is when
 * all the migrations it replaces are; -1 when only some of them are. */
static int is_applied(const struct run *r, const struct amig *m)
{
	size_t k = 0;

	for (size_t i = 0; i < m->nreplaces; i++)
		k += history_applied(&r->h, m->replaces[i].app,
		    m->replaces[i].name) != NULL;
	if (k && k < m->nreplaces)
		return -1;
	return k || history_applied(&r->h, m->app, m->name) != NULL;
}

/* Where a non-atomic migration that an earlier run left part way
 * resumes; -1 when it cannot. */
static int resume_point(struct run *r, size_t i)
{
	const struct amig *m = &r->p->v[i];
	const struct ownrow *o = history_own(&r->h, m->app, m->name);

	r->resume[i] = -1;
	if (m->atomic || r->o->fake || !o || !o->partial ||
	    strcmp(o->partial, m->backwards ? "backwards" : "forwards"))
		return 0;
	if (strcmp(o->checksum, m->checksum) || o->done < 0 ||
	    (size_t)o->done > m->nsteps) {
		warnx_("%s.%s: an earlier run left it part way (%ld of its "
		    "steps done) with other SQL than this plan's: finish or "
		    "undo those steps by hand, then delete its row from "
		    OWN_TABLE, m->app, m->name, o->done);
		return -1;
	}
	r->resume[i] = o->done;
	return 0;
}

/* RunPython operations of m that would run: refused unless skipped. */
static int refuse_python(const struct run *r, const struct amig *m)
{
	int n = 0;

	if (r->o->fake || r->o->skip_python)
		return 0;
	for (size_t k = 0; k < m->nsteps; k++)
		if (m->steps[k].python && ++n)
			warn_at(r->p->src, m->steps[k].line, 1, "%s.%s: operation "
			    "%s is %s, which migapply cannot run (-P applies the "
			    "migration without it)", m->app, m->name,
			    m->steps[k].opindex, m->steps[k].text);
	return n;
}

/* What is to run; nothing runs when something cannot. */
/* An applied migration whose SQL this plan changes: edited since it ran
 * (the checksum migapply recorded differs), as Flyway's validate finds on
 * every migrate.  Not run again; -c is the strict check. */
static void warn_edited(const struct run *r, const struct amig *m)
{
	const struct ownrow *o = history_own(&r->h, m->app, m->name);

	if (o && !o->partial && strcmp(o->checksum, m->checksum))
		warn_at(r->p->src, m->line, 1, "warning: %s.%s is applied, but "
		    "its SQL has changed since it ran: the database keeps what "
		    "ran then (migapply -c lists such migrations)", m->app,
		    m->name);
}

static int select_todo(struct run *r)
{
	int status = 0, python = 0;

	for (size_t i = 0; i < r->p->n; i++) {
		const struct amig *m = &r->p->v[i];
		int a = is_applied(r, m);

		if (a < 0) {
			warn_at(r->p->src, m->line, 1, "%s.%s: squashed, and only "
			    "some of the migrations it replaces are applied: plan "
			    "with migstate -A (migapply -l) so that the others "
			    "run instead", m->app, m->name);
			status = EXIT_BADINPUT;
			continue;
		}
		if (m->backwards ? !a : a) {
			r->nalready++;
			if (!m->backwards)
				warn_edited(r, m);
			continue;
		}
		r->state[i] = TODO;
		if (resume_point(r, i) < 0 && !status)
			status = 1;
		python += refuse_python(r, m);
	}
	if (python)
		status = EXIT_BADINPUT;
	if (status)
		warnx_("nothing was run");
	return status;
}

static char *lock_holder(struct run *r)
{
	char *v = NULL;

	pg_value(r->pg, "looking for the lock's holder",
	    "SELECT 'backend pid ' || a.pid || coalesce(', ' || "
	    "nullif(a.application_name, ''), '') || coalesce(', since ' || "
	    "to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'), '') "
	    "FROM pg_catalog.pg_locks l "
	    "JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
	    "WHERE l.locktype = 'advisory' AND l.granted "
	    "AND l.classid = " LOCK_CLASSID " AND l.objid = " LOCK_OBJID
	    " AND l.objsubid = 1 AND l.database = (SELECT oid FROM "
	    "pg_catalog.pg_database WHERE datname = current_database())",
	    0, NULL, &v);
	return v ? v : xstrdup("holder unknown");
}

/* The advisory lock, taken outside any transaction, on the connection
 * that runs the migrations.  -w polls for it rather than queueing in
 * pg_advisory_lock(): a waiting statement holds a snapshot, and a
 * concurrent index build of the holder would wait for it in turn. */
static int take_lock(struct run *r)
{
	for (int n = 0;; n++) {
		char *v, *who;
		int got;

		if (pg_value(r->pg, "taking the advisory lock",
		    "SELECT pg_try_advisory_lock(" LOCK_KEY ")", 0, NULL, &v) < 0)
			return 1;
		got = v && !strcmp(v, "t");
		free(v);
		if (got)
			return 0;
		if (!r->o->wait || (!n && !r->o->quiet)) {
			who = lock_holder(r);
			warnx_("%s: another migapply is running on this database "
			    "(%s)", r->o->wait ? "waiting" : "busy", who);
			free(who);
		}
		if (!r->o->wait) {
			warnx_("busy: try again later, or wait with -w");
			return EXIT_BUSY;
		}
		sleep_ms(n < 20 ? 100 : 500);
		if (pg_interrupted()) {
			warnx_("interrupted");
			return 1;
		}
	}
}

static int settings(struct run *r)
{
	char *sql = xasprintf("SET lock_timeout = %ld; "
	    "SET statement_timeout = %ld%s", r->o->lock_timeout,
	    r->o->statement_timeout, PQserverVersion(r->pg->conn) >= 140000 ?
	    /* a dead client's statement is cancelled, not run on */
	    "; SET client_connection_check_interval = 1000" : "");
	int rc = pg_do(r->pg, "setting the timeouts", sql, 0, NULL);

	free(sql);
	return rc < 0 ? 1 : 0;
}

static void summary(const struct run *r, double secs)
{
	const char *v = verb(r), *already = r->p->backwards ? "unapplied" :
	    "applied";
	char *stop = r->failed ? xasprintf(", stopped at %s.%s",
	    r->failed->app, r->failed->name) : xstrdup("");

	if (r->o->dry_run)
		warnx_("dry run: %zu to be %s, %zu already %s; nothing was "
		    "changed", r->ndone, v, r->nalready, already);
	else
		warnx_("%zu %s, %zu already %s%s (%.2f s)", r->ndone, v,
		    r->nalready, already, stop, secs);
	free(stop);
	for (size_t i = 0; i < r->p->n; i++) {
		const struct amig *m = &r->p->v[i];

		for (size_t k = 0; r->state[i] == DONE && !r->o->fake &&
		    k < m->nsteps; k++)
			if (m->steps[k].python)
				warnx_("%s skipped: %s.%s operation %s: run it "
				    "by other means", m->steps[k].text, m->app,
				    m->name, m->steps[k].opindex);
	}
}

static int run_all(struct run *r)
{
	struct progress meter;
	size_t ntodo = 0, k = 0;
	int rc = 0;

	if (r->o->dry_run)
		printf("-- migapply dry run: %s; lock_timeout %ldms, "
		    "statement_timeout %ldms, %d retries\n", r->pg->where,
		    r->o->lock_timeout, r->o->statement_timeout, r->o->retries);
	else if (history_create(r->pg) < 0)
		return 1;
	for (size_t i = 0; i < r->p->n; i++)
		ntodo += r->state[i] == TODO;
	progress_start(&meter, r->p->backwards ? "unapplying" : "applying",
	    !r->o->meter || r->o->dry_run);
	for (size_t i = 0; i < r->p->n && !rc; i++) {
		if (r->state[i] != TODO)
			continue;
		progress_step(&meter, ++k, ntodo, r->p->v[i].app,
		    r->p->v[i].name);
		rc = run_one(r, i);
	}
	progress_end(&meter);
	return rc;
}

int apply_plan(struct pg *pg, struct applyplan *p, const struct apply_opts *o)
{
	struct run r = { .pg = pg, .o = o, .p = p };
	double t0 = now();
	int status;

	r.rng = (unsigned long)getpid() ^ (unsigned long)time(NULL);
	r.state = xcalloc(p->n, 1);
	r.resume = xcalloc(p->n, sizeof *r.resume);
	pg->notices = (o->progress || o->meter) && !o->quiet;
	pg_cancel_on_signals(pg);
	status = o->dry_run ? 0 : take_lock(&r);
	if (!status && !o->dry_run)
		status = settings(&r);
	if (!status && history_read(pg, &r.h) < 0)
		status = 1;
	if (!status && !(status = select_todo(&r))) {
		if (r.nalready < p->n || o->dry_run)
			status = run_all(&r);
		if (!o->quiet)
			summary(&r, now() - t0);
	}
	history_free(&r.h);
	free(r.state);
	free(r.resume);
	return status;
}

int apply_check(struct pg *pg, const struct applyplan *p, int quiet)
{
	struct history h;
	size_t checked = 0, changed = 0, unknown = 0;

	if (p->backwards) {
		warnx_("-c checks a forwards plan, this one is backwards");
		return EXIT_BADINPUT;
	}
	if (history_read(pg, &h) < 0)
		return 1;
	stream_header(stdout);
	for (size_t i = 0; i < p->n; i++) {
		const struct amig *m = &p->v[i];
		const struct applied *a = history_applied(&h, m->app, m->name);
		const struct ownrow *o = history_own(&h, m->app, m->name);
		const char *f[4] = { "changed", m->app, m->name, "" };

		if (!a)
			continue;
		if (!o || o->partial) {
			unknown++;
			continue;
		}
		checked++;
		if (!strcmp(o->checksum, m->checksum))
			continue;
		f[3] = a->at;
		stream_write(stdout, f, 4);
		changed++;
	}
	if (!quiet)
		warnx_("%zu applied migrations checked, %zu changed; %zu "
		    "without a checksum (recorded by Django or before "
		    "migapply)", checked, changed, unknown);
	history_free(&h);
	return changed ? 1 : 0;
}

long apply_parse_ms(const char *s)
{
	char *end;
	long v, unit = 0;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || v < 0 || errno)
		return -1;
	if (!*end || !strcmp(end, "ms"))
		unit = 1;
	else if (!strcmp(end, "s"))
		unit = 1000;
	else if (!strcmp(end, "min"))
		unit = 60000;
	if (!unit || v > LONG_MAX / unit || v * unit > INT_MAX)
		return -1;
	return v * unit;
}
