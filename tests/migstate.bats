#!/usr/bin/env bats
# migstate: Django's migration graph and plans.  The expected orders were
# worked out by hand from Django 5.2's MigrationLoader, MigrationGraph and
# MigrationExecutor (leaf nodes sorted by key; forwards_plan an iterative
# post-order DFS that visits the greatest parent first; a forwards migrate
# runs in the order of the full plan, a backwards one in migration_plan's
# order) and checked against Django's own graph code.
#
# Only the record kinds a test is about are looked at: migstate writes
# more (the state fold), and may write more later.

bats_require_minimum_version 1.5.0
load helper

export LC_ALL=C
FIX=tests/fixtures/migstate

# The plan fixture: five apps written as migration files, drawn above
# ALL_DEFAULT below.
plan_stream() {
	migparse $(find "$FIX/plan" -name '*.py' | sort) >"$T/plan.stream"
}

# applied APP NAME...: applied records for pairs of arguments.
applied() {
	while [ $# -gt 1 ]; do
		printf 'applied\t%s\t%s\n' "$1" "$2"
		shift 2
	done
}

# plans: the plan records of standard input, "app.name STEP DIRECTION".
plans() {
	awk -F'\t' '$1 == "plan" { print $2 "." $3, $4, $5 }'
}

# same EXPECTED-FILE ACTUAL-FILE: byte for byte, with a diff when not.
same() {
	diff -u "$1" "$2"
}

# steps DIRECTION NAME...: the plan lines expected for NAMEs in order.
steps() {
	local dir=$1 i=0 n
	shift
	for n; do
		i=$((i + 1))
		echo "$n $i $dir"
	done
}

# The whole plan of the plan fixture, nothing applied.
#
#   auth      0001_initial <- 0002_group
#   accounts  0001_initial <- 0002_profile
#   catalog   0001_initial (swappable AUTH_USER_MODEL) <- 0002_price
#             <- 0003_tags (also auth.0002_group)
#   orders    0001_initial (catalog.0001_initial, accounts.__latest__)
#             <- 0002_a, 0002_b (also catalog.0003_tags) <- 0003_merge
#   blog      0001_initial (catalog.__first__; run_before
#             accounts.0002_profile) <- 0002_post
#
# The leaves, in key order: accounts.0002_profile, auth.0002_group,
# blog.0002_post, catalog.0003_tags, orders.0003_merge.
ALL_DEFAULT='auth.0001_initial
catalog.0001_initial
blog.0001_initial
accounts.0001_initial
accounts.0002_profile
auth.0002_group
blog.0002_post
catalog.0002_price
catalog.0003_tags
orders.0001_initial
orders.0002_b
orders.0002_a
orders.0003_merge'

@test "migstate -l: Django's order for several apps, leaves, run_before, __first__, __latest__" {
	plan_stream
	sed 's/^/[ ]  /' <<<"$ALL_DEFAULT" >"$T/expected"
	run migstate -l <"$T/plan.stream"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/actual"
	same "$T/expected" "$T/actual"
}

@test "migstate -l -s AUTH_USER_MODEL=accounts.User: the swappable dependency follows the setting" {
	plan_stream
	cat >"$T/expected" <<-'END'
	[ ]  accounts.0001_initial
	[ ]  catalog.0001_initial
	[ ]  blog.0001_initial
	[ ]  accounts.0002_profile
	[ ]  auth.0001_initial
	[ ]  auth.0002_group
	[ ]  blog.0002_post
	[ ]  catalog.0002_price
	[ ]  catalog.0003_tags
	[ ]  orders.0001_initial
	[ ]  orders.0002_b
	[ ]  orders.0002_a
	[ ]  orders.0003_merge
	END
	migstate -l -s AUTH_USER_MODEL=accounts.User <"$T/plan.stream" >"$T/actual"
	same "$T/expected" "$T/actual"
	# the default is auth.User, spelt out or not
	migstate -l -s AUTH_USER_MODEL=auth.User <"$T/plan.stream" >"$T/auth"
	sed 's/^/[ ]  /' <<<"$ALL_DEFAULT" >"$T/expected"
	same "$T/expected" "$T/auth"
}

@test "migstate -l: (no migrations) for a stream of no migration" {
	run migstate -l <<<$'migstream\t1'
	[ "$status" -eq 0 ]
	[ "$output" = "(no migrations)" ]
	# no input at all is what a stage that failed early leaves
	run --separate-stderr migstate -l </dev/null
	[ "$status" -eq 2 ]
	[ "$stderr" = "migstate: <stdin>: no input at all, not even the version marker (what a stage that fails early leaves)" ]
}

@test "migstate: the full plan, one plan record per step, each followed by its migration record" {
	plan_stream
	migstate <"$T/plan.stream" >"$T/out"
	[ "$(head -n 1 "$T/out")" = "$(printf 'migstream\t1')" ]
	steps forwards $ALL_DEFAULT >"$T/expected"
	plans <"$T/out" >"$T/actual"
	same "$T/expected" "$T/actual"
	# plan then migration, the same migration, with migparse's fields
	awk -F'\t' '$1 == "plan" || $1 == "migration"' "$T/out" >"$T/pm"
	awk -F'\t' 'NR % 2 == 1 && $1 != "plan" { print "line " NR ": " $0; bad = 1 }
		NR % 2 == 0 && ($1 != "migration" || $2 != app || $3 != name) {
			print "line " NR ": " $0; bad = 1 }
		{ app = $2; name = $3 }
		END { exit bad }' "$T/pm"
	grep -Fx "$(printf 'migration\tcatalog\t0002_price\t1\t0\t%s' \
		"$FIX/plan/catalog/migrations/0002_price.py")" "$T/pm"
}

@test "migstate: records it does not use are passed through" {
	plan_stream
	printf 'x-review\tcatalog\t0002_price\tapproved by\\tDBA\n' >>"$T/plan.stream"
	migstate <"$T/plan.stream" >"$T/out"
	grep -Fx "$(printf 'x-review\tcatalog\t0002_price\tapproved by\\tDBA')" "$T/out"
}

# conformance_map DIR: map=(-m MAP) when examples/conformance has the
# project's map (its settings: the swappable dependencies follow them).
conformance_map() {
	local m=examples/conformance/$(basename "$1").map
	map=()
	[ ! -f "$m" ] || map=(-m "$m")
}

@test "migstate conformance: -l is showmigrations --plan for every project" {
	need_shared
	local p n=0
	for p in "$SHARED"/conformance/*/; do
		[ -f "$p/expected/plan.txt" ] || continue
		# real projects need their settings and maps: scripts/conformance
		case $p in */real-*/) continue ;; esac
		migparse $(find "$p/src" -name '*.py' | sort) >"$T/stream"
		conformance_map "$p"
		migstate "${map[@]}" -l <"$T/stream" >"$T/actual"
		cmp "$p/expected/plan.txt" "$T/actual" || {
			diff -u "$p/expected/plan.txt" "$T/actual" | head -n 20
			return 1
		}
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}

