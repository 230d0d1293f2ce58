/* rules.c: the zero-downtime rules by name, as migtools_allow, allow
 * records and warning records name them (lib/sql/lint.c applies them). */
#include <string.h>

#include "stream.h"

const struct lint_rule lint_rules[] = {
	{ "index-not-concurrent",
	  "SHARE lock for the whole index build (writes wait); DROP INDEX takes "
	  "ACCESS EXCLUSIVE",
	  "AddIndexConcurrently or RemoveIndexConcurrently in a migration with "
	  "atomic = False (for a field's db_index, inside "
	  "SeparateDatabaseAndState)" },
	{ "constraint-validating",
	  "ACCESS EXCLUSIVE lock while every row is checked",
	  "AddConstraintNotValid, then ValidateConstraint in a later migration "
	  "(SHARE UPDATE EXCLUSIVE: writes go on)" },
	{ "fk-validating",
	  "SHARE ROW EXCLUSIVE lock on both tables while every row is checked",
	  "add the foreign key NOT VALID and VALIDATE CONSTRAINT it in a later "
	  "migration" },
	{ "unique-in-place",
	  "ACCESS EXCLUSIVE lock while the unique index is built",
	  "CREATE UNIQUE INDEX CONCURRENTLY (atomic = False), then ALTER TABLE "
	  "... ADD CONSTRAINT ... UNIQUE USING INDEX" },
	{ "type-rewrite",
	  "ACCESS EXCLUSIVE lock while the whole table is rewritten",
	  "add a column of the new type, backfill it in batches, move the code "
	  "to it, then drop the old column" },
	{ "set-not-null",
	  "ACCESS EXCLUSIVE lock while every row is scanned",
	  "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT "
	  "NULL (PostgreSQL skips the scan) and drop the check" },
	{ "volatile-default",
	  "a volatile DEFAULT rewrites the table under ACCESS EXCLUSIVE; a "
	  "default Django computes gives every existing row that one value",
	  "add the column NULL without a default, backfill it in batches, then "
	  "set the default and NOT NULL" },
	{ "rename",
	  "running code that uses the old name fails as soon as this commits",
	  "keep the database name (db_table, db_column) or add the new name "
	  "beside the old one, deploy, then drop the old" },
	{ "concurrent-in-atomic",
	  "PostgreSQL refuses CONCURRENTLY inside a transaction block: the "
	  "migration fails",
	  "atomic = False on the migration" },
	{ NULL, NULL, NULL }
};

const struct lint_rule *lint_rule(const char *name)
{
	for (const struct lint_rule *r = lint_rules; r->name; r++)
		if (!strcmp(r->name, name))
			return r;
	return NULL;
}
