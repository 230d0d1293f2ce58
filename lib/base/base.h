/* base.h: the leaves every folder of lib/ stands on: the exit codes and
 * the one family of error helpers, allocation that cannot fail, growable
 * buffers, and MD5 for the digests in Django's generated names. */
#ifndef MIG_BASE_H
#define MIG_BASE_H

#include <stddef.h>
#include <stdio.h>

/* util.h: errors, allocation and small buffers shared by every tool. */

/* Exit codes, the same in every tool. */
enum { EXIT_BADINPUT = 2, EXIT_BUSY = 75 };

extern const char *argv0;	/* the tool's name, set by each main() */

/* "tool: message"; a format ending in ':' appends strerror(errno). */
void warnx_(const char *fmt, ...);
_Noreturn void die(int status, const char *fmt, ...);
/* "tool: FILE:LINE:COL: message" (LINE/COL omitted when 0). */
void warn_at(const char *file, long line, long col, const char *fmt, ...);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...);

/* A growable byte buffer; always NUL-terminated after any append. */
struct buf {
	char *s;
	size_t len, cap;
};
void buf_putc(struct buf *b, int c);
void buf_putn(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* Flush and close stdout; a full disk or a closed pipe is a failure. */
int close_stdout(void);

/* cli.c: the options every tool takes alike (-h/--help, -V/--version,
 * "--", "-" for standard input).  A tool describes itself once: */
struct cli_opt {
	const char *flag;	/* "-a LABEL" */
	const char *help;	/* one line */
};
struct cli {
	const char *name;	/* "migparse" */
	const char *synopsis;	/* the usage line(s) after "usage: " */
	const char *what;	/* one sentence for --help */
	const struct cli_opt *opts;	/* ends with { NULL, NULL } */
};

/* The suite's one version (the Makefile's VERSION). */
extern const char migtools_version[];
/* getopt(3) over optstring plus h and V: -h/--help print the help on
 * stdout and -V/--version the version, and exit 0; a bad option prints
 * the usage line and exits 2. */
int cli_getopt(int argc, char *argv[], const char *optstring,
    const struct cli *c);
/* The usage line on stderr, exit 2. */
_Noreturn void cli_usage(const struct cli *c);
/* path, or stdin for "-" (*name is then "<stdin>"); NULL after a warning
 * when it cannot be opened.  cli_close leaves stdin open. */
FILE *cli_open(const char *path, const char **name);
void cli_close(FILE *fp);

/* progress.c: "tool: VERB DONE/TOTAL app.name" redrawn in place on
 * standard error once a stage has run for a second, only when it is a
 * terminal and not quiet (MIGTOOLS_PROGRESS_AFTER: other than a second);
 * progress_end wipes it.  A NULL meter is off. */
struct progress {
	const char *verb;
	int on, shown;
	double t0, last, after;
};
void progress_start(struct progress *p, const char *verb, int quiet);
void progress_step(struct progress *p, size_t done, size_t total,
    const char *app, const char *name);
void progress_end(struct progress *p);
/* Wipe the meter on screen, if any, before a message (warnx_ and its
 * kin call it); the next step draws it again. */
void progress_wipe(void);

/* lower.c: Python's str.lower() of the UTF-8 name s, newly allocated;
 * NULL, with the code point in *bad, for a character it cannot lower as
 * Python does (outside the scripts lower.c covers). */
char *py_lower(const char *s, unsigned long *bad);
/* py_lower() for a model's name, newly allocated; a name it cannot lower
 * is reported, sets name_error (the tool then fails) and comes back with
 * only its ASCII lowered. */
char *name_lower(const char *s);
extern int name_error;
/* Are a and b the same once lowered (name_lower)? */
int name_same(const char *a, const char *b);

/* md5.h: MD5 (RFC 1321), for the digests in Django's generated names. */

/* The lowercase hex digest of s[0..n) into hex[33]. */
void md5_hex(const void *s, size_t n, char hex[33]);

#endif
