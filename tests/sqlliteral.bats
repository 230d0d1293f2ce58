#!/usr/bin/env bats
# lib/sql/sqlliteral.c through tests/sqlliteral_t: a value and a field in, the
# SQL literal Django 5.2 writes with psycopg2 2.9.5 out.
#
# Each table line is "INPUT ==> EXPECTED".  INPUT is a field's call value
# (sqlliteral_t prints its effective default), or a field, "→" for a TAB,
# and a value (sql_literal; "-" for no field).  EXPECTED is the line
# sqlliteral_t prints: the literal, "volatile: " and the literal,
# "(none)", or "error" for any "error: ..." line.

load helper

bats_require_minimum_version 1.5.0

setup() {
	migtools_setup
	# sqlliteral_t is a test helper: on PATH from MIGTOOLS_BIN under
	# `make check`, else from the normal build.
	PATH=$PATH:$TOP/build
	need_tool sqlliteral_t
}

# cases [ARGS...]: the table on standard input through sqlliteral_t ARGS;
# prints every line that does not give what it expects, and fails then.
cases() {
	grep -v -e '^#' -e '^$' | sed 's/→/\t/g' >"$T/table"
	sed 's/ ==> .*//' "$T/table" >"$T/in"
	sed 's/.* ==> //' "$T/table" >"$T/expected"
	sqlliteral_t "$@" <"$T/in" >"$T/out"
	awk -v inf="$T/in" -v wantf="$T/expected" -v outf="$T/out" 'BEGIN {
		while ((getline i <inf) > 0) {
			getline w <wantf
			if ((getline g <outf) <= 0)
				g = "(no output)"
			if (w "" == "error" && g ~ /^error: /)
				continue
			if (g "" != w "") {	# as strings: 0.0 is not 0.00
				bad++
				print "input:    " i
				print "expected: " w
				print "got:      " g
			}
		}
		exit bad > 0
	}'
	[ "$(wc -l <"$T/out")" -eq "$(wc -l <"$T/in")" ]
}

