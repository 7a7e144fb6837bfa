package dev.baserdb.api.storage;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** Request bodies of the storage routes (API.md §11). */
final class StorageRequests {

    static final String MIME = "^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/([a-z0-9][a-z0-9!#$&^_.+-]{0,126}|\\*)$";
    static final long MAX_SIGNED_SECONDS = 7L * 24 * 3600;

    private StorageRequests() {
    }

    record NewBucket(@NotBlank @Pattern(regexp = "^[a-z0-9][a-z0-9-]{1,62}$", message = "must match ^[a-z0-9][a-z0-9-]{1,62}$") String name,
                     @JsonProperty("public") Boolean isPublic,
                     @Min(1) @Max(50L * 1024 * 1024) Long maxFileSize,
                     @Size(max = 50) List<@NotNull @Pattern(regexp = MIME, message = "must be a content type such as image/png or image/*") String> allowedMimeTypes) {
    }

    /** Absent fields keep their value; an empty {@code allowed_mime_types} allows every type again. */
    record BucketChanges(@JsonProperty("public") Boolean isPublic,
                         @Min(1) @Max(50L * 1024 * 1024) Long maxFileSize,
                         @Size(max = 50) List<@NotNull @Pattern(regexp = MIME, message = "must be a content type such as image/png or image/*") String> allowedMimeTypes) {
    }

    record SignatureRequest(@NotBlank @Size(max = 1024) String name,
                            @NotNull @Min(1) @Max(MAX_SIGNED_SECONDS) Long expiresIn) {
    }
}
