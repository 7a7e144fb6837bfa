package dev.baserdb.api.platform;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Supplier;

/** Sends a command and waits for its result; the handler's own exception reaches the caller unwrapped. */
@Component
public class Commands {

    private final CommandGateway gateway;
    private final TransactionTemplate transaction;

    public Commands(CommandGateway gateway, PlatformTransactionManager transactionManager) {
        this.gateway = gateway;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /**
     * Runs several commands as one: each command's unit of work joins this transaction, so their
     * events and inline projections commit together or not at all.
     */
    public <R> R inOneTransaction(Supplier<R> commands) {
        return transaction.execute(status -> commands.get());
    }

    /**
     * Sends a command whose aggregate decides from its latest state alone (no expected version), and
     * sends it again when another node appended to the same aggregate at the same time: the retry
     * decides on the state that includes the other append, so no concurrent request is lost or
     * counted twice. Not for use inside {@link #inOneTransaction}, whose transaction a conflict ends.
     */
    public <R> R sendDecidingOnLatest(Object command) {
        for (int attempt = 1; ; attempt++) {
            try {
                return send(command);
            } catch (RuntimeException e) {
                if (attempt == CONFLICT_RETRIES || !isConflict(e)) {
                    throw e;
                }
            }
        }
    }

    private static final int CONFLICT_RETRIES = 5;

    private static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConcurrencyException) {
                return true;
            }
        }
        return false;
    }

    public <R> R send(Object command) {
        try {
            return gateway.sendAndWait(command);
        } catch (CommandExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
