#!/usr/bin/env bats
# The condition module (lib/sql/where.c), through tests/where_t: a Q condition
# over a model state, rendered as Django 5.2 renders a CheckConstraint's
# check or a partial index's WHERE clause on PostgreSQL.  where_t reads
# "STATE<TAB>CONDITION" lines and writes the SQL, or "error: ..."; its
# literals are a stand-in for psycopg2's (integers and floats as written,
# strings quoted, True/False, None as NULL, decimal.Decimal('x') as x).
#
# In the tables below a case is two lines: the condition (or, for the
# conformance cases, "STATE→CONDITION"), then "=> " and what where_t
# writes.  The conformance cases are every distinct condition of
# ../shared/conformance with the SQL Django ran for it; the others were
# checked against Django 5.2 itself.

load helper

bats_require_minimum_version 1.5.0

setup() {
	migtools_setup
	# where_t is a test helper: on PATH from MIGTOOLS_BIN under
	# `make check`, else from the normal build.
	PATH=$PATH:$TOP/build
	need_tool where_t
}

# renders [STATE]: the pairs of lines on standard input, each condition
# (over STATE when given; "STATE→CONDITION" otherwise) and "=> " the
# output expected for it.  where_t must write exactly those outputs, say
# nothing on stderr and exit 0.
renders() {
	local rc=0
	sed 's/→/\t/g' >"$T/pairs"
	S=${1-} awk 'NR % 2 == 1 {
		if (ENVIRON["S"] != "") print ENVIRON["S"] "\t" $0
		else print
	}' "$T/pairs" >"$T/in"
	awk 'NR % 2 == 0 { sub(/^=> /, ""); print }' "$T/pairs" >"$T/expected"
	where_t <"$T/in" >"$T/out" 2>"$T/err" || rc=$?
	diff -u "$T/expected" "$T/out"
	diff -u /dev/null "$T/err"
	[ "$rc" -eq 0 ]
}

# A model with a field of each kind.
BOOK="ModelState(app_label='shop', name='Book', db_table='shop_book', fields=[('id', models.BigAutoField(primary_key=True, serialize=False)), ('title', models.CharField(max_length=100)), ('notes', models.TextField(null=True)), ('price', models.DecimalField(max_digits=10, decimal_places=2)), ('ratio', models.FloatField(null=True)), ('qty', models.PositiveSmallIntegerField()), ('n', models.IntegerField(null=True)), ('big', models.BigIntegerField()), ('flag', models.BooleanField()), ('nflag', models.BooleanField(null=True)), ('author', models.ForeignKey(to='shop.author', on_delete=models.CASCADE, null=True)), ('ip', models.GenericIPAddressField(null=True)), ('created', models.DateTimeField()), ('day', models.DateField(null=True)), ('uid', models.UUIDField()), ('data', models.JSONField(null=True)), ('tags', postgres.fields.ArrayField(base_field=models.CharField(max_length=10))), ('code', models.CharField(max_length=10, db_column='the_code')), ('gen', models.GeneratedField(expression=models.F(name='qty'), output_field=models.IntegerField(), db_persist=True)), ('dur', models.DurationField(null=True))], options={})"

