package org.ipstrial.etl.impact;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Rules that keep the impact analysis reproducible and separate from the linkage pipeline.
 */
class ImpactArchitectureTest {
    private static final JavaClasses IMPACT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.ipstrial.etl.impact");

    /** Byte-identical outputs: no clock and no unseeded randomness, except where timing is the point. */
    @Test
    void analysisCodeReadsNoClockAndNoUnseededRandomness() {
        noClasses().that().resideInAPackage("org.ipstrial.etl.impact..")
                .and().doNotHaveSimpleName("ImpactBenchmark")
                .and().doNotHaveSimpleName("ImpactSimulationStudy")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Math.class, "random")
                .orShould().dependOnClassesThat().resideInAPackage("java.time..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .check(IMPACT);
    }

    /** The analysis reads the analysis dataset only; it never reaches into the linkage pipeline. */
    @Test
    void impactDependsOnNoOtherPartOfTheEtl() {
        noClasses().that().resideInAPackage("org.ipstrial.etl.impact..")
                .should().dependOnClassesThat(resideInAPackage("org.ipstrial.etl..")
                        .and(not(resideInAPackage("org.ipstrial.etl.impact.."))))
                .check(IMPACT);
    }
}
