package dev.baserdb.api.platform.web;

import jakarta.servlet.http.HttpServletRequest;

import java.util.regex.Pattern;

/**
 * The routes whose bodies are files (storage uploads, deploy archives and deploy files): they are
 * streamed to disk, bounded by {@code BASERDB_MAX_UPLOAD_SIZE} and then by the storage limits of
 * API.md §11–12, not by the JSON body limit; and they are not kept for {@code Idempotency-Key}
 * replay (their answer depends only on the bytes, which are content-addressed).
 */
public final class UploadRoutes {

    private static final Pattern UPLOADS = Pattern.compile(
            "^/api/v1/projects/[^/]+/(storage/[^/]+|sites/[^/]+/deploys)/?$");
    private static final Pattern DEPLOY_FILES = Pattern.compile("^/api/v1/projects/[^/]+/sites/[^/]+/deploys/[^/]+/files/?$");

    private UploadRoutes() {
    }

    public static boolean isUpload(HttpServletRequest request) {
        String path = request.getRequestURI();
        return ("POST".equals(request.getMethod()) && UPLOADS.matcher(path).matches())
                || ("PUT".equals(request.getMethod()) && DEPLOY_FILES.matcher(path).matches());
    }
}
