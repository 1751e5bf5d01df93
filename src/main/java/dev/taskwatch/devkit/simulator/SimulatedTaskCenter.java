package dev.taskwatch.devkit.simulator;

import dev.taskwatch.taskcenter.Service;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The state of the simulated task centers: tasks per (service, project) that appear, progress and end over time.
 *
 * <p>Time comes only from the injected {@link Clock}: every read first {@link #advance() advances} the random
 * schedule to {@code clock.instant()}. Arrivals form a Poisson process whose draws (arrival gap, service, project,
 * name, duration, outcome, ids) are taken in arrival order from one {@link Random} seeded with the settings' seed, so
 * the same seed and the same clock give the same tasks however often the center is read.
 *
 * <p>Tests script tasks with {@link #createTask}, {@link #setProgress}, {@link #complete}, {@link #fail} and
 * {@link #cancel}; scripted tasks never change on their own. Scripted ids come from a second generator so that
 * scripting does not shift the random schedule.
 */
public final class SimulatedTaskCenter {

    /** Only about one month of history is visible in the real task centers. */
    public static final Duration VISIBILITY = Service.API_VISIBILITY;

    private static final Duration MIN_DURATION = Duration.ofSeconds(5);

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

    private final SimulatorSettings settings;
    private final Clock clock;
    private final Random schedule;
    private final Random scripted;
    private final List<Service> services;
    private final Map<String, MutableTask> byId = new LinkedHashMap<>();
    /**
     * The same tasks by service and project, and those a random plan still moves: a busy account's finished history
     * (tens of thousands of tasks) then costs a request nothing but its own project's list.
     */
    private final Map<String, List<MutableTask>> byScope = new java.util.HashMap<>();
    private final java.util.Set<MutableTask> planned = new java.util.LinkedHashSet<>();
    private Instant lastForget = Instant.MIN;
    private final List<Consumer<SimTask>> listeners = new CopyOnWriteArrayList<>();
    private Instant nextArrival;

    public SimulatedTaskCenter(SimulatorSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.schedule = new Random(settings.seed());
        this.scripted = new Random(settings.seed() ^ 0x5DEECE66DL);
        this.services = settings.services().stream().sorted().toList();
        this.nextArrival = settings.newTasksPerMinute() > 0 && !services.isEmpty()
                ? clock.instant().plus(nextGap()) : null;
    }

    /** The clock every timestamp of this center comes from. */
    public Clock clock() {
        return clock;
    }

    /**
     * Registers a hook called (outside any lock, on the thread that caused it) for every new task, random or scripted.
     * The runtime uses it to publish watch requests for the get-by-id services.
     */
    public void onTaskCreated(Consumer<SimTask> listener) {
        listeners.add(listener);
    }

    /** Applies the random schedule up to {@code clock.instant()}: arrivals, progress and endings. */
    public void advance() {
        List<SimTask> created = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            while (nextArrival != null && !nextArrival.isAfter(now)) {
                created.add(arrive(nextArrival).view());
                nextArrival = nextArrival.plus(nextGap());
            }
            advance0();
            // invisible tasks are of no use any more; dropping them keeps a long-running simulator small
            if (now.isAfter(lastForget.plus(Duration.ofMinutes(1)))) {
                lastForget = now;
                Instant forgotten = now.minus(VISIBILITY).minus(Duration.ofDays(1));
                byId.values().removeIf(task -> task.createdAt.isBefore(forgotten));
                byScope.values().forEach(list -> list.removeIf(task -> task.createdAt.isBefore(forgotten)));
            }
        }
        created.forEach(this::notifyCreated);
    }

    /**
     * Adds a finished history, as a busy account has: {@code perDay} tasks a day per service and project, created
     * evenly over the {@code span} before now (at most the 30 days the APIs show), each already ended (completed,
     * failed or canceled by the same odds as the live schedule). Seeded, so the same settings give the same history.
     * No creation hook is called: these tasks ended long before anyone could watch them.
     *
     * @return how many tasks were added
     */
    public int seedFinishedHistory(double perDay, Duration span) {
        int added = 0;
        for (Service service : services) {
            for (String project : settings.projects()) {
                added += seedFinishedHistory(service, project, perDay, span);
            }
        }
        return added;
    }

    /** {@link #seedFinishedHistory(double, Duration)} for one service and project (any project id is served). */
    public int seedFinishedHistory(Service service, String project, double perDay, Duration span) {
        if (perDay < 0 || span.isNegative()) {
            throw new IllegalArgumentException("history needs a non-negative rate and span: " + perDay + ", " + span);
        }
        Duration visible = span.compareTo(VISIBILITY) > 0 ? VISIBILITY : span;
        Random random = new Random(settings.seed() ^ 0x9E3779B97F4A7C15L ^ service.ordinal() ^ project.hashCode());
        int added = 0;
        synchronized (this) {
            Instant now = clock.instant();
            long count = Math.round(perDay * visible.toMillis() / (double) Duration.ofDays(1).toMillis());
            for (long i = 0; i < count; i++) {
                Instant created = now.minus(visible).plusMillis((long) (visible.toMillis() * (i + 0.5)
                        / count));
                Duration duration = Duration.ofSeconds(30 + random.nextInt(600));
                Instant ends = created.plus(duration);
                if (!ends.isBefore(now)) {
                    continue; // the newest: a live task would still run, so leave them to the schedule
                }
                double draw = random.nextDouble();
                String outcome = draw < settings.failureProbability() ? "Failed"
                        : draw < settings.failureProbability() + settings.cancelProbability()
                                && hasCanceledStatus(service) ? "Canceled" : "Completed";
                List<String> names = NAMES.get(service);
                MutableTask task = new MutableTask(service, project, uuid(random),
                        names.get(random.nextInt(names.size())), created, instanceId(random, service),
                        instanceName(random, service), new Plan(ends, outcome, "Failed".equals(outcome)
                                ? FAIL_REASONS.get(random.nextInt(FAIL_REASONS.size())) : null));
                task.advanceTo(now);
                put(task);
                added++;
            }
        }
        return added;
    }

    /** Creates a scripted task, Running at 0 % since now, that only changes when told to. */
    public SimTask createTask(Service service, String projectId, String name) {
        SimTask view;
        synchronized (this) {
            advance0();
            MutableTask task = new MutableTask(service, projectId, uuid(scripted), name, clock.instant(),
                    instanceId(scripted, service), instanceName(scripted, service), null);
            put(task);
            view = task.view();
        }
        notifyCreated(view);
        return view;
    }

    public synchronized SimTask setProgress(String taskId, int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress must be 0..100: " + percent);
        }
        MutableTask task = scriptable(taskId);
        task.progress = percent;
        return task.view();
    }

    public synchronized SimTask complete(String taskId) {
        return scriptable(taskId).end("Completed", null, clock.instant()).view();
    }

    public synchronized SimTask fail(String taskId, String reason) {
        return scriptable(taskId).end("Failed", reason, clock.instant()).view();
    }

    /** @throws IllegalArgumentException for a service without a Canceled status (openGauss, DDS) */
    public synchronized SimTask cancel(String taskId) {
        MutableTask task = scriptable(taskId);
        if (!hasCanceledStatus(task.service)) {
            throw new IllegalArgumentException(task.service.id() + " has no Canceled status");
        }
        return task.end("Canceled", null, clock.instant()).view();
    }

    /**
     * Sets any raw status, e.g. {@code Pending} or {@code Unauthorized}, for parsers that must keep unknown values.
     * A terminal-looking value does not set an end time; use {@link #complete}, {@link #fail} or {@link #cancel}.
     */
    public synchronized SimTask setRawStatus(String taskId, String rawStatus) {
        MutableTask task = scriptable(taskId);
        task.status = rawStatus;
        return task.view();
    }

    public synchronized Optional<SimTask> find(String taskId) {
        advance0();
        return Optional.ofNullable(byId.get(taskId)).map(MutableTask::view);
    }

    /** Every task of a service and project still visible (created in the last 30 days), newest first. */
    public List<SimTask> visibleTasks(Service service, String projectId) {
        advance();
        synchronized (this) {
            Instant horizon = clock.instant().minus(VISIBILITY);
            return byScope.getOrDefault(service.id() + "/" + projectId, List.of()).stream()
                    .filter(t -> !t.createdAt.isBefore(horizon))
                    .map(MutableTask::view)
                    .sorted(Comparator.comparing(SimTask::createdAt).reversed().thenComparing(SimTask::id))
                    .toList();
        }
    }

    /** Whether the service knows a Canceled status (facts of the api-specs README: TaurusDB and GeminiDB). */
    public static boolean hasCanceledStatus(Service service) {
        return service == Service.TAURUSDB || service == Service.GEMINIDB;
    }

    private void advance0() {
        // callers hold the lock; listeners of random arrivals fire on the next advance() outside the lock
        Instant now = clock.instant();
        for (java.util.Iterator<MutableTask> it = planned.iterator(); it.hasNext(); ) {
            MutableTask task = it.next();
            task.advanceTo(now);
            if (task.plan == null || !"Running".equals(task.status)) {
                it.remove();
            }
        }
    }

    private void put(MutableTask task) {
        byId.put(task.id, task);
        byScope.computeIfAbsent(task.service.id() + "/" + task.projectId, k -> new ArrayList<>()).add(task);
        if (task.plan != null && "Running".equals(task.status)) {
            planned.add(task);
        }
    }

    private MutableTask scriptable(String taskId) {
        MutableTask task = byId.get(taskId);
        if (task == null) {
            throw new IllegalArgumentException("No simulated task with id " + taskId);
        }
        task.plan = null; // a task touched by a script stops following the random schedule
        planned.remove(task);
        return task;
    }

    private void notifyCreated(SimTask task) {
        for (Consumer<SimTask> listener : listeners) {
            listener.accept(task);
        }
    }

    private Duration nextGap() {
        double minutes = -Math.log(1.0 - schedule.nextDouble()) / settings.newTasksPerMinute();
        return Duration.ofMillis(Math.max(1L, Math.round(minutes * 60_000)));
    }

    private MutableTask arrive(Instant at) {
        Service service = services.get(schedule.nextInt(services.size()));
        String project = settings.projects().get(schedule.nextInt(settings.projects().size()));
        List<String> names = NAMES.get(service);
        String name = names.get(schedule.nextInt(names.size()));
        double mean = settings.meanTaskDuration().toMillis();
        long millis = Math.max(MIN_DURATION.toMillis(), Math.round(-Math.log(1.0 - schedule.nextDouble()) * mean));
        double outcomeDraw = schedule.nextDouble();
        String outcome;
        if (outcomeDraw < settings.failureProbability()) {
            outcome = "Failed";
        } else if (outcomeDraw < settings.failureProbability() + settings.cancelProbability()
                && hasCanceledStatus(service)) {
            outcome = "Canceled";
        } else {
            outcome = "Completed";
        }
        String reason = FAIL_REASONS.get(schedule.nextInt(FAIL_REASONS.size()));
        MutableTask task = new MutableTask(service, project, uuid(schedule), name, at,
                instanceId(schedule, service), instanceName(schedule, service),
                new Plan(at.plusMillis(millis), outcome, "Failed".equals(outcome) ? reason : null));
        put(task);
        return task;
    }

    private static String uuid(Random random) {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private static String instanceId(Random random, Service service) {
        return String.format("%016x%016x", random.nextLong(), random.nextLong()) + INSTANCE_SUFFIX.get(service);
    }

    private static String instanceName(Random random, Service service) {
        return INSTANCE_PREFIX.get(service) + String.format("%04x", random.nextInt(0x10000));
    }

    private record Plan(Instant endsAt, String outcome, String failReason) {}

    private static final class MutableTask {
        final Service service;
        final String projectId;
        final String id;
        final String name;
        final Instant createdAt;
        final String instanceId;
        final String instanceName;
        final Map<String, Object> entities;
        Plan plan;
        String status = "Running";
        int progress;
        Instant endedAt;
        String failReason;

        MutableTask(Service service, String projectId, String id, String name, Instant createdAt, String instanceId,
                String instanceName, Plan plan) {
            this.service = service;
            this.projectId = projectId;
            this.id = id;
            this.name = name;
            this.createdAt = createdAt;
            this.instanceId = instanceId;
            this.instanceName = instanceName;
            this.plan = plan;
            this.entities = service == Service.TAURUSDB ? entitiesFor(name, instanceId) : Map.of();
        }

        void advanceTo(Instant now) {
            if (plan == null || !"Running".equals(status)) {
                return;
            }
            if (!now.isBefore(plan.endsAt())) {
                end(plan.outcome(), plan.failReason(), plan.endsAt());
                return;
            }
            long total = Duration.between(createdAt, plan.endsAt()).toMillis();
            long elapsed = Math.max(0, Duration.between(createdAt, now).toMillis());
            progress = (int) Math.min(99, elapsed * 100 / Math.max(1, total));
        }

        MutableTask end(String outcome, String reason, Instant at) {
            status = outcome;
            failReason = reason;
            endedAt = at;
            plan = null;
            return this;
        }

        SimTask view() {
            boolean running = "Running".equals(status);
            return new SimTask(service, projectId, id, name, status, running ? progress : null, createdAt,
                    endedAt, instanceId, instanceName, instanceStatus(), failReason, entities);
        }

        private String instanceStatus() {
            String trimmed = name.trim();
            if (trimmed.startsWith("Delete")) {
                return "Completed".equals(status) ? "deleted" : "deleting";
            }
            if (trimmed.startsWith("Create")) {
                return "Completed".equals(status) ? "normal" : "creating";
            }
            return "Running".equals(status) ? "modifying" : "normal";
        }

        private static Map<String, Object> entitiesFor(String name, String instanceId) {
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
}
