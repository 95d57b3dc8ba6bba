package io.matchledger.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layout's rules as tests: the domain knows nothing of the web, HTTP or the read models; the projections nothing
 * of the web; and the service's packages depend on each other in one direction only.
 */
class ArchitectureTest {

    private static final JavaClasses LEDGER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.matchledger");

    @Test
    void theDomainKnowsNoWebNoHttpAndNoReadModel() {
        noClasses()
                .that()
                .resideInAPackage("io.matchledger.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework.web..",
                        "org.springframework.http..",
                        "jakarta.servlet..",
                        "jakarta.persistence..",
                        "org.springframework.data..",
                        "java.net.http..",
                        "io.matchledger.projections..",
                        "io.matchledger.api..")
                .check(LEDGER);
    }

    @Test
    void theProjectionsKnowNoWeb() {
        noClasses()
                .that()
                .resideInAPackage("io.matchledger.projections..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework.web..",
                        "org.springframework.http..",
                        "jakarta.servlet..",
                        "java.net.http..",
                        "io.matchledger.api..")
                .check(LEDGER);
    }

    @Test
    void theServicesPackagesHaveNoCycles() {
        slices().matching("io.matchledger.api.(*)..").should().beFreeOfCycles().check(LEDGER);
    }
}
