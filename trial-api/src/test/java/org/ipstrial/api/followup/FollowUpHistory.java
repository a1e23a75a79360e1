package org.ipstrial.api.followup;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.design.SecretFile;
import org.ipstrial.api.core.recruitment.RandomisationService;
import org.ipstrial.api.core.recruitment.RecruitmentService;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.reports.MutableClock;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.ipstrial.config.DesignFile;
import org.ipstrial.definition.TrialDefinitionFile;

/** Recruits randomised on past days through the real services (a hand-set clock), for the follow-up list's tests and pictures. */
public final class FollowUpHistory {
    private final DropwizardAppExtension<TrialConfiguration> app;
    private final MutableClock clock = new MutableClock(Instant.now());
    private final Instant now = clock.instant();
    private final TrialContext trial;
    private final RecruitmentService recruitment;
    private final RandomisationService randomisation;
    private final Random random;

    public FollowUpHistory(DropwizardAppExtension<TrialConfiguration> app, long seed) {
        this.app = app;
        TrialConfiguration config = app.getConfiguration();
        trial = new TrialContext(TrialDefinitionFile.load(Path.of(config.getTrial().getDefinitionFile())),
                DesignFile.read(Path.of(config.getTrial().getDesignFile())),
                SecretFile.read(Path.of(config.getTrial().getSecretFile())), clock);
        recruitment = new RecruitmentService(TestService.jdbi(app), trial);
        randomisation = new RandomisationService(TestService.jdbi(app), trial);
        random = new Random(seed);
        System.out.println("FollowUpHistory: seed " + seed);
    }

    /** A recruit of {@code site} randomised {@code daysAgo} days ago; their participant identifier. */
    public String randomised(String site, int daysAgo, boolean surveyContact) {
        clock.set(now.minus(Duration.ofDays(daysAgo)));
        try {
            TrialUser specialist = TestService.user(app, site.equals("A") ? "spec-a" : "spec-b");
            var areas = trial.definition().site(site).orElseThrow().areas();
            String area = areas.get(random.nextInt(areas.size())).code();
            String group = site.equals("A") ? (random.nextBoolean() ? "A-OOW" : "A-IW") : "B-OOW";
            String pid = recruitment.create(specialist, new RecruitRequests.NewRecruit(site, area)).participantId();
            recruitment.screen(specialist, pid, new RecruitRequests.Screening(group, Recruits.eligibleAnswers(group)));
            Map<String, Boolean> agreement = new HashMap<>(Recruits.agreeAll());
            agreement.put("survey_contact", surveyContact);
            recruitment.agree(specialist, pid, new RecruitRequests.Agreement("agree-3", agreement));
            recruitment.recordIdentity(specialist, pid, Recruits.identityRequest(Recruits.identity(random)));
            recruitment.recordBaseline(specialist, pid, new RecruitRequests.Baseline(Recruits.baseline(random)));
            randomisation.randomise(specialist, pid, Optional.of("followup-" + pid));
            return pid;
        } finally {
            clock.set(now);
        }
    }

    /** The day (Europe/London) a recruit randomised {@code daysAgo} days ago was randomised. */
    public java.time.LocalDate dayOf(int daysAgo) {
        return now.minus(Duration.ofDays(daysAgo)).atZone(TrialContext.TRIAL_ZONE).toLocalDate();
    }

    public TrialContext trial() {
        return trial;
    }

    public RecruitmentService recruitment() {
        return recruitment;
    }
}
