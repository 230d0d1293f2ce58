#include <stdlib.h>
#include <string.h>

#include "stream.h"

/* The values of a stream's model records, parsed once: a model that an
 * operation leaves alone comes again and again, as the same text, around
 * the operations on the models related to it, and parsing it was most of
 * the work of reading a stream.  The cache keeps, for each key, the last
 * two texts read (an operation has a model before and after it) and
 * their values, and lends those values out until the next operation
 * starts (vcache_next).  A value lent in the current operation is never
 * dropped: a third text of one key in one operation is parsed apart and
 * kept until the next.  Memory: past a few MiB of texts, the versions
 * no operation has used for a while are dropped (parsed again if they
 * come back). */

#define VCACHE_TEXTS (256u << 10)	/* bytes of text kept before a sweep */
#define VCACHE_IDLE 64		/* operations a version is kept unused */

struct version {
	char *text;
	size_t len;		/* of text */
	struct value *v;
	unsigned long op;	/* the operation that last used it */
};

struct vslot {
	char *key;
	struct version ver[2];
};

struct vcache {
	struct vslot *slot;
	size_t cap, n;		/* cap: a power of two */
	unsigned long op;	/* the current operation, from 1 */
	size_t bytes, sweep;	/* texts kept; the next sweep past this */
	struct value **spill;	/* parsed apart, for this operation */
	size_t nspill;
};

static size_t hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct vcache *vcache_new(void)
{
	struct vcache *c = xcalloc(1, sizeof *c);

	c->cap = 64;
	c->slot = xcalloc(c->cap, sizeof *c->slot);
	c->op = 1;
	c->sweep = VCACHE_TEXTS;
	return c;
}

void vcache_next(struct vcache *c)
{
	for (size_t i = 0; i < c->nspill; i++)
		value_free(c->spill[i]);
	free(c->spill);
	c->spill = NULL;
	c->nspill = 0;
	c->op++;
}

void vcache_free(struct vcache *c)
{
	if (!c)
		return;
	vcache_next(c);
	for (size_t i = 0; i < c->cap; i++) {
		free(c->slot[i].key);
		for (int k = 0; k < 2; k++) {
			free(c->slot[i].ver[k].text);
			value_free(c->slot[i].ver[k].v);
		}
	}
	free(c->slot);
	free(c);
}

static struct vslot *find(struct vcache *c, const char *key)
{
	size_t i = hash(key) & (c->cap - 1);

	while (c->slot[i].key && strcmp(c->slot[i].key, key))
		i = (i + 1) & (c->cap - 1);
	return &c->slot[i];
}

static void grow(struct vcache *c)
{
	struct vslot *old = c->slot;
	size_t n = c->cap;

	c->cap *= 2;
	c->slot = xcalloc(c->cap, sizeof *c->slot);
	for (size_t i = 0; i < n; i++)
		if (old[i].key)
			*find(c, old[i].key) = old[i];
	free(old);
}

static void drop(struct vcache *c, struct version *ver)
{
	c->bytes -= ver->text ? ver->len : 0;
	free(ver->text);
	value_free(ver->v);
	memset(ver, 0, sizeof *ver);
}

/* Drop what has gone unused; sweep again when as much more is kept. */
static void sweep(struct vcache *c)
{
	for (size_t i = 0; i < c->cap; i++)
		for (int k = 0; k < 2; k++)
			if (c->slot[i].ver[k].text &&
			    c->slot[i].ver[k].op + VCACHE_IDLE < c->op)
				drop(c, &c->slot[i].ver[k]);
	c->sweep = c->bytes + VCACHE_TEXTS;
}

static struct vslot *slot_of(struct vcache *c, const char *key)
{
	struct vslot *s = find(c, key);

	if (s->key)
		return s;
	if (2 * (c->n + 1) > c->cap) {
		grow(c);
		s = find(c, key);
	}
	s->key = xstrdup(key);
	c->n++;
	return s;
}

const struct value *vcache_get(struct vcache *c, const char *key,
    const char *text, char **err, long *col)
{
	struct vslot *s = slot_of(c, key);
	size_t len = strlen(text);
	struct version *ver = NULL;
	struct value *v;

	*err = NULL;
	*col = 0;
	for (int k = 0; k < 2; k++)
		if (s->ver[k].text && s->ver[k].len == len &&
		    !memcmp(s->ver[k].text, text, len)) {
			s->ver[k].op = c->op;
			return s->ver[k].v;
		}
	if (!(v = value_parse(text, err, col)))
		return NULL;
	for (int k = 0; k < 2; k++)	/* the older one not lent now */
		if (s->ver[k].op != c->op && (!ver || s->ver[k].op < ver->op))
			ver = &s->ver[k];
	if (!ver) {
		c->spill = xrealloc(c->spill, (c->nspill + 1) * sizeof *c->spill);
		return c->spill[c->nspill++] = v;
	}
	drop(c, ver);
	ver->text = xmalloc(len + 1);
	memcpy(ver->text, text, len + 1);
	ver->len = len;
	ver->v = v;
	ver->op = c->op;
	if ((c->bytes += len) > c->sweep)
		sweep(c);
	return v;
}
