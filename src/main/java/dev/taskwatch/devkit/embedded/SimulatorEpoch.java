package dev.taskwatch.devkit.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The instant the built-in simulator's schedule began, kept in the data directory, and the clock that makes a new
 * simulator begin its schedule there.
 */
final class SimulatorEpoch {

    private SimulatorEpoch() {}

    /** The epoch in {@code file}; when there is none (first start, or unreadable), {@code now}, written there. */
    static Instant readOrCreate(Path file, Instant now) {
        try {
            if (Files.isRegularFile(file)) {
                try {
                    Instant epoch = Instant.parse(Files.readString(file, StandardCharsets.UTF_8).strip());
                    // an epoch in the future (clock set back) would hold every task back: begin again instead
                    if (!epoch.isAfter(now)) {
                        return epoch;
                    }
                } catch (DateTimeParseException e) {
                    // written by a process killed mid-write: begin again, as on a first start
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, now.toString() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return now;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the simulator's epoch in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code clock}, except that its first reading is {@code epoch}. The simulator's task center reads the clock once
     * when it is made, to place its first arrival; that reading is the beginning of its schedule, and every later
     * reading (the real time) replays the schedule from there up to now.
     */
    static Clock clock(Clock clock, Instant epoch) {
        return new FirstReading(clock, epoch, new AtomicBoolean());
    }

    private static final class FirstReading extends Clock {
        private final Clock delegate;
        private final Instant epoch;
        private final AtomicBoolean read;

        FirstReading(Clock delegate, Instant epoch, AtomicBoolean read) {
            this.delegate = delegate;
            this.epoch = epoch;
            this.read = read;
        }

        @Override
        public ZoneId getZone() {
            return delegate.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new FirstReading(delegate.withZone(zone), epoch, read);
        }

        @Override
        public Instant instant() {
            return read.compareAndSet(false, true) ? epoch : delegate.instant();
        }
    }
}
