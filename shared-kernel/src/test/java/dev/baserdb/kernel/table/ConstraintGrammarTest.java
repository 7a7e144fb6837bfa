package dev.baserdb.kernel.table;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The grammar of constraint_sql (API.md §6): what it accepts, how it renders, and what it refuses by name. */
class ConstraintGrammarTest {

    private static final Set<String> COLUMNS = Set.of("id", "created_at", "updated_at", "deleted_at",
            "title", "price", "published", "owner_id", "quantity", "born");

    @ParameterizedTest
    @ValueSource(strings = {
            "published = true",
            "published",
            "not published",
            "owner_id = :current_user_id",
            "owner_id = :current_user_id or (published = true and title <> 'secret')",
            "lower(title) like 'a%' and price between 1 and 2",
            "upper(title) ilike 'A%' and title not like 'x%' and title not ilike 'y%'",
            "coalesce(title, 'x') = nullif(title, '') or title is null or title is not null",
            "abs(price) + round(price, 2) - floor(price) * ceil(price) / 2 % 3 > 0",
            "created_at > now() - interval '1 day'",
            "born = current_date or date_trunc('day', created_at) = created_at or extract(year from created_at) = 2024",
            "cast(quantity as bigint) = 1 and title::text = 'a' and price::decimal(10,2) > 0",
            "trim(title) = 'a' and length(title) > 2",
            "quantity in (1, 2, 3) and title not in ('x', 'y') and -quantity < 0",
            "price != 3 and price <> 4 and price >= 1 and price <= 10",
            "title = 'it''s' and \"title\" = 'a'",
            "true",
            "created_at between '2024-01-01' and '2025-01-01'"})
    void given_an_expression_of_the_grammar_then_it_compiles(String sql) {
        ConstraintGrammar.Compiled compiled = ConstraintGrammar.compile(sql, COLUMNS);
        assertThat(compiled.normalized()).isNotBlank();
        assertThat(compiled.postgres()).doesNotContain(":current_user_id").doesNotContain("\u0001");
    }

    @Test
    void current_user_id_is_kept_as_written_and_compiled_to_the_function() {
        ConstraintGrammar.Compiled compiled = ConstraintGrammar.compile("owner_id = :current_user_id", COLUMNS);
        assertThat(compiled.normalized()).isEqualTo("\"owner_id\" = :current_user_id");
        assertThat(compiled.postgres()).isEqualTo("\"owner_id\" = baserdb_current_user_id()");
    }

    @Test
    void the_function_older_events_stored_is_read_as_current_user_id() {
        assertThat(ConstraintGrammar.compile("\"owner_id\" = \"baserdb_current_user_id\"()", COLUMNS).normalized())
                .isEqualTo("\"owner_id\" = :current_user_id");
        assertThat(ConstraintGrammar.compile("owner_id = baserdb_current_user_id()", COLUMNS).postgres())
                .isEqualTo("\"owner_id\" = baserdb_current_user_id()");
    }

    @Test
    void a_literal_that_looks_like_the_parameter_stays_a_literal() {
        assertThat(ConstraintGrammar.compile("title = ':current_user_id'", COLUMNS).postgres())
                .isEqualTo("\"title\" = ':current_user_id'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // the payloads of the security review (C1, C2, H1)
            "id::text = cast(substr(cast(table_to_xml('g_x.users',true,false,'') as text),1,1500) as integer)::text | may not contain",
            "case when set_config('role','postgres',true) is not null then true end | ",
            "pg_sleep(12) is null | the function pg_sleep",
            "set_config('role','postgres',true) is not null | the function set_config",
            "pg_read_file('/etc/passwd') is not null | the function pg_read_file",
            "length(pg_read_file('/etc/passwd')) > 0 | the function pg_read_file",
            "coalesce(pg_sleep(1), null) is null | the function pg_sleep",
            "lower(query_to_xml('select 1', true, false, '')::text) = 'a' | the function query_to_xml",
            "exists (select 1 from pg_authid) | subqueries",
            "title in (select title from users) | subqueries",
            "id = (select id from g_x.users limit 1) | subqueries",
            "users.title = 'a' | tables",
            "g_x.users.title = 'a' | tables",
            "title::regclass is not null | cast to",
            "cast(title as regclass) is not null | cast to",
            "cast(title as oid) > 0 | cast to",
            "password = 'x' | not a column",
            "title = 'a'; drop table users | ;",
            "title = 'a' -- comment | comments",
            "title = 'a' /* comment */ | comments",
            "title = $$a$$ | $",
            "title = $1 | $",
            "title = ? | ?",
            "title = :other | parameter",
            "title = E'\\x41' | escape",
            "title ~ 'a' | character ~",
            "1 | not a number",
            "price + 1 | not a single SQL condition",
            "current_setting('baserdb.user_id') = 'a' | the function current_setting",
            "txid_current() > 0 | the function txid_current",
            "substr(title, 1, 2) = 'a' | substring",
            "title = 'a' and pg_sleep(1) is null | the function pg_sleep"})
    void given_an_expression_outside_the_grammar_then_it_is_refused_naming_the_part(String sql, String named) {
        assertThatThrownBy(() -> ConstraintGrammar.compile(sql, COLUMNS))
                .isInstanceOf(ConstraintGrammar.Refused.class)
                .satisfies(e -> {
                    if (named != null) {
                        assertThat(e.getMessage()).contains(named.trim());
                    }
                });
    }

    @Test
    void string_concatenation_is_refused() {
        assertThatThrownBy(() -> ConstraintGrammar.compile("title || 'a' = 'b'", COLUMNS))
                .isInstanceOf(ConstraintGrammar.Refused.class).hasMessageContaining("|");
    }

    @Test
    void control_characters_and_overlong_input_are_refused() {
        assertThatThrownBy(() -> ConstraintGrammar.compile("title = 'a\u0000'", COLUMNS))
                .isInstanceOf(ConstraintGrammar.Refused.class).hasMessageContaining("control characters");
        assertThatThrownBy(() -> ConstraintGrammar.compile("title = 'a'" + " ".repeat(4000), COLUMNS))
                .isInstanceOf(ConstraintGrammar.Refused.class);
        assertThatThrownBy(() -> ConstraintGrammar.compile("  ", COLUMNS)).isInstanceOf(ConstraintGrammar.Refused.class);
    }

    @Test
    void a_refusal_never_quotes_the_tenants_literals() {
        assertThatThrownBy(() -> ConstraintGrammar.compile("secret_function('top secret value') is null", COLUMNS))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("top secret value"));
    }
}
