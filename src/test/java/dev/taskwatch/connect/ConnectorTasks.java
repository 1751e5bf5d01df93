package dev.taskwatch.connect;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;

/**
 * Where a connector's tasks run, as the cluster's status topic tells (a task's worker id is its worker's REST host and
 * port), asked through any live worker of the in-process cluster.
 */
final class ConnectorTasks {

    private ConnectorTasks() {}

    static long running(EmbeddedConnectCluster connect, String connector) {
        return connect.connectorStatus(connector).tasks().stream().filter(t -> t.state().equals("RUNNING")).count();
    }

    /** The REST port of the worker the status topic names for {@code task}. */
    static int workerPort(EmbeddedConnectCluster connect, String connector, int task) {
        String workerId = connect.connectorStatus(connector).tasks().stream().filter(t -> t.id() == task)
                .findFirst().orElseThrow(() -> new AssertionError("no status of task " + task)).workerId();
        return Integer.parseInt(workerId.substring(workerId.lastIndexOf(':') + 1));
    }

    /** The in-process worker the status topic says runs {@code task}. */
    static WorkerHandle workerRunning(EmbeddedConnectCluster connect, String connector, int task) {
        int port = workerPort(connect, connector, task);
        return connect.workers().stream().filter(w -> w.url().getPort() == port).findFirst()
                .orElseThrow(() -> new AssertionError("no in-process worker runs task " + task + " (port " + port
                        + ")"));
    }

    /** Waits until all {@code tasks} of the connector are RUNNING, none on the worker of {@code goneWorkerPort}. */
    static void awaitRunningAwayFrom(EmbeddedConnectCluster connect, String connector, int tasks, int goneWorkerPort,
            Duration atMost, String what) {
        String port = ":" + goneWorkerPort;
        await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            ConnectorStateInfo status = connect.connectorStatus(connector);
            return status.tasks().size() == tasks && status.tasks().stream().allMatch(t ->
                    t.state().equals("RUNNING") && !t.workerId().endsWith(port));
        });
    }
}
