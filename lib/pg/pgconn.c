#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "base/base.h"

static void add_secret(struct pg *pg, const char *s)
{
	if (!s || !*s)
		return;
	for (size_t i = 0; i < pg->nsecrets; i++)
		if (!strcmp(pg->secrets[i], s))
			return;
	pg->secrets = xrealloc(pg->secrets, (pg->nsecrets + 1) *
	    sizeof *pg->secrets);
	pg->secrets[pg->nsecrets++] = xstrdup(s);
}

/* s with every password masked; with fold, line ends folded to "; ",
 * without the trailing one. */
static char *masked(const struct pg *pg, const char *s, int fold)
{
	struct buf b = {0};

	buf_puts(&b, "");
	while (*s) {
		size_t k;

		for (k = 0; k < pg->nsecrets; k++)
			if (!strncmp(s, pg->secrets[k], strlen(pg->secrets[k])))
				break;
		if (k < pg->nsecrets) {
			buf_puts(&b, "********");
			s += strlen(pg->secrets[k]);
		} else if (*s == '\n' && fold) {
			s += 1 + strspn(s + 1, " \t");
			if (*s)
				buf_puts(&b, "; ");
		} else {
			buf_putc(&b, *s++);
		}
	}
	return b.s;
}

static void notice(void *arg, const char *msg)
{
	const struct pg *pg = arg;
	char *m;

	if (!pg->notices)
		return;
	m = masked(pg, msg, 1);
	warnx_("%s", m);
	free(m);
}

/* The passwords of conninfo; -1 when it cannot be parsed. */
static int parse_secrets(struct pg *pg, const char *conninfo)
{
	char *err = NULL;
	PQconninfoOption *o = PQconninfoParse(conninfo, &err);

	if (!o) {
		PQfreemem(err);
		return -1;
	}
	for (PQconninfoOption *p = o; p->keyword; p++)
		if (!strcmp(p->keyword, "password"))
			add_secret(pg, p->val);
	PQconninfoFree(o);
	return 0;
}

static char *describe(PGconn *c)
{
	const char *db = PQdb(c), *host = PQhost(c), *port = PQport(c),
	    *user = PQuser(c);

	return xasprintf("dbname=%s host=%s port=%s user=%s",
	    db ? db : "", host ? host : "", port ? port : "",
	    user ? user : "");
}

/* What the statements migapply runs depend on, set on its own connection
 * whatever the server, database, role or PGOPTIONS say, as Django's
 * connection has it: string literals in which a backslash is a backslash
 * (a server with standard_conforming_strings off would read 'a\'' as
 * an escaped quote, and the rest of the literal as SQL), UTF-8 (Django
 * connects with client_encoding UTF8), and the time zone Django sets
 * with USE_TZ = True, UTC, unless PGTZ names one (libpq sets it). */
static int session_settings(struct pg *pg)
{
	const char *tz = getenv("PGTZ");

	if (PQsetClientEncoding(pg->conn, "UTF8") != 0) {
		warnx_("cannot set client_encoding to UTF8");
		return 1;
	}
	if (pg_do(pg, "setting the session", "SET standard_conforming_strings "
	    "= on", 0, NULL) < 0)
		return 1;
	if ((!tz || !*tz) && pg_do(pg, "setting the session", "SET TIME ZONE "
	    "'UTC'", 0, NULL) < 0)
		return 1;
	return 0;
}

int pg_connect(struct pg *pg, const char *conninfo)
{
	const char *keys[] = { "dbname", "fallback_application_name", NULL };
	const char *vals[] = { conninfo, "migapply", NULL };

	memset(pg, 0, sizeof *pg);
	add_secret(pg, getenv("PGPASSWORD"));
	if (conninfo && parse_secrets(pg, conninfo) < 0) {
		/* libpq's message quotes the string, which may hold a password */
		warnx_("the connection string cannot be parsed (not shown: it "
		    "may hold a password)");
		return EXIT_BADINPUT;
	}
	pg->conn = PQconnectdbParams(keys, vals, 1);
	if (!pg->conn)
		die(1, "out of memory");
	add_secret(pg, PQpass(pg->conn));
	pg->where = describe(pg->conn);
	PQsetNoticeProcessor(pg->conn, notice, pg);
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		char *m = masked(pg, PQerrorMessage(pg->conn), 1);

		warnx_("cannot connect (%s): %s", pg->where, m);
		free(m);
		return 1;
	}
	return session_settings(pg);
}

