package dev.taskwatch.devkit.simulator;

import dev.taskwatch.taskcenter.Service;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * What a simulated task looks like by service, drawn from a given generator: names as the specs' examples spell
 * them, instance ids and names, fail reasons, outcomes and TaurusDB's {@code entities}.
 */
final class SimulatedTraits {

    private static final Map<Service, List<String>> NAMES = Map.of(
            Service.GEMINIDB, List.of("CreateCassandra", "RestartInstance", "EnlargeInstance", "ResizeInstance",
                    "BackupInstance", "BindPublicIP", "EnlargeInstanceVolume"),
            Service.OPENGAUSS, List.of("CreateGaussDBV5Instance", "BackupSnapshotGaussDBV5InInstance",
                    "DeleteGaussDBV5Instance", "EnlargeGaussDBV5Volume", "ResizeGaussDBV5Flavor",
                    "RestoreGaussDBV5InInstance"),
            Service.DDS, List.of("Create_MongoDB", "RestartReplicaSetInstance", "Restore_MongoDB_Replica",
                    "ResizeInstanceVolume", "BindPublicIP"),
            // the TaurusDB spec example carries a leading blank; keep the quirk in one of the names
            Service.TAURUSDB, List.of(" RestartGaussDBInstance", "CreateGaussDBInstance", "BindEIP",
                    "ResizeFlavor", "BackupGaussDBInstance"),
            // the asynchronous tasks the RDS API reference lists for its task center
            Service.RDS, List.of("CreateMysqlSingleHAInstance", "MysqlSingleToHa", "MysqlExtendDatastoreVolume",
                    "MysqlBindEip", "MysqlResizeFlavor"));

    private static final Map<Service, String> INSTANCE_SUFFIX = Map.of(
            Service.GEMINIDB, "in06", Service.OPENGAUSS, "in14", Service.DDS, "in02", Service.TAURUSDB, "in07",
            Service.RDS, "in01");

    private static final Map<Service, String> INSTANCE_PREFIX = Map.of(
            Service.GEMINIDB, "nosql-", Service.OPENGAUSS, "gauss-", Service.DDS, "dds-", Service.TAURUSDB,
            "gaussdb-mysql-", Service.RDS, "rds-");

    private static final List<String> FAIL_REASONS = List.of(
            "An exception occurs when the ECS processes services.",
            "Failed to upgrade the DB Agent.",
            "Insufficient quota for the requested flavor.",
            "The backup file could not be read from OBS.");

    private SimulatedTraits() {}

    static String name(Random random, Service service) {
        List<String> names = NAMES.get(service);
        return names.get(random.nextInt(names.size()));
    }

    static String failReason(Random random) {
        return FAIL_REASONS.get(random.nextInt(FAIL_REASONS.size()));
    }

    /** {@code Failed}, {@code Canceled} (where the service has it) or {@code Completed}, for a uniform draw. */
    static String outcome(double draw, Service service, SimulatorSettings settings) {
        if (draw < settings.failureProbability()) {
            return "Failed";
        }
        if (draw < settings.failureProbability() + settings.cancelProbability()
                && SimulatedTaskCenter.hasCanceledStatus(service)) {
            return "Canceled";
        }
        return "Completed";
    }

    /** A version 4 UUID from the generator. */
    static String uuid(Random random) {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    static String instanceId(Random random, Service service) {
        return String.format("%016x%016x", random.nextLong(), random.nextLong()) + INSTANCE_SUFFIX.get(service);
    }

    static String instanceName(Random random, Service service) {
        return INSTANCE_PREFIX.get(service) + String.format("%04x", random.nextInt(0x10000));
    }

    /** openGauss {@code instance_info.instance_status} of a task by its name and status. */
    static String instanceStatus(String name, String status) {
        String trimmed = name.trim();
        if (trimmed.startsWith("Delete")) {
            return "Completed".equals(status) ? "deleted" : "deleting";
        }
        if (trimmed.startsWith("Create")) {
            return "Completed".equals(status) ? "normal" : "creating";
        }
        return "Running".equals(status) ? "modifying" : "normal";
    }

    /** TaurusDB {@code entities} of a task: the new instance of a create, the address of an EIP binding. */
    static Map<String, Object> entities(Service service, String name, String instanceId) {
        if (service != Service.TAURUSDB) {
            return Map.of();
        }
        String trimmed = name.trim();
        if (trimmed.startsWith("Create")) {
            Map<String, Object> instance = new LinkedHashMap<>();
            instance.put("endpoint", "192.168.0.12:3306");
            instance.put("type", "Cluster");
            instance.put("datastore", Map.of("type", "gaussdb-mysql", "version", "8.0"));
            Map<String, Object> entities = new LinkedHashMap<>();
            entities.put("instance", instance);
            entities.put("resource_ids", List.of(instanceId + ".vm", instanceId + ".volume"));
            return entities;
        }
        if (trimmed.equals("BindEIP")) {
            Map<String, Object> entities = new HashMap<>();
            entities.put("public_ip", "80.158.1.23");
            return entities;
        }
        return Map.of();
    }
}
