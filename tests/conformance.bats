#!/usr/bin/env bats
# scripts/conformance on a tiny conformance tree of its own, with the
# real migparse and migstate and a fake migsql that prints known SQL.

load helper

# migration FILE OPERATION [DEPENDENCY]: a migration file.
migration() {
	mkdir -p "$(dirname "$1")"
	{
		echo 'import uuid'
		echo 'from django.db import migrations, models'
		echo
		echo 'class Migration(migrations.Migration):'
		echo "    dependencies = [${3:+$3}]"
		echo "    operations = [$2]"
	} >"$1"
}

# expect PROJECT APP.NAME[.backwards].(sql|error) TEXT: an expected file.
expect() {
	local app=${2%%.*}
	mkdir -p "$T/conf/$1/expected/$app"
	printf '%s\n' "$3" >"$T/conf/$1/expected/$app/${2#*.}"
}

# The fake migsql prints, for each plan record of its input, the file
# $T/out/APP.NAME.DIRECTION; where APP.NAME.DIRECTION.fail exists it
# writes that to stderr and exits 1.
make_tree() {
	local c=$T/conf s=$T/conf/shop/src/shop/migrations
	migration "$s/0001_initial.py" "migrations.CreateModel(name='Book',
        fields=[('id', models.BigAutoField(primary_key=True))])"
	migration "$s/0002_book_token.py" "migrations.AddField(model_name='book',
        name='token', field=models.UUIDField(default=uuid.uuid4))" \
		"('shop', '0001_initial')"
	migration "$s/0003_book_added.py" "migrations.AddField(model_name='book',
        name='added', field=models.DateTimeField())" \
		"('shop', '0002_book_token')"
	mkdir -p "$c/shop/expected"
	printf '[ ]  shop.%s\n' 0001_initial 0002_book_token 0003_book_added \
		>"$c/shop/expected/plan.txt"
	expect shop shop.0001_initial.sql 'CREATE TABLE "shop_book" ();'
	expect shop shop.0001_initial.backwards.sql 'DROP TABLE "shop_book";'
	expect shop shop.0002_book_token.sql \
		"ADD \"token\" uuid DEFAULT '83f60001-3381-4f72-a52f-ab4c3fa9f6a2'::uuid;
ADD \"due\" date DEFAULT '2026-11-23'::date;"
	expect shop shop.0002_book_token.backwards.sql \
		"DROP \"token\" WHERE '2024-01-01'::date;"
	expect shop shop.0003_book_added.sql \
		"ADD \"added\" DEFAULT '2026-11-23T00:13:48.285110+00:00'::timestamptz;"
	expect shop shop.0003_book_added.backwards.sql 'DROP "added";'

	migration "$c/broken/src/bad/migrations/0001_initial.py" \
		"migrations.CreateModel(name='Thing',
        fields=[('id', models.BigAutoField(primary_key=True))])"
	mkdir -p "$c/broken/expected"
	echo '[ ]  bad.0001_initial' >"$c/broken/expected/plan.txt"
	expect broken bad.0001_initial.error 'FieldError: no.'
	expect broken bad.0001_initial.backwards.error 'FieldError: no.'

	mkdir -p "$T/out"
	cp "$c/shop/expected/shop/0001_initial.sql" "$T/out/shop.0001_initial.forwards"
	cp "$c/shop/expected/shop/0001_initial.backwards.sql" \
		"$T/out/shop.0001_initial.backwards"
	printf '%s\n' "ADD \"token\" uuid DEFAULT '0ADE5CBA-1DEC-43EC-8BE7-079C8C406989'::uuid;" \
		"ADD \"due\" date DEFAULT '2026-12-03'::date;" \
		>"$T/out/shop.0002_book_token.forwards"
	echo "DROP \"token\" WHERE '2024-01-02'::date;" \
		>"$T/out/shop.0002_book_token.backwards"
	echo "ADD \"added\" DEFAULT '2027-01-02T03:04:05.000001+00:00'::timestamptz;" \
		>"$T/out/shop.0003_book_added.forwards"
	echo 'migsql: shop 0003_book_added #1: AddField is not rendered yet' \
		>"$T/out/shop.0003_book_added.backwards.fail"
	echo 'migsql: bad 0001_initial #1: no' \
		>"$T/out/bad.0001_initial.forwards.fail"
	: >"$T/out/bad.0001_initial.backwards"

	cat >"$T/migsql" <<END
