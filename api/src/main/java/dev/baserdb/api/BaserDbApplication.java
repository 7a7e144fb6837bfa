package dev.baserdb.api;

import dev.baserdb.api.platform.DatabaseBootstrap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;

/** The BaserDB platform: assembles the command side, projections and query side behind the HTTP API. */
@SpringBootApplication(scanBasePackages = "dev.baserdb")
@ConfigurationPropertiesScan("dev.baserdb")
public class BaserDbApplication {

    public static void main(String[] args) {
        quietLibraries();
        SpringApplication application = new SpringApplication(BaserDbApplication.class);
        application.addListeners(new DatabaseBootstrap());
        exitCleanlyOnTerm(application.run(args));
    }

    /**
     * SIGTERM is an orderly stop (a process manager's, a rolling restart's): the context closes —
     * HTTP stops taking requests and finishes those in flight within
     * {@code spring.lifecycle.timeout-per-shutdown-phase}, event processors release their token
     * claims — and the process exits 0, not the JVM's 143 for a signal.
     */
    static void exitCleanlyOnTerm(ConfigurableApplicationContext context) {
        Signal.handle(new Signal("TERM"), signal -> new Thread(
                () -> System.exit(SpringApplication.exit(context)), "orderly-shutdown").start());
    }

    /** jOOQ and Axon print banners and tips at start; the log is for what BaserDB does. */
    static void quietLibraries() {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        System.setProperty("disable-axoniq-console-message", "true");
    }
}