# Taken from ../shared/conformance: the DEFAULT of ADD COLUMN and the
# UPDATE ... SET of AlterField that Django wrote for these fields (the
# migration named above each), db_default constants as sql_literal.
@test "sqlliteral: the defaults of the conformance migrations" {
	cases <<'END'
# gen-1/catalog/0011_rename_catal_messag_headli_8c9505_idx_catal_messag_headli_253807_idx_and_more
models.CharField(max_length=255, blank=True, default='draft', choices=[('draft', 'Draft'), ('active', 'Active'), ('closed', 'Closed')], help_text='Optional.') ==> 'draft'
# gen-1/catalog/0015_remove_vendor_vendor_excl_47d8eb_and_more
models.IntegerField(default=0) ==> 0
# gen-1/catalog/0017_rename_catal_messag_valid__83e565_idx_catal_messag_valid__1b9de6_idx_and_more
models.DateField(default=datetime.date(2024, 1, 1)) ==> '2024-01-01'::date
# gen-1/catalog/0029_invitation_quantity_message_quantity
models.BooleanField(default=False, help_text='Optional.', db_comment='User\'s choice') ==> false
# gen-1/catalog/0032_report_position
models.BigIntegerField(db_index=True, default=0) ==> 0
# gen-1/logistics/0011_warehouse_archived
models.BooleanField(default=True, help_text='Optional.') ==> true
# gen-1/logistics/0015_warehouse_counter
models.PositiveSmallIntegerField(db_index=True, default=100) ==> 100
# gen-1/logistics/0018_alter_warehouse_counter
models.IntegerField(db_index=True, default=100, db_default=7)→7 ==> 7
# gen-1/logistics/0020_warehouse_slug_alter_warehouse_vendors
models.BigIntegerField(db_default=1)→1 ==> 1
# gen-1/logistics/0026_warehouse_search_vector_and_more
models.IntegerField(db_index=True, default=100) ==> 100
# gen-1/travel/0003_supplier_reference
models.IntegerField(db_default=42)→42 ==> 42
# gen-1/travel/0025_remove_comment_valid_from_event_metadata
postgres.fields.HStoreField(blank=True, default=dict) ==> ''::hstore
# gen-1/travel/0026_comment_discount_alter_comment_period_team_and_more
models.DecimalField(verbose_name='amount due', max_digits=10, decimal_places=2, default=decimal.Decimal('0.00')) ==> 0.00
# gen-1/wiki/0013_rename_ip_address_orderline_color_orderline_city_and_more
models.CharField(verbose_name='amount due', max_length=120, db_index=True, default='', help_text='Internal use only.') ==> ''
# gen-1/wiki/0019_orderline_discount_orderline_metadata_and_more
models.DecimalField(max_digits=10, decimal_places=2, default=decimal.Decimal('0')) ==> 0
# gen-1/wiki/0019_orderline_discount_orderline_metadata_and_more
models.DurationField(default=datetime.timedelta(0)) ==> '0 days 0.000000 seconds'::interval
# gen-1/wiki/0032_remove_orderline_orderline_capacity_uniq_79db5c_and_more
models.CharField(max_length=20, default='draft', choices=[('draft', 'Draft'), ('active', 'Active'), ('closed', 'Closed')], db_comment='Set by the sync job') ==> 'draft'
# gen-1/wiki/0040_venue_quantity_region
models.SmallIntegerField(default=0, validators=[django.core.validators.MinValueValidator(limit_value=0)]) ==> 0
# gen-2/events/0003_remove_ticket_ticket_publisher_uniq_7fbeaf_and_more
models.BooleanField(default=False, db_default=False)→False ==> false
# gen-2/events/0008_alter_ticket_capacity
models.JSONField(default=list) ==> '[]'::jsonb
# gen-2/events/0011_publisher_booking
models.ForeignKey(to='payments.booking', on_delete=models.CASCADE, related_name='publishers', default=1) ==> 1
# gen-2/events/0013_publisher_caption_alter_ticket_publisher
models.FileField(upload_to='documents/%Y/%m/', default='') ==> ''
# gen-2/events/0019_ticket_latitude
models.FloatField(default=0, help_text='Internal use only.') ==> 0.0
# gen-2/events/0025_payment_caption
models.CharField(max_length=40, db_default='new')→'new' ==> 'new'
# gen-2/events/0037_publisher_ticket
models.OneToOneField(to='events.ticket', on_delete=models.CASCADE, default=1) ==> 1
# gen-2/forum/0022_coupon_quantity_warehouse_published
models.PositiveBigIntegerField(default=0) ==> 0
# gen-2/forum/0037_alter_region_options_message_flags_and_more
postgres.fields.ArrayField(base_field=models.TextField(), size=None, default=list) ==> '{}'
# gen-2/forum/0037_alter_region_options_message_flags_and_more
models.PositiveBigIntegerField(db_default=0)→0 ==> 0
# gen-2/payments/0035_project_balance_alter_book_caption_and_more
models.IntegerField(db_default=0)→0 ==> 0
# gen-2/payments/0040_book_metadata_project_device_and_more
models.JSONField(db_comment='Set by the sync job', default=dict) ==> '{}'::jsonb
# gen-2/travel/0021_shipment_created_at
models.BooleanField(db_default=False)→False ==> false
# gen-2/travel/0024_alter_shipment_flags_alter_shipment_name_and_more
models.CharField(max_length=64, db_default='unknown')→'unknown' ==> 'unknown'
# gen-3/billing/0020_department_body_supplier_website
models.URLField(default='', max_length=500) ==> ''
# gen-3/billing/0022_department_starts_on
postgres.fields.ArrayField(base_field=models.IntegerField(), size=3, blank=True, default=list) ==> '{}'
# gen-3/billing/0030_department_flags
postgres.fields.ArrayField(base_field=models.DecimalField(max_digits=8, decimal_places=2), size=None, blank=True, default=list) ==> '{}'
# gen-3/billing/0036_alter_department_counter
models.BigIntegerField(validators=[django.core.validators.MinValueValidator(limit_value=0)], db_default=0)→0 ==> 0
# gen-3/catalog/0002_rename_metadata_tag_email_channel_description_and_more
models.TextField(default='') ==> ''
# gen-3/catalog/0033_rename_description_tag_uuid_orderline_opened_at_and_more
models.BooleanField(db_default=True)→True ==> true
# gen-3/forum/0004_booking_payload_alter_publisher_budget
models.BinaryField(verbose_name='reference', default=b'') ==> '\x'::bytea
# gen-3/forum/0011_publisher_email
models.EmailField(default='none', max_length=254) ==> 'none'
# gen-3/forum/0016_alter_subscription_published
models.BooleanField(default=True, db_default=False)→False ==> false
# gen-3/forum/0027_team_document_alter_category_publisher_attachment_and_more
models.CharField(max_length=40, db_default='pending')→'pending' ==> 'pending'
# gen-3/payments/0007_shipment_duration_shipment_opens_at
models.TimeField(default=datetime.time(0, 0)) ==> '00:00:00'::time
# gen-3/payments/0011_remove_shipment_payme_shipme_kind_c73619_idx_and_more
models.FloatField(default=0.0) ==> 0.0
# gen-4/media/0008_report_ip_address
models.GenericIPAddressField(default='127.0.0.1') ==> '127.0.0.1'::inet
# gen-4/media/0023_vendor_views_supplier_media_suppli_tags_33c38d_gin
models.BooleanField(default=True, db_default=True)→True ==> true
# gen-4/media/0040_room_attempts
models.PositiveIntegerField(default=1) ==> 1
# gen-4/travel/0003_device_period_device_slug
models.SlugField(default='') ==> ''
# gen-4/travel/0027_remove_order_tags_device_capacity
models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MinValueValidator(limit_value=0)]) ==> 0
# gen-4/wiki/0009_alter_employee_email
models.EmailField(default='', max_length=254) ==> ''
# gen-4/wiki/0022_warehouse_quantity_alter_category_unique_together
models.PositiveIntegerField(default=0) ==> 0
# gen-5/catalog/0037_department_capacity_region_notes
models.SmallIntegerField(db_default=42)→42 ==> 42
# gen-5/forum/0009_vendor_title_alter_report_height_and_more
models.CharField(max_length=20, default='unknown', db_collation='und-x-icu') ==> 'unknown'
# gen-6/clinic/0008_team_flags
models.JSONField(blank=True, db_comment='Primary display value', default=dict) ==> '{}'::jsonb
# gen-6/forum/0023_alter_comment_longitude
models.BooleanField(null=True, db_default=False)→False ==> false
# gen-6/forum/0036_alter_department_birth_date_alter_department_table
models.DateField(default=datetime.date(2021, 6, 1)) ==> '2021-06-01'::date
# gen-6/inventory/0015_review_description_alter_review_opens_at
models.TimeField(default=datetime.time(9, 0), help_text='Internal use only.') ==> '09:00:00'::time
# squashed/support/0033_badge_start_time_alter_room_city
models.CharField(max_length=200, db_index=True, default='draft', choices=[('draft', 'Draft'), ('active', 'Active'), ('closed', 'Closed')], db_default='unknown')→'unknown' ==> 'unknown'
# squashed/support/0037_vendor_discount_alter_badge_id
models.DecimalField(max_digits=8, decimal_places=2, default=decimal.Decimal('0.00')) ==> 0.00
# squashed/support/0040_order_description_alter_warehouse_title
models.SmallIntegerField(db_default=1)→1 ==> 1
# squashed/support/0040_order_description_alter_warehouse_title
models.CharField(max_length=64, blank=True, null=True, db_default='unknown')→'unknown' ==> 'unknown'
# squashed/support/0056_project_name_ticket_document
models.CharField(max_length=50, blank=True, null=True, default='draft', choices=[('draft', 'Draft'), ('active', 'Active'), ('closed', 'Closed')]) ==> 'draft'
# squashed/travel/0030_course_position
models.PositiveSmallIntegerField(verbose_name='reference', default=1) ==> 1
# squashed/travel/0049_region_store_region_uuid
models.IntegerField(default=10) ==> 10
END
}

