/* define.c: the values the user gives to what a migration file imports
 * from the project (-D NAME=VALUE, "define NAME=VALUE" in a map file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyint.h"
#include "python.h"

int is_literal(const struct value *v)
{
	switch (v->kind) {
	case V_NONE: case V_TRUE: case V_FALSE: case V_INT: case V_FLOAT:
	case V_STR: case V_BYTES:
		return 1;
	case V_LIST: case V_TUPLE: case V_SET: case V_DICT:
		for (size_t i = 0; i < v->n; i++)
			if (!is_literal(v->items[i]))
				return 0;
		return 1;
	default:
		return 0;
	}
}

/* NAME: a dotted name, or a call, subscript or attribute of names and
 * literals, as migparse writes it. */
static int is_key(const struct value *v)
{
	switch (v->kind) {
	case V_NAME:
		return 1;
	case V_CALL:
		for (size_t i = 0; i < v->n; i++)
			if (!is_literal(v->items[i]) && !is_key(v->items[i]))
				return 0;
		return is_key(v->fn);
	case V_SUBSCRIPT:
		return is_key(v->fn) && is_literal(v->items[0]);
	case V_ATTR:
		return is_key(v->fn);
	default:
		return 0;
	}
}

/* Try the split at eq: key and value both read.  Returns the key's
 * canonical text, the value in *val; NULL if this split is not it. */
static char *split_at(const char *arg, const char *eq, struct value **val)
{
	char *name = xstrndup(arg, (size_t)(eq - arg)), *e = NULL, *text = NULL;
	struct value *k = value_parse(name, &e, &(long){0});

	free(e);
	e = NULL;
	*val = NULL;
	if (k && is_key(k) && (*val = value_parse(eq + 1, &e, &(long){0})))
		text = value_text(k);
	free(e);
	value_free(k);
	free(name);
	return text;
}

int define_add(struct defines *d, const char *arg, char **err)
{
	struct value *val = NULL;
	char *key = NULL;

	for (const char *eq = strchr(arg, '='); eq && !key; eq = strchr(eq + 1,
	    '='))
		key = split_at(arg, eq, &val);
	if (!key) {
		*err = xasprintf("'%s': expected NAME=VALUE, NAME a dotted name "
		    "or a call as migparse writes it", arg);
		value_free(val);
		return -1;
	}
	if (!is_literal(val)) {
		*err = xasprintf("'%s': the value must be a Python literal "
		    "(True, False, None, a number, a string, or a list, "
		    "tuple or dict of them)", arg);
		value_free(val);
		free(key);
		return -1;
	}
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->keys[i], key) == 0) {	/* the last one wins */
			free(key);
			value_free(d->vals[i]);
			d->vals[i] = val;
			return 0;
		}
	d->keys = xrealloc(d->keys, (d->n + 1) * sizeof *d->keys);
	d->vals = xrealloc(d->vals, (d->n + 1) * sizeof *d->vals);
	d->keys[d->n] = key;
	d->vals[d->n++] = val;
	return 0;
}

int defines_read_map(struct defines *d, const char *path)
{
	FILE *fp = cli_open(path, &path);
	char *line = NULL, *err = NULL;
	size_t cap = 0;
	ssize_t len;
	long no = 0;
	int rc = 0;

	if (!fp)
		return -1;
	while ((len = getline(&line, &cap, fp)) != -1) {
		char *p = line + strspn(line, " \t");

		no++;
		while (len > 0 && strchr("\r\n \t", line[len - 1]))
			line[--len] = '\0';
		if (strncmp(p, "define", 6) || !strchr(" \t", p[6]))
			continue;	/* migstate's lines, comments */
		p += 6 + strspn(p + 6, " \t");
		if (define_add(d, p, &err) < 0) {
			warn_at(path, no, 0, "%s", err);
			free(err);
			err = NULL;
			rc = -1;
		}
	}
	free(line);
	cli_close(fp);
	return rc;
}

const struct value *define_get(const struct defines *d, const char *key)
{
	for (size_t i = 0; d && i < d->n; i++)
		if (strcmp(d->keys[i], key) == 0)
			return d->vals[i];
	return NULL;
}

void defines_free(struct defines *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->keys[i]);
		value_free(d->vals[i]);
	}
	free(d->keys);
	free(d->vals);
	memset(d, 0, sizeof *d);
}
