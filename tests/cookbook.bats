#!/usr/bin/env bats
# The cookbook (migtools(7), examples/cookbook/): each recipe run as a
# user runs it, against a PostgreSQL server this file starts
# (tests/pg.bash), on a copy of examples/shop.

bats_require_minimum_version 1.5.0

load helper
load pg

BOOK=$BATS_TEST_DIRNAME/../examples/cookbook

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

# A copy of the shop project in $T/shop, with an __init__.py per app as
# a Django project has.
shop() {
	cp -R examples/shop "$T/shop"
	touch "$T/shop/catalog/migrations/__init__.py" \
		"$T/shop/orders/migrations/__init__.py"
}

history() {
	q "SELECT app || '.' || name FROM django_migrations ORDER BY id"
}

# A migration of the catalog app after 0007 that adds a plain index on
# a busy table: migsql -W warns of it.
locking_migration() {
	cat >"$1/catalog/migrations/0008_product_name_index.py" <<'END'
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_validate_product_price_nonnegative")]
    operations = [
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["name"], name="product_name_idx"),
        ),
    ]
END
}

# --- review a branch's new migrations ------------------------------------

# A git repository of the shop on main, with a branch "feature" that
# adds catalog 0008.
review_repo() {
	need_cmd git
	shop
	cd "$T/shop"
	git init -q -b main .
	git -c user.name=t -c user.email=t@t add .
	git -c user.name=t -c user.email=t@t commit -qm shop
	git checkout -q -b feature
	locking_migration .
	git -c user.name=t -c user.email=t@t add .
	git -c user.name=t -c user.email=t@t commit -qm 'name index'
}

@test "review: the SQL of the branch's new migration, with its warning" {
	review_repo
	run --separate-stderr "$BOOK/migtools-review"
	[ "$status" -eq 0 ]
	[ "$output" = '-- catalog 0008_product_name_index (catalog/migrations/0008_product_name_index.py)
BEGIN;
--
-- Create index product_name_idx on field(s) name of model product
--
CREATE INDEX "product_name_idx" ON "catalog_product" ("name");
COMMIT;' ]
	[[ $stderr == "migsql: catalog 0008_product_name_index #1: warning: index-not-concurrent: "* ]]
	# only the new migration: 0002's warning of main is not there
	[ "$(grep -c . <<<"$stderr")" = 1 ]
	# the SQL is what sqlmigrate of the whole history gives
	migparse */migrations/0*.py | migstate -1 catalog 0008 | migsql -p \
		>"$T/expected"
	diff <(sed 1d <<<"$output") "$T/expected"
}

@test "review: -Werror fails the CI job on the warning" {
	review_repo
	run --separate-stderr "$BOOK/migtools-review" -Werror main
	[ "$status" -eq 1 ]
	[[ $output == *'CREATE INDEX "product_name_idx"'* ]]
	[[ $stderr == *"warning: index-not-concurrent"* ]]
}

@test "review: a branch with no new migration, and one that is clean" {
	review_repo
	git checkout -q main
	run --separate-stderr "$BOOK/migtools-review" -Werror
	[ "$status" -eq 0 ]
	[ "$stderr" = "migtools-review: no new migrations since main" ]
	git checkout -q -b clean
	cat >catalog/migrations/0008_noop.py <<'END'
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_validate_product_price_nonnegative")]
    operations = [migrations.RunSQL("SELECT 1", "SELECT 2")]
END
	git -c user.name=t -c user.email=t@t add .
	git -c user.name=t -c user.email=t@t commit -qm noop
	run --separate-stderr "$BOOK/migtools-review" -Werror
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ $output == "-- catalog 0008_noop (catalog/migrations/0008_noop.py)"* ]]
	[[ $output == *"SELECT 1;"* ]]
}

# --- a Makefile ----------------------------------------------------------

mk() {
	make -s --no-print-directory -f "$BOOK/Makefile.migtools" \
		-C "$T/shop" "$@"
}

@test "Makefile: migrate applies the plan, then has nothing to do" {
	pg_newdb
	shop
	run mk migrate DB="$DB" MIGAPPLY_FLAGS=-P
	[ "$status" -eq 0 ]
	[[ $output == *"migapply: 12 applied, 0 already applied"* ]]
	[ "$(history | wc -l)" = 12 ]
	[ "$(q "SELECT count(*) FROM pg_indexes WHERE indexname =
		'product_name_trgm'")" = 1 ]
	run mk migrate DB="$DB" MIGAPPLY_FLAGS=-P
	[ "$status" -eq 0 ]
	[[ $output == *"0 applied, 12 already applied"* ]]
}

@test "Makefile: migrate without DB says to set it, and applies nothing" {
	shop
	run mk migrate
	[ "$status" -ne 0 ]
	[[ $output == *"set DB to the database"* ]]
}