@test "migstate conformance: the full plan runs in showmigrations --plan order" {
	need_shared
	local p
	for p in "$SHARED"/conformance/*/; do
		[ -f "$p/expected/plan.txt" ] || continue
		# real projects need their settings and maps: scripts/conformance
		case $p in */real-*/) continue ;; esac
		migparse $(find "$p/src" -name '*.py' | sort) >"$T/stream"
		conformance_map "$p"
		migstate "${map[@]}" <"$T/stream" >"$T/out"
		awk -F'\t' '$1 == "plan" && $5 == "forwards" {
			print "[ ]  " $2 "." $3 }' "$T/out" >"$T/actual"
		cmp "$p/expected/plan.txt" "$T/actual" || {
			echo "$p"
			diff -u "$p/expected/plan.txt" "$T/actual" | head -n 20
			return 1
		}
	done
}

# --- the applied set ---------------------------------------------------

SOME='auth 0001_initial catalog 0001_initial blog 0001_initial'

@test "migstate -l: [X] for applied records on the stream" {
	plan_stream
	applied $SOME >>"$T/plan.stream"
	cat >"$T/expected" <<-'END'
	[X]  auth.0001_initial
	[X]  catalog.0001_initial
	[X]  blog.0001_initial
	[ ]  accounts.0001_initial
	[ ]  accounts.0002_profile
	[ ]  auth.0002_group
	[ ]  blog.0002_post
	[ ]  catalog.0002_price
	[ ]  catalog.0003_tags
	[ ]  orders.0001_initial
	[ ]  orders.0002_b
	[ ]  orders.0002_a
	[ ]  orders.0003_merge
	END
	migstate -l <"$T/plan.stream" >"$T/actual"
	same "$T/expected" "$T/actual"
}

@test "migstate -A FILE, -A - and -i FILE...: the applied set from another input" {
	plan_stream
	# an applied_at field is allowed and ignored
	{
		printf 'migstream\t1\n'
		applied $SOME | sed 's/$/\t2026-01-02 03:04:05+00/'
	} >"$T/applied"
	cat >"$T/expected" <<-'END'
	[X]  auth.0001_initial
	[X]  catalog.0001_initial
	[X]  blog.0001_initial
	[ ]  accounts.0001_initial
	END
	migstate -l -A "$T/applied" <"$T/plan.stream" | head -n 4 >"$T/actual"
	same "$T/expected" "$T/actual"
	migstate -l -A - -i "$T/plan.stream" <"$T/applied" | head -n 4 >"$T/dash"
	same "$T/expected" "$T/dash"
	# the stream split in two inputs reads as one
	grep -v 'orders' "$T/plan.stream" >"$T/one"
	grep 'orders' "$T/plan.stream" >"$T/two"
	migstate -l -A "$T/applied" -i "$T/one" -i "$T/two" </dev/null \
		| head -n 4 >"$T/split"
	same "$T/expected" "$T/split"
}

@test "migstate: with some migrations applied, the plan holds only the rest" {
	plan_stream
	applied $SOME >>"$T/plan.stream"
	steps forwards accounts.0001_initial accounts.0002_profile \
		auth.0002_group blog.0002_post catalog.0002_price catalog.0003_tags \
		orders.0001_initial orders.0002_b orders.0002_a orders.0003_merge \
		>"$T/expected"
	migstate <"$T/plan.stream" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
}

