#!/usr/bin/env bats
# migsql -Z: Django's statements on tables that already exist, rewritten
# into their zero-downtime form (migsql(1)), on tests/fixtures/zdt: a shop
# whose tables hold rows when each later migration runs.
#
#   - the forms: CONCURRENTLY, NOT VALID then VALIDATE, unique and
#     primary key constraints through an index built concurrently, SET
#     NOT NULL proved by a validated CHECK, an inline foreign key split;
#   - a rewritten migration becomes non-atomic, one with nothing to
#     rewrite (a new table) stays atomic; RunSQL is never rewritten;
#   - -Z -W: the warnings the rewrite answers are gone;
#   - against a real PostgreSQL: the plan applied by migapply with -Z and
#     without leaves the same schema and the same django_migrations, and
#     so does unapplying it back to zero.

bats_require_minimum_version 1.5.0
load helper
load pg

export LC_ALL=C
Z=tests/fixtures/zdt/shop/migrations

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

setup() {
	migtools_setup
	tools_path
	need_tool migparse
	need_tool migstate
	need_tool migsql
}

# plan NAME [OPTION...]: migsql OPTION... of shop NAME as migstate -1
# plans it, into $output (run).
plan() {
	local name=$1

	shift
	migparse "$Z"/*.py | migstate -1 shop "$name" >"$T/plan"
	run --separate-stderr migsql "$@" "$T/plan"
	[ "$status" -eq 0 ]
}

@test "-Z: indexes on existing tables are built and dropped CONCURRENTLY; the migration becomes non-atomic" {
	plan 0002_indexes -p -Z
	[[ $output != *BEGIN* ]]
	[[ $output == *'CREATE INDEX CONCURRENTLY "shop_product_title_idx" ON "shop_product" ("title");'* ]]
	[[ $output == *'CREATE INDEX CONCURRENTLY "shop_customer_name_e6c6b028_like" ON "shop_customer" ("name" varchar_pattern_ops);'* ]]
	[[ $output == *'DROP INDEX CONCURRENTLY IF EXISTS "shop_order_qn_idx";'* ]]
	[[ $output != *'CREATE INDEX "'* ]]
	plan 0002_indexes -Z
	printf '%s\n' "$output" | grep -q $'^migration\tshop\t0002_indexes\t0\t'
	printf '%s\n' "$output" | grep -q $'^sql\tshop\t0002_indexes\t1\tnotx\tCREATE INDEX CONCURRENTLY "shop_product_title_idx"'
	plan 0002_indexes
	printf '%s\n' "$output" | grep -q $'^migration\tshop\t0002_indexes\t1\t'
}

@test "-Z: CHECK NOT VALID then VALIDATE; uniques through CREATE UNIQUE INDEX CONCURRENTLY and USING INDEX, deferrable and nulls not distinct kept" {
	plan 0003_constraints -p -Z
	[[ $output == *'ALTER TABLE "shop_order" ADD CONSTRAINT "order_quantity_positive" CHECK ("quantity" > 0) NOT VALID;
ALTER TABLE "shop_order" VALIDATE CONSTRAINT "order_quantity_positive";'* ]]
	[[ $output == *'CREATE UNIQUE INDEX CONCURRENTLY "product_sku_unique" ON "shop_product" ("sku");
ALTER TABLE "shop_product" ADD CONSTRAINT "product_sku_unique" UNIQUE USING INDEX "product_sku_unique" DEFERRABLE INITIALLY DEFERRED;'* ]]
	[[ $output == *'CREATE UNIQUE INDEX CONCURRENTLY "product_code_unique" ON "shop_product" ("code") NULLS NOT DISTINCT;
ALTER TABLE "shop_product" ADD CONSTRAINT "product_code_unique" UNIQUE USING INDEX "product_code_unique";'* ]]
	[[ $output == *'ADD CONSTRAINT "shop_order_product_id_quantity_77abe01d_uniq" UNIQUE USING INDEX "shop_order_product_id_quantity_77abe01d_uniq";'* ]]
}

@test "-Z: SET NOT NULL after a validated CHECK, dropped after; an inline foreign key added NOT VALID and validated" {
	plan 0004_fields -p -Z
	[[ $output == *'ALTER TABLE "shop_customer" ADD CONSTRAINT "shop_customer_email_notnull" CHECK ("email" IS NOT NULL) NOT VALID;
ALTER TABLE "shop_customer" VALIDATE CONSTRAINT "shop_customer_email_notnull";
ALTER TABLE "shop_customer" ALTER COLUMN "email" SET NOT NULL;
ALTER TABLE "shop_customer" DROP CONSTRAINT "shop_customer_email_notnull";'* ]]
	[[ $output == *'ALTER TABLE "shop_order" ADD COLUMN "customer_id" bigint NULL;
ALTER TABLE "shop_order" ADD CONSTRAINT "shop_order_customer_id_f638df20_fk_shop_customer_id" FOREIGN KEY ("customer_id") REFERENCES "shop_customer"("id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
ALTER TABLE "shop_order" VALIDATE CONSTRAINT "shop_order_customer_id_f638df20_fk_shop_customer_id";'* ]]
}

@test "-Z: constraints written inline in ADD COLUMN (UNIQUE, CHECK, REFERENCES) made apart under PostgreSQL's names; VALIDATE after AddConstraintNotValid in one migration makes it non-atomic" {
	plan 0006_inline -p -Z
	[[ $output != *BEGIN* ]]
	[[ $output == *'ALTER TABLE "shop_order" ADD COLUMN "invoice_of_id" bigint NULL;
CREATE UNIQUE INDEX CONCURRENTLY "shop_order_invoice_of_id_key" ON "shop_order" ("invoice_of_id");
ALTER TABLE "shop_order" ADD CONSTRAINT "shop_order_invoice_of_id_key" UNIQUE USING INDEX "shop_order_invoice_of_id_key";'* ]]
	[[ $output == *'ALTER TABLE "shop_product" ADD COLUMN "stock" integer DEFAULT 0 NOT NULL;
ALTER TABLE "shop_product" ADD CONSTRAINT "shop_product_stock_check" CHECK ("stock" >= 0) NOT VALID;
ALTER TABLE "shop_product" VALIDATE CONSTRAINT "shop_product_stock_check";'* ]]
	plan 0006_inline -p -W
	[[ $stderr == *": constraint-validating: VALIDATE CONSTRAINT in the transaction that added it NOT VALID"* ]]
	plan 0006_inline -p -Z -W
	# what -Z does not change: the default Django drops (required-column)
	[ "$(grep -c ': warning: ' <<<"$stderr")" -eq 1 ]
	[[ $stderr == *": warning: required-column: "* ]]
}

@test "-Z: a new table's statements and RunSQL stay as Django wrote them, atomic" {
	plan 0005_tag -p -Z
	local z=$output
	plan 0005_tag -p
	[ "$z" = "$output" ]
	[[ $output == BEGIN* ]]
	plan 0001_initial -p -Z
	z=$output
	plan 0001_initial -p
	[ "$z" = "$output" ]
}

@test "-Z -W: the warnings the rewrite answers are gone; -W alone has them" {
	for name in 0002_indexes 0003_constraints 0004_fields; do
		plan "$name" -p -W
		[[ $stderr == *"warning: "* ]]
		plan "$name" -p -Z -W
		[[ $stderr != *": index-not-concurrent: "* ]]
		[[ $stderr != *": constraint-validating: "* ]]
		[[ $stderr != *": fk-validating: "* ]]
		[[ $stderr != *": unique-in-place: "* ]]
		[[ $stderr != *": set-not-null: "* ]]
	done
}

# apply OPTION...: the whole plan forwards through migsql OPTION... into
# a new database; then back to zero.  Leaves the schema and history of
# each step in $T/PREFIX.{fwd,back}.{schema,history}.
apply() {
	local prefix=$1

	shift
	pg_newdb
	migparse "$Z"/*.py | migstate | migsql "$@" | migapply -q "$DB"
	schema >"$T/$prefix.fwd.schema"
	q "SELECT app || '.' || name FROM django_migrations ORDER BY id" \
		>"$T/$prefix.fwd.history"
	[ "$(q "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" = 0 ]
	[ "$(q "SELECT count(*) FROM pg_constraint WHERE NOT convalidated")" = 0 ]
	migapply -l "$DB" >"$T/applied"
	migparse "$Z"/*.py | migstate -A "$T/applied" shop zero |
		migsql "$@" | migapply -q "$DB"
	schema >"$T/$prefix.back.schema"
	q "SELECT count(*) FROM django_migrations" >"$T/$prefix.back.history"
}

@test "-Z against PostgreSQL: the same schema and history as Django's SQL, forwards and back to zero" {
	need_pg
	apply plain
	apply zdt -Z
	[ -s "$T/plain.fwd.schema" ]
	grep -q 'shop_order_customer_id_f638df20_fk_shop_customer_id' "$T/plain.fwd.schema"
	grep -q 'shop_order_invoice_of_id_key' "$T/plain.fwd.schema"
	grep -q 'shop_product_stock_check' "$T/plain.fwd.schema"
	diff -u "$T/plain.fwd.schema" "$T/zdt.fwd.schema"
	diff -u "$T/plain.fwd.history" "$T/zdt.fwd.history"
	[ "$(wc -l <"$T/zdt.fwd.history")" -eq 6 ]
	diff -u "$T/plain.back.schema" "$T/zdt.back.schema"
	[ "$(cat "$T/zdt.back.history")" = 0 ]
}
