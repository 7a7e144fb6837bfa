package dev.baserdb.command.storage;

import dev.baserdb.kernel.id.BucketId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.storage.BucketCommands.CreateBucket;
import dev.baserdb.kernel.storage.BucketCommands.DeleteBucket;
import dev.baserdb.kernel.storage.BucketCommands.DeleteFile;
import dev.baserdb.kernel.storage.BucketCommands.UpdateBucket;
import dev.baserdb.kernel.storage.BucketCommands.UploadFile;
import dev.baserdb.kernel.storage.BucketEvents.BucketCreated;
import dev.baserdb.kernel.storage.BucketEvents.BucketDeleted;
import dev.baserdb.kernel.storage.BucketEvents.BucketUpdated;
import dev.baserdb.kernel.storage.BucketEvents.FileDeleted;
import dev.baserdb.kernel.storage.BucketEvents.FileUploaded;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.baserdb.command.ErrorCodeMatcher.withCode;
import static dev.baserdb.kernel.error.ErrorCode.NOT_FOUND;
import static dev.baserdb.kernel.error.ErrorCode.PAYLOAD_TOO_LARGE;
import static dev.baserdb.kernel.error.ErrorCode.UNSUPPORTED_MEDIA_TYPE;
import static dev.baserdb.kernel.error.ErrorCode.VALIDATION_FAILED;

/** The Bucket aggregate: settings, uploads decided against them, deletes of files it holds. */
class BucketTest {

    private static final BucketId BUCKET = BucketId.generate();
    private static final ProjectId PROJECT = ProjectId.generate();
    private static final OrganizationId ORG = OrganizationId.generate();
    private static final String SHA = "a".repeat(64);

    private FixtureConfiguration<Bucket> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Bucket.class);
    }

    private static BucketCreated aBucket(long maxFileSize, List<String> types) {
        return new BucketCreated(BUCKET, PROJECT, ORG, "avatars", false, maxFileSize, types);
    }

    private static FileUploaded uploaded(String name) {
        return new FileUploaded(BUCKET, PROJECT, ORG, name, 10, SHA, "image/png");
    }

    @Test
    void given_nothing_when_created_then_BucketCreated() {
        fixture.givenNoPriorActivity()
                .when(new CreateBucket(BUCKET, PROJECT, ORG, "avatars", false, 1000, List.of("image/png")))
                .expectEvents(aBucket(1000, List.of("image/png")));
    }

    @Test
    void given_nothing_when_created_with_a_bad_name_or_size_then_refused() {
        fixture.givenNoPriorActivity()
                .when(new CreateBucket(BUCKET, PROJECT, ORG, "Bad Name", false, 1000, null))
                .expectNoEvents().expectException(withCode(VALIDATION_FAILED));
        fixture.givenNoPriorActivity()
                .when(new CreateBucket(BUCKET, PROJECT, ORG, "avatars", false, 0, null))
                .expectNoEvents().expectException(withCode(VALIDATION_FAILED));
    }

    @Test
    void given_a_bucket_when_updated_then_BucketUpdated_and_an_empty_type_list_allows_all() {
        fixture.given(aBucket(1000, List.of("image/png")))
                .when(new UpdateBucket(BUCKET, true, 2000, List.of(), null))
                .expectEvents(new BucketUpdated(BUCKET, PROJECT, ORG, true, 2000, null));
    }

    @Test
    void given_a_bucket_when_a_file_is_uploaded_then_FileUploaded() {
        fixture.given(aBucket(1000, List.of("image/*")))
                .when(new UploadFile(BUCKET, "a/b.png", 10, SHA, "image/png"))
                .expectEvents(new FileUploaded(BUCKET, PROJECT, ORG, "a/b.png", 10, SHA, "image/png"));
    }

    @Test
    void given_a_bucket_when_a_file_is_too_large_then_413() {
        fixture.given(aBucket(5, null))
                .when(new UploadFile(BUCKET, "b.png", 6, SHA, "image/png"))
                .expectNoEvents().expectException(withCode(PAYLOAD_TOO_LARGE));
    }

    @Test
    void given_a_type_list_when_another_type_is_uploaded_then_415() {
        fixture.given(aBucket(1000, List.of("image/png")))
                .when(new UploadFile(BUCKET, "b.png", 6, SHA, "text/html"))
                .expectNoEvents().expectException(withCode(UNSUPPORTED_MEDIA_TYPE));
    }

    @Test
    void given_a_bucket_when_a_blocked_extension_is_uploaded_then_415_whatever_its_case() {
        fixture.given(aBucket(1000, null))
                .when(new UploadFile(BUCKET, "run.PhP", 6, SHA, "text/plain"))
                .expectNoEvents().expectException(withCode(UNSUPPORTED_MEDIA_TYPE));
    }

    @Test
    void given_a_bucket_when_a_name_climbs_out_then_400() {
        for (String name : List.of("../x", "/etc/passwd", "a\\b", "a/../b", "a%2e%2e/b", "a//b", "")) {
            fixture.given(aBucket(1000, null))
                    .when(new UploadFile(BUCKET, name, 6, SHA, "text/plain"))
                    .expectNoEvents().expectException(withCode(VALIDATION_FAILED));
        }
    }

    @Test
    void given_a_file_when_deleted_then_FileDeleted_and_an_unknown_one_is_404() {
        fixture.given(aBucket(1000, null), uploaded("a.png"))
                .when(new DeleteFile(BUCKET, "a.png"))
                .expectEvents(new FileDeleted(BUCKET, PROJECT, ORG, "a.png"));
        fixture.given(aBucket(1000, null), uploaded("a.png"), new FileDeleted(BUCKET, PROJECT, ORG, "a.png"))
                .when(new DeleteFile(BUCKET, "a.png"))
                .expectNoEvents().expectException(withCode(NOT_FOUND));
    }

    @Test
    void given_a_deleted_bucket_when_anything_then_404() {
        fixture.given(aBucket(1000, null), new BucketDeleted(BUCKET, PROJECT, ORG))
                .when(new UploadFile(BUCKET, "a.png", 1, SHA, "image/png"))
                .expectNoEvents().expectException(withCode(NOT_FOUND));
        fixture.given(aBucket(1000, null), new BucketDeleted(BUCKET, PROJECT, ORG))
                .when(new DeleteBucket(BUCKET, null))
                .expectNoEvents().expectException(withCode(NOT_FOUND));
    }
}
