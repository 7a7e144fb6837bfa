package dev.baserdb.kernel.site;

/** One file of a deploy: its path in the site, and the blob (by SHA-256) that holds its bytes. */
public record DeployFile(String path, String sha256, long size, String contentType) {
}
