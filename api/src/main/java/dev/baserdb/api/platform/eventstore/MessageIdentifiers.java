package dev.baserdb.api.platform.eventstore;

import org.axonframework.common.IdentifierFactory;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The identifiers Axon gives its messages (every event's event identifier, every command and
 * result message), found by Axon through {@code META-INF/services}: UUIDv7, so the event store's
 * unique index on event identifiers grows at its end instead of at random places, with the random
 * bits from the thread's own generator (mixed with a salt drawn once per process from
 * {@link SecureRandom}, so two processes never share a sequence). Axon's default draws a random
 * UUID from the one shared {@code SecureRandom} for each message, which took 8 % of a data-API
 * batch's time; these identifiers name messages, they guard nothing.
 */
public final class MessageIdentifiers extends IdentifierFactory {

    private static final long SALT = new SecureRandom().nextLong();

    @Override
    public String generateIdentifier() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long mostSignificant = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long leastSignificant = ((random.nextLong() ^ SALT) & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