# The conformance values are those of the clock when they were recorded;
# with the clock fixed there, the same literals come out (the uuid4()
# values differ: 'e57e...'::uuid and this one compare equal).
@test "sqlliteral: volatile defaults, with the clock fixed" {
	cases -n 1795392828285110 <<'END'
# gen-1/catalog/0002_store_parent_vendor_updated_at
models.DateTimeField(default=django.utils.timezone.now) ==> volatile: '2026-11-23T00:13:48.285110+00:00'::timestamptz
# squashed/travel/0056_coupon_deadline
models.DateField(auto_now_add=True, default=django.utils.timezone.now) ==> volatile: '2026-11-23'::date
# gen-2/events/0018_payment_token: '83f60001-3381-4f72-a52f-ab4c3fa9f6a2'::uuid
models.UUIDField(default=uuid.uuid4, editable=False) ==> volatile: '00000000-0000-4000-8000-000000000001'::uuid
models.CharField(max_length=36, default=uuid.uuid4) ==> volatile: '00000000-0000-4000-8000-000000000002'
models.TimeField(auto_now=True) ==> volatile: '00:13:48.285110'::time
models.DateField(auto_now=True) ==> volatile: '2026-11-23'::date
models.DateTimeField(auto_now_add=True) ==> volatile: '2026-11-23T00:13:48.285110+00:00'::timestamptz
models.DateTimeField(default=datetime.datetime.now) ==> volatile: '2026-11-23T00:13:48.285110+00:00'::timestamptz
models.CharField(max_length=40, default=django.utils.timezone.now) ==> volatile: '2026-11-23 00:13:48.285110+00:00'
models.TimeField(default=django.utils.timezone.now) ==> volatile: '00:13:48.285110'::time
models.DateField(default=datetime.date.today) ==> volatile: '2026-11-23'::date
models.JSONField(default=django.utils.timezone.now, encoder=django.core.serializers.json.DjangoJSONEncoder) ==> volatile: '"2026-11-23T00:13:48.285Z"'::jsonb
END
}

