package org.ipstrial.api.core.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.definition.TrialDefinitionFile;
import org.ipstrial.config.DesignFile;
import org.ipstrial.api.core.design.SecretFile;
import org.ipstrial.api.core.recruitment.FollowUpService;
import org.ipstrial.api.core.recruitment.RandomisationService;
import org.ipstrial.api.core.recruitment.RecruitmentService;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.reports.MutableClock;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reports kept in parts (balance per chunk of allocations, the sequence check per stratum, the
 * others while the row counts stand) against the same reports computed from nothing, after every
 * kind of change: recruits randomised, found ineligible or declining, erased, their identifiers
 * corrected, withdrawn; on days that pass, so a manager's cut-off moves. The kept service uses
 * parts of 3 allocations, so a change lands in one part of many; the fresh one is the service's
 * default. Figures against the raw rows themselves: ReportFiguresIT.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReportPartsIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("report-parts"));
    static final int STEPS = 150;

    @Test
    void reportsKeptInPartsEqualReportsComputedAfreshAfterEveryChange(TestInfo info) {
        TestService.createUsers(APP);
        Random random = TestService.seededRandom(info);
        Jdbi jdbi = TestService.jdbi(APP);
        TrialConfiguration config = APP.getConfiguration();
        MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.SECONDS));
        TrialContext trial = new TrialContext(TrialDefinitionFile.load(Path.of(config.getTrial().getDefinitionFile())),
                DesignFile.read(Path.of(config.getTrial().getDesignFile())), SecretFile.read(Path.of(config.getTrial().getSecretFile())), clock);
        RecruitmentService recruitment = new RecruitmentService(jdbi, trial);
        RandomisationService randomisation = new RandomisationService(jdbi, trial);
        FollowUpService followUp = new FollowUpService(jdbi, trial, recruitment);
        TrialUser manager = TestService.user(APP, "manager");
        TrialUser statistician = TestService.user(APP, "statistician");
        ReportService kept = new ReportService(jdbi, trial, List.of(), 3);
        List<String> randomised = new ArrayList<>();
        Map<String, Integer> kinds = new HashMap<>();

        for (int step = 0; step < STEPS; step++) {
            // Time passes: minutes to most of a day, so some steps cross midnight.
            clock.set(clock.instant().plus(Duration.ofMinutes(1 + random.nextInt(16 * 60))));
            int what = random.nextInt(12);
            String kind;
            if (what <= 5 || randomised.isEmpty()) {
                kind = "randomised";
                randomised.add(randomise(recruitment, randomisation, random));
            } else if (what == 6) {
                kind = "ineligible";
                String pid = screened(recruitment, random, false);
                assertThat(pid).isNotNull();
            } else if (what == 7) {
                kind = "declined";
                String pid = screened(recruitment, random, true);
                Map<String, Boolean> answers = new HashMap<>(Recruits.agreeAll());
                answers.put("take_part", false);
                recruitment.agree(specialistOf(pid), pid, new RecruitRequests.Agreement("agree-3", answers));
            } else if (what == 8) {
                kind = "erased";
                String pid = randomised.remove(random.nextInt(randomised.size()));
                followUp.erase(manager, pid, new RecruitRequests.Erasure(trial.today().toString(), "participant_request", true));
            } else if (what == 9 || what == 10) {
                kind = "corrected";
                String pid = randomised.get(random.nextInt(randomised.size()));
                Map<String, String> fields = random.nextBoolean()
                        ? Map.of("sex", List.of("female", "male", "intersex", "prefer_not_to_say").get(random.nextInt(4)))
                        : Map.of("dateOfBirth", LocalDate.of(1950 + random.nextInt(50), 1 + random.nextInt(12), 1 + random.nextInt(28)).toString());
                followUp.correct(manager, pid, new RecruitRequests.Correction(fields, "typed wrongly"));
            } else {
                kind = "withdrawn";
                String pid = randomised.get(random.nextInt(randomised.size()));
                followUp.recordStatus(manager, pid, new RecruitRequests.StatusChange("withdrawn_research", trial.today().toString(), "asked"));
            }
            kinds.merge(kind, 1, Integer::sum);
            // A fresh service each time: nothing kept, every figure computed from the rows.
            ReportService fresh = new ReportService(jdbi, trial, List.of());
            for (TrialUser reader : List.of(manager, statistician)) {
                String as = "step " + step + " (" + kind + ") read by " + reader.username();
                assertThat(kept.balance(reader)).as(as).isEqualTo(fresh.balance(reader));
                assertThat(kept.consort(reader)).as(as).isEqualTo(fresh.consort(reader));
                assertThat(kept.recruitment(reader, null)).as(as).isEqualTo(fresh.recruitment(reader, null));
            }
            assertThat(kept.sequence()).as("step " + step + " (" + kind + ")").isEqualTo(fresh.sequence());
        }
        System.out.println("ReportPartsIT changes: " + kinds);
        assertThat(kinds.keySet()).containsExactlyInAnyOrder("randomised", "ineligible", "declined", "erased", "corrected", "withdrawn");
        // Many parts, and the manager's view differs from the statistician's (today's allocations).
        assertThat(randomised.size()).isGreaterThan(30);
    }

    private static final Map<String, TrialUser> SPECIALISTS = new HashMap<>();

    private static TrialUser specialist(String site) {
        return SPECIALISTS.computeIfAbsent(site, s -> TestService.user(APP, s.equals("A") ? "spec-a" : "spec-b"));
    }

    private static final Map<String, String> SITE_OF = new HashMap<>();

    /** A new recruit screened in a random group: eligible (and not yet asked to agree) or not. */
    private static String screened(RecruitmentService recruitment, Random random, boolean eligible) {
        var groups = List.of("A-OOW", "A-IW", "B-OOW");
        String group = groups.get(random.nextInt(groups.size()));
        String site = group.substring(0, 1);
        String area = site.equals("A") ? "A-north" : "B-west";
        String pid = recruitment.create(specialist(site), new RecruitRequests.NewRecruit(site, area)).participantId();
        SITE_OF.put(pid, site);
        Map<String, Boolean> answers = new HashMap<>(Recruits.eligibleAnswers(group));
        if (!eligible) {
            answers.put("over_18", false);
        }
        recruitment.screen(specialist(site), pid, new RecruitRequests.Screening(group, answers));
        return pid;
    }

    private static TrialUser specialistOf(String pid) {
        return specialist(SITE_OF.get(pid));
    }

    private static String randomise(RecruitmentService recruitment, RandomisationService randomisation, Random random) {
        String pid = screened(recruitment, random, true);
        TrialUser specialist = specialistOf(pid);
        recruitment.agree(specialist, pid, new RecruitRequests.Agreement("agree-3", Recruits.agreeAll()));
        Map<String, Object> id = new HashMap<>(Recruits.identity(random));
        id.put("sex", List.of("female", "male", "intersex", "prefer_not_to_say").get(random.nextInt(4)));
        recruitment.recordIdentity(specialist, pid, Recruits.identityRequest(id));
        recruitment.recordBaseline(specialist, pid, new RecruitRequests.Baseline(Recruits.baseline(random)));
        randomisation.randomise(specialist, pid, Optional.of("parts-" + pid));
        return pid;
    }
}
