#include <stdlib.h>
#include <string.h>

#include "graph.h"

static struct node *new_node(struct graph *g, long mig, const char *app,
    const char *name)
{
	struct node *n;

	g->nodes = xrealloc(g->nodes, (g->n + 1) * sizeof *g->nodes);
	n = &g->nodes[g->n++];
	memset(n, 0, sizeof *n);
	n->mig = mig;
	n->app = xstrdup(app);
	n->name = xstrdup(name);
	return n;
}

/* The node of a key, dummy or real, removed or not; -1 if none. */
static long find(const struct graph *g, const char *app, const char *name)
{
	long i = migset_find(g->ms, app, name);

	if (i >= 0)
		return i;
	for (size_t j = g->ms->n; j < g->n; j++)
		if (!strcmp(g->nodes[j].app, app) && !strcmp(g->nodes[j].name, name))
			return (long)j;
	return -1;
}

long graph_node(const struct graph *g, const char *app, const char *name)
{
	long i = find(g, app, name);

	return i >= 0 && g->nodes[i].mig >= 0 && !g->nodes[i].removed ? i : -1;
}

static int has(const size_t *v, size_t n, size_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

static void push(size_t **v, size_t *n, size_t x)
{
	if (has(*v, *n, x))
		return;
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = x;
}

static void drop(size_t *v, size_t *n, size_t x)
{
	for (size_t i = 0; i < *n; i++)
		if (v[i] == x) {
			v[i] = v[--*n];
			return;
		}
}

static void add_edge(struct graph *g, size_t child, size_t parent)
{
	push(&g->nodes[parent].children, &g->nodes[parent].nc, child);
	push(&g->nodes[child].parents, &g->nodes[child].np, parent);
}

/* A dependency's node, made a dummy when the key does not exist yet. */
static size_t key_node(struct graph *g, const char *app, const char *name)
{
	long i = find(g, app, name);

	if (i < 0) {
		new_node(g, -1, app, name);
		i = (long)g->n - 1;
	}
	return (size_t)i;
}

static int same_app_edge(const struct graph *g, const size_t *v, size_t n,
    const char *app)
{
	for (size_t i = 0; i < n; i++)
		if (!g->nodes[v[i]].removed && !strcmp(g->nodes[v[i]].app, app))
			return 1;
	return 0;
}

/* qsort has no context argument: the graph being sorted. */
static struct graph *sort_graph;

static int cmp_key(const void *a, const void *b)
{
	const struct node *x = &sort_graph->nodes[*(const size_t *)a];
	const struct node *y = &sort_graph->nodes[*(const size_t *)b];
	int c = strcmp(x->app, y->app);

	return c ? c : strcmp(x->name, y->name);
}

static void sort_nodes(struct graph *g, size_t *v, size_t n)
{
	sort_graph = g;
	if (n)
		qsort(v, n, sizeof *v, cmp_key);
}

/* Root (first) or leaf (last) nodes of app, real and in the graph. */
static size_t *ends(struct graph *g, const char *app, int leaf, size_t *n)
{
	size_t *v = NULL;

	*n = 0;
	for (size_t i = 0; i < g->n; i++) {
		struct node *x = &g->nodes[i];

		if (x->removed || x->mig < 0 || (app && strcmp(x->app, app)))
			continue;
		if (!same_app_edge(g, leaf ? x->children : x->parents,
		    leaf ? x->nc : x->np, x->app)) {
			v = xrealloc(v, (*n + 1) * sizeof *v);
			v[(*n)++] = i;
		}
	}
	sort_nodes(g, v, *n);
	return v;
}

size_t *graph_leaves(struct graph *g, const char *app, size_t *n)
{
	return ends(g, app, 1, n);
}

int graph_has_app(const struct graph *g, const char *app)
{
	for (size_t i = 0; i < g->ms->n; i++)
		if (!strcmp(g->ms->v[i].m.app, app))
			return 1;
	return 0;
}

static int build_error(const char *fmt, const char *a, const char *b,
    const char *c, const char *d)
{
	warnx_(fmt, a, b, c, d);
	return -1;
}

/* A swappable dependency names a setting; its value names the app. */
static const char *setting(const struct graph *g, const char *name)
{
	size_t n = strlen(name);

	for (const char *const *s = g->settings; s && *s; s++)
		if (!strncmp(*s, name, n) && (*s)[n] == '=')
			return *s + n + 1;
	return strcmp(name, "AUTH_USER_MODEL") ? NULL : "auth.User";
}

/* Django's check_key: __first__ and __latest__ of another app. */
static long check_key(struct graph *g, const struct migration *m,
    const char *app, const char *name, int *err)
{
	size_t n, *v, r;

	if ((strcmp(name, "__first__") && strcmp(name, "__latest__")) ||
	    graph_node(g, app, name) >= 0)
		return (long)key_node(g, app, name);
	if (!strcmp(app, m->app))
		return -1;
	if (!graph_has_app(g, app)) {
		*err = build_error("%s.%s: dependency on unknown app '%s'%s",
		    m->app, m->name, app, " (no migrations of it were given)");
		return -1;
	}
	v = ends(g, app, strcmp(name, "__first__") != 0, &n);
	if (n == 0) {
		free(v);
		warnx_("%s.%s: dependency on %s.%s, but app '%s' has no first or "
		    "last migration", m->app, m->name, app, name, app);
		*err = -1;
		return -1;
	}
	r = v[0];
	free(v);
	return (long)r;
}

static int resolve_dep(const struct graph *g, const struct migration *m,
    const struct migkey *d, char **app)
{
	const char *val;

	if (strncmp(d->app, "settings.", 9)) {
		*app = xstrdup(d->app);
		return 0;
	}
	if (!(val = setting(g, d->app + 9)))
		return build_error("%s.%s: dependency on %s: give its value "
		    "with -s %s=app.Model", m->app, m->name, d->app, d->app + 9);
	*app = xstrndup(val, strcspn(val, "."));
	return 0;
}

static int is_external(const struct graph *g, const char *app)
{
	for (const char *const *x = g->externals; x && *x; x++)
		if (!strcmp(*x, app))
			return 1;
	return 0;
}

static int add_dependencies(struct graph *g, size_t i, int external)
{
	const struct migration *m = &g->ms->v[i].m;
	int err = 0;

	for (size_t j = 0; j < m->ndeps; j++) {
		char *app;
		long p;

		if (resolve_dep(g, m, &m->deps[j], &app) < 0)
			return -1;
		if (is_external(g, app) && !graph_has_app(g, app))
			;	/* installed, its migrations not given */
		else if (!external && !strcmp(app, m->app) &&
		    strcmp(m->deps[j].name, "__first__"))
			add_edge(g, i, key_node(g, app, m->deps[j].name));
		else if (external && strcmp(app, m->app) &&
		    (p = check_key(g, m, app, m->deps[j].name, &err)) >= 0)
			add_edge(g, i, (size_t)p);
		free(app);
		if (err)
			return -1;
	}
	for (size_t j = 0; external && j < m->nrun_before; j++) {
		long c;

		if (is_external(g, m->run_before[j].app))
			continue;
		c = check_key(g, m, m->run_before[j].app,
		    m->run_before[j].name, &err);

		if (c >= 0)
			add_edge(g, (size_t)c, i);
		if (err)
			return -1;
	}
	return 0;
}

static int is_applied(const struct migset *ms, const char *app,
    const char *name)
{
	for (size_t i = 0; i < ms->napplied; i++)
		if (!strcmp(ms->applied[i].app, app) &&
		    !strcmp(ms->applied[i].name, name))
			return 1;
	return 0;
}

/* The squashed migration stands for the ones it replaces. */
static void use_replacement(struct graph *g, size_t r,
    const struct migration *m)
{
	for (size_t k = 0; k < m->nreplaces; k++) {
		long x = find(g, m->replaces[k].app, m->replaces[k].name);
		struct node *old;

		if (x < 0 || g->nodes[x].removed)
			continue;
		old = &g->nodes[x];
		old->removed = 1;
		for (size_t c = 0; c < old->nc; c++) {
			struct node *ch = &g->nodes[old->children[c]];

			drop(ch->parents, &ch->np, (size_t)x);
			if (!migkey_in(m->replaces, m->nreplaces, ch->app, ch->name))
				add_edge(g, old->children[c], r);
		}
		for (size_t p = 0; p < old->np; p++) {
			struct node *pa = &g->nodes[old->parents[p]];

			drop(pa->children, &pa->nc, (size_t)x);
			if (!migkey_in(m->replaces, m->nreplaces, pa->app, pa->name))
				add_edge(g, r, old->parents[p]);
		}
	}
}

/* The squashed migration is partly applied: the replaced ones are used,
 * and what depended on it depends on the last of them. */
static void use_replaced(struct graph *g, size_t r, const struct migration *m)
{
	struct node *sq = &g->nodes[r];
	size_t *last = NULL, nlast = 0;

	sq->removed = 1;
	for (size_t k = 0; k < m->nreplaces; k++) {
		long x = find(g, m->replaces[k].app, m->replaces[k].name);
		int is_parent = 0;

		if (x < 0 || g->nodes[x].removed)
			continue;
		for (size_t j = 0; j < m->nreplaces && !is_parent; j++) {
			long y = find(g, m->replaces[j].app, m->replaces[j].name);

			is_parent = y >= 0 && has(g->nodes[y].parents,
			    g->nodes[y].np, (size_t)x);
		}
		if (!is_parent)
			push(&last, &nlast, (size_t)x);
	}
	for (size_t c = 0; c < sq->nc; c++) {
		drop(g->nodes[sq->children[c]].parents,
		    &g->nodes[sq->children[c]].np, r);
		for (size_t k = 0; k < nlast; k++)
			add_edge(g, sq->children[c], last[k]);
	}
	for (size_t p = 0; p < sq->np; p++)
		drop(g->nodes[sq->parents[p]].children,
		    &g->nodes[sq->parents[p]].nc, r);
	free(last);
}

static void replacements(struct graph *g)
{
	for (size_t i = 0; i < g->ms->n; i++) {
		const struct migration *m = &g->ms->v[i].m;
		size_t applied = 0;

		if (!m->nreplaces)
			continue;
		for (size_t k = 0; k < m->nreplaces; k++)
			applied += is_applied(g->ms, m->replaces[k].app,
			    m->replaces[k].name);
		g->nodes[i].applied = applied == m->nreplaces;
		if (applied == 0 || applied == m->nreplaces)
			use_replacement(g, i, m);
		else
			use_replaced(g, i, m);
	}
}

static int validate(struct graph *g)
{
	int rc = 0;

	for (size_t i = g->ms->n; i < g->n; i++) {
		struct node *d = &g->nodes[i];

		if (d->removed)
			continue;
		if (d->nc) {
			sort_nodes(g, d->children, d->nc);
			warnx_("migration %s.%s depends on %s.%s, which does not "
			    "exist", g->nodes[d->children[0]].app,
			    g->nodes[d->children[0]].name, d->app, d->name);
		} else if (d->np) {
			sort_nodes(g, d->parents, d->np);
			warnx_("migration %s.%s must run before %s.%s, which does "
			    "not exist", g->nodes[d->parents[0]].app,
			    g->nodes[d->parents[0]].name, d->app, d->name);
		} else {
			continue;
		}
		rc = -1;
	}
	return rc;
}

/* A cycle, found by depth-first search with colors; 0 if none. */
static int find_cycle(struct graph *g)
{
	unsigned char *color = xcalloc(g->n, 1);
	size_t *stack = xmalloc(g->n * sizeof *stack), *at = xcalloc(g->n,
	    sizeof *at);
	int rc = 0;

	for (size_t s = 0; s < g->n && !rc; s++) {
		size_t top = 0;

		if (color[s] || g->nodes[s].removed)
			continue;
		stack[top++] = s;
		color[s] = 1;
		while (top && !rc) {
			size_t v = stack[top - 1];
			struct node *x = &g->nodes[v];

			if (at[v] == x->np) {
				color[v] = 2;
				top--;
				continue;
			}
			size_t p = x->parents[at[v]++];

			if (color[p] == 1) {
				struct buf b = {0};

				for (size_t k = top; k-- > 0;) {
					buf_printf(&b, "%s%s.%s", b.len ? " <- " : "",
					    g->nodes[stack[k]].app,
					    g->nodes[stack[k]].name);
					if (stack[k] == p)
						break;
				}
				warnx_("circular dependency: %s", b.s);
				buf_free(&b);
				rc = -1;
			} else if (!color[p]) {
				color[p] = 1;
				stack[top++] = p;
			}
		}
	}
	free(color);
	free(stack);
	free(at);
	return rc;
}

/* Django's check_consistent_history. */
static int consistent(struct graph *g)
{
	int rc = 0;

	for (size_t i = 0; i < g->n; i++) {
		struct node *x = &g->nodes[i];

		if (x->removed || !x->applied)
			continue;
		for (size_t p = 0; p < x->np; p++) {
			struct node *pa = &g->nodes[x->parents[p]];

			if (pa->applied)
				continue;
			warnx_("inconsistent history: %s.%s is applied before its "
			    "dependency %s.%s", x->app, x->name, pa->app,
			    pa->name);
			rc = -1;
		}
	}
	return rc;
}

static void rank(struct graph *g)
{
	size_t *v = xmalloc(g->n * sizeof *v);

	for (size_t i = 0; i < g->n; i++)
		v[i] = i;
	sort_nodes(g, v, g->n);
	for (size_t i = 0; i < g->n; i++)
		g->nodes[v[i]].rank = i;
	free(v);
}

int graph_build(struct graph *g, struct migset *ms,
    const char *const *settings, const char *const *externals,
    int check_history)
{
	memset(g, 0, sizeof *g);
	g->ms = ms;
	g->settings = settings;
	g->externals = externals;
	for (size_t i = 0; i < ms->n; i++) {
		new_node(g, (long)i, ms->v[i].m.app, ms->v[i].m.name);
		g->nodes[i].applied = is_applied(ms, ms->v[i].m.app,
		    ms->v[i].m.name);
	}
	for (size_t i = 0; i < ms->n; i++)
		if (add_dependencies(g, i, 0) < 0)
			return EXIT_BADINPUT;
	for (size_t i = 0; i < ms->n; i++)
		if (add_dependencies(g, i, 1) < 0)
			return EXIT_BADINPUT;
	replacements(g);
	if (validate(g) < 0 || find_cycle(g) < 0 ||
	    (check_history && consistent(g) < 0))
		return EXIT_BADINPUT;
	rank(g);
	return 0;
}

void graph_free(struct graph *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->nodes[i].app);
		free(g->nodes[i].name);
		free(g->nodes[i].parents);
		free(g->nodes[i].children);
	}
	free(g->nodes);
	memset(g, 0, sizeof *g);
}

