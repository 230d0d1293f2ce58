/* migstate: order migrations by Django's graph and select the plan. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state/state.h"
#include "graph/graph.h"
#include "stream/stream.h"
#include "base/base.h"

static void usage(void)
{
	fprintf(stderr, "usage: migstate [-lS] [-1 [-b]] [-A FILE] [-i FILE] "
	    "[-s NAME=app.Model] [-M CLASS=TARGET] [-m MAPFILE]\n"
	    "                [-x APP] [APP [NAME | zero]]\n");
	exit(EXIT_BADINPUT);
}

struct opts {
	int list, one, back, dump;
	const char **inputs, **settings, **classmap, **externals;
	size_t ninputs, nsettings, nclassmap, nexternals;
	char **maplines;	/* lines read from map files, owned */
	size_t nmaplines;
	const char *applied_file;
	const char *app, *name;
	struct catalog *live;	/* from catalog records, or NULL */
};

static void add(const char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 2) * sizeof **v);
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

struct intake {
	struct migset *ms;
	struct opts *o;
	int bad;
};

/* catalog records (migapply -C) make the live catalog; migset_record
 * takes the rest. */
static int take(const struct record *r, void *arg)
{
	struct intake *in = arg;

	if (strcmp(r->f[0], REC_CATALOG))
		return migset_record(r, in->ms);
	if (!in->o->live)
		in->o->live = catalog_new();
	if (catalog_record(in->o->live, r) < 0)
		in->bad = 1;
	return 0;
}

static int read_file(const char *path, struct migset *ms, struct opts *o)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct intake in = { ms, o, 0 };
	int rc;

	if (!fp) {
		warnx_("%s:", path);
		return 1;
	}
	rc = stream_each(fp, strcmp(path, "-") ? path : "<stdin>", take, &in);
	if (in.bad && !rc)
		rc = EXIT_BADINPUT;
	if (fp != stdin)
		fclose(fp);
	return rc;
}

static void write_plan_list(struct graph *g)
{
	size_t n, *plan = graph_show_plan(g, &n);

	for (size_t i = 0; i < n; i++)
		printf("[%c]  %s.%s\n", g->nodes[plan[i]].applied ? 'X' : ' ',
		    g->nodes[plan[i]].app, g->nodes[plan[i]].name);
	if (n == 0)
		printf("(no migrations)\n");
	free(plan);
}

/* The targets of "migstate [APP [NAME|zero]]". */
static int targets(struct graph *g, const struct opts *o,
    struct migkey **t, size_t *nt)
{
	char *name;

	if (!o->app) {
		size_t n, *leaves = graph_leaves(g, NULL, &n);

		for (size_t i = 0; i < n; i++)
			migkey_push(t, nt, g->nodes[leaves[i]].app,
			    g->nodes[leaves[i]].name);
		free(leaves);
		return 0;
	}
	if (!graph_has_app(g, o->app)) {
		warnx_("app '%s' has no migrations in the stream", o->app);
		return -1;
	}
	if (!o->name) {
		size_t n, *leaves = graph_leaves(g, o->app, &n);

		for (size_t i = 0; i < n; i++)
			migkey_push(t, nt, o->app, g->nodes[leaves[i]].name);
		free(leaves);
		return 0;
	}
	if (!strcmp(o->name, "zero")) {
		*t = xcalloc(1, sizeof **t);
		(*t)[0].app = xstrdup(o->app);
		*nt = 1;
		return 0;
	}
	if (graph_prefix(g, o->app, o->name, &name) < 0)
		return -1;
	migkey_push(t, nt, o->app, name);
	free(name);
	if (graph_node(g, o->app, (*t)[0].name) < 0) {
		warnx_("%s.%s is replaced by a squashed migration in this plan",
		    o->app, (*t)[0].name);
		return -1;
	}
	return 0;
}

static void free_targets(struct migkey *t, size_t nt)
{
	for (size_t i = 0; i < nt; i++) {
		free(t[i].app);
		free(t[i].name);
	}
	free(t);
}

