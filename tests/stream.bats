#!/usr/bin/env bats
# The stream module (lib/stream/stream.c), through tests/restream: it reads a
# stream, parses every operation's value and writes it all back.  In the
# streams here "→" stands for a TAB; backslashes are the stream's own.

load helper

bats_require_minimum_version 1.5.0

setup() {
	migtools_setup
	# restream is a test helper: on PATH from MIGTOOLS_BIN under
	# `make check`, else from the normal build.
	PATH=$PATH:$TOP/build
	need_tool restream
}

# tabs: standard input with "→" turned into TAB, on standard output.
tabs() {
	sed 's/→/\t/g'
}

# restreams: the stream in $T/in, through restream, gives exactly the
# stream on standard input, says nothing on stderr and exits 0.
restreams() {
	local rc=0
	tabs >"$T/expected"
	restream <"$T/in" >"$T/out" 2>"$T/err" || rc=$?
	diff -u "$T/expected" "$T/out"
	diff -u /dev/null "$T/err"
	[ "$rc" -eq 0 ]
}

@test "stream: the four escapes round trip, in any record" {
	tabs >"$T/in" <<'END'
migstream→1
note→app→0001→back\\slash→tab\there→new\nline→carriage\rreturn→all\\\t\n\r\\
END
	restream <"$T/in" >"$T/out"
	cmp "$T/in" "$T/out"
}

