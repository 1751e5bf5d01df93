package dev.taskwatch.devkit.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * An API outside the task centers (IAM) at one exact path: answered as it is, without injected faults, checking
 * its own method and credentials.
 */
@FunctionalInterface
interface SimulatedEndpoint {

    SimulatedAnswer answer(HttpExchange exchange) throws IOException;
}
