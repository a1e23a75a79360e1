package org.ipstrial.etl.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final JavaClasses ALL = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("org.ipstrial.etl");
    private static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.ipstrial.etl");

    @Test
    void theOracleImportsNothingFromTheEtl() {
        classes().that().resideInAPackage("org.ipstrial.etl.oracle..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.ipstrial.etl.oracle..", "java..", "org.apache.commons.csv..")
                .because("the oracle is an independent second implementation: the JDK and a CSV parser only, nothing of the ETL")
                .check(ALL);
    }

    @Test
    void outcomeRulesArePureFunctionsWithoutIo() {
        noClasses().that().resideInAPackage("org.ipstrial.etl.derive..")
                .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "org.apache.commons.csv..",
                        "com.fasterxml..", "org.ipstrial.etl.read..", "org.ipstrial.etl.link..", "org.ipstrial.etl.write..",
                        "org.ipstrial.etl.build..")
                .because("each outcome rule is a pure function of one person's linked rows")
                .check(MAIN);
    }

    @Test
    void theMainCodeDoesNotDependOnTheServiceOrTheImpactAnalysis() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.ipstrial.api..", "java.net.http..", "java.sql..")
                .because("the ETL reads files only, never the service's database or HTTP API")
                .check(MAIN);
        noClasses().that().resideOutsideOfPackage("org.ipstrial.etl.impact..").and().doNotHaveSimpleName("EtlMain")
                .should().dependOnClassesThat().resideInAPackage("org.ipstrial.etl.impact..")
                .because("the linkage pipeline stands alone; only the command dispatch reaches the impact analysis")
                .check(MAIN);
    }
}
