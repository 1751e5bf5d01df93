package dev.taskwatch.devkit.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the simulator sends back for one request: status, JSON body (empty for none) and extra headers. */
record SimulatedAnswer(int status, byte[] body, Map<String, String> headers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static SimulatedAnswer error(SimulatedApiError error) {
        return error(error, Map.of());
    }

    /** The OTC error shape {@code {"error_code": "...", "error_msg": "..."}}. */
    static SimulatedAnswer error(SimulatedApiError error, Map<String, String> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", error.code());
        body.put("error_msg", error.message());
        return json(error.status(), body, headers);
    }

    static SimulatedAnswer json(int status, Object body, Map<String, String> headers) {
        try {
            return new SimulatedAnswer(status, JSON.writeValueAsBytes(body), headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
