/* dot.c: the migration graph in Graphviz's DOT language (migstate -g). */
#include <stdlib.h>
#include <string.h>

#include "graph.h"

static const struct graph *dot_graph;

static int by_rank(const void *a, const void *b)
{
	size_t x = dot_graph->nodes[*(const size_t *)a].rank;
	size_t y = dot_graph->nodes[*(const size_t *)b].rank;

	return (x > y) - (x < y);
}

/* The text of a DOT string, its quotes and backslashes escaped. */
static void escaped(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
}

static void quoted(FILE *fp, const char *s)
{
	fputc('"', fp);
	escaped(fp, s);
	fputc('"', fp);
}

static void node_id(FILE *fp, const struct node *x)
{
	char *id = xasprintf("%s.%s", x->app, x->name);

	quoted(fp, id);
	free(id);
}

/* Whether the node is drawn: a migration of the stream, or a key that an
 * edge still names. */
static int drawn(const struct node *x)
{
	return x->mig >= 0 || (!x->removed && (x->np || x->nc));
}

/* One node: squashed migrations doubled and labelled with how many they
 * replace, what the plan does not use (replaced, or a squashed migration
 * partly applied) dashed, applied ones shaded. */
static void write_node(const struct graph *g, const struct node *x, FILE *fp)
{
	const struct migration *m = x->mig >= 0 ? &g->ms->v[x->mig].m : NULL;

	fputs("\t\t", fp);
	node_id(fp, x);
	fputs(" [label=\"", fp);
	escaped(fp, x->name);
	if (!m)
		fputs("\\n(not in the stream)", fp);
	else if (m->nreplaces)
		fprintf(fp, "\\nsquashes %zu", m->nreplaces);
	fputc('"', fp);
	if (m && m->nreplaces)
		fputs(", peripheries=2", fp);
	fprintf(fp, ", style=\"%s%s\"", x->removed || !m ? "dashed" : "solid",
	    x->applied ? ",filled" : "");
	if (x->applied)
		fputs(", fillcolor=gray85", fp);
	fputs("];\n", fp);
}

/* The apps as clusters, each with its nodes in key order. */
static void write_clusters(const struct graph *g, const size_t *v, size_t n,
    FILE *fp)
{
	for (size_t i = 0; i < n; i++) {
		const struct node *x = &g->nodes[v[i]];

		if (i == 0 || strcmp(x->app, g->nodes[v[i - 1]].app)) {
			char *id = xasprintf("cluster_%s", x->app);

			if (i)
				fputs("\t}\n", fp);
			fputs("\tsubgraph ", fp);
			quoted(fp, id);
			fputs(" {\n\t\tlabel=", fp);
			quoted(fp, x->app);
			fputs(";\n", fp);
			free(id);
		}
		write_node(g, x, fp);
	}
	if (n)
		fputs("\t}\n", fp);
}

/* Dependencies (dependency -> dependent) of what the plan uses; then a
 * dotted "replaces" edge from each squashed migration to what it
 * replaces. */
static void write_edges(const struct graph *g, const size_t *v, size_t n,
    FILE *fp)
{
	for (size_t i = 0; i < n; i++) {
		const struct node *x = &g->nodes[v[i]];
		size_t *p = xmalloc((x->np + 1) * sizeof *p);

		if (x->np) {
			memcpy(p, x->parents, x->np * sizeof *p);
			qsort(p, x->np, sizeof *p, by_rank);
		}
		for (size_t k = 0; k < x->np && !x->removed; k++) {
			fputc('\t', fp);
			node_id(fp, &g->nodes[p[k]]);
			fputs(" -> ", fp);
			node_id(fp, x);
			fputs(";\n", fp);
		}
		free(p);
	}
	for (size_t i = 0; i < n; i++) {
		const struct node *x = &g->nodes[v[i]];
		const struct migration *m = x->mig >= 0 ?
		    &g->ms->v[x->mig].m : NULL;

		for (size_t k = 0; m && k < m->nreplaces; k++) {
			char *id = xasprintf("%s.%s", m->replaces[k].app,
			    m->replaces[k].name);

			fputc('\t', fp);
			node_id(fp, x);
			fputs(" -> ", fp);
			quoted(fp, id);
			fputs(" [style=dotted, arrowhead=empty, "
			    "label=\"replaces\"];\n", fp);
			free(id);
		}
	}
}

void graph_write_dot(const struct graph *g, FILE *fp)
{
	size_t *v = xmalloc((g->n + 1) * sizeof *v), n = 0;

	for (size_t i = 0; i < g->n; i++)
		if (drawn(&g->nodes[i]))
			v[n++] = i;
	dot_graph = g;
	qsort(v, n, sizeof *v, by_rank);
	fputs("digraph migrations {\n\tnode [shape=box];\n", fp);
	write_clusters(g, v, n, fp);
	write_edges(g, v, n, fp);
	fputs("}\n", fp);
	free(v);
}
