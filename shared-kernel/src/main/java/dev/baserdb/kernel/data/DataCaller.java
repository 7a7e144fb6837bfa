package dev.baserdb.kernel.data;

/**
 * Under whose row-level security a data-API read runs: {@code role} "anon" or "authenticated"
 * (with the authenticated row id), or {@code null} for callers who bypass policies (service key,
 * members with the data permission).
 */
public record DataCaller(String role, String userId) {

    public static final DataCaller BYPASS = new DataCaller(null, null);

    public boolean bypasses() {
        return role == null;
    }
}
