package org.ipstrial.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
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
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every report figure against counts computed here, in plain Java, from a ledger of what the test
 * did: recruits taken through the real services on past days (a hand-set clock), some of them
 * today, with ineligible, declined, half-finished, withdrawn, dead and erased recruits among them.
 * The reports are then read over HTTP, where the service's own clock is the real one.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReportFiguresIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("reports"));
    static final long SEED = 4_2026_11_23L;
    static final List<String> ARMS = List.of("treatment", "control");
    static ApiClient api;
    static TrialDefinition definition;
    static final List<Person> LEDGER = new ArrayList<>();
    static Instant startOfToday;
    static LocalDate today;

    /** What the test did to one recruit. */
    static final class Person {
        String participantId;
        String site;
        String area;
        String group;
        List<String> failed = List.of();
        Boolean agreed;
        String arm;
        Instant allocatedAt;
        String stratum;
        Map<String, Object> baseline;
        /** The baseline answers plus age at randomisation and sex as the balance codes them. */
        Map<String, Object> balanceItems;
        List<String> statuses = new ArrayList<>();
        boolean erased;
        boolean screened;
    }

    @BeforeAll
    static void recruitOverTenWeeks() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
        TrialConfiguration config = APP.getConfiguration();
        definition = TrialDefinitionFile.load(Path.of(config.getTrial().getDefinitionFile()));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        today = LocalDate.now(TrialContext.TRIAL_ZONE);
        startOfToday = today.atStartOfDay(TrialContext.TRIAL_ZONE).toInstant();
        MutableClock clock = new MutableClock(now);
        TrialContext trial = new TrialContext(definition, DesignFile.read(Path.of(config.getTrial().getDesignFile())),
                SecretFile.read(Path.of(config.getTrial().getSecretFile())), clock);
        Jdbi jdbi = TestService.jdbi(APP);
        RecruitmentService recruitment = new RecruitmentService(jdbi, trial);
        RandomisationService randomisation = new RandomisationService(jdbi, trial);
        FollowUpService followUp = new FollowUpService(jdbi, trial, recruitment);
        TrialUser specA = user(jdbi, "spec-a", Role.specialist, "A");
        TrialUser specB = user(jdbi, "spec-b", Role.specialist, "B");
        TrialUser manager = user(jdbi, "manager", Role.manager, null);
        Random random = new Random(SEED);
        System.out.println("ReportFiguresIT seed " + SEED);

        List<TrialDefinition.TrialGroup> groups = definition.trialGroups();
        for (int i = 0; i < 90; i++) {
            // Most on past days over ten weeks; the last ten today, which managers must not see split by arm.
            Instant when = i < 80 ? now.minus(Duration.ofHours(24 + random.nextInt(70 * 24))) : now.minusSeconds(90 - i);
            if (i >= 80 && when.isBefore(startOfToday)) {
                when = startOfToday.plusSeconds(i);
            }
            clock.set(when);
            var group = groups.get(random.nextInt(groups.size()));
            var site = definition.site(group.site()).orElseThrow();
            Person p = new Person();
            p.site = site.code();
            p.area = site.areas().get(random.nextInt(site.areas().size())).code();
            p.group = group.code();
            TrialUser specialist = p.site.equals("A") ? specA : specB;
            p.participantId = recruitment.create(specialist, new RecruitRequests.NewRecruit(p.site, p.area)).participantId();
            LEDGER.add(p);
            int fate = random.nextInt(20);
            if (fate == 0) {
                continue; // started, never screened
            }
            p.screened = true;
            Map<String, Boolean> answers = new HashMap<>(Recruits.eligibleAnswers(p.group));
            if (fate <= 3) {
                // Ineligible: first screened eligible for another reason on a few, then the latest screening fails.
                if (fate == 1) {
                    recruitment.screen(specialist, p.participantId, new RecruitRequests.Screening(p.group, answers));
                }
                answers.put("over_18", false);
                if (fate == 2) {
                    answers.put("secondary_care", true);
                }
                p.failed = fate == 2 ? List.of("over_18", "no_secondary_care") : List.of("over_18");
            } else if (fate == 4) {
                // Screened ineligible first, then eligible: only the latest screening counts.
                Map<String, Boolean> first = new HashMap<>(answers);
                first.put("wants_support", false);
                recruitment.screen(specialist, p.participantId, new RecruitRequests.Screening(p.group, first));
            }
            recruitment.screen(specialist, p.participantId, new RecruitRequests.Screening(p.group, answers));
            if (!p.failed.isEmpty()) {
                if (random.nextInt(4) == 0) {
                    erase(followUp, manager, clock, p);
                }
                continue;
            }
            if (fate == 5) {
                continue; // awaiting agreement
            }
            Map<String, Boolean> agreement = new HashMap<>(Recruits.agreeAll());
            if (fate == 6) {
                agreement.put("take_part", false);
            }
            recruitment.agree(specialist, p.participantId, new RecruitRequests.Agreement("agree-3", agreement));
            p.agreed = fate != 6;
            if (fate == 6 || fate == 7) {
                continue; // declined, or agreed but not yet randomised
            }
            var id = new HashMap<>(Recruits.identity(random));
            id.put("sex", List.of("female", "male", "intersex", "prefer_not_to_say").get(random.nextInt(4)));
            recruitment.recordIdentity(specialist, p.participantId, Recruits.identityRequest(id));
            p.baseline = Recruits.baseline(random);
            recruitment.recordBaseline(specialist, p.participantId, new RecruitRequests.Baseline(p.baseline));
            var allocated = randomisation.randomise(specialist, p.participantId, Optional.of("report-" + p.participantId));
            p.arm = allocated.arm();
            p.allocatedAt = allocated.allocatedAt();
            p.stratum = p.site + "/" + p.group;
            p.balanceItems = new HashMap<>(p.baseline);
            p.balanceItems.put("age_at_randomisation", java.time.Period.between(LocalDate.parse((String) id.get("dateOfBirth")),
                    LocalDate.ofInstant(p.allocatedAt, TrialContext.TRIAL_ZONE)).getYears());
            p.balanceItems.put("sex", Map.of("female", 1, "male", 2, "intersex", 3, "prefer_not_to_say", -9).get((String) id.get("sex")));
            if (i < 80 && fate == 8) {
                clock.set(when.plusSeconds(60));
                followUp.recordStatus(manager, p.participantId, new RecruitRequests.StatusChange("withdrawn_service",
                        LocalDate.ofInstant(when, TrialContext.TRIAL_ZONE).toString(), "moved away"));
                p.statuses.add("withdrawn_service");
            } else if (i < 80 && fate == 9) {
                clock.set(when.plusSeconds(60));
                followUp.recordStatus(manager, p.participantId, new RecruitRequests.StatusChange("withdrawn_research",
                        LocalDate.ofInstant(when, TrialContext.TRIAL_ZONE).toString(), "no more contact"));
                followUp.recordStatus(manager, p.participantId, new RecruitRequests.StatusChange("deceased",
                        LocalDate.ofInstant(when, TrialContext.TRIAL_ZONE).toString(), "reported by family"));
                p.statuses.add("withdrawn_research");
                p.statuses.add("deceased");
            } else if (fate == 10) {
                erase(followUp, manager, clock, p);
            }
        }
    }

    static void erase(FollowUpService followUp, TrialUser manager, MutableClock clock, Person p) {
        clock.set(clock.instant().plusSeconds(120));
        followUp.erase(manager, p.participantId, new RecruitRequests.Erasure(java.time.LocalDate.ofInstant(clock.instant(), TrialContext.TRIAL_ZONE).toString(), "participant_request", true));
        p.erased = true;
    }

    static TrialUser user(Jdbi jdbi, String name, Role role, String site) {
        long id = jdbi.withHandle(h -> h.createQuery("SELECT id FROM app_user WHERE username = :u").bind("u", name)
                .mapTo(Long.class).one());
        return new TrialUser(id, name, role, Optional.ofNullable(site));
    }

    static boolean seenByManager(Person p) {
        return p.arm != null && p.allocatedAt.isBefore(startOfToday);
    }

    static JsonNode unit(JsonNode report, String level, String code) {
        for (JsonNode u : report.get("units")) {
            if (u.get("level").asText().equals(level) && u.get("code").asText().equals(code)) {
                return u;
            }
        }
        throw new AssertionError("no unit " + level + " " + code);
    }

    @Test
    void theLedgerCoversEveryPathOfTheFlow() {
        assertThat(LEDGER.stream().filter(p -> p.arm != null && !seenByManager(p))).as("randomised today").isNotEmpty();
        assertThat(LEDGER.stream().filter(p -> p.erased && p.arm != null)).as("erased after randomisation").isNotEmpty();
        assertThat(LEDGER.stream().filter(p -> p.erased && p.arm == null)).as("erased before").isNotEmpty();
        assertThat(LEDGER.stream().filter(p -> Boolean.FALSE.equals(p.agreed))).as("declined").isNotEmpty();
        assertThat(LEDGER.stream().filter(p -> p.statuses.contains("deceased"))).as("died").isNotEmpty();
    }

    @Test
    void recruitmentCountsEveryAllocationAndSplitsArmsOnlyUpToYesterdayForManagers() {
        JsonNode manager = api.get("manager", "/reports/recruitment").body();
        JsonNode statistician = api.get("statistician", "/reports/recruitment").body();
        assertThat(manager.get("armsLive").asBoolean()).isFalse();
        assertThat(Instant.parse(manager.get("armsUntil").asText())).isEqualTo(startOfToday);
        assertThat(statistician.get("armsLive").asBoolean()).isTrue();

        List<Person> randomised = LEDGER.stream().filter(p -> p.arm != null).toList();
        Map<String, String> levels = new LinkedHashMap<>();
        levels.put("trial", "all");
        definition.sites().forEach(s -> levels.put("site:" + s.code(), s.code()));
        definition.trialGroups().forEach(g -> levels.put("trial_group:" + g.code(), g.code()));
        for (var e : levels.entrySet()) {
            String level = e.getKey().contains(":") ? e.getKey().substring(0, e.getKey().indexOf(':')) : "trial";
            List<Person> in = randomised.stream().filter(p -> switch (level) {
                case "site" -> p.site.equals(e.getValue());
                case "trial_group" -> p.group.equals(e.getValue());
                default -> true;
            }).toList();
            JsonNode m = unit(manager, level, e.getValue());
            JsonNode s = unit(statistician, level, e.getValue());
            assertThat(m.get("randomised").asLong()).as(e.getKey()).isEqualTo(in.size());
            assertThat(s.get("randomised").asLong()).as(e.getKey()).isEqualTo(in.size());
            for (String arm : ARMS) {
                assertThat(m.get("byArm").get(arm).asLong()).as(e.getKey() + " manager " + arm)
                        .isEqualTo(in.stream().filter(p -> p.arm.equals(arm) && seenByManager(p)).count());
                assertThat(s.get("byArm").get(arm).asLong()).as(e.getKey() + " statistician " + arm)
                        .isEqualTo(in.stream().filter(p -> p.arm.equals(arm)).count());
            }
            // Weekly counts against the ledger's own weeks.
            List<LocalDate> weeks = new ArrayList<>();
            manager.get("weeks").forEach(w -> weeks.add(LocalDate.parse(w.asText())));
            long cumulative = 0;
            for (int i = 0; i < weeks.size(); i++) {
                LocalDate week = weeks.get(i);
                long expected = in.stream().filter(p -> weekOf(p.allocatedAt).equals(week)).count();
                cumulative += expected;
                assertThat(m.get("weekly").get(i).asLong()).as(e.getKey() + " week " + week).isEqualTo(expected);
                assertThat(m.get("cumulative").get(i).asLong()).isEqualTo(cumulative);
                for (String arm : ARMS) {
                    assertThat(m.get("weeklyByArm").get(arm).get(i).asLong()).as(e.getKey() + " week " + week + " " + arm)
                            .isEqualTo(in.stream().filter(p -> weekOf(p.allocatedAt).equals(week) && p.arm.equals(arm)
                                    && seenByManager(p)).count());
                }
            }
            assertThat(cumulative).isEqualTo(in.size());
            checkProjection(m.get("projection"), e.getKey(), in, level, e.getValue());
        }
        for (var site : definition.sites()) {
            for (var area : site.areas()) {
                JsonNode a = unit(manager, "area", area.code());
                assertThat(a.get("randomised").asLong()).as(area.code())
                        .isEqualTo(randomised.stream().filter(p -> p.area.equals(area.code())).count());
                assertThat(a.get("byArm").isNull()).as("no arm split by area").isTrue();
            }
        }
    }

    private void checkProjection(JsonNode projection, String what, List<Person> in, String level, String code) {
        int target = definition.trialGroups().stream().filter(g -> switch (level) {
            case "site" -> g.site().equals(code);
            case "trial_group" -> g.code().equals(code);
            default -> true;
        }).mapToInt(TrialDefinition.TrialGroup::target).sum();
        LocalDate thisWeek = weekOf(Instant.now());
        LocalDate from = thisWeek.minusWeeks(8);
        long k = in.stream().filter(p -> !weekOf(p.allocatedAt).isBefore(from) && weekOf(p.allocatedAt).isBefore(thisWeek)).count();
        assertThat(projection.get("randomisedInWindow").asLong()).as(what).isEqualTo(k);
        assertThat(projection.get("windowWeeks").asDouble()).isEqualTo(8.0);
        assertThat(projection.get("remaining").asLong()).isEqualTo(target - in.size());
        double rate = k / 8.0;
        assertThat(projection.get("ratePerWeek").asDouble()).isCloseTo(rate, within(1e-9));
        // Exact Poisson limits through the chi-squared distribution: an independent route to the Gamma quantiles.
        double lower = k == 0 ? 0 : new ChiSquaredDistribution(2 * k).inverseCumulativeProbability(0.025) / 2 / 8;
        double upper = new ChiSquaredDistribution(2 * k + 2).inverseCumulativeProbability(0.975) / 2 / 8;
        assertThat(projection.get("rateLower").asDouble()).isCloseTo(lower, within(1e-6));
        assertThat(projection.get("rateUpper").asDouble()).isCloseTo(upper, within(1e-6));
        assertThat(lower).isLessThan(rate);
        assertThat(upper).isGreaterThan(rate);
        LocalDate day = LocalDate.now(TrialContext.TRIAL_ZONE);
        if (k > 0) {
            assertThat(LocalDate.parse(projection.get("projectedDate").asText()))
                    .isEqualTo(day.plusDays((long) Math.ceil((target - in.size()) / rate * 7)));
            assertThat(LocalDate.parse(projection.get("earliestDate").asText()))
                    .isEqualTo(day.plusDays((long) Math.ceil((target - in.size()) / upper * 7)));
        }
        // The demo trial's recruitment period ended in 2019: overdue, no weekly rate can finish on time.
        assertThat(projection.get("overdue").asBoolean()).isTrue();
        assertThat(projection.get("neededPerWeek").isNull()).isTrue();
    }

    static LocalDate weekOf(Instant instant) {
        LocalDate day = LocalDate.ofInstant(instant, TrialContext.TRIAL_ZONE);
        return day.minusDays(day.getDayOfWeek().getValue() - 1);
    }

    @Test
    void theConsortFlowMatchesTheLedgerPerTrialGroupSiteAndTrial() {
        for (String reader : List.of("manager", "statistician")) {
            var answer = api.get(reader, "/reports/consort");
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            for (JsonNode row : answer.body().get("rows")) {
                String level = row.get("level").asText();
                List<Person> in = LEDGER.stream().filter(p -> switch (level) {
                    case "trial_group" -> p.group.equals(row.get("trialGroup").asText(null)) && p.screened;
                    case "site" -> p.site.equals(row.get("site").asText());
                    default -> true;
                }).toList();
                String what = reader + " " + level + " " + row.get("site") + " " + row.get("trialGroup");
                List<Person> screened = in.stream().filter(p -> p.screened).toList();
                assertThat(row.get("screened").asLong()).as(what).isEqualTo(screened.size());
                assertThat(row.get("ineligible").asLong()).as(what).isEqualTo(screened.stream().filter(p -> !p.erased && !p.failed.isEmpty()).count());
                assertThat(row.get("eligible").asLong()).as(what)
                        .isEqualTo(screened.stream().filter(p -> p.erased ? p.arm != null : p.failed.isEmpty()).count());
                assertThat(row.get("erasedBeforeRandomisation").asLong()).as(what)
                        .isEqualTo(screened.stream().filter(p -> p.erased && p.arm == null).count());
                Map<String, Long> reasons = new TreeMap<>();
                screened.stream().filter(p -> !p.erased).forEach(p -> p.failed.forEach(r -> reasons.merge(r, 1L, Long::sum)));
                Map<String, Long> got = new TreeMap<>();
                row.get("ineligibleByReason").fields().forEachRemaining(f -> got.put(f.getKey(), f.getValue().asLong()));
                assertThat(got).as(what).isEqualTo(reasons);
                List<Person> eligible = screened.stream().filter(p -> p.failed.isEmpty()).toList();
                assertThat(row.get("screened").asLong()).isEqualTo(row.get("ineligible").asLong() + row.get("eligible").asLong()
                        + row.get("erasedBeforeRandomisation").asLong());
                assertThat(row.get("awaitingAgreement").asLong()).as(what)
                        .isEqualTo(eligible.stream().filter(p -> !p.erased && p.agreed == null).count());
                assertThat(row.get("declinedAgreement").asLong()).as(what)
                        .isEqualTo(eligible.stream().filter(p -> !p.erased && Boolean.FALSE.equals(p.agreed)).count());
                assertThat(row.get("agreed").asLong()).as(what)
                        .isEqualTo(eligible.stream().filter(p -> (!p.erased && Boolean.TRUE.equals(p.agreed)) || (p.erased && p.arm != null)).count());
                assertThat(row.get("randomised").asLong()).as(what).isEqualTo(in.stream().filter(p -> p.arm != null).count());
                for (String arm : ARMS) {
                    assertThat(row.get("randomisedByArm").get(arm).asLong()).as(what + " " + arm).isEqualTo(in.stream()
                            .filter(p -> arm.equals(p.arm) && (reader.equals("statistician") || seenByManager(p))).count());
                }
                assertThat(row.get("withdrawnService").asLong()).as(what)
                        .isEqualTo(in.stream().filter(p -> !p.erased && p.statuses.contains("withdrawn_service")).count());
                assertThat(row.get("withdrawnResearch").asLong()).as(what)
                        .isEqualTo(in.stream().filter(p -> !p.erased && p.statuses.contains("withdrawn_research")).count());
                assertThat(row.get("died").asLong()).as(what)
                        .isEqualTo(in.stream().filter(p -> !p.erased && p.statuses.contains("deceased")).count());
                assertThat(row.get("erased").asLong()).as(what).isEqualTo(in.stream().filter(p -> p.erased).count());
                assertThat(row.get("erasedRandomised").asLong()).as(what).isEqualTo(in.stream().filter(p -> p.erased && p.arm != null).count());
            }
        }
    }

    @Test
    void theConsortDiagramDrawsTheSameFiguresAsTheTableForEachReaderAndNoIdentifier() {
        int drawn = 0;
        for (String reader : List.of("manager", "statistician")) {
            JsonNode rows = api.get(reader, "/reports/consort").body().get("rows");
            for (JsonNode row : rows) {
                String level = row.get("level").asText();
                if (level.equals("site") || (level.equals("trial_group") && row.get("trialGroup").isNull())) {
                    continue; // diagrams are of the trial and of each trial group
                }
                String path = "/reports/consort.svg" + (level.equals("trial") ? "" : "?trialGroup=" + row.get("trialGroup").asText());
                var answer = api.get(reader, path);
                assertThat(answer.status()).as(reader + " " + path).isEqualTo(200);
                assertThat(answer.raw().headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
                assertThat(answer.raw().headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment; filename=\"consort-");
                ConsortSvg svg = ConsortSvg.read(answer.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                String what = reader + " " + path;
                for (String field : List.of("screened", "ineligible", "declinedAgreement", "awaitingAgreement", "erasedBeforeRandomisation",
                        "randomised", "withdrawnResearch", "died", "erasedRandomised", "withdrawnService")) {
                    assertThat(svg.figures().get(field)).as(what + " " + field).isEqualTo(row.get(field).asLong());
                }
                row.get("ineligibleByReason").fields().forEachRemaining(f ->
                        assertThat(svg.figures().get("ineligibleByReason." + f.getKey())).as(what + " " + f.getKey()).isEqualTo(f.getValue().asLong()));
                long split = 0;
                for (String arm : ARMS) {
                    assertThat(svg.figures().get("randomisedByArm." + arm)).as(what + " " + arm).isEqualTo(row.get("randomisedByArm").get(arm).asLong());
                    split += row.get("randomisedByArm").get(arm).asLong();
                }
                assertThat(svg.figures().get("excluded")).isEqualTo(row.get("screened").asLong() - row.get("randomised").asLong());
                assertThat(svg.figures().get("agreedNotRandomised")).isEqualTo(row.get("agreed").asLong() - row.get("randomised").asLong());
                assertThat(svg.figures().get("analysed")).isEqualTo(row.get("randomised").asLong() - row.get("erasedRandomised").asLong());
                if (reader.equals("manager")) {
                    assertThat(svg.figures().get("randomisedNotSplit")).as(what).isEqualTo(row.get("randomised").asLong() - split);
                }
                for (Person p : LEDGER) {
                    assertThat(answer.text()).as(what).doesNotContain(p.participantId);
                }
                drawn++;
            }
        }
        assertThat(drawn).isEqualTo(2 * (1 + definition.trialGroups().size()));
        // Today's randomisations: in the statistician's arm boxes, not yet in a manager's.
        long today = LEDGER.stream().filter(p -> p.arm != null && !seenByManager(p)).count();
        var manager = ConsortSvg.read(api.get("manager", "/reports/consort.svg").text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var statistician = ConsortSvg.read(api.get("statistician", "/reports/consort.svg").text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(manager.figures().get("randomisedNotSplit")).isEqualTo(today).isPositive();
        assertThat(statistician.figures().get("randomisedByArm.treatment") + statistician.figures().get("randomisedByArm.control"))
                .isEqualTo(manager.figures().get("randomisedByArm.treatment") + manager.figures().get("randomisedByArm.control") + today);
        var unknown = api.get("manager", "/reports/consort.svg?trialGroup=nowhere");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.text()).contains("trialGroup");
    }

    @Test
    void baselineBalanceMatchesTheAnswersGivenPerArmWithinEachGroup() {
        JsonNode balance = api.get("manager", "/reports/balance").body();
        for (JsonNode group : balance.get("groups")) {
            String code = group.get("trialGroup").asText();
            Map<String, List<Map<String, Object>>> answers = new HashMap<>();
            for (String arm : ARMS) {
                answers.put(arm, LEDGER.stream().filter(p -> code.equals(p.group) && arm.equals(p.arm) && !p.erased && seenByManager(p))
                        .map(p -> p.balanceItems).toList());
                assertThat(group.get("recruits").get(arm).asLong()).as(code + " " + arm).isEqualTo(answers.get(arm).size());
            }
            int checked = 0;
            for (JsonNode row : group.get("rows")) {
                String item = row.get("item").asText();
                String kind = row.get("kind").asText();
                Map<String, Double> percent = new HashMap<>();
                for (String arm : ARMS) {
                    List<Map<String, Object>> given = answers.get(arm);
                    String what = code + " " + item + " " + kind + " " + row.get("code") + " " + arm;
                    if (kind.equals("mean")) {
                        double[] values = given.stream().map(a -> ((Number) a.get(item)).doubleValue()).filter(v -> v >= 0)
                                .mapToDouble(Double::doubleValue).toArray();
                        assertThat(row.get("count").get(arm).asLong()).as(what).isEqualTo(values.length);
                        if (values.length > 1) {
                            double mean = java.util.Arrays.stream(values).average().orElseThrow();
                            double ss = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
                            assertThat(row.get("mean").get(arm).asDouble()).as(what).isCloseTo(mean, within(1e-9));
                            assertThat(row.get("sd").get(arm).asDouble()).as(what).isCloseTo(Math.sqrt(ss / (values.length - 1)), within(1e-9));
                        }
                    } else {
                        long expected = given.stream().filter(a -> has(a.get(item), kind.equals("missing") ? null : row.get("code").asInt())).count();
                        assertThat(row.get("count").get(arm).asLong()).as(what).isEqualTo(expected);
                        if (!given.isEmpty()) {
                            percent.put(arm, (double) expected / given.size());
                            assertThat(row.get("percent").get(arm).asDouble()).as(what).isCloseTo(100.0 * expected / given.size(), within(1e-9));
                        }
                    }
                }
                if (percent.size() == 2) {
                    double p1 = percent.get("treatment");
                    double p2 = percent.get("control");
                    double d = Math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / 2);
                    assertThat(row.get("standardisedDifference").asDouble()).as(code + " " + item)
                            .isCloseTo(d == 0 ? 0 : (p1 - p2) / d, within(1e-9));
                }
                checked++;
            }
            assertThat(checked).isGreaterThan(50);
            assertThat(group.get("rows").get(0).get("item").asText()).isEqualTo("age_at_randomisation");
            assertThat(group.get("rows").findValuesAsText("item")).contains("sex");
        }
    }

    /** Whether an answer (a code or a list of codes) holds a code; with a null code, any missing code. */
    static boolean has(Object answer, Integer code) {
        List<Integer> codes = answer instanceof List<?> list ? list.stream().map(x -> ((Number) x).intValue()).toList()
                : List.of(((Number) answer).intValue());
        return code == null ? codes.stream().anyMatch(c -> c == -8 || c == -9 || c == -1) : codes.contains(code);
    }

    @Test
    void theStatisticianSeesLiveArmCountsPerStratumWithIntactBlocksAndTheGuessRate() {
        JsonNode sequence = api.get("statistician", "/reports/sequence").body();
        assertThat(sequence.get("intact").asBoolean()).as(sequence.toString()).isTrue();
        for (JsonNode s : sequence.get("strata")) {
            String key = s.get("stratum").asText();
            // The ledger is in the order the test randomised (its clock jumps about; the sequence does not).
            List<Person> in = LEDGER.stream().filter(p -> key.equals(p.stratum)).toList();
            assertThat(s.get("allocations").asLong()).as(key).isEqualTo(in.size());
            for (String arm : ARMS) {
                assertThat(s.get("byArm").get(arm).asLong()).as(key + " " + arm).isEqualTo(in.stream().filter(p -> p.arm.equals(arm)).count());
            }
            assertThat(s.get("problems")).isEmpty();
            // Convergence guess for 1:1: guess the arm behind; half a point on a tie.
            double correct = 0;
            int treatment = 0;
            int control = 0;
            for (Person p : in) {
                if (treatment == control) {
                    correct += 0.5;
                } else if ((treatment < control) == p.arm.equals("treatment")) {
                    correct += 1;
                }
                if (p.arm.equals("treatment")) {
                    treatment++;
                } else {
                    control++;
                }
            }
            assertThat(s.get("correctGuesses").asDouble()).as(key).isCloseTo(correct, within(1e-9));
        }
    }

    @Test
    void onlyManagersAndTheStatisticianReadReportsAndOnlyTheStatisticianTheSequence() {
        for (String path : List.of("/reports/recruitment", "/reports/consort", "/reports/balance", "/reports/recruitment.csv",
                "/reports/recruitment-weekly.csv", "/reports/consort.csv", "/reports/consort.svg", "/reports/balance.csv")) {
            assertThat(api.get("manager", path).status()).as(path).isEqualTo(200);
            assertThat(api.get("statistician", path).status()).as(path).isEqualTo(200);
            for (String other : List.of("spec-a", "custodian", "fieldwork", "analyst", "admin")) {
                assertThat(api.get(other, path).status()).as(other + " " + path).isEqualTo(403);
            }
            assertThat(api.get(null, path).status()).isEqualTo(401);
        }
        for (String path : List.of("/reports/sequence", "/reports/sequence.csv")) {
            assertThat(api.get("statistician", path).status()).isEqualTo(200);
            assertThat(api.get("manager", path).status()).isEqualTo(403);
            assertThat(api.get("spec-a", path).status()).isEqualTo(403);
        }
        assertThat(api.get("manager", "/reports/recruitment?windowWeeks=0").status()).isEqualTo(422);
        for (String reader : List.of("spec-a", "manager", "statistician")) {
            assertThat(api.get(reader, "/reports/structure").status()).isEqualTo(200);
        }
        for (String other : List.of("custodian", "fieldwork", "analyst", "admin")) {
            assertThat(api.get(other, "/reports/structure").status()).isEqualTo(403);
        }
    }

    @Test
    void everyReportIsInTheOpenApiDocument() {
        JsonNode paths = api.get(null, "/openapi.json").body().get("paths");
        for (String path : List.of("/reports/structure", "/reports/recruitment", "/reports/recruitment.csv",
                "/reports/recruitment-weekly.csv", "/reports/consort", "/reports/consort.csv", "/reports/consort.svg", "/reports/balance",
                "/reports/balance.csv", "/reports/sequence", "/reports/sequence.csv")) {
            assertThat(paths.path(path).path("get").path("summary").asText()).as(path).isNotBlank();
        }
    }

    @Test
    void csvDownloadsCarryTheSameFiguresAsTheJson() {
        var csv = api.get("manager", "/reports/consort.csv");
        assertThat(csv.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        String[] lines = csv.text().split("\r\n");
        List<String> header = List.of(lines[0].split(","));
        List<String> trial = List.of(lines[1].split(",", -1));
        JsonNode json = api.get("manager", "/reports/consort").body().get("rows").get(0);
        assertThat(trial.get(header.indexOf("level"))).isEqualTo("trial");
        assertThat(trial.get(header.indexOf("screened"))).isEqualTo(json.get("screened").asText());
        assertThat(trial.get(header.indexOf("randomised_treatment_before_cutoff")))
                .isEqualTo(json.get("randomisedByArm").get("treatment").asText());
        assertThat(trial.get(header.indexOf("ineligible_over_18"))).isEqualTo(json.get("ineligibleByReason").get("over_18").asText());

        String recruitment = api.get("manager", "/reports/recruitment.csv").text();
        assertThat(recruitment.split("\r\n")[1]).startsWith("trial,all,");
        String sequence = api.get("statistician", "/reports/sequence.csv").text();
        assertThat(sequence.split("\r\n")).hasSize(1 + 3);
    }
}
