#!/usr/bin/env bats
# The real corpus (../shared/corpus/real): migparse may fail to read a
# file, but never crashes on one.  Under `make check` the sanitizer build
# runs, so a memory error or undefined behaviour anywhere fails here.
# `make corpus` reports how much is read.

load helper

bats_require_minimum_version 1.5.0

@test "corpus: migparse crashes on no project of the real corpus" {
	need_shared
	local d bad=0
	for d in "$SHARED"/corpus/real/*/; do
		run --separate-stderr migparse "$d"*/migrations/*.py
		if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then
			echo "${d%/}: exit $status"
			bad=1
		fi
		if grep -E 'Sanitizer|runtime error:' <<<"$stderr"; then
			echo "${d%/}: sanitizer report"
			bad=1
		fi
	done
	[ "$bad" -eq 0 ]
}

@test "corpus: every error names its file, line and column" {
	need_shared
	run --separate-stderr migparse "$SHARED"/corpus/real/*/*/migrations/*.py
	[ "$status" -eq 0 ] || [ "$status" -eq 2 ]
	run grep -Ev '^migparse: [^:]+\.py:[0-9]+:[0-9]+: .' <<<"$stderr"
	[ "$output" = "" ]
}

# A tiny corpus of one project, "shop", rendered whole by the real tools:
# 0002's default is a project function that only its map says the value
# of; 0003 is a RunSQL whose SQL is not a string.
make_shop_corpus() {
	local m=$T/corpus/shop/shop/migrations
	mkdir -p "$m" "$T/maps"
	cat >"$m/0001_initial.py" <<'PY'
from django.db import migrations, models
import shop.fields

class Migration(migrations.Migration):
    initial = True
    operations = [migrations.CreateModel(name='Item', fields=[
        ('id', models.BigAutoField(primary_key=True)),
        ('mac', shop.fields.MACField(null=True)),
    ])]
PY
	cat >"$m/0002_item_n.py" <<'PY'
from django.db import migrations, models
import shop.utils

class Migration(migrations.Migration):
    dependencies = [('shop', '0001_initial')]
    operations = [migrations.AddField(model_name='item', name='n',
        field=models.IntegerField(default=shop.utils.first))]
PY
	cat >"$m/0003_sql.py" <<'PY'
from django.db import migrations
import shop.sql

class Migration(migrations.Migration):
    dependencies = [('shop', '0002_item_n')]
    operations = [migrations.RunSQL(shop.sql.TEXT)]
PY
	echo 'shop.fields.MACField=models.CharField type=macaddr' >"$T/maps/shop.map"
}

@test "corpus-report: the migsql column, migrations rendered of the plan, failures by reason" {
	need_tool migparse
	need_tool migstate
	need_tool migsql
	make_shop_corpus
	CORPUS=$T/corpus MAPS=$T/maps MIGPARSE=$(command -v migparse) \
		MIGSTATE=$(command -v migstate) MIGSQL=$(command -v migsql) \
		run bash scripts/corpus-report
	[ "$status" -eq 0 ]
	[[ $output == *$'\n'"shop                      3  folded"$'\n'* ]]
	[[ $output == *$'\n'"shop                      1      3   33.3%"$'\n'* ]]
	[[ $output == *$'\n'"total (migsql): 1/3 migrations rendered (33.3%)"$'\n'* ]]
	[[ $output == *"field …: default: default shop.utils.first is a callable"*$'\n'"      shop: shop.0002_item_n #1"* ]]
	# with the map's default for the function, 0002 renders too
	echo 'default shop.utils.first=1' >>"$T/maps/shop.map"
	CORPUS=$T/corpus MAPS=$T/maps MIGPARSE=$(command -v migparse) \
		MIGSTATE=$(command -v migstate) MIGSQL=$(command -v migsql) \
		run bash scripts/corpus-report
	[[ $output == *$'\n'"shop                      2      3   66.7%"$'\n'* ]]
	# without the class's map the project does not fold
	rm "$T/maps/shop.map"
	CORPUS=$T/corpus MAPS=$T/maps MIGPARSE=$(command -v migparse) \
		MIGSTATE=$(command -v migstate) MIGSQL=$(command -v migsql) \
		run bash scripts/corpus-report
	[[ $output == *$'\n'"shop             not folded"$'\n'* ]]
	[[ $output == *"total (migsql): 0/0 migrations rendered (0.0%)"* ]]
}
