package dev.baserdb.api.platform.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;

/**
 * A response whose JSON body is sent when the request ends, in one write with its length, instead
 * of when the JSON writer flushes. Jackson and Spring's message converters flush after writing a
 * value; on Tomcat a flush commits the response, so every JSON answer went out as a chunked body
 * in two writes to the socket (the headers and the chunk, then the closing chunk), each a system
 * call, about a seventh of the CPU of a GET by id on two cores. Here a flush of a JSON body does
 * nothing: the body stays in Tomcat's response buffer (8 KB) and, when the request ends within it,
 * goes out with a {@code Content-Length}; a longer body is still streamed whenever the buffer
 * fills. A body of any other type (event streams, file downloads) is flushed as asked, so streams
 * stay live.
 */
final class OneWriteJson extends HttpServletResponseWrapper {

    private ServletOutputStream stream;

    OneWriteJson(HttpServletResponse response) {
        super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            stream = new Body(super.getOutputStream());
        }
        return stream;
    }

    @Override
    public void flushBuffer() throws IOException {
        if (!isJson()) {
            super.flushBuffer();
        }
    }

    private boolean isJson() {
        String type = getContentType();
        return type != null && (type.startsWith("application/json") || type.startsWith("application/problem+json"));
    }

    /** The servlet's stream, except that a flush of a JSON body waits for the end of the request. */
    private final class Body extends ServletOutputStream {

        private final ServletOutputStream delegate;

        Body(ServletOutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            delegate.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            delegate.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            if (!isJson()) {
                delegate.flush();
            }
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            delegate.setWriteListener(listener);
        }
    }
}
