package dev.baserdb.kernel.credential;

import java.util.List;

/**
 * Who may reveal a credential's secret and on what terms (API.md §8): the organization roles
 * listed (the permission matrix must allow them too), whether a reason must be given, and whether
 * the caller must prove a fresh second factor.
 */
public record RevealPolicy(List<String> roles, boolean requireMfa, boolean requireReason) {

    public static final RevealPolicy DEFAULT = new RevealPolicy(List.of("owner", "admin"), false, true);

    public RevealPolicy {
        roles = List.copyOf(roles);
    }
}
