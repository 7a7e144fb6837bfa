package dev.baserdb.command.table;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.Policy;
import dev.baserdb.kernel.table.TableCommands.AddColumn;
import dev.baserdb.kernel.table.TableCommands.CreateIndex;
import dev.baserdb.kernel.table.TableCommands.CreateTable;
import dev.baserdb.kernel.table.TableCommands.DeletePolicy;
import dev.baserdb.kernel.table.TableCommands.DeleteTable;
import dev.baserdb.kernel.table.TableCommands.DropColumn;
import dev.baserdb.kernel.table.TableCommands.DropIndex;
import dev.baserdb.kernel.table.TableCommands.SetPolicies;
import dev.baserdb.kernel.table.TableEvents.TableColumnAdded;
import dev.baserdb.kernel.table.TableEvents.TableColumnDropped;
import dev.baserdb.kernel.table.TableEvents.TableCreated;
import dev.baserdb.kernel.table.TableEvents.TableDeleted;
import dev.baserdb.kernel.table.TableEvents.TableIndexCreated;
import dev.baserdb.kernel.table.TableEvents.TableIndexDropped;
import dev.baserdb.kernel.table.TableEvents.TablePoliciesChanged;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static dev.baserdb.command.ErrorCodeMatcher.withCode;
import static dev.baserdb.kernel.error.ErrorCode.CONFLICT;
import static dev.baserdb.kernel.error.ErrorCode.NOT_FOUND;
import static dev.baserdb.kernel.error.ErrorCode.VALIDATION_FAILED;

/**
 * The Table aggregate ({@link ManagedTable}): the schema rules that need the whole table — no
 * system or duplicate column, known columns for indexes, one index per name — and its policies.
 */
class ManagedTableTest {

    private static final TableId TABLE = TableId.generate();
    private static final ProjectId PROJECT = ProjectId.generate();
    private static final OrganizationId ORG = OrganizationId.generate();
    private static final GroupId GROUP = GroupId.generate();
    private static final String SCHEMA = "g_" + GROUP.value().substring(4);

