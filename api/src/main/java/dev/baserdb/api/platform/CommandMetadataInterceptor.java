package dev.baserdb.api.platform;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import dev.baserdb.kernel.privacy.PersonalData;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The one place where every command gets its actor, request id, client IP and user agent: read
 * from the {@link RequestContext} of the dispatching thread (IP and user agent sealed as the
 * acting user's personal data). A command sent outside any context
 * is refused, so no event can be recorded without knowing who caused it.
 */
@Component
class CommandMetadataInterceptor implements MessageDispatchInterceptor<CommandMessage<?>> {

    private final PersonalData personalData;

    CommandMetadataInterceptor(PersonalData personalData) {
        this.personalData = personalData;
    }

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        return (index, command) -> {
            RequestContext context = RequestContext.current();
            if (context == null) {
                throw new IllegalStateException("Command " + command.getCommandName()
                        + " dispatched without a RequestContext: actor and request id are required");
            }
            Map<String, String> metadata = context.asMetadata();
            if ("user".equals(context.actorType()) && context.actorId() != null) {
                // The IP address and user agent are the acting user's personal data: sealed with their key.
                metadata.computeIfPresent(RequestContext.IP, (key, ip) -> personalData.seal(context.actorId(), ip));
                metadata.computeIfPresent(RequestContext.USER_AGENT,
                        (key, agent) -> personalData.seal(context.actorId(), agent));
            }
            return command.andMetaData(metadata);
        };
    }
}
