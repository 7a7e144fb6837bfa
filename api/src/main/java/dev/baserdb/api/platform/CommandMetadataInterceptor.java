package dev.baserdb.api.platform;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.function.BiFunction;

/**
 * The one place where every command gets its actor, request id, client IP and user agent: read
 * from the {@link RequestContext} of the dispatching thread. A command sent outside any context
 * is refused, so no event can be recorded without knowing who caused it.
 */
@Component
class CommandMetadataInterceptor implements MessageDispatchInterceptor<CommandMessage<?>> {

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        return (index, command) -> {
            RequestContext context = RequestContext.current();
            if (context == null) {
                throw new IllegalStateException("Command " + command.getCommandName()
                        + " dispatched without a RequestContext: actor and request id are required");
            }
            return command.andMetaData(context.asMetadata());
        };
    }
}
