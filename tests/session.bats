#!/usr/bin/env bats
# migapply pins on its own connection what the SQL it runs depends on
# (migapply(1), SESSION): a server, database or PGOPTIONS configured
# against Django's literals cannot change their meaning.

bats_require_minimum_version 1.5.0

load helper
load pg

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

@test "session: hostile literals on a server with standard_conforming_strings off" {
	pg_newdb
	q "ALTER DATABASE $DBNAME SET standard_conforming_strings = off"
	q "ALTER DATABASE $DBNAME SET TimeZone = 'America/New_York'"
	# the database does read a backslash in a literal as an escape
	[ "$(q "SELECT length('a\\'x')" 2>/dev/null)" = 3 ]
	(cd tests/fixtures/session && migparse shop/migrations/*.py) |
		migstate | migsql >"$T/s"
	PGOPTIONS='-c standard_conforming_strings=off' PGCLIENTENCODING=LATIN1 \
		migapply -q "$DB" <"$T/s"
	[ -z "$(q "SELECT relname FROM pg_class WHERE relname LIKE 'pwned%'")" ]
	[ "$(q "SELECT title FROM shop_book")" = "a\\'; CREATE TABLE pwned (x int); --" ]
	[ "$(q "SELECT note FROM shop_book")" = "Ärger über €" ]
	[ "$(q "SELECT isbn FROM shop_book")" = "c\\'; CREATE TABLE pwned2 (x int); --" ]
	# the time zone of Django's connection (USE_TZ = True), not the server's
	[ "$(q "SELECT tz FROM shop_when")" = UTC ]
}

@test "session: PGTZ names the time zone (a project with USE_TZ = False)" {
	pg_newdb
	(cd tests/fixtures/session && migparse shop/migrations/*.py) |
		migstate | migsql >"$T/s"
	PGTZ=Europe/Paris migapply -q "$DB" <"$T/s"
	[ "$(q "SELECT tz FROM shop_when")" = Europe/Paris ]
}

@test "edited after apply: a normal apply warns of an applied migration whose SQL changed" {
	pg_newdb
	(cd tests/fixtures/session && migparse shop/migrations/*.py) |
		migstate | migsql >"$T/s"
	migapply -q "$DB" <"$T/s"
	run --separate-stderr migapply -q "$DB" <"$T/s"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	sed 's/varchar(100)/varchar(120)/' "$T/s" >"$T/s2"
	! cmp -s "$T/s" "$T/s2"
	run --separate-stderr migapply -q "$DB" <"$T/s2"
	[ "$status" -eq 0 ]
	[[ $stderr == "migapply: <stdin>:"*": warning: shop.0001_initial is applied, but its SQL has changed since it ran: the database keeps what ran then (migapply -c lists such migrations)" ]]
	# nothing ran again
	[ "$(q "SELECT count(*) FROM shop_book")" = 1 ]
}
