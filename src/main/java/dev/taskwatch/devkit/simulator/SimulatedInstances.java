package dev.taskwatch.devkit.simulator;

import dev.taskwatch.taskcenter.Service;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated instance lists, {@code GET /<service>/v3/{project_id}/instances} (TaurusDB under
 * {@code /taurusdb/mysql/v3}, as its jobs): every project has one instance of every service unless a test
 * {@linkplain #empty empties} it. Answers {@code {"instances": [...], "total_count": n}} honouring {@code limit}.
 */
public final class SimulatedInstances {

    static final Pattern PATH = Pattern.compile("/([a-z]+)(?:/mysql)?/v3/([^/]+)/instances/?");

    private final Set<String> empty = ConcurrentHashMap.newKeySet();

    /** Makes {@code project} have no instance of {@code service} (or one again, with {@code false}). */
    public void empty(Service service, String project, boolean isEmpty) {
        if (isEmpty) {
            empty.add(key(service, project));
        } else {
            empty.remove(key(service, project));
        }
    }

    /** The service and project an instance-list path addresses, or null when {@code path} is none. */
    static Addressed match(String path) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return null;
        }
        Service service;
        try {
            service = Service.fromId(m.group(1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        boolean mysql = path.startsWith("/" + m.group(1) + "/mysql/");
        if (mysql != (service == Service.TAURUSDB)) {
            return null;
        }
        return new Addressed(service, URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
    }

    record Addressed(Service service, String project) {}

    Map<String, Object> list(Addressed addressed, Map<String, String> query) {
        int limit = 10;
        if (query.containsKey("limit")) {
            try {
                limit = Integer.parseInt(query.get("limit"));
            } catch (NumberFormatException e) {
                throw SimulatedApiError.invalidParameter("limit must be a number").raise();
            }
        }
        if (limit < 1 || limit > 100) {
            throw SimulatedApiError.invalidParameter("limit must be 1 to 100").raise();
        }
        List<Map<String, Object>> instances = new ArrayList<>();
        boolean has = !empty.contains(key(addressed.service(), addressed.project()));
        if (has) {
            Map<String, Object> instance = new LinkedHashMap<>();
            instance.put("id", addressed.project().substring(0, Math.min(8, addressed.project().length()))
                    + addressed.service().id() + "in01");
            instance.put("name", addressed.service().id() + "-simulated");
            instance.put("status", "ACTIVE");
            instances.add(instance);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instances", instances);
        body.put("total_count", instances.size());
        return body;
    }

    private static String key(Service service, String project) {
        return service.id() + "/" + project;
    }
}
