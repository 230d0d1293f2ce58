/* progress.c: a one-line meter on a terminal for a stage that takes
 * more than a second, redrawn in place and wiped at the end, so that
 * what stays on the screen is only what the tool says anyway. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "base.h"

#define PROGRESS_AFTER 1.0	/* seconds before the meter shows, unless
				   MIGTOOLS_PROGRESS_AFTER says otherwise */
#define PROGRESS_EVERY 0.1	/* seconds between redraws */

static struct progress *on_screen;	/* the meter drawn, if any */

static double mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The terminal's width, 80 when it does not say. */
static int columns(void)
{
	struct winsize w;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 1)
		return w.ws_col;
	return 80;
}

static const char *line(const struct progress *p, size_t done, size_t total,
    const char *app, const char *name)
{
	static char s[256];

	snprintf(s, sizeof s, "%s: %s %zu/%zu %s.%s", argv0, p->verb, done,
	    total, app, name);
	return s;
}

void progress_start(struct progress *p, const char *verb, int quiet)
{
	const char *env;

	memset(p, 0, sizeof *p);
	p->verb = verb;
	p->on = !quiet && isatty(STDERR_FILENO);
	p->t0 = p->last = mono();
	p->after = PROGRESS_AFTER;
	if ((env = getenv("MIGTOOLS_PROGRESS_AFTER")) && *env) {
		char *end;
		double d = strtod(env, &end);

		if (!*end && d >= 0)
			p->after = d;
	}
}

void progress_step(struct progress *p, size_t done, size_t total,
    const char *app, const char *name)
{
	double t;

	if (!p || !p->on)
		return;
	t = mono();
	if (t - p->t0 < p->after || (p->shown && t - p->last < PROGRESS_EVERY &&
	    done < total))
		return;
	p->last = t;
	p->shown = 1;
	on_screen = p;
	/* one line, cut to the terminal's width, or \r would not reach
	 * its start */
	fprintf(stderr, "\r%.*s\033[K", columns() - 1, line(p, done, total,
	    app, name));
	fflush(stderr);
}

void progress_end(struct progress *p)
{
	if (p && p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->shown = 0;
	}
	if (on_screen == p)
		on_screen = NULL;
}

void progress_wipe(void)
{
	if (on_screen) {
		fputs("\r\033[K", stderr);
		on_screen->shown = 0;
		on_screen->last = 0;	/* drawn again at the next step */
		on_screen = NULL;
	}
}
