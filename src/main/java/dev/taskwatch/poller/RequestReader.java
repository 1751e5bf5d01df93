package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.model.TaskKeys;
import dev.taskwatch.poller.PlanRequest.GetTask;
import dev.taskwatch.poller.PlanRequest.ListPage;
import dev.taskwatch.taskcenter.TaskCenterDialect;
import dev.taskwatch.taskcenter.GetByIdDialect;
import dev.taskwatch.taskcenter.ListingDialect;
import dev.taskwatch.taskcenter.MalformedResponseException;
import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.OffsetReadingProbe;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TaskPage;
import dev.taskwatch.taskcenter.TaskRejectedException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request of a target's {@link ListingPlan}, sent and carried through: the answer's snapshots go to the
 * {@link SnapshotPublisher} (changed ones only), its rejects to the dead-letter queue, a task that is gone to the
 * memory's not-found count or the watch set, and the answer back to the plan. The {@link TargetPoller} decides when a
 * request goes out and what a failure means for the cycle.
 *
 * <p>Not thread-safe: used by the target's poller only.
 */
final class RequestReader {

    /** Logs under the target poller's name: operators filter a target's lines by that one logger. */
    private static final Logger LOG = LoggerFactory.getLogger(TargetPoller.class);

    /** "Not found" answers in a row after which a known task read by id is forgotten. */
    static final int NOT_FOUND_LIMIT = 3;

    private final Target target;
    /** The dialect's capabilities; null where the service lacks one. */
    private final ListingDialect listing;
    private final GetByIdDialect getById;
    private final TaskCenterCall call;
    private final SnapshotPublisher publisher;
    private final TargetMemory memory;
    private final PollerMetrics metrics;
    private final Duration watchNotFoundGrace;
    private final Clock clock;

    RequestReader(Target target, TaskCenterDialect dialect, TaskCenterCall call, SnapshotPublisher publisher,
            TargetMemory memory, PollerMetrics metrics, Duration watchNotFoundGrace, Clock clock) {
        this.target = target;
        this.listing = dialect.listing().orElse(null);
        this.getById = dialect.getById().orElse(null);
        this.call = call;
        this.publisher = publisher;
        this.memory = memory;
        this.metrics = metrics;
        this.watchNotFoundGrace = watchNotFoundGrace;
        this.clock = clock;
    }

    /**
     * Sends {@code request} of {@code plan} and carries the answer through.
     *
     * @param published told how many snapshots the answer published
     * @return false after a first 401 (the next step repeats the request)
     * @throws CycleFailure when the answer fails the cycle
     */
    boolean read(PlanRequest request, ListingPlan plan, IntConsumer published) throws CycleFailure {
        return request instanceof ListPage page ? listPage(page, plan, published)
                : getTask((GetTask) request, plan, published);
    }

    /** Reads one page of a listing; false after a first 401 (the next step repeats it). */
    private boolean listPage(ListPage page, ListingPlan plan, IntConsumer published) throws CycleFailure {
        ApiResponse response = call.execute(target, listing.listRequest(target, page.query()), false);
        if (response == null) {
            return false;
        }
        TaskPage parsed;
        try {
            parsed = listing.parseList(target, response.body(), page.query().limit(), response.receivedAt(),
                    response.source());
        } catch (MalformedResponseException e) {
            throw call.malformed(response, e);
        }
        call.parsed(response);
        // a read through a task's creation second shows its neighbours too: only the task is in scope
        List<TaskSnapshot> read = page.forTask() == null ? parsed.tasks().stream().filter(plan::wanted).toList()
                : parsed.tasks().stream().filter(t -> t.getTaskId().equals(page.forTask())).toList();
        published.accept(publisher.publishChanged(read, clock.instant(), true));
        publisher.deadLetter(parsed.rejects(), response.source());
        if (page.probe()) {
            OffsetReading before = memory.offsetReading();
            OffsetReadingProbe.Verdict verdict = plan.probed(parsed);
            if (before == null && memory.offsetReading() != null) {
                LOG.info("Target {}: its list API reads offset as {} ({})", target.name(),
                        memory.offsetReading() == OffsetReading.ITEMS ? "an item count" : "a page number",
                        verdict.reason());
            } else {
                LOG.debug("Target {}: offset probe: {}", target.name(), verdict.reason());
            }
        } else if (page.forTask() == null) {
            plan.listed(parsed);
        } else if (!plan.found(parsed)) {
            notFound(new GetTask(Purpose.BY_ID, page.forTask(), null));
        }
        return true;
    }

    /** Reads one task by id; false after a first 401 (the next step repeats it). */
    private boolean getTask(GetTask get, ListingPlan plan, IntConsumer published) throws CycleFailure {
        try (LogFields task = LogFields.task(get.taskId())) {
            WatchRequest watch = get.watch();
            Target scoped = watch == null || watch.getEndpoint() == null ? target
                    : withEndpoint(URI.create(watch.getEndpoint()));
            ApiResponse response = call.execute(scoped, getById.getRequest(scoped, get.taskId()), true);
            if (response == null) {
                return false;
            }
            Optional<TaskSnapshot> snapshot = Optional.empty();
            if (response.status() >= 200 && response.status() < 300) { // else the policy said "not found"
                try {
                    snapshot = getById.parseGet(scoped, get.taskId(), response.body(), response.receivedAt(),
                            response.source());
                } catch (TaskRejectedException e) {
                    call.parsed(response);
                    publisher.deadLetter(List.of(e.reject()), response.source()); // still known: may become readable
                    plan.got();
                    return true;
                } catch (MalformedResponseException e) {
                    throw call.malformed(response, e);
                }
            }
            call.parsed(response);
            if (snapshot.isEmpty()) {
                notFound(get);
            } else {
                published.accept(publisher.publishChanged(List.of(snapshot.get()), clock.instant(),
                        getById.getCarriesInstanceStatus()));
            }
            plan.got();
            return true;
        }
    }

    private void notFound(GetTask get) throws CycleFailure {
        String id = get.taskId();
        WatchRequest watch = get.watch();
        if (watch == null) {
            if (memory.notFound(id, NOT_FOUND_LIMIT)) {
                LOG.warn("Target {}: task {} known as {} answered \"not found\" {} times in a row; no longer "
                        + "followed", target.name(), id, "not terminal", NOT_FOUND_LIMIT);
            }
            return;
        }
        Instant giveUp = watch.getRequestedAt().plus(watchNotFoundGrace);
        if (clock.instant().isBefore(giveUp)) {
            LOG.debug("Target {}: watched task {} not found yet; retrying until {}", target.name(), id, giveUp);
        } else {
            LOG.warn("Target {}: watched task {} still not found {} after it was requested at {}; dropping "
                    + "the watch", target.name(), id, watchNotFoundGrace, watch.getRequestedAt());
            metrics.watchNotFound();
            publisher.release(TaskKeys.of(watch), "not found");
        }
    }

    private Target withEndpoint(URI endpoint) {
        return new Target(target.name(), target.service(), target.region(), target.projectId(), endpoint,
                target.credentials(), target.interval(), target.activeInterval(), target.lookback());
    }
}
