package dev.baserdb.kernel;

import java.util.Locale;

/**
 * How events are named outside Java: the resource type and the dotted action of the audit trail
 * and history ({@code OrganizationEvents.MemberAdded} → {@code organization.member_added}). The
 * resource is the aggregate's event family ({@code XxxEvents}); the action is the event's name
 * without that prefix. Both are worked out once per class: the webhook outbox, the audit and the
 * history ask them for every event they read.
 */
public final class EventNames {

    private static final ClassValue<String> RESOURCE_TYPES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> eventType) {
            return snake(resourceCamel(eventType));
        }
    };
    private static final ClassValue<String> ACTIONS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> eventType) {
            return actionOf(eventType);
        }
    };

    private EventNames() {
    }

    public static String resourceType(Class<?> eventType) {
        return RESOURCE_TYPES.get(eventType);
    }

    public static String action(Class<?> eventType) {
        return ACTIONS.get(eventType);
    }

    private static String actionOf(Class<?> eventType) {
        String resource = resourceCamel(eventType);
        String name = eventType.getSimpleName();
        String verb = name.startsWith(resource) && name.length() > resource.length()
                ? name.substring(resource.length())
                : name;
        return snake(resource) + "." + snake(verb);
    }

    private static String resourceCamel(Class<?> eventType) {
        Class<?> family = eventType.getEnclosingClass();
        if (family != null && family.getSimpleName().endsWith("Events")) {
            String name = family.getSimpleName();
            return name.substring(0, name.length() - "Events".length());
        }
        String[] words = eventType.getSimpleName().split("(?<=[a-z0-9])(?=[A-Z])");
        return words[0];
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