void pg_finish(struct pg *pg)
{
	pg_cancel_on_signals(NULL);
	if (pg->conn)
		PQfinish(pg->conn);
	for (size_t i = 0; i < pg->nsecrets; i++)
		free(pg->secrets[i]);
	free(pg->secrets);
	free(pg->where);
	memset(pg, 0, sizeof *pg);
}

PGresult *pg_run(struct pg *pg, const char *sql, int n,
    const char *const *params)
{
	PGresult *r = n ? PQexecParams(pg->conn, sql, n, NULL, params, NULL,
	    NULL, 0) : PQexec(pg->conn, sql);

	if (!r)
		r = PQmakeEmptyPGresult(pg->conn, PGRES_FATAL_ERROR);
	if (!r)
		die(1, "out of memory");
	return r;
}

int pg_ok(const PGresult *r)
{
	ExecStatusType s = PQresultStatus(r);

	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ||
	    s == PGRES_EMPTY_QUERY;
}

const char *pg_sqlstate(const PGresult *r)
{
	const char *s = PQresultErrorField(r, PG_DIAG_SQLSTATE);

	return s ? s : "";
}

char *pg_error(const struct pg *pg, const PGresult *r)
{
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	const char *sev = PQresultErrorField(r, PG_DIAG_SEVERITY);
	const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
	struct buf b = {0};
	char *m;

	if (!msg) {	/* no server message: the connection's */
		msg = PQresultErrorMessage(r);
		if (!*msg)
			msg = PQerrorMessage(pg->conn);
		sev = NULL;
	}
	buf_printf(&b, "%s%s%s", sev ? sev : "", sev ? ":  " : "", msg);
	if (*pg_sqlstate(r))
		buf_printf(&b, " (SQLSTATE %s)", pg_sqlstate(r));
	if (detail)
		buf_printf(&b, "; DETAIL: %s", detail);
	if (hint)
		buf_printf(&b, "; HINT: %s", hint);
	m = masked(pg, b.s, 1);
	buf_free(&b);
	return m;
}

int pg_do(struct pg *pg, const char *what, const char *sql, int n,
    const char *const *params)
{
	PGresult *r = pg_run(pg, sql, n, params);
	int ok = pg_ok(r);

	if (!ok) {
		char *e = pg_error(pg, r);

		warnx_("%s: %s", what, e);
		free(e);
	}
	PQclear(r);
	return ok ? 0 : -1;
}

int pg_value(struct pg *pg, const char *what, const char *sql, int n,
    const char *const *params, char **out)
{
	PGresult *r = pg_run(pg, sql, n, params);

	*out = NULL;
	if (!pg_ok(r)) {
		char *e = pg_error(pg, r);

		warnx_("%s: %s", what, e);
		free(e);
		PQclear(r);
		return -1;
	}
	if (PQntuples(r) > 0 && PQnfields(r) > 0 && !PQgetisnull(r, 0, 0))
		*out = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

char *pg_mask(const struct pg *pg, const char *s)
{
	return masked(pg, s, 0);
}

static char *escaped(struct pg *pg, char *e)
{
	char *s;

	if (!e)
		die(1, "quoting failed: %s", PQerrorMessage(pg->conn));
	s = xstrdup(e);
	PQfreemem(e);
	return s;
}

char *pg_literal(struct pg *pg, const char *s)
{
	return escaped(pg, PQescapeLiteral(pg->conn, s, strlen(s)));
}

char *pg_ident(struct pg *pg, const char *s)
{
	return escaped(pg, PQescapeIdentifier(pg->conn, s, strlen(s)));
}

static PGcancel *volatile cancel_obj;
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	char err[256];

	interrupted = 1;
	if (cancel_obj)
		PQcancel(cancel_obj, err, sizeof err);
	signal(sig, SIG_DFL);	/* a second one kills */
}

void pg_cancel_on_signals(struct pg *pg)
{
	struct sigaction sa;
	PGcancel *old = cancel_obj;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = pg ? on_signal : SIG_DFL;
	cancel_obj = pg ? PQgetCancel(pg->conn) : NULL;
	if (old)
		PQfreeCancel(old);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int pg_interrupted(void)
{
	return interrupted;
}
