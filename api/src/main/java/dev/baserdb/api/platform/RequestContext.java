package dev.baserdb.api.platform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who asks and from where, for the request on this thread: set by the web edge filter, completed
 * by authentication, and copied onto every command (and from there every event) as Axon metadata.
 */
public final class RequestContext {

    public static final String REQUEST_ID = "request_id";
    public static final String IP = "ip";
    public static final String USER_AGENT = "user_agent";
    public static final String ACTOR_TYPE = "actor_type";
    public static final String ACTOR_ID = "actor_id";
    /** For data-API writes by callers without the bypass: their API role and row id (row-level security). */
    public static final String DATA_ROLE = "data_role";
    public static final String DATA_USER_ID = "data_user_id";
    /** The platform admin acting through an impersonation token (the audit entry's actor.impersonator_id). */
    public static final String IMPERSONATOR_ID = "impersonator_id";
    public static final String[] METADATA_KEYS = {REQUEST_ID, IP, USER_AGENT, ACTOR_TYPE, ACTOR_ID, DATA_ROLE,
            DATA_USER_ID, IMPERSONATOR_ID};

    private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

    private final String requestId;
    private final String ip;
    private final String userAgent;
    private volatile String actorType;
    private volatile String actorId;
    private volatile String dataRole;
    private volatile String dataUserId;
    private volatile String impersonatorId;

    public RequestContext(String requestId, String ip, String userAgent, String actorType, String actorId) {
        this.requestId = requestId;
        this.ip = ip;
        this.userAgent = userAgent;
        this.actorType = actorType;
        this.actorId = actorId;
    }

    /** The context of work the platform starts itself (start-up, schedules). */
    public static RequestContext system(String requestId) {
        return new RequestContext(requestId, null, null, "system", "baserdb");
    }

    public static RequestContext current() {
        return CURRENT.get();
    }

    public static void set(RequestContext context) {
        CURRENT.set(context);
    }

    public static void clear() {
        CURRENT.remove();
    }

    /** Records the authenticated actor for the rest of the request. */
    public void actor(String type, String id) {
        this.actorType = type;
        this.actorId = id;
    }

    /** Records that a platform admin acts as the actor (impersonation): every command of the request names them. */
    public void impersonator(String adminId) {
        this.impersonatorId = adminId;
    }

    public String impersonatorId() {
        return impersonatorId;
    }

    /** The data-API role ("anon" or "authenticated") whose row-level security a write runs under. */
    public void dataRole(String role, String userId) {
        this.dataRole = role;
        this.dataUserId = userId;
    }

    public String requestId() {
        return requestId;
    }

    public String ip() {
        return ip;
    }

    public String userAgent() {
        return userAgent;
    }

    public String actorType() {
        return actorType;
    }

    public String actorId() {
        return actorId;
    }

    public Map<String, String> asMetadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        putIfPresent(metadata, REQUEST_ID, requestId);
        putIfPresent(metadata, IP, ip);
        putIfPresent(metadata, USER_AGENT, userAgent);
        putIfPresent(metadata, ACTOR_TYPE, actorType);
        putIfPresent(metadata, ACTOR_ID, actorId);
        putIfPresent(metadata, DATA_ROLE, dataRole);
        putIfPresent(metadata, DATA_USER_ID, dataUserId);
        putIfPresent(metadata, IMPERSONATOR_ID, impersonatorId);
        return metadata;
    }

    private static void putIfPresent(Map<String, String> metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, value);
        }
    }
}
