#!/usr/bin/env bats
# migparse: each construct of the Python it reads, with a small migration
# under tests/fixtures/migparse/APP/migrations/ (or one written into $T
# when its bytes matter) and the exact stream it must give; each error,
# with its exact message, and that the other files of the run still come
# out.  In the expected streams "→" stands for a TAB.

load helper

bats_require_minimum_version 1.5.0

F=tests/fixtures/migparse
OK1=$F/ok/migrations/0001_first.py
OK2=$F/ok/migrations/0002_second.py

setup() {
	migtools_setup
	# restream is a test helper: on PATH from MIGTOOLS_BIN under
	# `make check`, else from the normal build.
	PATH=$PATH:$TOP/build
}

# parses ARG...: migparse ARG... exits 0, says nothing on stderr and writes
# exactly the stream given on standard input.  migparse reads the file
# $PARSES_STDIN, if set, on its standard input.
parses() {
	local rc=0
	sed 's/→/\t/g' >"$T/expected"
	migparse "$@" <"${PARSES_STDIN:-/dev/null}" >"$T/stdout" 2>"$T/stderr" ||
		rc=$?
	diff -u "$T/expected" "$T/stdout"
	diff -u /dev/null "$T/stderr"
	[ "$rc" -eq 0 ]
}

# ok_stream: the stream of $OK1 and $OK2, which every error test reads
# around the file in error.
ok_stream() {
	sed 's/→/\t/g' <<END
migstream→1
migration→ok→0001_first→1→0→$OK1
operation→ok→0001_first→1→RunSQL(sql='SELECT 1')
migration→ok→0002_second→1→0→$OK2
dependency→ok→0002_second→ok→0001_first
operation→ok→0002_second→1→RunSQL(sql='SELECT 2')
END
}

# fails FILE MESSAGE...: `migparse $OK1 FILE $OK2` exits 2, writes the
# records of $OK1 and $OK2, none of FILE and its failed record, and says exactly
# "migparse: MESSAGE" (one line for each MESSAGE) on stderr.
fails() {
	local file=$1 rc=0
	shift
	printf 'migparse: %s\n' "$@" >"$T/expected.err"
	{ ok_stream; printf 'failed\tmigparse\t2\n'; } >"$T/expected"
	migparse "$OK1" "$file" "$OK2" >"$T/stdout" 2>"$T/stderr" || rc=$?
	diff -u "$T/expected.err" "$T/stderr"
	diff -u "$T/expected" "$T/stdout"
	[ "$rc" -eq 2 ]
}

# fails_py FILE MESSAGE: as fails, for a file migparse reads but does not
# understand: the message ends by saying where the migration can be given
# by hand.
fails_py() {
	local file=$1 msg=$2 d=${1%/*} n=${1##*/}
	fails "$file" "$msg; to give this migration by hand, write its records (migstream(5)) to $d/${n%.py}.migstream (migparse(1))"
}

# source_fixtures: the migrations whose bytes are the point (encodings,
# line ends, indentation), written into $T/src/migrations/.  In the
# printf formats \x27 is a quote.
source_fixtures() {
	local d=$T/src/migrations
	local head='from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n'
	local select='    operations = [migrations.RunSQL(\x27SELECT 1\x27)]'
	mkdir -p "$d"
	# Latin-1, declared: 0xE9 is é, 0xA3 is £, 0xFF is ÿ.
	printf '# coding: latin-1\n'"$head"'    operations = [migrations.RunSQL(\x27caf\xe9 \xa3 \xff\x27)]\n' \
		>"$d/0001_latin1.py"
	# CRLF line ends, also inside a triple-quoted string and in a call
	# spanning lines.
	printf '%s\r\n' 'from django.db import migrations' '' '' \
		'class Migration(migrations.Migration):' \
		'    operations = [' \
		'        migrations.RunSQL(' \
		'            """SELECT 1;' \
		'SELECT 2;""",' \
		"            'SELECT 3;'," \
		'        ),' \
		'    ]' >"$d/0002_crlf.py"
	# Old Mac line ends: CR alone.
	printf '%s\r' 'from django.db import migrations' '' \
		'class Migration(migrations.Migration):' \
		"    operations = [migrations.RunSQL('SELECT 1')]" >"$d/0003_cr.py"
	# Tabs for indentation, two levels deep.
	printf 'from django.db import connection, migrations\n\n\nclass Migration(migrations.Migration):\n\tif connection.vendor == \x27postgresql\x27:\n\t\tatomic = False\n\toperations = [\n\t\tmigrations.RunSQL(\x27SELECT 1\x27),\n\t]\n' \
		>"$d/0004_tabs.py"
	# Backslash continuation lines.
	printf '%s\n' 'from django.db import \' '    migrations' '' \
		"SQL = 'SELECT 1 ' \\" "    'FROM t'" '' '' \
		'class Migration(migrations.Migration):' \
		'    initial = \' '        True' \
		'    operations = [migrations.RunSQL(SQL)]' >"$d/0005_continuation.py"
	# A UTF-8 byte order mark.
	printf '\xef\xbb\xbf'"$head$select"'\n' >"$d/0006_bom.py"
	# No newline at the end of the file.
	printf "$head$select" >"$d/0007_no_final_newline.py"
}

# --- imports --------------------------------------------------------------

@test "migparse: django imports, module imports and aliases take canonical names" {
	parses $F/imports/migrations/0001_django.py <<'END'
migstream→1
migration→imports→0001_django→1→0→tests/fixtures/migparse/imports/migrations/0001_django.py
operation→imports→0001_django→1→AddField(model_name='book', name='author', field=models.ForeignKey(to='library.author', on_delete=models.CASCADE))
operation→imports→0001_django→2→AddField(model_name='book', name='tags', field=postgres.fields.ArrayField(base_field=models.CharField(max_length=50), size=None))
operation→imports→0001_django→3→AddIndexConcurrently(model_name='book', index=models.Index(models.functions.Lower('title'), models.F(name='price').desc(), name='book_title_lower'))
operation→imports→0001_django→4→AddConstraint(model_name='book', constraint=models.CheckConstraint(condition=models.Q(price__gte=0), name='book_price_gte_0'))
END
}

@test "migparse: relative imports are named from the app label" {
	parses $F/imports/migrations/0002_relative.py <<'END'
migstream→1
migration→imports→0002_relative→1→0→tests/fixtures/migparse/imports/migrations/0002_relative.py
operation→imports→0002_relative→1→AddField(model_name='book', name='price', field=imports.migrations.fields.MoneyField(validators=[imports.validators.positive]))
operation→imports→0002_relative→2→RunPython(code=imports.migrations.helpers.forwards)
END
}

@test "migparse: relative imports follow -a" {
	parses -a shop $F/imports/migrations/0002_relative.py <<'END'
migstream→1
migration→shop→0002_relative→1→0→tests/fixtures/migparse/imports/migrations/0002_relative.py
operation→shop→0002_relative→1→AddField(model_name='book', name='price', field=shop.migrations.fields.MoneyField(validators=[shop.validators.positive]))
operation→shop→0002_relative→2→RunPython(code=shop.migrations.helpers.forwards)
END
}

@test "migparse: imports inside the Migration class" {
	parses $F/imports/migrations/0003_nested.py <<'END'
migstream→1
migration→imports→0003_nested→1→0→tests/fixtures/migparse/imports/migrations/0003_nested.py
operation→imports→0003_nested→1→CreateExtension(name='citext')
operation→imports→0003_nested→2→AddField(model_name='book', name='added', field=models.DateTimeField(default=django.utils.timezone.now))
END
}

@test "migparse: third-party names keep their dotted path; postgres submodules keep theirs" {
	parses $F/imports/migrations/0004_third_party.py <<'END'
migstream→1
migration→imports→0004_third_party→1→0→tests/fixtures/migparse/imports/migrations/0004_third_party.py
operation→imports→0004_third_party→1→AddField(model_name='book', name='labels', field=taggit.managers.TaggableManager('Labels', through='taggit.TaggedItem'))
operation→imports→0004_third_party→2→AddField(model_name='book', name='extra', field=postgres.fields.HStoreField(null=True))
operation→imports→0004_third_party→3→AddIndex(model_name='book', index=postgres.indexes.GinIndex(postgres.indexes.OpClass(expression=models.functions.Upper('title'), name='gin_trgm_ops'), name='book_title_trgm'))
END
}

# --- arguments ------------------------------------------------------------

