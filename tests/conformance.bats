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

# together_tree: a project "tog" whose migsql output (the fake one of
# make_tree) permutes statements Django writes in the order of a Python
# set (the together runs of the script's header), and others it must not.
together_tree() {
	local c=$T/conf s=$T/conf/tog/src/tog/migrations h='-- Alter unique_together for book (2 constraint(s))'
	local fields="fields=[('id', models.AutoField(primary_key=True)), ('a', models.IntegerField()), ('b', models.IntegerField())]"
	migration "$s/0001_initial.py" "migrations.CreateModel(name='Book', $fields,
        options={'unique_together': {('a', 'b'), ('b', 'a')}}),
    migrations.CreateModel(name='Shelf', $fields,
        options={'unique_together': (('a', 'b'), ('b', 'a'))})"
	migration "$s/0002_together.py" "migrations.AlterUniqueTogether(name='book',
        unique_together={('a',), ('b',)})" "('tog', '0001_initial')"
	mkdir -p "$c/tog/expected" "$T/out"
	printf '[ ]  tog.%s\n' 0001_initial 0002_together >"$c/tog/expected/plan.txt"
	local ub='ALTER TABLE "tog_book" ADD CONSTRAINT "tog_book_b_a_0badcafe_uniq" UNIQUE ("b", "a");'
	local ua='ALTER TABLE "tog_book" ADD CONSTRAINT "tog_book_a_b_12345678_uniq" UNIQUE ("a", "b");'
	local sb=${ub//book/shelf} sa=${ua//book/shelf}
	local fk1='ALTER TABLE "tog_book" ADD CONSTRAINT "tog_book_x_fk" FOREIGN KEY ("x");'
	local fk2='ALTER TABLE "tog_book" ADD CONSTRAINT "tog_book_y_fk" FOREIGN KEY ("y");'
	local da='ALTER TABLE "tog_book" DROP CONSTRAINT "tog_book_a_b_12345678_uniq";'
	local db='ALTER TABLE "tog_book" DROP CONSTRAINT "tog_book_b_a_0badcafe_uniq";'
	local i1='CREATE INDEX "tog_book_a_9abcdef0_idx" ON "tog_book" ("a");'
	local i2='CREATE INDEX "tog_book_b_1abcdef0_idx" ON "tog_book" ("b");'
	# 0001: the set's deferred uniques permuted (matched), the tuple's
	# (silent); backwards, with no together header nor DeleteModel, the
	# set's permuted (silent)
	printf '%s\n' 'BEGIN;' '--' '-- Create model Book' '--' 'CREATE TABLE "tog_book" ();' \
		'--' '-- Create model Shelf' '--' 'CREATE TABLE "tog_shelf" ();' \
		"$ua" "$ub" "$sa" "$sb" 'COMMIT;' >"$T/out/expected.0001"
	expect tog tog.0001_initial.sql "$(cat "$T/out/expected.0001")"
	sed -e '10{h;d}' -e '11G' -e '12{h;d}' -e '13G' "$T/out/expected.0001" \
		>"$T/out/tog.0001_initial.forwards"
	expect tog tog.0001_initial.backwards.sql "$(printf '%s\n' 'BEGIN;' "$ua" "$ub" 'COMMIT;')"
	printf '%s\n' 'BEGIN;' "$ub" "$ua" 'COMMIT;' >"$T/out/tog.0001_initial.backwards"
	# 0002: drops and adds of an AlterUniqueTogether each permuted
	# (matched); backwards: a drop moved out of the adds (silent), the
	# index_together's adds permuted (would match)
	expect tog tog.0002_together.sql "$(printf '%s\n' '--' "$h" '--' "$da" "$db" "$ua" "$ub" "$fk1" "$fk2")"
	printf '%s\n' '--' "$h" '--' "$db" "$da" "$ub" "$ua" "$fk1" "$fk2" >"$T/out/tog.0002_together.forwards"
	expect tog tog.0002_together.backwards.sql "$(printf '%s\n' "$h" "$da" "$ua" "$db" "$fk1" "$fk2" \
		'-- Alter index_together for book (2 constraint(s))' "$i1" "$i2" 'DROP INDEX IF EXISTS "x";')"
	printf '%s\n' "$h" "$da" "$db" "$ua" "$fk1" "$fk2" \
		'-- Alter index_together for book (2 constraint(s))' "$i2" "$i1" 'DROP INDEX IF EXISTS "x";' \
		>"$T/out/tog.0002_together.backwards"
}

