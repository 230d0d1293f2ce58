#!/usr/bin/env bats
# What every tool takes alike (lib/base/cli.c): -h/--help, -V/--version
# with the one version of the Makefile, "--" ending the options, "-" for
# standard input; migstate -g (the graph in DOT); the progress meter on a
# terminal (lib/base/progress.c).

bats_require_minimum_version 1.5.0

load helper

TOOLS="migparse migstate migsql migapply"
SQ=tests/fixtures/migstate/squashed.stream

version() {
	sed -n 's/^VERSION = //p' Makefile
}

@test "-h and --help: the usage, a line per option, on stdout, exit 0" {
	local tool opt
	for tool in $TOOLS; do
		for opt in -h --help; do
			run --separate-stderr "$tool" "$opt"
			[ "$status" -eq 0 ] || { echo "$tool $opt: $status"; false; }
			[ "$stderr" = "" ]
			[[ ${lines[0]} == "usage: $tool "* ]]
			[[ $output == *$'\n  -h, --help '*$'\n  -V, --version '* ]]
			[ "${lines[-1]}" = "See $tool(1)." ]
		done
	done
}

@test "--help names every option the tool takes" {
	local tool letters l
	for tool in $TOOLS; do
		# the letters of the synopsis's brackets: [-fnPqvw] and [-X ARG]
		letters=$("$tool" -h | sed -n '/^usage:/,/^[^ u]/p' |
			grep -o -- '\[-[A-Za-z1]*' | sed 's/^\[-//' | fold -w1 | sort -u)
		[ -n "$letters" ]
		for l in $letters; do
			"$tool" -h | grep -q -- "^  -$l\b" ||
				{ echo "$tool: -$l not in the help"; false; }
		done
	done
}

@test "-V and --version: the Makefile's one version, exit 0" {
	local tool opt
	[[ $(version) =~ ^0\.[0-9]+\.0$ ]]
	for tool in $TOOLS; do
		for opt in -V --version; do
			run --separate-stderr "$tool" "$opt"
			[ "$status" -eq 0 ]
			[ "$output" = "$tool $(version)" ]
			[ "$stderr" = "" ]
		done
	done
}

@test "--help among other options; an option's argument is not one" {
	run migsql -p --help
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "usage: migsql "* ]]
	# -n takes --help as the migration's name; then no FILE: usage
	run --separate-stderr migparse -n --help
	[ "$status" -eq 2 ]
	[[ $stderr == "usage: migparse "* ]]
	# after "--" it is a file
	run --separate-stderr migsql -- --help
	[ "$status" -eq 2 ]
	[ "$stderr" = "migsql: --help: No such file or directory" ]
}

@test "a bad option: the usage on stderr, exit 2, nothing on stdout" {
	local tool
	for tool in $TOOLS; do
		run --separate-stderr "$tool" -Y
		[ "$status" -eq 2 ]
		[ "$output" = "" ]
		[[ $stderr == *"usage: $tool "* ]]
		run --separate-stderr "$tool" --nonsense
		[ "$status" -eq 2 ]
		[[ $stderr == *"usage: $tool "* ]]
	done
}

