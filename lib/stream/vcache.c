#include <stdlib.h>
#include <string.h>

#include "stream.h"

/* The values of a stream's model records, parsed once: a model that an
 * operation leaves alone comes again and again, as the same text, around
 * the operations on the models related to it, and parsing it is most of
 * the work of reading a stream.  The cache keeps, for each key, the last
 * text read and its value; the same text again gives a copy of that
 * value, which is what parsing it would give. */

struct vslot {
	char *key, *text;
	size_t len;		/* of text */
	struct value *v;
};

struct vcache {
	struct vslot *slot;
	size_t cap, n;		/* cap: a power of two */
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
	return c;
}

void vcache_free(struct vcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++) {
		free(c->slot[i].key);
		free(c->slot[i].text);
		value_free(c->slot[i].v);
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

/* An exact copy: kind, text and its length, position, names. */
static struct value *clone(const struct value *v)
{
	struct value *c;

	if (!v)
		return NULL;
	c = xmalloc(sizeof *c);
	*c = *v;
	if (v->s) {
		size_t n = v->kind == V_STR || v->kind == V_BYTES ? v->len :
		    strlen(v->s);

		c->s = xmalloc(n + 1);
		memcpy(c->s, v->s, n + 1);
	}
	c->fn = clone(v->fn);
	c->items = v->n ? xmalloc(v->n * sizeof *c->items) : NULL;
	c->names = v->names ? xmalloc(v->n * sizeof *c->names) : NULL;
	for (size_t i = 0; i < v->n; i++) {
		c->items[i] = clone(v->items[i]);
		if (v->names)
			c->names[i] = v->names[i] ? xstrdup(v->names[i]) : NULL;
	}
	return c;
}

struct value *vcache_parse(struct vcache *c, const char *key,
    const char *text, char **err, long *col)
{
	struct vslot *s = find(c, key);
	size_t len = strlen(text);
	struct value *v;

	*err = NULL;
	*col = 0;
	if (s->key && s->len == len && !memcmp(s->text, text, len))
		return clone(s->v);
	if (!(v = value_parse(text, err, col)))
		return NULL;
	if (!s->key) {
		if (2 * (c->n + 1) > c->cap) {
			grow(c);
			s = find(c, key);
		}
		s->key = xstrdup(key);
		c->n++;
	}
	free(s->text);
	value_free(s->v);
	s->text = xmalloc(len + 1);
	memcpy(s->text, text, len + 1);
	s->len = len;
	s->v = clone(v);
	return v;
}
