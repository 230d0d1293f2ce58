/* migstate: order migrations by Django's graph and select the plan. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state/state.h"
#include "graph/graph.h"
#include "stream/stream.h"
#include "base/base.h"

static const struct cli cli = {
	"migstate",
	"migstate [-glqS] [-1 [-b]] [-A FILE] [-i FILE] [-s NAME=VALUE] "
	"[-M 'CLASS=TARGET [ARG=VALUE] [type=SQLTYPE]']\n"
	"                [-d NAME=VALUE] [-m MAPFILE] [-x APP] "
	"[APP [NAME | zero]]",
	"Order the migrations of the stream as Django plans them and fold "
	"the state.",
	(const struct cli_opt[]){
		{ "-1", "only the migration APP NAME, as migrate runs it" },
		{ "-A FILE", "the applied set (migapply -l or -C), - for stdin" },
		{ "-b", "with -1: backwards" },
		{ "-d NAME=VALUE", "a project function or constant" },
		{ "-g", "the migration graph in Graphviz DOT (-A shades it)" },
		{ "-i FILE", "read the stream from FILE (repeatable; - stdin)" },
		{ "-l", "the plan, as showmigrations --plan prints it" },
		{ "-M CLASS=TARGET ...", "fold a project class as a built-in" },
		{ "-m MAPFILE", "-d, -M, -s and -x lines from a file" },
		{ "-q", "no progress on a terminal" },
		{ "-S", "the state after the plan, as modelstate records" },
		{ "-s NAME=VALUE", "a setting (AUTH_USER_MODEL=accounts.User)" },
		{ "-x APP", "an app installed whose migrations are not given" },
		{ NULL, NULL } },
};

struct opts {
	int list, one, back, dump, dot, quiet;
	const char **inputs, **settings, **classmap, **externals;
	size_t ninputs, nsettings, nclassmap, nexternals;
	const char **coltypes, **defaults;	/* CLASS=SQLTYPE, NAME=VALUE */
	const char **classargs;			/* CLASS=ARG=VALUE */
	size_t ncoltypes, ndefaults, nclassargs;
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
	const char *name;
	FILE *fp = cli_open(path, &name);
	struct intake in = { ms, o, 0 };
	int rc;

	if (!fp)
		return 1;
	rc = stream_each(fp, name, take, &in);
	if (in.bad && !rc)
		rc = EXIT_BADINPUT;
	cli_close(fp);
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
	struct pstate st = { .settings = o->settings, .classmap = o->classmap,
	    .coltypes = o->coltypes, .defaults = o->defaults,
	    .classargs = o->classargs };
	struct progress meter;
	int rc;

	st.live = o->live;
	if (graph_conflicts(g) < 0 || targets(g, o, &t, &nt) < 0 ||
	    !state_auto_field(&st)) {
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
	progress_start(&meter, "folding", o->quiet);
	st.progress = &meter;
	if (o->dump)
		rc = fold_dump(g, &st, plan, n, stdout);
	else
		rc = fold_write(g, &st, plan, n, o->one, stdout);
	progress_end(&meter);
	pstate_free(&st);
	free(plan);
	free_targets(t, nt);
	return rc;
}

/* Keep a string for the life of the run. */
static char *keep(struct opts *o, char *s)
{
	o->maplines = xrealloc(o->maplines, (o->nmaplines + 1) *
	    sizeof *o->maplines);
	return o->maplines[o->nmaplines++] = s;
}

/* "CLASS=TARGET [ARG=VALUE ...] [type=SQLTYPE]" (the type is the rest of
 * the text): -M's argument and a class line of a map file.  Returns 0,
 * or -1 when it is not one. */
static int class_entry(struct opts *o, const char *text)
{
	char *e = keep(o, xstrdup(text)), *eq = strchr(e, '=');
	char *p = e + strcspn(e, " \t"), *w;
	size_t n;

	if (!eq || eq == e || eq > p || eq + 1 == p)
		return -1;
	n = (size_t)(eq - e);
	if (*p)
		*p++ = '\0';
	while (*(p += strspn(p, " \t"))) {
		w = p;
		if (!strncmp(w, "type=", 5)) {
			if (!w[5])
				return -1;
			add(&o->coltypes, &o->ncoltypes, keep(o,
			    xasprintf("%.*s=%s", (int)n, e, w + 5)));
			break;
		}
		p += strcspn(p, " \t");
		if (*p)
			*p++ = '\0';
		if (!strchr(w, '=') || strchr(w, '=') == w)
			return -1;
		add(&o->classargs, &o->nclassargs, keep(o,
		    xasprintf("%.*s=%s", (int)n, e, w)));
	}
	add(&o->classmap, &o->nclassmap, e);
	return 0;
}

