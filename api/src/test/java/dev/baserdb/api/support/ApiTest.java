package dev.baserdb.api.support;

import dev.baserdb.api.BaserDbApplication;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An HTTP test against the whole application on a random port and this run's PostgreSQL
 * database. Every class with this annotation (and nothing else changing the configuration)
 * shares one application context, which keeps the suite fast. Metrics export stays on (Spring
 * Boot's test support turns it off by default), so {@code /metrics} answers as in production.
 * The application clock is a {@link TestClock} that tests may freeze and move.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = BaserDbApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
@AutoConfigureObservability(tracing = false)
@Import(TestClock.Configuration.class)
public @interface ApiTest {
}
