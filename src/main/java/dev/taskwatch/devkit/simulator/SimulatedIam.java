package dev.taskwatch.devkit.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated IAM project list, {@code GET /v3/auth/projects}, in the documented shape (KeystoneListAuthProjects:
 * {@code projects[]} with {@code id}, {@code name}, {@code enabled}, {@code domain_id}, {@code parent_id},
 * {@code is_domain}, {@code description}, {@code links}; {@code links.self} at the root). Starts with one project per
 * configured project id: the first named after the region, the others {@code <region>_project<n>}. Tests add, disable
 * and remove projects while a client runs, and play an IAM outage. Thread-safe.
 */
public final class SimulatedIam {

    static final String PROJECTS_PATH = "/v3/auth/projects";
    private static final String DOMAIN_ID = "0970d8a4e5c5417a9d0bb3a6c2b1a9f0";

    private final Map<String, Project> projects = new LinkedHashMap<>();
    private volatile boolean outage;

    /** One project as IAM lists it. */
    public record Project(String id, String name, boolean enabled) {}

    SimulatedIam(String region, List<String> projectIds) {
        for (int i = 0; i < projectIds.size(); i++) {
            String id = projectIds.get(i);
            projects.put(id, new Project(id, i == 0 ? region : region + "_project" + i, true));
        }
    }

    /** Adds or replaces a project. */
    public synchronized void put(String id, String name, boolean enabled) {
        projects.put(id, new Project(id, name, enabled));
    }

    /** Removes a project (deleted, or the credential lost access to it). */
    public synchronized void remove(String id) {
        projects.remove(id);
    }

    /** The projects listed now. */
    public synchronized List<Project> projects() {
        return List.copyOf(projects.values());
    }

    /** While true, the project list answers 503 (an IAM outage); task centers go on answering. */
    public void outage(boolean on) {
        outage = on;
    }

    /** The answer body of {@code GET /v3/auth/projects}; throws the 503 of an outage. */
    synchronized Map<String, Object> listProjects(String baseUrl) {
        if (outage) {
            throw new SimulatedApiError(503, "IAM.0001", "Service unavailable (simulated IAM outage)").raise();
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (Project p : projects.values()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("domain_id", DOMAIN_ID);
            node.put("is_domain", false);
            node.put("parent_id", DOMAIN_ID);
            node.put("name", p.name());
            node.put("description", "");
            node.put("links", Map.of("self", baseUrl + "/v3/projects/" + p.id()));
            node.put("id", p.id());
            node.put("enabled", p.enabled());
            list.add(node);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projects", list);
        body.put("links", Map.of("self", baseUrl + PROJECTS_PATH));
        return body;
    }
}
