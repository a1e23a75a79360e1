package org.ipstrial.randomiser;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps the randomiser a pure library: everything it does is a function of its inputs, so every
 * result can be replayed. No I/O, no clock, no random source it did not receive, no framework.
 */
class LibraryArchitectureTest {

    private static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.ipstrial.randomiser");

    @Test
    void dependsOnlyOnTheJdkAndCommonsMath() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax.crypto..", "org.apache.commons.math3..", "org.ipstrial.randomiser..")
                .because("the randomiser is a pure library: JDK and Apache Commons Math only")
                .check(LIBRARY);
    }

    @Test
    void touchesNoFilesNetworkOrProcesses() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("java.nio.file..", "java.net..", "java.nio.channels..", "java.sql..")
                .orShould().dependOnClassesThat().haveNameMatching(
                        "java\\.io\\.(File|FileInputStream|FileOutputStream|FileReader|FileWriter|RandomAccessFile|PrintStream|Console)")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ProcessBuilder.class.getName())
                .orShould().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().accessField(System.class, "in")
                .because("the library does no I/O: callers read and write files")
                .check(LIBRARY);
    }

    @Test
    void readsNoClock() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName(java.time.Clock.class.getName())
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDate.class, "now")
                .orShould().callMethod(java.time.LocalDateTime.class, "now")
                .orShould().callMethod(java.time.OffsetDateTime.class, "now")
                .orShould().callMethod(java.time.ZonedDateTime.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .because("time is an input: the caller passes the moment")
                .check(LIBRARY);
    }

    @Test
    void makesNoRandomnessOfItsOwn() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName(java.util.Random.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(java.util.concurrent.ThreadLocalRandom.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(java.security.SecureRandom.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.random.RandomGenerator")
                .orShould().callMethod(Math.class, "random")
                .orShould().callMethod(java.util.UUID.class, "randomUUID")
                .because("every draw comes from the secret (or a seed) the caller passes")
                .check(LIBRARY);
    }
}
