package dev.taskwatch.taskcenter;

import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which cloud a target is on, and what that cloud calls its endpoints: the endpoint of each service in a region, the
 * IAM endpoint, and the service paths that differ between clouds. A target's explicit {@code endpoint} overrides
 * {@link #endpoint}; the paths stay the cloud's.
 *
 * <ul>
 *   <li><b>Open Telekom Cloud</b> ({@code otc}, the default): {@code https://<host>.<region>.otc.t-systems.com} with
 *       the hosts of the API documents ({@code gaussdb-nosql}, {@code gaussdb}, {@code dds}, {@code gaussdb-mysql}, {@code rds});
 *       TaurusDB's task API under {@code /mysql/v3/...} (opentelekomcloud/gophertelekomcloud
 *       {@code openstack/client.go}, {@code NewGaussDBV3}: version {@code "mysql/v3"}).</li>
 *   <li><b>Huawei Cloud</b> ({@code huawei}): the endpoints of huaweicloud/huaweicloud-sdk-go-v3
 *       {@code services/<svc>/v3/region/region.go} (commit 1cd70eb6f730ea721771a6ec8d96352bbb801787):
 *       {@code gaussdb-nosql}, {@code gaussdb-opengauss}, {@code dds} and {@code gaussdb} (TaurusDB) on
 *       {@code .<region>.myhuaweicloud.com}, with the regions that the SDK lists under another host kept as
 *       exceptions below; TaurusDB's task API is {@code /v3/{project_id}/jobs} ({@code services/gaussdb/v3/
 *       gaussDB_meta.go}, {@code GenReqDefForShowGaussMySqlJobInfo}); the DDS list is {@code /v3.1/...}
 *       ({@link #ddsListVersion}).</li>
 * </ul>
 */
public enum CloudProfile {

    OTC("otc", "otc.t-systems.com", Map.of(
            Service.GEMINIDB, "gaussdb-nosql",
            Service.OPENGAUSS, "gaussdb",
            Service.DDS, "dds",
            Service.TAURUSDB, "gaussdb-mysql",
            Service.RDS, "rds"), Map.of(), "/mysql"),

    HUAWEI("huawei", "myhuaweicloud.com", Map.of(
            Service.GEMINIDB, "gaussdb-nosql",
            Service.OPENGAUSS, "gaussdb-opengauss",
            Service.DDS, "dds",
            Service.TAURUSDB, "gaussdb",
            Service.RDS, "rds"), Map.of(
            // region.go entries that do not follow the service's usual host (huaweicloud-sdk-go-v3 1cd70eb6f)
            Service.GEMINIDB, Map.of("eu-west-101", "https://gaussdb-nosql.eu-west-101.myhuaweicloud.eu"),
            Service.OPENGAUSS, hostIn("gaussdb", "cn-east-4", "cn-east-5", "ap-southeast-5", "tr-west-1",
                    "me-east-1", "af-north-1", "cn-east-2", "cn-north-12"),
            Service.DDS, Map.of("eu-west-101", "https://dds.eu-west-101.myhuaweicloud.eu"),
            // services/rds/v3/region/region.go (huaweicloud-sdk-go-v3 12f14eec)
            Service.RDS, Map.of("eu-west-101", "https://rds.eu-west-101.myhuaweicloud.eu"),
            Service.TAURUSDB, both(
                    hostIn("gaussdbformysql", "tr-west-1", "ap-southeast-1", "ap-southeast-2", "cn-north-11",
                            "me-east-1"),
                    hostIn("gaussdb-mysql", "af-south-1", "cn-east-5", "la-north-2"))), "");

    /** huaweicloud-sdk-go-v3 services/iam/v3/region/region.go: the one region outside myhuaweicloud.com. */
    private static final Map<String, String> HUAWEI_IAM_EXCEPTIONS = Map.of(
            "eu-west-101", "https://iam.eu-west-101.myhuaweicloud.eu");

    private final String id;
    private final String domain;
    private final Map<Service, String> hosts;
    private final Map<Service, Map<String, String>> exceptions;
    private final String taurusDbPrefix;

    CloudProfile(String id, String domain, Map<Service, String> hosts, Map<Service, Map<String, String>> exceptions,
            String taurusDbPrefix) {
        this.id = id;
        this.domain = domain;
        this.hosts = hosts;
        this.exceptions = exceptions;
        this.taurusDbPrefix = taurusDbPrefix;
    }

    /**
     * The endpoints of the Huawei Cloud regions in {@code regions} whose host is {@code host} rather than the
     * service's usual one (an enum constant's argument: it may not read the enum's static fields).
     */
    private static Map<String, String> hostIn(String host, String... regions) {
        return Arrays.stream(regions).collect(Collectors.toUnmodifiableMap(region -> region,
                region -> "https://" + host + "." + region + ".myhuaweicloud.com"));
    }

    private static Map<String, String> both(Map<String, String> some, Map<String, String> others) {
        Map<String, String> all = new HashMap<>(some);
        all.putAll(others);
        return Map.copyOf(all);
    }

    /** The value of {@code cloud} in the configuration. */
    public String id() {
        return id;
    }

    /** The public endpoint of {@code service} in {@code region} on this cloud (no trailing slash, no path). */
    public URI endpoint(Service service, String region) {
        String exception = exceptions.getOrDefault(service, Map.of()).get(region);
        return URI.create(exception != null ? exception : "https://" + hosts.get(service) + "." + region + "." + domain);
    }

    /** The IAM endpoint of {@code region} (tokens at {@code /v3/auth/tokens}, projects at {@code /v3/auth/projects}). */
    public URI iamEndpoint(String region) {
        String exception = this == HUAWEI ? HUAWEI_IAM_EXCEPTIONS.get(region) : null;
        return URI.create(exception != null ? exception : "https://iam." + region + "." + domain);
    }

    /** What comes before {@code /v3/{project_id}/...} in the paths of {@code service}: TaurusDB's {@code /mysql} on OTC. */
    public String pathPrefix(Service service) {
        return service == Service.TAURUSDB ? taurusDbPrefix : "";
    }

    /**
     * The API version of the DDS list call: {@code v3} on Open Telekom Cloud (its API document), {@code v3.1} on Huawei
     * Cloud, whose SDK and Terraform provider list DDS tasks only at {@code GET /v3.1/{project_id}/jobs}
     * (huaweicloud-sdk-go-v3 {@code services/dds/v3/dds_meta.go}, {@code GenReqDefForListTasks};
     * terraform-provider-huaweicloud {@code DataSourceDdsInstantTasks}). Get-by-id stays at {@code /v3} on both.
     */
    public String ddsListVersion() {
        return this == HUAWEI ? "v3.1" : "v3";
    }

    /** The endpoint template of {@code service} in words, e.g. {@code https://dds.{region}.otc.t-systems.com}. */
    public String endpointTemplate(Service service) {
        return "https://" + hosts.get(service) + ".{region}." + domain;
    }

    /**
     * The region whose IAM endpoint discovery asks when it is told no region ({@code regions: all}): Open Telekom
     * Cloud's {@code eu-de}, Huawei Cloud's {@code ap-southeast-1}. IAM answers {@code /v3/auth/projects} with the
     * projects of every region at any region's endpoint.
     */
    public String homeRegion() {
        return this == HUAWEI ? "ap-southeast-1" : "eu-de";
    }

    /** @throws IllegalArgumentException naming the known ids when {@code id} is none of them */
    public static CloudProfile fromId(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown cloud '" + id + "' (one of "
                        + Arrays.stream(values()).map(CloudProfile::id).collect(Collectors.joining(", ")) + ")"));
    }
}
