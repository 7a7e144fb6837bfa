package dev.baserdb.api.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.kernel.error.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.Map;

/** Writes an error envelope straight to the response, for code that runs outside Spring MVC (filters). */
@Component
public class EnvelopeWriter {

    private final ObjectMapper json;

    EnvelopeWriter(ObjectMapper json) {
        this.json = json;
    }

    public void write(HttpServletResponse response, ErrorCode code, String message, Map<String, String> details)
            throws IOException {
        response.setStatus(code.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), Envelope.failure(code, message, details));
    }
}