@test "migstate APP: to the app's leaf, in the full plan's order" {
	plan_stream
	# migration_plan gives orders.0001_initial, catalog.0002_price,
	# auth.0002_group, ...; migrate runs them in the full plan's order
	applied $SOME >"$T/applied"
	steps forwards accounts.0001_initial accounts.0002_profile \
		auth.0002_group catalog.0002_price catalog.0003_tags \
		orders.0001_initial orders.0002_b orders.0002_a orders.0003_merge \
		>"$T/expected"
	migstate -A "$T/applied" orders <"$T/plan.stream" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
	steps forwards auth.0001_initial catalog.0001_initial blog.0001_initial \
		blog.0002_post >"$T/expected"
	migstate blog <"$T/plan.stream" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
}

@test "migstate APP NAME: forwards to a migration given by a unique prefix" {
	plan_stream
	steps forwards auth.0001_initial catalog.0001_initial catalog.0002_price \
		>"$T/expected"
	migstate catalog 0002 <"$T/plan.stream" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
	migstate catalog 0002_price <"$T/plan.stream" | plans >"$T/full"
	same "$T/expected" "$T/full"
	# already there: nothing to do
	applied auth 0001_initial catalog 0001_initial catalog 0002_price \
		>>"$T/plan.stream"
	migstate catalog 0002 <"$T/plan.stream" | plans >"$T/none"
	[ ! -s "$T/none" ]
}

@test "migstate APP NAME: an applied target rolls back its children in the app and what depends on them" {
	plan_stream
	migstate -l <"$T/plan.stream" \
		| awk '{ split($NF, k, "."); printf "applied\t%s\t%s\n", k[1], k[2] }' \
		>"$T/applied"
	steps backwards orders.0003_merge orders.0002_b catalog.0003_tags \
		catalog.0002_price >"$T/expected"
	migstate -A "$T/applied" catalog 0001 <"$T/plan.stream" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
	steps backwards orders.0003_merge orders.0002_b orders.0002_a \
		orders.0001_initial accounts.0002_profile >"$T/expected"
	migstate -A "$T/applied" accounts 0001_initial <"$T/plan.stream" \
		| plans >"$T/actual"
	same "$T/expected" "$T/actual"
}

@test "migstate APP zero: unapply the app and everything that depends on it" {
	plan_stream
	migstate -l <"$T/plan.stream" \
		| awk '{ split($NF, k, "."); printf "applied\t%s\t%s\n", k[1], k[2] }' \
		>"$T/applied"
	steps backwards orders.0003_merge orders.0002_b orders.0002_a \
		orders.0001_initial catalog.0003_tags catalog.0002_price \
		blog.0002_post accounts.0002_profile blog.0001_initial \
		catalog.0001_initial >"$T/expected"
	migstate -A "$T/applied" catalog zero <"$T/plan.stream" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
	# only what is applied
	applied $SOME >"$T/applied"
	steps backwards blog.0001_initial catalog.0001_initial >"$T/expected"
	migstate -A "$T/applied" catalog zero <"$T/plan.stream" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
	# nothing applied: nothing to do
	run migstate catalog zero <"$T/plan.stream"
	[ "$status" -eq 0 ]
	[ -z "$(plans <<<"$output")" ]
}

@test "migstate APP NAME: an ambiguous prefix names the candidates" {
	plan_stream
	run --separate-stderr migstate orders 0002 <"$T/plan.stream"
	[ "$status" -eq 2 ]
	[ "$stderr" = "migstate: more than one migration of app 'orders' matches '0002': 0002_a, 0002_b" ]
	[ -z "$(plans <<<"$output")" ]
}

@test "migstate APP NAME: an unknown prefix or app is an error" {
	plan_stream
	run --separate-stderr migstate orders 0009 <"$T/plan.stream"
	[ "$status" -eq 2 ]
	[ "$stderr" = "migstate: no migration of app 'orders' matches '0009'" ]
	run --separate-stderr migstate shipping <"$T/plan.stream"
	[ "$status" -eq 2 ]
	[[ $stderr == *"'shipping'"* ]]
	run --separate-stderr migstate shipping 0001 <"$T/plan.stream"
	[ "$status" -eq 2 ]
	[[ $stderr == *"'shipping'"* ]]
	run --separate-stderr migstate -1 shipping 0001 <"$T/plan.stream"
	[ "$status" -eq 2 ]
	[[ $stderr == *"'shipping'"* ]]
}

# --- squashed migrations -----------------------------------------------
#
# sq: 0001_initial <- 0002_b <- 0003_c <- 0004_d, and 0001_squashed_0003_c
# replacing the first three; other.0001_initial depends on the squashed one.

SQ=tests/fixtures/migstate/squashed.stream

@test "squashed: none of the replaced applied, the squashed migration is used" {
	cat >"$T/expected" <<-'END'
	[ ]  sq.0001_squashed_0003_c
	[ ]  other.0001_initial
	[ ]  sq.0004_d
	END
	migstate -l <"$SQ" >"$T/actual"
	same "$T/expected" "$T/actual"
	steps forwards sq.0001_squashed_0003_c other.0001_initial sq.0004_d \
		>"$T/expected"
	migstate <"$SQ" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
	steps forwards sq.0001_squashed_0003_c >"$T/expected"
	migstate sq 0001_sq <"$SQ" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
}

