#!/usr/bin/env bats
# Names as Django makes them: a model's name lowered as Python's
# str.lower() does (Unicode, the final sigma included), and quotes and
# backslashes in field names escaped in the model states migstate writes.
# tests/fixtures/names/expected is what Django 5.2's sqlmigrate printed.

bats_require_minimum_version 1.5.0

load helper

N=tests/fixtures/names

@test "names: unicode capitals, quotes and backslashes as Django writes them" {
	(cd $N/src && migparse shop/migrations/*.py) | migstate | migsql -p >"$T/out"
	diff -u $N/expected/0001_initial.sql "$T/out"
}

@test "names: a field name with quotes stays one field in the model state" {
	(cd $N/src && migparse shop/migrations/*.py) | migstate >"$T/s"
	# as the stream escapes them: a backslash is \\ there
	grep -F "('x\\\\', models.IntegerField()), (\\\\'y', models.IntegerField())" "$T/s"
	grep -F "('back\\\\\\\\slash', models.IntegerField())" "$T/s"
	grep -F "('it\\\\'s', models.CharField(max_length=10))" "$T/s"
}

@test "names: a name with a letter migtools cannot lower is an error, not a guess" {
	mkdir -p "$T/shop/migrations"
	sed "s/name='Ärger'/name='\xe1\xba\x9eig'/; s/shop.Ärger/shop.\xe1\xba\x9eig/" \
		$N/src/shop/migrations/0001_initial.py >"$T/shop/migrations/0001_initial.py"
	run --separate-stderr bash -c "cd '$T' && migparse shop/migrations/*.py | migstate"
	[ "$status" -eq 2 ]
	[[ $stderr == *"migstate: the name 'ẞig' has U+1E9E, which migtools cannot lower as Python's str.lower() does"* ]]
	[ "${lines[${#lines[@]}-1]}" = "failed	migstate	2" ]
}
