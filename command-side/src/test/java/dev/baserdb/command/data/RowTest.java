package dev.baserdb.command.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.data.RowCommands.DeleteRow;
import dev.baserdb.kernel.data.RowCommands.InsertRow;
import dev.baserdb.kernel.data.RowCommands.RestoreRow;
import dev.baserdb.kernel.data.RowCommands.UpdateRow;
import dev.baserdb.kernel.data.RowCommands.WriteRows;
import dev.baserdb.kernel.data.RowEvents.RowDeleted;
import dev.baserdb.kernel.data.RowEvents.RowInserted;
import dev.baserdb.kernel.data.RowEvents.RowRestored;
import dev.baserdb.kernel.data.RowEvents.RowUpdated;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.baserdb.command.ErrorCodeMatcher.withCode;
import static dev.baserdb.kernel.error.ErrorCode.CONFLICT;
import static org.assertj.core.api.Assertions.assertThat;
import static dev.baserdb.kernel.error.ErrorCode.NOT_FOUND;

/**
 * The Row aggregate: one data row of one table. It is inserted, updated, soft-deleted and
 * restored; a deleted row cannot change, a live one cannot be restored, and a row exists only in
 * its own table.
 */
class RowTest {

    private static final String ROW = UUID.randomUUID().toString();
    private static final TableId TABLE = TableId.generate();
    private static final TableId OTHER_TABLE = TableId.generate();
    private static final ProjectId PROJECT = ProjectId.generate();
    private static final OrganizationId ORG = OrganizationId.generate();