int graph_conflicts(struct graph *g)
{
	size_t n, *leaves = graph_leaves(g, NULL, &n);
	int rc = 0;

	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		struct buf names = {0};

		while (j < n && !strcmp(g->nodes[leaves[j]].app,
		    g->nodes[leaves[i]].app))
			j++;
		if (j - i > 1) {
			for (size_t k = i; k < j; k++)
				buf_printf(&names, "%s%s", k > i ? ", " : "",
				    g->nodes[leaves[k]].name);
			warnx_("conflicting migrations in app '%s': %s (several "
			    "leaf nodes; merge them with makemigrations --merge)",
			    g->nodes[leaves[i]].app, names.s);
			buf_free(&names);
			rc = -1;
		}
		i = j;
	}
	free(leaves);
	return rc;
}

/* --- plans ------------------------------------------------------------- */

static int by_rank(const void *a, const void *b)
{
	size_t x = sort_graph->nodes[*(const size_t *)a].rank;
	size_t y = sort_graph->nodes[*(const size_t *)b].rank;

	return x < y ? -1 : x > y;
}

/* Django's iterative_dfs: post-order, parents (or children) visited from
 * the greatest key down. */
static size_t *dfs(struct graph *g, size_t start, int forwards, size_t *n)
{
	size_t cap = 64, top = 0, *out = NULL;
	struct { size_t node; int done; } *stack = xmalloc(cap * sizeof *stack);

	*n = 0;
	g->gen++;
	stack[top].node = start;
	stack[top++].done = 0;
	while (top) {
		size_t v = stack[--top].node, k;
		struct node *x = &g->nodes[v];
		size_t *next = forwards ? x->parents : x->children;
		size_t nn = forwards ? x->np : x->nc;

		if (x->mark == g->gen)
			continue;
		if (stack[top].done) {
			x->mark = g->gen;
			out = xrealloc(out, (*n + 1) * sizeof *out);
			out[(*n)++] = v;
			continue;
		}
		if (top + nn + 1 > cap) {
			cap = (top + nn + 1) * 2;
			stack = xrealloc(stack, cap * sizeof *stack);
		}
		stack[top].node = v;
		stack[top++].done = 1;
		sort_graph = g;
		if (nn)
			qsort(next, nn, sizeof *next, by_rank);
		for (k = 0; k < nn; k++) {
			stack[top].node = next[k];
			stack[top++].done = 0;
		}
	}
	free(stack);
	return out;
}

