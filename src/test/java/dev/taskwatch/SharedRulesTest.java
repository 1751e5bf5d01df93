package dev.taskwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.model.TaskKeys;
import dev.taskwatch.model.TaskStatuses;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The small rules that poller, normalisation, transitions and cli share: task keys, terminal statuses, causes. */
class SharedRulesTest {

    @Test
    void shouldTreatOnlyCompletedFailedAndCanceledAsTerminal() {
        Set<TaskStatus> terminal = EnumSet.noneOf(TaskStatus.class);
        for (TaskStatus s : TaskStatus.values()) {
            if (TaskStatuses.isTerminal(s)) {
                terminal.add(s);
            }
        }
        assertThat(terminal).containsExactlyInAnyOrder(TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELED);
    }

    @Test
    void shouldKeyASnapshotAndAWatchRequestOfTheSameTaskAlike() {
        TaskSnapshot snapshot = TaskSnapshot.newBuilder().setService("dds").setRegion("eu-de").setProjectId("p")
                .setTaskId("t").setName("n").setStatus(TaskStatus.RUNNING).setRawStatus("Running")
                .setDetails(Map.of()).setObservedAt(Instant.EPOCH).setSource("s").build();
        WatchRequest watch = WatchRequest.newBuilder().setService("dds").setRegion("eu-de").setProjectId("p")
                .setTaskId("t").setRequestedAt(Instant.EPOCH).setRequestedBy("me").setEndpoint(null).build();

        assertThat(TaskKeys.of(snapshot)).isEqualTo(new TaskKey("dds", "eu-de", "p", "t"))
                .isEqualTo(TaskKeys.of(watch));
    }

    @Test
    void shouldWalkACauseChainThatLoopsBackOnItself() {
        ConnectException root = new ConnectException("refused");
        IOException middle = new IOException("io", root);
        IllegalStateException outer = new IllegalStateException("outer", middle);
        root.initCause(outer); // a loop, as some client libraries build

        assertThat(Causes.chain(outer)).containsExactly(outer, middle, root);
        assertThat(Causes.has(outer, ConnectException.class)).isTrue();
        assertThat(Causes.has(outer, ArithmeticException.class)).isFalse();
        assertThat(Causes.root(outer)).isSameAs(root);
    }

    @Test
    void shouldFindTheInnermostCause() {
        ConnectException root = new ConnectException("refused");
        assertThat(Causes.root(new IllegalStateException("outer", new IOException("io", root)))).isSameAs(root);
        assertThat(Causes.root(root)).isSameAs(root);
    }

    @Test
    void shouldMaskUserInfoInEveryUrlOfAList() {
        assertThat(Urls.redact("https://u:p@reg.example:8081/apis/ccompat/v7,http://a:b@other:1"))
                .isEqualTo("https://****@reg.example:8081/apis/ccompat/v7,http://****@other:1");
        assertThat(Urls.redact("http://127.0.0.1:1")).isEqualTo("http://127.0.0.1:1");
        assertThat(Urls.redact((String) null)).isNull();
    }

    @Test
    void shouldMaskUserInfoOfAUriAndKeepTheRestAsWritten() {
        assertThat(Urls.redact(URI.create("http://user:hunter2@proxy:3128"))).isEqualTo("http://****@proxy:3128");
        assertThat(Urls.redact(URI.create("https://u:p@host/a%20b?x=1"))).isEqualTo("https://****@host/a%20b?x=1");
        assertThat(Urls.redact((URI) null)).isEqualTo("null");
    }

    @Test
    void shouldKeepAnAtSignOutsideTheAuthority() {
        assertThat(Urls.redact("https://host/v3/p/jobs?owner=a@b")).isEqualTo("https://host/v3/p/jobs?owner=a@b");
    }

    @Test
    void shouldHideAPasswordWrittenWithUnencodedSlashOrAtSign() {
        assertThat(Urls.redact("http://user:pa/ss@host:1")).isEqualTo("http://****@host:1");
        assertThat(Urls.redact("http://user:p@ss@host:1")).isEqualTo("http://****@host:1");
        assertThat(Urls.redact("ftp://user:hunter2@registry")).isEqualTo("ftp://****@registry");
    }

    @Test
    void shouldTellHttpUrlsWithAHostFromOthers() {
        assertThat(Urls.isHttpOrHttps(URI.create("HTTPS://host:1/x"))).isTrue();
        assertThat(Urls.isHttpOrHttps(URI.create("ftp://host"))).isFalse();
        assertThat(Urls.isHttpOrHttps(URI.create("http:/no-host"))).isFalse();
    }
}
