package dev.baserdb.api.platform.web;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * What the long-lived Server-Sent Events routes (realtime changes, the audit stream) share: the
 * events that keep a stream alive and end it, and their place in the application's lifecycle.
 * Each route extends this and ends its open streams in {@link #stop()}: it stops before the web
 * server's graceful shutdown, which would otherwise wait for every open stream.
 */
public abstract class EventStreams implements SmartLifecycle {

    private volatile boolean running;

    /** The comment a quiet stream sends now and then, so proxies and clients see it is alive. */
    public static SseEmitter.SseEventBuilder heartbeat() {
        return SseEmitter.event().comment("heartbeat");
    }

    /** The last event of a stream the server ends: where the client resumes ({@code Last-Event-ID}). */
    public static SseEmitter.SseEventBuilder shutdown(long lastEventId) {
        return SseEmitter.event().name("shutdown")
                .data("{\"reason\":\"server_stopping\",\"last_event_id\":" + lastEventId + "}", MediaType.APPLICATION_JSON);
    }

    @Override
    public void start() {
        running = true;
    }

    /** Marks the streams as ending; a subclass then ends the open ones. */
    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