static void add_step(struct step **plan, size_t *n, size_t node, int back)
{
	*plan = xrealloc(*plan, (*n + 1) * sizeof **plan);
	(*plan)[*n].node = node;
	(*plan)[(*n)++].backwards = back;
}

/* Unapply everything applied that the walk back from start reaches. */
static void back_from(struct graph *g, size_t start, unsigned char *applied,
    struct step **plan, size_t *n)
{
	size_t nb, *b = dfs(g, start, 0, &nb);

	for (size_t k = 0; k < nb; k++)
		if (applied[b[k]]) {
			add_step(plan, n, b[k], 1);
			applied[b[k]] = 0;
		}
	free(b);
}

static void plan_target(struct graph *g, const struct migkey *t,
    unsigned char *applied, struct step **plan, size_t *n)
{
	long x = t->name ? graph_node(g, t->app, t->name) : -1;

	if (!t->name) {
		size_t nr, *roots = ends(g, NULL, 0, &nr);

		for (size_t r = 0; r < nr; r++)
			if (!strcmp(g->nodes[roots[r]].app, t->app))
				back_from(g, roots[r], applied, plan, n);
		free(roots);
	} else if (applied[x]) {
		struct node *tn = &g->nodes[x];
		size_t *kids = xmalloc((tn->nc + 1) * sizeof *kids), nk = 0;

		for (size_t c = 0; c < tn->nc; c++)
			if (!strcmp(g->nodes[tn->children[c]].app, t->app))
				kids[nk++] = tn->children[c];
		sort_nodes(g, kids, nk);
		for (size_t c = 0; c < nk; c++)
			back_from(g, kids[c], applied, plan, n);
		free(kids);
	} else {
		size_t nf, *f = dfs(g, (size_t)x, 1, &nf);

		for (size_t k = 0; k < nf; k++)
			if (!applied[f[k]]) {
				add_step(plan, n, f[k], 0);
				applied[f[k]] = 1;
			}
		free(f);
	}
}

