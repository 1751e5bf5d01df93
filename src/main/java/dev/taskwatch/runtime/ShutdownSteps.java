package dev.taskwatch.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes components one after the other: a component that fails to close is logged and counted, and the next one is
 * still closed, so one stuck client cannot keep the others (and the embedded broker) running.
 */
public final class ShutdownSteps {

    private static final Logger log = LoggerFactory.getLogger(ShutdownSteps.class);

    /** Closes one component. */
    @FunctionalInterface
    public interface Closer<T> {
        void close(T component) throws Exception;
    }

    private int problems;

    /** Closes {@code component} (skipped when null) with {@code closer}. */
    public <T> void step(String name, T component, Closer<T> closer) {
        if (component == null) {
            return;
        }
        try {
            closer.close(component);
        } catch (Exception | Error e) {
            problems++;
            log.warn("Stopping the {} failed: {}", name, e.toString(), e);
        }
    }

    /** How many components failed to close. */
    public int problems() {
        return problems;
    }
}
