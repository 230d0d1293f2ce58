#!/usr/bin/env bats
# The scripts around the tools: the test runner, the corpus report, the
# bench, the dependency installer.

load helper

# nested_run FILE...: tests/run in a clean environment, without the outer
# bats's variables, its libexec on PATH and its fd 3 (its TAP stream).
nested_run() {
	local path
	path=$(tr : '\n' <<<"$PATH" | grep -v /bats-core | paste -sd :)
	env -i PATH="$path" HOME="$T" bash tests/run "$@" 3>&-
}

@test "tests/run: counts passed, failed and skipped, and fails on a failure" {
	# (printf: bats would take a line starting with @test for its own)
	printf '%s\n' '@test "passes" { true; }' '@test "fails" { false; }' \
		'@test "skips" { skip "no reason"; }' '@test "passes too" { true; }' \
		>"$T/sample.bats"
	run nested_run "$T/sample.bats"
	[ "$status" -ne 0 ]
	[ "${lines[-1]}" = "2 passed, 1 failed, 1 skipped" ]
	[[ $output == *"not ok 2 fails"* ]]
}

@test "tests/run: all passing exits 0 and leaves out skipped" {
	printf '@test "a" { true; }\n@test "b" { true; }\n' >"$T/ok.bats"
	run nested_run "$T/ok.bats"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "2 passed, 0 failed" ]
}

@test "tests/run: a test file that does not exist is an error" {
	run nested_run "$T/none.bats"
	[ "$status" -ne 0 ]
}

# A corpus of two projects and a fake migparse: files holding BAD fail
# with a quoted name, files holding CRASH die of a signal.
make_corpus() {
	local c=$T/corpus
	mkdir -p "$c/alpha/app/migrations" "$c/alpha/blog/migrations" \
		"$c/beta/core/migrations"
	echo ok >"$c/alpha/app/migrations/0001_initial.py"
	echo "BAD 'x'" >"$c/alpha/app/migrations/0002_bad.py"
	echo ok >"$c/alpha/blog/migrations/0001_initial.py"
	echo "BAD 'y'" >"$c/beta/core/migrations/0001_initial.py"
	echo CRASH >"$c/beta/core/migrations/0002_crash.py"
	echo "not a migration" >"$c/beta/README"
	cat >"$T/fake-migparse" <<'END'
#!/bin/sh
if grep -q BAD "$1"; then
	name=$(sed "s/BAD //" "$1")
	echo "migparse: $1:3:17: unexpected name $name" >&2
	exit 2
fi
if grep -q CRASH "$1"; then
	kill -SEGV $$
fi
exit 0
END
	chmod +x "$T/fake-migparse"
}

@test "corpus-report: the table, the total and the reasons grouped" {
	make_corpus
	CORPUS=$T/corpus MIGPARSE=$T/fake-migparse run bash scripts/corpus-report
	[ "$status" -eq 0 ]
	[[ ${lines[1]} =~ ^alpha\ +3\ +2\ +66\.7%\ +0$ ]]
	[[ ${lines[2]} =~ ^beta\ +2\ +0\ +0\.0%\ +1$ ]]
	[ "${lines[3]}" = "total: 2/5 files read (40.0%)" ]
	[ "${lines[4]}" = "migparse crashed on 1 files" ]
	[[ $output == *"     2  unexpected name '…'"* ]]
	[[ $output == *"alpha/app/migrations/0002_bad.py:3:17"* ]]
	[[ $output == *"beta/core/migrations/0001_initial.py:3:17"* ]]
	[[ $output == *"     1  killed by SIGSEGV"* ]]
}

@test "corpus-report: skips when the corpus is absent" {
	CORPUS=$T/nothing run bash scripts/corpus-report
	[ "$status" -eq 0 ]
	[[ $output == *"not present, skipped"* ]]
}

@test "bench: skips the corpus bench when the corpus is absent" {
	CORPUS=$T/nothing HISTORIES= run bash scripts/bench
	[ "$status" -eq 0 ]
	[[ $output == *"not present, the corpus bench skipped"* ]]
	[[ $output != *"== generated history"* ]]
}

@test "bench: each stage, the pipeline and -1 on a generated history, against cat" {
	need_cmd /usr/bin/time
	mkdir "$T/bin"
	for t in migparse migstate migsql; do
		ln -s "$(realpath "$(command -v $t)")" "$T/bin/$t"
	done
	CORPUS=$T/nothing HISTORIES=30 HISTORY_RUNS=1 MIGTOOLS_BIN=$T/bin \
		run bash scripts/bench
	[ "$status" -eq 0 ]
	[[ $output == *"== generated history of 30 migrations"* ]]
	[[ $output =~ history:\ 30\ migrations,\ 3\ apps ]]
	[[ $output =~ migstate\ \<parsed\ +[0-9.]+\ ms\ +[0-9.]+\ MiB\ +[0-9.]+x ]]
	[[ $output =~ migsql\ -p\ \<folded ]]
	[[ $output =~ pipeline/cat:\ [0-9.]+x\;\ -1/cat:\ [0-9.]+x ]]
}

@test "bench: times migparse against cat on a small corpus" {
	need_cmd /usr/bin/time
	make_corpus
	rm "$T"/corpus/*/*/migrations/*{bad,crash}*
	cp examples/shop/catalog/migrations/*.py "$T/corpus/alpha/app/migrations/"
	CORPUS=$T/corpus RUNS=3 HISTORIES= MIGTOOLS_BIN=$T/bin run bash scripts/bench
	[ "$status" -eq 0 ]
	[[ $output == *"migparse: not built, skipped"* ]]
	mkdir "$T/bin"
	ln -s "$(realpath "$(command -v migparse)")" "$T/bin/migparse"
	CORPUS=$T/corpus RUNS=3 HISTORIES= MIGTOOLS_BIN=$T/bin run bash scripts/bench
	[ "$status" -eq 0 ]
	[[ $output == *"median of 3 runs"* ]]
	[[ $output =~ migparse/cat:\ [0-9.]+x ]]
}

@test "deps: an unknown group is an error; the check group is installed" {
	run bash scripts/deps nonsense
	[ "$status" -ne 0 ]
	run bash scripts/deps check
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}
