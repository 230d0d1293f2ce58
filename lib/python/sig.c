/* sig.c: Django 5.2's classes and functions as migration files use them.
 *
 * The parameter lists were read off Django 5.2's __init__ signatures,
 * following *args through to the base class where a subclass passes them
 * on.  Besides what Django 5.2 ships, the table keeps FloatRangeField,
 * gone since 3.1 but still named by old migrations, and the validators and
 * storages that fields deconstruct with positional arguments, under their
 * full dotted names since sig_canonical leaves those alone.  Things Django
 * imports from psycopg (NumericRange...) and GIS fields are not here.
 *
 * Names that migrations only refer to and never call (models.CASCADE,
 * RunPython.noop, models.Model...) are here with no parameters, so that
 * migparse still knows them.
 */
#include <stdlib.h>
#include <string.h>

#include "python.h"

/* Entries that take nothing positionally point here rather than at NULL,
 * so callers can always walk the list. */
static const char *const p_none[] = { NULL };

/* Model fields.  Field's own list is what every subclass inherits when it
 * passes *args straight through. */
static const char *const p_field[] = {
	"verbose_name", "name", "primary_key", "max_length", "unique",
	"blank", "null", "db_index", "rel", "default", "editable",
	"serialize", "unique_for_date", "unique_for_month", "unique_for_year",
	"choices", "help_text", "db_column", "db_tablespace", "auto_created",
	"validators", "error_messages", "db_comment", "db_default",
	NULL
};
/* A subclass that fixes one of Field's parameters in kwargs (AutoField's
 * blank, EmailField's max_length, BinaryField's editable...) makes a
 * positional argument in that slot a TypeError, so its list stops just
 * before the first fixed one. */
static const char *const p_field_upto_unique[] = {
	"verbose_name", "name", "primary_key", "max_length", "unique",
	NULL
};
static const char *const p_field_upto_pk[] = {
	"verbose_name", "name", "primary_key",
	NULL
};
static const char *const p_field_upto_default[] = {
	"verbose_name", "name", "primary_key", "max_length", "unique",
	"blank", "null", "db_index", "rel", "default",
	NULL
};
static const char *const p_field_upto_name[] = {
	"verbose_name", "name",
	NULL
};
static const char *const p_field_upto_verbose[] = { "verbose_name", NULL };
static const char *const p_date[] = {
	"verbose_name", "name", "auto_now", "auto_now_add",
	NULL
};
static const char *const p_decimal[] = {
	"verbose_name", "name", "max_digits", "decimal_places",
	NULL
};
static const char *const p_file_path[] = {
	"verbose_name", "name", "path", "match", "recursive", "allow_files",
	"allow_folders",
	NULL
};
static const char *const p_generic_ip[] = {
	"verbose_name", "name", "protocol", "unpack_ipv4", "primary_key",
	NULL
};
static const char *const p_file[] = {
	"verbose_name", "name", "upload_to", "storage",
	NULL
};
static const char *const p_image[] = {
	"verbose_name", "name", "width_field", "height_field",
	NULL
};
static const char *const p_json[] = {
	"verbose_name", "name", "encoder", "decoder",
	NULL
};
static const char *const p_foreign_key[] = {
	"to", "on_delete", "related_name", "related_query_name",
	"limit_choices_to", "parent_link", "to_field", "db_constraint",
	NULL
};
static const char *const p_foreign_object[] = {
	"to", "on_delete", "from_fields", "to_fields", "rel", "related_name",
	"related_query_name", "limit_choices_to", "parent_link", "swappable",
	NULL
};
static const char *const p_one_to_one[] = {
	"to", "on_delete", "to_field",
	NULL
};
static const char *const p_many_to_many[] = {
	"to", "related_name", "related_query_name", "limit_choices_to",
	"symmetrical", "through", "through_fields", "db_constraint",
	"db_table", "swappable",
	NULL
};
static const char *const p_array[] = { "base_field", "size", NULL };

/* Operations. */
static const char *const p_add_field[] = {
	"model_name", "name", "field", "preserve_default",
	NULL
};
static const char *const p_remove_field[] = {
	"model_name", "name", "field",
	NULL
};
static const char *const p_rename_field[] = {
	"model_name", "old_name", "new_name",
	NULL
};
static const char *const p_add_constraint[] = {
	"model_name", "constraint",
	NULL
};
static const char *const p_add_index[] = { "model_name", "index", NULL };
static const char *const p_model_and_name[] = { "model_name", "name", NULL };
static const char *const p_alter_constraint[] = {
	"model_name", "name", "constraint",
	NULL
};
static const char *const p_create_model[] = {
	"name", "fields", "options", "bases", "managers",
	NULL
};
static const char *const p_name[] = { "name", NULL };
static const char *const p_collation[] = { "name", "locale", NULL };
static const char *const p_rename_model[] = { "old_name", "new_name", NULL };
static const char *const p_rename_index[] = {
	"model_name", "new_name", "old_name", "old_fields",
	NULL
};
static const char *const p_run_python[] = {
	"code", "reverse_code", "atomic", "hints", "elidable",
	NULL
};
static const char *const p_run_sql[] = {
	"sql", "reverse_sql", "state_operations", "hints", "elidable",
	NULL
};
static const char *const p_separate[] = {
	"database_operations", "state_operations",
	NULL
};
static const char *const p_index_together[] = {
	"name", "index_together",
	NULL
};
static const char *const p_unique_together[] = {
	"name", "unique_together",
	NULL
};
static const char *const p_managers[] = { "name", "managers", NULL };
static const char *const p_options[] = { "name", "options", NULL };
static const char *const p_table[] = { "name", "table", NULL };
static const char *const p_table_comment[] = { "name", "table_comment", NULL };
static const char *const p_order_wrt[] = {
	"name", "order_with_respect_to",
	NULL
};

