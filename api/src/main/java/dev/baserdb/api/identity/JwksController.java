package dev.baserdb.api.identity;


import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.baserdb.api.platform.crypto.PublishedKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The public keys that verify access tokens, and the platform's other public keys (audit
 * checkpoints), each under its own kid; only the former verify access tokens. Served as a plain
 * JWK Set (RFC 7517), not in the envelope, because JWT libraries read this document by its
 * standard shape.
 */
@RestController
@Tag(name = "auth")
class JwksController {

    private final SigningKeys keys;
    private final List<PublishedKeys> otherKeys;

    JwksController(SigningKeys keys, List<PublishedKeys> otherKeys) {
        this.keys = keys;
        this.otherKeys = otherKeys;
    }

    @Operation(operationId = "getJwks", summary = "JWK Set of the Ed25519 keys that sign access tokens and audit checkpoints")
    @GetMapping(path = "/.well-known/jwks.json", produces = {MediaType.APPLICATION_JSON_VALUE, "application/jwk-set+json"})
    ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
                .body(published().toJSONObject(true));
    }

    /** The access-token keys and the platform's other public keys (each with its own kid). */
    private JWKSet published() {
        List<JWK> all = new ArrayList<>(keys.publicKeys().getKeys());
        otherKeys.forEach(other -> all.addAll(other.publicKeys()));
        return new JWKSet(all);
    }
}
