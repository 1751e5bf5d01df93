package dev.taskwatch.config;

import static dev.taskwatch.config.Settings.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwatch.config.TaskwatchConfig.CredentialConfig;
import dev.taskwatch.config.TaskwatchConfig.TargetConfig;
import dev.taskwatch.poller.RateLimit;
import dev.taskwatch.taskcenter.CloudProfile;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Credentials;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds {@code credentials:} and {@code targets:}, whose rules relate keys: a credential's keys depend on its type, a
 * target names a credential, and a target's cloud, endpoint and page size depend on its credential and service.
 */
final class TargetsBinder {

    private final SettingReader in;

    TargetsBinder(SettingReader in) {
        this.in = in;
    }

    Map<String, CredentialConfig> credentials(JsonNode node) {
        Map<String, CredentialConfig> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            in.problem("credentials: expected a mapping of named credentials, got " + SettingReader.kind(node));
            return result;
        }
        node.properties().forEach(e -> {
            String path = "credentials." + e.getKey();
            if (!e.getValue().isObject()) {
                in.problem(path + ": expected a mapping with type and its fields, got "
                        + SettingReader.kind(e.getValue()));
                return;
            }
            CredentialConfig credential = credential(e.getKey(), (ObjectNode) e.getValue(), path);
            if (credential != null) {
                result.put(e.getKey(), credential);
            }
        });
        return result;
    }

    private CredentialConfig credential(String name, ObjectNode node, String path) {
        List<String> types = CREDENTIAL_TYPES;
        String type = in.read(node, path, CREDENTIAL_TYPE);
        if (type == null || !types.contains(type)) {
            in.checkKeys(node, path, "credentials.<name>");
            in.problem(path + ".type: " + (type == null ? "missing" : "unknown type '" + type + "'") + " (one of "
                    + String.join(", ", types) + ")");
            return null;
        }
        List<Setting<?>> fields = new ArrayList<>(List.of(CREDENTIAL_TYPE, CREDENTIAL_CLOUD, CREDENTIAL_RATE));
        fields.addAll(CREDENTIAL_FIELDS.get(type));
        List<String> valid = fields.stream().map(Setting::key).toList();
        List<String> allFields = ConfigKeys.SECTIONS.get("credentials.<name>");
        node.fieldNames().forEachRemaining(key -> {
            if (valid.contains(key)) {
                return;
            }
            in.problem(allFields.contains(key)
                    ? path + "." + key + ": not used by type " + type + " (its keys: " + String.join(", ", valid) + ")"
                    : SettingReader.unknownKey(path + "." + key, key, valid));
        });
        for (String key : valid) {
            JsonNode value = node.get(key);
            // credentials travel in HTTP headers, whatever their key
            if (value != null && value.isValueNode() && Rules.headerUnsafe(value.asText())) {
                in.problem(Rules.headerUnsafeProblem(path + "." + key));
            }
        }
        double rate = in.read(node, path, CREDENTIAL_RATE);
        String why = " (required for type " + type + ")";
        Credentials credentials = switch (type) {
            case "token" -> new Credentials.StaticToken(name, orEmpty(in.required(node, path, CREDENTIAL_TOKEN, why)));
            case "password" -> {
                String user = orEmpty(in.required(node, path, CREDENTIAL_USER, why));
                String password = orEmpty(in.required(node, path, CREDENTIAL_PASSWORD, why));
                String domain = orEmpty(in.required(node, path, CREDENTIAL_DOMAIN, why));
                URI iam = in.read(node, path, CREDENTIAL_IAM);
                yield new Credentials.Password(name, user, password, domain, iam == null ? null : iam.toString());
            }
            default -> new Credentials.AkSk(name, orEmpty(in.required(node, path, CREDENTIAL_ACCESS_KEY, why)),
                    orEmpty(in.required(node, path, CREDENTIAL_SECRET_KEY, why)),
                    in.read(node, path, CREDENTIAL_SECURITY_TOKEN));
        };
        return new CredentialConfig(credentials, new RateLimit(rate), in.read(node, path, CREDENTIAL_CLOUD));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    List<TargetConfig> targets(JsonNode node, Map<String, CredentialConfig> credentials) {
        List<TargetConfig> result = new ArrayList<>();
        Map<String, String> namePaths = new LinkedHashMap<>();
        List<ObjectNode> items = in.list(node, "targets", "a list of targets");
        for (int i = 0; i < items.size(); i++) {
            String path = "targets[" + i + "]";
            TargetConfig target = items.get(i) == null ? null : target(items.get(i), path, credentials);
            if (target == null) {
                continue;
            }
            String previous = namePaths.putIfAbsent(target.target().name(), path);
            if (previous != null) {
                in.problem(path + ".name: duplicate target name '" + target.target().name() + "' (also " + previous
                        + "; set distinct names)");
            }
            result.add(target);
        }
        return result;
    }

    private TargetConfig target(ObjectNode node, String path, Map<String, CredentialConfig> credentials) {
        in.checkKeys(node, path, "targets[]");
        int before = in.problemCount();
        Service service = in.read(node, path, TARGET_SERVICE);
        if (service == null) { // kept only when no problem of the value itself was reported
            in.problem(path + ".service: missing (one of " + SettingType.serviceIds() + ")");
        }
        String region = in.required(node, path, TARGET_REGION, "");
        String project = in.required(node, path, TARGET_PROJECT, "");
        String credential = in.required(node, path, TARGET_CREDENTIALS, "");
        if (credential != null && !credentials.containsKey(credential)) {
            in.problem(path + ".credentials: unknown credential '" + credential + "' (defined: "
                    + (credentials.isEmpty() ? "none" : String.join(", ", credentials.keySet())) + ")");
        }
        CloudProfile cloud = cloud(node, path, credential, credentials);
        URI endpoint = in.read(node, path, TARGET_ENDPOINT);
        JsonNode endpointValue = node.get(TARGET_ENDPOINT.key());
        boolean endpointSet = endpointValue != null && !SettingReader.isEmpty(endpointValue);
        if (!endpointSet && service != null && region != null) {
            endpoint = cloud.endpoint(service, region);
        }
        Duration interval = in.read(node, path, TARGET_INTERVAL);
        Duration active = in.read(node, path, TARGET_ACTIVE_INTERVAL);
        Duration lookback = in.read(node, path, TARGET_LOOKBACK);
        Integer pageSize = in.read(node, path, TARGET_PAGE_SIZE);
        if (pageSize != null && service != null && !service.acceptsPageSize(pageSize)) {
            in.problem(path + ".page-size: " + service.id() + " accepts " + service.pageSizeRule() + ", got "
                    + pageSize);
        }
        if (in.problemCount() > before) {
            return null;
        }
        String name = in.read(node, path, TARGET_NAME);
        return new TargetConfig(new Target(name != null ? name : service.id() + "/" + region + "/" + project, service,
                region, project, endpoint, credential, interval, active, lookback), pageSize, cloud);
    }

    /** The target's {@code cloud}, else its credential's, else Open Telekom Cloud; a mismatch is a problem. */
    private CloudProfile cloud(ObjectNode node, String path, String credential,
            Map<String, CredentialConfig> credentials) {
        CloudProfile targetCloud = in.read(node, path, TARGET_CLOUD);
        CloudProfile credentialCloud = credential == null || !credentials.containsKey(credential) ? null
                : credentials.get(credential).cloud();
        if (targetCloud != null && credentialCloud != null && targetCloud != credentialCloud) {
            in.problem(path + ".cloud: " + targetCloud.id() + ", but its credentials '" + credential + "' are for "
                    + credentialCloud.id() + " (credentials.<name>.cloud); a credential works on one cloud only");
        }
        return targetCloud != null ? targetCloud : credentialCloud != null ? credentialCloud : CloudProfile.OTC;
    }
}
