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
	{ "drop-column",
	  "ACCESS EXCLUSIVE lock, short; the running code, whose queries name "
	  "every column of its models, fails on the column as soon as this "
	  "commits",
	  "deploy code without the field first: RemoveField in "
	  "SeparateDatabaseAndState's state_operations, the column dropped by "
	  "a later migration" },
	{ "drop-table",
	  "ACCESS EXCLUSIVE lock, short; the running code that still uses the "
	  "model fails as soon as this commits",
	  "deploy code without the model first: DeleteModel in "
	  "SeparateDatabaseAndState's state_operations, the table dropped by a "
	  "later migration" },
	{ "required-column",
	  "the running code's INSERTs, which do not name the new column, fail "
	  "once the column is NOT NULL without a database default",
	  "give the field a db_default (the database keeps it), or add it "
	  "null=True, deploy, backfill, then make it NOT NULL" },
	{ "transaction-control",
	  "ends or nests the migration's transaction: what follows runs "
	  "outside it, and a failure leaves the migration half-applied",
	  "leave transactions to the migration: atomic = False and one "
	  "statement per step, or split the migration" },
	{ "identifier-too-long",
	  "PostgreSQL cuts names to 63 bytes: the object gets another name "
	  "than Django's state has, and later operations on it fail or hit "
	  "another object",
	  "a name of at most 63 bytes (db_table, db_column, the index's or "
	  "constraint's name)" },
	{ NULL, NULL, NULL }
};

const struct lint_rule *lint_rule(const char *name)
{
	for (const struct lint_rule *r = lint_rules; r->name; r++)
		if (!strcmp(r->name, name))
			return r;
	return NULL;
}