@test "sqlliteral: effective defaults (_effective_default)" {
	cases <<'END'
models.CharField(max_length=10) ==> (none)
models.CharField(max_length=10, blank=True) ==> ''
models.CharField(max_length=10, blank=True, null=True) ==> (none)
models.TextField(blank=True, default=None) ==> (none)
models.IntegerField(blank=True) ==> (none)
models.BinaryField(blank=True) ==> '\x'::bytea
models.BinaryField(default=bytes) ==> '\x'::bytea
models.BinaryField(default=str) ==> '\x'::bytea
models.BinaryField(default='') ==> error
models.JSONField(default=None) ==> (none)
models.JSONField(null=True, blank=True) ==> (none)
models.JSONField(default=tuple) ==> '[]'::jsonb
models.JSONField(default={'a': [1, 'b']}) ==> '{"a": [1, "b"]}'::jsonb
models.TextField(default=str) ==> ''
models.IntegerField(default=int) ==> 0
models.IntegerField(default=-1) ==>  -1
models.FloatField(default=float) ==> 0.0
models.BooleanField(default=bool) ==> false
models.DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal) ==> 0
models.DecimalField(max_digits=5, decimal_places=2, default=0.1) ==> 0.10000
models.DurationField(default=datetime.timedelta) ==> '0 days 0.000000 seconds'::interval
postgres.fields.ArrayField(base_field=models.IntegerField(), default=tuple) ==> '{}'
postgres.fields.ArrayField(base_field=models.IntegerField(), default=[1, -2]) ==> ARRAY[1, -2]
postgres.fields.HStoreField(default={'a': 1}) ==> hstore(ARRAY['a'], ARRAY['1'])
postgres.fields.IntegerRangeField(default=(1, 10)) ==> '[1,10)'
models.GeneratedField(expression=models.F('a'), output_field=models.IntegerField(), db_persist=True) ==> (none)
models.BigAutoField(primary_key=True, serialize=False) ==> (none)
models.DateTimeField(default=datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)) ==> '2020-01-02T03:04:05+00:00'::timestamptz
models.DateTimeField(default=datetime.datetime(2020, 1, 2, 3, 4, 5)) ==> '2020-01-02T03:04:05+00:00'::timestamptz
models.UUIDField(default=uuid.UUID('12345678-1234-5678-1234-567812345678')) ==> '12345678-1234-5678-1234-567812345678'::uuid
models.CharField(max_length=10, default=myapp.models.make_code) ==> error
models.CharField(max_length=10, default=lambda: ...) ==> error
models.CharField(max_length=10, default=settings.LANGUAGE_CODE) ==> error
models.CharField(max_length=10, default=os.environ.get('CURRENCY', 'USD')) ==> error
taggit.managers.TaggableManager(to='taggit.tag', through='taggit.taggeditem') ==> error
END
}