@test "squashed: the replaced files deleted, as after a squash is released" {
	{
		awk -F'\t' '!($2 == "sq" && $3 ~ /^000[123]_[a-z]*$/)' "$SQ"
		# a dependency on a replaced migration that is gone
		printf 'dependency\tother\t0001_initial\tsq\t0002_b\n'
	} >"$T/stream"
	[ "$(grep -c '^migration' "$T/stream")" -eq 3 ]
	cat >"$T/expected" <<-'END'
	[ ]  sq.0001_squashed_0003_c
	[ ]  other.0001_initial
	[ ]  sq.0004_d
	END
	migstate -l <"$T/stream" >"$T/actual"
	same "$T/expected" "$T/actual"
	applied sq 0001_initial sq 0002_b sq 0003_c >>"$T/stream"
	sed '1s/\[ \]/[X]/' "$T/expected" >"$T/applied"
	migstate -l <"$T/stream" >"$T/actual"
	same "$T/applied" "$T/actual"
}

@test "squashed: a replaced migration that is not applied is not a target" {
	# Django: NodeNotFoundError, ('sq', '0002_b') is not in the graph
	run --separate-stderr migstate sq 0002 <"$SQ"
	[ "$status" -eq 2 ]
	[ "$stderr" = "migstate: sq.0002_b is replaced by a squashed migration in this plan" ]
	[ -z "$(plans <<<"$output")" ]
}

@test "squashed: all of the replaced applied, the squashed migration is applied" {
	{ cat "$SQ"; applied sq 0001_initial sq 0002_b sq 0003_c; } >"$T/stream"
	cat >"$T/expected" <<-'END'
	[X]  sq.0001_squashed_0003_c
	[ ]  other.0001_initial
	[ ]  sq.0004_d
	END
	migstate -l <"$T/stream" >"$T/actual"
	same "$T/expected" "$T/actual"
	steps forwards other.0001_initial sq.0004_d >"$T/expected"
	migstate <"$T/stream" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
	steps backwards sq.0001_squashed_0003_c >"$T/expected"
	migstate sq zero <"$T/stream" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
}

@test "squashed: some of the replaced applied, the replaced migrations are used" {
	{ cat "$SQ"; applied sq 0001_initial; } >"$T/stream"
	# what depended on the squashed migration depends on the last
	# replaced one
	cat >"$T/expected" <<-'END'
	[X]  sq.0001_initial
	[ ]  sq.0002_b
	[ ]  sq.0003_c
	[ ]  other.0001_initial
	[ ]  sq.0004_d
	END
	migstate -l <"$T/stream" >"$T/actual"
	same "$T/expected" "$T/actual"
	steps forwards sq.0002_b sq.0003_c other.0001_initial sq.0004_d \
		>"$T/expected"
	migstate <"$T/stream" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
	# the squashed migration as a target: the last one it replaces
	steps forwards sq.0002_b sq.0003_c >"$T/expected"
	migstate sq 0001_squashed <"$T/stream" | plans >"$T/actual"
	same "$T/expected" "$T/actual"
}

@test "squashed: migrate back to an applied replaced migration" {
	skip "LIMITATION (documented in migstate(1) BUGS): migstate sq 0002 refuses a replaced migration that is applied; Django 5.2 rebuilds the graph without replacements and unapplies sq.0003_c"
	{ cat "$SQ"; applied sq 0001_initial sq 0002_b sq 0003_c; } >"$T/stream"
	steps backwards sq.0003_c >"$T/expected"
	run --separate-stderr migstate sq 0002 <"$T/stream"
	[ "$status" -eq 0 ]
	plans <<<"$output" >"$T/actual"
	same "$T/expected" "$T/actual"
}

# --- errors ------------------------------------------------------------