# A primary key that is not id, a relation with a db_column, a generated
# column, an IP address, odd column names.
ITEM="ModelState(app_label='shop', name='Item', db_table='shop_item', fields=[('sku', models.CharField(max_length=20, primary_key=True, serialize=False)), ('owner', models.ForeignKey(to='auth.user', on_delete=models.CASCADE, db_column='owner_ref', null=True)), ('live', models.GeneratedField(expression=models.Q(('sku', '')), output_field=models.BooleanField(), db_persist=True)), ('ip', models.GenericIPAddressField()), ('born', models.DateField()), ('weird', models.IntegerField(db_column='\"Weird\"')), ('pct', models.IntegerField(db_column='a%b'))], options={})"
@test "where: the conformance conditions, byte for byte as Django rendered them (94 cases)" {
	renders <<'END'
ModelState(app_label='wiki', name='OrderLine', db_table='wiki_orderline', fields=[('views', models.IntegerField(db_index=True, default=1))])→models.Q(('views__lt', 10000))
=> "views" < 10000
ModelState(app_label='catalog', name='Message', db_table='catalog_message', fields=[('balance', models.DecimalField(max_digits=14, decimal_places=4, default=decimal.Decimal('0.00')))])→models.Q(('balance__lt', 1000))
=> "balance" < 1000
ModelState(app_label='catalog', name='Invoice', db_table='catalog_tbl_invoice', fields=[('flags', models.BooleanField(null=True))])→models.Q(('flags', False))
=> NOT "flags"
ModelState(app_label='travel', name='Supplier', db_table='travel_new_supplier', fields=[('label', models.CharField(max_length=50, blank=True))])→models.Q(('label__in', ['new', 'archived']))
=> "label" IN ('new', 'archived')
ModelState(app_label='catalog', name='Store', db_table='catalog_store', fields=[('attempts', models.IntegerField(default=99))])→models.Q(('attempts__gte', 0))
=> "attempts" >= 0
ModelState(app_label='catalog', name='Invitation', db_table='catalog_invitation', fields=[('period', postgres.fields.DecimalRangeField(blank=True, null=True))])→models.Q(('period__isnull', False))
=> "period" IS NOT NULL
ModelState(app_label='catalog', name='Vendor', db_table='catalog_vendor', fields=[('color', models.CharField(max_length=255, blank=True, default='draft', choices=[('draft', 'Draft'), ('active', 'Active'), ('closed', 'Closed')], help_text='Optional.'))])→models.Q(('color', ''), _negated=True)
=> NOT ("color" = '')
ModelState(app_label='logistics', name='Warehouse', db_table='logistics_warehouse', fields=[('quantity', models.PositiveSmallIntegerField(blank=True, null=True, db_index=True)), ('is_active', models.BooleanField())])→models.Q(('is_active', True), ('quantity__gte', 0), _connector='OR')
=> ("is_active" OR "quantity" >= 0)
ModelState(app_label='logistics', name='Warehouse', db_table='logistics_warehouse', fields=[('closes_at', models.IntegerField())])→models.Q(('closes_at__gte', 0))
=> "closes_at" >= 0
ModelState(app_label='wiki', name='OrderLine', db_table='wiki_orderline', fields=[('balance', models.DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal('0.00'))), ('capacity', models.SmallIntegerField(default=100))])→models.Q(('capacity__gte', 0), ('balance__lt', 1000))
=> ("capacity" >= 0 AND "balance" < 1000)
ModelState(app_label='travel', name='Ticket', db_table='travel_ticket', fields=[('email', models.EmailField(blank=True, max_length=254, null=True))])→models.Q(('email__isnull', False), _negated=True)
=> NOT ("email" IS NOT NULL)
ModelState(app_label='wiki', name='OrderLine', db_table='wiki_orderline', fields=[('views', models.IntegerField(db_index=True, default=1)), ('balance', models.DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal('0.00')))])→models.Q(('balance__gte', 0), ('views__lt', 100))
=> ("balance" >= 0 AND "views" < 100)
ModelState(app_label='wiki', name='OrderLine', db_table='wiki_orderline', fields=[('city', models.CharField(verbose_name='amount due', max_length=120, db_index=True, help_text='Internal use only.'))])→models.Q(('city__in', ['closed', 'active']))
=> "city" IN ('closed', 'active')
ModelState(app_label='forum', name='Region', db_table='forum_region', fields=[('attempts', models.PositiveIntegerField(null=True))])→models.Q(('attempts__gte', 0), ('attempts__lt', 100))
=> ("attempts" >= 0 AND "attempts" < 100)
ModelState(app_label='events', name='Ticket', db_table='events_ticket', fields=[('flags', models.JSONField(blank=True, null=True))])→models.Q(('flags__isnull', True))
=> "flags" IS NULL
ModelState(app_label='forum', name='Order', db_table='forum_order', fields=[('description', models.TextField()), ('is_active', models.BooleanField(null=True))])→models.Q(('description__in', ['new', 'draft']), ('is_active', False))
=> ("description" IN ('new', 'draft') AND NOT "is_active")
ModelState(app_label='payments', name='Project', db_table='payments_project', fields=[('discount', models.DecimalField(verbose_name='reference', max_digits=12, decimal_places=0, help_text='Optional.'))])→models.Q(('discount__gte', 0), ('discount__lt', 100))
=> ("discount" >= 0 AND "discount" < 100)
ModelState(app_label='events', name='Product', db_table='events_product', fields=[('reference', models.BooleanField(default=False, db_default=False))])→models.Q(('reference', False))
=> NOT "reference"
ModelState(app_label='events', name='Publisher', db_table='events_publisher', fields=[('duration', models.DurationField(blank=True, null=True)), ('height', models.CharField(max_length=40, db_default=models.functions.Lower(models.Value(value='DEFAULT'))))])→models.Q(('height__in', ['draft', 'active', 'closed']), ('duration__isnull', True), _connector='OR')
=> ("height" IN ('draft', 'active', 'closed') OR "duration" IS NULL)
ModelState(app_label='forum', name='Coupon', db_table='forum_coupon', fields=[('code', models.CharField(max_length=20, default='unknown')), ('city', models.SmallIntegerField())])→models.Q(('code__in', ['active', 'closed', 'archived']), ('city__gte', 0))
=> ("code" IN ('active', 'closed', 'archived') AND "city" >= 0)
ModelState(app_label='events', name='Ticket', db_table='events_ticket', fields=[('flags', models.JSONField(blank=True, null=True)), ('valid_from', postgres.fields.IntegerRangeField(blank=True, null=True))])→models.Q(('flags__isnull', True), ('valid_from__isnull', True))
=> ("flags" IS NULL AND "valid_from" IS NULL)
ModelState(app_label='events', name='Device', db_table='events_device', fields=[('search_vector', postgres.search.SearchVectorField(blank=True, null=True, db_comment='Legacy column'))])→models.Q(('search_vector__isnull', True))
=> "search_vector" IS NULL
ModelState(app_label='payments', name='Invitation', db_table='payments_new_invitation', fields=[('website', models.URLField(default='', help_text='Optional.'))])→models.Q(('website__in', ['closed', 'draft', 'new']))
=> "website" IN ('closed', 'draft', 'new')
ModelState(app_label='payments', name='Booking', db_table='payments_booking', fields=[('label', models.CharField(max_length=200, blank=True, db_index=True))])→models.Q(('label__in', ['new', 'archived', 'closed']))
=> "label" IN ('new', 'archived', 'closed')
ModelState(app_label='payments', name='Book', db_table='payments_book', fields=[('category', models.ForeignKey(to='payments.category', on_delete=models.SET_NULL, related_name='books', blank=True, db_index=False, null=True))])→models.Q(('category__isnull', False))
=> "category_id" IS NOT NULL
ModelState(app_label='payments', name='Profile', db_table='payments_tbl_profile', fields=[('document', models.FileField(upload_to='documents/%Y/%m/', blank=True, null=True))])→models.Q(('document__isnull', False))
=> "document" IS NOT NULL
ModelState(app_label='travel', name='Shipment', db_table='travel_shipment', fields=[('slug', models.SlugField(verbose_name='display name', default='n/a', max_length=100))])→models.Q(('slug', ''), _negated=True)
=> NOT ("slug" = '')
ModelState(app_label='events', name='Ticket', db_table='events_ticket', fields=[('valid_from', postgres.fields.IntegerRangeField(blank=True, null=True))])→models.Q(('valid_from__isnull', True))
=> "valid_from" IS NULL
ModelState(app_label='travel', name='Venue', db_table='travel_venue', fields=[('capacity', models.IntegerField(help_text='Internal use only.', validators=[django.core.validators.MinValueValidator(limit_value=0)]))])→models.Q(('capacity__gte', 0), ('capacity__gte', 0))
=> ("capacity" >= 0 AND "capacity" >= 0)
ModelState(app_label='travel', name='Room', db_table='travel_room', fields=[('ticket', models.ForeignKey(to='events.ticket', on_delete=models.DO_NOTHING, blank=True, null=True))])→models.Q(('ticket__isnull', False))
=> "ticket_id" IS NOT NULL
ModelState(app_label='travel', name='Room', db_table='travel_room', fields=[('slug', models.SlugField(blank=True, unique=True))])→models.Q(models.Q(('slug', ''), _negated=True), models.Q(('slug', ''), _negated=True))
=> (NOT ("slug" = '') AND NOT ("slug" = ''))
ModelState(app_label='catalog', name='Channel', db_table='catalog_channel', fields=[('views', models.PositiveBigIntegerField(default=100)), ('capacity', models.SmallIntegerField(blank=True, null=True)), ('description', models.TextField())])→models.Q(('views__lte', models.F(name='capacity')), ('description__in', ['active', 'archived', 'closed']))
=> ("views" <= ("capacity") AND "description" IN ('active', 'archived', 'closed'))
ModelState(app_label='catalog', name='OrderLine', db_table='catalog_orderline', fields=[('score', models.IntegerField(db_default=1)), ('status', models.CharField(max_length=120, help_text='Shown in the admin.'))])→models.Q(('score__lt', 100), models.Q(('status', ''), _negated=True))
=> ("score" < 100 AND NOT ("status" = ''))
ModelState(app_label='catalog', name='Note', db_table='catalog_note', fields=[('ip_address', models.GenericIPAddressField(blank=True, null=True))])→models.Q(('ip_address__isnull', True))
=> "ip_address" IS NULL
ModelState(app_label='payments', name='Invoice', db_table='payments_invoice', fields=[('quantity', models.IntegerField(null=True, db_index=True))])→models.Q(('quantity__lt', 1000))
=> "quantity" < 1000
ModelState(app_label='forum', name='Subscription', db_table='forum_subscription', fields=[('counter', models.IntegerField(default=100))])→models.Q(('counter__gte', 0), _negated=True)
=> NOT ("counter" >= 0)
ModelState(app_label='forum', name='Publisher', db_table='forum_new_publisher', fields=[('booking', models.ForeignKey(to='forum.booking', on_delete=models.SET_NULL, related_name='publishers', blank=True, null=True))])→models.Q(('booking__isnull', False), ('booking__isnull', False))
=> ("booking_id" IS NOT NULL AND "booking_id" IS NOT NULL)
ModelState(app_label='billing', name='Department', db_table='billing_tbl_department', fields=[('capacity', models.PositiveBigIntegerField()), ('valid_until', models.DateTimeField(db_default=models.functions.Now())), ('reference', models.DateTimeField(blank=True, null=True))])→models.Q(('capacity__lt', 1000), ('valid_until__lt', models.F(name='reference')))
=> ("capacity" < 1000 AND "valid_until" < ("reference"))
ModelState(app_label='billing', name='Supplier', db_table='billing_supplier', fields=[('website', models.URLField(max_length=500))])→models.Q(('website__in', ['active', 'archived']))
=> "website" IN ('active', 'archived')
ModelState(app_label='billing', name='Department', db_table='billing_tbl_department', fields=[('description', models.TextField(blank=True, null=True)), ('nickname', models.PositiveBigIntegerField(verbose_name='reference', default=10))])→models.Q(('description__isnull', True), ('nickname__gte', 0), _connector='OR')
=> ("description" IS NULL OR "nickname" >= 0)
ModelState(app_label='billing', name='Department', db_table='billing_tbl_department', fields=[('latitude', models.FloatField(blank=True, null=True))])→models.Q(('latitude__lt', 100))
=> "latitude" < 100.0
ModelState(app_label='payments', name='Author', db_table='payments_author', fields=[('archived', models.BooleanField(null=True))])→models.Q(('archived__isnull', True))
=> "archived" IS NULL
ModelState(app_label='travel', name='Device', db_table='travel_archive_device', fields=[('label', models.CharField(max_length=255, blank=True, null=True, default='draft', choices=[('draft', 'Draft'), ('active', 'Active'), ('closed', 'Closed')]))])→models.Q(('label__isnull', False))
=> "label" IS NOT NULL
ModelState(app_label='media', name='Supplier', db_table='media_supplier', fields=[('headline', models.CharField(max_length=20)), ('tags', postgres.fields.ArrayField(base_field=models.IntegerField(), size=None, blank=True, null=True))])→models.Q(('tags__isnull', False), models.Q(('headline', ''), _negated=True), _connector='OR')
=> ("tags" IS NOT NULL OR NOT ("headline" = ''))
ModelState(app_label='media', name='Vendor', db_table='media_vendor', fields=[('sku', models.CharField(max_length=100, blank=True))])→models.Q(('sku__in', ['active', 'draft']), _negated=True)
=> NOT ("sku" IN ('active', 'draft'))
ModelState(app_label='hr', name='Customer', db_table='hr_customer', fields=[('sku', models.CharField(max_length=255))])→models.Q(('sku__in', ['active', 'new', 'draft']))
=> "sku" IN ('active', 'new', 'draft')
ModelState(app_label='hr', name='OrderLine', db_table='hr_orderline', fields=[('size', postgres.fields.BigIntegerRangeField(blank=True, null=True)), ('headline', models.CharField(max_length=255, help_text='Optional.'))])→models.Q(('size__isnull', True), ('headline__in', ['active', 'closed']))
=> ("size" IS NULL AND "headline" IN ('active', 'closed'))
ModelState(app_label='media', name='Vendor', db_table='media_vendor', fields=[('sku', models.CharField(max_length=100, blank=True))])→models.Q(('sku__in', ['archived', 'closed']))
=> "sku" IN ('archived', 'closed')
ModelState(app_label='wiki', name='Category', db_table='wiki_category', fields=[('published', models.BooleanField(default=False))])→models.Q(('published', False))
=> NOT "published"
ModelState(app_label='wiki', name='Employee', db_table='wiki_employee', fields=[('score', models.BigIntegerField(default=10)), ('slug', models.SlugField())])→models.Q(('score__lt', 100), ('slug__in', ['closed', 'draft']), _connector='OR')
=> ("score" < 100 OR "slug" IN ('closed', 'draft'))
ModelState(app_label='wiki', name='Category', db_table='wiki_category', fields=[('counter', models.PositiveSmallIntegerField(verbose_name='amount due', default=1))])→models.Q(('counter__lt', 100))
=> "counter" < 100
ModelState(app_label='travel', name='Order', db_table='travel_order', fields=[('document', models.CharField(max_length=40, db_default=models.functions.Lower(models.Value(value='DEFAULT'))))])→models.Q(('document__in', ['closed', 'active', 'new']))
=> "document" IN ('closed', 'active', 'new')
ModelState(app_label='hr', name='OrderLine', db_table='hr_orderline', fields=[('headline', models.CharField(max_length=255, help_text='Optional.'))])→models.Q(('headline__in', ['draft', 'new']))
=> "headline" IN ('draft', 'new')
ModelState(app_label='hr', name='OrderLine', db_table='hr_orderline', fields=[('period', postgres.fields.IntegerRangeField(verbose_name='reference', blank=True, null=True)), ('email', models.EmailField(blank=True, max_length=254, null=True))])→models.Q(('period__isnull', False), ('email__in', ['archived', 'closed']))
=> ("period" IS NOT NULL AND "email" IN ('archived', 'closed'))
ModelState(app_label='hr', name='Subscription', db_table='hr_subscription', fields=[('room', models.ForeignKey(to='media.room', on_delete=models.RESTRICT, related_name='subscriptions', blank=True, null=True))])→models.Q(('room__isnull', True))
=> "room_id" IS NULL
ModelState(app_label='library', name='Profile', db_table='library_profile', fields=[('notes', models.TextField()), ('title', models.CharField(max_length=150, help_text='Internal use only.'))])→models.Q(models.Q(('title', ''), _negated=True), ('notes__in', ['draft', 'active', 'new']))
=> (NOT ("title" = '') AND "notes" IN ('draft', 'active', 'new'))
ModelState(app_label='library', name='Project', db_table='library_project', fields=[('size', postgres.fields.BigIntegerRangeField(blank=True, null=True, db_comment='Customer facing value'))])→models.Q(('size__isnull', False), ('size__isnull', False))
=> ("size" IS NOT NULL AND "size" IS NOT NULL)
ModelState(app_label='catalog', name='Coupon', db_table='catalog_coupon', fields=[('attempts', models.IntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(limit_value=0)]))])→models.Q(('attempts__isnull', False))
=> "attempts" IS NOT NULL
ModelState(app_label='library', name='Venue', db_table='library_venue', fields=[('balance', models.DecimalField(max_digits=5, decimal_places=2, blank=True, db_index=True, default=decimal.Decimal('0.00'), null=True)), ('weight', models.FloatField(default=0.0))])→models.Q(('weight__lte', models.F(name='balance')))
=> "weight" <= ("balance")
ModelState(app_label='forum', name='Report', db_table='forum_report', fields=[('code', models.CharField(max_length=100, default='draft', choices=[('draft', 'Draft'), ('active', 'Active'), ('closed', 'Closed')], help_text='Shown in the admin.')), ('archived', models.BooleanField(default=True, help_text='Internal use only.'))])→models.Q(('archived', False), models.Q(('code', ''), _negated=True))
=> (NOT "archived" AND NOT ("code" = ''))
ModelState(app_label='forum', name='Course', db_table='forum_course', fields=[('status', models.CharField(max_length=200))])→models.Q(('status', ''), _negated=True)
=> NOT ("status" = '')
ModelState(app_label='catalog', name='Event', db_table='catalog_event', fields=[('deadline', models.DateField(blank=True, null=True))])→models.Q(('deadline__isnull', True))
=> "deadline" IS NULL
ModelState(app_label='catalog', name='Event', db_table='catalog_event', fields=[('reference', models.CharField(max_length=64, db_index=True, default='n/a'))])→models.Q(('reference', ''), _negated=True)
=> NOT ("reference" = '')
ModelState(app_label='catalog', name='Region', db_table='catalog_region', fields=[('slug', models.SlugField(db_index=False, help_text='Shown in the admin.'))])→models.Q(('slug__in', ['active', 'new', 'draft']))
=> "slug" IN ('active', 'new', 'draft')
ModelState(app_label='library', name='Product', db_table='library_v2_product', fields=[('balance', models.DecimalField(max_digits=12, decimal_places=2))])→models.Q(('balance__gte', 0), _negated=True)
=> NOT ("balance" >= 0)
ModelState(app_label='inventory', name='Supplier', db_table='inventory_archive_supplier', fields=[('total', models.DecimalField(max_digits=8, decimal_places=0))])→models.Q(('total__lt', 1000), ('total__lt', 100))
=> ("total" < 1000 AND "total" < 100)
ModelState(app_label='inventory', name='Booking', db_table='inventory_booking', fields=[('currency', models.CharField(max_length=120, help_text='Optional.'))])→models.Q(models.Q(('currency', ''), _negated=True), models.Q(('currency', ''), _negated=True))
=> (NOT ("currency" = '') AND NOT ("currency" = ''))
ModelState(app_label='inventory', name='Invoice', db_table='inventory_invoice', fields=[('views', models.IntegerField()), ('amount', models.DecimalField(max_digits=19, decimal_places=4, help_text='Optional.'))])→models.Q(('views__lte', models.F(name='amount')))
=> "views" <= ("amount")
ModelState(app_label='inventory', name='Lesson', db_table='inventory_lesson', fields=[('flags', postgres.fields.ArrayField(base_field=models.TextField(), size=None, blank=True, null=True))])→models.Q(('flags__isnull', False))
=> "flags" IS NOT NULL
ModelState(app_label='support', name='Device', db_table='support_device', fields=[('slug', models.SlugField()), ('opens_at', models.DateTimeField(blank=True, null=True))])→models.Q(('opens_at__isnull', True), models.Q(('slug', ''), _negated=True))
=> ("opens_at" IS NULL AND NOT ("slug" = ''))
ModelState(app_label='support', name='Device', db_table='support_tbl_device', fields=[('expires_at', models.DateTimeField(auto_now=True)), ('opens_at', models.DateTimeField(blank=True, null=True))])→models.Q(('opens_at__lt', models.F(name='expires_at')))
=> "opens_at" < ("expires_at")
ModelState(app_label='support', name='Device', db_table='support_tbl_device', fields=[('opens_at', models.DateTimeField(blank=True, null=True)), ('level', models.DateTimeField(auto_now_add=True, db_default=models.functions.Now())), ('name', models.BigIntegerField(db_default=1))])→models.Q(('level__lt', models.F(name='opens_at')))
=> "level" < ("opens_at")
ModelState(app_label='support', name='Device', db_table='support_tbl_device', fields=[('opens_at', models.DateTimeField(blank=True, null=True))])→models.Q(('opens_at__isnull', False))
=> "opens_at" IS NOT NULL
ModelState(app_label='inventory', name='Review', db_table='inventory_review', fields=[('flags', postgres.fields.ArrayField(base_field=models.TextField(), size=None, blank=True, default=list, null=True)), ('period', postgres.fields.DecimalRangeField(blank=True, null=True, help_text='Internal use only.'))])→models.Q(('period__isnull', True), ('flags__isnull', True))
=> ("period" IS NULL AND "flags" IS NULL)
ModelState(app_label='inventory', name='Review', db_table='inventory_review', fields=[('expires_at', models.DateTimeField(default=django.utils.timezone.now)), ('attempts', models.DateTimeField(db_default=models.functions.Now()))])→models.Q(('expires_at__lt', models.F(name='attempts')), _negated=True)
=> NOT ("expires_at" < ("attempts"))
ModelState(app_label='inventory', name='Review', db_table='inventory_review', fields=[('expires_at', models.DateTimeField(default=django.utils.timezone.now)), ('attempts', models.DateTimeField(db_default=models.functions.Now()))])→models.Q(('attempts__lt', models.F(name='expires_at')), _negated=True)
=> NOT ("attempts" < ("expires_at"))
ModelState(app_label='forum', name='Venue', db_table='forum_v2_venue', fields=[('views', models.PositiveBigIntegerField(validators=[django.core.validators.MinValueValidator(limit_value=0)]))])→models.Q(('views__gte', 0), ('views__gte', 0))
=> ("views" >= 0 AND "views" >= 0)
ModelState(app_label='clinic', name='Team', db_table='clinic_team', fields=[('weight', models.BigIntegerField(db_default=1))])→models.Q(('weight__gte', 0))
=> "weight" >= 0
ModelState(app_label='clinic', name='Team', db_table='clinic_team', fields=[('weight', models.BigIntegerField(db_default=1))])→models.Q(('weight__lt', 100), _negated=True)
=> NOT ("weight" < 100)
ModelState(app_label='clinic', name='Team', db_table='clinic_team', fields=[('total', models.DecimalField(max_digits=10, decimal_places=4))])→models.Q(('total__gte', 0))
=> "total" >= 0
ModelState(app_label='support', name='Device', db_table='support_device', fields=[('name', models.BigIntegerField(db_default=1))])→models.Q(('name__lt', 100), ('name__lt', 10000), _connector='OR')
=> ("name" < 100 OR "name" < 10000)
ModelState(app_label='inventory', name='Review', db_table='inventory_review', fields=[('summary', models.TextField())])→models.Q(('summary', ''))
=> "summary" = ''
ModelState(app_label='clinic', name='Author', db_table='clinic_author', fields=[('store', models.ForeignKey(to='forum.store', on_delete=models.CASCADE, blank=True, null=True))])→models.Q(('store__isnull', True))
=> "store_id" IS NULL
ModelState(app_label='inventory', name='Review', db_table='inventory_review', fields=[('amount', models.DecimalField(max_digits=10, decimal_places=0, blank=True, null=True))])→models.Q(('amount__lt', 1000))
=> "amount" < 1000
ModelState(app_label='inventory', name='Review', db_table='inventory_review', fields=[('expires_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)), ('attempts', models.DateTimeField(db_default=models.functions.Now())), ('amount', models.DecimalField(max_digits=10, decimal_places=0, blank=True, null=True))])→models.Q(('amount__gte', 0), ('attempts__lt', models.F(name='expires_at')))
=> ("amount" >= 0 AND "attempts" < ("expires_at"))
ModelState(app_label='examples', name='Book', db_table='examples_book', fields=[('price', models.DecimalField(max_digits=10, decimal_places=2))])→models.Q(price__gte=0)
=> "price" >= 0
ModelState(app_label='support', name='Invitation', db_table='support_invitation', fields=[('notes', models.TextField(blank=True)), ('vendor', models.ForeignKey(to='support.vendor', on_delete=models.SET_NULL, blank=True, db_index=False, null=True))])→models.Q(('vendor__isnull', True), models.Q(('notes', ''), _negated=True))
=> ("vendor_id" IS NULL AND NOT ("notes" = ''))
ModelState(app_label='support', name='Room', db_table='support_room', fields=[('website', models.URLField())])→models.Q(models.Q(('website', ''), _negated=True), ('website__in', ['closed', 'archived']))
=> (NOT ("website" = '') AND "website" IN ('closed', 'archived'))
ModelState(app_label='support', name='Room', db_table='support_room', fields=[('website', models.URLField())])→models.Q(('website__in', ['draft', 'active', 'new']), _negated=True)
=> NOT ("website" IN ('draft', 'active', 'new'))
ModelState(app_label='support', name='Ticket', db_table='support_ticket', fields=[('views', models.PositiveIntegerField(blank=True, null=True, db_index=True, default=0))])→models.Q(('views__gte', 0))
=> "views" >= 0
ModelState(app_label='support', name='Project', db_table='support_project', fields=[('ends_on', models.URLField(default='n/a'))])→models.Q(models.Q(('ends_on', ''), _negated=True), ('ends_on__in', ['active', 'closed']))
=> (NOT ("ends_on" = '') AND "ends_on" IN ('active', 'closed'))
ModelState(app_label='travel', name='Region', db_table='travel_t_region', fields=[('priority', models.SmallIntegerField(null=True, help_text='Internal use only.'))])→models.Q(('priority__gte', 0))
=> "priority" >= 0
ModelState(app_label='travel', name='Coupon', db_table='travel_coupon', fields=[('position', models.PositiveSmallIntegerField(default=0)), ('closes_at', models.IntegerField(blank=True, null=True)), ('balance', models.FloatField())])→models.Q(('position__lte', models.F(name='closes_at')), ('balance__gte', 0))
=> ("position" <= ("closes_at") AND "balance" >= 0.0)
ModelState(app_label='travel', name='Coupon', db_table='travel_coupon', fields=[('position', models.PositiveSmallIntegerField(default=0)), ('closes_at', models.IntegerField(blank=True, null=True)), ('attempts', models.IntegerField(null=True, db_comment='Set by the sync job')), ('balance', models.FloatField())])→models.Q(('attempts__lte', models.F(name='closes_at')), ('position__lte', models.F(name='balance')))
=> ("attempts" <= ("closes_at") AND "position" <= ("balance"))
END
}

@test "where: lookups: iexact, the LIKE family, regex, range and in, with the lookup casts" {
	renders "$BOOK" <<'END'
models.Q(title__iexact='Foo')
=> UPPER("title"::text) = UPPER('Foo')
models.Q(title__contains='50%_off\\x')
=> "title"::text LIKE '%50\%\_off\\x%'
models.Q(title__icontains='a')
=> UPPER("title"::text) LIKE UPPER('%a%')
models.Q(title__startswith='a')
=> "title"::text LIKE 'a%'
models.Q(title__istartswith='a')
=> UPPER("title"::text) LIKE UPPER('a%')
models.Q(title__endswith='a')
=> "title"::text LIKE '%a'
models.Q(title__iendswith='a')
=> UPPER("title"::text) LIKE UPPER('%a')
models.Q(title__startswith='')
=> "title"::text LIKE '%'
models.Q(title__contains="o'k")
=> "title"::text LIKE '%o''k%'
models.Q(title__contains=5)
=> "title"::text LIKE '%5%'
models.Q(title__regex='^a.*$')
=> "title"::text ~ '^a.*$'
models.Q(title__iregex='^a')
=> "title"::text ~* '^a'
models.Q(qty__range=(1, 10))
=> "qty" BETWEEN 1 AND 10
models.Q(price__range=[0, '9.99'])
=> "price" BETWEEN 0 AND 9.99
models.Q(title__range=('a', 'm'))
=> "title" BETWEEN 'a' AND 'm'
models.Q(qty__in=[1, 1, '2', None])
=> "qty" IN (1, 2)
models.Q(title__in=['a', 'b', 'a'])
=> "title" IN ('a', 'b')
models.Q(title__in='ab')
=> "title" IN ('a', 'b')
models.Q(price__in=[1, '1.0', decimal.Decimal('1.00'), 2])
=> "price" IN (1, 2)
models.Q(flag__in=[True, 1, False])
=> "flag" IN (true, false)
models.Q(title__exact='')
=> "title" = ''
models.Q(title__iexact=None)
=> "title" IS NULL
models.Q(nflag=None)
=> "nflag" IS NULL
models.Q(created__isnull=False, day__isnull=True)
=> ("created" IS NOT NULL AND "day" IS NULL)
models.Q(ip__contains='10.')
=> HOST("ip") LIKE '%10.%'
models.Q(ip__iexact='::1')
=> UPPER(HOST("ip")) = UPPER('::1')
models.Q(code='x')
=> "the_code" = 'x'
models.Q(pk=3)
=> "id" = 3
models.Q(pk__in=[1, 2])
=> "id" IN (1, 2)
models.Q(author=5)
=> "author_id" = 5
models.Q(author_id=5)
=> "author_id" = 5
models.Q(author__isnull=True)
=> "author_id" IS NULL
models.Q(author__in=[1, 2])
=> "author_id" IN (1, 2)
models.Q(gen__gt=5)
=> "gen" > 5
models.Q(gen=True)
=> "gen" = 1
END
}

@test "where: values: prepared as the field prepares them" {
	renders "$BOOK" <<'END'
models.Q(ratio__gt=1)
=> "ratio" > 1.0
models.Q(ratio='2')
=> "ratio" = 2.0
models.Q(ratio=1e16)
=> "ratio" = 1e+16
models.Q(ratio=0.00001)
=> "ratio" = 1e-05
models.Q(ratio__in=[1, 1.0, 2])
=> "ratio" IN (1.0, 2.0)
models.Q(price__gte=0.1)
=> "price" >= 0.1000000000
models.Q(price__gt=0.5)
=> "price" > 0.5
models.Q(price__gt=1e20)
=> "price" > 1.000000000E+20
models.Q(price__lt='1e3')
=> "price" < 1E+3
models.Q(price=decimal.Decimal('1.50'))
=> "price" = 1.50
models.Q(price='007.5')
=> "price" = 7.5
models.Q(price__gt='  12.50  ')
=> "price" > 12.50
models.Q(price=True)
=> "price" = 1
models.Q(qty__gte=1.5)
=> "qty" >= 2
models.Q(qty__lt=1.5)
=> "qty" < 2
models.Q(qty__gt=1.5)
=> "qty" > 1
models.Q(qty__lte=2.9)
=> "qty" <= 2
models.Q(qty='7')
=> "qty" = 7
models.Q(qty__gt=' 1_0 ')
=> "qty" > 10
models.Q(qty__gt=decimal.Decimal('3.99'))
=> "qty" > 3
models.Q(qty=True)
=> "qty" = 1
models.Q(title=5)
=> "title" = '5'
models.Q(title=1.5)
=> "title" = '1.5'
models.Q(title__gt=decimal.Decimal('1e-7'))
=> "title" > '1E-7'
models.Q(title="it's")
=> "title" = 'it''s'
models.Q(flag=True)
=> "flag"
models.Q(flag=1)
=> "flag"
models.Q(flag='f')
=> NOT "flag"
models.Q(nflag__exact='True')
=> "nflag"
models.Q(nflag='')
=> "nflag" IS NULL
models.Q(flag=False) | models.Q(nflag=True)
=> (NOT "flag" OR "nflag")
models.Q(n__gt=-5)
=> "n" > -5
models.Q(ratio__lt=-0.5)
=> "ratio" < -0.5
END
}

@test "where: negation: NOT (...), and IS NOT NULL for nullable columns and F()s" {
	renders "$BOOK" <<'END'
~models.Q(n=5)
=> NOT ("n" = 5 AND "n" IS NOT NULL)
~models.Q(n=models.F(name='qty'))
=> NOT ("n" = ("qty") AND "n" IS NOT NULL)
~models.Q(qty=models.F(name='n'))
=> NOT ("qty" = ("n") AND "n" IS NOT NULL)
models.Q(author=models.F(name='n'), _negated=True)
=> NOT ("author_id" = ("n") AND "author_id" IS NOT NULL AND "n" IS NOT NULL)
~models.Q(n__isnull=False)
=> NOT ("n" IS NOT NULL)
~models.Q(n__isnull=True)
=> NOT ("n" IS NULL)
~models.Q(n=None)
=> NOT ("n" IS NULL)
~models.Q(nflag=True)
=> NOT ("nflag" AND "nflag" IS NOT NULL)
~models.Q(notes__in=['a'])
=> NOT ("notes" IN ('a') AND "notes" IS NOT NULL)
models.Q(n__in=[1, 2], _negated=True)
=> NOT ("n" IN (1, 2) AND "n" IS NOT NULL)
models.Q(notes__contains=models.F(name='title'), _negated=True)
=> NOT ("notes"::text LIKE '%' || REPLACE(REPLACE(REPLACE(("title"), E'\\', E'\\\\'), E'%', E'\\%'), E'_', E'\\_') || '%' AND "notes" IS NOT NULL)
~models.Q(gen=1)
=> NOT ("gen" = 1)
~~models.Q(n=1)
=> "n" = 1
~models.Q(~models.Q(qty=1))
=> NOT (NOT ("qty" = 1))
~models.Q(n=1, qty=2)
=> NOT ("n" = 1 AND "n" IS NOT NULL AND "qty" = 2)
END
}

@test "where: Q objects: ~ | & ^, _connector, _negated, keyword children sorted, squashing" {
	renders "$BOOK" <<'END'
models.Q(qty=1) | models.Q(n=2)
=> ("qty" = 1 OR "n" = 2)
models.Q(qty=1) & models.Q(n=2)
=> ("qty" = 1 AND "n" = 2)
(models.Q(qty=1) | models.Q(n=2)) & models.Q(title='x')
=> (("qty" = 1 OR "n" = 2) AND "title" = 'x')
~(models.Q(qty=1) | models.Q(n=2))
=> NOT ("qty" = 1 OR ("n" = 2 AND "n" IS NOT NULL))
models.Q(qty=1) | ~models.Q(n=2)
=> ("qty" = 1 OR NOT ("n" = 2 AND "n" IS NOT NULL))
models.Q(n=1, qty=2, _connector='OR', _negated=True)
=> NOT (("n" = 1 AND "n" IS NOT NULL) OR "qty" = 2)
models.Q(models.Q(qty=1, n=2), _connector='OR')
=> ("n" = 2 AND "qty" = 1)
models.Q(('title', 'x'), title__gt='a')
=> ("title" = 'x' AND "title" > 'a')
models.Q(['qty', 1])
=> "qty" = 1
models.Q(qty=1, _connector=None)
=> "qty" = 1
models.Q(('qty__gte', 0), ('qty__lte', 10), _connector='OR')
=> ("qty" >= 0 OR "qty" <= 10)
models.Q(models.Q(qty=1) | models.Q(n__isnull=True), title__startswith='a', _negated=True)
=> NOT (("qty" = 1 OR "n" IS NULL) AND "title"::text LIKE 'a%')
models.Q(~models.Q(qty=1), ~models.Q(n=1))
=> (NOT ("qty" = 1) AND NOT ("n" = 1 AND "n" IS NOT NULL))
models.Q(qty=1) | models.Q()
=> "qty" = 1
models.Q() & ~models.Q(n=3)
=> NOT ("n" = 3 AND "n" IS NOT NULL)
models.Q(models.Q(qty=1), models.Q(n=2, qty=3, _connector='OR'))
=> ("qty" = 1 AND ("n" = 2 OR "qty" = 3))
models.Q(models.Q(qty=1), models.Q(n=2, qty=3, _connector='OR'), _connector='OR')
=> ("qty" = 1 OR "n" = 2 OR "qty" = 3)
models.Q(n=1) & (models.Q(qty=2) & models.Q(big=3))
=> ("n" = 1 AND "qty" = 2 AND "big" = 3)
(models.Q(n=1) | models.Q(qty=2)) | (models.Q(big=3) | models.Q(title='x'))
=> ("n" = 1 OR "qty" = 2 OR "big" = 3 OR "title" = 'x')
models.Q(n=1) | (models.Q(qty=2) & models.Q(big=3))
=> ("n" = 1 OR ("qty" = 2 AND "big" = 3))
~models.Q(n=1) & ~models.Q(qty=2)
=> (NOT ("n" = 1 AND "n" IS NOT NULL) AND NOT ("qty" = 2))
models.Q(qty=1) ^ models.Q(n=2)
=> (("qty" = 1 OR "n" = 2) AND 1 = (CASE WHEN "qty" = 1 THEN 1 ELSE 0 END + CASE WHEN "n" = 2 THEN 1 ELSE 0 END))
models.Q(qty=1) ^ models.Q(n=2) ^ models.Q(title='a')
=> (("qty" = 1 OR "n" = 2 OR "title" = 'a') AND 1 = (MOD(((CASE WHEN "qty" = 1 THEN 1 ELSE 0 END + CASE WHEN "n" = 2 THEN 1 ELSE 0 END) + CASE WHEN "title" = 'a' THEN 1 ELSE 0 END), 2)))
~(models.Q(qty=1) ^ models.Q(n=2))
=> NOT (("qty" = 1 OR ("n" = 2 AND "n" IS NOT NULL)) AND 1 = (CASE WHEN "qty" = 1 THEN 1 ELSE 0 END + CASE WHEN ("n" = 2 AND "n" IS NOT NULL) THEN 1 ELSE 0 END))
models.Q(qty=1, _connector='XOR')
=> ("qty" = 1 AND 1 = (CASE WHEN "qty" = 1 THEN 1 ELSE 0 END))
models.Q(qty=1, n__in=[], _connector='XOR')
=> ("qty" = 1 AND 1 = (0 + CASE WHEN "qty" = 1 THEN 1 ELSE 0 END))
models.Q(qty__gte=-1, n=2, _connector='XOR')
=> 1 = (CASE WHEN "n" = 2 THEN 1 ELSE 0 END + 1)
END
}

@test "where: F() and expressions on the right-hand side" {
	renders "$BOOK" <<'END'
models.Q(title=models.functions.Lower(models.F(name='title')))
=> "title" = (LOWER("title"))
models.Q(title=models.functions.Lower('title'))
=> "title" = (LOWER("title"))
models.Q(qty__gt=models.F(name='n') + 1)
=> "qty" > ("n" + 1)
models.Q(qty__gt=models.CombinedExpression(lhs=models.F(name='n'), connector='*', rhs=models.Value(value=2)))
=> "qty" > ("n" * 2)
models.Q(n__gt=models.F(name='qty') + models.F(name='big') * 2)
=> "n" > ("qty" + ("big" * 2))
models.Q(n__gt=(models.F(name='qty') + 1) * 2)
=> "n" > (("qty" + 1) * 2)
models.Q(n__gt=models.F(name='qty') ** 2)
=> "n" > ("qty" ^ 2)
models.Q(n__gt=models.F(name='qty') % 3)
=> "n" > ("qty" % 3)
models.Q(n__gt=-models.F(name='qty'))
=> "n" > ("qty" * -1)
models.Q(n__gt=2 * models.F(name='qty'))
=> "n" > (2 * "qty")
models.Q(title__gt=models.F(name='code') + 'x')
=> "title" > ("the_code" + 'x')
models.Q(price__gt=models.Value(value=5))
=> "price" > 5
models.Q(n__exact=models.Value(value=None))
=> "n" = NULL
models.Q(title__startswith=models.F(name='code'))
=> "title"::text LIKE REPLACE(REPLACE(REPLACE(("the_code"), E'\\', E'\\\\'), E'%', E'\\%'), E'_', E'\\_') || '%'
models.Q(title__icontains=models.F(name='code'))
=> UPPER("title"::text) LIKE '%' || UPPER(REPLACE(REPLACE(REPLACE(("the_code"), E'\\', E'\\\\'), E'%', E'\\%'), E'_', E'\\_')) || '%'
models.Q(title__iendswith=models.F(name='code'))
=> UPPER("title"::text) LIKE '%' || UPPER(REPLACE(REPLACE(REPLACE(("the_code"), E'\\', E'\\\\'), E'%', E'\\%'), E'_', E'\\_'))
models.Q(title__icontains=models.functions.Lower('code'))
=> UPPER("title"::text) LIKE '%' || UPPER(REPLACE(REPLACE(REPLACE((LOWER("the_code")), E'\\', E'\\\\'), E'%', E'\\%'), E'_', E'\\_')) || '%'
models.Q(title__regex=models.F(name='code'))
=> "title"::text ~ ("the_code")
models.Q(title__iexact=models.F(name='code'))
=> UPPER("title"::text) = UPPER(("the_code"))
models.Q(n__in=[1, models.F(name='qty')])
=> "n" IN (1, "qty")
models.Q(title__in=[models.F(name='code'), 'x', models.F(name='code')])
=> "title" IN ("the_code", 'x')
models.Q(n__in=models.F(name='qty'))
=> "n" IN ("qty")
models.Q(qty__range=(1, models.F(name='n')))
=> "qty" BETWEEN 1 AND "n"
models.Q(gen__range=[1e3, models.F(name='price'), None])
=> "gen" BETWEEN 1000 AND "price"
models.Q(gen__range=[1, 2, models.F(name='price')])
=> "gen" BETWEEN 1 AND 2
models.Q(nflag__in=[None, models.F(name='ratio')])
=> "nflag" IN (NULL, "ratio")
models.Q(created__lt=models.functions.Now())
=> "created" < (STATEMENT_TIMESTAMP())
models.Q(notes=models.functions.Coalesce('notes', models.Value(value='')))
=> "notes" = (COALESCE("notes", ''))
models.Q(n__gt=models.functions.Greatest('qty', 'big', 5))
=> "n" > (GREATEST("qty", "big", 5))
models.Q(n__gt=models.functions.Abs(models.F(name='big')))
=> "n" > (ABS("big"))
models.Q(n=models.functions.Length('title'))
=> "n" = (LENGTH("title"))
models.Q(title=models.functions.Upper(models.Value(value='x')))
=> "title" = (UPPER('x'))
models.Q(qty__gt=models.F(name='price') - models.F(name='ratio'))
=> "qty" > ("price" - "ratio")
END
}

@test "where: EmptyResultSet and FullResultSet: empty IN lists, integers outside the column" {
	renders "$BOOK" <<'END'
models.Q(qty__gte=-1)
=> error: the condition matches everything (Django raises FullResultSet)
models.Q(qty__gte=-1, title='x')
=> "title" = 'x'
models.Q(qty__lt=-1)
=> error: the condition matches nothing (Django raises EmptyResultSet)
models.Q(qty__lt=-1) | models.Q(title='a')
=> "title" = 'a'
models.Q(qty__in=[])
=> error: the condition matches nothing (Django raises EmptyResultSet)
models.Q(n__in=(None,))
=> error: the condition matches nothing (Django raises EmptyResultSet)
models.Q(qty__exact=70000)
=> error: the condition matches nothing (Django raises EmptyResultSet)
models.Q(qty__exact=70000) | models.Q(n=1)
=> "n" = 1
~models.Q(qty__gt=-5)
=> error: the condition matches nothing (Django raises EmptyResultSet)
models.Q(title='a') | ~models.Q(qty__gt=-5)
=> "title" = 'a'
models.Q(n__lte=-2147483649)
=> error: the condition matches nothing (Django raises EmptyResultSet)
models.Q(n__gte=-2147483649)
=> error: the condition matches everything (Django raises FullResultSet)
models.Q(n__lt=2147483648) | models.Q(n__gt=3)
=> error: the condition matches everything (Django raises FullResultSet)
~models.Q(n__lt=2147483648)
=> NOT ("n" IS NOT NULL)
models.Q(big__gt=9223372036854775808)
=> error: the condition matches nothing (Django raises EmptyResultSet)
models.Q(big__lte=9223372036854775807)
=> "big" <= 9223372036854775807
models.Q(big__lte=9223372036854775808)
=> error: the condition matches everything (Django raises FullResultSet)
models.Q(big__gt=1e300)
=> error: the condition matches nothing (Django raises EmptyResultSet)
models.Q()
=> error: the condition matches everything (Django raises FullResultSet)
END
}

@test "where: errors: what Django rejects, and what is not rendered" {
	renders "$BOOK" <<'END'
models.Q(nope=1)
=> error: Cannot resolve keyword 'nope' into field
models.Q(qty='x')
=> error: Field 'qty' expected a number but got 'x'
models.Q(title__isnull=1)
=> error: The QuerySet value for an isnull lookup must be True or False
models.Q(n__isnull=None)
=> error: Cannot use None as a query value
models.Q(title__gt=None)
=> error: Cannot use None as a query value
models.Q(title__regex=None)
=> error: Cannot use None as a query value
models.Q(author__id=5)
=> error: 'author__id': joined field references are not permitted (or a transform not rendered)
models.Q(title__year=2020)
=> error: 'title__year': transforms are not rendered
models.Q(big__range=[1, 2, 3])
=> error: not all arguments converted during string formatting
models.Q(author=2.5)
=> error: a value for relation 'author' other than an integer is not rendered (its target's primary key prepares it): 2.5
models.Q(author__in=[models.F(name='n')])
=> error: 'author__in': an expression in the list of a relation's in lookup (Django prepares it as a value)
models.Q(data__isnull=True)
=> "data" IS NULL
models.Q(data__key='x')
=> error: 'data__key': transforms are not rendered
models.Q(tags__contains=['a'])
=> error: 'tags__contains': the contains lookup of postgres.fields.ArrayField is not rendered
models.Q(_connector='XOR')
=> error: an empty XOR (reduce() of an empty sequence)
models.Q(notes=models.functions.Coalesce('notes', ''))
=> error: Cannot resolve keyword '' into field
models.Q(day__gte=datetime.date(2020, 1, 1))
=> error: literal: datetime.date(2020, 1, 1) not rendered
END
}

@test "where: a primary key that is not id, db_column, a nullable relation, a generated boolean" {
	renders "$ITEM" <<'END'
models.Q(pk='x')
=> "sku" = 'x'
models.Q(pk__startswith='A')
=> "sku"::text LIKE 'A%'
models.Q(sku__lt=models.F(name='pk'))
=> "sku" < ("sku")
models.Q(owner=3)
=> "owner_ref" = 3
models.Q(owner_id__in=[3, 4])
=> "owner_ref" IN (3, 4)
~models.Q(owner=3)
=> NOT ("owner_ref" = 3 AND "owner_ref" IS NOT NULL)
models.Q(owner__isnull=False)
=> "owner_ref" IS NOT NULL
models.Q(owner__contains=1)
=> error: Unsupported lookup 'contains' for ForeignKey
models.Q(live=True)
=> "live"
models.Q(live=False)
=> NOT "live"
~models.Q(live=True)
=> NOT ("live")
models.Q(ip__startswith='10.')
=> HOST("ip") LIKE '10.%'
models.Q(ip__iendswith='1')
=> UPPER(HOST("ip")) LIKE UPPER('%1')
models.Q(ip__regex='^10')
=> HOST("ip") ~ '^10'
models.Q(weird__gt=1)
=> "Weird" > 1
models.Q(weird__iexact='1')
=> UPPER("Weird"::text) = UPPER('1')
models.Q(weird__contains=1)
=> "Weird"::text LIKE '%1%'
models.Q(weird__in=[models.Value(value=1), 2])
=> "Weird" IN (1, 2)
models.Q(sku__contains=models.Value(value='x'))
=> "sku"::text LIKE '%' || REPLACE(REPLACE(REPLACE('x', E'\\', E'\\\\'), E'%', E'\\%'), E'_', E'\\_') || '%'
models.Q(sku__in=models.Value(value='x'))
=> "sku" IN 'x'
models.Q(sku__iexact=5)
=> UPPER("sku"::text) = UPPER(5)
models.Q(sku__regex=5)
=> "sku"::text ~ 5
models.Q(sku__contains=1.0)
=> "sku"::text LIKE '%1.0%'
models.Q(pct=1)
=> error: column name with '%' (a%b): Django's %-formatting of the SQL breaks on it
END
}

@test "where: a malformed line or value is reported on stdout, per line" {
	printf '%s\n' 'no tab here' "$BOOK"$'\t''models.Q(' >"$T/in"
	run where_t <"$T/in"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "error: no TAB between the state and the condition" ]
	[[ "${lines[1]}" == "error: condition: "* ]]
}
