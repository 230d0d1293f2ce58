/* cli.c: the options every tool takes the same way: -h/--help,
 * -V/--version, "--" ending the options (getopt's), "-" for standard
 * input, and the usage line of a bad call. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

#ifndef MIGTOOLS_VERSION
#error "MIGTOOLS_VERSION comes from the Makefile (VERSION)"
#endif

const char migtools_version[] = MIGTOOLS_VERSION;

void cli_usage(const struct cli *c)
{
	fprintf(stderr, "usage: %s\n", c->synopsis);
	exit(EXIT_BADINPUT);
}

/* The synopsis (its continuation lines indented under "usage: "), what
 * the tool does, then one line per option. */
static _Noreturn void help(const struct cli *c)
{
	printf("usage: %s\n%s\n\n", c->synopsis, c->what);
	for (const struct cli_opt *o = c->opts; o->flag; o++)
		printf("  %-22s %s\n", o->flag, o->help);
	printf("  %-22s %s\n  %-22s %s\n", "-h, --help", "print this help",
	    "-V, --version", "print the version");
	printf("\nSee %s(1).\n", c->name);
	exit(close_stdout() ? 1 : 0);
}

static _Noreturn void version(const struct cli *c)
{
	printf("%s %s\n", c->name, migtools_version);
	exit(close_stdout() ? 1 : 0);
}

/* --help and --version among the options: the arguments are walked as
 * POSIX getopt walks them (an option's argument is skipped; "--" or the
 * first operand ends them), so that "-n --help" names a migration. */
static void long_options(int argc, char *argv[], const char *optstring,
    const struct cli *c)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			return;
		if (!strcmp(a, "--help"))
			help(c);
		if (!strcmp(a, "--version"))
			version(c);
		if (a[0] != '-' || !a[1])
			return;	/* an operand */
		for (const char *p = a + 1; *p; p++) {
			const char *o = strchr(optstring, *p);

			if (o && *p != ':' && o[1] == ':') {
				if (!p[1])
					i++;	/* the next argument is its value */
				break;
			}
		}
	}
}

int cli_getopt(int argc, char *argv[], const char *optstring,
    const struct cli *c)
{
	static const struct cli *scanned;
	char all[64];
	int ch;

	if (scanned != c) {
		scanned = c;
		long_options(argc, argv, optstring, c);
	}
	if (strlen(optstring) + 3 > sizeof all)
		die(1, "cli_getopt: too many options");
	snprintf(all, sizeof all, "%shV", optstring);
	ch = getopt(argc, argv, all);
	if (ch == 'h')
		help(c);
	if (ch == 'V')
		version(c);
	if (ch == '?' || ch == ':')
		cli_usage(c);
	return ch;
}

FILE *cli_open(const char *path, const char **name)
{
	FILE *fp;

	if (!strcmp(path, "-")) {
		*name = "<stdin>";
		return stdin;
	}
	*name = path;
	if (!(fp = fopen(path, "r")))
		warnx_("%s:", path);
	return fp;
}

void cli_close(FILE *fp)
{
	if (fp && fp != stdin)
		fclose(fp);
}
