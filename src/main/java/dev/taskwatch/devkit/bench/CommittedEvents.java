package dev.taskwatch.devkit.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A read_committed reader of every partition of the event topic, noting when each record arrived. */
final class CommittedEvents extends Thread implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<long[]> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<TopicPartition, Long> positions = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong polls = new AtomicLong();

    CommittedEvents(String bootstrap, String topic, Map<TopicPartition, Long> from) {
        super("recovery-bench-events");
        setDaemon(true);
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = awaitPartitions(topic);
        consumer.assign(partitions);
        for (TopicPartition tp : partitions) {
            Long position = from.get(tp);
            if (position == null) {
                consumer.seekToEnd(List.of(tp));
            } else {
                consumer.seek(tp, position);
            }
        }
        start();
    }

    private List<TopicPartition> awaitPartitions(String topic) {
        long deadline = System.nanoTime() + RecoveryBench.GIVE_UP.toNanos();
        while (System.nanoTime() < deadline) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            }
            try {
                Thread.sleep(100); // taskwatch creates its topics at start
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("recovery bench: topic " + topic + " did not appear");
    }

    @Override
    public void run() {
        while (running.get()) {
            try {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    arrivals.add(new long[] {System.nanoTime(), r.timestamp()});
                }
                for (TopicPartition tp : consumer.assignment()) {
                    positions.put(tp, consumer.position(tp, Duration.ofMillis(200)));
                }
                polls.incrementAndGet();
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // the broker went away with the killed process: keep the last positions
            }
        }
    }

    long firstSince(long sinceMs) {
        synchronized (arrivals) {
            return arrivals.stream().filter(a -> a[1] >= sinceMs).mapToLong(a -> a[0]).min()
                    .orElse(Long.MIN_VALUE);
        }
    }

    Map<TopicPartition, Long> positions() {
        return Map.copyOf(positions);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        join(10_000);
        consumer.close(Duration.ofSeconds(1));
    }
}
