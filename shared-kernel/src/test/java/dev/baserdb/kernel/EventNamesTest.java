package dev.baserdb.kernel;

import dev.baserdb.kernel.data.RowEvents;
import dev.baserdb.kernel.table.TableEvents;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Event names as the audit, the history and webhooks show them, worked out once per class. */
class EventNamesTest {

    @Test
    void anEventIsNamedByItsFamilyAndItsOwnNameInSnakeCase() {
        assertThat(EventNames.action(RowEvents.RowInserted.class)).isEqualTo("row.inserted");
        assertThat(EventNames.resourceType(RowEvents.RowInserted.class)).isEqualTo("row");
        assertThat(EventNames.action(TableEvents.TablePoliciesChanged.class)).isEqualTo("table.policies_changed");
        assertThat(EventNames.resourceType(TableEvents.TablePoliciesChanged.class)).isEqualTo("table");
    }

    @Test
    void aClassOutsideAFamilyIsNamedByItsFirstWord() {
        assertThat(EventNames.action(StandaloneThingHappened.class)).isEqualTo("standalone.thing_happened");
        assertThat(EventNames.resourceType(StandaloneThingHappened.class)).isEqualTo("standalone");
    }

    @Test
    void theNamesOfAClassAreWorkedOutOnceAndReused() {
        assertThat(EventNames.action(RowEvents.RowDeleted.class)).isSameAs(EventNames.action(RowEvents.RowDeleted.class));
        assertThat(EventNames.resourceType(RowEvents.RowDeleted.class))
                .isSameAs(EventNames.resourceType(RowEvents.RowDeleted.class));
    }

    private record StandaloneThingHappened() {
    }
}
