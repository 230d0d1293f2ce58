/* realpath() is XSI in glibc headers */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "python.h"
#include "stream/stream.h"
#include "base/base.h"

static int slurp(FILE *fp, const char *path, struct srcfile *src)
{
	struct buf b = {0};
	char chunk[65536];
	size_t n;

	buf_putn(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_putn(&b, chunk, n);
	if (ferror(fp)) {
		warnx_("%s:", path);
		buf_free(&b);
		return -1;
	}
	src->text = b.s;
	src->len = b.len;
	return 0;
}

/* PEP 263: a coding declaration in a comment on line 1 or 2. */
static int declares_latin1(const char *s, size_t len)
{
	static const char *const names[] = {
		"latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1", NULL
	};
	const char *end = s + len;

	for (int line = 0; line < 2 && s < end; line++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		char *l = xstrndup(s, nl ? (size_t)(nl - s) : (size_t)(end - s));
		char *p = strstr(l, "coding");
		int hit = 0;

		if (l[strspn(l, " \t\f")] == '#' && p && (p[6] == ':' ||
		    p[6] == '=')) {
			p += 7 + strspn(p + 7, " \t");
			for (int i = 0; names[i]; i++)
				hit |= strncasecmp(p, names[i],
				    strlen(names[i])) == 0;
		}
		free(l);
		if (hit)
			return 1;
		if (!nl)
			break;
		s = nl + 1;
	}
	return 0;
}

static void latin1_to_utf8(struct srcfile *src)
{
	struct buf b = {0};

	buf_putn(&b, "", 0);
	for (size_t i = 0; i < src->len; i++) {
		unsigned char c = (unsigned char)src->text[i];

		if (c < 0x80) {
			buf_putc(&b, c);
		} else {
			buf_putc(&b, 0xC0 | (c >> 6));
			buf_putc(&b, 0x80 | (c & 0x3F));
		}
	}
	free(src->text);
	src->text = b.s;
	src->len = b.len;
}

static int check_text(const char *path, struct srcfile *src)
{
	long line, col;
	size_t bad;

	if (src->len == 0 || src->text[strspn(src->text, " \t\r\n\f")] == '\0') {
		warn_at(path, 0, 0, "empty file: not a migration");
		return -1;
	}
	if (memchr(src->text, '\0', src->len)) {
		warn_at(path, 0, 0, "contains NUL bytes: not a Python source file");
		return -1;
	}
	if (declares_latin1(src->text, src->len))
		latin1_to_utf8(src);
	if ((bad = utf8_check(src->text, src->len, &line, &col))) {
		warn_at(path, line, col, "invalid UTF-8 (byte 0x%02x); migration "
		    "files must be UTF-8 or declare their coding",
		    (unsigned char)src->text[bad - 1]);
		return -1;
	}
	return 0;
}

int read_source(const char *path, struct srcfile *src)
{
	FILE *fp;
	struct stat st;
	int rc;

	memset(src, 0, sizeof *src);
	if (strcmp(path, "-") == 0) {
		rc = slurp(stdin, "<stdin>", src);
	} else {
		if (!(fp = fopen(path, "r"))) {
			warnx_("%s:", path);
			return -1;
		}
		if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
			warn_at(path, 0, 0, "is a directory");
			fclose(fp);
			return -1;
		}
		rc = slurp(fp, path, src);
		fclose(fp);
	}
	if (rc == 0 && (rc = check_text(path, src)) < 0) {
		free(src->text);
		src->text = NULL;
	}
	return rc;
}

/* The directory before "migrations" in .../APP/migrations/NAME.py. */
static char *label_in(const char *path)
{
	char *dir = xstrdup(path), *slash, *label = NULL;

	if ((slash = strrchr(dir, '/'))) {
		*slash = '\0';
		slash = strrchr(dir, '/');
		if (!strcmp(slash ? slash + 1 : dir, "migrations") && slash) {
			*slash = '\0';
			slash = strrchr(dir, '/');
			if (*(slash ? slash + 1 : dir))
				label = xstrdup(slash ? slash + 1 : dir);
		}
	}
	free(dir);
	return label;
}

/* From the path as given, else from its real path. */
static char *label_from_path(const char *path)
{
	char *label = label_in(path), *real;

	if (!label && (real = realpath(path, NULL))) {
		label = label_in(real);
		free(real);
	}
	return label;
}

static char *name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".py") == 0)
		n -= 3;
	return xstrndup(base, n);
}

int migration_names(const char *path, const char *label, const char *name,
    struct migration *m)
{
	int stdin_ = strcmp(path, "-") == 0;

	m->file = xstrdup(path);
	m->app = label ? xstrdup(label) : stdin_ ? NULL : label_from_path(path);
	m->name = name ? xstrdup(name) : stdin_ ? NULL : name_from_path(path);
	if (!m->app) {
		warn_at(path, 0, 0, "cannot tell the app label: the path is not "
		    ".../APP/migrations/NAME.py; give it with -a LABEL");
		return -1;
	}
	if (!m->name) {
		warn_at(path, 0, 0, "standard input needs -n NAME for the "
		    "migration's name");
		return -1;
	}
	return 0;
}
