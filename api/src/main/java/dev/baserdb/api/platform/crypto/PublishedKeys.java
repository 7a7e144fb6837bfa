package dev.baserdb.api.platform.crypto;

import com.nimbusds.jose.jwk.JWK;

import java.util.List;

/**
 * Public keys of the platform other than the access-token keys, published beside them in
 * {@code /.well-known/jwks.json} so that anyone can check what they sign (e.g. audit checkpoints).
 * Publishing a key here never makes it valid for access tokens.
 */
public interface PublishedKeys {

    List<JWK> publicKeys();
}
