/* sqlliteral_t: a test helper, not installed.  Runs lib/sql/sqlliteral.c on
 * the lines of standard input and prints one line for each:
 *
 *   FIELD<TAB>VALUE    sql_literal(VALUE, FIELD); FIELD "-" for none
 *   FIELD              sql_effective_default(FIELD)
 *
 * in the stream's value syntax.  It prints the literal, "volatile: " and
 * the literal for a volatile default, "(none)" when there is no literal,
 * or "error: " and the message (a line that does not parse too).  -n US fixes the volatile values
 * (sql_volatile_fix). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sql/sqlint.h"
#include "base/base.h"
#include "stream/stream.h"

static struct value *parse(const char *s, long lineno)
{
	char *err;
	long col;
	struct value *v = value_parse(s, &err, &col);

	if (!v) {
		warn_at("<stdin>", lineno, col, "%s", err);
		printf("error: %s\n", err);
		free(err);
	}
	return v;
}

static int run(char *line, long lineno)
{
	char *tab = strchr(line, '\t'), *sql, *err = NULL;
	struct value *field = NULL, *v = NULL;
	int vol = 0;

	if (tab)
		*tab = '\0';
	if (strcmp(line, "-") != 0 && !(field = parse(line, lineno)))
		return 1;
	if (tab && !(v = parse(tab + 1, lineno))) {
		value_free(field);
		return 1;
	}
	sql = v ? sql_literal(v, field, &err) :
	    sql_effective_default(field, &vol, &err);
	if (err)
		printf("error: %s\n", err);
	else if (!sql)
		printf("(none)\n");
	else
		printf("%s%s\n", vol ? "volatile: " : "", sql);
	free(sql);
	free(err);
	value_free(field);
	value_free(v);
	return 0;
}

int main(int argc, char **argv)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int opt, rc = 0;

	argv0 = "sqlliteral_t";
	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n')
			die(EXIT_BADINPUT, "usage: sqlliteral_t [-n US]");
		sql_volatile_fix(1, strtoll(optarg, NULL, 10));
	}
	while ((n = getline(&line, &cap, stdin)) > 0) {
		lineno++;
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0)
			continue;
		rc |= run(line, lineno);
	}
	free(line);
	return close_stdout() || rc ? 1 : 0;
}
