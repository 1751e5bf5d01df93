package dev.taskwatch.devkit.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The faults of {@link SimulatorSettings.Faults}, drawn per task-center request from one generator seeded from the
 * settings' seed: one draw per configured fault and request, so the sequence is reproducible for a seed.
 */
final class FaultInjection {

    private final SimulatorSettings.Faults faults;
    private final ResponseDelay sleeper;
    private final Random random;

    FaultInjection(SimulatorSettings settings, ResponseDelay sleeper) {
        this.faults = settings.faults();
        this.sleeper = sleeper;
        this.random = new Random(settings.seed() * 31 + 7);
    }

    /**
     * Before a request is served: the gateway's throttling (429 with {@code Retry-After}, or its own status), a
     * server error, or a slow answer (sleeps, then serves).
     */
    Optional<SimulatedAnswer> beforeServing() throws InterruptedException {
        if (draw(faults.throttleProbability())) {
            long seconds = Math.max(1, faults.retryAfter().toSeconds());
            return Optional.of(SimulatedAnswer.error(
                    new SimulatedApiError(429, "APIGW.0308", "The throttling threshold has been reached"),
                    Map.of("Retry-After", Long.toString(seconds))));
        }
        if (draw(faults.gatewayThrottleProbability())) {
            return Optional.of(SimulatedAnswer.error(new SimulatedApiError(faults.gatewayThrottleStatus(),
                    "APIG.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:60,"
                            + "time:1 minute")));
        }
        if (draw(faults.serverErrorProbability())) {
            return Optional.of(SimulatedAnswer.error(
                    new SimulatedApiError(500, SimulatedApiError.INTERNAL_ERROR, "Internal error")));
        }
        if (draw(faults.slowProbability())) {
            sleeper.sleep(faults.slowDelay());
        }
        return Optional.empty();
    }

    /** A served body, possibly cut in half or followed by a stray {@code }}. */
    byte[] damage(byte[] body) {
        if (draw(faults.malformedProbability())) {
            return Arrays.copyOf(body, body.length / 2);
        }
        if (draw(faults.trailingBraceProbability())) {
            return (new String(body, StandardCharsets.UTF_8) + "\n}").getBytes(StandardCharsets.UTF_8);
        }
        return body;
    }

    private boolean draw(double probability) {
        if (probability <= 0.0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < probability;
        }
    }
}
