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
