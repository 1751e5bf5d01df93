package dev.taskwatch.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The import rules of docs/design.md ("Package dependencies"), checked on the compiled production classes (bytecode
 * dependencies, so a fully qualified name counts as much as an import). A rule fails the build naming each crossing.
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.taskwatch");

    /** The Connect plugin ships without the process wiring (and its allow-listed jars stay enough to load it). */
    private static final ArchRule connectorDoesNotDependOnTheRuntime = noClasses()
            .that().resideInAPackage("dev.taskwatch.connect..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.taskwatch.runtime..", "dev.taskwatch.cli..")
            .because("the connector and run/poll share the poller through dev.taskwatch.assembly, not the runtime");

    /** The contract types are what every other package agrees on: they know only the generated Avro classes. */
    private static final ArchRule modelDependsOnNothingOfTaskwatchButAvro = noClasses()
            .that().resideInAPackage("dev.taskwatch.model..")
            .should().dependOnClassesThat(resideInAPackage("dev.taskwatch..")
                    .and(not(resideInAnyPackage("dev.taskwatch.model..", "dev.taskwatch.avro.."))))
            .because("model is the bottom of the package graph");

    /** The task-center side (dialects, auth, normalisation) is plain HTTP and JSON; Kafka is the poller's business. */
    private static final ArchRule taskCenterKnowsNothingOfKafka = noClasses()
            .that().resideInAPackage("dev.taskwatch.taskcenter..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..");

    /** The dev kit (embedded broker and registry, simulator, bench) is used by the command line only. */
    private static final ArchRule onlyTheCommandLineUsesTheDevKit = noClasses()
            .that().resideOutsideOfPackages("dev.taskwatch.cli..", "dev.taskwatch.devkit..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.taskwatch.devkit..", "dev.taskwatch.cli..")
            .because("the Connect plugin's jar leaves out the dev kit (embedded broker, simulator, bench) and the "
                    + "commands; only the commands may start them");

    @Test
    void connectorShouldNotDependOnTheRuntime() {
        connectorDoesNotDependOnTheRuntime.check(PRODUCTION);
    }

    @Test
    void modelShouldDependOnNothingOfTaskwatchButAvro() {
        modelDependsOnNothingOfTaskwatchButAvro.check(PRODUCTION);
    }

    @Test
    void taskCenterShouldKnowNothingOfKafka() {
        taskCenterKnowsNothingOfKafka.check(PRODUCTION);
    }

    @Test
    void onlyTheCommandLineShouldUseTheDevKit() {
        onlyTheCommandLineUsesTheDevKit.check(PRODUCTION);
    }

    @Test
    void shouldSeeTheProductionClasses() {
        // a rule over no classes passes vacuously: make sure the import found them
        org.assertj.core.api.Assertions.assertThat(PRODUCTION.containPackage("dev.taskwatch.connect")).isTrue();
        org.assertj.core.api.Assertions.assertThat(PRODUCTION.containPackage("dev.taskwatch.model")).isTrue();
    }
}
