# tests/pg.bash: a PostgreSQL server of the test file's own, started by
# scripts/pg-throwaway on a free loopback port and stopped at the end.
# `load pg` (after `load helper`) gives
#
#   pg_start      in setup_file: initdb and start; sets PGDIR_T and PGBASE
#                 (conninfo without dbname: "host=127.0.0.1 port=N user=U")
#   pg_stop       in teardown_file
#   need_pg       skip the test when there is no server (no PostgreSQL
#                 server binaries installed, or it did not start)
#   pg_newdb      create a database for this test; sets DB (its conninfo)
#                 and DBNAME
#   q SQL         psql -c SQL on $DB: unaligned, tuples only, stops on error
#   schema        pg_dump --schema-only of $DB, without comments or the
#                 version lines, for comparing schemas
#
# Also: a role "migpw" whose password ($PGPW) is checked over TCP
# (scram-sha-256), for the tests that a password never shows.

PGPW='Pw-s3cret-9f2b'

pg_bindir() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_start() {
	local bindir port tries out
	bindir=$(pg_bindir)
	if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ] ||
		! command -v psql >/dev/null; then
		export PGSKIP="no PostgreSQL server installed (scripts/deps check)"
		return 0
	fi
	# short: the server's Unix socket path has a length limit
	PGDIR_T=$(mktemp -d /tmp/migpg.XXXXXX)
	export PGDIR_T
	for tries in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 40000))
		# taken when something answers there
		(: </dev/tcp/127.0.0.1/$port) 2>/dev/null && continue
		# the conninfo is the last line of its output; stderr is kept
		# apart so that no warning can land in it
		if out=$(PGTHROWAWAY_HOST=127.0.0.1 PGTHROWAWAY_PORT=$port \
			bash "$TOP/scripts/pg-throwaway" start "$PGDIR_T" \
			2>"$PGDIR_T.err"); then
			out=${out##*$'\n'}
			PGBASE=${out% dbname=*}
			rm -f "$PGDIR_T.err"
			export PGBASE
			pg_password_role
			return 0
		fi
	done
	out=$(cat "$PGDIR_T.err" 2>/dev/null)
	rm -f "$PGDIR_T.err"
	export PGSKIP="the test server did not start: $out"
}

# The role migpw, with a password that TCP connections must give.
pg_password_role() {
	local hba=$PGDIR_T/data/pg_hba.conf
	psql -X -q -v ON_ERROR_STOP=1 "$PGBASE dbname=postgres" \
		-c "SET password_encryption = 'scram-sha-256'" \
		-c "CREATE ROLE migpw LOGIN SUPERUSER PASSWORD '$PGPW'" >/dev/null
	{ echo "host all migpw 127.0.0.1/32 scram-sha-256"; cat "$hba"; } \
		>"$hba.new"
	cat "$hba.new" >"$hba"
	rm -f "$hba.new"
	psql -X -q "$PGBASE dbname=postgres" -c 'SELECT pg_reload_conf()' \
		>/dev/null
}

pg_stop() {
	[ -n "${PGDIR_T:-}" ] || return 0
	bash "$TOP/scripts/pg-throwaway" stop "$PGDIR_T" || :
	rm -rf "$PGDIR_T"
}

need_pg() {
	[ -z "${PGSKIP:-}" ] || skip "$PGSKIP"
	[ -n "${PGBASE:-}" ] || skip "no test server"
}

pg_newdb() {
	need_pg
	DBNAME=t${BATS_TEST_NUMBER}_$RANDOM
	psql -X -q -v ON_ERROR_STOP=1 "$PGBASE dbname=postgres" \
		-c "CREATE DATABASE $DBNAME" >/dev/null
	DB="$PGBASE dbname=$DBNAME"
}

q() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 "$DB" -c "$1"
}

schema() {
	pg_dump --schema-only --no-owner --no-privileges "$DB" |
		grep -v -e '^--' -e '^SET ' -e '^SELECT pg_catalog' \
			-e '^\\restrict' -e '^\\unrestrict' | cat -s
}
