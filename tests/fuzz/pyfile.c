/* fuzz target: the Python reader (migparse's parse_migration) on a
 * migration file's text.  Built by `make fuzz` only (libFuzzer). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "python/python.h"
#include "stream/stream.h"
#include "base/base.h"

static FILE *devnull(void)
{
	static FILE *fp;

	if (!fp)
		fp = fopen("/dev/null", "w");
	return fp;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct migration m = {0};
	struct pyerr err = {0};
	char *src = xmalloc(size + 1);

	argv0 = "fuzz-pyfile";
	memcpy(src, data, size);
	src[size] = '\0';
	m.app = xstrdup("app");
	m.name = xstrdup("0001_initial");
	m.file = xstrdup("app/migrations/0001_initial.py");
	if (parse_migration(src, size, &m, NULL, &err) == 0)
		migration_write(devnull(), &m);
	free(err.msg);
	migration_free(&m);
	free(src);
	return 0;
}