@test "migparse: positional arguments of operations become their keywords" {
	parses $F/args/migrations/0001_operations.py <<'END'
migstream→1
migration→args→0001_operations→1→0→tests/fixtures/migparse/args/migrations/0001_operations.py
operation→args→0001_operations→1→CreateModel(name='Author', fields=[('id', models.AutoField(primary_key=True))], options={'ordering': ['id']})
operation→args→0001_operations→2→AddField(model_name='book', name='title', field=models.CharField(max_length=5), preserve_default=False)
operation→args→0001_operations→3→AlterField(model_name='book', name='title', field=models.CharField(max_length=9))
operation→args→0001_operations→4→RenameField(model_name='book', old_name='title', new_name='name')
operation→args→0001_operations→5→RemoveField(model_name='book', name='name')
operation→args→0001_operations→6→AddIndex(model_name='book', index=models.Index(fields=['id'], name='book_id_idx'))
operation→args→0001_operations→7→RemoveIndex(model_name='book', name='book_id_idx')
operation→args→0001_operations→8→RenameModel(old_name='Author', new_name='Writer')
operation→args→0001_operations→9→AlterModelTable(name='writer', table='library_writer')
operation→args→0001_operations→10→AlterUniqueTogether(name='book', unique_together={('id', 'author')})
operation→args→0001_operations→11→RunSQL(sql='SELECT 1', reverse_sql='SELECT 2', state_operations=[DeleteModel(name='Old')])
operation→args→0001_operations→12→DeleteModel(name='Writer')
END
}

@test "migparse: positional arguments of fields become their keywords" {
	parses $F/args/migrations/0002_fields.py <<'END'
migstream→1
migration→args→0002_fields→1→0→tests/fixtures/migparse/args/migrations/0002_fields.py
operation→args→0002_fields→1→AddField(model_name='book', name='title', field=models.CharField(verbose_name='Title', max_length=5))
operation→args→0002_fields→2→AddField(model_name='book', name='author', field=models.ForeignKey(to='library.Author', on_delete=models.CASCADE))
operation→args→0002_fields→3→AddField(model_name='book', name='price', field=models.DecimalField(verbose_name='Price', name='price', max_digits=10, decimal_places=2))
operation→args→0002_fields→4→AddField(model_name='book', name='added', field=models.DateTimeField(verbose_name='Added', auto_now_add=True))
operation→args→0002_fields→5→AddField(model_name='book', name='editor', field=models.OneToOneField(to='library.Editor', on_delete=models.SET_NULL, null=True))
operation→args→0002_fields→6→AddField(model_name='book', name='shelves', field=models.ManyToManyField(to='library.Shelf', related_name='books'))
END
}

@test "migparse: keywords follow the parameter order, so two spellings give one value" {
	parses $F/args/migrations/0003_keyword_order.py <<'END'
migstream→1
migration→args→0003_keyword_order→1→0→tests/fixtures/migparse/args/migrations/0003_keyword_order.py
operation→args→0003_keyword_order→1→AddField(model_name='book', name='title', field=models.CharField(verbose_name='Title', max_length=5, null=True, db_comment='the title'))
operation→args→0003_keyword_order→2→AddField(model_name='book', name='title', field=models.CharField(verbose_name='Title', max_length=5, null=True, db_comment='the title'))
operation→args→0003_keyword_order→3→RunSQL(sql='CREATE', reverse_sql='DROP', hints={'target': 'x'}, elidable=True)
END
}

@test "migparse: unknown classes keep their positional arguments" {
	parses $F/args/migrations/0004_unknown.py <<'END'
migstream→1
migration→args→0004_unknown→1→0→tests/fixtures/migparse/args/migrations/0004_unknown.py
operation→args→0004_unknown→1→AddField(model_name='book', name='isbn', field=library.fields.IsbnField('ISBN', 13, strict=True))
operation→args→0004_unknown→2→AddField(model_name='book', name='pages', field=models.IntegerField(validators=[django.core.validators.MinValueValidator(limit_value=1, message='too few')]))
operation→args→0004_unknown→3→AddField(model_name='book', name='code', field=models.Unknown('x', 1))
END
}

@test "migparse: keyword-only parameters of an index keep the source order" {
	parses $F/args/migrations/0005_index_keywords.py <<'END'
migstream→1
migration→args→0005_index_keywords→1→0→tests/fixtures/migparse/args/migrations/0005_index_keywords.py
operation→args→0005_index_keywords→1→AddIndex(model_name='book', index=models.Index(name='book_title_idx', fields=['title']))
operation→args→0005_index_keywords→2→AddIndex(model_name='book', index=models.Index(fields=['title'], name='book_title_idx'))
END
}

# --- literals -------------------------------------------------------------

