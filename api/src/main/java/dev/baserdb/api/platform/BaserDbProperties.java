package dev.baserdb.api.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;

/** Platform-wide settings ({@code baserdb.*}), fed by the {@code BASERDB_} environment variables. */
@ConfigurationProperties("baserdb")
public record BaserDbProperties(
        @DefaultValue("http://localhost:8080") String publicUrl,
        @DefaultValue("./data") Path dataDir,
        /* Base64 of 32 bytes; when empty a development key is generated into the data dir. */
        @DefaultValue("") String masterKey,
        @DefaultValue("1MB") DataSize maxBodySize,
        /* Bodies of the upload routes (files, deploy archives): streamed to disk, never held in memory. */
        @DefaultValue("51MB") DataSize maxUploadSize,
        Admin admin) {

    public record Admin(String email, String password) {
    }

    /**
     * Where the upload routes spool request bodies before the blob store reads them
     * ({@code BASERDB_DATA_DIR/tmp}); the blob cleanup removes what a crash left there.
     */
    public Path uploadDir() {
        return dataDir.resolve("tmp").toAbsolutePath();
    }
}