@test "Makefile: sqlmigrate APP= NAME= prints sqlmigrate's SQL, forwards and backwards" {
	shop
	run mk sqlmigrate APP=catalog NAME=0002
	[ "$status" -eq 0 ]
	(cd "$T/shop" && migparse */migrations/0*.py | migstate -1 catalog \
		0002_alter_product_created_at | migsql -p) >"$T/expected"
	diff "$T/expected" - <<<"$output"
	[[ $output == *'CREATE INDEX "catalog_product_created_at_'* ]]
	run mk sqlmigrate APP=catalog NAME=0002 BACKWARDS=1
	[ "$status" -eq 0 ]
	[[ $output == *'DROP INDEX IF EXISTS "catalog_product_created_at_'* ]]
	run mk sqlmigrate APP=catalog
	[ "$status" -ne 0 ]
	[[ $output == *"usage: make sqlmigrate APP=app NAME=migration"* ]]
}

@test "Makefile: showmigrations marks what the database has applied" {
	pg_newdb
	shop
	(cd "$T/shop" && migparse */migrations/0*.py | migstate catalog 0003 |
		migsql | migapply -q "$DB")
	run mk showmigrations DB="$DB"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "[X]  catalog.0001_initial" ]
	[ "${lines[2]}" = "[X]  catalog.0003_case_insensitive_collation" ]
	[ "${lines[3]}" = "[ ]  catalog.0004_alter_category_name" ]
	[ "${#lines[@]}" = 12 ]
}

@test "Makefile: check passes, then fails on a locking migration and on an edited one" {
	pg_newdb
	shop
	mk migrate DB="$DB" MIGAPPLY_FLAGS=-P 2>/dev/null
	run mk check DB="$DB"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	# pending, and it takes a lock the rules warn of
	locking_migration "$T/shop"
	run mk check DB="$DB"
	[ "$status" -ne 0 ]
	[[ $output == *"catalog 0008_product_name_index #1: warning: index-not-concurrent"* ]]
	# only the pending migration is checked against the rules
	[[ $output != *"0002_alter_product_created_at"* ]]
	rm "$T/shop/catalog/migrations/0008_product_name_index.py"
	# an applied migration edited since
	sed -i 's/max_length=200/max_length=300/' \
		"$T/shop/catalog/migrations/0001_initial.py"
	run mk check DB="$DB"
	[ "$status" -ne 0 ]
	[[ $output == *"catalog	0001_initial"* ]]
}

# --- a crontab line ------------------------------------------------------

# hold_lock: a session of the test holds migapply's advisory lock on $DB
# (as a migapply at work would) until release_lock.
hold_lock() {
	PGAPPNAME=cookbook_holder psql -X -q "$DB" \
		-c "SELECT pg_advisory_lock(7883946372472204403)" \
		-c "SELECT pg_sleep(60)" >/dev/null 2>&1 3>&- &
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(q "SELECT EXISTS (SELECT 1 FROM pg_locks
			WHERE locktype = 'advisory' AND granted AND database =
			(SELECT oid FROM pg_database
			 WHERE datname = current_database()))")" = t ] && return 0
		sleep 0.05
	done
	return 1
}

release_lock() {
	q "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = 'cookbook_holder'" >/dev/null
	wait
}

@test "cron: quiet when it applies, quiet and 0 when busy, loud on a failure" {
	pg_newdb
	shop
	cd "$T/shop"
	export MIGAPPLY_FLAGS=-P
	run --separate-stderr "$BOOK/migtools-cron" "$DB"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(history | wc -l)" = 12 ]
	# another migapply is at work: try later, nothing said, nothing done
	locking_migration .
	hold_lock
	run --separate-stderr "$BOOK/migtools-cron" "$DB"
	release_lock
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ] || { echo "stderr: $stderr"; false; }
	[ "$(history | wc -l)" = 12 ]
	# the next run applies it
	run --separate-stderr "$BOOK/migtools-cron" "$DB"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(history | tail -n 1)" = catalog.0008_product_name_index ]
	# a failure is printed (cron mails it) and the status says so
	cat >catalog/migrations/0009_broken.py <<'END'
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_product_name_index")]
    operations = [migrations.RunSQL("SELECT no_such_function()")]
END
	run --separate-stderr "$BOOK/migtools-cron" "$DB"
	[ "$status" -eq 1 ]
	[[ $stderr == *"no_such_function"* ]]
	[[ $stderr == *"catalog.0009_broken: not applied"* ]]
	[ "$(history | wc -l)" = 13 ]
}

