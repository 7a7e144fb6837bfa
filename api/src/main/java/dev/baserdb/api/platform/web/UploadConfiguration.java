package dev.baserdb.api.platform.web;

import dev.baserdb.api.platform.BaserDbProperties;
import jakarta.servlet.MultipartConfigElement;
import org.springframework.boot.web.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Multipart bodies go to disk from the first byte (threshold 0, in the data directory's
 * {@code tmp/}), never into memory, and are bounded by {@code BASERDB_MAX_UPLOAD_SIZE} (413 beyond).
 */
@Configuration(proxyBeanMethods = false)
class UploadConfiguration {

    @Bean
    MultipartConfigElement multipartConfigElement(BaserDbProperties properties) {
        Path location = properties.uploadDir();
        try {
            Files.createDirectories(location);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the upload directory " + location, e);
        }
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setLocation(location.toString());
        factory.setMaxFileSize(properties.maxUploadSize());
        factory.setMaxRequestSize(properties.maxUploadSize());
        factory.setFileSizeThreshold(DataSize.ofBytes(0));
        return factory.createMultipartConfig();
    }
}