    private FixtureConfiguration<ManagedTable> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ManagedTable.class);
    }

    // --- fixtures ----------------------------------------------------------------------------------------

    private static Column text(String name) {
        return new Column(name, "TEXT", true, null, false);
    }

    private static Column integer(String name) {
        return new Column(name, "INT", false, "0", false);
    }

    private static CreateTable create(Column... columns) {
        return new CreateTable(TABLE, PROJECT, ORG, GROUP, SCHEMA, "posts", Arrays.asList(columns));
    }

    /** A table named posts created with these columns. */
    private static TableCreated aTable(Column... columns) {
        return new TableCreated(TABLE, PROJECT, ORG, GROUP, SCHEMA, "posts", Arrays.asList(columns));
    }

    private static TableIndexCreated anIndex(String name, String... columns) {
        return new TableIndexCreated(TABLE, PROJECT, ORG, name, List.of(columns), false);
    }

    private static Policy policy(String id, String role, String operation, String constraint) {
        return new Policy(id, role, operation, true, constraint);
    }

    private static TablePoliciesChanged policies(Policy... policies) {
        return new TablePoliciesChanged(TABLE, PROJECT, ORG, List.of(policies));
    }

    private static TableDeleted deleted() {
        return new TableDeleted(TABLE, PROJECT, ORG);
    }

    // --- create ------------------------------------------------------------------------------------------

    @Test
    void given_nothing_when_a_table_is_created_then_TableCreated_with_its_columns() {
        fixture.givenNoPriorActivity()
                .when(create(text("title"), integer("likes")))
                .expectEvents(aTable(text("title"), integer("likes")));
    }

    @Test
    void given_nothing_when_a_table_is_created_without_columns_then_TableCreated() {
        fixture.givenNoPriorActivity()
                .when(create())
                .expectEvents(aTable());
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "created_at", "updated_at", "deleted_at", "ID", "Created_At"})
    void given_nothing_when_a_column_has_a_system_name_then_VALIDATION_FAILED_and_no_event(String name) {
        fixture.givenNoPriorActivity()
                .when(create(text("title"), text(name)))
                .expectException(BaserDbException.class)
                .expectException(withCode(VALIDATION_FAILED))
                .expectNoEvents();
    }

    @ParameterizedTest
    @ValueSource(strings = {"version", "row_id", "valid_from", "valid_to", "event_id", "operation", "version_id",
            "actor_type", "actor_id", "Version"})
    void given_nothing_when_a_column_has_a_history_column_name_then_VALIDATION_FAILED_and_no_event(String name) {
        fixture.givenNoPriorActivity()
                .when(create(text("title"), text(name)))
                .expectException(withCode(VALIDATION_FAILED))
                .expectNoEvents();
    }

    @ParameterizedTest
    @ValueSource(strings = {"version", "row_id", "valid_from", "operation", "actor_id"})
    void given_a_table_when_a_history_column_name_is_added_then_VALIDATION_FAILED_and_no_event(String name) {
        fixture.given(aTable(text("title")))
                .when(new AddColumn(TABLE, text(name)))
                .expectException(withCode(VALIDATION_FAILED))
                .expectNoEvents();
    }

    @ParameterizedTest
    @ValueSource(strings = {"title", "Title", "TITLE"})
    void given_nothing_when_two_columns_share_a_name_then_VALIDATION_FAILED_and_no_event(String second) {
        fixture.givenNoPriorActivity()
                .when(create(text("title"), integer(second)))
                .expectException(BaserDbException.class)
                .expectException(withCode(VALIDATION_FAILED))
                .expectNoEvents();
    }

    // --- columns -----------------------------------------------------------------------------------------

    @Test
    void given_a_table_when_a_column_is_added_then_TableColumnAdded() {
        fixture.given(aTable(text("title")))
                .when(new AddColumn(TABLE, integer("likes")))
                .expectEvents(new TableColumnAdded(TABLE, PROJECT, ORG, integer("likes")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"title", "TITLE"})
    void given_a_table_when_an_existing_column_is_added_again_then_CONFLICT_and_no_event(String name) {
        fixture.given(aTable(text("title")))
                .when(new AddColumn(TABLE, integer(name)))
                .expectException(BaserDbException.class)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_a_column_added_later_when_it_is_added_again_then_CONFLICT_and_no_event() {
        fixture.given(aTable(text("title")), new TableColumnAdded(TABLE, PROJECT, ORG, integer("likes")))
                .when(new AddColumn(TABLE, text("likes")))
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "created_at", "updated_at", "deleted_at"})
    void given_a_table_when_a_system_column_is_added_then_CONFLICT_and_no_event(String name) {
        fixture.given(aTable(text("title")))
                .when(new AddColumn(TABLE, text(name)))
                .expectException(BaserDbException.class)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_a_dropped_column_when_it_is_added_again_then_TableColumnAdded() {
        fixture.given(aTable(text("title"), integer("likes")), new TableColumnDropped(TABLE, PROJECT, ORG, "likes"))
                .when(new AddColumn(TABLE, text("likes")))
                .expectEvents(new TableColumnAdded(TABLE, PROJECT, ORG, text("likes")));
    }

    @Test
    void given_a_table_when_a_column_is_dropped_then_TableColumnDropped() {
        fixture.given(aTable(text("title"), integer("likes")))
                .when(new DropColumn(TABLE, "likes"))
                .expectEvents(new TableColumnDropped(TABLE, PROJECT, ORG, "likes"));
    }

    @Test
    void given_a_table_when_an_unknown_column_is_dropped_then_NOT_FOUND_and_no_event() {
        fixture.given(aTable(text("title")))
                .when(new DropColumn(TABLE, "likes"))
                .expectException(BaserDbException.class)
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_dropped_column_when_dropped_again_then_NOT_FOUND_and_no_event() {
        fixture.given(aTable(text("title")), new TableColumnDropped(TABLE, PROJECT, ORG, "title"))
                .when(new DropColumn(TABLE, "title"))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "created_at", "updated_at", "deleted_at"})
    void given_a_table_when_a_system_column_is_dropped_then_VALIDATION_FAILED_and_no_event(String name) {
        fixture.given(aTable(text("title")))
                .when(new DropColumn(TABLE, name))
                .expectException(BaserDbException.class)
                .expectException(withCode(VALIDATION_FAILED))
                .expectNoEvents();
    }

    // --- indexes -----------------------------------------------------------------------------------------

    @Test
    void given_a_table_when_an_index_is_created_then_TableIndexCreated() {
        fixture.given(aTable(text("title"), integer("likes")))
                .when(new CreateIndex(TABLE, "posts_title_likes_key", List.of("title", "likes"), true))
                .expectEvents(new TableIndexCreated(TABLE, PROJECT, ORG, "posts_title_likes_key",
                        List.of("title", "likes"), true));
    }

    @Test
    void given_a_table_when_an_index_covers_a_system_column_then_TableIndexCreated() {
        fixture.given(aTable(text("title")))
                .when(new CreateIndex(TABLE, "posts_created_at_idx", List.of("created_at"), false))
                .expectEvents(anIndex("posts_created_at_idx", "created_at"));
    }

    @Test
    void given_an_index_when_another_with_the_same_name_is_created_then_CONFLICT_and_no_event() {
        fixture.given(aTable(text("title"), integer("likes")), anIndex("posts_title_idx", "title"))
                .when(new CreateIndex(TABLE, "posts_title_idx", List.of("likes"), false))
                .expectException(BaserDbException.class)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_a_table_when_an_index_names_an_unknown_column_then_VALIDATION_FAILED_and_no_event() {
        fixture.given(aTable(text("title")))
                .when(new CreateIndex(TABLE, "posts_title_nope_idx", List.of("title", "nope"), false))
                .expectException(BaserDbException.class)
                .expectException(withCode(VALIDATION_FAILED))
                .expectNoEvents();
    }

    @Test
    void given_a_dropped_column_when_an_index_names_it_then_VALIDATION_FAILED_and_no_event() {
        fixture.given(aTable(text("title")), new TableColumnDropped(TABLE, PROJECT, ORG, "title"))
                .when(new CreateIndex(TABLE, "posts_title_idx", List.of("title"), false))
                .expectException(withCode(VALIDATION_FAILED))
                .expectNoEvents();
    }

    @Test
    void given_an_index_when_it_is_dropped_then_TableIndexDropped() {
        fixture.given(aTable(text("title")), anIndex("posts_title_idx", "title"))
                .when(new DropIndex(TABLE, "posts_title_idx"))
                .expectEvents(new TableIndexDropped(TABLE, PROJECT, ORG, "posts_title_idx"));
    }

    @Test
    void given_a_table_when_an_unknown_index_is_dropped_then_NOT_FOUND_and_no_event() {
        fixture.given(aTable(text("title")))
                .when(new DropIndex(TABLE, "posts_title_idx"))
                .expectException(BaserDbException.class)
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_dropped_index_when_its_name_is_used_again_then_TableIndexCreated() {
        fixture.given(aTable(text("title")), anIndex("posts_title_idx", "title"),
                        new TableIndexDropped(TABLE, PROJECT, ORG, "posts_title_idx"))
                .when(new CreateIndex(TABLE, "posts_title_idx", List.of("title"), false))
                .expectEvents(anIndex("posts_title_idx", "title"));
    }

    // --- policies ----------------------------------------------------------------------------------------

    @Test
    void given_a_table_when_policies_are_set_then_TablePoliciesChanged_with_all_of_them_sorted_and_the_count() {
        fixture.given(aTable(text("title")))
                .when(new SetPolicies(TABLE, List.of(
                        policy("pol_2", "authenticated", "INSERT", null),
                        policy("pol_1", "anon", "SELECT", "published = true")), List.of()))
                .expectResultMessagePayload(2)
                .expectEvents(policies(
                        policy("pol_1", "anon", "SELECT", "published = true"),
                        policy("pol_2", "authenticated", "INSERT", null)));
    }

    @Test
    void given_a_policy_when_the_same_role_and_operation_is_set_again_then_it_changes_but_keeps_its_id() {
        fixture.given(aTable(text("title")), policies(policy("pol_old", "anon", "SELECT", null)))
                .when(new SetPolicies(TABLE, List.of(policy("pol_new", "anon", "SELECT", "published = true")),
                        List.of()))
                .expectResultMessagePayload(1)
                .expectEvents(policies(policy("pol_old", "anon", "SELECT", "published = true")));
    }

    @Test
    void given_policies_of_two_roles_when_one_role_is_set_without_replace_then_the_others_stay() {
        fixture.given(aTable(text("title")), policies(
                        policy("pol_a", "anon", "SELECT", null),
                        policy("pol_b", "authenticated", "SELECT", null)))
                .when(new SetPolicies(TABLE, List.of(policy("pol_c", "anon", "INSERT", null)), List.of()))
                .expectEvents(policies(
                        policy("pol_c", "anon", "INSERT", null),
                        policy("pol_a", "anon", "SELECT", null),
                        policy("pol_b", "authenticated", "SELECT", null)));
    }

    @Test
    void given_policies_of_two_roles_when_one_role_is_replaced_then_only_that_roles_old_policies_go() {
        fixture.given(aTable(text("title")), policies(
                        policy("pol_a", "anon", "SELECT", null),
                        policy("pol_b", "anon", "UPDATE", null),
                        policy("pol_c", "authenticated", "SELECT", null)))
                .when(new SetPolicies(TABLE, List.of(policy("pol_d", "anon", "INSERT", null)), List.of("anon")))
                .expectResultMessagePayload(1)
                .expectEvents(policies(
                        policy("pol_d", "anon", "INSERT", null),
                        policy("pol_c", "authenticated", "SELECT", null)));
    }

    @Test
    void given_a_role_with_policies_when_it_is_replaced_by_nothing_then_it_has_none() {
        fixture.given(aTable(text("title")), policies(
                        policy("pol_a", "anon", "SELECT", null),
                        policy("pol_c", "authenticated", "SELECT", null)))
                .when(new SetPolicies(TABLE, List.of(), List.of("anon")))
                .expectResultMessagePayload(0)
                .expectEvents(policies(policy("pol_c", "authenticated", "SELECT", null)));
    }

    @Test
    void given_a_policy_when_it_is_deleted_then_TablePoliciesChanged_without_it() {
        fixture.given(aTable(text("title")), policies(
                        policy("pol_a", "anon", "SELECT", null),
                        policy("pol_b", "authenticated", "SELECT", null)))
                .when(new DeletePolicy(TABLE, "pol_a"))
                .expectEvents(policies(policy("pol_b", "authenticated", "SELECT", null)));
    }

    @Test
    void given_a_table_when_an_unknown_policy_is_deleted_then_NOT_FOUND_and_no_event() {
        fixture.given(aTable(text("title")), policies(policy("pol_a", "anon", "SELECT", null)))
                .when(new DeletePolicy(TABLE, "pol_nope"))
                .expectException(BaserDbException.class)
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    // --- delete ------------------------------------------------------------------------------------------

    @Test
    void given_a_table_when_it_is_deleted_then_TableDeleted() {
        fixture.given(aTable(text("title")))
                .when(new DeleteTable(TABLE))
                .expectEvents(deleted());
    }

    @Test
    void given_a_deleted_table_when_deleted_again_then_NOT_FOUND_and_no_event() {
        fixture.given(aTable(text("title")), deleted())
                .when(new DeleteTable(TABLE))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_deleted_table_when_a_column_is_added_then_NOT_FOUND_and_no_event() {
        fixture.given(aTable(text("title")), deleted())
                .when(new AddColumn(TABLE, integer("likes")))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_deleted_table_when_a_column_is_dropped_then_NOT_FOUND_and_no_event() {
        fixture.given(aTable(text("title")), deleted())
                .when(new DropColumn(TABLE, "title"))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_deleted_table_when_an_index_is_created_then_NOT_FOUND_and_no_event() {
        fixture.given(aTable(text("title")), deleted())
                .when(new CreateIndex(TABLE, "posts_title_idx", List.of("title"), false))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_deleted_table_when_an_index_is_dropped_then_NOT_FOUND_and_no_event() {
        fixture.given(aTable(text("title")), anIndex("posts_title_idx", "title"), deleted())
                .when(new DropIndex(TABLE, "posts_title_idx"))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_deleted_table_when_policies_are_set_then_NOT_FOUND_and_no_event() {
        fixture.given(aTable(text("title")), deleted())
                .when(new SetPolicies(TABLE, List.of(policy("pol_a", "anon", "SELECT", null)), List.of()))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_deleted_table_when_a_policy_is_deleted_then_NOT_FOUND_and_no_event() {
        fixture.given(aTable(text("title")), policies(policy("pol_a", "anon", "SELECT", null)), deleted())
                .when(new DeletePolicy(TABLE, "pol_a"))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }
}
