package dev.taskwatch.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks an integration test that takes a minute or more (broker bounces, worker kills, outages, benches). Failsafe
 * runs these in their own execution ({@code long-integration-tests}, after the others, in the same {@code mvn verify}),
 * so a failure in the quick group shows first.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(LongRunning.TAG)
public @interface LongRunning {

    String TAG = "long-running";
}
