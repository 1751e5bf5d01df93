package dev.taskwatch.config;

import static dev.taskwatch.config.SettingType.BOOLEAN;
import static dev.taskwatch.config.SettingType.CLOUD;
import static dev.taskwatch.config.SettingType.DATA_SIZE;
import static dev.taskwatch.config.SettingType.DECIMAL;
import static dev.taskwatch.config.SettingType.DURATION;
import static dev.taskwatch.config.SettingType.FILE;
import static dev.taskwatch.config.SettingType.INT;
import static dev.taskwatch.config.SettingType.LIST;
import static dev.taskwatch.config.SettingType.MAP;
import static dev.taskwatch.config.SettingType.SECRET;
import static dev.taskwatch.config.SettingType.SECRET_MAP;
import static dev.taskwatch.config.SettingType.SERVICE;
import static dev.taskwatch.config.SettingType.SERVICES;
import static dev.taskwatch.config.SettingType.STRING;
import static dev.taskwatch.config.SettingType.URL;

import dev.taskwatch.Urls;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.model.Topics;
import dev.taskwatch.poller.PollerSettings;
import dev.taskwatch.poller.RateLimit;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.transitions.TransitionSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of every configuration key: each declared once with its path, type, default, rule and documentation, in
 * documentation order ({@link #ALL}). Rules that relate two keys (a target's page size and its service, a
 * credential's cloud and its target's) are the binder's. The rules of {@code poller:} and {@code transitions:} values
 * are functions of {@link PollerSettings} and {@link TransitionSettings} (and the rate's of {@link RateLimit}), which
 * other code builds too: one check each, applied here to the key and there to the component.
 */
public final class Settings {

    private Settings() {}

    private static final String STORE_TYPE = TaskwatchConfig.KeyStoreConfig.DEFAULT_TYPE;
    private static final Duration TARGET_INTERVAL_DEFAULT = Duration.ofSeconds(30);
    private static final Duration TARGET_ACTIVE_INTERVAL_DEFAULT = Duration.ofSeconds(5);
    private static final Duration TARGET_LOOKBACK_DEFAULT = Duration.ofDays(7);

    // ---------------------------------------------------------------- kafka, schema-registry, topics

    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = Setting.of("kafka.bootstrap-servers", STRING, null,
            "none: `run` starts an embedded broker");
    public static final Setting<Map<String, String>> KAFKA_PROPERTIES = Setting.of("kafka.properties.*", MAP, Map.of(),
            "none; passed to every Kafka client and to Streams (SASL, TLS, tuning); they override the three Streams "
                    + "settings taskwatch sets: `restore.consumer.fetch.max.wait.ms` (100) and `rocksdb.config.setter` "
                    + "(one file-opening thread per store) for a faster start-up, see "
                    + "[docs/benchmarks.md](docs/benchmarks.md), and `topic.segment.bytes` (64 MiB) so that the "
                    + "changelog is compacted, see [docs/operations.md](docs/operations.md)");
    public static final Setting<URI> REGISTRY_URL = Setting.of("schema-registry.url", URL, null,
            "none: `run` uses an in-process registry");
    public static final Setting<String> REGISTRY_USER_INFO = Setting.of("schema-registry.basic-auth-user-info",
            SECRET, null, Settings::headerSafe, "none; `user:password` for HTTP basic auth");
    public static final Setting<String> REGISTRY_BEARER_TOKEN = Setting.of("schema-registry.bearer-token", SECRET,
            null, Settings::headerSafe, "none; a bearer token instead of basic auth");
    public static final Setting<Path> REGISTRY_TRUST_STORE = Setting.of("schema-registry.ssl.trust-store", FILE, null,
            "none: the JVM's trust store");
    public static final Setting<String> REGISTRY_TRUST_STORE_PASSWORD = Setting.of(
            "schema-registry.ssl.trust-store-password", SECRET, null, "none; set only together with the store");
    public static final Setting<String> REGISTRY_TRUST_STORE_TYPE = Setting.of("schema-registry.ssl.trust-store-type",
            STRING, STORE_TYPE, "or `JKS`");
    public static final Setting<Path> REGISTRY_KEY_STORE = Setting.of("schema-registry.ssl.key-store", FILE, null,
            "none (client certificate for mutual TLS)");
    public static final Setting<String> REGISTRY_KEY_STORE_PASSWORD = Setting.of(
            "schema-registry.ssl.key-store-password", SECRET, null, "none; set only together with the store");
    public static final Setting<String> REGISTRY_KEY_STORE_TYPE = Setting.of("schema-registry.ssl.key-store-type",
            STRING, STORE_TYPE, "or `JKS`");
    public static final Setting<String> TOPICS_PREFIX = Setting.of("topics.prefix", STRING, Topics.DEFAULT_PREFIX,
            "replaces `taskwatch.` in every topic name; an empty value means no prefix");
    public static final Setting<Integer> TOPICS_PARTITIONS = Setting.of("topics.partitions", INT, 6,
            v -> v < 1 ? "must be at least 1, got " + v : null, "for topics taskwatch creates");
    public static final Setting<Integer> TOPICS_REPLICATION = Setting.of("topics.replication-factor", INT, -1,
            v -> v == 0 || v < -1 ? "must be -1 (broker default) or at least 1, got " + v : null,
            "the broker's default");
    public static final Setting<Boolean> TOPICS_CREATE = Setting.of("topics.create", BOOLEAN, true,
            "create missing topics at start; `false` fails clearly when one is missing");

    // ---------------------------------------------------------------- credentials, targets, discovery

    public static final Setting<String> CREDENTIAL_TYPE = Setting.of("credentials.<name>.type", STRING, null,
            "required: `token`, `password` or `aksk`");
    public static final Setting<dev.taskwatch.taskcenter.CloudProfile> CREDENTIAL_CLOUD = Setting.of(
            "credentials.<name>.cloud", CLOUD, null, "none: the targets say (or `otc`); `otc` or `huawei`, see "
                    + "\"Clouds\" below; a target of another cloud is an error");
    public static final Setting<Double> CREDENTIAL_RATE = Setting.of("credentials.<name>.requests-per-second",
            DECIMAL, RateLimit.DEFAULT.requestsPerSecond(), RateLimit::problem, "shared by the targets using the "
                    + "credential; a request starts one `1 / rate` slot after the previous one ended, so the API "
                    + "never receives more than this in any second");
    public static final Setting<String> CREDENTIAL_TOKEN = Setting.of("credentials.<name>.token", SECRET, null,
            "required for `token`");
    public static final Setting<String> CREDENTIAL_USER = Setting.of("credentials.<name>.user", STRING, null,
            "required for `password`");
    public static final Setting<String> CREDENTIAL_PASSWORD = Setting.of("credentials.<name>.password", SECRET, null,
            "required for `password`");
    public static final Setting<String> CREDENTIAL_DOMAIN = Setting.of("credentials.<name>.domain", STRING, null,
            "required for `password`");
    public static final Setting<URI> CREDENTIAL_IAM = Setting.of("credentials.<name>.iam-endpoint", URL, null,
            "the IAM endpoint of the target's cloud and region, `https://iam.<region>.otc.t-systems.com` on `otc` "
                    + "(type `password`)");
    public static final Setting<String> CREDENTIAL_ACCESS_KEY = Setting.of("credentials.<name>.access-key", SECRET,
            null, "required for `aksk`");
    public static final Setting<String> CREDENTIAL_SECRET_KEY = Setting.of("credentials.<name>.secret-key", SECRET,
            null, "required for `aksk`");
    public static final Setting<String> CREDENTIAL_SECURITY_TOKEN = Setting.of("credentials.<name>.security-token",
            SECRET, null, "none (type `aksk`, temporary credentials)");

    public static final Setting<String> TARGET_NAME = Setting.of("targets[].name", STRING, null,
            "`service/region/project-id`; unique");
    public static final Setting<Service> TARGET_SERVICE = Setting.of("targets[].service", SERVICE, null,
            "required: `geminidb`, `opengauss`, `dds`, `taurusdb` or `rds`");
    public static final Setting<dev.taskwatch.taskcenter.CloudProfile> TARGET_CLOUD = Setting.of("targets[].cloud",
            CLOUD, null, "its credential's `cloud`, else `otc` (Open Telekom Cloud); `huawei` for Huawei Cloud");
    public static final Setting<String> TARGET_REGION = Setting.of("targets[].region", STRING, null, "required");
    public static final Setting<String> TARGET_PROJECT = Setting.of("targets[].project-id", STRING, null, "required");
    public static final Setting<URI> TARGET_ENDPOINT = Setting.of("targets[].endpoint", URL, null, "the service's "
            + "public endpoint in the region on the target's cloud (see \"Clouds\"); the cloud's service paths stay");
    public static final Setting<String> TARGET_CREDENTIALS = Setting.of("targets[].credentials", STRING, null,
            "required: a name under `credentials`");
    public static final Setting<Duration> TARGET_INTERVAL = Setting.of("targets[].interval", DURATION,
            TARGET_INTERVAL_DEFAULT, Settings::positive, "while none of the target's tasks runs");
    public static final Setting<Duration> TARGET_ACTIVE_INTERVAL = Setting.of("targets[].active-interval", DURATION,
            TARGET_ACTIVE_INTERVAL_DEFAULT, Settings::positive, "while a task of the target runs");
    public static final Setting<Duration> TARGET_LOOKBACK = Setting.of("targets[].lookback", DURATION,
            TARGET_LOOKBACK_DEFAULT, Settings::lookback, "at most `" + Durations.format(Service.API_VISIBILITY)
                    + "`; what the first listing and the safety sweep read");
    public static final Setting<Integer> TARGET_PAGE_SIZE = Setting.of("targets[].page-size", INT, null,
            "the API's largest (GeminiDB 10, 20 or 50; others 1 to 100)");

    public static final Setting<List<String>> DISCOVERY_CREDENTIALS = Setting.of("discovery.credentials", LIST,
            List.of(), "none: discovery off; the credentials whose projects are watched (\"Watch a whole account\" "
                    + "below)");
    public static final Setting<List<String>> DISCOVERY_REGIONS = Setting.of("discovery.regions", LIST, List.of(),
            "`all`: every region the credential's projects are in");
    public static final Setting<List<Service>> DISCOVERY_SERVICES = Setting.of("discovery.services", SERVICES,
            List.of(), "all: `geminidb`, `opengauss`, `dds`, `taurusdb`, `rds`");
    public static final Setting<List<String>> DISCOVERY_INCLUDE = Setting.of("discovery.include", LIST, List.of(),
            "any project name; globs (`*`, `?`) on project names, e.g. `eu-de_*`");
    public static final Setting<List<String>> DISCOVERY_EXCLUDE = Setting.of("discovery.exclude", LIST, List.of(),
            "none; globs on project names");
    public static final Setting<Duration> DISCOVERY_INTERVAL = Setting.of("discovery.interval", DURATION,
            TARGET_INTERVAL_DEFAULT, Settings::positive, "as a target's; an explicit `targets:` entry of the same "
                    + "service, region and project wins");
    public static final Setting<Duration> DISCOVERY_ACTIVE_INTERVAL = Setting.of("discovery.active-interval",
            DURATION, TARGET_ACTIVE_INTERVAL_DEFAULT, Settings::positive, "as a target's");
    public static final Setting<Duration> DISCOVERY_REFRESH_INTERVAL = Setting.of("discovery.refresh-interval",
            DURATION, Duration.ofHours(1), Settings::positive,
            "how often IAM's project list and the instance lists are read again");
    public static final Setting<Duration> DISCOVERY_EMPTY_INTERVAL = Setting.of("discovery.empty-interval", DURATION,
            Duration.ofMinutes(10), Settings::positive,
            "the interval of a discovered target whose project has no instance of its service");
    public static final Setting<URI> DISCOVERY_IAM = Setting.of("discovery.iam-endpoint", URL, null,
            "the IAM endpoint of the credential's cloud in the first of `regions` (`eu-de` on `otc`, "
                    + "`ap-southeast-1` on `huawei` for `all`)");
    public static final Setting<String> DISCOVERY_ENDPOINT = Setting.of("discovery.endpoint", STRING, null,
            v -> v.contains("{service}") ? null : "must contain {service} (and may contain {region}), e.g. "
                    + "https://{service}.{region}.example.com",
            "each cloud's endpoints; a template with `{service}` and `{region}` (a proxy, a private endpoint, the "
                    + "simulator)");

    // ---------------------------------------------------------------- poller, transitions, http, logging

    public static final Setting<Duration> POLLER_REQUEST_TIMEOUT = Setting.of("poller.request-timeout", DURATION,
            PollerSettings.DEFAULT_REQUEST_TIMEOUT, PollerSettings::positive, "how long one HTTP request may take");
    public static final Setting<Integer> POLLER_MAX_PAGES = Setting.of("poller.max-pages-per-cycle", INT,
            PollerSettings.DEFAULT_MAX_PAGES_PER_CYCLE, PollerSettings::atLeastOne,
            "list pages read in one cycle; the rest in the next");
    public static final Setting<Duration> POLLER_NOT_FOUND_GRACE = Setting.of("poller.watch-not-found-grace",
            DURATION, PollerSettings.DEFAULT_WATCH_NOT_FOUND_GRACE, PollerSettings::notNegative,
            "how long a watched id answering \"not found\" is retried");
    public static final Setting<Duration> POLLER_BACKOFF_MAX = Setting.of("poller.backoff-max", DURATION,
            PollerSettings.DEFAULT_BACKOFF_MAX, PollerSettings::positive,
            "cap of the backoff and of honoured `Retry-After` values");
    public static final Setting<Double> POLLER_JITTER = Setting.of("poller.jitter", DECIMAL,
            PollerSettings.DEFAULT_JITTER, PollerSettings::fraction, "relative jitter of the poll intervals, 0 to 1");
    public static final Setting<Duration> POLLER_VISIBILITY_MARGIN = Setting.of("poller.visibility-margin", DURATION,
            PollerSettings.DEFAULT_VISIBILITY_MARGIN, PollerSettings::notNegative, "each listing of new tasks reaches "
                    + "this far before the start of the last one, for jobs that show up in the list API late");
    public static final Setting<Duration> POLLER_SWEEP_INTERVAL = Setting.of("poller.sweep-interval", DURATION,
            PollerSettings.DEFAULT_SWEEP_INTERVAL, PollerSettings::positive,
            "an idle target reads its whole `lookback` again this often, as a safety net");
    public static final Setting<Duration> POLLER_RUNNING_REFRESH = Setting.of("poller.running-refresh", DURATION,
            PollerSettings.DEFAULT_RUNNING_REFRESH, PollerSettings::positive,
            "an unchanged running task is published again this often");
    public static final Setting<Long> POLLER_MAX_RESPONSE_SIZE = Setting.of("poller.max-response-size", DATA_SIZE,
            10L << 20, v -> v < 1 ? "must be more than 0 " + DataSizes.HINT : null,
            "a larger task-center answer is malformed");
    public static final Setting<Duration> POLLER_UNHEALTHY_AFTER = Setting.of("poller.unhealthy-after", DURATION,
            Duration.ofMinutes(2), Settings::positive, "a target failing longer makes `/health/ready` answer 503");
    public static final Setting<URI> POLLER_PROXY = Setting.of("poller.proxy",
            SettingType.uri("invalid proxy", "http://[user:password@]host:port"), null, Settings::proxy,
            "none; `http://[user:password@]host:port` for task centers and IAM");
    public static final Setting<List<String>> POLLER_NON_PROXY_HOSTS = Setting.of("poller.non-proxy-hosts", LIST,
            List.of(), "none; host globs reached without the proxy");
    public static final Setting<Path> POLLER_TRUST_STORE = Setting.of("poller.trust-store", FILE, null,
            "none: the JVM's trust store");
    public static final Setting<String> POLLER_TRUST_STORE_PASSWORD = Setting.of("poller.trust-store-password",
            SECRET, null, "none; set only together with the store");
    public static final Setting<String> POLLER_TRUST_STORE_TYPE = Setting.of("poller.trust-store-type", STRING,
            STORE_TYPE, "or `JKS`");

    public static final Setting<String> TRANSITIONS_APPLICATION_ID = Setting.of("transitions.application-id", STRING,
            TransitionSettings.DEFAULT_APPLICATION_ID, TransitionSettings::applicationIdProblem,
            "the Kafka Streams application id");
    public static final Setting<Duration> TRANSITIONS_STATE_RETENTION = Setting.of("transitions.state-retention",
            DURATION, TransitionSettings.DEFAULT_STATE_RETENTION, TransitionSettings::stateRetentionProblem,
            "must exceed " + Durations.format(Service.API_VISIBILITY));
    public static final Setting<Duration> TRANSITIONS_BACKFILL = Setting.of("transitions.backfill-threshold",
            DURATION, TransitionSettings.DEFAULT_BACKFILL_THRESHOLD, TransitionSettings::backfillThresholdProblem,
            "a first-seen terminal task that ended longer ago is marked backfill");
    public static final Setting<Boolean> TRANSITIONS_PROGRESS = Setting.of("transitions.progress-events", BOOLEAN,
            true, "emit PROGRESSED events");
    public static final Setting<String> TRANSITIONS_GUARANTEE = Setting.of("transitions.processing-guarantee",
            STRING, TransitionSettings.EXACTLY_ONCE_V2, TransitionSettings::processingGuaranteeProblem,
            "or `" + TransitionSettings.AT_LEAST_ONCE + "`");
    public static final Setting<Path> TRANSITIONS_STATE_DIR = Setting.of("transitions.state-dir", FILE, null,
            "Kafka Streams' default; `<data-dir>/streams` for `run`");
    public static final Setting<Duration> TRANSITIONS_COMMIT = Setting.of("transitions.commit-interval", DURATION,
            null, TransitionSettings::positiveProblem, "Kafka Streams' default");
    public static final Setting<String> TRANSITIONS_INSTANCE_ID = Setting.of("transitions.group-instance-id", STRING,
            null, TransitionSettings::groupInstanceIdProblem, "none (dynamic membership; embedded `run`: derived from "
                    + "the data dir); the StatefulSet sets it to the pod name (see \"Static membership\")");
    public static final Setting<Duration> TRANSITIONS_SESSION_TIMEOUT = Setting.of("transitions.session-timeout",
            DURATION, null, TransitionSettings::sessionTimeoutProblem,
            "2m with a group instance id, else Kafka's default (45 s)");

    public static final Setting<String> HTTP_HOST = Setting.of("http.host", STRING, "0.0.0.0", "all interfaces, "
            + "because container and Kubernetes probes reach the pod's address; `127.0.0.1` for local only");
    public static final Setting<Integer> HTTP_PORT = Setting.of("http.port", INT, 8080,
            v -> v < 0 || v > 65535 ? "must be 0 (disabled) to 65535, got " + v : null, "`0` disables the ops server");
    public static final Setting<String> LOGGING_FORMAT = Setting.of("logging.format",
            SettingType.choice(List.of("text", "json")), "text", "`json` for one JSON object per line");

    // ---------------------------------------------------------------- notify

    public static final Setting<String> NOTIFY_GROUP_ID = Setting.of("notify.group-id", STRING, "taskwatch-notify",
            v -> v.isBlank() ? "must not be empty" : null, "the notifier's consumer group");
    public static final Setting<String> RULE_NAME = Setting.of("notify.rules[].name", STRING, null,
            "required, unique");
    public static final Setting<List<String>> RULE_EVENT_TYPES = Setting.of("notify.rules[].event-types", LIST,
            List.of(), Settings::eventTypes, "all: " + String.join(", ", eventTypes().stream()
                    .map(t -> "`" + t + "`").toList()));
    public static final Setting<List<String>> RULE_SERVICES = Setting.of("notify.rules[].services", LIST,
            List.of(), Settings::ruleServices, "any (exact matches)");
    public static final Setting<List<String>> RULE_REGIONS = Setting.of("notify.rules[].regions", LIST, List.of(),
            "any (exact matches)");
    public static final Setting<List<String>> RULE_PROJECTS = Setting.of("notify.rules[].projects", LIST, List.of(),
            "any (exact matches)");
    public static final Setting<List<String>> RULE_INSTANCE_IDS = Setting.of("notify.rules[].instance-ids", LIST,
            List.of(), "any (exact matches)");
    public static final Setting<List<String>> RULE_INSTANCE_NAMES = Setting.of("notify.rules[].instance-names", LIST,
            List.of(), "any (globs)");
    public static final Setting<List<String>> RULE_TASK_NAMES = Setting.of("notify.rules[].task-names", LIST,
            List.of(), "any (globs)");
    public static final Setting<Boolean> RULE_BACKFILL = Setting.of("notify.rules[].include-backfill", BOOLEAN,
            false, "whether backfilled events are delivered");
    public static final Setting<URI> WEBHOOK_URL = Setting.of("notify.rules[].webhook.url",
            SettingType.uri("invalid URL", "http(s)://host[:port][/path]"), null, Settings::httpUrl,
            "required, `http` or `https`");
    public static final Setting<Map<String, String>> WEBHOOK_HEADERS = Setting.of("notify.rules[].webhook.headers.*",
            SECRET_MAP, Map.of(), "none; extra request headers, values never shown");
    public static final Setting<Duration> WEBHOOK_TIMEOUT = Setting.of("notify.rules[].webhook.timeout", DURATION,
            Duration.ofSeconds(10), Settings::positive, "for one delivery");
    public static final Setting<String> WEBHOOK_SECRET = Setting.of("notify.rules[].webhook.secret", SECRET, null,
            "none; HMAC-SHA256 key signing each body");
    public static final Setting<Integer> RETRY_MAX_ATTEMPTS = Setting.of("notify.rules[].retry.max-attempts", INT, 8,
            v -> v < 1 ? "must be at least 1, got " + v : null, "deliveries of one event at most");
    public static final Setting<Duration> RETRY_MAX_DURATION = Setting.of("notify.rules[].retry.max-duration",
            DURATION, Duration.ofMinutes(10), Settings::positive, "how long one event is retried at most");
    public static final Setting<Duration> RETRY_INITIAL_BACKOFF = Setting.of("notify.rules[].retry.initial-backoff",
            DURATION, Duration.ofSeconds(1), Settings::positive, "the first wait, doubled after each failure");
    public static final Setting<Duration> RETRY_MAX_BACKOFF = Setting.of("notify.rules[].retry.max-backoff",
            DURATION, Duration.ofMinutes(1), Settings::positive, "the longest wait; at least `initial-backoff`");

    /** Every key, in documentation order (the README table's and the allow-list's). */
    public static final List<Setting<?>> ALL = List.of(KAFKA_BOOTSTRAP_SERVERS, KAFKA_PROPERTIES, REGISTRY_URL,
            REGISTRY_USER_INFO, REGISTRY_BEARER_TOKEN, REGISTRY_TRUST_STORE, REGISTRY_TRUST_STORE_PASSWORD,
            REGISTRY_TRUST_STORE_TYPE, REGISTRY_KEY_STORE, REGISTRY_KEY_STORE_PASSWORD, REGISTRY_KEY_STORE_TYPE,
            TOPICS_PREFIX, TOPICS_PARTITIONS, TOPICS_REPLICATION, TOPICS_CREATE,
            CREDENTIAL_TYPE, CREDENTIAL_CLOUD, CREDENTIAL_RATE, CREDENTIAL_TOKEN, CREDENTIAL_USER, CREDENTIAL_PASSWORD,
            CREDENTIAL_DOMAIN, CREDENTIAL_IAM, CREDENTIAL_ACCESS_KEY, CREDENTIAL_SECRET_KEY, CREDENTIAL_SECURITY_TOKEN,
            TARGET_NAME, TARGET_SERVICE, TARGET_CLOUD, TARGET_REGION, TARGET_PROJECT, TARGET_ENDPOINT,
            TARGET_CREDENTIALS, TARGET_INTERVAL, TARGET_ACTIVE_INTERVAL, TARGET_LOOKBACK, TARGET_PAGE_SIZE,
            DISCOVERY_CREDENTIALS, DISCOVERY_REGIONS, DISCOVERY_SERVICES, DISCOVERY_INCLUDE, DISCOVERY_EXCLUDE,
            DISCOVERY_INTERVAL, DISCOVERY_ACTIVE_INTERVAL, DISCOVERY_REFRESH_INTERVAL, DISCOVERY_EMPTY_INTERVAL,
            DISCOVERY_IAM, DISCOVERY_ENDPOINT,
            POLLER_REQUEST_TIMEOUT, POLLER_MAX_PAGES, POLLER_NOT_FOUND_GRACE, POLLER_BACKOFF_MAX, POLLER_JITTER,
            POLLER_VISIBILITY_MARGIN, POLLER_SWEEP_INTERVAL, POLLER_RUNNING_REFRESH, POLLER_MAX_RESPONSE_SIZE,
            POLLER_UNHEALTHY_AFTER, POLLER_PROXY, POLLER_NON_PROXY_HOSTS, POLLER_TRUST_STORE,
            POLLER_TRUST_STORE_PASSWORD, POLLER_TRUST_STORE_TYPE,
            TRANSITIONS_APPLICATION_ID, TRANSITIONS_STATE_RETENTION, TRANSITIONS_BACKFILL, TRANSITIONS_PROGRESS,
            TRANSITIONS_GUARANTEE, TRANSITIONS_STATE_DIR, TRANSITIONS_COMMIT, TRANSITIONS_INSTANCE_ID,
            TRANSITIONS_SESSION_TIMEOUT, HTTP_HOST, HTTP_PORT, LOGGING_FORMAT,
            NOTIFY_GROUP_ID, RULE_NAME, RULE_EVENT_TYPES, RULE_SERVICES, RULE_REGIONS, RULE_PROJECTS,
            RULE_INSTANCE_IDS, RULE_INSTANCE_NAMES, RULE_TASK_NAMES, RULE_BACKFILL, WEBHOOK_URL, WEBHOOK_HEADERS,
            WEBHOOK_TIMEOUT, WEBHOOK_SECRET, RETRY_MAX_ATTEMPTS, RETRY_MAX_DURATION, RETRY_INITIAL_BACKOFF,
            RETRY_MAX_BACKOFF);

    /** Keys of each credential type besides {@code type}, {@code cloud} and {@code requests-per-second}. */
    static final Map<String, List<Setting<?>>> CREDENTIAL_FIELDS = Map.of(
            "token", List.of(CREDENTIAL_TOKEN),
            "password", List.of(CREDENTIAL_USER, CREDENTIAL_PASSWORD, CREDENTIAL_DOMAIN, CREDENTIAL_IAM),
            "aksk", List.of(CREDENTIAL_ACCESS_KEY, CREDENTIAL_SECRET_KEY, CREDENTIAL_SECURITY_TOKEN));
    static final List<String> CREDENTIAL_TYPES = List.of("token", "password", "aksk");

    // ---------------------------------------------------------------- rules

    private static String positive(Duration value) {
        return value.isZero() || value.isNegative() ? "must be more than 0 " + Durations.HINT : null;
    }

    private static String lookback(Duration value) {
        String positive = positive(value);
        if (positive != null || value.compareTo(Service.API_VISIBILITY) <= 0) {
            return positive;
        }
        // the API shows no older task: a longer lookback would only cost requests
        return Durations.format(value) + " exceeds the " + Service.API_VISIBILITY.toDays()
                + "-day API visibility window; use at most " + Durations.format(Service.API_VISIBILITY) + " (default "
                + Durations.format(TARGET_LOOKBACK_DEFAULT) + ")";
    }

    private static String proxy(URI proxy) {
        boolean valid = "http".equalsIgnoreCase(proxy.getScheme()) && proxy.getHost() != null && proxy.getPort() > 0;
        return valid ? null : "invalid proxy '" + Urls.redact(proxy.toString())
                + "' (expected http://[user:password@]host:port)";
    }

    private static String httpUrl(URI url) {
        return Urls.isHttpOrHttps(url) ? null
                : "invalid URL '" + Urls.redact(url.toString()) + "' (expected http(s)://host[:port][/path])";
    }

    /** Credentials are sent in HTTP headers, which cannot carry control characters. */
    static String headerSafe(String value) {
        return Rules.headerUnsafe(value) ? Rules.HEADER_UNSAFE : null;
    }

    /** Event types are matched in upper case, services in lower case ({@link #upper}, {@link #lower}). */
    private static String eventTypes(List<String> types) {
        return upper(types).stream().filter(t -> !eventTypes().contains(t)).findFirst()
                .map(t -> "unknown event type '" + t + "' (any of " + String.join(", ", eventTypes()) + ")")
                .orElse(null);
    }

    private static String ruleServices(List<String> services) {
        List<String> ids = Arrays.stream(Service.values()).map(Service::id).toList();
        return lower(services).stream().filter(s -> !ids.contains(s)).findFirst()
                .map(s -> "unknown service '" + s + "' (any of " + String.join(", ", ids) + ")").orElse(null);
    }

    static List<String> upper(List<String> values) {
        return values.stream().map(v -> v.trim().toUpperCase(Locale.ROOT)).toList();
    }

    static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).toList();
    }

    /** The event types a rule may name: all but the reader-side UNKNOWN. */
    static List<String> eventTypes() {
        return Arrays.stream(TaskEventType.values()).filter(t -> t != TaskEventType.UNKNOWN).map(Enum::name).toList();
    }
}
