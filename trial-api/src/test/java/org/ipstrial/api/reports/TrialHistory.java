package org.ipstrial.api.reports;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.definition.TrialDefinitionFile;
import org.ipstrial.config.DesignFile;
import org.ipstrial.api.core.design.SecretFile;
import org.ipstrial.api.core.recruitment.FollowUpService;
import org.ipstrial.api.core.recruitment.RandomisationService;
import org.ipstrial.api.core.recruitment.RecruitmentService;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.jdbi.v3.core.Jdbi;

/**
 * Weeks of made-up recruitment, taken through the real services on past days (a hand-set clock),
 * for pages that should show a trial under way (screenshots). Seeded: the same seed, the same history.
 */
public final class TrialHistory {
    private TrialHistory() {}

    public static void recruit(DropwizardAppExtension<TrialConfiguration> app, int recruits, int days, long seed) {
        TrialConfiguration config = app.getConfiguration();
        TrialDefinition definition = TrialDefinitionFile.load(Path.of(config.getTrial().getDefinitionFile()));
        Instant now = Instant.now();
        MutableClock clock = new MutableClock(now);
        TrialContext trial = new TrialContext(definition, DesignFile.read(Path.of(config.getTrial().getDesignFile())),
                SecretFile.read(Path.of(config.getTrial().getSecretFile())), clock);
        Jdbi jdbi = TestService.jdbi(app);
        RecruitmentService recruitment = new RecruitmentService(jdbi, trial);
        RandomisationService randomisation = new RandomisationService(jdbi, trial);
        FollowUpService followUp = new FollowUpService(jdbi, trial, recruitment);
        TrialUser manager = user(jdbi, "manager", Role.manager, null);
        Random random = new Random(seed);
        for (int i = 0; i < recruits; i++) {
            // Recruitment picking up over the period: later days are more likely.
            double u = Math.sqrt(random.nextDouble());
            Instant when = now.minus(Duration.ofMinutes((long) ((1 - u) * days * 24 * 60) + 24 * 60));
            clock.set(when);
            var group = definition.trialGroups().get(random.nextInt(definition.trialGroups().size()));
            var site = definition.site(group.site()).orElseThrow();
            String area = site.areas().get(random.nextInt(site.areas().size())).code();
            TrialUser specialist = user(jdbi, site.code().equals("A") ? "spec-a" : "spec-b", Role.specialist, site.code());
            String pid = recruitment.create(specialist, new RecruitRequests.NewRecruit(site.code(), area)).participantId();
            Map<String, Boolean> answers = new HashMap<>(Recruits.eligibleAnswers(group.code()));
            int fate = random.nextInt(12);
            if (fate == 0) {
                answers.put("wants_support", false);
            } else if (fate == 1) {
                answers.put("other_programme", true);
            }
            recruitment.screen(specialist, pid, new RecruitRequests.Screening(group.code(), answers));
            if (fate <= 1) {
                continue;
            }
            Map<String, Boolean> agreement = new HashMap<>(Recruits.agreeAll());
            if (fate == 2) {
                agreement.put("take_part", false);
            }
            recruitment.agree(specialist, pid, new RecruitRequests.Agreement("agree-3", agreement));
            if (fate == 2) {
                continue;
            }
            var id = Recruits.identity(random);
            recruitment.recordIdentity(specialist, pid, Recruits.identityRequest(id));
            recruitment.recordBaseline(specialist, pid, new RecruitRequests.Baseline(Recruits.baseline(random)));
            randomisation.randomise(specialist, pid, Optional.of("history-" + pid));
            if (fate == 3) {
                clock.set(when.plusSeconds(3600));
                followUp.recordStatus(manager, pid, new RecruitRequests.StatusChange("withdrawn_service",
                        LocalDate.ofInstant(when, TrialContext.TRIAL_ZONE).toString(), "Moved out of the area"));
            }
        }
    }

    static TrialUser user(Jdbi jdbi, String name, Role role, String site) {
        long id = jdbi.withHandle(h -> h.createQuery("SELECT id FROM app_user WHERE username = :u").bind("u", name)
                .mapTo(Long.class).one());
        return new TrialUser(id, name, role, Optional.ofNullable(site));
    }
}
