/* fuzz target: a whole tool (TOOL_MAIN: migstate's, migsql's main,
 * compiled with -Dmain=TOOL_MAIN) reading the input as its standard
 * input: the stream reader, the tool's records and, for migsql, the
 * renderer.  Its output goes to /dev/null.  Built by `make fuzz` only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/base.h"

int TOOL_MAIN(int argc, char *argv[]);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char name[] = "fuzz-tool", *argv[] = { name, NULL };
	static FILE *quiet;
	FILE *in = fmemopen((void *)data, size, "r");

	if (!in)
		return 0;
	if (size == 0) {
		fclose(in);
		return 0;
	}
	stdin = in;
	stdout = fopen("/dev/null", "w");	/* the tool closes it */
	if (!quiet)
		quiet = fopen("/dev/null", "w");
	stderr = quiet;
	optind = 1;
	name_error = 0;
	TOOL_MAIN(1, argv);
	fclose(in);
	return 0;
}