/* Expressions, lookups, functions, aggregates. */
static const char *const p_lookup[] = { "lhs", "rhs", NULL };
static const char *const p_cast[] = { "expression", "output_field", NULL };
static const char *const p_extract[] = {
	"expression", "lookup_name", "tzinfo",
	NULL
};
static const char *const p_trunc[] = {
	"expression", "kind", "output_field", "tzinfo",
	NULL
};
static const char *const p_trunc_base[] = {
	"expression", "output_field", "tzinfo",
	NULL
};
static const char *const p_value_output[] = { "value", "output_field", NULL };
static const char *const p_value[] = { "value", NULL };
static const char *const p_output_field[] = { "output_field", NULL };
static const char *const p_combined[] = {
	"lhs", "connector", "rhs", "output_field",
	NULL
};
static const char *const p_order_by[] = {
	"expression", "descending", "nulls_first", "nulls_last",
	NULL
};
static const char *const p_raw_sql[] = {
	"sql", "params", "output_field",
	NULL
};
static const char *const p_frame[] = { "start", "end", "exclusion", NULL };
static const char *const p_when[] = { "condition", "then", NULL };
static const char *const p_window[] = {
	"expression", "partition_by", "order_by", "frame", "output_field",
	NULL
};
static const char *const p_queryset[] = { "queryset", NULL };
static const char *const p_subquery[] = { "queryset", "output_field", NULL };
static const char *const p_key_name[] = { "key_name", NULL };
static const char *const p_kt[] = { "lookup", NULL };
static const char *const p_expression[] = { "expression", NULL };
static const char *const p_sample[] = { "expression", "sample", NULL };
static const char *const p_count[] = { "expression", "filter", NULL };
static const char *const p_collate[] = { "expression", "collation", NULL };
static const char *const p_pad[] = {
	"expression", "length", "fill_text",
	NULL
};
static const char *const p_left[] = { "expression", "length", NULL };
static const char *const p_repeat[] = { "expression", "number", NULL };
static const char *const p_replace[] = {
	"expression", "text", "replacement",
	NULL
};
static const char *const p_round[] = { "expression", "precision", NULL };
static const char *const p_substr[] = { "expression", "pos", "length", NULL };
static const char *const p_lag_lead[] = {
	"expression", "offset", "default",
	NULL
};
static const char *const p_nth_value[] = { "expression", "nth", NULL };
static const char *const p_ntile[] = { "num_buckets", NULL };
static const char *const p_stat[] = {
	"y", "x", "output_field", "filter", "default",
	NULL
};
static const char *const p_covar_pop[] = {
	"y", "x", "sample", "filter", "default",
	NULL
};
static const char *const p_string_agg[] = { "expression", "delimiter", NULL };
static const char *const p_opclass[] = { "expression", "name", NULL };
static const char *const p_index_transform[] = { "index", "base_field", NULL };
static const char *const p_slice_transform[] = { "start", "end", NULL };
static const char *const p_range_boundary[] = {
	"inclusive_lower", "inclusive_upper",
	NULL
};
static const char *const p_combined_search[] = {
	"lhs", "connector", "rhs", "config", "output_field",
	NULL
};
static const char *const p_search_config[] = { "config", NULL };
static const char *const p_search_headline[] = { "expression", "query", NULL };
static const char *const p_search_rank[] = {
	"vector", "query", "weights", "normalization", "cover_density",
	NULL
};
static const char *const p_trigram[] = { "expression", "string", NULL };
static const char *const p_trigram_word[] = { "string", "expression", NULL };

/* Validators and storages, which Django deconstructs with their
 * positional arguments intact. */
static const char *const p_limit[] = { "limit_value", "message", NULL };
static const char *const p_step[] = {
	"limit_value", "message", "offset",
	NULL
};
static const char *const p_keys[] = { "keys", "strict", "messages", NULL };
static const char *const p_regex[] = {
	"regex", "message", "code", "inverse_match", "flags",
	NULL
};
static const char *const p_email_validator[] = {
	"message", "code", "allowlist",
	NULL
};
static const char *const p_file_extension[] = {
	"allowed_extensions", "message", "code",
	NULL
};
static const char *const p_message_code[] = { "message", "code", NULL };
static const char *const p_url_validator[] = { "schemes", NULL };
static const char *const p_decimal_validator[] = {
	"max_digits", "decimal_places",
	NULL
};
static const char *const p_int_list[] = {
	"sep", "message", "code", "allow_negative",
	NULL
};
static const char *const p_file_storage[] = {
	"location", "base_url", "file_permissions_mode",
	"directory_permissions_mode", "allow_overwrite",
	NULL
};
static const char *const p_memory_storage[] = {
	"location", "base_url", "file_permissions_mode",
	"directory_permissions_mode",
	NULL
};

