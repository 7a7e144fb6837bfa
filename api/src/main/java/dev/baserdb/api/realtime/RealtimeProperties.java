package dev.baserdb.api.realtime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Realtime change streams ({@code baserdb.realtime.*}).
 *
 * @param maxStreams {@code BASERDB_REALTIME_MAX_STREAMS}: open streams per project on one node (429 beyond)
 * @param heartbeat  {@code BASERDB_REALTIME_HEARTBEAT}: a comment line this often when nothing else was sent
 * @param maxLag     {@code BASERDB_REALTIME_MAX_LAG}: events a live stream may fall behind the head of
 *                   the event store before it is dropped as a slow consumer (a final {@code dropped} event
 *                   names where to resume); a client replaying from an old position is not live yet
 */
@ConfigurationProperties("baserdb.realtime")
record RealtimeProperties(@DefaultValue("256") int maxStreams,
                          @DefaultValue("15s") Duration heartbeat,
                          @DefaultValue("10000") long maxLag) {
}
