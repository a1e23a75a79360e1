package org.ipstrial.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.migrations.MigrationsBundle;
import io.swagger.v3.jaxrs2.integration.resources.OpenApiResource;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.ipstrial.api.auth.PasswordHasher;
import org.ipstrial.api.auth.SessionAuthFilter;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.auth.TwoFactorKey;
import org.ipstrial.api.auth.TwoFactorService;
import org.ipstrial.api.auth.UserService;
import org.ipstrial.api.cli.VerifyAuditCommand;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.definition.TrialDefinitionFile;
import org.ipstrial.config.DesignFile;
import org.ipstrial.api.core.export.ExportService;
import org.ipstrial.api.core.randomisation.DesignRecord;
import org.ipstrial.api.core.randomisation.SequenceAudit;
import org.ipstrial.api.core.recruitment.AuditTrailService;
import org.ipstrial.api.core.recruitment.FollowUpService;
import org.ipstrial.api.core.recruitment.RandomisationService;
import org.ipstrial.api.core.recruitment.RecruitmentService;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.core.reports.ReportService;
import org.ipstrial.api.db.DatabaseBootstrap;
import org.ipstrial.api.db.CommandDatabase;
import org.ipstrial.api.resources.AuditResource;
import org.ipstrial.api.resources.AuditTrailResource;
import org.ipstrial.api.resources.TrialAuditTrailResource;
import org.ipstrial.api.resources.ExportResource;
import org.ipstrial.api.resources.FollowUpResource;
import org.ipstrial.api.resources.FormsResource;
import org.ipstrial.api.resources.RandomisationResource;
import org.ipstrial.api.resources.RecruitResource;
import org.ipstrial.api.resources.RecruitDeliveryResource;
import org.ipstrial.api.resources.DeliveryResource;
import org.ipstrial.api.resources.FidelityResource;
import org.ipstrial.api.resources.DeliveryReportResource;
import org.ipstrial.api.core.delivery.DeliveryReportService;
import org.ipstrial.api.core.delivery.DeliveryService;
import org.ipstrial.api.core.delivery.DeliverySettings;
import org.ipstrial.api.core.delivery.FidelityService;
import org.ipstrial.api.resources.ReportResource;
import org.ipstrial.api.resources.SessionResource;
import org.ipstrial.api.resources.StatisticianResource;
import org.ipstrial.api.resources.UserResource;
import org.ipstrial.api.resources.errors.BodySizeLimit;
import org.ipstrial.api.resources.errors.InternalErrorMapper;
import org.ipstrial.api.resources.errors.JsonInputMapper;
import org.ipstrial.api.resources.errors.TrialExceptionMapper;
import org.ipstrial.api.resources.errors.WebApplicationExceptionMapper;
import org.ipstrial.randomiser.RandomisationSecret;
import org.jdbi.v3.core.Jdbi;
import org.ipstrial.api.core.audit.AuditSealer;

/** The trial service: screening, agreement, baseline and randomisation at a first appointment. */
public final class TrialApplication extends Application<TrialConfiguration> {
    /** The JSON API lives here; pages are served from the root. */
    public static final String API_ROOT = "/api/v1";

    private final Clock clock;
    private Jdbi jdbi;
    private AuditSealer sealer;
    private org.ipstrial.api.core.confirmation.ConfirmationSender confirmationSender;

    public TrialApplication() {
        this(Clock.systemUTC());
    }