/* "NAME=VALUE" with a name. */
static int assignment(const char *s)
{
	return strchr(s, '=') && strchr(s, '=') != s;
}

/* A map file, one entry a line: CLASS=TARGET [ARG=VALUE ...]
 * [type=SQLTYPE],
 * "setting NAME=VALUE", "default NAME=VALUE" or "external APP"; blank
 * lines and # comments are skipped. */
static void read_map(const char *path, struct opts *o)
{
	FILE *fp = cli_open(path, &path);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long no = 0;

	if (!fp)
		exit(EXIT_BADINPUT);
	while ((len = getline(&line, &cap, fp)) != -1) {
		char *p = line + strspn(line, " \t"), *arg;
		int bad = 0;

		no++;
		while (len > 0 && strchr("\r\n \t", line[len - 1]))
			line[--len] = '\0';
		if (!*p || *p == '#')
			continue;
		arg = p + strcspn(p, " \t");
		arg += strspn(arg, " \t");
		if (!strncmp(p, "define", 6) && strchr(" \t", p[6]))
			continue;	/* migparse's (migparse(1) -m) */
		if (!strncmp(p, "external ", 9) || !strncmp(p, "external\t", 9))
			add(&o->externals, &o->nexternals, keep(o, xstrdup(arg)));
		else if (!strncmp(p, "setting", 7) && strchr(" \t", p[7]) &&
		    assignment(arg))
			add(&o->settings, &o->nsettings, keep(o, xstrdup(arg)));
		else if (!strncmp(p, "default", 7) && strchr(" \t", p[7]) &&
		    assignment(arg))
			add(&o->defaults, &o->ndefaults, keep(o, xstrdup(arg)));
		else
			bad = class_entry(o, p) < 0;
		if (bad)
			die(EXIT_BADINPUT, "%s:%ld: expected CLASS=TARGET "
			    "[ARG=VALUE ...] [type=SQLTYPE], setting NAME=VALUE, default "
			    "NAME=VALUE, external APP or define NAME=VALUE", path, no);
	}
	free(line);
	cli_close(fp);
}

static void parse_args(int argc, char *argv[], struct opts *o)
{
	int c;

	while ((c = cli_getopt(argc, argv, "1A:bd:gi:lM:m:qSs:x:", &cli)) != -1) {
		switch (c) {
		case '1': o->one = 1; break;
		case 'd':
			if (!assignment(optarg))
				cli_usage(&cli);
			add(&o->defaults, &o->ndefaults, optarg);
			break;
		case 'M':
			if (class_entry(o, optarg) < 0)
				cli_usage(&cli);
			break;
		case 'm': read_map(optarg, o); break;
		case 'S': o->dump = 1; break;
		case 'x': add(&o->externals, &o->nexternals, optarg); break;
		case 'A': o->applied_file = optarg; break;
		case 'b': o->back = 1; break;
		case 'g': o->dot = 1; break;
		case 'q': o->quiet = 1; break;
		case 'i': add(&o->inputs, &o->ninputs, optarg); break;
		case 'l': o->list = 1; break;
		case 's':
			if (!assignment(optarg))
				cli_usage(&cli);
			add(&o->settings, &o->nsettings, optarg);
			break;
		}
	}
	if (argc - optind > 2 || (o->back && !o->one) ||
	    (o->one && argc - optind != 2) ||
	    ((o->list || o->dot) && argc > optind) ||
	    (o->dot && (o->list || o->one || o->dump)))
		cli_usage(&cli);
	o->app = optind < argc ? argv[optind] : NULL;
	o->name = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (o->one && !strcmp(o->name, "zero"))
		cli_usage(&cli);
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
	if (!status && !(status = graph_build(&g, &ms, o.settings, o.externals,
	    !o.list && !o.dot))) {
		if (o.list) {
			write_plan_list(&g);
		} else if (o.dot) {
			graph_write_dot(&g, stdout);
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
	free(o.coltypes);
	free(o.classargs);
	free(o.defaults);
	free(o.externals);
	catalog_free(o.live);
	for (size_t i = 0; i < o.nmaplines; i++)
		free(o.maplines[i]);
	free(o.maplines);
	if (name_error && !status)
		status = EXIT_BADINPUT;	/* a model name it could not lower */
	if (status && !o.list)
		stream_failed(stdout, status);	/* the later stages stop */
	if (close_stdout() && !status)
		status = 1;
	return status;
}