@test "--: the options end, a file named like one is read" {
	mkdir -p "$T/-x/migrations"
	printf 'from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = []\n' \
		>"$T/-x/migrations/0001_initial.py"
	cd "$T"
	run migparse -- -x/migrations/0001_initial.py
	[ "$status" -eq 0 ]
	[[ $output == *$'migration\t-x\t0001_initial\t'* ]]
	migparse "$TOP"/examples/shop/*/migrations/*.py >./-p
	run migstate -i - -- catalog 0002 <./-p
	[ "$status" -eq 0 ]
	migstate -i ./-p >./-W
	run migsql -p -- -W
	[ "$status" -eq 0 ]
	[ "$output" = "$(migsql -p <./-W)" ]
	[[ $output == *"CREATE TABLE"* ]]
}

@test "-: standard input where a file is taken (migparse, migsql, migstate -i, -A and -m)" {
	local py=examples/shop/catalog/migrations/0001_initial.py
	diff <(migparse -a catalog -n 0001_initial - <"$py" | cut -f1-5) \
		<(migparse "$py" | cut -f1-5)
	migstate -i "$SQ" >"$T/plan"
	diff <(migsql -p - <"$T/plan") <(migsql -p "$T/plan")
	diff <(migsql -p "$T/plan" - <"$T/plan") \
		<(cat "$T/plan" "$T/plan" | migsql -p)
	printf 'migstream\t1\napplied\tsq\t0001_initial\napplied\tsq\t0002_b\napplied\tsq\t0003_c\n' >"$T/applied"
	diff <(migstate -l -A - -i "$SQ" <"$T/applied") \
		<(migstate -l -A "$T/applied" -i "$SQ")
	[ "$(migstate -l -A - -i "$SQ" <"$T/applied" | head -n 1)" = "[X]  sq.0001_squashed_0003_c" ]
	# map files too
	echo 'external other' >"$T/map"
	diff <(migstate -m - -i "$SQ" <"$T/map") <(migstate -m "$T/map" -i "$SQ")
	echo 'define X=1' >"$T/map"
	diff <(migparse -m - examples/shop/catalog/migrations/0001_initial.py <"$T/map") \
		<(migparse -m "$T/map" examples/shop/catalog/migrations/0001_initial.py)
}

# --- migstate -g ---------------------------------------------------------

@test "migstate -g: apps as clusters, squashed and replaced marked, dependency edges" {
	run --separate-stderr migstate -g -i "$SQ"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = 'digraph migrations {
	node [shape=box];
	subgraph "cluster_other" {
		label="other";
		"other.0001_initial" [label="0001_initial", style="solid"];
	}
	subgraph "cluster_sq" {
		label="sq";
		"sq.0001_initial" [label="0001_initial", style="dashed"];
		"sq.0001_squashed_0003_c" [label="0001_squashed_0003_c\nsquashes 3", peripheries=2, style="solid"];
		"sq.0002_b" [label="0002_b", style="dashed"];
		"sq.0003_c" [label="0003_c", style="dashed"];
		"sq.0004_d" [label="0004_d", style="solid"];
	}
	"sq.0001_squashed_0003_c" -> "other.0001_initial";
	"sq.0001_squashed_0003_c" -> "sq.0004_d";
	"sq.0001_squashed_0003_c" -> "sq.0001_initial" [style=dotted, arrowhead=empty, label="replaces"];
	"sq.0001_squashed_0003_c" -> "sq.0002_b" [style=dotted, arrowhead=empty, label="replaces"];
	"sq.0001_squashed_0003_c" -> "sq.0003_c" [style=dotted, arrowhead=empty, label="replaces"];
}' ]
}

@test "migstate -g -A: the applied set shaded; a squashed migration partly applied is not used" {
	printf 'migstream\t1\napplied\tsq\t0001_initial\n' >"$T/applied"
	run migstate -g -A "$T/applied" -i "$SQ"
	[ "$status" -eq 0 ]
	[[ $output == *$'\t\t"sq.0001_initial" [label="0001_initial", style="solid,filled", fillcolor=gray85];'* ]]
	[[ $output == *'"sq.0001_squashed_0003_c" [label="0001_squashed_0003_c\nsquashes 3", peripheries=2, style="dashed"];'* ]]
	# the replaced migrations are the plan now
	[[ $output == *$'\t"sq.0001_initial" -> "sq.0002_b";'* ]]
	[[ $output == *$'\t"sq.0003_c" -> "sq.0004_d";'* ]]
	[ "$(grep -c filled <<<"$output")" = 1 ]
}

@test "migstate -g: dot accepts it, for the shop and a real project" {
	need_cmd dot
	migparse examples/shop/*/migrations/*.py | migstate -g >"$T/shop.dot"
	dot -Tsvg "$T/shop.dot" >"$T/shop.svg"
	grep -q '<svg' "$T/shop.svg"
	grep -q '<title>cluster_orders</title>' "$T/shop.svg"
	migstate -g -i "$SQ" | dot -Tsvg >/dev/null
}

@test "migstate -g takes no operands, and not -l, -1 or -S" {
	local args
	for args in "-g sq" "-g -l" "-g -S" "-g -1 sq 0004_d"; do
		run --separate-stderr migstate $args -i "$SQ"
		[ "$status" -eq 2 ] || { echo "$args"; false; }
	done
}

# --- progress on a terminal ----------------------------------------------

# on_tty CMD: run the shell command CMD with its stderr (and stdout) on a
# pseudo-terminal (script(1)); what the terminal got goes to $T/tty.
on_tty() {
	script -qfec "$1" /dev/null >"$T/tty" </dev/null
}

gen_history() {
	sh scripts/gen-history 40 "$T/h" >/dev/null
	migparse "$T"/h/*/migrations/0*.py >"$T/h.stream"
}

@test "progress: migstate's fold is shown on a terminal, wiped at the end" {
	need_cmd script
	gen_history
	on_tty "MIGTOOLS_PROGRESS_AFTER=0 migstate -i '$T/h.stream' >'$T/out'"
	grep -q $'\rmigstate: folding 1/40 [a-z]*\\.0001_initial\e\\[K' "$T/tty"
	grep -q $'\rmigstate: folding 40/40 ' "$T/tty"
	# the last thing written wipes the line
	[ "$(tail -c 4 "$T/tty" | od -An -c | tr -d ' ')" = '\r033[K' ]
	# what it wrote on stdout is what it writes without a terminal
	diff "$T/out" <(migstate -i "$T/h.stream")
}

@test "progress: not before its time, not with -q, not when stderr is not a terminal" {
	need_cmd script
	gen_history
	# a fold shorter than MIGTOOLS_PROGRESS_AFTER (1 s by default)
	on_tty "MIGTOOLS_PROGRESS_AFTER=60 migstate -i '$T/h.stream' >/dev/null"
	[ ! -s "$T/tty" ]
	on_tty "MIGTOOLS_PROGRESS_AFTER=0 migstate -q -i '$T/h.stream' >/dev/null"
	[ ! -s "$T/tty" ]
	on_tty "MIGTOOLS_PROGRESS_AFTER=0 migstate -i '$T/h.stream' 2>'$T/err' >/dev/null"
	[ ! -s "$T/tty" ]
	[ ! -s "$T/err" ]
}

@test "progress: -S and -1 fold with the meter too" {
	need_cmd script
	gen_history
	on_tty "MIGTOOLS_PROGRESS_AFTER=0 migstate -S -i '$T/h.stream' >/dev/null"
	grep -q $'\rmigstate: folding 40/40 ' "$T/tty"
}
