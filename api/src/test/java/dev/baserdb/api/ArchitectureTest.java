package dev.baserdb.api;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.spring.stereotype.Aggregate;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module boundaries of ARCHITECTURE.md, checked on the production classes of every module:
 * command side, projections and query side meet only through the shared kernel; the api's platform
 * package knows no feature; feature slices do not depend on each other in a cycle; aggregates stay
 * package-private. A rule whose "that" matches no class fails too, so none of these holds vacuously.
 */
@AnalyzeClasses(packages = "dev.baserdb", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String KERNEL = "dev.baserdb.kernel..";
    private static final String COMMAND = "dev.baserdb.command..";
    private static final String PROJECTION = "dev.baserdb.projection..";
    private static final String QUERY = "dev.baserdb.query..";
    private static final String API = "dev.baserdb.api..";
    private static final String PLATFORM = "dev.baserdb.api.platform..";

    @ArchTest
    static final ArchRule command_side_does_not_know_projections_queries_or_the_api =
            noClasses().that().resideInAPackage(COMMAND)
                    .should().dependOnClassesThat().resideInAnyPackage(PROJECTION, QUERY, API);

    @ArchTest
    static final ArchRule projections_do_not_know_the_command_side_queries_or_the_api =
            noClasses().that().resideInAPackage(PROJECTION)
                    .should().dependOnClassesThat().resideInAnyPackage(COMMAND, QUERY, API);

    @ArchTest
    static final ArchRule query_side_does_not_know_the_command_side_projections_or_the_api =
            noClasses().that().resideInAPackage(QUERY)
                    .should().dependOnClassesThat().resideInAnyPackage(COMMAND, PROJECTION, API);

    @ArchTest
    static final ArchRule shared_kernel_depends_on_no_other_module =
            noClasses().that().resideInAPackage(KERNEL)
                    .should().dependOnClassesThat().resideInAnyPackage(COMMAND, PROJECTION, QUERY, API);

    /** Platform is shared infrastructure: it may use the application root, never a feature. */
    @ArchTest
    static final ArchRule api_platform_does_not_depend_on_api_features =
            noClasses().that().resideInAPackage(PLATFORM)
                    .should().dependOnClassesThat(apiFeatureClasses());

    @ArchTest
    static final ArchRule api_feature_slices_are_free_of_cycles =
            slices().matching("dev.baserdb.api.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule command_side_feature_slices_are_free_of_cycles =
            slices().matching("dev.baserdb.command.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule projection_feature_slices_are_free_of_cycles =
            slices().matching("dev.baserdb.projection.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule query_side_feature_slices_are_free_of_cycles =
            slices().matching("dev.baserdb.query.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule shared_kernel_feature_slices_are_free_of_cycles =
            slices().matching("dev.baserdb.kernel.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule aggregates_are_not_public =
            classes().that().areAnnotatedWith(Aggregate.class).should().notBePublic();

    /** Classes of dev.baserdb.api.. outside the platform package and outside the root package itself. */
    private static DescribedPredicate<JavaClass> apiFeatureClasses() {
        return resideInAPackage(API)
                .and(not(resideInAPackage(PLATFORM)))
                .and(not(resideInAPackage("dev.baserdb.api")))
                .as("classes in an api feature package (in dev.baserdb.api.. but outside dev.baserdb.api.platform.. "
                        + "and the root package dev.baserdb.api)");
    }
}
