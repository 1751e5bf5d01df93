package dev.taskwatch.taskcenter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The IAM call that lists the projects a credential can access, {@code GET /v3/auth/projects} ("Listing Projects
 * Accessible to an IAM User", KeystoneListAuthProjects in the IAM API reference; no special permission needed): a
 * {@code projects} array whose elements carry {@code id}, {@code name}, {@code enabled} (and {@code domain_id},
 * {@code parent_id}, {@code is_domain}, {@code description}, {@code links}, which are not read). A project's name starts
 * with its region: {@code eu-de} is the region's default project, {@code eu-de_analytics} a sub-project. The same
 * shape in huaweicloud-sdk-go-v3 1cd70eb6 {@code services/iam/v3/iam_meta.go} {@code
 * GenReqDefForKeystoneListAuthProjects}, {@code model_keystone_list_auth_projects_response.go} and
 * {@code model_auth_project_result.go}. Pure: no I/O.
 */
public final class IamProjects {

    /** Region ids as both clouds spell them: {@code eu-de}, {@code eu-ch2}, {@code cn-north-4}, {@code ap-southeast-1}. */
    private static final Pattern REGION = Pattern.compile("[a-z]{2}-[a-z0-9]+(-[0-9]+)?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private IamProjects() {}

    /** One project: {@code region} is the part of the name before the first {@code _}. */
    public record Project(String id, String name, boolean enabled) {

        /** The region the name starts with, or null for a project whose name names no region (Huawei's {@code MOS}). */
        public String region() {
            int cut = name.indexOf('_');
            String region = cut < 0 ? name : name.substring(0, cut);
            return REGION.matcher(region).matches() ? region : null;
        }
    }

    /** The request, relative to the IAM endpoint. */
    public static ApiRequest request() {
        return ApiRequest.get("/v3/auth/projects", Map.of());
    }

    /**
     * Parses a 2xx answer of {@link #request()}.
     *
     * @throws MalformedResponseException when the body is no object with a {@code projects} array, or a project lacks
     *                                    its {@code id} or {@code name}
     */
    public static List<Project> parse(String body) throws MalformedResponseException {
        JsonNode root;
        try {
            root = body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new MalformedResponseException("IAM projects response is not JSON: " + "a syntax error at or before character " + excerptSafeOffset(e));
        }
        if (root == null || !root.isObject() || !root.path("projects").isArray()) {
            throw new MalformedResponseException("IAM projects response has no projects array");
        }
        List<Project> projects = new ArrayList<>();
        int i = 0;
        for (JsonNode p : root.get("projects")) {
            String id = text(p, "id");
            String name = text(p, "name");
            if (id == null || name == null) {
                throw new MalformedResponseException("IAM projects response: projects[" + i + "] lacks "
                        + (id == null ? "id" : "name"));
            }
            // a missing enabled is read as enabled: the field is documented, its absence would not mean "disabled"
            JsonNode enabled = p.get("enabled");
            projects.add(new Project(id, name, enabled == null || !enabled.isBoolean() || enabled.booleanValue()));
            i++;
        }
        return projects;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText().strip() : null;
    }

    /** Where the JSON broke, without the text (an error message must not echo a body). */
    private static long excerptSafeOffset(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                ? j.getLocation().getCharOffset() : -1;
    }
}