struct step *graph_plan(struct graph *g, const struct migkey *targets,
    size_t ntargets, int full, size_t *n)
{
	unsigned char *applied = xcalloc(g->n, 1);
	struct step *plan = NULL;

	*n = 0;
	for (size_t i = 0; i < g->n && !full; i++)
		applied[i] = g->nodes[i].applied && !g->nodes[i].removed;
	for (size_t t = 0; t < ntargets; t++)
		plan_target(g, &targets[t], applied, &plan, n);
	free(applied);
	return plan;
}

size_t *graph_show_plan(struct graph *g, size_t *n)
{
	size_t nl, *leaves = ends(g, NULL, 1, &nl), *plan = NULL;
	unsigned char *seen = xcalloc(g->n, 1);

	*n = 0;
	for (size_t l = 0; l < nl; l++) {
		size_t nf, *f = dfs(g, leaves[l], 1, &nf);

		for (size_t k = 0; k < nf; k++)
			if (!seen[f[k]]) {
				seen[f[k]] = 1;
				plan = xrealloc(plan, (*n + 1) * sizeof *plan);
				plan[(*n)++] = f[k];
			}
		free(f);
	}
	free(leaves);
	free(seen);
	return plan;
}

int graph_prefix(const struct graph *g, const char *app, const char *prefix,
    char **out)
{
	struct buf names = {0};
	const struct migration *hit = NULL;
	size_t n = 0, len = strlen(prefix);

	for (size_t i = 0; i < g->ms->n; i++) {
		const struct migration *m = &g->ms->v[i].m;

		if (strcmp(m->app, app) || strncmp(m->name, prefix, len))
			continue;
		buf_printf(&names, "%s%s", n ? ", " : "", m->name);
		hit = m;
		n++;
	}
	if (n == 1) {
		/* a partly applied squashed migration: its last replaced one */
		if (graph_node(g, hit->app, hit->name) < 0 && hit->nreplaces)
			*out = xstrdup(hit->replaces[hit->nreplaces - 1].name);
		else
			*out = xstrdup(hit->name);
	} else if (n == 0) {
		warnx_("no migration of app '%s' matches '%s'", app, prefix);
	} else {
		warnx_("more than one migration of app '%s' matches '%s': %s",
		    app, prefix, names.s);
	}
	buf_free(&names);
	return n == 1 ? 0 : -1;
}