# Checked against psycopg2 2.9.5's cursor.mogrify() on a PostgreSQL 15
# connection (with register_uuid() and a global register_hstore(), as
# Django has them).
@test "sqlliteral: psycopg2's adapters" {
	cases <<'END'
-→None ==> (none)
-→True ==> true
-→False ==> false
-→0 ==> 0
-→1 ==> 1
-→-1 ==>  -1
-→-42 ==>  -42
-→12345678901234567890123 ==> 12345678901234567890123
-→0.0 ==> 0.0
-→-0.0 ==>  -0.0
-→1.5 ==> 1.5
-→-1.5 ==>  -1.5
-→1e+16 ==> 1e+16
-→1e-05 ==> 1e-05
-→0.0001 ==> 0.0001
-→123456789.123 ==> 123456789.123
-→float('inf') ==> 'Infinity'::float
-→float('-inf') ==> '-Infinity'::float
-→float('nan') ==> 'NaN'::float
-→decimal.Decimal('0') ==> 0
-→decimal.Decimal('0.00') ==> 0.00
-→decimal.Decimal('-1.50') ==>  -1.50
-→decimal.Decimal('1E+2') ==> 1E+2
-→decimal.Decimal('1e-7') ==> 1E-7
-→decimal.Decimal('0.000001') ==> 0.000001
-→decimal.Decimal('-0') ==>  -0
-→decimal.Decimal('NaN') ==> 'NaN'::numeric
-→decimal.Decimal('Infinity') ==> 'NaN'::numeric
-→decimal.Decimal('-Infinity') ==> 'NaN'::numeric
-→decimal.Decimal(' 1_000.5 ') ==> 1000.5
-→decimal.Decimal(1.1) ==> 1.100000000000000088817841970012523233890533447265625
-→decimal.Decimal(0.5) ==> 0.5
-→decimal.Decimal(-2.0) ==>  -2
-→decimal.Decimal(1e20) ==> 100000000000000000000
-→decimal.Decimal(5e-324) ==> 4.940656458412465441765687928682213723650598026143247644255856825006755072702087518652998363616359923797965646954457177309266567103559397963987747960107818781263007131903114045278458171678489821036887186360569987307230500063874091535649843873124733972731696151400317153853980741262385655911710266585566867681870395603106249319452715914924553293054565444011274801297099995419319894090804165633245247571478690147267801593552386115501348035264934720193790268107107491703332226844753335720832431936092382893458368060106011506169809753078342277318329247904982524730776375927247874656084778203734469699533647017972677717585125660551199131504891101451037862738167250955837389733598993664809941164205702637090279242767544565229087538682506419718265533447265625E-324
-→decimal.Decimal(12) ==> 12
-→'' ==> ''
-→'x' ==> 'x'
-→"it's" ==> 'it''s'
-→'back\\slash' ==> 'back\slash'
-→'tab\there' ==> 'tab	here'
-→'ünïcödé' ==> 'ünïcödé'
-→'😀' ==> '😀'
-→b'' ==> '\x'::bytea
-→b'\x00\xff' ==> '\x00ff'::bytea
-→b'abc' ==> '\x616263'::bytea
-→[] ==> '{}'
-→[1, 2, 3] ==> ARRAY[1,2,3]
-→[-1, 2] ==> ARRAY[ -1,2]
-→['a', "b'c"] ==> ARRAY['a','b''c']
-→[None] ==> '{NULL}'
-→[None, None] ==> '{NULL,NULL}'
-→[None, 1] ==> ARRAY[NULL,1]
-→[[1, 2], [3, 4]] ==> ARRAY[ARRAY[1,2],ARRAY[3,4]]
-→[[], []] ==> ARRAY[ARRAY[],ARRAY[]]
-→[[None], [None]] ==> '{{NULL},{NULL}}'
-→[[None], [1]] ==> ARRAY['{NULL}',ARRAY[1]]
-→[[], [1]] ==> ARRAY[ARRAY[],ARRAY[1]]
-→[1.5, None] ==> ARRAY[1.5,NULL]
-→[decimal.Decimal('1.0'), decimal.Decimal('-2')] ==> ARRAY[1.0, -2]
-→[datetime.date(2020, 1, 2)] ==> ARRAY['2020-01-02'::date]
-→[True, False] ==> ARRAY[true,false]
-→() ==> ()
-→(1,) ==> (1)
-→(1, 'a', None) ==> (1, 'a', NULL)
-→{} ==> ''::hstore
-→{'a': '1'} ==> hstore(ARRAY['a'], ARRAY['1'])
-→{'a': None} ==> hstore(ARRAY['a'], '{NULL}')
-→{'a': '1', 'b': None} ==> hstore(ARRAY['a','b'], ARRAY['1',NULL])
-→{'k': 'v', "q'": "w\\x"} ==> hstore(ARRAY['k','q'''], ARRAY['v','w\x'])
-→datetime.date(2020, 1, 2) ==> '2020-01-02'::date
-→datetime.date(1, 1, 1) ==> '0001-01-01'::date
-→datetime.datetime(2020, 1, 2, 3, 4, 5) ==> '2020-01-02T03:04:05'::timestamp
-→datetime.datetime(2020, 1, 2, 3, 4, 5, 6) ==> '2020-01-02T03:04:05.000006'::timestamp
-→datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc) ==> '2020-01-02T03:04:05+00:00'::timestamptz
-→datetime.datetime(2020, 1, 2, 3, 4, 5, 123000, tzinfo=datetime.timezone.utc) ==> '2020-01-02T03:04:05.123000+00:00'::timestamptz
-→datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30))) ==> '2020-01-02T00:00:00+05:30'::timestamptz
-→datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone(-datetime.timedelta(hours=3))) ==> '2020-01-02T00:00:00-03:00'::timestamptz
-→datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(seconds=3661))) ==> '2020-01-02T00:00:00+01:01:01'::timestamptz
-→datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(seconds=1, microseconds=5))) ==> '2020-01-02T00:00:00+00:00:01.000005'::timestamptz
-→datetime.time(0, 0) ==> '00:00:00'::time
-→datetime.time(9, 0) ==> '09:00:00'::time
-→datetime.time(23, 59, 59, 999999) ==> '23:59:59.999999'::time
-→datetime.time(9, 30, tzinfo=datetime.timezone.utc) ==> '09:30:00+00:00'::timetz
-→datetime.timedelta(0) ==> '0 days 0.000000 seconds'::interval
-→datetime.timedelta(days=1) ==> '1 days 0.000000 seconds'::interval
-→datetime.timedelta(days=-1) ==> '-1 days 0.000000 seconds'::interval
-→datetime.timedelta(seconds=-1) ==> '-1 days 86399.000000 seconds'::interval
-→datetime.timedelta(microseconds=-1) ==> '-1 days 86399.999999 seconds'::interval
-→datetime.timedelta(1, 2, 3) ==> '1 days 2.000003 seconds'::interval
-→datetime.timedelta(weeks=2, hours=3, minutes=4, milliseconds=5) ==> '14 days 11040.005000 seconds'::interval
-→datetime.timedelta(hours=1.5) ==> '0 days 5400.000000 seconds'::interval
-→datetime.timedelta(seconds=0.1) ==> '0 days 0.100000 seconds'::interval
-→datetime.timedelta(seconds=1.0000005) ==> '0 days 1.000001 seconds'::interval
-→datetime.timedelta(microseconds=0.5) ==> '0 days 0.000000 seconds'::interval
-→datetime.timedelta(microseconds=1.5) ==> '0 days 0.000002 seconds'::interval
-→datetime.timedelta(microseconds=2.5) ==> '0 days 0.000002 seconds'::interval
-→datetime.timedelta(microseconds=-0.5) ==> '0 days 0.000000 seconds'::interval
-→datetime.timedelta(days=0.1, seconds=0.3, microseconds=0.7) ==> '0 days 8640.300001 seconds'::interval
-→datetime.timedelta(days=-1.7, hours=25.123) ==> '-1 days 29962.800000 seconds'::interval
-→datetime.timedelta(minutes=1e-7) ==> '0 days 0.000006 seconds'::interval
-→datetime.timedelta(days=999999999) ==> '999999999 days 0.000000 seconds'::interval
-→uuid.UUID('12345678-1234-5678-1234-567812345678') ==> '12345678-1234-5678-1234-567812345678'::uuid
-→uuid.UUID('{12345678123456781234567812345678}') ==> '12345678-1234-5678-1234-567812345678'::uuid
-→uuid.UUID('urn:uuid:12345678-1234-5678-1234-567812345678') ==> '12345678-1234-5678-1234-567812345678'::uuid
-→uuid.UUID(int=1) ==> '00000000-0000-0000-0000-000000000001'::uuid
-→uuid.UUID(int=340282366920938463463374607431768211455) ==> 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid
-→psycopg2.extras.NumericRange(1, 10) ==> '[1,10)'
-→psycopg2.extras.NumericRange(1, 10, '[]') ==> '[1,10]'
-→psycopg2.extras.NumericRange(None, 10) ==> '[,10)'
-→psycopg2.extras.NumericRange(1, None, '()') ==> '(1,)'
-→psycopg2.extras.NumericRange(empty=True) ==> 'empty'
-→psycopg2.extras.NumericRange(-1, 2) ==> '[ -1,2)'
-→psycopg2.extras.NumericRange(decimal.Decimal('1.5'), decimal.Decimal('2.5')) ==> '[1.5,2.5)'
-→psycopg2.extras.DateRange(datetime.date(2020, 1, 1), datetime.date(2021, 1, 1)) ==> daterange('2020-01-01'::date, '2021-01-01'::date, '[)')
-→psycopg2.extras.DateRange(None, datetime.date(2021, 1, 1), '(]') ==> daterange(NULL, '2021-01-01'::date, '(]')
-→psycopg2.extras.DateRange(empty=True) ==> 'empty'::daterange
-→psycopg2.extras.DateTimeTZRange(datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc), None) ==> tstzrange('2020-01-01T00:00:00+00:00'::timestamptz, NULL, '[)')
-→psycopg2.extras.DateTimeRange(datetime.datetime(2020, 1, 1), datetime.datetime(2020, 1, 2)) ==> tsrange('2020-01-01T00:00:00'::timestamp, '2020-01-02T00:00:00'::timestamp, '[)')
END
}

