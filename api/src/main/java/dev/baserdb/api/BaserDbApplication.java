package dev.baserdb.api;

import dev.baserdb.api.platform.DatabaseBootstrap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The BaserDB platform: assembles the command side, projections and query side behind the HTTP API. */
@SpringBootApplication(scanBasePackages = "dev.baserdb")
@ConfigurationPropertiesScan("dev.baserdb")
public class BaserDbApplication {

    public static void main(String[] args) {
        quietLibraries();
        SpringApplication application = new SpringApplication(BaserDbApplication.class);
        application.addListeners(new DatabaseBootstrap());
        application.run(args);
    }

    /** jOOQ and Axon print banners and tips at start; the log is for what BaserDB does. */
    static void quietLibraries() {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        System.setProperty("disable-axoniq-console-message", "true");
    }
}
