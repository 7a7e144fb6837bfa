package dev.baserdb.api.storage;

import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.BaserDbException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The blob cleanup on demand, for platform admins (next to {@code POST /admin/sessions/purge}): the
 * same run the scheduler makes, answered when done with what it found and deleted.
 */
@RestController
@RequestMapping(path = "/api/v1/admin/storage", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin")
class StorageAdminController {

    private final BlobCleanup cleanup;

    StorageAdminController(BlobCleanup cleanup) {
        this.cleanup = cleanup;
    }

    @Operation(operationId = "purgeStorage", summary = "Delete blobs no event names that no upload touched within the grace period, and leftovers of unfinished uploads (409 while a run is in progress on any node)")
    @Returns(BlobCleanup.BlobCleanupReport.class)
    @PostMapping("/purge")
    ResponseEntity<Envelope> purgeStorage(Principal principal) {
        if (!principal.isPlatformAdmin()) {
            throw BaserDbException.forbidden("Only platform admins clean the blob store");
        }
        BlobCleanup.BlobCleanupReport result = cleanup.runOnce()
                .orElseThrow(() -> BaserDbException.conflict("A blob cleanup is already running"));
        return Envelope.ok(result);
    }
}