@test "conformance: statements of one together run (a Python set's order) may come in any order, no others" {
	need_tool migparse
	need_tool migstate
	make_tree
	rm -rf "$T/conf/shop" "$T/conf/broken"
	together_tree
	run conformance MIGSQL="$T/migsql"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "tog: 1/4 matched (forwards 1/2, backwards 0/2), plan: differs" ]
	[[ $output == *"tog/expected/tog/0001_initial.sql (forwards, silent)"$'\n'"    12d11"* ]]
	[[ $output == *"tog/expected/tog/0001_initial.backwards.sql (backwards, silent)"$'\n'"    2d1"* ]]
	[[ $output == *"tog/expected/tog/0002_together.backwards.sql (backwards, silent)"$'\n'"    3d2"* ]]
	# the tuple's uniques in Django's order: the file and the plan match
	sed -i -e '12{h;d}' -e '13G' "$T/out/tog.0001_initial.forwards"
	run conformance MIGSQL="$T/migsql"
	[ "${lines[0]}" = "tog: 2/4 matched (forwards 2/2, backwards 0/2), plan: ok" ]
	# the drop back among the drops: the index_together's adds, still
	# permuted, match
	sed -i -e '3{h;d}' -e '4G' "$T/out/tog.0002_together.backwards"
	run conformance MIGSQL="$T/migsql"
	[ "${lines[0]}" = "tog: 3/4 matched (forwards 2/2, backwards 1/2), plan: ok" ]
	# a run is one table's: the set's and the tuple's uniques do not mix
	sed -i -e '11{h;d}' -e '12G' "$T/out/tog.0001_initial.forwards"
	run conformance MIGSQL="$T/migsql"
	[ "${lines[0]}" = "tog: 2/4 matched (forwards 1/2, backwards 1/2), plan: differs" ]
}

@test "conformance: SPLIT=1 takes the forward files from one whole-plan migstate; FIRST, LAST, DIRECTIONS choose the files" {
	need_tool migparse
	need_tool migstate
	make_tree
	run conformance MIGSQL="$T/migsql" SPLIT=1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "broken: 1/2 matched (forwards 1/1, backwards 0/1), plan: ok" ]
	[ "${lines[1]}" = "shop: 4/6 matched (forwards 3/3, backwards 1/3), plan: ok" ]
	[[ $output == *$'\n'"total: 5/8 files matched (62.5%), 2 silent mismatches"$'\n'* ]]
	run conformance MIGSQL="$T/migsql" SPLIT=1 FIRST=2 LAST=2 DIRECTIONS=forwards
	[ "${lines[0]}" = "broken: 0/0 matched (forwards 0/0, backwards 0/0), plan: ok" ]
	[ "${lines[1]}" = "shop: 1/1 matched (forwards 1/1, backwards 0/0), plan: ok" ]
	run conformance MIGSQL="$T/migsql" FIRST=3 DIRECTIONS=backwards
	[ "${lines[1]}" = "shop: 0/1 matched (forwards 0/0, backwards 0/1), plan: ok" ]
	[[ $output == *"shop/expected/shop/0003_book_added.backwards.sql (backwards, reported)"* ]]
	# a migstate that fails fails each forward file
	mkdir -p "$T/maps"
	echo 'setting DEFAULT_AUTO_FIELD=django.db.models.CharField' >"$T/maps/shop.map"
	run conformance MIGSQL="$T/migsql" MAPS="$T/maps" SPLIT=1 DIRECTIONS=forwards
	[ "${lines[1]}" = "shop: 0/3 matched (forwards 0/3, backwards 0/0), plan: differs" ]
	[[ $output == *"shop/expected/shop/0001_initial.sql (forwards, reported)"$'\n'"    migstate: setting DEFAULT_AUTO_FIELD"* ]]
}
