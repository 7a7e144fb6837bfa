package dev.baserdb.api.audit;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** Results of the audit routes that the handlers assemble as maps, as the OpenAPI document shows them. */
final class AuditSchemas {

    private AuditSchemas() {
    }

    @Schema(description = "The latest signed checkpoint the verification checked")
    record CheckedCheckpoint(long position, long count, String headHash, Instant at, boolean signatureValid,
                             boolean matchesTrail) {
    }

    @Schema(description = "The result of checking the audit trail: the hash chain, every entry against its event, "
            + "completeness up to the processed position, and the latest signed checkpoint")
    record AuditVerification(boolean verified, long checked, String headHash, String firstBrokenId, Long position,
                             long missing, List<String> missingIds, long extra, List<String> extraIds,
                             CheckedCheckpoint checkpoint) {
    }

    @Schema(description = "A signed checkpoint: a JWS (EdDSA, key kid in the JWKS) over {position, count, head_hash, at}")
    record SignedCheckpoint(long id, long position, long count, String headHash, Instant at, String kid,
                            String signature) {
    }
}