# mig APP NAME [DEP_APP DEP_NAME]...: a migration record and its
# dependencies.
mig() {
	local app=$1 name=$2
	shift 2
	printf 'migration\t%s\t%s\t1\t0\t%s/migrations/%s.py\n' \
		"$app" "$name" "$app" "$name"
	while [ $# -gt 1 ]; do
		printf 'dependency\t%s\t%s\t%s\t%s\n' "$app" "$name" "$1" "$2"
		shift 2
	done
}

# fails STATUS MESSAGE ARGS...: migstate ARGS on $T/in exits STATUS with
# exactly MESSAGE on stderr and no plan.
fails() {
	local want=$1 msg=$2
	shift 2
	run --separate-stderr migstate "$@" <"$T/in"
	[ "$status" -eq "$want" ] || { echo "status $status: $stderr"; return 1; }
	[ "$stderr" = "$msg" ] || { echo "stderr: $stderr"; return 1; }
	[ -z "$(plans <<<"$output")" ]
}

@test "errors: a dependency on a migration that does not exist" {
	{
		mig a 0001_initial
		mig a 0002_x a 0001_initial b 0003_gone
		mig b 0001_initial
	} >"$T/in"
	fails 2 "migstate: migration a.0002_x depends on b.0003_gone, which does not exist" -l
	fails 2 "migstate: migration a.0002_x depends on b.0003_gone, which does not exist"
	{ mig a 0001_initial; mig a 0002_x a 0001_nope; } >"$T/in"
	fails 2 "migstate: migration a.0002_x depends on a.0001_nope, which does not exist"
}

@test "errors: run_before a migration that does not exist" {
	# Django: NodeNotFoundError, "Migration a.0001_initial dependencies
	# reference nonexistent child node ('b', '0009_nope')"
	{
		mig a 0001_initial
		printf 'run_before\ta\t0001_initial\tb\t0009_nope\n'
		mig b 0001_initial
	} >"$T/in"
	run --separate-stderr migstate -l <"$T/in"
	[ "$status" -eq 2 ]
	[[ $stderr == "migstate: "*"a.0001_initial"* ]]
	[[ $stderr == *"b.0009_nope"* ]]
	[ -z "$output" ]
}

@test "errors: __first__ of an app whose first migration is missing" {
	{
		mig b 0002_x b 0001_missing
		mig a 0001_initial b __first__
	} >"$T/in"
	# Django's check_key finds no root of b (its only migration has a missing parent)
	fails 2 "migstate: a.0001_initial: dependency on b.__first__, but app 'b' has no first or last migration" -l
}

@test "errors: __latest__ of an app whose migrations form a cycle" {
	{
		mig b 0001_x b 0002_y
		mig b 0002_y b 0001_x
		mig a 0001_initial b __latest__
	} >"$T/in"
	run --separate-stderr migstate -l <"$T/in"
	[ "$status" -eq 2 ]
	[[ $stderr == "migstate: "*"'b'"* || $stderr == "migstate: "*"b.0001_x"* ]]
}

@test "errors: a dependency on an app with no migrations" {
	{ mig a 0001_initial; mig a 0002_x a 0001_initial zz __first__; } >"$T/in"
	fails 2 "migstate: a.0002_x: dependency on unknown app 'zz' (no migrations of it were given)" -l
}

@test "errors: two leaf migrations in one app are a conflict for migrate, not for -l" {
	{
		mig a 0001_initial
		mig a 0002_x a 0001_initial
		mig a 0002_y a 0001_initial
		mig b 0001_initial a 0002_x
	} >"$T/in"
	run --separate-stderr migstate <"$T/in"
	[ "$status" -eq 2 ]
	[[ $stderr == "migstate: conflicting migrations in app 'a': 0002_x, 0002_y"* ]]
	[ -z "$(plans <<<"$output")" ]
	run --separate-stderr migstate b <"$T/in"
	[ "$status" -eq 2 ]
	[[ $stderr == "migstate: conflicting migrations in app 'a': 0002_x, 0002_y"* ]]
	# showmigrations does not look for conflicts
	run migstate -l <"$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[ ]  a.0001_initial\n[ ]  a.0002_x\n[ ]  a.0002_y\n[ ]  b.0001_initial')" ]
}

@test "errors: a cycle is named" {
	{
		mig a 0001_initial b 0001_initial
		mig b 0001_initial c 0001_initial
		mig c 0001_initial a 0001_initial
	} >"$T/in"
	fails 2 "migstate: circular dependency: c.0001_initial <- b.0001_initial <- a.0001_initial" -l
	{
		mig a 0001_initial
		mig a 0002_x a 0001_initial a 0003_y
		mig a 0003_y a 0002_x
	} >"$T/in"
	run --separate-stderr migstate <"$T/in"
	[ "$status" -eq 2 ]
	[[ $stderr == "migstate: circular dependency: "*"a.0002_x"* ]]
	[[ $stderr == *"a.0003_y"* ]]
}

@test "errors: a migration applied before its dependency" {
	{
		mig a 0001_initial
		mig a 0002_x a 0001_initial
		applied a 0002_x
	} >"$T/in"
	fails 2 "migstate: inconsistent history: a.0002_x is applied before its dependency a.0001_initial"
}

@test "migstate -l: an inconsistent history is shown, as showmigrations shows it" {
	{
		mig a 0001_initial
		mig a 0002_x a 0001_initial
		applied a 0002_x
	} >"$T/in"
	run --separate-stderr migstate -l <"$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[ ]  a.0001_initial\n[X]  a.0002_x')" ]
}

@test "errors: a swappable dependency on a setting without a value" {
	{ mig a 0001_initial settings.TENANT_MODEL __first__; } >"$T/in"
	fails 2 "migstate: a.0001_initial: dependency on settings.TENANT_MODEL: give its value with -s TENANT_MODEL=app.Model" -l
	# AUTH_USER_MODEL defaults to auth.User, whose migrations are not here
	{ mig a 0001_initial settings.AUTH_USER_MODEL __first__; } >"$T/in"
	fails 2 "migstate: a.0001_initial: dependency on unknown app 'auth' (no migrations of it were given)" -l
	# given, it resolves
	{
		mig a 0001_initial settings.TENANT_MODEL __first__
		mig t 0001_initial
	} >"$T/in"
	run migstate -l -s TENANT_MODEL=t.Tenant <"$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[ ]  t.0001_initial\n[ ]  a.0001_initial')" ]
}

