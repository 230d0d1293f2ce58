/* fuzz target: migapply's stream reader (applyplan_read), everything
 * migapply does before it connects.  Built by `make fuzz` only. */
#include <stdint.h>
#include <stdio.h>

#include "pg/pg.h"
#include "base/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct applyplan p = {0};
	FILE *in = size ? fmemopen((void *)data, size, "r") : NULL;

	if (!in)
		return 0;
	argv0 = "fuzz-applyplan";
	applyplan_read(in, "<fuzz>", &p);
	applyplan_free(&p);
	fclose(in);
	return 0;
}
