package dev.baserdb.api.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.kernel.error.ErrorCode;
import org.apache.catalina.Host;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers the errors Tomcat raises before a request reaches the application (a malformed
 * percent-escape or an encoded slash in the URL, say) with the envelope instead of Tomcat's HTML
 * error page. Such requests never pass {@link EdgeFilter}, so the request id and security headers
 * are set here.
 */
final class EnvelopeErrorReportValve extends ErrorReportValve {

    private final ObjectMapper json;

    EnvelopeErrorReportValve(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ErrorCode code = EnvelopeErrorController.errorCode(status);
        String requestId = UUID.randomUUID().toString();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("request_id", requestId);
        try {
            String body = json.writeValueAsString(new Envelope(false, null, meta,
                    new Envelope.Error(code.name(), EnvelopeErrorController.message(code), Map.of())));
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.setContentLength(body.getBytes(StandardCharsets.UTF_8).length);
            response.setHeader(EdgeFilter.REQUEST_ID_HEADER, requestId);
            EdgeFilter.securityHeaders(response);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response cannot take a body any more; nothing left to tell.
        }
    }

    /** Puts the valve in place of the error report valves Tomcat and Spring Boot install on the host. */
    @Component
    static class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        private final ObjectMapper json;

        Installer(ObjectMapper json) {
            this.json = json;
        }

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                Host host = (Host) context.getParent();
                Pipeline pipeline = host.getPipeline();
                for (Valve valve : pipeline.getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        pipeline.removeValve(valve);
                    }
                }
                pipeline.addValve(new EnvelopeErrorReportValve(json));
                if (host instanceof StandardHost standard) {
                    // Otherwise the host adds its default HTML valve again when it starts.
                    standard.setErrorReportValveClass(EnvelopeErrorReportValve.class.getName());
                }
            });
        }

        /** After Spring Boot's own customizer, which adds an HTML error report valve. */
        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