@test "errors: bad usage exits 2 with the usage line" {
	local args
	for args in "-z" "-g -l" "-g a" "-b a 0001" "-1 a" "-1" "-1 a zero" "a b c" "-l a" \
		"-s AUTH_USER_MODEL" "-i"; do
		run --separate-stderr migstate $args </dev/null
		[ "$status" -eq 2 ] || { echo "$args: status $status"; return 1; }
		[[ $stderr == *"usage: migstate "* ]] || { echo "$args: $stderr"; return 1; }
		[ -z "$output" ] || { echo "$args: $output"; return 1; }
	done
}

@test "errors: a record with too few fields names the input and line" {
	{
		printf 'migstream\t1\n'
		mig a 0001_initial
		printf 'dependency\ta\t0001_initial\tb\n'
	} >"$T/in"
	fails 2 "migstate: <stdin>:3:1: dependency record: expected APP NAME DEP_APP DEP_NAME" -l
	run --separate-stderr migstate -l -i "$T/in"
	[ "$status" -eq 2 ]
	[ "$stderr" = "migstate: $T/in:3:1: dependency record: expected APP NAME DEP_APP DEP_NAME" ]
	printf 'migration\ta\t0001_initial\t1\n' >"$T/in"
	run --separate-stderr migstate -l <"$T/in"
	[ "$status" -eq 2 ]
	[[ $stderr == "migstate: <stdin>:1:1: migration record: expected APP NAME ATOMIC INITIAL FILE"* ]]
}

@test "errors: an operation that is not a valid value" {
	{
		mig a 0001_initial
		printf "operation\ta\t0001_initial\t1\tRunSQL(sql='x'\n"
	} >"$T/in"
	fails 2 "migstate: <stdin>:2:34: operation a.0001_initial #1: '(' is never closed" -l
	{
		mig a 0001_initial
		printf "operation\ta\t0001_initial\t1\tRunSQL(sql=x y)\n"
	} >"$T/in"
	run --separate-stderr migstate <"$T/in"
	[ "$status" -eq 2 ]
	[[ $stderr == "migstate: <stdin>:2:"*"operation a.0001_initial #1: "* ]]
	[ -z "$(plans <<<"$output")" ]
}

@test "errors: another stream version" {
	{ printf 'migstream\t2\n'; mig a 0001_initial; } >"$T/in"
	fails 2 "migstate: <stdin>:1:1: unsupported stream version '2' (this tool reads version 1)" -l
	fails 2 "migstate: <stdin>:1:1: unsupported stream version '2' (this tool reads version 1)"
}

@test "errors: input errors leave no uninitialised graph behind (valgrind)" {
	need_cmd valgrind
	[ -x "$TOP/migstate" ] || skip "migstate not built"
	{ mig a 0001_initial; printf 'dependency\ta\t0001_initial\tb\n'; } >"$T/in"
	run valgrind -q --error-exitcode=1 "$TOP/migstate" -l <"$T/in"
	[ "$status" -eq 2 ]
	printf 'migstream\t2\n' >"$T/in"
	run valgrind -q --error-exitcode=1 "$TOP/migstate" <"$T/in"
	[ "$status" -eq 2 ]
}

# --- one migration -----------------------------------------------------

@test "migstate -1 APP NAME: that migration only, forwards" {
	plan_stream
	migstate -1 catalog 0002 <"$T/plan.stream" >"$T/out"
	printf 'plan\tcatalog\t0002_price\t1\tforwards\nmigration\tcatalog\t0002_price\t1\t0\t%s\n' \
		"$FIX/plan/catalog/migrations/0002_price.py" >"$T/expected"
	awk -F'\t' '$1 == "plan" || $1 == "migration"' "$T/out" >"$T/actual"
	same "$T/expected" "$T/actual"
	printf 'op\tcatalog\t0002_price\t1\tforwards\n' >"$T/expected"
	awk -F'\t' -v OFS='\t' '$1 == "op" { print $1, $2, $3, $4, $5 }' \
		"$T/out" >"$T/actual"
	same "$T/expected" "$T/actual"
}

@test "migstate -1 -b APP NAME: that migration only, backwards" {
	plan_stream
	migstate -1 -b orders 0003_merge <"$T/plan.stream" >"$T/out"
	printf 'plan\torders\t0003_merge\t1\tbackwards\nmigration\torders\t0003_merge\t1\t0\t%s\n' \
		"$FIX/plan/orders/migrations/0003_merge.py" >"$T/expected"
	awk -F'\t' '$1 == "plan" || $1 == "migration"' "$T/out" >"$T/actual"
	same "$T/expected" "$T/actual"
	printf 'op\torders\t0003_merge\t1\tbackwards\n' >"$T/expected"
	awk -F'\t' -v OFS='\t' '$1 == "op" { print $1, $2, $3, $4, $5 }' \
		"$T/out" >"$T/actual"
	same "$T/expected" "$T/actual"
}

# --- scripts/gen-history, the bench's input ----------------------------

