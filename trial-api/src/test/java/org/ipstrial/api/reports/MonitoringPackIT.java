package org.ipstrial.api.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.design.SecretFile;
import org.ipstrial.api.core.recruitment.FollowUpService;
import org.ipstrial.api.core.recruitment.RandomisationService;
import org.ipstrial.api.core.recruitment.RecruitmentService;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.ipstrial.config.DesignFile;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.definition.TrialDefinitionFile;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The monitoring pack read back with PDFBox's text extraction: its figures against the JSON
 * reports' figures for the same reader and cut-off, the baseline's completeness against the
 * test's own ledger, the closed part refused to those who may not read arms live, bad input
 * answered 422, and no identifier of anyone in either part.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class MonitoringPackIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("monitoring-pack"));
    static final long SEED = 18_2026_12_04L;
    static final Set<Integer> MISSING_CODES = Set.of(-8, -9, -1);
    static ApiClient api;
    static TrialDefinition definition;
    static LocalDate today;
    /** Everything identifying the test recorded: participant ids (both ways written), names, numbers, postcodes. */
    static final List<String> IDENTIFIERS = new ArrayList<>();
    /** Site of each randomised recruit still on record, with their baseline answers. */
    static final List<Map.Entry<String, Map<String, Object>>> BASELINES = new ArrayList<>();
    /** Every recruit the test made, with what happened to them and when. */
    static final List<Recruited> RECRUITED = new ArrayList<>();
    /** Randomised recruits still on record: site, day randomised, and the day each wave's interview was done. */
    static final List<Surveyed> SURVEYED = new ArrayList<>();
    static List<org.ipstrial.api.core.followup.SurveyWave> waves;

    /**
     * One recruit: screened, agreed and (fate 2 and up) randomised at {@code when}; fate 0
     * ineligible, 1 awaiting agreement, 3 withdrawn from research and 4 died at {@code statusAt}
     * (when those were recorded), 5 erased.
     */
    record Recruited(String site, String group, Instant when, int fate, Instant statusAt, String arm) {}

    record Surveyed(String site, String arm, LocalDate randomisedOn, Map<String, LocalDate> doneOn) {}

    @BeforeAll
    static void recruitOverFiveWeeks() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
        TrialConfiguration config = APP.getConfiguration();
        definition = TrialDefinitionFile.load(Path.of(config.getTrial().getDefinitionFile()));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        today = LocalDate.now(TrialContext.TRIAL_ZONE);
        Instant startOfToday = today.atStartOfDay(TrialContext.TRIAL_ZONE).toInstant();
        MutableClock clock = new MutableClock(now);
        TrialContext trial = new TrialContext(definition, DesignFile.read(Path.of(config.getTrial().getDesignFile())),
                SecretFile.read(Path.of(config.getTrial().getSecretFile())), clock);
        Jdbi jdbi = TestService.jdbi(APP);
        RecruitmentService recruitment = new RecruitmentService(jdbi, trial);
        RandomisationService randomisation = new RandomisationService(jdbi, trial);
        FollowUpService followUp = new FollowUpService(jdbi, trial, recruitment);
        waves = config.getFollowUp().getWaves();
        var schedule = new org.ipstrial.api.core.followup.FollowUpSchedule(jdbi, trial, config.getFollowUp());
        TrialUser fieldwork = ReportFiguresIT.user(jdbi, "fieldwork", Role.fieldwork, null);
        TrialUser specA = ReportFiguresIT.user(jdbi, "spec-a", Role.specialist, "A");
        TrialUser specB = ReportFiguresIT.user(jdbi, "spec-b", Role.specialist, "B");
        TrialUser manager = ReportFiguresIT.user(jdbi, "manager", Role.manager, null);
        Random random = new Random(SEED);
        System.out.println("MonitoringPackIT seed " + SEED);
        List<TrialDefinition.TrialGroup> groups = definition.trialGroups();
        for (int i = 0; i < 48; i++) {
            // Most on past days over five weeks; the last eight today (after asOf = yesterday, and split for the statistician only).
            Instant when = i < 40 ? startOfToday.minus(Duration.ofHours(1 + random.nextInt(35 * 24))) : now.minusSeconds(60 - i);
            if (i >= 40 && when.isBefore(startOfToday)) {
                when = startOfToday.plusSeconds(i);
            }
            clock.set(when);
            var group = groups.get(random.nextInt(groups.size()));
            var site = definition.site(group.site()).orElseThrow();
            TrialUser specialist = site.code().equals("A") ? specA : specB;
            String area = site.areas().get(random.nextInt(site.areas().size())).code();
            String pid = created(recruitment, specialist, site.code(), area);
            Map<String, Boolean> answers = new HashMap<>(Recruits.eligibleAnswers(group.code()));
            int fate = random.nextInt(12);
            boolean statusRecorded = i < 40 && (fate == 3 || fate == 4);
            if (fate == 0) {
                RECRUITED.add(new Recruited(site.code(), group.code(), when, fate, null, null));
                answers.put("over_18", false);
                recruitment.screen(specialist, pid, new RecruitRequests.Screening(group.code(), answers));
                continue;
            }
            recruitment.screen(specialist, pid, new RecruitRequests.Screening(group.code(), answers));
            if (fate == 1) {
                RECRUITED.add(new Recruited(site.code(), group.code(), when, fate, null, null));
                continue; // awaiting agreement
            }
            agreedAndIdentified(recruitment, specialist, pid, random);
            Map<String, Object> baseline = Recruits.baseline(random);
            if (fate == 2) {
                baseline.put("housing_tenure", -1); // not applicable: a missing code
            }
            recruitment.recordBaseline(specialist, pid, new RecruitRequests.Baseline(baseline));
            String arm = randomisation.randomise(specialist, pid, Optional.of("pack-" + pid)).arm();
            RECRUITED.add(new Recruited(site.code(), group.code(), when, fate, statusRecorded ? when.plusSeconds(60) : null, arm));
            if (i < 40 && fate == 3) {
                clock.set(when.plusSeconds(60));
                followUp.recordStatus(manager, pid, new RecruitRequests.StatusChange("withdrawn_research",
                        LocalDate.ofInstant(when, TrialContext.TRIAL_ZONE).toString(), "no more contact"));
            } else if (i < 40 && fate == 4) {
                clock.set(when.plusSeconds(60));
                followUp.recordStatus(manager, pid, new RecruitRequests.StatusChange("deceased",
                        LocalDate.ofInstant(when, TrialContext.TRIAL_ZONE).toString(), "reported by family"));
            } else if (fate == 5) {
                clock.set(when.plusSeconds(120));
                followUp.erase(manager, pid, new RecruitRequests.Erasure(LocalDate.ofInstant(when, TrialContext.TRIAL_ZONE).toString(),
                        "participant_request", true));
                continue;
            }
            BASELINES.add(Map.entry(site.code(), baseline));
            SURVEYED.add(new Surveyed(site.code(), arm, LocalDate.ofInstant(when, TrialContext.TRIAL_ZONE), Map.of()));
        }
        // An earlier cohort, randomised 3 to 15 months ago (or since the design took effect), so that survey windows have opened and closed;
        // some interviews done on their target day, by fieldwork on that day.
        for (int i = 0; i < 24; i++) {
            // Not before the demo design's first version takes effect (config/randomisation-demo.yml: 2026-01-05).
            LocalDate day = today.minusDays(90 + random.nextInt(365));
            if (day.isBefore(LocalDate.of(2026, 1, 6))) {
                day = LocalDate.of(2026, 1, 6).plusDays(random.nextInt(30));
            }
            Instant when = day.atTime(10, random.nextInt(60)).atZone(TrialContext.TRIAL_ZONE).toInstant();
            clock.set(when);
            var group = groups.get(random.nextInt(groups.size()));
            var site = definition.site(group.site()).orElseThrow();
            TrialUser specialist = site.code().equals("A") ? specA : specB;
            String pid = created(recruitment, specialist, site.code(), site.areas().get(0).code());
            recruitment.screen(specialist, pid, new RecruitRequests.Screening(group.code(), Recruits.eligibleAnswers(group.code())));
            agreedAndIdentified(recruitment, specialist, pid, random);
            Map<String, Object> baseline = Recruits.baseline(random);
            recruitment.recordBaseline(specialist, pid, new RecruitRequests.Baseline(baseline));
            String arm = randomisation.randomise(specialist, pid, Optional.of("pack-" + pid)).arm();
            RECRUITED.add(new Recruited(site.code(), group.code(), when, 2, null, arm));
            BASELINES.add(Map.entry(site.code(), baseline));
            Map<String, LocalDate> done = new LinkedHashMap<>();
            for (var wave : waves) {
                LocalDate target = wave.windowFor(day).target();
                if (target.isBefore(today) && random.nextInt(3) > 0) {
                    clock.set(target.atTime(15, 0).atZone(TrialContext.TRIAL_ZONE).toInstant());
                    schedule.recordDone(fieldwork, pid, wave.code(), new org.ipstrial.api.api.FollowUpRequests.WaveDone(target.toString(),
                            random.nextBoolean() ? "manual" : "agency_return"));
                    done.put(wave.code(), target);
                }
            }
            SURVEYED.add(new Surveyed(site.code(), arm, day, done));
        }
        clock.set(now);
        assertThat(SURVEYED.stream().filter(s -> !s.doneOn().isEmpty()).count()).isPositive();
    }

    /** A new recruit; its participant identifier, both ways written, goes into the identifiers the pack may not show. */
    static String created(RecruitmentService recruitment, TrialUser specialist, String site, String area) {
        String pid = recruitment.create(specialist, new RecruitRequests.NewRecruit(site, area)).participantId();
        IDENTIFIERS.add(pid);
        IDENTIFIERS.add(pid.substring(0, 4) + "-" + pid.substring(4));
        return pid;
    }

    /** Agreement to everything and made-up identifiers, which go into the identifiers the pack may not show. */
    static void agreedAndIdentified(RecruitmentService recruitment, TrialUser specialist, String pid, Random random) {
        recruitment.agree(specialist, pid, new RecruitRequests.Agreement("agree-3", Recruits.agreeAll()));
        Map<String, Object> identity = Recruits.identity(random);
        for (String field : List.of("nationalInsuranceNumber", "nhsNumber", "givenName", "familyName", "postcode", "phone", "email")) {
            IDENTIFIERS.add((String) identity.get(field));
        }
        recruitment.recordIdentity(specialist, pid, Recruits.identityRequest(identity));
    }

    /**
     * As of a past day, the flow, withdrawals and deaths are those recorded by its end, counted from
     * the test's own ledger; erasures are as recorded now (all of the test's are).
     */
    @Test
    void aPastDaysPackCountsScreeningAgreementAndStatusesRecordedByThen() throws Exception {
        LocalDate day = today.minusDays(17);
        String text = pdfText(download("manager", "?asOf=" + day));
        checkFlowAsOf(text, day);
        // Some of it happened after the day: the cut is not the same as now.
        Instant until = day.plusDays(1).atStartOfDay(TrialContext.TRIAL_ZONE).toInstant();
        assertThat(RECRUITED.stream().filter(r -> r.fate() != 5 && !r.when().isBefore(until)).count()).isPositive();
        checkSurveys(text, day, false);
    }

    /** The flow, withdrawals and deaths of the whole trial and each site as of a day, from the test's ledger. */
    static void checkFlowAsOf(String text, LocalDate day) {
        Instant until = day.plusDays(1).atStartOfDay(TrialContext.TRIAL_ZONE).toInstant();
        String flow = between(text, "2. CONSORT flow", "3. Withdrawals");
        String statuses = between(text, "3. Withdrawals", "4. Data completeness");
        List<String> units = new ArrayList<>();
        units.add(null);
        definition.sites().forEach(s -> units.add(s.code()));
        for (String unit : units) {
            long screened = 0, ineligible = 0, awaiting = 0, agreed = 0, randomised = 0, withdrawn = 0, died = 0, erased = 0;
            for (Recruited r : RECRUITED) {
                if (unit != null && !r.site().equals(unit)) {
                    continue;
                }
                boolean byThen = r.when().isBefore(until);
                if (r.fate() == 5) {
                    erased++;
                    screened++;
                    agreed++;
                    randomised += byThen ? 1 : 0;
                    continue;
                }
                if (!byThen) {
                    continue;
                }
                screened++;
                switch (r.fate()) {
                    case 0 -> ineligible++;
                    case 1 -> awaiting++;
                    default -> {
                        agreed++;
                        randomised++;
                    }
                }
                if (r.statusAt() != null && r.statusAt().isBefore(until)) {
                    if (r.fate() == 3) {
                        withdrawn++;
                    } else {
                        died++;
                    }
                }
            }
            String label = unit == null ? "Whole trial" : "Site " + unit;
            assertThat(lines(flow)).as(flow).contains(label + " " + screened + " " + ineligible + " " + (screened - ineligible) + " 0 " + awaiting
                    + " 0 " + agreed + " " + randomised);
            assertThat(lines(statuses)).as(statuses).contains(label + " 0 " + withdrawn + " " + died + " " + erased + " " + erased);
        }
    }

    @Test
    void theClosedPartSplitsTheStatisticiansLiveFiguresByArm() throws Exception {
        byte[] pdf = download("statistician", "?part=closed&asOf=" + today);
        // Kept for a look by hand (docs/monitoring-pack.md shows its first page).
        java.nio.file.Files.write(Path.of("target", "monitoring-pack-closed.pdf"), pdf);
        String text = pdfText(pdf);
        JsonNode recruitment = api.get("statistician", "/reports/recruitment").body();
        JsonNode consort = api.get("statistician", "/reports/consort").body();
        JsonNode balance = api.get("statistician", "/reports/balance").body();
        List<String> arms = arms(recruitment);
        assertThat(text).contains("CLOSED PART, by arm", "As of " + today);
        String section = between(text, "1. Recruitment against target", "2. CONSORT flow");
        for (JsonNode unit : recruitment.path("units")) {
            if (unit.path("level").asText().equals("area")) {
                continue;
            }
            long randomised = unit.path("randomised").asLong();
            assertThat(sum(unit.path("byArm"), arms)).isEqualTo(randomised); // live: every allocation is split
            String expected = unitLabel(unit) + " " + unit.path("name").asText() + " " + unit.path("target").asInt() + " " + randomised + " "
                    + percent(100.0 * randomised / unit.path("target").asInt()) + " " + unit.path("recruitmentStart").asText() + " to "
                    + unit.path("recruitmentEnd").asText() + " " + perArm(unit.path("byArm"), arms);
            assertThat(lines(section)).as(section).contains(expected);
        }
        String flow = between(text, "2. CONSORT flow", "3. Withdrawals");
        for (JsonNode box : consort.path("rows")) {
            assertThat(lines(flow)).as(flow).contains(consortLine(box, sum(box.path("randomisedByArm"), arms)) + " "
                    + perArm(box.path("randomisedByArm"), arms));
        }
        checkWithdrawals(text, consort);
        String balanceText = text.substring(text.indexOf("5. Baseline balance by arm"));
        Map<String, String> labels = armLabels();
        for (JsonNode group : balance.path("groups")) {
            long total = sum(group.path("recruits"), arms);
            assertThat(lines(balanceText)).contains(group.path("name").asText() + " (" + group.path("trialGroup").asText() + "): " + total
                    + " randomised with a baseline, " + labels.get(arms.get(0)) + " " + group.path("recruits").path(arms.get(0)).asLong()
                    + ", " + labels.get(arms.get(1)) + " " + group.path("recruits").path(arms.get(1)).asLong());
        }
        assertThat(total(balance, arms)).isEqualTo(BASELINES.size());
        checkCompleteness(text);
        checkSurveys(text, today, true);
        checkStatusesByArm(text, arms);
        assertNoIdentifier(text);
    }

    @Test
    void theOpenPartPoolsAManagersFiguresUpToTheEndOfAsOf() throws Exception {
        JsonNode recruitment = api.get("manager", "/reports/recruitment").body();
        JsonNode consort = api.get("manager", "/reports/consort").body();
        List<String> arms = arms(recruitment);
        // Yesterday: the manager's own cut-off (the start of today), so the pooled figures are their arm splits summed.
        LocalDate yesterday = today.minusDays(1);
        String text = pdfText(download("manager", "?asOf=" + yesterday));
        assertThat(text).contains("OPEN PART: pooled across arms", "As of " + yesterday);
        assertOpen(text);
        String section = between(text, "1. Recruitment against target", "2. CONSORT flow");
        for (JsonNode unit : recruitment.path("units")) {
            if (!unit.path("level").asText().equals("area")) {
                long pooled = sum(unit.path("byArm"), arms);
                assertThat(lines(section)).as(section).anyMatch(l -> l.startsWith(unitLabel(unit) + " ")
                        && l.contains(" " + unit.path("target").asInt() + " " + pooled + " " + percent(100.0 * pooled / unit.path("target").asInt()) + " "));
            }
        }
        // Screening, agreement and statuses as recorded by the end of yesterday: today's are not in it (the JSON's are).
        checkFlowAsOf(text, yesterday);
        String flow = between(text, "2. CONSORT flow", "3. Withdrawals");
        JsonNode trialBox = consort.path("rows").get(0);
        assertThat(lines(flow)).as(flow).anyMatch(l -> l.startsWith("Whole trial ") && l.endsWith(" " + sum(trialBox.path("randomisedByArm"), arms)));
        assertNoIdentifier(text);

        // Today: every allocation so far, pooled, which is the reports' live total (today's allocations are in it).
        byte[] open = download("manager", "");
        java.nio.file.Files.write(Path.of("target", "monitoring-pack-open.pdf"), open);
        String now = pdfText(open);
        assertOpen(now);
        JsonNode trialUnit = recruitment.path("units").get(0);
        assertThat(trialUnit.path("level").asText()).isEqualTo("trial");
        long live = trialUnit.path("randomised").asLong();
        assertThat(live).isGreaterThan(sum(trialUnit.path("byArm"), arms)); // some were randomised today
        String nowFlow = between(now, "2. CONSORT flow", "3. Withdrawals");
        for (JsonNode box : consort.path("rows")) {
            assertThat(lines(nowFlow)).contains(consortLine(box, box.path("randomised").asLong()));
        }
        assertThat(lines(between(now, "1. Recruitment against target", "2. CONSORT flow")))
                .anyMatch(l -> l.startsWith("Whole trial ") && l.contains(" " + trialUnit.path("target").asInt() + " " + live + " "));
        checkWithdrawals(now, consort);
        checkCompleteness(now);
        checkSurveys(now, today, false);
        assertNoIdentifier(now);
        // The statistician's open part is the same pooled document.
        assertOpen(pdfText(download("statistician", "?part=open")));
    }

    @Test
    void theClosedPartIsTheStatisticiansAlone() throws Exception {
        for (String user : List.of("manager")) {
            var answer = raw(user, "?part=closed");
            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(new String(answer.body())).contains("forbidden");
        }
        for (String user : List.of("spec-a", "custodian", "fieldwork", "analyst", "admin")) {
            assertThat(raw(user, "").statusCode()).as(user).isEqualTo(403);
            assertThat(raw(user, "?part=closed").statusCode()).as(user).isEqualTo(403);
        }
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/reports/monitoring-pack.pdf")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void aBadAsOfOrPartIsRefusedNamingIt() throws Exception {
        LocalDate start = definition.trialGroups().stream().map(TrialDefinition.TrialGroup::recruitmentStart).min(LocalDate::compareTo).orElseThrow();
        for (String query : List.of("?asOf=" + today.plusDays(1), "?asOf=" + start.minusDays(1), "?asOf=yesterday", "?asOf=2026-02-30",
                "?part=closed&asOf=" + today.plusYears(1))) {
            var answer = api.get("statistician", "/reports/monitoring-pack.pdf" + query);
            assertThat(answer.status()).as(query).isEqualTo(422);
            assertThat(answer.body().path("fieldErrors").get(0).path("field").asText()).as(query).isEqualTo("asOf");
        }
        var part = api.get("manager", "/reports/monitoring-pack.pdf?part=everything");
        assertThat(part.status()).isEqualTo(422);
        assertThat(part.body().path("fieldErrors").get(0).path("field").asText()).isEqualTo("part");
        // The first day of recruitment is allowed, and has nobody randomised yet.
        assertThat(raw("manager", "?asOf=" + start).statusCode()).isEqualTo(200);
    }

    /** Completeness per site against the test's own ledger of baseline answers. */
    static void checkCompleteness(String text) {
        String section = between(text, "4. Data completeness by site", "5. Baseline");
        List<TrialDefinition.BaselineItem> items = definition.baseline().items();
        for (var site : definition.sites()) {
            long recruits = 0;
            long answered = 0;
            for (var entry : BASELINES) {
                if (!entry.getKey().equals(site.code())) {
                    continue;
                }
                recruits++;
                for (var item : items) {
                    Object value = entry.getValue().get(item.id());
                    boolean missing = value == null || (value instanceof Integer code && MISSING_CODES.contains(code))
                            || (value instanceof List<?> codes && codes.stream().allMatch(MISSING_CODES::contains));
                    answered += missing ? 0 : 1;
                }
            }
            long expected = recruits * items.size();
            assertThat(lines(section)).as(section).contains("Site " + site.code() + " " + site.name() + " " + recruits + " " + items.size() + " "
                    + expected + " " + answered + " " + (expected == 0 ? "" : percent(100.0 * answered / expected)).trim());
        }
    }

    /** The closed part's withdrawals and deaths per unit and arm, against the test's ledger (all recorded before today ends). */
    static void checkStatusesByArm(String text, List<String> arms) {
        String section = between(text, "Withdrawals and deaths by arm", "4. Data completeness");
        List<String> units = new ArrayList<>();
        units.add(null);
        definition.sites().forEach(s -> units.add(s.code()));
        List<String> columns = new ArrayList<>(arms);
        columns.add(null);
        long seen = 0;
        for (String unit : units) {
            for (String arm : columns) {
                long withdrawn = RECRUITED.stream().filter(r -> r.statusAt() != null && r.fate() == 3 && (unit == null || r.site().equals(unit))
                        && java.util.Objects.equals(arm, r.arm())).count();
                long died = RECRUITED.stream().filter(r -> r.statusAt() != null && r.fate() == 4 && (unit == null || r.site().equals(unit))
                        && java.util.Objects.equals(arm, r.arm())).count();
                seen += withdrawn + died;
                assertThat(lines(section)).as(section).contains((unit == null ? "Whole trial" : "Site " + unit) + " "
                        + (arm == null ? "not randomised" : armLabels().get(arm)) + " 0 " + withdrawn + " " + died);
            }
        }
        assertThat(seen).isPositive();
    }

    /**
     * Each wave's completeness per site (and per arm in the closed part) as of a day, against the
     * test's ledger of who was randomised when, to which arm, and interviewed when.
     */
    static void checkSurveys(String text, LocalDate asOf, boolean closedPart) {
        String section = between(text, "Follow-up surveys", "5. Baseline");
        long seen = 0;
        List<String> columns = new ArrayList<>();
        columns.add(null);
        if (closedPart) {
            columns.addAll(armLabels().keySet());
        }
        for (var wave : waves) {
            for (var site : definition.sites()) {
                for (String arm : columns) {
                    long[] n = surveyed(wave, site.code(), arm, asOf); // opened, interviewed, closed, interviewed of closed
                    seen += n[0];
                    String armCell = closedPart ? (arm == null ? "all " : armLabels().get(arm) + " ") : "";
                    assertThat(lines(section)).as(section).contains("Wave " + wave.code() + " Site " + site.code() + " " + site.name() + " "
                            + armCell + n[0] + " " + n[1] + " " + (n[0] == 0 ? "" : percent(100.0 * n[1] / n[0]) + " ") + n[2] + " " + n[3]
                            + (n[2] == 0 ? "" : " " + percent(100.0 * n[3] / n[2])));
                }
            }
        }
        assertThat(seen).isPositive();
    }

    /** From the ledger: recruits of a site (and arm, or all) whose window opened by a day, interviewed; whose window closed, interviewed. */
    static long[] surveyed(org.ipstrial.api.core.followup.SurveyWave wave, String site, String arm, LocalDate asOf) {
        long[] n = new long[4];
        for (Surveyed s : SURVEYED) {
            if (!s.site().equals(site) || (arm != null && !arm.equals(s.arm()))) {
                continue;
            }
            var window = wave.windowFor(s.randomisedOn());
            LocalDate doneOn = s.doneOn().get(wave.code());
            boolean done = doneOn != null && !doneOn.isAfter(asOf);
            if (!window.opens().isAfter(asOf) || done) {
                n[0]++;
                n[1] += done ? 1 : 0;
            }
            if (window.closes().isBefore(asOf)) {
                n[2]++;
                n[3] += done ? 1 : 0;
            }
        }
        return n;
    }

    static void checkWithdrawals(String text, JsonNode consort) {
        String section = between(text, "3. Withdrawals", "4. Data completeness");
        for (JsonNode box : consort.path("rows")) {
            if (!box.path("level").asText().equals("trial_group")) {
                assertThat(lines(section)).as(section).contains(boxLabel(box) + " " + box.path("withdrawnService").asLong() + " "
                        + box.path("withdrawnResearch").asLong() + " " + box.path("died").asLong() + " " + box.path("erased").asLong() + " "
                        + box.path("erasedRandomised").asLong());
            }
        }
        JsonNode trial = consort.path("rows").get(0);
        assertThat(trial.path("died").asLong() + trial.path("withdrawnResearch").asLong() + trial.path("erased").asLong()).isPositive();
    }

    static String consortLine(JsonNode box, long randomised) {
        return boxLabel(box) + " " + box.path("screened").asLong() + " " + box.path("ineligible").asLong() + " " + box.path("eligible").asLong() + " "
                + box.path("erasedBeforeRandomisation").asLong() + " " + box.path("awaitingAgreement").asLong() + " "
                + box.path("declinedAgreement").asLong() + " " + box.path("agreed").asLong() + " " + randomised;
    }

    /** Nothing split by arm: no arm's words anywhere, no per-arm heading. */
    static void assertOpen(String text) {
        assertThat(text).contains("OPEN PART");
        for (String label : armLabels().values()) {
            assertThat(text).doesNotContain(label);
        }
        assertThat(text).doesNotContain("Std. difference").doesNotContain("CLOSED");
    }

    static void assertNoIdentifier(String text) {
        assertThat(IDENTIFIERS).hasSizeGreaterThan(100);
        for (String identifier : IDENTIFIERS) {
            assertThat(text).doesNotContain(identifier);
        }
    }

    static Map<String, String> armLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        definition.arms().labels().forEach(labels::put);
        return labels;
    }

    static List<String> arms(JsonNode report) {
        List<String> arms = new ArrayList<>();
        report.path("arms").forEach(a -> arms.add(a.asText()));
        assertThat(arms).hasSize(2);
        return arms;
    }

    static long total(JsonNode balance, List<String> arms) {
        long n = 0;
        for (JsonNode g : balance.path("groups")) {
            n += sum(g.path("recruits"), arms);
        }
        return n;
    }

    static long sum(JsonNode byArm, List<String> arms) {
        return arms.stream().mapToLong(a -> byArm.path(a).asLong()).sum();
    }

    static String perArm(JsonNode byArm, List<String> arms) {
        return byArm.path(arms.get(0)).asLong() + " " + byArm.path(arms.get(1)).asLong();
    }

    static String unitLabel(JsonNode unit) {
        return switch (unit.path("level").asText()) {
            case "trial" -> "Whole trial";
            case "site" -> "Site " + unit.path("code").asText();
            default -> "Group " + unit.path("code").asText();
        };
    }

    static String boxLabel(JsonNode box) {
        return switch (box.path("level").asText()) {
            case "trial" -> "Whole trial";
            case "site" -> "Site " + box.path("site").asText();
            default -> box.path("trialGroup").isNull() ? "Site " + box.path("site").asText() + ", erased unscreened"
                    : "Group " + box.path("trialGroup").asText();
        };
    }

    static String percent(double value) {
        return String.format(Locale.UK, "%.1f%%", value);
    }

    static List<String> lines(String text) {
        return text.lines().map(l -> l.replaceAll("\\s+", " ").trim()).toList();
    }

    static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        int end = text.indexOf(to, start);
        assertThat(start).as(from).isNotNegative();
        assertThat(end).as(to).isGreaterThan(start);
        return text.substring(start, end);
    }

    static String base() {
        return "http://localhost:" + APP.getLocalPort() + "/api/v1";
    }

    static HttpResponse<byte[]> raw(String user, String query) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/reports/monitoring-pack.pdf" + query))
                .header("Authorization", "Bearer " + api.token(user)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] download(String user, String query) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = raw(user, query);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;").contains("monitoring-pack-");
        return r.body();
    }

    static String pdfText(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            return stripper.getText(document) + "\n" + document.getDocumentInformation().getTitle();
        }
    }
}