static int run(struct graph *g, const struct opts *o, const struct migset *ms)
{
	struct migkey *t = NULL;
	size_t nt = 0, n;
	struct step *plan = NULL;
	struct pstate st = { .settings = o->settings, .classmap = o->classmap };
	int rc;

	st.live = o->live;
	if (graph_conflicts(g) < 0 || targets(g, o, &t, &nt) < 0) {
		free_targets(t, nt);
		return EXIT_BADINPUT;
	}
	stream_header(stdout);
	for (size_t i = 0; i < ms->npassed; i++)
		puts(ms->passed[i]);
	if (o->one) {
		plan = xcalloc(1, sizeof *plan);
		plan[0].node = (size_t)graph_node(g, t[0].app, t[0].name);
		plan[0].backwards = o->back;
		n = 1;
	} else {
		plan = graph_plan(g, t, nt, 0, &n);
	}
	if (o->dump)
		rc = fold_dump(g, &st, plan, n, stdout);
	else
		rc = fold_write(g, &st, plan, n, o->one, stdout);
	pstate_free(&st);
	free(plan);
	free_targets(t, nt);
	return rc;
}

/* A map file, one entry a line: CLASS=TARGET, "setting NAME=app.Model"
 * or "external APP"; blank lines and # comments are skipped. */
static void read_map(const char *path, struct opts *o)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long no = 0;

	if (!fp)
		die(EXIT_BADINPUT, "%s:", path);
	while ((len = getline(&line, &cap, fp)) != -1) {
		char *p = line + strspn(line, " \t");

		no++;
		while (len > 0 && strchr("\r\n \t", line[len - 1]))
			line[--len] = '\0';
		if (!*p || *p == '#')
			continue;
		o->maplines = xrealloc(o->maplines, (o->nmaplines + 1) *
		    sizeof *o->maplines);
		o->maplines[o->nmaplines] = xstrdup(p);
		p = o->maplines[o->nmaplines++];
		if (!strncmp(p, "external ", 9))
			add(&o->externals, &o->nexternals, p + 9 + strspn(p + 9, " "));
		else if (!strncmp(p, "setting ", 8) && strchr(p, '='))
			add(&o->settings, &o->nsettings, p + 8 + strspn(p + 8, " "));
		else if (strchr(p, '=') && !strchr(p, ' '))
			add(&o->classmap, &o->nclassmap, p);
		else
			die(EXIT_BADINPUT, "%s:%ld: expected CLASS=TARGET, "
			    "setting NAME=app.Model or external APP", path, no);
	}
	free(line);
	fclose(fp);
}

static void parse_args(int argc, char *argv[], struct opts *o)
{
	int c;

	while ((c = getopt(argc, argv, "1A:bi:lM:m:Ss:x:")) != -1) {
		switch (c) {
		case '1': o->one = 1; break;
		case 'M':
			if (!strchr(optarg, '='))
				usage();
			add(&o->classmap, &o->nclassmap, optarg);
			break;
		case 'm': read_map(optarg, o); break;
		case 'S': o->dump = 1; break;
		case 'x': add(&o->externals, &o->nexternals, optarg); break;
		case 'A': o->applied_file = optarg; break;
		case 'b': o->back = 1; break;
		case 'i': add(&o->inputs, &o->ninputs, optarg); break;
		case 'l': o->list = 1; break;
		case 's':
			if (!strchr(optarg, '='))
				usage();
			add(&o->settings, &o->nsettings, optarg);
			break;
		default: usage();
		}
	}
	if (argc - optind > 2 || (o->back && !o->one) ||
	    (o->one && argc - optind != 2) || (o->list && argc > optind))
		usage();
	o->app = optind < argc ? argv[optind] : NULL;
	o->name = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (o->one && !strcmp(o->name, "zero"))
		usage();
}

int main(int argc, char *argv[])
{
	struct opts o = {0};
	struct migset ms = {0};
	struct graph g = {0};
	int status = 0;

	argv0 = "migstate";
	parse_args(argc, argv, &o);
	if (!o.ninputs)
		add(&o.inputs, &o.ninputs, "-");
	if (o.applied_file)
		status = read_file(o.applied_file, &ms, &o);
	for (size_t i = 0; i < o.ninputs && !status; i++)
		status = read_file(o.inputs[i], &ms, &o);
	if (!status)
		status = migset_check(&ms);
	if (!status && !(status = graph_build(&g, &ms, o.settings, o.externals, !o.list))) {
		if (o.list) {
			write_plan_list(&g);
		} else {
			status = run(&g, &o, &ms);
		}
	}
	if (g.ms)
		graph_free(&g);
	migset_free(&ms);
	free(o.inputs);
	free(o.settings);
	free(o.classmap);
	free(o.externals);
	catalog_free(o.live);
	for (size_t i = 0; i < o.nmaplines; i++)
		free(o.maplines[i]);
	free(o.maplines);
	if (close_stdout() && !status)
		status = 1;
	return status;
}