@test "gen-history: deterministic, N migrations that migparse reads and migstate plans" {
	sh scripts/gen-history -a 4 120 "$T/h1"
	sh scripts/gen-history -a 4 120 "$T/h2"
	diff -r "$T/h1" "$T/h2"
	[ "$(find "$T/h1" -name '0*.py' | wc -l)" -eq 120 ]
	[ "$(ls "$T/h1" | wc -l)" -eq 4 ]
	migparse $(find "$T/h1" -name '0*.py' | sort) >"$T/stream"
	# cross-app dependencies and every kind of operation
	awk -F'\t' '$1 == "dependency" && $2 != $4' "$T/stream" | grep -q .
	local op
	for op in CreateModel AddField AlterField AddIndex RemoveField \
		RenameField RunSQL; do
		awk -F'\t' -v op="$op(" '$1 == "operation" && index($5, op) == 1' \
			"$T/stream" | grep -q . || { echo "no $op"; return 1; }
	done
	[ "$(migstate -l <"$T/stream" | grep -c '^\[ \]  ')" -eq 120 ]
	migstate <"$T/stream" | plans >"$T/plan"
	[ "$(wc -l <"$T/plan")" -eq 120 ]
	# another seed, another history
	sh scripts/gen-history -a 4 -s 2 120 "$T/h3"
	run diff -rq "$T/h1" "$T/h3"
	[ "$status" -eq 1 ]
}

# --- maps: project classes, settings and defaults ---------------------------
# tests/fixtures/migstate/maps: an app whose field class (models.Field,
# internal type CharField, db_type macaddr), JSON encoder and default
# function are its own, with settings in its fields; expected/ is what
# Django printed for it with the settings of fx.map.

maps_stream() {
	migparse tests/fixtures/migstate/maps/fx/migrations/*.py >"$T/fx.stream"
}

@test "maps: a class's column type, settings, a project default, an encoder and DEFAULT_AUTO_FIELD render as Django does" {
	need_tool migsql
	local d=tests/fixtures/migstate/maps m f
	maps_stream
	for f in "$d"/expected/*.sql; do
		m=${f##*/}
		m=${m%.sql}
		if [[ $m == *.backwards ]]; then
			migstate -m "$d/fx.map" -1 -b fx "${m%.backwards}" <"$T/fx.stream" |
				migsql -p >"$T/out"
		else
			migstate -m "$d/fx.map" -1 fx "$m" <"$T/fx.stream" |
				migsql -p >"$T/out"
		fi
		diff -u "$f" "$T/out"
	done
}

@test "maps: -s, -M with type= and -d on the command line are the map's lines" {
	need_tool migsql
	local d=tests/fixtures/migstate/maps
	maps_stream
	migstate -s DEFAULT_AUTO_FIELD=django.db.models.AutoField -s CODE_LEN=3 \
		-s "DEFAULT_CODE='abc'" -M 'fx.fields.MACField=models.CharField type=macaddr' \
		-M fx.fields.Enc=django.core.serializers.json.DjangoJSONEncoder \
		-d fx.fields.one=1 <"$T/fx.stream" | migsql -p >"$T/out"
	cat "$d"/expected/000{1_initial,2_mac}.sql "$d/expected/0003_back.sql" |
		diff -u - "$T/out"
}

@test "maps: the op record carries the mapped call, db_type= and the values; auto_field= beside through_db" {
	maps_stream
	run migstate -m tests/fixtures/migstate/maps/fx.map -1 fx 0002_mac <"$T/fx.stream"
	[ "$status" -eq 0 ]
	[[ $output == *"name='mac2', field=models.CharField(null=True, unique=True, db_type='macaddr')"* ]]
	[[ $output == *"field=models.CharField(max_length=3, default='abc')"* ]]
	[[ $output == *"field=models.IntegerField(default=1)"* ]]
	[[ $output == *"JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder,"* ]]
	[[ $output == *"through_db={'fx_item_tags': "*"}, auto_field='models.AutoField'"* ]]
}

@test "maps: without DEFAULT_AUTO_FIELD an auto-created m2m table has a bigint id (startproject's BigAutoField)" {
	need_tool migsql
	maps_stream
	migstate -1 fx 0001_initial <"$T/fx.stream" | migsql -p >"$T/out"
	grep -F 'CREATE TABLE "fx_item_tags" ("id" bigint NOT NULL' "$T/out"
	migstate -s DEFAULT_AUTO_FIELD=django.db.models.SmallAutoField -1 fx 0001_initial \
		<"$T/fx.stream" | migsql -p >"$T/out"
	grep -F 'CREATE TABLE "fx_item_tags" ("id" smallint NOT NULL' "$T/out"
}