@test "cron: a migration that cannot be read applies nothing" {
	pg_newdb
	shop
	cd "$T/shop"
	echo 'this is not python (' >orders/migrations/0006_bad.py
	run --separate-stderr env MIGAPPLY_FLAGS=-P "$BOOK/migtools-cron" "$DB"
	[ "$status" -ne 0 ]
	[[ $stderr == *"0006_bad.py"* ]]
	[ "$(q "SELECT to_regclass('django_migrations') IS NULL")" = t ]
}

# --- a fleet -------------------------------------------------------------

@test "fleet: one history to 8 databases with GNU parallel, one failed then resumed" {
	need_pg
	need_cmd parallel
	shop
	local i n=8
	: >"$T/dbs"
	for ((i = 1; i <= n; i++)); do
		psql -X -q -v ON_ERROR_STOP=1 "$PGBASE dbname=postgres" \
			-c "CREATE DATABASE fleet${BATS_TEST_NUMBER}_$i" >/dev/null
		echo "$PGBASE dbname=fleet${BATS_TEST_NUMBER}_$i" >>"$T/dbs"
	done
	# one tenant has a table in the way: its 0001_initial fails
	DB="$PGBASE dbname=fleet${BATS_TEST_NUMBER}_5"
	q 'CREATE TABLE catalog_category (id int)'
	(cd "$T/shop" && migparse */migrations/0*.py | migstate | migsql) \
		>"$T/plan.stream"
	export MIGAPPLY_FLAGS=-P
	run --separate-stderr "$BOOK/migtools-fleet" -j 4 "$T/plan.stream" "$T/dbs"
	echo "# first run:  ${stderr##*$'\n'}" >&3
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" = 8 ]
	[ "$(grep -c $'\tok\t12 applied, 0 already applied' <<<"$output")" = 7 ]
	[[ $(grep $'\tfailed\t' <<<"$output") == "$DB"$'\tfailed\t'* ]]
	[ "${stderr##*$'\n'}" = "migtools-fleet: 8 databases, 7 succeeded (0 after a retry), 1 failed" ]
	[ "$(sed 1d "$T/plan.stream.joblog" | wc -l)" = 8 ]
	# fixed, and only the failed one is run again
	q 'DROP TABLE catalog_category'
	run --separate-stderr "$BOOK/migtools-fleet" -r -j 4 "$T/plan.stream" "$T/dbs"
	echo "# resumed:    ${stderr##*$'\n'}" >&3
	[ "$status" -eq 0 ]
	[[ $output == "$DB"$'\tok\t12 applied, 0 already applied'* ]]
	[ "${#lines[@]}" = 1 ]
	[ "${stderr##*$'\n'}" = "migtools-fleet: 8 databases, 8 succeeded (1 after a retry), 0 failed" ]
	[ "$(sed 1d "$T/plan.stream.joblog" | wc -l)" = 9 ]
	while read -r DB; do
		[ "$(history | wc -l)" = 12 ] || { echo "$DB"; false; }
	done <"$T/dbs"
	# and a run again over all of them has nothing to do
	run --separate-stderr "$BOOK/migtools-fleet" "$T/plan.stream" "$T/dbs"
	[ "$status" -eq 0 ]
	[ "$(grep -c $'\tok\t0 applied, 12 already applied' <<<"$output")" = 8 ]
	echo "# again:      ${stderr##*$'\n'}" >&3
}

# --- a stream written by hand --------------------------------------------

@test "hand-written: RunSQL migrations as records, applied with no Django file" {
	pg_newdb
	run --separate-stderr bash -c 'migstate <"$1" | migsql | migapply "$2"' \
		_ "$BOOK/hand-written.migstream" "$DB"
	[ "$status" -eq 0 ]
	[[ $stderr == *"migapply: 2 applied, 0 already applied"* ]]
	[ "$(history)" = $'ops.0001_audit_log\nops.0002_audit_log_at' ]
	[ "$(q "SELECT indexdef FROM pg_indexes WHERE indexname = 'ops_audit_log_at'")" = \
		"CREATE INDEX ops_audit_log_at ON public.ops_audit_log USING btree (at)" ]
	# and back, with the reverse SQL
	migstate -A <(migapply -l "$DB") ops zero <"$BOOK/hand-written.migstream" |
		migsql | migapply -q "$DB"
	[ "$(q "SELECT to_regclass('ops_audit_log') IS NULL")" = t ]
	[ "$(q 'SELECT count(*) FROM django_migrations')" = 0 ]
}

@test "hand-written: the records render as sqlmigrate would print them" {
	run bash -c 'migstate -i "$1" -1 ops 0002 | migsql -p' _ \
		"$BOOK/hand-written.migstream"
	[ "$status" -eq 0 ]
	[ "$output" = '--
-- Raw SQL operation
--
CREATE INDEX CONCURRENTLY ops_audit_log_at ON ops_audit_log (at);' ]
}