    /** The service on another clock: tests of time-based codes run on a clock they set. */
    public TrialApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        new TrialApplication().run(args);
    }

    @Override
    public String getName() {
        return "trial-api";
    }

    @Override
    public void initialize(Bootstrap<TrialConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public DataSourceFactory getDataSourceFactory(TrialConfiguration configuration) {
                return ownerDataSource(configuration);
            }
        });
        bootstrap.addBundle(new AssetsBundle("/assets/", "/", "index.html", "pages"));
        bootstrap.addBundle(new AssetsBundle("/META-INF/resources/webjars/", "/webjars/", null, "webjars"));
        bootstrap.addCommand(new VerifyAuditCommand());
        // Commands of the randomisation library (allocation list, design diagnostics) are added here.
        bootstrap.addCommand(new org.ipstrial.api.cli.AllocationListCommand());
        bootstrap.addCommand(new org.ipstrial.api.cli.DesignDiagnosticsCommand());
    }

    /**
     * For the {@code db} commands: the owner role, on the embedded server (started for the command)
     * or the external one. Refused while a service runs on the embedded data directory.
     */
    public static DataSourceFactory ownerDataSource(TrialConfiguration configuration) {
        return CommandDatabase.open(configuration.getDatabaseServer(), configuration.getDatabase().getUrl(),
                CommandDatabase.Access.SCHEMA_CHANGES).dataSource();
    }

    @Override
    public void run(TrialConfiguration configuration, Environment environment) {
        environment.getObjectMapper()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // A number or true/false where text is expected is the wrong type, not text: without this,
        // Jackson reads {"reason": 12345} as "12345" (ALLOW_COERCION_OF_SCALARS does not cover it).
        environment.getObjectMapper().coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);

        TrialSettings settings = configuration.getTrial();
        TrialDefinition definition = TrialDefinitionFile.load(Path.of(settings.getDefinitionFile()));
        DesignFile.Read design = DesignFile.readAny(Path.of(settings.getDesignFile()));
        RandomisationSecret secret = RandomisationSecretSource.load(settings);
        DeliverySettings deliverySettings = DeliverySettings.load(Path.of(settings.getDeliveryFile()), definition);

        var prepared = DatabaseBootstrap.prepare(configuration.getDatabaseServer(), configuration.getDatabase());
        prepared.embedded().ifPresent(environment.lifecycle()::manage);
        jdbi = org.ipstrial.api.db.JdbiDefaults.apply(new JdbiFactory().build(environment, configuration.getDatabase(), "postgresql"));
        org.ipstrial.api.db.RoundTrips.count(jdbi);

        DesignRecord.synchronise(jdbi, design, secret, clock);
        // Every stratum's lock row exists before the first randomisation in it (one round trip fewer then).
        TrialContext trial0 = new TrialContext(definition, design, secret, clock);
        jdbi.useExtension(org.ipstrial.api.db.AllocationDao.class, dao -> trial0.strataKeys().forEach(dao::ensureStratum));

        SecuritySettings security = configuration.getSecurity();
        PasswordHasher hasher = new PasswordHasher(security.getPasswordHashCost());
        UserService users = new UserService(jdbi, hasher, clock,
                security.getSessionLifetime().toJavaDuration(), security.getMaxFailedLogins(), security.getLockout().toJavaDuration())
                .withSites(definition.sites().stream().map(TrialDefinition.Site::code).collect(java.util.stream.Collectors.toSet()))
                .withOneTimeCodeLifetime(security.getOneTimeCodeLifetime().toJavaDuration())
                .withTwoFactorRequiredFor(security.getTwoFactorRequiredFor());
        TwoFactorService twoFactor = new TwoFactorService(jdbi, users, hasher,
                security.getTwoFactorKeyFile().map(file -> TwoFactorKey.load(Path.of(file), security.isGenerateTwoFactorKeyIfMissing())),
                clock, security.getTwoFactorRequiredFor());
        boolean firstDemoStart = security.isCreateDemoUsers() && users.noUsers();
        if (security.isCreateDemoUsers()) {
            DemoUsers.createIfNone(users, definition);
        }
        boolean demoWindow = security.isCreateDemoUsers() && settings.isDemoWindowAroundFirstStart();
        TrialDefinition running = demoWindow
                ? DemoStart.windowFrom(definition, DemoStart.firstStart(jdbi).minusDays(settings.getDemoHistoryDays()))
                : definition;
        TrialContext trial = new TrialContext(running, design, secret, clock);
        if (firstDemoStart && demoWindow && settings.getDemoHistoryRecruits() > 0) {
            DemoStart.loadHistory(jdbi, running, design, secret, deliverySettings, clock, settings.getDemoHistoryRecruits(),
                    settings.getDemoHistoryDays());
        }

        AuditSealer sealer = new AuditSealer(jdbi, clock, security.getAuditSealInterval().toJavaDuration());
        environment.lifecycle().manage(sealer);
        this.sealer = sealer;

        RecruitmentService recruitment = new RecruitmentService(jdbi, trial);
        environment.jersey().setUrlPattern(API_ROOT + "/*");
        environment.jersey().register(new AuthDynamicFeature(new SessionAuthFilter(users)));
        environment.jersey().register(new org.ipstrial.api.auth.PasswordChangeGate());
        environment.jersey().register(RolesAllowedDynamicFeature.class);
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(TrialUser.class));
        environment.jersey().register(new org.ipstrial.api.db.RoundTrips.Start());
        environment.jersey().register(new org.ipstrial.api.db.RoundTrips.Record(environment.metrics()));
        environment.jersey().register(new BodySizeLimit(1 << 20));
        environment.jersey().register(new TrialExceptionMapper());
        environment.jersey().register(new JsonInputMapper());
        environment.jersey().register(new WebApplicationExceptionMapper());
        environment.jersey().register(new InternalErrorMapper());
        for (Object resource : resources(jdbi, trial, secret, users, twoFactor, recruitment, security, deliverySettings,
                configuration.getFollowUp())) {
            environment.jersey().register(resource);
            if (resource instanceof ReportResource reports) {
                environment.lifecycle().manage(new org.ipstrial.api.core.reports.ReportWarmUp("Reports", reports.reports()::warmUp));
            }
            if (resource instanceof DeliveryReportResource delivery) {
                environment.lifecycle().manage(new org.ipstrial.api.core.reports.ReportWarmUp("Delivery reports", delivery.reports()::warmUp));
            }
        }
        var mail = configuration.getConfirmationMail();
        if (mail.isEnabled()) {
            var sender = new org.ipstrial.api.core.confirmation.ConfirmationSender(jdbi,
                    new org.ipstrial.api.core.confirmation.ConfirmationService(jdbi, trial, recruitment), mail, environment.metrics());
            environment.lifecycle().manage(sender);
            environment.jersey().register(new org.ipstrial.api.resources.RandomisationCommitted(sender));
            this.confirmationSender = sender;
        }
        environment.jersey().register(new OpenApiResource().openApiConfiguration(new SwaggerConfiguration()
                .openAPI(new OpenAPI().info(new Info().title("IPS trial service").version("0.1.0")
                        .description("Screening, agreement, baseline and randomisation at a first appointment; "
                                + "follow-up; exports. Authenticate with POST /api/v1/session, then send "
                                + "'Authorization: Bearer <token>'.")))
                .prettyPrint(true)
                .readerClass(org.ipstrial.api.resources.ApiDocument.CompletingReader.class.getName())
                .resourcePackages(Set.of("org.ipstrial.api.resources"))));
    }

    /** Every resource of the API: the role-matrix test checks each against its list of who may call what. */
    public static java.util.List<Object> resources(Jdbi jdbi, TrialContext trial, RandomisationSecret secret,
            UserService users, TwoFactorService twoFactor, RecruitmentService recruitment, SecuritySettings security, DeliverySettings deliverySettings,
            org.ipstrial.api.core.followup.FollowUpSettings followUpSettings) {
        DeliveryService delivery = new DeliveryService(jdbi, trial, deliverySettings);
        FidelityService fidelity = new FidelityService(jdbi, trial, deliverySettings);
        AuditTrailService trails = new AuditTrailService(jdbi, trial);
        var followUpSchedule = new org.ipstrial.api.core.followup.FollowUpSchedule(jdbi, trial, followUpSettings);
        DeliveryReportService deliveryReports = new DeliveryReportService(jdbi, trial, deliverySettings, fidelity);
        return java.util.List.of(
                new SessionResource(users, twoFactor, security.getSecureCookie()),
                new org.ipstrial.api.resources.TwoFactorResource(twoFactor),
                new RecruitResource(recruitment),
                new FormsResource(recruitment),
                new RandomisationResource(new RandomisationService(jdbi, trial)),
                new org.ipstrial.api.resources.ConfirmationResource(
                        new org.ipstrial.api.core.confirmation.ConfirmationService(jdbi, trial, recruitment)),
                new FollowUpResource(new FollowUpService(jdbi, trial, recruitment)),
                new org.ipstrial.api.resources.FollowUpScheduleResource(followUpSchedule),
                new org.ipstrial.api.resources.FollowUpContactResource(followUpSchedule),
                new ExportResource(new ExportService(jdbi, trial), deliveryReports),
                new RecruitDeliveryResource(delivery),
                new DeliveryResource(delivery),
                new FidelityResource(fidelity),
                new DeliveryReportResource(deliveryReports),
                new UserResource(users),
                new org.ipstrial.api.resources.SiteResource(new org.ipstrial.api.core.sites.SiteOverview(jdbi, trial)),
                new StatisticianResource(jdbi, trial, new SequenceAudit(jdbi, trial, secret)),
                new AuditResource(jdbi),
                new AuditTrailResource(trails),
                new TrialAuditTrailResource(trails),
                new ReportResource(new ReportService(jdbi, trial, followUpSettings.getWaves())));
    }

    /** The audit sealer, once {@link #run} has started it (tests seal at a moment of their choosing). */
    public AuditSealer sealer() {
        return sealer;
    }

    /** The confirmation e-mail sender, when the e-mail is configured (tests drain it at a moment of their choosing). */
    public java.util.Optional<org.ipstrial.api.core.confirmation.ConfirmationSender> confirmationSender() {
        return java.util.Optional.ofNullable(confirmationSender);
    }

    /** The database handle, once {@link #run} has built it (for tests and commands). */
    public Jdbi jdbi() {
        return jdbi;
    }
}
