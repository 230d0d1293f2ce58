/* pyint.h: inside the Python reader: the evaluator pyparse.c uses. */
#ifndef MIG_PYINT_H
#define MIG_PYINT_H

#include "python.h"

/* pyeval.h: the little evaluation that reading a migration file needs.
 *
 * Names are resolved through the file's imports to canonical dotted names
 * (sig.h), module- and class-level constants are substituted by value,
 * strings and lists are concatenated and formatted, and positional
 * arguments of the classes migtools knows become keyword arguments.
 * Nothing is ever executed: calls stay calls.
 */

enum bind_kind {
	B_MODULE,	/* an import: text is the dotted name it stands for */
	B_VALUE,	/* a constant: v */
	B_ERROR,	/* assigned, but not readable: text says why */
	B_FUNCTION,	/* a def in the file */
	B_CLASS		/* a class in the file */
};

struct binding {
	char *name;
	enum bind_kind kind;
	char *text;
	struct value *v;
	long line, col;
};

struct scope {
	struct binding *b;
	size_t n;
	const struct scope *parent;
	const char *package;	/* the file's package, for relative imports */
};

void scope_bind(struct scope *sc, const char *name, enum bind_kind kind,
    const char *text, struct value *v, long line, long col);
const struct binding *scope_lookup(const struct scope *sc, const char *name);
void scope_free(struct scope *sc);

struct evalerr {
	char *msg;
	long line, col;
};

/* Evaluate raw (as parsed) in sc; NULL with err set on failure. */
struct value *eval(const struct scope *sc, const struct value *raw,
    struct evalerr *err);

/* A dotted name as imported, in the stream's canonical spelling. */
char *canonical_name(const char *dotted);

#endif
