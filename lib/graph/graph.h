/* graph.h: the migrations of a stream gathered, and their graph and
 * plans, as Django's loader, graph and executor make them. */
#ifndef MIG_GRAPH_H
#define MIG_GRAPH_H

#include "stream/stream.h"

/* migset.h: the migrations of a stream, gathered for migstate.
 *
 * Records are self-contained, so they may come in any order: a dependency
 * or operation record attaches to its migration by app label and name.
 */

struct mig {
	struct migration m;
	int seen;		/* its migration record was read */
	const char *src;	/* where it was first named */
	long line;
};

struct migset {
	struct mig *v;
	size_t n, cap;
	size_t *slots;		/* hash of "app\tname" -> index + 1 */
	size_t nslots;
	struct migkey *applied;
	size_t napplied;
	char **passed;		/* records of kinds migstate does not use */
	size_t npassed;
	int bad;		/* an error was reported */
};

/* The record callback for stream_each(). */
int migset_record(const struct record *r, void *arg);
/* After reading: every migration named must have its migration record
 * and every operation index must be there.  Returns 0 or EXIT_BADINPUT. */
int migset_check(struct migset *s);
/* Index of app.name, or -1. */
long migset_find(const struct migset *s, const char *app, const char *name);
void migset_free(struct migset *s);

/* graph.h: the migration graph and plans, as Django's loader and
 * executor build them. */

struct node {
	long mig;		/* index in the migset, or -1 for a key that
				   only a dependency names */
	char *app, *name;
	size_t *parents, *children;
	size_t np, nc;
	int removed;		/* replaced, or an unused squashed migration */
	int applied;
	size_t rank;		/* position in (app, name) order */
	unsigned mark;
};

struct graph {
	struct migset *ms;
	struct node *nodes;
	size_t n;
	unsigned gen;		/* for visited marks */
	const char *const *settings;	/* NAME=app.Model, NULL-terminated */
	const char *const *externals;	/* apps installed but not given */
};

struct step {
	size_t node;
	int backwards;
};

/* Build the graph from the migrations and the applied set; 0, or
 * EXIT_BADINPUT after reporting.  Dependencies on an external app (one
 * that is installed but whose migrations are not in the stream) are
 * taken as satisfied. */
int graph_build(struct graph *g, struct migset *ms,
    const char *const *settings, const char *const *externals,
    int check_history);
void graph_free(struct graph *g);

/* The node of a migration in the graph (not removed), or -1. */
long graph_node(const struct graph *g, const char *app, const char *name);
/* Leaf nodes of app (NULL: all apps), in key order; *n receives the count. */
size_t *graph_leaves(struct graph *g, const char *app, size_t *n);

/* Two or more leaf migrations in one app, as migrate refuses them:
 * reports each such app and returns -1, else 0. */
int graph_conflicts(struct graph *g);

/* Django's migration_plan(targets): target name NULL means "zero".
 * full: plan as if nothing were applied. */
struct step *graph_plan(struct graph *g, const struct migkey *targets,
    size_t ntargets, int full, size_t *n);
/* The plan showmigrations --plan prints: every node, forwards. */
size_t *graph_show_plan(struct graph *g, size_t *n);

/* Resolve NAME as a unique prefix of a migration of app, as migrate does:
 * 0 and *out set, or -1 after reporting the candidates. */
int graph_prefix(const struct graph *g, const char *app, const char *prefix,
    char **out);
int graph_has_app(const struct graph *g, const char *app);

/* dot.c: the graph in Graphviz DOT: one cluster per app, a node per
 * migration (squashed ones doubled, what the plan does not use dashed,
 * applied ones shaded), dependency -> dependent edges, and dotted
 * "replaces" edges from a squashed migration to what it replaces. */
void graph_write_dot(const struct graph *g, FILE *fp);

#endif