# Checked against Django 5.2's get_db_prep_save() as its source reads, on
# Python 3.11's own str(), int(), float(), Decimal, json and datetime.
@test "sqlliteral: the fields prepare values as Django does" {
	cases <<'END'
models.CharField(max_length=10)→1 ==> '1'
models.CharField(max_length=10)→-1.5 ==> '-1.5'
models.CharField(max_length=10)→True ==> 'True'
models.CharField(max_length=10)→None ==> (none)
models.CharField(max_length=10)→decimal.Decimal('1.10') ==> '1.10'
models.CharField(max_length=10)→b'public' ==> 'b''public'''
models.CharField(max_length=10)→b"it's" ==> 'b"it''s"'
models.CharField(max_length=10)→[1, 'a', None] ==> '[1, ''a'', None]'
models.CharField(max_length=10)→('x',) ==> '(''x'',)'
models.CharField(max_length=10)→{'a': [1.5]} ==> '{''a'': [1.5]}'
models.CharField(max_length=10)→datetime.date(2020, 1, 2) ==> '2020-01-02'
models.CharField(max_length=10)→datetime.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc) ==> '2020-01-02 03:04:05.000006+00:00'
models.CharField(max_length=10)→datetime.time(1, 2) ==> '01:02:00'
models.CharField(max_length=10)→datetime.timedelta(days=-1, seconds=5) ==> '-1 day, 0:00:05'
models.CharField(max_length=10)→datetime.timedelta(days=2, microseconds=7) ==> '2 days, 0:00:00.000007'
models.CharField(max_length=10)→datetime.timedelta(days=1) ==> '1 day, 0:00:00'
models.CharField(max_length=10)→uuid.UUID(int=255) ==> '00000000-0000-0000-0000-0000000000ff'
models.CharField(max_length=10)→"a'b\"c" ==> 'a''b"c'
models.CharField(max_length=10)→['caf\xe9', '\x00\t'] ==> '[''café'', ''\x00\t'']'
models.CharField(max_length=10)→1e300 ==> '1e+300'
models.CharField(max_length=10)→float('nan') ==> 'nan'
models.IntegerField()→'  42 ' ==> 42
models.IntegerField()→'1_000' ==> 1000
models.IntegerField()→'-0' ==> 0
models.IntegerField()→1.9 ==> 1
models.IntegerField()→-1.9 ==>  -1
models.IntegerField()→True ==> 1
models.IntegerField()→1e20 ==> 100000000000000000000
models.IntegerField()→decimal.Decimal('12.99') ==> 12
models.IntegerField()→decimal.Decimal('-1E+3') ==>  -1000
models.FloatField()→1 ==> 1.0
models.FloatField()→'1.5' ==> 1.5
models.FloatField()→' -2e3 ' ==>  -2000.0
models.FloatField()→'inf' ==> 'Infinity'::float
models.FloatField()→'-Infinity' ==> '-Infinity'::float
models.FloatField()→'nan' ==> 'NaN'::float
models.FloatField()→decimal.Decimal('0.1') ==> 0.1
models.FloatField()→12345678901234567890 ==> 1.2345678901234567e+19
models.FloatField()→True ==> 1.0
models.DecimalField(max_digits=5, decimal_places=2)→0.1 ==> 0.10000
models.DecimalField(max_digits=5, decimal_places=2)→1.0 ==> 1
models.DecimalField(max_digits=3, decimal_places=2)→999.99 ==> 1.00E+3
models.DecimalField(max_digits=4, decimal_places=2)→0.00012345 ==> 0.0001234
models.DecimalField(max_digits=10, decimal_places=2)→-2.5 ==>  -2.5
models.DecimalField(max_digits=28, decimal_places=2)→0.1 ==> 0.1000000000000000055511151231
models.DecimalField(max_digits=2, decimal_places=2)→0.0 ==> 0
models.DecimalField(max_digits=5, decimal_places=2)→12345678.9 ==> 1.2346E+7
models.DecimalField(max_digits=6, decimal_places=2)→1e20 ==> 1.00000E+20
models.DecimalField()→'1.50' ==> 1.50
models.DecimalField()→' 3 ' ==> 3
models.DecimalField()→'1e2' ==> 1E+2
models.DecimalField()→'.5' ==> 0.5
models.DecimalField()→'5.' ==> 5
models.DecimalField()→'-0.0' ==>  -0.0
models.DecimalField()→7 ==> 7
models.JSONField()→None ==> (none)
models.JSONField()→'text' ==> '"text"'::jsonb
models.JSONField()→{'a': 1, 'b': [True, False, None], 'c': {'d': 1.5}} ==> '{"a": 1, "b": [true, false, null], "c": {"d": 1.5}}'::jsonb
models.JSONField()→{1: 'x', 2.5: 'y', True: 'z', None: 'n'} ==> '{"1": "z", "2.5": "y", "null": "n"}'::jsonb
models.JSONField()→['caf\xe9', '\U0001f600', '\x7f', '\x1f', 'tab\t"q"\\'] ==> '["caf\u00e9", "\ud83d\ude00", "\u007f", "\u001f", "tab\t\"q\"\\"]'::jsonb
models.JSONField()→float('inf') ==> 'Infinity'::jsonb
models.JSONField()→[float('nan'), -0.0, 1e16, 1e-7] ==> '[NaN, -0.0, 1e+16, 1e-07]'::jsonb
models.JSONField()→(1, 2) ==> '[1, 2]'::jsonb
models.JSONField()→"it's" ==> '"it''s"'::jsonb
models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)→[decimal.Decimal('1.5'), uuid.UUID(int=1)] ==> '["1.5", "00000000-0000-0000-0000-000000000001"]'::jsonb
models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)→datetime.datetime(2020, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone.utc) ==> '"2020-01-02T03:04:05.123Z"'::jsonb
models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)→datetime.datetime(2020, 1, 2, 3, 4, 5) ==> '"2020-01-02T03:04:05"'::jsonb
models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)→datetime.date(2020, 1, 2) ==> '"2020-01-02"'::jsonb
models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)→datetime.time(3, 4, 5, 123456) ==> '"03:04:05.123"'::jsonb
models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)→datetime.timedelta(days=1, hours=2, seconds=3, microseconds=4) ==> '"P1DT02H00M03.000004S"'::jsonb
models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)→datetime.timedelta(days=-1, seconds=1) ==> '"-P0DT23H59M59S"'::jsonb
models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)→datetime.timedelta(0) ==> '"P0DT00H00M00S"'::jsonb
models.BooleanField()→1 ==> true
models.BooleanField()→0.0 ==> false
models.BooleanField()→'t' ==> true
models.BooleanField()→'False' ==> false
models.BooleanField()→decimal.Decimal('1.0') ==> true
models.DateField()→'2020-01-02' ==> '2020-01-02'::date
models.DateField()→datetime.datetime(2020, 1, 2, 23, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-2))) ==> '2020-01-03'::date
models.DateField()→datetime.datetime(2020, 1, 2, 1, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))) ==> '2020-01-01'::date
models.DateField()→datetime.datetime(2020, 1, 2, 23, 0) ==> '2020-01-02'::date
models.DateTimeField()→'2020-01-02 03:04:05' ==> '2020-01-02T03:04:05+00:00'::timestamptz
models.DateTimeField()→'2020-01-02T03:04:05.5+05:30' ==> '2020-01-02T03:04:05.500000+05:30'::timestamptz
models.DateTimeField()→'2020-01-02T03:04:05Z' ==> '2020-01-02T03:04:05+00:00'::timestamptz
models.DateTimeField()→datetime.date(2020, 1, 2) ==> '2020-01-02T00:00:00+00:00'::timestamptz
models.DateTimeField()→datetime.datetime(2020, 1, 2, 3, 4) ==> '2020-01-02T03:04:00+00:00'::timestamptz
models.DateTimeField()→datetime.datetime(2020, 1, 2, 3, 4, tzinfo=datetime.timezone(datetime.timedelta(hours=1))) ==> '2020-01-02T03:04:00+01:00'::timestamptz
models.TimeField()→'09:30' ==> '09:30:00'::time
models.TimeField()→'09:30:15.25' ==> '09:30:15.250000'::time
models.TimeField()→datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc) ==> '03:04:05'::time
models.TimeField()→datetime.time(1, 2, 3, 4) ==> '01:02:03.000004'::time
models.UUIDField()→'12345678123456781234567812345678' ==> '12345678-1234-5678-1234-567812345678'::uuid
models.UUIDField()→'{12345678-1234-5678-1234-567812345678}' ==> '12345678-1234-5678-1234-567812345678'::uuid
models.UUIDField()→12 ==> '00000000-0000-0000-0000-00000000000c'::uuid
models.GenericIPAddressField()→'2001:0db8:0000:0000:0000:0000:0000:0001' ==> '2001:db8::1'::inet
models.GenericIPAddressField()→'::FFFF:1.2.3.4' ==> '::ffff:1.2.3.4'::inet
models.GenericIPAddressField(unpack_ipv4=True)→'::ffff:10.0.0.1' ==> '10.0.0.1'::inet
models.GenericIPAddressField()→'1:0:0:2:0:0:0:3' ==> '1:0:0:2::3'::inet
models.GenericIPAddressField()→'' ==> (none)
models.GenericIPAddressField()→'not an ip:' ==> 'not an ip:'::inet
postgres.fields.ArrayField(base_field=models.IntegerField())→['1', 2, None] ==> ARRAY[1,2,NULL]
postgres.fields.ArrayField(base_field=models.JSONField())→[None, {'a': 1}] ==> ARRAY['null'::jsonb,'{"a": 1}'::jsonb]
postgres.fields.ArrayField(base_field=postgres.fields.ArrayField(base_field=models.CharField(max_length=3)))→[['a', 1], []] ==> ARRAY[ARRAY['a','1'],ARRAY[]]
postgres.fields.HStoreField()→{'a': 1, 'b': None, 2: 'x'} ==> hstore(ARRAY['a','b','2'], ARRAY['1',NULL,'x'])
postgres.fields.DateTimeRangeField(default_bounds='[]')→(datetime.datetime(2020, 1, 1), None) ==> tstzrange('2020-01-01T00:00:00'::timestamp, NULL, '[]')
postgres.fields.DateRangeField()→[datetime.date(2020, 1, 1), datetime.date(2020, 2, 1)] ==> daterange('2020-01-01'::date, '2020-02-01'::date, '[)')
postgres.fields.DecimalRangeField()→psycopg2.extras.NumericRange(decimal.Decimal('1.5'), None, '[]') ==> '[1.5,]'
models.BinaryField()→b'\x01ab' ==> '\x016162'::bytea
models.DurationField()→datetime.timedelta(hours=-1) ==> '-1 days 82800.000000 seconds'::interval
models.DurationField()→'1 day' ==> '1 day'
models.ForeignKey(to='app.model', on_delete=models.CASCADE)→5 ==> 5
models.SmallIntegerField()→-1 ==>  -1
models.DecimalField(max_digits=5, decimal_places=2)→decimal.Decimal('-1.50') ==>  -1.50
models.CharField(max_length=5)→models.Value(value='x') ==> 'x'
-→models.Value(value=datetime.datetime(2020, 1, 2)) ==> '2020-01-02T00:00:00+00:00'::timestamptz
-→models.Value(value=None, output_field=models.JSONField()) ==> 'null'::jsonb
-→models.Value(value=None) ==> (none)
END
}

@test "sqlliteral: what cannot be rendered is an error" {
	cases <<'END'
models.IntegerField()→'1.5' ==> error
models.FloatField()→'0x10' ==> error
models.DecimalField()→'NaN' ==> error
models.DecimalField()→'abc' ==> error
models.JSONField()→decimal.Decimal('1.5') ==> error
models.BooleanField()→'yes' ==> error
models.BooleanField()→2 ==> error
models.DateField()→'2020-02-30' ==> error
models.UUIDField()→'nope' ==> error
models.BinaryField()→'abc' ==> error
models.ManyToManyField(to='app.model')→5 ==> error
models.CharField()→django.utils.timezone.now ==> error
models.CharField()→settings.FOO ==> error
models.CharField()→'a\x00b' ==> error
models.CharField()→['\u0100'] ==> error
models.DecimalField(max_digits=5, decimal_places=2)→decimal.Decimal('NaN') ==> error
models.DateTimeField()→datetime.datetime(2020, 1, 2, tzinfo=zoneinfo.ZoneInfo('Europe/Paris')) ==> error
-→{1, 2} ==> error
END
}