/* Kept in strcmp order for bsearch. */
static const struct sig table[] = {
	{ "AddConstraint", SIG_OPERATION, p_add_constraint, 0 },
	{ "AddConstraintNotValid", SIG_OPERATION, p_add_constraint, 0 },
	{ "AddField", SIG_OPERATION, p_add_field, 0 },
	{ "AddIndex", SIG_OPERATION, p_add_index, 0 },
	{ "AddIndexConcurrently", SIG_OPERATION, p_add_index, 0 },
	{ "AlterConstraint", SIG_OPERATION, p_alter_constraint, 0 },
	{ "AlterField", SIG_OPERATION, p_add_field, 0 },
	{ "AlterIndexTogether", SIG_OPERATION, p_index_together, 0 },
	{ "AlterModelManagers", SIG_OPERATION, p_managers, 0 },
	{ "AlterModelOptions", SIG_OPERATION, p_options, 0 },
	{ "AlterModelTable", SIG_OPERATION, p_table, 0 },
	{ "AlterModelTableComment", SIG_OPERATION, p_table_comment, 0 },
	{ "AlterOrderWithRespectTo", SIG_OPERATION, p_order_wrt, 0 },
	{ "AlterUniqueTogether", SIG_OPERATION, p_unique_together, 0 },
	{ "BloomExtension", SIG_OPERATION, p_none, 0 },
	{ "BtreeGinExtension", SIG_OPERATION, p_none, 0 },
	{ "BtreeGistExtension", SIG_OPERATION, p_none, 0 },
	{ "CITextExtension", SIG_OPERATION, p_none, 0 },
	{ "CreateCollation", SIG_OPERATION, p_collation, 0 },
	{ "CreateExtension", SIG_OPERATION, p_name, 0 },
	{ "CreateModel", SIG_OPERATION, p_create_model, 0 },
	{ "CryptoExtension", SIG_OPERATION, p_none, 0 },
	{ "DeleteModel", SIG_OPERATION, p_name, 0 },
	{ "HStoreExtension", SIG_OPERATION, p_none, 0 },
	{ "RemoveCollation", SIG_OPERATION, p_collation, 0 },
	{ "RemoveConstraint", SIG_OPERATION, p_model_and_name, 0 },
	{ "RemoveField", SIG_OPERATION, p_remove_field, 0 },
	{ "RemoveIndex", SIG_OPERATION, p_model_and_name, 0 },
	{ "RemoveIndexConcurrently", SIG_OPERATION, p_model_and_name, 0 },
	{ "RenameField", SIG_OPERATION, p_rename_field, 0 },
	{ "RenameIndex", SIG_OPERATION, p_rename_index, 0 },
	{ "RenameModel", SIG_OPERATION, p_rename_model, 0 },
	{ "RunPython", SIG_OPERATION, p_run_python, 0 },
	{ "RunPython.noop", SIG_OTHER, p_none, 0 },
	{ "RunSQL", SIG_OPERATION, p_run_sql, 0 },
	{ "RunSQL.noop", SIG_OTHER, p_none, 0 },
	{ "SeparateDatabaseAndState", SIG_OPERATION, p_separate, 0 },
	{ "TrigramExtension", SIG_OPERATION, p_none, 0 },
	{ "UnaccentExtension", SIG_OPERATION, p_none, 0 },
	{ "ValidateConstraint", SIG_OPERATION, p_model_and_name, 0 },
	{ "django.contrib.auth.validators.ASCIIUsernameValidator",
	  SIG_OTHER, p_regex, 0 },
	{ "django.contrib.auth.validators.UnicodeUsernameValidator",
	  SIG_OTHER, p_regex, 0 },
	{ "django.core.files.storage.FileSystemStorage",
	  SIG_OTHER, p_file_storage, 0 },
	{ "django.core.files.storage.InMemoryStorage",
	  SIG_OTHER, p_memory_storage, 0 },
	{ "django.core.validators.BaseValidator", SIG_OTHER, p_limit, 0 },
	{ "django.core.validators.DecimalValidator",
	  SIG_OTHER, p_decimal_validator, 0 },
	{ "django.core.validators.DomainNameValidator", SIG_OTHER, p_none, 0 },
	{ "django.core.validators.EmailValidator",
	  SIG_OTHER, p_email_validator, 0 },
	{ "django.core.validators.FileExtensionValidator",
	  SIG_OTHER, p_file_extension, 0 },
	{ "django.core.validators.MaxLengthValidator", SIG_OTHER, p_limit, 0 },
	{ "django.core.validators.MaxValueValidator", SIG_OTHER, p_limit, 0 },
	{ "django.core.validators.MinLengthValidator", SIG_OTHER, p_limit, 0 },
	{ "django.core.validators.MinValueValidator", SIG_OTHER, p_limit, 0 },
	{ "django.core.validators.ProhibitNullCharactersValidator",
	  SIG_OTHER, p_message_code, 0 },
	{ "django.core.validators.RegexValidator", SIG_OTHER, p_regex, 0 },
	{ "django.core.validators.StepValueValidator", SIG_OTHER, p_step, 0 },
	{ "django.core.validators.URLValidator",
	  SIG_OTHER, p_url_validator, 0 },
	{ "django.core.validators.int_list_validator",
	  SIG_OTHER, p_int_list, 0 },
	{ "models.Aggregate", SIG_EXPRESSION, p_none, 1 },
	{ "models.AutoField", SIG_FIELD, p_field_upto_unique, 0 },
	{ "models.Avg", SIG_EXPRESSION, p_none, 1 },
	{ "models.BigAutoField", SIG_FIELD, p_field_upto_unique, 0 },
	{ "models.BigIntegerField", SIG_FIELD, p_field, 0 },
	{ "models.BinaryField", SIG_FIELD, p_field_upto_default, 0 },
	{ "models.BooleanField", SIG_FIELD, p_field, 0 },
	{ "models.CASCADE", SIG_OTHER, p_none, 0 },
	{ "models.Case", SIG_EXPRESSION, p_none, 1 },
	{ "models.CharField", SIG_FIELD, p_field, 0 },
	{ "models.CheckConstraint", SIG_CONSTRAINT, p_none, 0 },
	{ "models.CombinedExpression", SIG_EXPRESSION, p_combined, 0 },
	{ "models.CommaSeparatedIntegerField", SIG_FIELD, p_field, 0 },
	{ "models.CompositePrimaryKey", SIG_FIELD, p_none, 1 },
	{ "models.ContainedBy", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.Contains", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.Count", SIG_EXPRESSION, p_count, 0 },
	{ "models.DO_NOTHING", SIG_OTHER, p_none, 0 },
	{ "models.DataContains", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.DateField", SIG_FIELD, p_date, 0 },
	{ "models.DateTimeField", SIG_FIELD, p_date, 0 },
	{ "models.DecimalField", SIG_FIELD, p_decimal, 0 },
	{ "models.Deferrable", SIG_OTHER, p_none, 0 },
	{ "models.DurationField", SIG_FIELD, p_field, 0 },
	{ "models.EmailField", SIG_FIELD, p_field_upto_pk, 0 },
	{ "models.EndsWith", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.Exact", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.Exists", SIG_EXPRESSION, p_queryset, 0 },
	{ "models.Expression", SIG_EXPRESSION, p_output_field, 0 },
	{ "models.ExpressionList", SIG_EXPRESSION, p_none, 1 },
	{ "models.ExpressionWrapper", SIG_EXPRESSION, p_cast, 0 },
	{ "models.F", SIG_EXPRESSION, p_name, 0 },
	{ "models.Field", SIG_FIELD, p_field, 0 },
	{ "models.FileField", SIG_FIELD, p_file, 0 },
	{ "models.FilePathField", SIG_FIELD, p_file_path, 0 },
	{ "models.FloatField", SIG_FIELD, p_field, 0 },
	{ "models.ForeignKey", SIG_FIELD, p_foreign_key, 0 },
	{ "models.ForeignObject", SIG_FIELD, p_foreign_object, 0 },
	{ "models.Func", SIG_EXPRESSION, p_none, 1 },
	{ "models.GeneratedField", SIG_FIELD, p_none, 0 },
	{ "models.GenericIPAddressField", SIG_FIELD, p_generic_ip, 0 },
	{ "models.GreaterThan", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.GreaterThanOrEqual", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.HasAnyKeys", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.HasKey", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.HasKeys", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.IContains", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.IEndsWith", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.IExact", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.IPAddressField", SIG_FIELD, p_field_upto_pk, 0 },
	{ "models.IRegex", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.IStartsWith", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.ImageField", SIG_FIELD, p_image, 0 },
	{ "models.In", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.Index", SIG_INDEX, p_none, 1 },
	{ "models.IntegerField", SIG_FIELD, p_field, 0 },
	{ "models.IntegerFieldExact", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.IntegerGreaterThan", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.IntegerGreaterThanOrEqual", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.IntegerLessThan", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.IntegerLessThanOrEqual", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.IsNull", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.JSONExact", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.JSONField", SIG_FIELD, p_json, 0 },
	{ "models.JSONIContains", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.KT", SIG_EXPRESSION, p_kt, 0 },
	{ "models.KeyTextTransform", SIG_EXPRESSION, p_key_name, 1 },
	{ "models.KeyTransform", SIG_EXPRESSION, p_key_name, 1 },
	{ "models.LessThan", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.LessThanOrEqual", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.Lookup", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.Manager", SIG_OTHER, p_none, 0 },
	{ "models.ManyToManyField", SIG_FIELD, p_many_to_many, 0 },
	{ "models.Max", SIG_EXPRESSION, p_none, 1 },
	{ "models.Min", SIG_EXPRESSION, p_none, 1 },
	{ "models.Model", SIG_OTHER, p_none, 0 },
	{ "models.NegatedExpression", SIG_EXPRESSION, p_expression, 0 },
	{ "models.NullBooleanField", SIG_FIELD, p_field_upto_unique, 0 },
	{ "models.OneToOneField", SIG_FIELD, p_one_to_one, 0 },
	{ "models.OrderBy", SIG_EXPRESSION, p_order_by, 0 },
	{ "models.OrderWrt", SIG_FIELD, p_field_upto_verbose, 0 },
	{ "models.OuterRef", SIG_EXPRESSION, p_name, 0 },
	{ "models.PROTECT", SIG_OTHER, p_none, 0 },
	{ "models.PositiveBigIntegerField", SIG_FIELD, p_field, 0 },
	{ "models.PositiveIntegerField", SIG_FIELD, p_field, 0 },
	{ "models.PositiveSmallIntegerField", SIG_FIELD, p_field, 0 },
	{ "models.Q", SIG_EXPRESSION, p_none, 1 },
	{ "models.RESTRICT", SIG_OTHER, p_none, 0 },
	{ "models.Range", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.RawSQL", SIG_EXPRESSION, p_raw_sql, 0 },
	{ "models.Regex", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.RowRange", SIG_EXPRESSION, p_frame, 0 },
	{ "models.SET", SIG_OTHER, p_value, 0 },
	{ "models.SET_DEFAULT", SIG_OTHER, p_none, 0 },
	{ "models.SET_NULL", SIG_OTHER, p_none, 0 },
	{ "models.SlugField", SIG_FIELD, p_field_upto_pk, 0 },
	{ "models.SmallAutoField", SIG_FIELD, p_field_upto_unique, 0 },
	{ "models.SmallIntegerField", SIG_FIELD, p_field, 0 },
	{ "models.StartsWith", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.StdDev", SIG_EXPRESSION, p_sample, 0 },
	{ "models.Subquery", SIG_EXPRESSION, p_subquery, 0 },
	{ "models.Sum", SIG_EXPRESSION, p_none, 1 },
	{ "models.TextField", SIG_FIELD, p_field, 0 },
	{ "models.TimeField", SIG_FIELD, p_date, 0 },
	{ "models.Transform", SIG_EXPRESSION, p_none, 1 },
	{ "models.URLField", SIG_FIELD, p_field_upto_name, 0 },
	{ "models.UUIDContains", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.UUIDEndsWith", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.UUIDField", SIG_FIELD, p_field_upto_verbose, 0 },
	{ "models.UUIDIContains", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.UUIDIEndsWith", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.UUIDIExact", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.UUIDIStartsWith", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.UUIDStartsWith", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.UniqueConstraint", SIG_CONSTRAINT, p_none, 1 },
	{ "models.Value", SIG_EXPRESSION, p_value_output, 0 },
	{ "models.ValueRange", SIG_EXPRESSION, p_frame, 0 },
	{ "models.Variance", SIG_EXPRESSION, p_sample, 0 },
	{ "models.When", SIG_EXPRESSION, p_when, 0 },
	{ "models.Window", SIG_EXPRESSION, p_window, 0 },
	{ "models.WindowFrame", SIG_EXPRESSION, p_frame, 0 },
	{ "models.WindowFrameExclusion", SIG_OTHER, p_none, 0 },
	{ "models.YearExact", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.YearGt", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.YearGte", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.YearLt", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.YearLte", SIG_EXPRESSION, p_lookup, 0 },
	{ "models.functions.ACos", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.ASin", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.ATan", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.ATan2", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Abs", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Cast", SIG_EXPRESSION, p_cast, 0 },
	{ "models.functions.Ceil", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Chr", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Coalesce", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Collate", SIG_EXPRESSION, p_collate, 0 },
	{ "models.functions.Concat", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.ConcatPair", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Cos", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Cot", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.CumeDist", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Degrees", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.DenseRank", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Exp", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Extract", SIG_EXPRESSION, p_extract, 0 },
	{ "models.functions.ExtractDay", SIG_EXPRESSION, p_extract, 0 },
	{ "models.functions.ExtractHour", SIG_EXPRESSION, p_extract, 0 },
	{ "models.functions.ExtractIsoWeekDay", SIG_EXPRESSION, p_extract, 0 },
	{ "models.functions.ExtractIsoYear", SIG_EXPRESSION, p_extract, 0 },
	{ "models.functions.ExtractMinute", SIG_EXPRESSION, p_extract, 0 },
	{ "models.functions.ExtractMonth", SIG_EXPRESSION, p_extract, 0 },
	{ "models.functions.ExtractQuarter", SIG_EXPRESSION, p_extract, 0 },
	{ "models.functions.ExtractSecond", SIG_EXPRESSION, p_extract, 0 },
	{ "models.functions.ExtractWeek", SIG_EXPRESSION, p_extract, 0 },
	{ "models.functions.ExtractWeekDay", SIG_EXPRESSION, p_extract, 0 },
	{ "models.functions.ExtractYear", SIG_EXPRESSION, p_extract, 0 },
	{ "models.functions.FirstValue", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Floor", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Greatest", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.JSONArray", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.JSONObject", SIG_EXPRESSION, p_none, 0 },
	{ "models.functions.LPad", SIG_EXPRESSION, p_pad, 0 },
	{ "models.functions.LTrim", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Lag", SIG_EXPRESSION, p_lag_lead, 0 },
	{ "models.functions.LastValue", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Lead", SIG_EXPRESSION, p_lag_lead, 0 },
	{ "models.functions.Least", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Left", SIG_EXPRESSION, p_left, 0 },
	{ "models.functions.Length", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Ln", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Log", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Lower", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.MD5", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Mod", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Now", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.NthValue", SIG_EXPRESSION, p_nth_value, 0 },
	{ "models.functions.Ntile", SIG_EXPRESSION, p_ntile, 0 },
	{ "models.functions.NullIf", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Ord", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.PercentRank", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Pi", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Power", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.RPad", SIG_EXPRESSION, p_pad, 0 },
	{ "models.functions.RTrim", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Radians", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Random", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Rank", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Repeat", SIG_EXPRESSION, p_repeat, 0 },
	{ "models.functions.Replace", SIG_EXPRESSION, p_replace, 0 },
	{ "models.functions.Reverse", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Right", SIG_EXPRESSION, p_left, 0 },
	{ "models.functions.Round", SIG_EXPRESSION, p_round, 0 },
	{ "models.functions.RowNumber", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.SHA1", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.SHA224", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.SHA256", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.SHA384", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.SHA512", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Sign", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Sin", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Sqrt", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.StrIndex", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Substr", SIG_EXPRESSION, p_substr, 0 },
	{ "models.functions.Tan", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Trim", SIG_EXPRESSION, p_none, 1 },
	{ "models.functions.Trunc", SIG_EXPRESSION, p_trunc, 0 },
	{ "models.functions.TruncDate", SIG_EXPRESSION, p_trunc_base, 0 },
	{ "models.functions.TruncDay", SIG_EXPRESSION, p_trunc_base, 0 },
	{ "models.functions.TruncHour", SIG_EXPRESSION, p_trunc_base, 0 },
	{ "models.functions.TruncMinute", SIG_EXPRESSION, p_trunc_base, 0 },
	{ "models.functions.TruncMonth", SIG_EXPRESSION, p_trunc_base, 0 },
	{ "models.functions.TruncQuarter", SIG_EXPRESSION, p_trunc_base, 0 },
	{ "models.functions.TruncSecond", SIG_EXPRESSION, p_trunc_base, 0 },
	{ "models.functions.TruncTime", SIG_EXPRESSION, p_trunc_base, 0 },
	{ "models.functions.TruncWeek", SIG_EXPRESSION, p_trunc_base, 0 },
	{ "models.functions.TruncYear", SIG_EXPRESSION, p_trunc_base, 0 },
	{ "models.functions.Upper", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.aggregates.ArrayAgg", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.aggregates.BitAnd", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.aggregates.BitOr", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.aggregates.BitXor", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.aggregates.BoolAnd", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.aggregates.BoolOr", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.aggregates.Corr", SIG_EXPRESSION, p_stat, 0 },
	{ "postgres.aggregates.CovarPop", SIG_EXPRESSION, p_covar_pop, 0 },
	{ "postgres.aggregates.JSONBAgg", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.aggregates.RegrAvgX", SIG_EXPRESSION, p_stat, 0 },
	{ "postgres.aggregates.RegrAvgY", SIG_EXPRESSION, p_stat, 0 },
	{ "postgres.aggregates.RegrCount", SIG_EXPRESSION, p_stat, 0 },
	{ "postgres.aggregates.RegrIntercept", SIG_EXPRESSION, p_stat, 0 },
	{ "postgres.aggregates.RegrR2", SIG_EXPRESSION, p_stat, 0 },
	{ "postgres.aggregates.RegrSXX", SIG_EXPRESSION, p_stat, 0 },
	{ "postgres.aggregates.RegrSXY", SIG_EXPRESSION, p_stat, 0 },
	{ "postgres.aggregates.RegrSYY", SIG_EXPRESSION, p_stat, 0 },
	{ "postgres.aggregates.RegrSlope", SIG_EXPRESSION, p_stat, 0 },
	{ "postgres.aggregates.StringAgg", SIG_EXPRESSION, p_string_agg, 0 },
	{ "postgres.constraints.ExclusionConstraint",
	  SIG_CONSTRAINT, p_none, 0 },
	{ "postgres.expressions.ArraySubquery",
	  SIG_EXPRESSION, p_queryset, 0 },
	{ "postgres.fields.AdjacentToLookup", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.ArrayContainedBy", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.ArrayContains", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.ArrayExact", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.ArrayField", SIG_FIELD, p_array, 0 },
	{ "postgres.fields.ArrayInLookup", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.ArrayLenTransform", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.fields.ArrayOverlap", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.BigIntegerRangeField", SIG_FIELD, p_field, 0 },
	{ "postgres.fields.CICharField", SIG_FIELD, p_field, 0 },
	{ "postgres.fields.CIEmailField", SIG_FIELD, p_field_upto_pk, 0 },
	{ "postgres.fields.CITextField", SIG_FIELD, p_field, 0 },
	{ "postgres.fields.DateRangeField", SIG_FIELD, p_field, 0 },
	{ "postgres.fields.DateTimeRangeContains",
	  SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.DateTimeRangeField", SIG_FIELD, p_field, 0 },
	{ "postgres.fields.DecimalRangeField", SIG_FIELD, p_field, 0 },
	{ "postgres.fields.FloatRangeField", SIG_FIELD, p_field, 0 },
	{ "postgres.fields.FullGreaterThan", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.FullyLessThan", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.HStoreField", SIG_FIELD, p_field, 0 },
	{ "postgres.fields.IndexTransform",
	  SIG_EXPRESSION, p_index_transform, 1 },
	{ "postgres.fields.IntegerRangeField", SIG_FIELD, p_field, 0 },
	{ "postgres.fields.IsEmpty", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.fields.JSONField", SIG_FIELD, p_json, 0 },
	{ "postgres.fields.KeyTransform", SIG_EXPRESSION, p_key_name, 1 },
	{ "postgres.fields.KeysTransform", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.fields.LowerInclusive", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.fields.LowerInfinite", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.fields.NotGreaterThan", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.NotLessThan", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.RangeBoundary",
	  SIG_EXPRESSION, p_range_boundary, 0 },
	{ "postgres.fields.RangeContainedBy", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.RangeContains", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.fields.RangeEndsWith", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.fields.RangeField", SIG_FIELD, p_field, 0 },
	{ "postgres.fields.RangeOperators", SIG_OTHER, p_none, 0 },
	{ "postgres.fields.RangeStartsWith", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.fields.SliceTransform",
	  SIG_EXPRESSION, p_slice_transform, 1 },
	{ "postgres.fields.UpperInclusive", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.fields.UpperInfinite", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.fields.ValuesTransform", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.functions.RandomUUID", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.functions.TransactionNow", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.indexes.BTreeIndex", SIG_INDEX, p_none, 1 },
	{ "postgres.indexes.BloomIndex", SIG_INDEX, p_none, 1 },
	{ "postgres.indexes.BrinIndex", SIG_INDEX, p_none, 1 },
	{ "postgres.indexes.GinIndex", SIG_INDEX, p_none, 1 },
	{ "postgres.indexes.GistIndex", SIG_INDEX, p_none, 1 },
	{ "postgres.indexes.HashIndex", SIG_INDEX, p_none, 1 },
	{ "postgres.indexes.OpClass", SIG_EXPRESSION, p_opclass, 0 },
	{ "postgres.indexes.SpGistIndex", SIG_INDEX, p_none, 1 },
	{ "postgres.lookups.ContainedBy", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.lookups.DataContains", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.lookups.HasAnyKeys", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.lookups.HasKey", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.lookups.HasKeys", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.lookups.Overlap", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.lookups.SearchLookup", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.lookups.TrigramSimilar", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.lookups.TrigramStrictWordSimilar",
	  SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.lookups.TrigramWordSimilar", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.lookups.Unaccent", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.search.CombinedSearchQuery",
	  SIG_EXPRESSION, p_combined_search, 0 },
	{ "postgres.search.CombinedSearchVector",
	  SIG_EXPRESSION, p_combined_search, 0 },
	{ "postgres.search.SearchConfig", SIG_EXPRESSION, p_search_config, 0 },
	{ "postgres.search.SearchHeadline",
	  SIG_EXPRESSION, p_search_headline, 0 },
	{ "postgres.search.SearchQuery", SIG_EXPRESSION, p_value_output, 0 },
	{ "postgres.search.SearchQueryField", SIG_FIELD, p_field, 0 },
	{ "postgres.search.SearchRank", SIG_EXPRESSION, p_search_rank, 0 },
	{ "postgres.search.SearchVector", SIG_EXPRESSION, p_none, 1 },
	{ "postgres.search.SearchVectorExact", SIG_EXPRESSION, p_lookup, 0 },
	{ "postgres.search.SearchVectorField", SIG_FIELD, p_field, 0 },
	{ "postgres.search.TrigramDistance", SIG_EXPRESSION, p_trigram, 0 },
	{ "postgres.search.TrigramSimilarity", SIG_EXPRESSION, p_trigram, 0 },
	{ "postgres.search.TrigramStrictWordDistance",
	  SIG_EXPRESSION, p_trigram_word, 0 },
	{ "postgres.search.TrigramStrictWordSimilarity",
	  SIG_EXPRESSION, p_trigram_word, 0 },
	{ "postgres.search.TrigramWordDistance",
	  SIG_EXPRESSION, p_trigram_word, 0 },
	{ "postgres.search.TrigramWordSimilarity",
	  SIG_EXPRESSION, p_trigram_word, 0 },
	{ "postgres.validators.ArrayMaxLengthValidator",
	  SIG_OTHER, p_limit, 0 },
	{ "postgres.validators.ArrayMinLengthValidator",
	  SIG_OTHER, p_limit, 0 },
	{ "postgres.validators.KeysValidator", SIG_OTHER, p_keys, 0 },
	{ "postgres.validators.RangeMaxValueValidator",
	  SIG_OTHER, p_limit, 0 },
	{ "postgres.validators.RangeMinValueValidator",
	  SIG_OTHER, p_limit, 0 },
	{ "swappable_dependency", SIG_OTHER, p_value, 0 },
};

/* Module and package names inside django.db.models, django.db.migrations
 * and django.contrib.postgres: a dotted name ending in one of these names
 * a module, not something in it. */
static const char *const modules[] = {
	"aggregates", "apps", "array", "autodetector", "base", "citext",
	"comparison", "compiler", "composite", "constants", "constraints",
	"datastructures", "datetime", "deletion", "enums", "exceptions",
	"executor", "expressions", "fields", "files", "forms", "functions",
	"general", "generated", "graph", "hstore", "indexes", "jinja2", "json",
	"jsonb", "loader", "locale", "lookups", "manager", "math", "migration",
	"mixins", "models", "operations", "optimizer", "options", "proxy",
	"query", "query_utils", "questioner", "ranges", "recorder", "related",
	"related_descriptors", "related_lookups", "reverse_related", "search",
	"serializer", "serializers", "signals", "special", "sql", "state",
	"statistics", "subqueries", "templates", "text", "tuple_lookups",
	"utils", "validators", "where", "window", "writer",
	NULL
};

/* Where each package's names go.  The first prefix that matches wins, so
 * the narrower packages come first. */
static const struct space {
	const char *package;
	const char *canonical;
	int keep_sub;		/* keep the subpackage: "postgres.fields." */
} spaces[] = {
	{ "django.db.migrations", "", 0 },
	{ "django.contrib.postgres.operations", "", 0 },
	{ "django.db.models.functions", "models.functions.", 0 },
	{ "django.db.models", "models.", 0 },
	{ "django.contrib.postgres", "postgres.", 1 },
};

static int by_name(const void *key, const void *entry)
{
	return strcmp(key, ((const struct sig *)entry)->name);
}

const struct sig *sig_lookup(const char *name)
{
	return bsearch(name, table, sizeof table / sizeof table[0],
	    sizeof table[0], by_name);
}

const struct sig *sig_all(unsigned *n)
{
	*n = sizeof table / sizeof table[0];
	return table;
}

static char *concat(const char *a, const char *b, size_t blen, const char *c)
{
	size_t alen = strlen(a), clen = strlen(c);
	char *s = malloc(alen + blen + clen + 1);

	if (!s)
		abort();
	memcpy(s, a, alen);
	memcpy(s + alen, b, blen);
	memcpy(s + alen + blen, c, clen + 1);
	return s;
}

/* Names outside the three packages, and bare module names, come back as
 * they were. */
static char *unchanged(const char *dotted)
{
	return concat(dotted, "", 0, "");
}

static int known_module(const char *s, size_t len)
{
	for (const char *const *m = modules; *m; m++)
		if (strlen(*m) == len && !strncmp(*m, s, len))
			return 1;
	return 0;
}

/* A component followed by another is a module when it is known or
 * lowercase, the way Django names modules; the last one only when known,
 * since it may be a lowercase function.  "RunPython" in
 * "RunPython.noop" stops the walk, keeping the attribute. */
static int is_module(const char *s, size_t len, int last)
{
	if (known_module(s, len))
		return 1;
	return !last && len > 0 && (*s == '_' || (*s >= 'a' && *s <= 'z'));
}

/* The first component of rest that is not a module, or NULL when rest
 * names only modules. */
static const char *skip_modules(const char *rest)
{
	const char *dot;

	while ((dot = strchr(rest, '.')) != NULL) {
		if (!is_module(rest, (size_t)(dot - rest), 0))
			return rest;
		rest = dot + 1;
	}
	if (*rest == '\0' || is_module(rest, strlen(rest), 1))
		return NULL;
	return rest;
}

static const struct space *space_of(const char *dotted, const char **rest)
{
	for (size_t i = 0; i < sizeof spaces / sizeof spaces[0]; i++) {
		size_t len = strlen(spaces[i].package);

		if (!strncmp(dotted, spaces[i].package, len) &&
		    dotted[len] == '.') {
			*rest = dotted + len + 1;
			return &spaces[i];
		}
	}
	return NULL;
}

char *sig_canonical(const char *dotted)
{
	const struct space *sp;
	const char *rest, *sub = "", *name;
	size_t sublen = 0;

	if ((sp = space_of(dotted, &rest)) == NULL)
		return unchanged(dotted);
	if (sp->keep_sub) {
		/* Only a lowercase subpackage with something after it. */
		if (!strchr(rest, '.') || !(*rest >= 'a' && *rest <= 'z'))
			return unchanged(dotted);
		sub = rest;
		sublen = (size_t)(strchr(rest, '.') - rest) + 1;
		rest += sublen;
	}
	if ((name = skip_modules(rest)) == NULL)
		return unchanged(dotted);
	return concat(sp->canonical, sub, sublen, name);
}