@test "maps: a class gives itself the arguments its deconstruct() leaves out" {
	need_tool migsql
	cat >"$T/0001_initial.py" <<'PY'
from django.db import migrations, models
import x.fields

class Migration(migrations.Migration):
    operations = [migrations.CreateModel(name='A', fields=[
        ('id', models.BigAutoField(primary_key=True)),
        ('tz', x.fields.TZField(blank=True)),
        ('tz2', x.fields.TZField(max_length=20)),
        ('c', x.fields.Choices(null=True)),
    ])]
PY
	migparse -a x "$T/0001_initial.py" >"$T/s"
	migstate -M 'x.fields.TZField=models.CharField max_length=63' \
		-M 'x.fields.Choices=postgres.fields.ArrayField base_field=postgres.fields.ArrayField(base_field=models.CharField(max_length=100),size=2)' \
		<"$T/s" | migsql -p >"$T/out"
	grep -F '"tz" varchar(63) NOT NULL, "tz2" varchar(20) NOT NULL, "c" varchar(100)[2][] NULL' "$T/out"
}

@test "maps: a swappable model swapped by its setting is left alone" {
	need_tool migsql
	cat >"$T/0001_initial.py" <<'PY'
from django.db import migrations, models

class Migration(migrations.Migration):
    operations = [
        migrations.CreateModel(name='User', fields=[
            ('id', models.AutoField(primary_key=True)),
        ], options={'swappable': 'AUTH_USER_MODEL'}),
        migrations.AlterField(model_name='user', name='id',
            field=models.BigAutoField(primary_key=True)),
    ]
PY
	migparse -a auth "$T/0001_initial.py" >"$T/s"
	migstate <"$T/s" | migsql -p >"$T/out"
	grep -F 'CREATE TABLE "auth_user"' "$T/out"
	migstate -s AUTH_USER_MODEL=people.Person <"$T/s" | migsql -p >"$T/out"
	[ "$(grep -c -- '-- (no-op)' "$T/out")" -eq 2 ]
	! grep -F 'auth_user' "$T/out"
}

@test "maps errors: a bad map line, an AutoField setting that is not one, an encoder mapped to a field" {
	maps_stream
	printf 'setting AUTH_USER_MODEL=a.B\nnonsense here\n' >"$T/bad.map"
	run --separate-stderr migstate -m "$T/bad.map" <"$T/fx.stream"
	[ "$status" -eq 2 ]
	[[ $stderr == "migstate: $T/bad.map:2: expected CLASS=TARGET"* ]]
	printf 'x.F=models.CharField type=\n' >"$T/bad.map"
	run --separate-stderr migstate -m "$T/bad.map" <"$T/fx.stream"
	[ "$status" -eq 2 ]
	run --separate-stderr migstate -s DEFAULT_AUTO_FIELD=django.db.models.CharField <"$T/fx.stream"
	[ "$status" -eq 2 ]
	[[ $stderr == *"setting DEFAULT_AUTO_FIELD=django.db.models.CharField: not an AutoField class"* ]]
	run --separate-stderr migstate -M fx.fields.MACField=models.CharField \
		-M fx.fields.Enc=models.TextField <"$T/fx.stream"
	[ "$status" -eq 2 ]
	[[ $stderr == *"encoder fx.fields.Enc is mapped to models.TextField"* ]]
	run --separate-stderr migstate -M 'fx.fields.MACField=models.CharField size' <"$T/fx.stream"
	[ "$status" -eq 2 ]
	[[ $stderr == "usage: migstate"* ]]
}

@test "maps: a model without a primary key gets Django's id of DEFAULT_AUTO_FIELD, first" {
	need_tool migsql
	local d=tests/fixtures/migstate/maps
	migparse "$d"/np/migrations/*.py |
		migstate -s DEFAULT_AUTO_FIELD=django.db.models.AutoField |
		migsql -p | diff -u "$d/expected-np-0001_initial.sql" -
	migparse "$d"/np/migrations/*.py | migstate | migsql -p >"$T/out"
	grep -F 'CREATE TABLE "np_a" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "name"' "$T/out"
}

@test "maps: an operation of the project's own class mapped to a built-in one is rendered as it, with the map's arguments" {
	mkdir -p "$T/app/migrations"
	cat >"$T/app/migrations/0001_initial.py" <<'END'
from django.db import migrations, models
from project.ops import Bootstrap


class KeepUnique(migrations.AddField):
    pass


class Migration(migrations.Migration):
    operations = [
        migrations.CreateModel("Page", [("id", models.AutoField(primary_key=True))]),
        KeepUnique(model_name="page", name="slug",
                   field=models.CharField(max_length=9, default="")),
        Bootstrap("app.Page"),
    ]
END
	migparse "$T/app/migrations/0001_initial.py" >"$T/s"
	# unmapped, it is a named error
	run --separate-stderr migstate -1 app 0001_initial <"$T/s"
	[ "$status" -eq 2 ]
	[[ $stderr == *"unknown operation KeepUnique"* ]]
	migstate -M KeepUnique=AddField \
		-M 'project.ops.Bootstrap=RunPython reverse_code=RunPython.noop' \
		-b -1 app 0001_initial <"$T/s" >"$T/plan"
	grep -F "RunPython('app.Page', reverse_code=RunPython.noop)" "$T/plan"
	run --separate-stderr migsql -p "$T/plan"
	[ "$status" -eq 0 ]
	[[ $output == *"-- Raw Python operation"*"-- THIS OPERATION CANNOT BE WRITTEN AS SQL"*"ALTER TABLE \"app_page\" DROP COLUMN \"slug\" CASCADE;"* ]]
}
