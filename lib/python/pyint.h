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

/* A def of the file.  Its body is run by run_body() when it is called:
 * it is read when it computes a value from its arguments with NAME =
 * EXPR, if/elif/else and return only. */
struct pyfunc {
	char **params;		/* in order; kwonly from kwonly on */
	struct value **defaults;	/* evaluated at the def, or NULL */
	size_t nparams, kwonly;
	struct token *tok;	/* the file's tokens */
	size_t ntok, body;	/* body: the first token after the ':' */
	char *why;		/* NULL, or why it cannot be called */
};


struct binding {
	char *name;
	enum bind_kind kind;
	char *text;
	struct value *v;
	struct pyfunc *fn;	/* B_FUNCTION: its body, or NULL */
	long line, col;
};

struct scope {
	struct binding *b;
	size_t n;
	const struct scope *parent;
	const char *package;	/* the file's package, for relative imports */
	const struct defines *defs;	/* the module's: -D and define lines */
	int is_class;		/* a class body: not seen from inside its
				   functions and comprehensions */
	const struct scope *hidden;	/* the class body hidden from this
					   comprehension, for messages */
};

void scope_bind(struct scope *sc, const char *name, enum bind_kind kind,
    const char *text, struct value *v, long line, long col);
const struct binding *scope_lookup(const struct scope *sc, const char *name);
void scope_free(struct scope *sc);
void pyfunc_free(struct pyfunc *f);
/* Bind a def; f is owned by the scope from then on. */
void scope_bind_function(struct scope *sc, const char *name,
    struct pyfunc *f, long line, long col);

struct evalerr {
	char *msg;
	long line, col;
};

/* pyparse.c: run f's body in fs (its parameters bound); the value it
 * returns, or NULL with err set. */
struct value *run_body(const struct pyfunc *f, struct scope *fs,
    struct evalerr *err);

/* Evaluate raw (as parsed) in sc; NULL with err set on failure. */
struct value *eval(const struct scope *sc, const struct value *raw,
    struct evalerr *err);

/* Python's truth of an evaluated value: 1, 0, or -1 when it depends on
 * something migparse does not know. */
int truth(const struct value *v);
/* Is v made of literals only (numbers, strings, None, True, False and
 * lists, tuples, sets and dicts of them)? */
int is_literal(const struct value *v);
/* The part of an evaluated value that makes truth() -1, or NULL. */
const struct value *unknown_part(const struct value *v);
/* ": give its value with -D ..." for an unknown value, allocated. */
char *define_hint(const struct value *v);

/* A dotted name as imported, in the stream's canonical spelling. */
char *canonical_name(const char *dotted);

#endif