@test "migparse: quotes, prefixes, implicit concatenation and backslash-newline" {
	parses $F/literals/migrations/0001_quotes.py <<'END'
migstream→1
migration→literals→0001_quotes→1→0→tests/fixtures/migparse/literals/migrations/0001_quotes.py
operation→literals→0001_quotes→1→RunSQL(sql='single', reverse_sql='double')
operation→literals→0001_quotes→2→RunSQL(sql='triple \\'single\\' ', reverse_sql='triple "double" ')
operation→literals→0001_quotes→3→RunSQL(sql='raw \\\\n \\\\d', reverse_sql='RAW \\\\t \\\\"quoted\\\\"')
operation→literals→0001_quotes→4→RunSQL(sql='unicode prefix', reverse_sql='f-string without fields')
operation→literals→0001_quotes→5→RunSQL(sql='it\\'s', reverse_sql='say "hi"')
operation→literals→0001_quotes→6→RunSQL(sql='implicit concatenation of \\\\four')
operation→literals→0001_quotes→7→RunSQL(sql='SELECT 1 FROM t WHERE x')
operation→literals→0001_quotes→8→RunSQL(sql='line one continued\nline two')
END
}

@test "migparse: escapes, non-ASCII text and bytes" {
	parses $F/literals/migrations/0002_escapes.py <<'END'
migstream→1
migration→literals→0002_escapes→1→0→tests/fixtures/migparse/literals/migrations/0002_escapes.py
operation→literals→0002_escapes→1→RunSQL(sql='new\nline tab\tx backslash\\\\ quote\\' dquote" hexA ué U😀 octalA')
operation→literals→0002_escapes→2→RunSQL(sql='cr\\x0d bell\\x07 nul\\x00 del\\x7f unknown\\\\q')
operation→literals→0002_escapes→3→RunSQL(sql='café ünïcödé 日本語 ☃')
operation→literals→0002_escapes→4→RunSQL(sql=b'\\x00\\xff', reverse_sql=b'\\\\x00', state_operations=b'abc\n')
END
}

@test "migparse: numbers in decimal and as Python's repr prints floats" {
	parses $F/literals/migrations/0003_numbers.py <<'END'
migstream→1
migration→literals→0003_numbers→1→0→tests/fixtures/migparse/literals/migrations/0003_numbers.py
operation→literals→0003_numbers→1→AddField(model_name='t', name='a', field=models.IntegerField(default=16))
operation→literals→0003_numbers→2→AddField(model_name='t', name='b', field=models.IntegerField(default=1000))
operation→literals→0003_numbers→3→AddField(model_name='t', name='c', field=models.FloatField(default=1.5))
operation→literals→0003_numbers→4→AddField(model_name='t', name='d', field=models.FloatField(default=1e-05))
operation→literals→0003_numbers→5→AddField(model_name='t', name='e', field=models.IntegerField(default=-1))
operation→literals→0003_numbers→6→AddField(model_name='t', name='f', field=models.FloatField(default=-2.5))
operation→literals→0003_numbers→7→AddField(model_name='t', name='g', field=models.JSONField(default=[15, 5, 0, 1e+16, 1000.0, 0.5, 5.0, 0.0001, 123456789012345678901234567890]))
END
}

@test "migparse: True, False, None, lists, tuples, dicts and sets" {
	parses $F/literals/migrations/0004_collections.py <<'END'
migstream→1
migration→literals→0004_collections→1→0→tests/fixtures/migparse/literals/migrations/0004_collections.py
operation→literals→0004_collections→1→AddField(model_name='t', name='a', field=models.BooleanField(null=False, default=True, db_default=None))
operation→literals→0004_collections→2→AddField(model_name='t', name='b', field=models.CharField(max_length=1, choices=[('a', 'A'), ('b', 'B')]))
operation→literals→0004_collections→3→AlterUniqueTogether(name='t', unique_together={('a', 'b')})
operation→literals→0004_collections→4→AlterIndexTogether(name='t', index_together=set())
operation→literals→0004_collections→5→AlterModelOptions(name='t', options={'permissions': (('read', 'Can read'),), 'ordering': ('a',), 'tuple': ()})
operation→literals→0004_collections→6→AlterModelOptions(name='t', options={'set': {'a', 'b'}, 'list': ['x'], 'tuple': ('y',), 'empty': {}})
END
}

# --- expressions ----------------------------------------------------------

@test "migparse: Q, F, database functions and methods of expressions" {
	parses $F/expressions/migrations/0001_q_f.py <<'END'
migstream→1
migration→expressions→0001_q_f→1→0→tests/fixtures/migparse/expressions/migrations/0001_q_f.py
operation→expressions→0001_q_f→1→AddConstraint(model_name='book', constraint=models.CheckConstraint(condition=models.Q(price__gte=0), name='price_gte_0'))
operation→expressions→0001_q_f→2→AddConstraint(model_name='book', constraint=models.CheckConstraint(condition=models.Q(('a', 1), b=2, _connector='OR'), name='q_args'))
operation→expressions→0001_q_f→3→AddIndex(model_name='book', index=models.Index(models.functions.Lower('name'), name='book_lower_name'))
operation→expressions→0001_q_f→4→AddIndex(model_name='book', index=models.Index(models.F(name='price').desc(), models.F(name='id').asc(nulls_last=True), name='book_price_desc'))
operation→expressions→0001_q_f→5→AddConstraint(model_name='book', constraint=models.UniqueConstraint(models.functions.Lower('name'), models.F(name='shelf'), name='u_name'))
END
}

@test "migparse: ~, | and & keep their operators, parenthesized where precedence needs it" {
	parses $F/expressions/migrations/0002_operators.py <<'END'
migstream→1
migration→expressions→0002_operators→1→0→tests/fixtures/migparse/expressions/migrations/0002_operators.py
operation→expressions→0002_operators→1→AddConstraint(model_name='book', constraint=models.CheckConstraint(condition=~models.Q(title=''), name='title_not_blank'))
operation→expressions→0002_operators→2→AddConstraint(model_name='book', constraint=models.CheckConstraint(condition=models.Q(a=1) | models.Q(b=2), name='a_or_b'))
operation→expressions→0002_operators→3→AddConstraint(model_name='book', constraint=models.CheckConstraint(condition=models.Q(a=1) & models.Q(b=2), name='a_and_b'))
operation→expressions→0002_operators→4→AddConstraint(model_name='book', constraint=models.CheckConstraint(condition=models.Q(a=1) | models.Q(b=2) & ~models.Q(c=3), name='precedence'))
operation→expressions→0002_operators→5→AddConstraint(model_name='book', constraint=models.CheckConstraint(condition=(models.Q(a=1) | models.Q(b=2)) & models.Q(c=3), name='parentheses'))
operation→expressions→0002_operators→6→AddConstraint(model_name='book', constraint=models.CheckConstraint(condition=models.Q(a=1) | models.Q(b=2) & models.Q(c=3), name='redundant'))
operation→expressions→0002_operators→7→AddField(model_name='book', name='score', field=models.IntegerField(db_default=models.Value(value=2) * (models.F(name='a') + 1) - models.F(name='b')))
END
	restream <"$T/stdout" | cmp - "$T/stdout"
}

@test "migparse: a conditional expression on a constant is decided, on a setting kept" {
	parses $F/expressions/migrations/0003_conditional.py <<'END'
migstream→1
migration→expressions→0003_conditional→1→0→tests/fixtures/migparse/expressions/migrations/0003_conditional.py
operation→expressions→0003_conditional→1→RunSQL(sql='SELECT 2')
operation→expressions→0003_conditional→2→AddField(model_name='book', name='title', field=models.CharField(max_length=5, db_index=True))
operation→expressions→0003_conditional→3→RunSQL(sql='SELECT 1' if settings.DEBUG else 'SELECT 2')
operation→expressions→0003_conditional→4→RunSQL(sql='a' if settings.A else 'b' if settings.B else 'c')
operation→expressions→0003_conditional→5→RunSQL(sql=('a' if settings.A else 'b') if settings.B else 'c')
END
}

# --- settings -------------------------------------------------------------

@test "migparse: settings stay symbolic; swappable dependencies are settings.X __first__" {
	parses $F/profiles/migrations/0002_profile.py <<'END'
migstream→1
migration→profiles→0002_profile→1→0→tests/fixtures/migparse/profiles/migrations/0002_profile.py
dependency→profiles→0002_profile→settings.AUTH_USER_MODEL→__first__
dependency→profiles→0002_profile→accounts→__first__
dependency→profiles→0002_profile→profiles→0001_initial
operation→profiles→0002_profile→1→AddField(model_name='profile', name='user', field=models.OneToOneField(to=settings.AUTH_USER_MODEL, on_delete=models.CASCADE))
operation→profiles→0002_profile→2→RunSQL(sql=settings.CUSTOM_SQL)
END
}

# --- constants ------------------------------------------------------------

@test "migparse: module constants, +, format, join, % and A + B of module lists" {
	parses $F/constants/migrations/0001_module.py <<'END'
migstream→1
migration→constants→0001_module→0→0→tests/fixtures/migparse/constants/migrations/0001_module.py
operation→constants→0001_module→1→RunSQL(sql='CREATE INDEX CONCURRENTLY book_title_idx ON library_book (title);', reverse_sql='DROP INDEX CONCURRENTLY book_title_idx;')
operation→constants→0001_module→2→RunSQL(sql='SELECT title, price FROM library_book')
operation→constants→0001_module→3→RunSQL(sql='ALTER TABLE library_book ADD COLUMN pages integer', reverse_sql=['title', 'price'])
END
}

@test "migparse: class-level lists, operations +=, .append and .extend" {
	parses $F/constants/migrations/0002_class.py <<'END'
migstream→1
migration→constants→0002_class→1→0→tests/fixtures/migparse/constants/migrations/0002_class.py
operation→constants→0002_class→1→RunSQL(sql='CREATE TABLE book ()')
operation→constants→0002_class→2→RunSQL(sql='GRANT SELECT ON book TO reader')
operation→constants→0002_class→3→RunSQL(sql='50%')
operation→constants→0002_class→4→RunSQL(sql='GRANT SELECT ON author TO reader')
operation→constants→0002_class→5→RunSQL(sql='-- author')
END
}

# --- code -----------------------------------------------------------------

@test "migparse: RunPython names its functions, noop, lambdas; calls to local functions stay there, and are run elsewhere" {
	parses $F/code/migrations/0001_runpython.py <<'END'
migstream→1
migration→code→0001_runpython→1→0→tests/fixtures/migparse/code/migrations/0001_runpython.py
operation→code→0001_runpython→1→RunPython(code=forwards, reverse_code=backwards)
operation→code→0001_runpython→2→RunPython(code=forwards, reverse_code=RunPython.noop, elidable=True)
operation→code→0001_runpython→3→RunPython(code=lambda: ..., reverse_code=lambda: ...)
operation→code→0001_runpython→4→RunPython(code=make_code('Author'), reverse_code=make_code('Book', field='title'), atomic=False)
operation→code→0001_runpython→5→RunPython(code=backwards, reverse_code=forwards, hints={'target_db': 'default'})
operation→code→0001_runpython→6→RunSQL(sql='DROP TABLE library_book')
END
}

@test "migparse: function bodies are skipped: match, walrus, f-strings, Python 2 print" {
	parses $F/code/migrations/0002_unknown_syntax.py <<'END'
migstream→1
migration→code→0002_unknown_syntax→1→0→tests/fixtures/migparse/code/migrations/0002_unknown_syntax.py
operation→code→0002_unknown_syntax→1→RunPython(code=forwards, reverse_code=backwards)
END
}

@test "migparse: a function body with an f-string nesting its own quotes is skipped" {
	skip "BUG: f\"{\"(\"}\" (Python 3.12) in a def body: '(' is never closed"
	parses $F/code/migrations/0003_nested_quotes.py <<'END'
migstream→1
migration→code→0003_nested_quotes→1→0→tests/fixtures/migparse/code/migrations/0003_nested_quotes.py
operation→code→0003_nested_quotes→1→RunPython(code=forwards)
END
}

# --- the bytes of the source ----------------------------------------------

@test "migparse: a coding declaration of Latin-1 converts the file to UTF-8" {
	source_fixtures
	cd "$T"
	parses src/migrations/0001_latin1.py <<'END'
migstream→1
migration→src→0001_latin1→1→0→src/migrations/0001_latin1.py
operation→src→0001_latin1→1→RunSQL(sql='café £ ÿ')
END
}

@test "migparse: CRLF line ends, in a triple-quoted string too" {
	source_fixtures
	cd "$T"
	parses src/migrations/0002_crlf.py <<'END'
migstream→1
migration→src→0002_crlf→1→0→src/migrations/0002_crlf.py
operation→src→0002_crlf→1→RunSQL(sql='SELECT 1;\nSELECT 2;', reverse_sql='SELECT 3;')
END
}

@test "migparse: CR line ends" {
	source_fixtures
	cd "$T"
	parses src/migrations/0003_cr.py <<'END'
migstream→1
migration→src→0003_cr→1→0→src/migrations/0003_cr.py
operation→src→0003_cr→1→RunSQL(sql='SELECT 1')
END
}

@test "migparse: tab indentation" {
	source_fixtures
	cd "$T"
	parses src/migrations/0004_tabs.py <<'END'
migstream→1
migration→src→0004_tabs→0→0→src/migrations/0004_tabs.py
operation→src→0004_tabs→1→RunSQL(sql='SELECT 1')
END
}

@test "migparse: backslash continuation lines" {
	source_fixtures
	cd "$T"
	parses src/migrations/0005_continuation.py <<'END'
migstream→1
migration→src→0005_continuation→1→1→src/migrations/0005_continuation.py
operation→src→0005_continuation→1→RunSQL(sql='SELECT 1 FROM t')
END
}

@test "migparse: a byte order mark" {
	source_fixtures
	cd "$T"
	parses src/migrations/0006_bom.py <<'END'
migstream→1
migration→src→0006_bom→1→0→src/migrations/0006_bom.py
operation→src→0006_bom→1→RunSQL(sql='SELECT 1')
END
}

@test "migparse: no newline at the end of the file" {
	source_fixtures
	cd "$T"
	parses src/migrations/0007_no_final_newline.py <<'END'
migstream→1
migration→src→0007_no_final_newline→1→0→src/migrations/0007_no_final_newline.py
operation→src→0007_no_final_newline→1→RunSQL(sql='SELECT 1')
END
}

# --- conditions -----------------------------------------------------------

@test "migparse: connection.vendor == 'postgresql' is true, != false, else and elif follow" {
	parses $F/vendor/migrations/0001_postgresql.py <<'END'
migstream→1
migration→vendor→0001_postgresql→0→0→tests/fixtures/migparse/vendor/migrations/0001_postgresql.py
run_before→vendor→0001_postgresql→other→0001_initial
operation→vendor→0001_postgresql→1→RunSQL(sql='CREATE EXTENSION IF NOT EXISTS citext')
END
}

@test "migparse: an attribute assigned under a condition it cannot tell is an error" {
	fails_py $F/vendor/migrations/0002_unknown_condition.py \
		"$F/vendor/migrations/0002_unknown_condition.py:9:9: operations cannot be read statically: assigned under the condition at line 8, which migparse cannot decide: it depends on sys.version_info, which migparse does not know: give its value with -D \"sys.version_info=VALUE\" or the map line \"define sys.version_info=VALUE\""
}

@test "migparse: a condition it cannot tell is no error when what it assigns is not used" {
	parses $F/vendor/migrations/0003_unknown_unused.py <<'END'
migstream→1
migration→vendor→0003_unknown_unused→1→0→tests/fixtures/migparse/vendor/migrations/0003_unknown_unused.py
operation→vendor→0003_unknown_unused→1→RunSQL(sql='SELECT 1')
END
}

@test "migparse: an attribute assigned in the else of a condition it cannot tell is an error" {
	fails_py $F/vendor/migrations/0004_unknown_else.py \
		"$F/vendor/migrations/0004_unknown_else.py:11:9: atomic cannot be read statically: assigned under the condition at line 8, which migparse cannot decide: it depends on sys.platform, which migparse does not know: give its value with -D \"sys.platform=VALUE\" or the map line \"define sys.platform=VALUE\""
}

# --- the migration record and its keys ------------------------------------

@test "migparse: initial, atomic, dependencies, replaces and run_before" {
	parses $F/flags/migrations/0001_initial.py $F/flags/migrations/0002_defaults.py <<'END'
migstream→1
migration→flags→0001_initial→0→1→tests/fixtures/migparse/flags/migrations/0001_initial.py
dependency→flags→0001_initial→library→0001_initial
dependency→flags→0001_initial→auth→__first__
dependency→flags→0001_initial→contenttypes→__latest__
replaces→flags→0001_initial→flags→0001_squashed_a
replaces→flags→0001_initial→flags→0002_squashed_b
run_before→flags→0001_initial→other→0002_later
migration→flags→0002_defaults→1→0→tests/fixtures/migparse/flags/migrations/0002_defaults.py
END
}

@test "migparse: -a gives the app label of every file" {
	parses -a shop $OK1 $F/flags/migrations/0002_defaults.py <<END
migstream→1
migration→shop→0001_first→1→0→$OK1
operation→shop→0001_first→1→RunSQL(sql='SELECT 1')
migration→shop→0002_defaults→1→0→$F/flags/migrations/0002_defaults.py
END
}

@test "migparse: -n gives the migration name; - reads standard input" {
	PARSES_STDIN=$OK2 parses -a shop -n 0007_from_stdin - <<'END'
migstream→1
migration→shop→0007_from_stdin→1→0→-
dependency→shop→0007_from_stdin→ok→0001_first
operation→shop→0007_from_stdin→1→RunSQL(sql='SELECT 2')
END
}

@test "migparse: -n with a file" {
	parses -n 0009_renamed $OK1 <<END
migstream→1
migration→ok→0009_renamed→1→0→$OK1
operation→ok→0009_renamed→1→RunSQL(sql='SELECT 1')
END
}

@test "migparse: the FILE field is the path as given" {
	parses ./$OK1 "$TOP/$OK1" <<END
migstream→1
migration→ok→0001_first→1→0→./$OK1
operation→ok→0001_first→1→RunSQL(sql='SELECT 1')
migration→ok→0001_first→1→0→$TOP/$OK1
operation→ok→0001_first→1→RunSQL(sql='SELECT 1')
END
}

@test "migparse: a file named from inside its migrations directory" {
	cd $F/ok/migrations
	parses 0001_first.py <<'END'
migstream→1
migration→ok→0001_first→1→0→0001_first.py
operation→ok→0001_first→1→RunSQL(sql='SELECT 1')
END
}

@test "migparse: a file named migrations/NAME.py from inside its app directory" {
	cd $F/ok
	parses migrations/0001_first.py <<'END'
migstream→1
migration→ok→0001_first→1→0→migrations/0001_first.py
operation→ok→0001_first→1→RunSQL(sql='SELECT 1')
END
}

# --- canonical output -----------------------------------------------------

@test "migparse: the same files give the same bytes every time" {
	local files=($F/[!b]*/migrations/*.py)
	migparse "${files[@]}" >"$T/first" 2>/dev/null || true
	migparse "${files[@]}" >"$T/second" 2>/dev/null || true
	[ "$(grep -c '^operation' "$T/first")" -gt 50 ]
	cmp "$T/first" "$T/second"
	migparse $OK1 $OK1 >"$T/twice"
	{ head -3 "$T/twice"; tail -2 "$T/twice"; } | cmp - "$T/twice"
	[ "$(sed -n 2,3p "$T/twice")" = "$(sed -n 4,5p "$T/twice")" ]
}

@test "migparse: restream re-writes the stream of every fixture byte for byte" {
	need_tool restream
	source_fixtures
	local f files=()
	for f in $F/*/migrations/*.py "$T"/src/migrations/*.py; do
		# BUG (see the operators test): its operators come out empty.
		files+=("$f")
	done
	migparse "${files[@]}" 2>/dev/null | grep -v '^failed' >"$T/stream" || true
	[ "$(grep -c '^migration' "$T/stream")" -gt 25 ]
	restream <"$T/stream" >"$T/again"
	cmp "$T/stream" "$T/again"
}

@test "migparse: restream re-writes the stream of the conformance sources byte for byte" {
	need_shared
	need_tool restream
	# what the real-* sets import from their projects, as they ran
	run --separate-stderr migparse -m $F-real/django-cms.map -m $F-real/wagtail.map -m $F-real/taiga-back.map \
		"$SHARED"/conformance/*/src/*/migrations/*.py
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	printf '%s\n' "$output" >"$T/stream"
	restream <"$T/stream" >"$T/again"
	cmp "$T/stream" "$T/again"
}

# --- errors ---------------------------------------------------------------

@test "migparse: a missing file" {
	fails $F/bad/migrations/0000_missing.py \
		"$F/bad/migrations/0000_missing.py: No such file or directory"
}

@test "migparse: a directory" {
	fails $F/bad/migrations "$F/bad/migrations: is a directory"
}

@test "migparse: an empty file" {
	fails $F/bad/migrations/0001_empty.py \
		"$F/bad/migrations/0001_empty.py: empty file: not a migration"
}

@test "migparse: a file of white space" {
	fails $F/bad/migrations/0002_whitespace.py \
		"$F/bad/migrations/0002_whitespace.py: empty file: not a migration"
}

@test "migparse: NUL bytes" {
	mkdir -p "$T/bad/migrations"
	printf 'from django.db import migrations\n\0\n' >"$T/bad/migrations/0001_nul.py"
	fails "$T/bad/migrations/0001_nul.py" \
		"$T/bad/migrations/0001_nul.py: contains NUL bytes: not a Python source file"
}

@test "migparse: bytes that are not UTF-8, with no coding declared" {
	mkdir -p "$T/bad/migrations"
	printf 'from django.db import migrations\n\nSQL = "caf\xe9"\n' \
		>"$T/bad/migrations/0001_latin1.py"
	fails "$T/bad/migrations/0001_latin1.py" \
		"$T/bad/migrations/0001_latin1.py:3:11: invalid UTF-8 (byte 0xe9); migration files must be UTF-8 or declare their coding"
}

@test "migparse: bytes that are not UTF-8, with coding utf-8 declared" {
	mkdir -p "$T/bad/migrations"
	printf '# -*- coding: utf-8 -*-\nSQL = "\xff"\n' \
		>"$T/bad/migrations/0001_utf8.py"
	fails "$T/bad/migrations/0001_utf8.py" \
		"$T/bad/migrations/0001_utf8.py:2:8: invalid UTF-8 (byte 0xff); migration files must be UTF-8 or declare their coding"
}

@test "migparse: an unterminated string" {
	fails_py $F/bad/migrations/0003_unterminated_string.py \
		"$F/bad/migrations/0003_unterminated_string.py:3:7: unterminated string literal"
}

@test "migparse: an unterminated triple-quoted string" {
	fails_py $F/bad/migrations/0004_unterminated_triple.py \
		"$F/bad/migrations/0004_unterminated_triple.py:9:27: unterminated string literal"
}

@test "migparse: a bracket never closed" {
	fails_py $F/bad/migrations/0005_unclosed_bracket.py \
		"$F/bad/migrations/0005_unclosed_bracket.py:5:18: '[' is never closed"
}

@test "migparse: a closing bracket with none open" {
	fails_py $F/bad/migrations/0006_unmatched_closer.py \
		"$F/bad/migrations/0006_unmatched_closer.py:7:6: unmatched ']'"
}

@test "migparse: a closing bracket of the wrong kind" {
	fails_py $F/bad/migrations/0007_mismatched_closer.py \
		"$F/bad/migrations/0007_mismatched_closer.py:7:5: closing ']' does not match '(' opened at line 6"
	fails_py $F/bad/migrations/0026_mismatched_paren.py \
		"$F/bad/migrations/0026_mismatched_paren.py:6:37: closing ']' does not match '(' opened at line 6"
}

@test "migparse: an unindent to no outer level" {
	fails_py $F/bad/migrations/0008_unindent.py \
		"$F/bad/migrations/0008_unindent.py:6:3: unindent does not match any outer indentation level"
}

@test "migparse: an unexpected indent" {
	fails_py $F/bad/migrations/0009_unexpected_indent.py \
		"$F/bad/migrations/0009_unexpected_indent.py:6:9: unexpected indent"
}

@test "migparse: a missing colon" {
	fails_py $F/bad/migrations/0025_syntax.py \
		"$F/bad/migrations/0025_syntax.py:4:38: invalid syntax: expected ':'"
}

@test "migparse: what used to be unreadable: a comprehension, a function of the file, *args, an f-string" {
	parses $F/bad/migrations/0010_comprehension.py $F/bad/migrations/0011_local_helper.py \
		$F/bad/migrations/0012_local_operation.py $F/bad/migrations/0013_star_args.py \
		$F/bad/migrations/0014_fstring.py <<'END'
migstream→1
migration→bad→0010_comprehension→1→0→tests/fixtures/migparse/bad/migrations/0010_comprehension.py
operation→bad→0010_comprehension→1→RunSQL(sql='SELECT 1')
operation→bad→0010_comprehension→2→RunSQL(sql='SELECT 2')
migration→bad→0011_local_helper→1→0→tests/fixtures/migparse/bad/migrations/0011_local_helper.py
operation→bad→0011_local_helper→1→RunSQL(sql='SELECT 1')
migration→bad→0012_local_operation→1→0→tests/fixtures/migparse/bad/migrations/0012_local_operation.py
operation→bad→0012_local_operation→1→RunSQL(sql='SELECT 0')
operation→bad→0012_local_operation→2→RunSQL(sql='SELECT 1')
migration→bad→0013_star_args→1→0→tests/fixtures/migparse/bad/migrations/0013_star_args.py
operation→bad→0013_star_args→1→RunSQL(sql='SELECT 1', reverse_sql='SELECT 2')
migration→bad→0014_fstring→1→0→tests/fixtures/migparse/bad/migrations/0014_fstring.py
operation→bad→0014_fstring→1→RunSQL(sql='DROP TABLE library_book')
END
}

@test "migparse: an undefined name" {
	fails_py $F/bad/migrations/0015_undefined_name.py \
		"$F/bad/migrations/0015_undefined_name.py:6:27: operations cannot be read statically: name 'UNDEFINED_SQL' is not defined"
}

@test "migparse: no class Migration" {
	fails_py $F/bad/migrations/0016_no_migration_class.py \
		"$F/bad/migrations/0016_no_migration_class.py: no class Migration in the file"
}

@test "migparse: operations that are not a list" {
	fails_py $F/bad/migrations/0017_operations_not_list.py \
		"$F/bad/migrations/0017_operations_not_list.py:5:18: operations must be a list"
}

@test "migparse: an operation that is not a call" {
	fails_py $F/bad/migrations/0018_operation_not_call.py \
		"$F/bad/migrations/0018_operation_not_call.py:7:9: operation 2 is not an operation call"
}

@test "migparse: dependencies that are not pairs" {
	fails_py $F/bad/migrations/0019_dependency_not_pair.py \
		"$F/bad/migrations/0019_dependency_not_pair.py:7:9: each of dependencies must be a pair of strings (app label, migration name)"
	fails_py $F/bad/migrations/0020_dependency_string.py \
		"$F/bad/migrations/0020_dependency_string.py:5:21: each of dependencies must be a pair of strings (app label, migration name)"
}

@test "migparse: too many positional arguments" {
	fails_py $F/bad/migrations/0021_too_many_positional.py \
		"$F/bad/migrations/0021_too_many_positional.py:6:84: operations cannot be read statically: AddField takes 4 positional arguments"
	fails_py $F/bad/migrations/0024_constraint_positional.py \
		"$F/bad/migrations/0024_constraint_positional.py:6:65: operations cannot be read statically: models.CheckConstraint takes 0 positional arguments"
}

@test "migparse: an argument given twice" {
	fails_py $F/bad/migrations/0022_multiple_values.py \
		"$F/bad/migrations/0022_multiple_values.py:6:45: operations cannot be read statically: DeleteModel got multiple values for argument 'name'"
}

@test "migparse: atomic that is not True or False" {
	fails_py $F/bad/migrations/0023_atomic_not_bool.py \
		"$F/bad/migrations/0023_atomic_not_bool.py:5:14: atomic must be True or False"
}

@test "migparse: standard input without -a or -n" {
	{ ok_stream; printf 'failed\tmigparse\t2\n'; } >"$T/expected"
	run --separate-stderr 		migparse "$OK1" - "$OK2" <$OK1
	[ "$status" -eq 2 ]
	[ "$stderr" = "migparse: -: cannot tell the app label: the path is not .../APP/migrations/NAME.py; give it with -a LABEL" ]
	diff -u "$T/expected" <(printf '%s\n' "$output")
	run --separate-stderr 		migparse -a ok "$OK1" - "$OK2" <$OK1
	[ "$status" -eq 2 ]
	[ "$stderr" = "migparse: -: standard input needs -n NAME for the migration's name" ]
	diff -u "$T/expected" <(printf '%s\n' "$output")
}

@test "migparse: a path without APP/migrations/ and no -a" {
	cp $OK1 "$T/loose.py"
	{ ok_stream; printf 'failed\tmigparse\t2\n'; } >"$T/expected"
	run --separate-stderr 		migparse "$OK1" "$T/loose.py" "$OK2"
	[ "$status" -eq 2 ]
	[ "$stderr" = "migparse: $T/loose.py: cannot tell the app label: the path is not .../APP/migrations/NAME.py; give it with -a LABEL" ]
	diff -u "$T/expected" <(printf '%s\n' "$output")
}

@test "migparse: no leak when the app label or the name cannot be told" {
	cp $OK1 "$T/loose.py"
	fails "$T/loose.py" "$T/loose.py: cannot tell the app label: the path is not .../APP/migrations/NAME.py; give it with -a LABEL"
	fails - "-: cannot tell the app label: the path is not .../APP/migrations/NAME.py; give it with -a LABEL" <$OK1
}

@test "migparse: a bad option prints the usage and exits 2" {
	run --separate-stderr migparse -x $OK1
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "migparse: invalid option -- 'x'
usage: migparse [-a LABEL] [-n NAME] [-D NAME=VALUE] [-F DIR] [-m MAPFILE] FILE..." ]
	run --separate-stderr migparse
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "usage: migparse [-a LABEL] [-n NAME] [-D NAME=VALUE] [-F DIR] [-m MAPFILE] FILE..." ]
}

@test "migparse: an error writing standard output exits 1" {
	[ -w /dev/full ] || skip "no /dev/full"
	local rc=0
	migparse $OK1 $F/bad/migrations/0001_empty.py >/dev/full 2>"$T/stderr" ||
		rc=$?
	[ "$rc" -eq 1 ]
	printf 'migparse: %s\n' "$F/bad/migrations/0001_empty.py: empty file: not a migration" \
		"write error: No space left on device" | diff -u - "$T/stderr"
}

@test "migparse: no crash on any truncation of the fixtures" {
	source_fixtures
	mkdir -p "$T/cut/migrations"
	local f n i k=0
	for f in $F/*/migrations/*.py "$T"/src/migrations/*.py; do
		n=$(wc -c <"$f")
		for i in 1 2 3 5 8 13 21 34 55 89; do
			k=$((k + 1))
			head -c $((n * i / 97)) "$f" >"$T/cut/migrations/c$k.py"
		done
	done
	run --separate-stderr migparse "$T"/cut/migrations/*.py
	[ "$status" -eq 0 ] || [ "$status" -eq 2 ]
	run grep -v "^migparse: $T/cut/migrations/c[0-9]*\.py" <<<"$stderr"
	[ "$output" = "" ]
}

# --- what real projects' files do (tests/fixtures/migparse-real) ------------

R=tests/fixtures/migparse-real

@test "migparse: comprehensions, * unpacking, range, itertools.chain and chain.from_iterable" {
	parses $R/shop/migrations/0001_comprehensions.py <<'END'
migstream→1
migration→shop→0001_comprehensions→1→0→tests/fixtures/migparse-real/shop/migrations/0001_comprehensions.py
operation→shop→0001_comprehensions→1→RunSQL(sql='ANALYZE shop_book')
operation→shop→0001_comprehensions→2→RunSQL(sql='ANALYZE shop_author')
operation→shop→0001_comprehensions→3→RunSQL(sql='CREATE INDEX book_id ON shop_book (id)')
operation→shop→0001_comprehensions→4→RunSQL(sql='CREATE INDEX book_name ON shop_book (name)')
operation→shop→0001_comprehensions→5→RunSQL(sql='CREATE INDEX author_id ON shop_author (id)')
operation→shop→0001_comprehensions→6→AddField(model_name='book', name='template', field=models.CharField(max_length=20, choices=[('a.html', 'A.HTML'), ('b.html', 'B.HTML')]))
operation→shop→0001_comprehensions→7→AddField(model_name='book', name='colour', field=models.CharField(max_length=9, choices=[('red', 'red'), ('green', 'green')]))
operation→shop→0001_comprehensions→8→RunSQL(sql='SELECT 1', hints={'a': 1, 'b': 2})
operation→shop→0001_comprehensions→9→RunSQL(sql='SELECT 2')
operation→shop→0001_comprehensions→10→RunSQL(sql='SELECT 3')
operation→shop→0001_comprehensions→11→RunSQL(sql='SELECT 9')
operation→shop→0001_comprehensions→12→RunSQL(sql='VACUUM shop_book')
operation→shop→0001_comprehensions→13→RunSQL(sql='VACUUM shop_author')
END
}

@test "migparse: functions of the module and of the class body are run when called: defaults, keywords, if, locals" {
	parses $R/shop/migrations/0002_functions.py <<'END'
migstream→1
migration→shop→0002_functions→1→0→tests/fixtures/migparse-real/shop/migrations/0002_functions.py
dependency→shop→0002_functions→shop→0001_comprehensions
operation→shop→0002_functions→1→RunSQL(sql='CREATE TRIGGER book_t BEFORE UPDATE ON shop_book', reverse_sql=RunSQL.noop)
operation→shop→0002_functions→2→RunSQL(sql='CREATE TRIGGER author_t AFTER UPDATE ON shop_author', reverse_sql='DROP TRIGGER author_t ON shop_author')
operation→shop→0002_functions→3→RunSQL(sql='ANALYZE shop_book')
operation→shop→0002_functions→4→RunSQL(sql='SELECT \\'x\\'')
operation→shop→0002_functions→5→RunPython(code=forwards, reverse_code=RunPython.noop)
END
}

@test "migparse: conditions on imported constants are decided by -D" {
	parses -D dbsettings.settings.USE_SITES=False $R/shop/migrations/0003_imported_condition.py <<'END'
migstream→1
migration→shop→0003_imported_condition→1→0→tests/fixtures/migparse-real/shop/migrations/0003_imported_condition.py
dependency→shop→0003_imported_condition→shop→0002_functions
operation→shop→0003_imported_condition→1→RunSQL(sql='SELECT 0')
END
	parses -D dbsettings.settings.USE_SITES=True -D "dbsettings.settings.SITE_TABLE='django_site'" \
		$R/shop/migrations/0003_imported_condition.py <<'END'
migstream→1
migration→shop→0003_imported_condition→1→0→tests/fixtures/migparse-real/shop/migrations/0003_imported_condition.py
dependency→shop→0003_imported_condition→shop→0002_functions
operation→shop→0003_imported_condition→1→RunSQL(sql='SELECT 1')
operation→shop→0003_imported_condition→2→RunSQL(sql='ALTER TABLE shop_book ADD site_id int')
END
	# the last value given wins; True and 1 are alike
	parses -D dbsettings.settings.USE_SITES=False -D dbsettings.settings.USE_SITES=1 \
		-D "dbsettings.settings.SITE_TABLE='other'" $R/shop/migrations/0003_imported_condition.py <<'END'
migstream→1
migration→shop→0003_imported_condition→1→0→tests/fixtures/migparse-real/shop/migrations/0003_imported_condition.py
dependency→shop→0003_imported_condition→shop→0002_functions
operation→shop→0003_imported_condition→1→RunSQL(sql='SELECT 1')
END
}

@test "migparse: -m reads the define lines of a map file and skips migstate's" {
	printf '%s\n' '# a map' 'setting AUTH_USER_MODEL=auth.User' 'external taggit' \
		'taggit.managers.TaggableManager=models.ManyToManyField' \
		'define dbsettings.settings.USE_SITES=False' >"$T/project.map"
	parses -m "$T/project.map" $R/shop/migrations/0003_imported_condition.py <<'END'
migstream→1
migration→shop→0003_imported_condition→1→0→tests/fixtures/migparse-real/shop/migrations/0003_imported_condition.py
dependency→shop→0003_imported_condition→shop→0002_functions
operation→shop→0003_imported_condition→1→RunSQL(sql='SELECT 0')
END
}

@test "migparse: a condition on an imported constant not given is an error naming -D and the map line" {
	fails_py $R/shop/migrations/0003_imported_condition.py \
		"$R/shop/migrations/0003_imported_condition.py:19:9: operations cannot be read statically: assigned under the condition at line 16, which migparse cannot decide: it depends on dbsettings.settings.USE_SITES, which migparse does not know: give its value with -D \"dbsettings.settings.USE_SITES=VALUE\" or the map line \"define dbsettings.settings.USE_SITES=VALUE\""
}

@test "migparse: bad -D and define lines" {
	run --separate-stderr migparse -D 'x.y' $OK1
	[ "$status" -eq 2 ]
	[ "$stderr" = "migparse: -D 'x.y': expected NAME=VALUE, NAME a dotted name or a call as migparse writes it" ]
	run --separate-stderr migparse -D 'x.y=other.name' $OK1
	[ "$status" -eq 2 ]
	[ "$stderr" = "migparse: -D 'x.y=other.name': the value must be a Python literal (True, False, None, a number, a string, or a list, tuple or dict of them)" ]
	printf 'define a.b=1\ndefine a.c=f(\n' >"$T/bad.map"
	run --separate-stderr migparse -m "$T/bad.map" $OK1
	[ "$status" -eq 2 ]
	[ "$stderr" = "migparse: $T/bad.map:2: 'a.c=f(': expected NAME=VALUE, NAME a dotted name or a call as migparse writes it" ]
	run --separate-stderr migparse -m "$T/none.map" $OK1
	[ "$status" -eq 2 ]
	[ "$stderr" = "migparse: $T/none.map: No such file or directory" ]
}

@test "migparse: tuple unpacking: literal items, and the items of a project function's result" {
	parses $R/shop/migrations/0004_unpacking.py <<'END'
migstream→1
migration→shop→0004_unpacking→1→0→tests/fixtures/migparse-real/shop/migrations/0004_unpacking.py
dependency→shop→0004_unpacking→shop→0003_imported_condition
operation→shop→0004_unpacking→1→RunPython(code=shop.utils.make_migrations('shop', 'Rendition')[0], reverse_code=shop.utils.make_migrations('shop', 'Rendition')[1])
operation→shop→0004_unpacking→2→RunSQL(sql='a b c')
END
	# a reverse function that is None, said with -D
	parses -D "shop.utils.make_migrations('shop', 'Rendition')[1]=None" \
		$R/shop/migrations/0004_unpacking.py <<'END'
migstream→1
migration→shop→0004_unpacking→1→0→tests/fixtures/migparse-real/shop/migrations/0004_unpacking.py
dependency→shop→0004_unpacking→shop→0003_imported_condition
operation→shop→0004_unpacking→1→RunPython(code=shop.utils.make_migrations('shop', 'Rendition')[0], reverse_code=None)
operation→shop→0004_unpacking→2→RunSQL(sql='a b c')
END
}

@test "migparse: f-strings and string methods on a setting given with -D" {
	parses -D "settings.AUTH_USER_MODEL='accounts.Member'" $R/shop/migrations/0005_settings.py <<'END'
migstream→1
migration→shop→0005_settings→1→0→tests/fixtures/migparse-real/shop/migrations/0005_settings.py
dependency→shop→0005_settings→shop→0004_unpacking
operation→shop→0005_settings→1→RunSQL(sql='SELECT member_ptr FROM x -- 100%')
END
	fails_py $R/shop/migrations/0005_settings.py \
		"$R/shop/migrations/0005_settings.py:12:27: operations cannot be read statically: 'user_ptr_name' (line 4) cannot be read statically: this string formatting cannot be read statically: it depends on settings.AUTH_USER_MODEL, which migparse does not know: give its value with -D \"settings.AUTH_USER_MODEL=VALUE\" or the map line \"define settings.AUTH_USER_MODEL=VALUE\""
}

@test "migparse: a comprehension over a value not known names it" {
	fails_py $R/unread/migrations/0001_comprehension.py \
		"$R/unread/migrations/0001_comprehension.py:8:49: operations cannot be read statically: this comprehension cannot be read statically: it depends on shop.conf.get_setting('SQL'), which migparse does not know: give its value with -D \"shop.conf.get_setting('SQL')=VALUE\" or the map line \"define shop.conf.get_setting('SQL')=VALUE\""
	parses -D "shop.conf.get_setting('SQL')=['SELECT 1']" $R/unread/migrations/0001_comprehension.py <<'END'
migstream→1
migration→unread→0001_comprehension→1→0→tests/fixtures/migparse-real/unread/migrations/0001_comprehension.py
operation→unread→0001_comprehension→1→RunSQL(sql='SELECT 1')
END
}

@test "migparse: a function that does more than compute a value is an error naming it" {
	fails_py $R/unread/migrations/0002_loop_in_function.py \
		"$R/unread/migrations/0002_loop_in_function.py:6:5: operations cannot be read statically: in operations_for(), called at line 13: this statement of a function is not read (only NAME = EXPR, if and return are)"
}

@test "migparse: * unpacking of a value not known names it" {
	fails_py $R/unread/migrations/0003_star.py \
		"$R/unread/migrations/0003_star.py:8:20: operations cannot be read statically: this * unpacking cannot be read statically: it depends on shop.operations.COMMON, which migparse does not know: give its value with -D \"shop.operations.COMMON=VALUE\" or the map line \"define shop.operations.COMMON=VALUE\""
}

@test "migparse: iterating over a set is an error: its order is Python's hash order" {
	fails_py $R/unread/migrations/0004_set_order.py \
		"$R/unread/migrations/0004_set_order.py:6:62: operations cannot be read statically: this comprehension iterates over a set: Python's order for it is its hash order, which migparse does not reproduce"
}

@test "migparse: a comprehension does not see the class body's names, as in Python" {
	fails_py $R/unread/migrations/0005_class_scope.py \
		"$R/unread/migrations/0005_class_scope.py:8:37: operations cannot be read statically: name 'SQL' is not defined (a comprehension or a function does not see the names of the class body)"
}

@test "migparse: a condition inside a function is decided by -D, else names it" {
	fails_py $R/unread/migrations/0006_function_condition.py \
		"$R/unread/migrations/0006_function_condition.py:6:5: operations cannot be read statically: in aggregate_sql(), called at line 13: the condition of this if cannot be decided statically: it depends on django.db.connection.cursor().connection.server_version, which migparse does not know: give its value with -D \"django.db.connection.cursor().connection.server_version=VALUE\" or the map line \"define django.db.connection.cursor().connection.server_version=VALUE\""
	parses -D 'django.db.connection.cursor().connection.server_version=150004' \
		$R/unread/migrations/0006_function_condition.py <<'END'
migstream→1
migration→unread→0006_function_condition→1→0→tests/fixtures/migparse-real/unread/migrations/0006_function_condition.py
operation→unread→0006_function_condition→1→RunSQL(sql='CREATE AGGREGATE a (anycompatiblearray) (SFUNC = array_cat, STYPE = anycompatiblearray)')
END
}

# --- migrations given by hand ------------------------------------------------

@test "migparse: NAME.migstream beside the file is read instead of it" {
	parses $R/hand/migrations/0001_unreadable.py <<'END'
migstream→1
migration→hand→0001_unreadable→0→0→tests/fixtures/migparse-real/hand/migrations/0001_unreadable.py
operation→hand→0001_unreadable→1→RunSQL(sql='SELECT 1', reverse_sql=RunSQL.noop)
END
}

@test "migparse: -F DIR reads DIR/APP/NAME.migstream, before the one beside" {
	parses -F $R/given $R/hand/migrations/0002_other.py $R/hand/migrations/0001_unreadable.py <<'END'
migstream→1
migration→hand→0002_other→1→0→tests/fixtures/migparse-real/hand/migrations/0002_other.py
dependency→hand→0002_other→hand→0001_unreadable
allow→hand→0002_other→index-not-concurrent
operation→hand→0002_other→1→RunSQL(sql='SELECT 2')
migration→hand→0001_unreadable→0→0→tests/fixtures/migparse-real/hand/migrations/0001_unreadable.py
operation→hand→0001_unreadable→1→RunSQL(sql='SELECT 1', reverse_sql=RunSQL.noop)
END
	# given by hand for one app label, -a renames nothing: not found
	mkdir -p "$T/given/other"
	cp $R/given/hand/0002_other.migstream "$T/given/other/"
	run --separate-stderr migparse -a other -F "$T/given" $R/hand/migrations/0002_other.py
	[ "$status" -eq 2 ]
	[ "$stderr" = "migparse: $T/given/other/0002_other.migstream:2: this record is not for migration other 0002_other" ]
}

@test "migparse: an unreadable file's message says where to give it by hand; the output of migparse is such a file" {
	fails_py $R/hand/migrations/0002_other.py \
		"$R/hand/migrations/0002_other.py:8:18: operations is hand.helpers.build_operations(__name__), which migparse cannot compute"
	run --separate-stderr migparse -F "$T/given" - <$R/hand/migrations/0002_other.py
	[ "$status" -eq 2 ]
	[ "$stderr" = "migparse: -: cannot tell the app label: the path is not .../APP/migrations/NAME.py; give it with -a LABEL" ]
	run --separate-stderr migparse -a hand -n 0002_other - <$R/hand/migrations/0002_other.py
	[ "$status" -eq 2 ]
	[ "$stderr" = "migparse: -:8:18: operations is hand.helpers.build_operations(__name__), which migparse cannot compute; to give this migration by hand, write its records (migstream(5)) to DIR/hand/0002_other.migstream and add -F DIR (migparse(1))" ]
	# write it from a copy edited by hand: migparse's own output
	mkdir -p "$T/hand/hand/migrations" "$T/given/hand"
	sed 's/build_operations(__name__)/[migrations.RunSQL("SELECT 2")]/' \
		$R/hand/migrations/0002_other.py >"$T/edited.py"
	migparse -a hand -n 0002_other "$T/edited.py" >"$T/given/hand/0002_other.migstream"
	parses -F "$T/given" $R/hand/migrations/0002_other.py <<'END'
migstream→1
migration→hand→0002_other→1→0→tests/fixtures/migparse-real/hand/migrations/0002_other.py
operation→hand→0002_other→1→RunSQL(sql='SELECT 2')
END
}

@test "migparse: a migration given by hand is checked record by record" {
	run --separate-stderr migparse $OK1 $R/hand/migrations/0003_wrong.py $OK2
	[ "$status" -eq 2 ]
	diff -u - <(printf '%s\n' "$stderr") <<END
migparse: $R/hand/migrations/0003_wrong.migstream:2: operation 2 out of order (they count from 1, one after the other)
migparse: $R/hand/migrations/0003_wrong.migstream:3: a plan record has no place in a migration given by hand (migration, dependency, replaces, run_before, allow and operation do)
migparse: $R/hand/migrations/0003_wrong.migstream:4: this record is not for migration hand 0003_wrong
END
	{ ok_stream; printf 'failed\tmigparse\t2\n'; } | diff -u - <(printf '%s\n' "$output")
	printf 'operation\thand\t0003_wrong\t1\tRunSQL(sql=)\n' >"$T/0003_wrong.migstream"
	printf 'migration\thand\t0003_wrong\t2\t0\t-\n' >>"$T/0003_wrong.migstream"
	cp $R/hand/migrations/0003_wrong.py "$T/"
	run --separate-stderr migparse -a hand "$T/0003_wrong.py"
	[ "$status" -eq 2 ]
	diff -u - <(printf '%s\n' "$stderr") <<END
migparse: $T/0003_wrong.migstream:1: the first record must be the migration record
migparse: $T/0003_wrong.migstream:2:27: migration record: field 4 ('2') is not 1 or 0
END
	printf 'migration\thand\t0003_wrong\t1\t0\t-\noperation\thand\t0003_wrong\t1\tRunSQL(sql=)\noperation\thand\t0003_wrong\t2\tx\n' \
		>"$T/0003_wrong.migstream"
	run --separate-stderr migparse -a hand "$T/0003_wrong.py"
	[ "$status" -eq 2 ]
	diff -u - <(printf '%s\n' "$stderr") <<END
migparse: $T/0003_wrong.migstream:2: operation 1: unexpected ')' (column 12 of the call)
migparse: $T/0003_wrong.migstream:3: operation 2 is not an operation call
END
	: >"$T/0003_wrong.migstream"
	run --separate-stderr migparse -a hand "$T/0003_wrong.py"
	[ "$status" -eq 2 ]
	[ "$stderr" = "migparse: $T/0003_wrong.migstream: no input at all, not even the version marker (what a stage that fails early leaves)" ]
	printf 'migstream\t1\n' >"$T/0003_wrong.migstream"
	run --separate-stderr migparse -a hand "$T/0003_wrong.py"
	[ "$status" -eq 2 ]
	[ "$stderr" = "migparse: $T/0003_wrong.migstream: no migration record for hand 0003_wrong" ]
}

@test "migparse: the real-* conformance sources all read with their projects' define lines" {
	need_shared
	local p rc=0
	for p in django-cms wagtail taiga-back; do
		migparse -m $R/$p.map "$SHARED"/conformance/real-$p/src/*/migrations/*.py \
			>/dev/null 2>"$T/err.$p" || rc=1
		diff -u /dev/null "$T/err.$p"
	done
	[ "$rc" -eq 0 ]
}

@test "migparse: getattr(settings, NAME, default) is the setting -D gives, else named as one" {
	fails_py $R/unread/migrations/0007_getattr_setting.py \
		"$R/unread/migrations/0007_getattr_setting.py:8:9: operations cannot be read statically: assigned under the condition at line 5, which migparse cannot decide: it depends on settings.USE_SITES, which migparse does not know: give its value with -D \"settings.USE_SITES=VALUE\" or the map line \"define settings.USE_SITES=VALUE\""
	parses -D settings.USE_SITES=True $R/unread/migrations/0007_getattr_setting.py <<'END'
migstream→1
migration→unread→0007_getattr_setting→1→0→tests/fixtures/migparse-real/unread/migrations/0007_getattr_setting.py
operation→unread→0007_getattr_setting→1→RunSQL(sql='SELECT 1')
END
}

@test "migparse: string methods, f-strings and dict comprehensions give what Python gives" {
	# the values printed by python3 for the same expressions
	parses $R/shop/migrations/0006_strings.py <<'END'
migstream→1
migration→shop→0006_strings→1→0→tests/fixtures/migparse-real/shop/migrations/0006_strings.py
operation→shop→0006_strings→1→RunSQL(sql=[['a', 'b', 'c', '', 'd'], ['a', 'b', 'c', '', 'd'], ['a', 'b.c..d'], ['a.b.c.', 'd'], ['a.b.c', '', 'd'], ['a.b.c', 'd'], ['x', '', ''], 'ab c', 'abc', 'ABC', '3-x', 'a.b.c..d{}1None%'], hints={'a': 3, 'b': 2})
END
	printf 'from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = [migrations.RunSQL("%%d" %% 1.5), migrations.RunSQL("\xc3\x89".lower())]\n' >"$T/x.py"
	run --separate-stderr migparse -a x -n y "$T/x.py"
	[ "$status" -eq 2 ]
	[[ $stderr == "migparse: $T/x.py:3:37: operations cannot be read statically: this string formatting cannot be read statically;"* ]]
	printf 'from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = [migrations.RunSQL("\xc3\x89".lower())]\n' >"$T/x.py"
	run --separate-stderr migparse -a x -n y "$T/x.py"
	[ "$status" -eq 2 ]
	[[ $stderr == "migparse: $T/x.py:3:37: operations cannot be read statically: str.lower() of a string that is not ASCII cannot be read statically;"* ]]
}

@test "migparse: a sequence times an int and int arithmetic are computed as Python does; an imported name times an int stays an expression" {
	parses tests/fixtures/migparse-repeat/shop/migrations/0001_repeat.py <<'END'
migstream→1
migration→shop→0001_repeat→1→0→tests/fixtures/migparse-repeat/shop/migrations/0001_repeat.py
operation→shop→0001_repeat→1→RunSQL(sql='SELECT \\'x\\'\\'x\\' -- ')
operation→shop→0001_repeat→2→RunSQL(sql=['SELECT 1', 'SELECT 1', 'SELECT 2', 'SELECT 2'])
operation→shop→0001_repeat→3→RunSQL(sql=('SELECT 3', 'SELECT 3', 'SELECT 3'))
operation→shop→0001_repeat→4→CreateModel(name='Book', fields=[('id', models.BigAutoField(verbose_name='ID', primary_key=True, auto_created=True, serialize=False)), ('title', models.CharField(max_length=100, db_column='ttttt'))])
operation→shop→0001_repeat→5→AddField(model_name='book', name='code', field=models.CharField(max_length=10, db_column=shop.constants.PREFIX * 2))
END
}
