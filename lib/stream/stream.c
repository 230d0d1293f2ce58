#include <stdlib.h>
#include <string.h>

#include "stream.h"
#include "base/base.h"

void stream_escape(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': fputs("\\\\", fp); break;
		case '\t': fputs("\\t", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		default: putc(*s, fp);
		}
	}
}

void stream_header(FILE *fp)
{
	fputs(REC_VERSION "\t" STREAM_VERSION "\n", fp);
}

void stream_write(FILE *fp, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			putc('\t', fp);
		stream_escape(fp, fields[i]);
	}
	putc('\n', fp);
}

void stream_pass(FILE *fp, const struct record *r)
{
	fputs(r->raw, fp);
	putc('\n', fp);
}

/* Unescape one field in place; returns the offending column or 0. */
static size_t unescape(char *s)
{
	char *w = s;

	for (char *p = s; *p; p++) {
		if (*p != '\\') {
			*w++ = *p;
			continue;
		}
		switch (*++p) {
		case '\\': *w++ = '\\'; break;
		case 't': *w++ = '\t'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		default: return (size_t)(p - s);
		}
	}
	*w = '\0';
	return 0;
}

/* Split line (a copy, modified) into r->f; col of a bad escape or 0. */
static size_t split(char *line, struct record *r, size_t *cap)
{
	size_t col = 0, off = 0;
	char *p = line;

	r->n = 0;
	for (;;) {
		char *tab = strchr(p, '\t');
		size_t bad;

		if (tab)
			*tab = '\0';
		if (r->n == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			r->f = xrealloc(r->f, *cap * sizeof *r->f);
		}
		r->f[r->n++] = p;
		if (!col && (bad = unescape(p)))
			col = off + bad;
		if (!tab)
			break;
		off += (size_t)(tab - p) + 1;
		p = tab + 1;
	}
	return col;
}

static int check_version(const struct record *r)
{
	if (r->n >= 2 && strcmp(r->f[1], STREAM_VERSION) == 0)
		return 0;
	warn_at(r->src, r->line, 1, "unsupported stream version '%s' "
	    "(this tool reads version " STREAM_VERSION ")",
	    r->n >= 2 ? r->f[1] : "");
	return 1;
}

void stream_failed(FILE *fp, int status)
{
	char st[16];
	const char *f[] = { REC_FAILED, argv0, st };

	snprintf(st, sizeof st, "%d", status);
	stream_write(fp, f, 3);
}

/* The line's bytes before it is split: a NUL, invalid UTF-8 or a raw
 * carriage return is reported (the column in characters); 0 or -1. */
static int check_bytes(const char *name, long no, const char *line,
    size_t len)
{
	const char *nul = memchr(line, '\0', len), *cr = memchr(line, '\r', len);
	long l, col;
	size_t bad = utf8_check(line, nul ? (size_t)(nul - line) : len, &l,
	    &col);

	if (bad) {
		utf8_check(line, bad - 1, &l, &col);
		warn_at(name, no, col, "invalid UTF-8 (byte 0x%02x)",
		    (unsigned char)line[bad - 1]);
		return -1;
	}
	if (nul) {
		utf8_check(line, (size_t)(nul - line), &l, &col);
		warn_at(name, no, col, "a NUL byte");
		return -1;
	}
	if (cr) {
		utf8_check(line, (size_t)(cr - line), &l, &col);
		warn_at(name, no, col, "a raw carriage return (a field writes "
		    "it \\r)");
		return -1;
	}
	return 0;
}

enum { GO_ON, SKIP, REFUSE, STOP };

/* A record of a known kind: its fields; the version marker; a failed
 * record.  What stream_each does with it. */
static int screen(struct record *r)
{
	if (strcmp(r->f[0], REC_VERSION) == 0)
		return check_version(r) ? STOP : SKIP;
	if (record_check(r) < 0)
		return REFUSE;
	if (strcmp(r->f[0], REC_FAILED) == 0) {
		warn_at(r->src, r->line, 1, "the stage before failed (%s, exit "
		    "%s): nothing done", r->f[1], r->n > 2 ? r->f[2] : "?");
		return STOP;
	}
	return GO_ON;
}

int stream_each(FILE *fp, const char *name, record_fn fn, void *arg)
{
	char *line = NULL, *copy = NULL;
	size_t lcap = 0, fcap = 0;
	ssize_t len;
	struct record r = { .src = name };
	int status = 0, rc = 0, any = 0, s;

	while ((len = getline(&line, &lcap, fp)) != -1) {
		size_t col;

		r.line++;
		any = 1;
		if (line[len - 1] == '\n') {
			line[--len] = '\0';
		} else {
			warn_at(name, r.line, 1, "the last line has no newline: "
			    "the input was cut short (did the stage before "
			    "fail?)");
			status = EXIT_BADINPUT;
			break;
		}
		if (check_bytes(name, r.line, line, (size_t)len) < 0) {
			status = EXIT_BADINPUT;
			continue;
		}
		if (len == 0)
			continue;
		free(copy);
		copy = xstrdup(line);
		r.raw = line;
		if ((col = split(copy, &r, &fcap))) {
			warn_at(name, r.line, (long)col + 1,
			    "bad escape in field (only \\\\ \\t \\n \\r exist)");
			status = EXIT_BADINPUT;
			continue;
		}
		if ((s = screen(&r)) != GO_ON && s != SKIP)
			status = EXIT_BADINPUT;
		if (s == STOP)
			break;
		if (s != GO_ON)
			continue;
		if ((rc = fn(&r, arg)))
			break;
	}
	if (ferror(fp)) {
		warnx_("%s: read error:", name);
		status = 1;
	} else if (!any) {
		warn_at(name, 0, 0, "no input at all, not even the version "
		    "marker (what a stage that fails early leaves)");
		status = EXIT_BADINPUT;
	}
	free(line);
	free(copy);
	free(r.f);
	return rc ? rc : status;
}