@test "stream: the escapes round trip inside an operation's strings" {
	tabs >"$T/in" <<'END'
migstream→1
operation→app→0001→1→RunSQL(sql='a\nb\tc \\\\ \\' d', reverse_sql=b'\\x00\\xff')
END
	restream <"$T/in" >"$T/out"
	cmp "$T/in" "$T/out"
}

@test "stream: a carriage return in an operation's string round trips as \\x0d" {
	tabs >"$T/in" <<'END'
migstream→1
operation→app→0001→1→RunSQL(sql='a\\x0db\\x0d\nc')
END
	restream <"$T/in" >"$T/out"
	cmp "$T/in" "$T/out"
}

# As in Python source, a raw CR or CRLF inside a string literal reads as a
# newline; migparse never writes one (it writes \x0d).
@test "stream: a raw carriage return in an operation's string reads as a newline" {
	tabs >"$T/in" <<'END'
operation→app→0001→1→RunSQL(sql='a\rb\r\nc')
END
	restreams <<'END'
migstream→1
operation→app→0001→1→RunSQL(sql='a\nb\nc')
END
}

@test "stream: operation values come back in their one normalized form" {
	tabs >"$T/in" <<'END'
operation→app→0001→1→RunSQL( "SELECT 1" ,reverse_sql = 'x' 'y', hints={ "a" : [1,2,], 'b':(3) } )
operation→app→0001→2→X(0x10, 1_000, 1.50, 1e-5, -1, (1,), {'a',}, u"\\u00e9", r'\\d', b"\\x41")
operation→app→0001→3→X((a if b else c), (a if b else c) if d else e, a if (b if c else d) else e, a if b else (c if d else e))
END
	restreams <<'END'
migstream→1
operation→app→0001→1→RunSQL('SELECT 1', reverse_sql='xy', hints={'a': [1, 2], 'b': 3})
operation→app→0001→2→X(16, 1000, 1.5, 1e-05, -1, (1,), {'a'}, 'é', '\\\\d', b'A')
operation→app→0001→3→X(a if b else c, (a if b else c) if d else e, a if (b if c else d) else e, a if b else c if d else e)
END
}

# The column is that of the character after the backslash.
@test "stream: a bad escape is an error naming line and column; the rest goes on" {
	tabs >"$T/in" <<'END'
migstream→1
note→app→0001→fine
note→app→0001→a\qb
note→ok\\→a\zb
note→app→0001→trailing\
note→app→0002→fine
END
	run --separate-stderr restream <"$T/in"
	[ "$status" -eq 2 ]
	[ "$stderr" = 'restream: <stdin>:3:17: bad escape in field (only \\ \t \n \r exist)
restream: <stdin>:4:13: bad escape in field (only \\ \t \n \r exist)
restream: <stdin>:5:24: bad escape in field (only \\ \t \n \r exist)' ]
	[ "$output" = "$(tabs <<'END'
migstream→1
note→app→0001→fine
note→app→0002→fine
END
)" ]
}

@test "stream: an unknown record kind passes through unchanged" {
	tabs >"$T/in" <<'END'
migstream→1
x-review→app→0001→approved by→DBA\\team
x-sql→app→0001→CREATE INDEX "i" ON "t" ("c");\nCOMMIT;
lonely
→leading empty field
trailing empty field→
END
	restream <"$T/in" >"$T/out"
	cmp "$T/in" "$T/out"
}

@test "stream: another version is an error" {
	tabs >"$T/in" <<'END'
migstream→2
note→app→0001→x
END
	run --separate-stderr restream <"$T/in"
	[ "$status" -eq 2 ]
	[ "$stderr" = "restream: <stdin>:1:1: unsupported stream version '2' (this tool reads version 1)" ]
	printf 'migstream\n' >"$T/in"
	run --separate-stderr restream <"$T/in"
	[ "$status" -eq 2 ]
	[ "$stderr" = "restream: <stdin>:1:1: unsupported stream version '' (this tool reads version 1)" ]
}

@test "stream: a stream without the version marker is read as version 1" {
	tabs >"$T/in" <<'END'
migration→app→0001→1→0→app/migrations/0001.py
operation→app→0001→1→RunSQL(sql='SELECT 1')
END
	restreams <<'END'
migstream→1
migration→app→0001→1→0→app/migrations/0001.py
operation→app→0001→1→RunSQL(sql='SELECT 1')
END
}

@test "stream: the marker may come again, as when streams are concatenated" {
	tabs >"$T/in" <<'END'
migstream→1
note→app→0001→first
migstream→1
note→app→0002→second
END
	restreams <<'END'
migstream→1
note→app→0001→first
note→app→0002→second
END
}

@test "stream: empty lines are ignored" {
	printf '\nmigstream\t1\n\n\nnote\tapp\t0001\tx\n\nnote\tapp\t0002\ty\n' >"$T/in"
	restreams <<'END'
migstream→1
note→app→0001→x
note→app→0002→y
END
}

@test "stream: a last line without its newline is an input cut short" {
	printf 'migstream\t1\nnote\tapp\t0001\tx\nnote\tapp\t0002\ty' >"$T/in"
	run --separate-stderr restream <"$T/in"
	[ "$status" -eq 2 ]
	[ "$stderr" = "restream: <stdin>:3:1: the last line has no newline: the input was cut short (did the stage before fail?)" ]
}

@test "stream: an operation that is not a valid value is an error naming line and column" {
	tabs >"$T/in" <<'END'
migstream→1
note→app→0001→x
operation→app→0001→1→RunSQL(sql='SELECT 1)
END
	run --separate-stderr restream <"$T/in"
	[ "$status" -eq 2 ]
	[[ $stderr =~ ^'restream: <stdin>:3:'[0-9]+': unterminated string literal'$ ]]
	[ "${lines[0]}" = "migstream	1" ]
	[ "${lines[1]}" = "note	app	0001	x" ]
	local v
	for v in "RunSQL(sql='x') y" "RunSQL(sql='x'" "RunSQL(sql='x'))" "" "RunSQL(,)" \
		"RunSQL(sql=1 if 2)" "RunSQL(*a)" 'RunSQL(f"{x}")'; do
		printf 'operation\tapp\t0001\t1\t%s\n' "$v" >"$T/in"
		run --separate-stderr restream <"$T/in"
		[ "$status" -eq 2 ]
		[[ $stderr =~ ^'restream: <stdin>:1:'[0-9]+': ' ]]
		[ "$output" = "migstream	1" ]
	done
}

@test "stream: the column of a bad operation value counts from the start of the line" {
	tabs >"$T/in" <<'END'
operation→app→0001→1→RunSQL(sql='SELECT 1)
END
	run --separate-stderr restream <"$T/in"
	[ "$status" -eq 2 ]
	[ "$stderr" = "restream: <stdin>:1:33: unterminated string literal" ]
}

@test "stream: a negative number as the base of ** keeps its parentheses" {
	tabs >"$T/in" <<'END'
operation→app→0001→1→X((-2) ** 2, -2 ** 2, -(2 ** 2), 2 ** -2)
END
	restreams <<'END'
migstream→1
operation→app→0001→1→X((-2) ** 2, -2 ** 2, -2 ** 2, 2 ** -2)
END
}
