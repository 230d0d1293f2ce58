#!/usr/bin/env bats
# The stream is trusted for nothing (migstream(5), "What a reader
# refuses"): every malformed stream under tests/fixtures/malformed/TOOL/
# makes TOOL exit 2 with a FILE:LINE message, without a crash, and, for
# the tools that write a stream, with a failed record as the last line so
# that the next stage stops too.  migapply is given a server that does
# not exist: it must refuse the stream before it tries to connect.

load helper
bats_require_minimum_version 1.5.0

M=tests/fixtures/malformed
NOWHERE='host=/nonexistent/migtools-malformed dbname=none connect_timeout=1'

# refused TOOL FILE: TOOL refuses FILE as described above.
refused() {
	local tool=$1 f=$2 rc=0
	if [ "$tool" = migapply ]; then
		migapply -n "$NOWHERE" <"$f" >"$T/out" 2>"$T/err" || rc=$?
	else
		"$tool" <"$f" >"$T/out" 2>"$T/err" || rc=$?
	fi
	if [ "$rc" -ne 2 ] || ! grep -q '^[a-z]*: <stdin>:' "$T/err"; then
		echo "$tool accepted or crashed on $f (exit $rc):"
		cat "$T/err"
		return 1
	fi
	if grep -q 'connect\|Sanitizer\|runtime error' "$T/err"; then
		echo "$tool on $f:"; cat "$T/err"; return 1
	fi
	if [ "$tool" != migapply ] &&
		[ "$(tail -n 1 "$T/out")" != "failed	$tool	2" ]; then
		echo "$tool on $f: no failed record at the end"; return 1
	fi
}

refuses_all() {
	local tool=$1 f n=0
	for f in $M/$tool/*.stream; do
		refused "$tool" "$f"
		n=$((n + 1))
	done
	[ "$n" -gt 30 ]
}

@test "malformed: migstate refuses every malformed stream of its records" {
	refuses_all migstate
}

@test "malformed: migsql refuses every malformed stream of its records" {
	refuses_all migsql
}

@test "malformed: migapply refuses every malformed stream before it connects" {
	refuses_all migapply
}

@test "malformed: the corpus's streams are malformed only where they say" {
	# the streams they were made from go through
	mkdir -p "$T/shop/migrations"
	cp tests/fixtures/malformed/source/*.py "$T/shop/migrations/"
	(cd "$T" && migparse shop/migrations/*.py) >"$T/p"
	migstate <"$T/p" >"$T/s"
	migsql <"$T/s" >"$T/q"
	migapply -n "$NOWHERE" <"$T/q" 2>"$T/err" || :
	grep -q 'connect' "$T/err"
}

@test "malformed: a NUL byte never cuts a statement short" {
	printf 'migration\ta\t0001\t1\t0\t-\nsql\ta\t0001\t1\ttx\tDELETE FROM t\0 WHERE a = 1\n' >"$T/in"
	run --separate-stderr migapply -n "$NOWHERE" <"$T/in"
	[ "$status" -eq 2 ]
	[ "$stderr" = "migapply: <stdin>:2:30: a NUL byte" ]
}

@test "malformed: invalid UTF-8 is refused where it stands" {
	printf 'migstream\t1\nnote\ta\t0001\tcaf\xc3\xa9 \xc3\x28\n' >"$T/in"
	run --separate-stderr migsql <"$T/in"
	[ "$status" -eq 2 ]
	[ "$stderr" = "migsql: <stdin>:2:18: invalid UTF-8 (byte 0xc3)" ]
}

@test "malformed: a stream of another version gets no output but the failed record" {
	printf 'migstream\t2\nnote\ta\t0001\tx\n' >"$T/in"
	run --separate-stderr migsql <"$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = "failed	migsql	2" ]
}

@test "malformed: failure travels down the pipe, without pipefail" {
	mkdir -p "$T/shop/migrations"
	cp tests/fixtures/malformed/source/*.py "$T/shop/migrations/"
	printf 'syntax error(\n' >"$T/shop/migrations/0003_broken.py"
	set +o pipefail
	run --separate-stderr bash -c "cd '$T' && migparse shop/migrations/*.py | migstate | migsql | migapply -n '$NOWHERE'"
	[ "$status" -eq 2 ]
	[[ $stderr == *"migstate: <stdin>:"*": the stage before failed (migparse, exit 2): nothing done"* ]]
	[[ $stderr == *"migsql: <stdin>:"*": the stage before failed (migstate, exit 2): nothing done"* ]]
	[[ $stderr == *"migapply: <stdin>:"*": the stage before failed (migsql, exit 2): nothing done"* ]]
	[[ $stderr != *connect* ]]
}

@test "malformed: a stage that died leaves what the next one refuses" {
	# nothing at all, as a stage killed before it flushed leaves
	run --separate-stderr migsql </dev/null
	[ "$status" -eq 2 ]
	[ "$output" = "failed	migsql	2" ]
	# a line cut short, as one killed while writing leaves
	printf 'migstream\t1\nmigration\ta\t0001\t1\t0\t-\nsql\ta\t0001\t1\ttx\tDELETE FROM t WH' >"$T/in"
	run --separate-stderr migapply -n "$NOWHERE" <"$T/in"
	[ "$status" -eq 2 ]
	[ "$stderr" = "migapply: <stdin>:3:1: the last line has no newline: the input was cut short (did the stage before fail?)" ]
}
