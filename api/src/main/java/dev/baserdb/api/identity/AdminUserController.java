package dev.baserdb.api.identity;

import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.BaserDbException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Platform administration of accounts (API.md §14): erasure on request. */
@RestController
@Tag(name = "admin")
class AdminUserController {

    private final AuthService auth;

    AdminUserController(AuthService auth) {
        this.auth = auth;
    }

    @Operation(operationId = "eraseUser", summary = "Erase an account: sessions revoked, memberships ended, personal data crypto-shredded")
    @Returns(value = AuthResponses.Erased.class)
    @DeleteMapping(path = "/api/v1/admin/users/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> erase(Principal principal, @PathVariable String id) {
        if (!principal.isPlatformAdmin()) {
            throw BaserDbException.forbidden("Only platform admins may erase other accounts");
        }
        auth.erase(id);
        return Envelope.ok(new AuthResponses.Erased(id, true));
    }
}