    private FixtureConfiguration<Row> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Row.class);
        RowInserts inserts = new RowInserts(fixture.getEventBus());
        fixture.registerAnnotatedCommandHandler(inserts);
        fixture.registerAnnotatedCommandHandler(new RowBatches(fixture.getRepository(), inserts));
    }

    // --- fixtures ----------------------------------------------------------------------------------------

    private static ObjectNode values(Object... keyValues) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object value = keyValues[i + 1];
            if (value instanceof Integer number) {
                node.put((String) keyValues[i], number);
            } else {
                node.put((String) keyValues[i], (String) value);
            }
        }
        return node;
    }

    private static RowInserted aRow(ObjectNode values) {
        return new RowInserted(ROW, TABLE, PROJECT, ORG, values);
    }

    private static RowInserted aRow() {
        return aRow(values("title", "hello", "likes", 1));
    }

    private static RowDeleted deleted() {
        return new RowDeleted(ROW, TABLE, PROJECT, ORG);
    }

    // --- insert ------------------------------------------------------------------------------------------

    @Test
    void given_nothing_when_a_row_is_inserted_then_RowInserted_with_its_values() {
        fixture.givenNoPriorActivity()
                .when(new InsertRow(ROW, TABLE, PROJECT, ORG, values("title", "hello", "likes", 1)))
                .expectEvents(aRow(values("title", "hello", "likes", 1)));
    }

    @Test
    void given_nothing_when_a_row_is_inserted_then_its_event_is_the_first_of_the_Row_aggregate_of_its_id() {
        fixture.givenNoPriorActivity()
                .when(new InsertRow(ROW, TABLE, PROJECT, ORG, values("title", "hello")))
                .expectEvents(aRow(values("title", "hello")));
        assertFirstEventIsOfTheRowAggregate();
    }

    /** Appended directly or by Axon's repository, the insert is event 0 of aggregate type "Row". */
    private void assertFirstEventIsOfTheRowAggregate() {
        DomainEventMessage<?> first = fixture.getEventStore().readEvents(ROW).next();
        assertThat(first.getPayload()).isInstanceOf(RowInserted.class);
        assertThat(first.getType()).isEqualTo("Row");
        assertThat(first.getSequenceNumber()).isZero();
    }

    @Test
    void given_a_unit_that_inserts_a_row_and_then_changes_it_then_both_events_in_order() {
        fixture.givenNoPriorActivity()
                .when(new WriteRows(List.of(new InsertRow(ROW, TABLE, PROJECT, ORG, values("title", "hello")),
                        new UpdateRow(ROW, TABLE, values("likes", 2)), new DeleteRow(ROW, TABLE))))
                .expectEvents(aRow(values("title", "hello")), new RowUpdated(ROW, TABLE, PROJECT, ORG, values("likes", 2)),
                        deleted());
        assertFirstEventIsOfTheRowAggregate();
    }

    @Test
    void given_a_unit_that_inserts_one_id_twice_then_CONFLICT_and_no_event() {
        fixture.givenNoPriorActivity()
                .when(new WriteRows(List.of(new InsertRow(ROW, TABLE, PROJECT, ORG, values("title", "a")),
                        new InsertRow(ROW, TABLE, PROJECT, ORG, values("title", "b")))))
                .expectNoEvents()
                .expectException(withCode(CONFLICT));
    }

    // --- update ------------------------------------------------------------------------------------------

    @Test
    void given_a_row_when_it_is_updated_then_RowUpdated_with_only_the_changes() {
        fixture.given(aRow())
                .when(new UpdateRow(ROW, TABLE, values("likes", 2)))
                .expectEvents(new RowUpdated(ROW, TABLE, PROJECT, ORG, values("likes", 2)));
    }

    @Test
    void given_a_deleted_row_when_it_is_updated_then_NOT_FOUND_and_no_event() {
        fixture.given(aRow(), deleted())
                .when(new UpdateRow(ROW, TABLE, values("likes", 2)))
                .expectException(BaserDbException.class)
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_row_when_an_update_names_another_table_then_NOT_FOUND_and_no_event() {
        fixture.given(aRow())
                .when(new UpdateRow(ROW, OTHER_TABLE, values("likes", 2)))
                .expectException(BaserDbException.class)
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_restored_row_when_it_is_updated_then_RowUpdated() {
        fixture.given(aRow(), deleted(), new RowRestored(ROW, TABLE, PROJECT, ORG))
                .when(new UpdateRow(ROW, TABLE, values("title", "again")))
                .expectEvents(new RowUpdated(ROW, TABLE, PROJECT, ORG, values("title", "again")));
    }

    // --- delete ------------------------------------------------------------------------------------------

    @Test
    void given_a_row_when_it_is_deleted_then_RowDeleted() {
        fixture.given(aRow())
                .when(new DeleteRow(ROW, TABLE))
                .expectEvents(deleted());
    }

    @Test
    void given_a_deleted_row_when_it_is_deleted_again_then_NOT_FOUND_and_no_event() {
        fixture.given(aRow(), deleted())
                .when(new DeleteRow(ROW, TABLE))
                .expectException(BaserDbException.class)
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_row_when_a_delete_names_another_table_then_NOT_FOUND_and_no_event() {
        fixture.given(aRow())
                .when(new DeleteRow(ROW, OTHER_TABLE))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    // --- restore -----------------------------------------------------------------------------------------

    @Test
    void given_a_deleted_row_when_it_is_restored_then_RowRestored() {
        fixture.given(aRow(), deleted())
                .when(new RestoreRow(ROW, TABLE))
                .expectEvents(new RowRestored(ROW, TABLE, PROJECT, ORG));
    }

    @Test
    void given_a_live_row_when_it_is_restored_then_CONFLICT_and_no_event() {
        fixture.given(aRow())
                .when(new RestoreRow(ROW, TABLE))
                .expectException(BaserDbException.class)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_a_restored_row_when_it_is_restored_again_then_CONFLICT_and_no_event() {
        fixture.given(aRow(), deleted(), new RowRestored(ROW, TABLE, PROJECT, ORG))
                .when(new RestoreRow(ROW, TABLE))
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_a_deleted_row_when_a_restore_names_another_table_then_NOT_FOUND_and_no_event() {
        fixture.given(aRow(), deleted())
                .when(new RestoreRow(ROW, OTHER_TABLE))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_restored_row_when_it_is_deleted_then_RowDeleted() {
        fixture.given(aRow(), deleted(), new RowRestored(ROW, TABLE, PROJECT, ORG))
                .when(new DeleteRow(ROW, TABLE))
                .expectEvents(deleted());
    }
}
