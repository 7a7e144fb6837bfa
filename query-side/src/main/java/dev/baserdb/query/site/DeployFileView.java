package dev.baserdb.query.site;

/** One file of a deploy: path, and the blob holding its bytes. */
public record DeployFileView(String path, String sha256, long size, String contentType) {
}
