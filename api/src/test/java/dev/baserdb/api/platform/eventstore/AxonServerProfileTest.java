package dev.baserdb.api.platform.eventstore;

import dev.baserdb.api.BaserDbApplication;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TestDatabase;
import dev.baserdb.kernel.eventlog.EventLog;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code axonserver} profile wires the application for Axon Server, checked without one: the
 * server's address points where nothing listens, every bean is created, and a probe that starts
 * before anything else (the first lifecycle phase) records which event store, token store and
 * readers of stored events the context holds. The node starts all the same: its streaming
 * processors (tracking processors) ask the server for their first tokens on their own threads,
 * and keep trying until it answers.
 */
class AxonServerProfileTest {

    /** What the probe saw: bean role to its class. */
    static final Map<String, Class<?>> WIRED = new ConcurrentHashMap<>();

    @Test
    void given_the_axonserver_profile_then_axon_servers_event_store_and_every_event_reader_through_axons_api()
            throws Exception {
        String database = TestDatabase.createExtra("axonserver");
        SpringApplicationBuilder application = new SpringApplicationBuilder(BaserDbApplication.class, Probe.class);

        try (ConfigurableApplicationContext context = application.run(
                "--spring.profiles.active=axonserver",
                "--axon.axonserver.servers=127.0.0.1:1", // nothing listens there
                "--server.port=0",
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=" + TestDatabase.USER,
                "--spring.datasource.password=" + TestDatabase.PASSWORD,
                "--baserdb.master-key=" + TestDatabase.MASTER_KEY,
                "--baserdb.data-dir=" + Files.createTempDirectory("baserdb-axonserver"))) {
            assertThat(context.isRunning()).as("started with no Axon Server to connect to").isTrue();
            // ... and says so: the health check asks the event store for its head
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            Http.Response health = new Http(port).get("/api/healthz");
            assertThat(health.status()).as(health.toString()).isEqualTo(503);
            assertThat(health.data().path("database").asText()).isEqualTo("ok");
            assertThat(health.data().path("event_store").asText()).isEqualTo("down");
        }

        assertThat(WIRED.get("eventStore")).isEqualTo(AxonServerEventStore.class);
        assertThat(WIRED.get("eventLog")).isEqualTo(AxonEventLog.class);
        assertThat(WIRED.get("projectEventLog").getSimpleName()).isEqualTo("AxonProjectEventLog");
        assertThat(WIRED.get("rebuilder")).isEqualTo(InlineReadModelRebuilder.class);
        assertThat(WIRED).doesNotContainKey("eventStorageEngine");
        // the processors' tokens stay in PostgreSQL, in the transaction of the read models they keep
        assertThat(WIRED.get("tokenStore").getSimpleName()).isEqualTo("JdbcTokenStore");
        // commands may be handled on another node: the data API writes every insert alone (InsertGroups)
        assertThat(SimpleCommandBus.class.isAssignableFrom(WIRED.get("commandBus"))).as(WIRED.get("commandBus").getName())
                .isFalse();
    }

    /** Records the wiring when the context starts its lifecycle, before any other component starts. */
    static class Probe implements SmartLifecycle, ApplicationContextAware {

        private ApplicationContext context;
        private volatile boolean running;

        @Override
        public void setApplicationContext(ApplicationContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            Map<String, Class<?>> wired = new LinkedHashMap<>();
            wired.put("eventStore", context.getBean(EventStore.class).getClass());
            wired.put("eventLog", context.getBean(EventLog.class).getClass());
            wired.put("projectEventLog", beanOfTypeNamed("ProjectEventLog"));
            wired.put("rebuilder", context.getBean(InlineReadModelRebuilder.class).getClass());
            wired.put("tokenStore", context.getBean(TokenStore.class).getClass());
            wired.put("commandBus", context.getBean(CommandBus.class).getClass());
            BeanFactoryUtils.beansOfTypeIncludingAncestors(context, EventStorageEngine.class)
                    .values().forEach(engine -> wired.put("eventStorageEngine", engine.getClass()));
            WIRED.putAll(wired);
            running = true;
        }

        /** The bean whose type implements the interface of this simple name (package-private elsewhere). */
        private Class<?> beanOfTypeNamed(String interfaceName) {
            for (String name : context.getBeanDefinitionNames()) {
                Class<?> type = context.getType(name);
                if (type != null) {
                    for (Class<?> implemented : type.getInterfaces()) {
                        if (implemented.getSimpleName().equals(interfaceName)) {
                            return type;
                        }
                    }
                }
            }
            return Object.class;
        }

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
            return Integer.MIN_VALUE;
        }
    }
}