#!/bin/sh
awk -F'\t' '\$1 == "plan" { print \$2 "." \$3 "." \$5 }' | while read -r m; do
	if [ -e "$T/out/\$m.fail" ]; then
		cat "$T/out/\$m.fail" >&2
		exit 1
	fi
	cat "$T/out/\$m"
done
END
	chmod +x "$T/migsql"
}

conformance() {
	env CONFORMANCE="$T/conf" MIGPARSE="$(command -v migparse)" \
		MIGSTATE="$(command -v migstate)" "$@" bash scripts/conformance
}

@test "conformance: matches, timestamps, uuids and DEFAULT dates equal, silent and reported apart" {
	need_tool migparse
	need_tool migstate
	make_tree
	run conformance MIGSQL="$T/migsql"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "broken: 1/2 matched (forwards 1/1, backwards 0/1), plan: ok" ]
	[ "${lines[1]}" = "shop: 4/6 matched (forwards 3/3, backwards 1/3), plan: ok" ]
	[[ $output == *$'\n'"  AddField                         2/4     (50.0%)"$'\n'* ]]
	[[ $output == *$'\n'"  CreateModel                      3/4     (75.0%)"$'\n'* ]]
	[[ $output == *$'\n'"total: 5/8 files matched (62.5%), 2 silent mismatches"$'\n'* ]]
	[[ $output == *$'\n'"reported: 1 mismatches where migstate or migsql said why"$'\n'* ]]
	[[ $output == *$'\n'"plans: 2/2 ok"$'\n'* ]]
	# silent first, with their diff; then the reported one with its reason
	[[ $output == *"mismatches (3 of 3; < expected, > got):
broken/expected/bad/0001_initial.backwards.error (backwards, silent)
    exited 0 where Django raised: FieldError: no.
shop/expected/shop/0002_book_token.backwards.sql (backwards, silent)
    1c1
    < DROP \"token\" WHERE '2024-01-01'::date;
    ---
    > DROP \"token\" WHERE '2024-01-02'::date;
shop/expected/shop/0003_book_added.backwards.sql (backwards, reported)
    migsql: shop 0003_book_added #1: AddField is not rendered yet" ]]
}

@test "conformance: without migsql nothing is compared, and it exits 0" {
	need_tool migparse
	need_tool migstate
	make_tree
	run conformance MIGSQL="$T/none"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "shop: 0/6 matched (forwards 0/3, backwards 0/3), plan: not compared" ]
	[[ $output == *"  AddField                         0/4     (0.0%)"* ]]
	[[ $output == *"total: 0/8 files matched (0.0%), 0 silent mismatches"* ]]
	[[ $output == *"not compared: 8 files (migsql not built ($T/none))"* ]]
	[[ $output != *mismatches\ \(* ]]
}

@test "conformance: skips when the conformance data is absent" {
	CONFORMANCE=$T/nothing run bash scripts/conformance
	[ "$status" -eq 0 ]
	[[ $output == *"not present, skipped"* ]]
}

@test "conformance: a project's map (MAPS/PROJECT.map) goes to every migstate run" {
	need_tool migparse
	need_tool migstate
	make_tree
	mkdir -p "$T/maps"
	# a setting migstate refuses: each file and the plan say why
	echo 'setting DEFAULT_AUTO_FIELD=django.db.models.CharField' >"$T/maps/shop.map"
	run conformance MIGSQL="$T/migsql" MAPS="$T/maps"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "shop: 0/6 matched (forwards 0/3, backwards 0/3), plan: differs" ]
	[ "${lines[0]}" = "broken: 1/2 matched (forwards 1/1, backwards 0/1), plan: ok" ]
	[[ $output == *"migstate: setting DEFAULT_AUTO_FIELD=django.db.models.CharField: not an AutoField class"* ]]
	# a map that changes nothing leaves the results as they were
	echo 'setting DEFAULT_AUTO_FIELD=django.db.models.BigAutoField' >"$T/maps/shop.map"
	run conformance MIGSQL="$T/migsql" MAPS="$T/maps"
	[ "${lines[1]}" = "shop: 4/6 matched (forwards 3/3, backwards 1/3), plan: ok" ]
}
