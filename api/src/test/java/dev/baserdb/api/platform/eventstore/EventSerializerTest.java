package dev.baserdb.api.platform.eventstore;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event store and the readers of stored events (the audit, the event log) hold one event
 * serializer: Axon hands a stored event's payload and metadata out as stored only to the serializer
 * that read them, and deserializes and serializes them again for any other.
 */
@ApiTest
class EventSerializerTest {

    @LocalServerPort
    int port;

    @Autowired
    EventStorageEngine storageEngine;

    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;

    @Test
    void aStoredEventsPayloadAndMetaDataReachTheEventSerializerAsStoredWithoutBeingSerializedAgain() {
        new Accounts(new Http(port)).anAccount();
        List<? extends TrackedEventMessage<?>> stored = storageEngine.readEvents(null, false).limit(5).toList();
        assertThat(stored).isNotEmpty();
        for (TrackedEventMessage<?> event : stored) {
            // as stored: the converter hands the stored bytes themselves out again, so twice is the same object
            SerializedObject<byte[]> payload = event.serializePayload(eventSerializer, byte[].class);
            assertThat(event.serializePayload(eventSerializer, byte[].class)).isSameAs(payload);
            SerializedObject<byte[]> metaData = event.serializeMetaData(eventSerializer, byte[].class);
            assertThat(event.serializeMetaData(eventSerializer, byte[].class)).isSameAs(metaData);
            assertThat(payload.getType().getName()).isEqualTo(event.getPayloadType().getName());
        }
    }
}
