package dev.taskwatch.devkit.simulator;

import java.util.Map;

/**
 * One simulated task-center API: the JSON it answers to an authenticated GET on its path. The router does the rest
 * that all services share (method, faults, authentication, advancing the schedule, damaging bodies); a new service
 * is one class and one line in {@link Simulator}'s route table.
 */
@FunctionalInterface
interface SimulatedService {

    /** The answer body; a refused request raises a {@link SimulatedApiError}. */
    Map<String, Object> answer(SimulatedCall call);
}
