package org.ipstrial.api.randomisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.core.randomisation.StratumTotals;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.ipstrial.randomiser.MarginalTotals;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationFactor;
import org.ipstrial.randomiser.MinimisedAllocation;
import org.ipstrial.randomiser.Stratum;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The service under the minimisation demo design (config/randomisation-minimisation-demo.yml:
 * stratified by site, minimising over gender, dependent children and qualification), through the
 * real API on a real PostgreSQL: every arm is the one the library's rule gives from the secret, the
 * recorded levels and the totals of the rows before it; levels that are missing or not of the
 * design are refused; the statistician's verification catches a changed arm, level or version.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class MinimisationServiceIT {
    static final String DESIGN = "../config/randomisation-minimisation-demo.yml";
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("minimisation"),
            ConfigOverride.config("trial.designFile", DESIGN));
    static final String[][] PLACES = {{"A", "A-north", "A-OOW"}, {"A", "A-south", "A-IW"}, {"B", "B-central", "B-OOW"}};

    /** One allocation as recorded, with the participant it went to. */
    record Row(String participantId, String stratum, long sequence, int version, Map<String, String> levels, String arm,
            Instant allocatedAt, String seal) {}

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
    }

    static Map<String, Object> baseline(Random random, int gender, int children, int qualification) {
        Map<String, Object> answers = new HashMap<>(Recruits.baseline(random));
        answers.put("gender", gender);
        answers.put("dependent_children", children);
        answers.put("qualification", qualification);
        return answers;
    }

    /** Randomises a ready recruit with these answers; returns participant id and the arm the API answered. */
    static String[] randomise(ApiClient api, Random random, String[] place, Map<String, Object> answers) {
        String specialist = place[0].equals("A") ? "spec-a" : "spec-b";
        String pid = Recruits.ready(api, specialist, place[0], place[1], place[2], Recruits.identity(random), answers);
        var allocated = api.post(specialist, "/randomisations", Map.of("participantId", pid));
        assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
        return new String[] {pid, allocated.body().get("arm").asText()};
    }

    static List<Row> recorded() {
        MinimisationDesign design = TestService.trial(APP).minimisation().orElseThrow();
        return TestService.ownerJdbi(APP).withHandle(h -> h.createQuery("""
                SELECT r.participant_id, a.stratum_key, a.sequence, a.design_version, a.factor_levels::text, a.arm, a.allocated_at, a.seal
                FROM allocation a JOIN recruit r ON r.person_key = a.person_key ORDER BY a.stratum_key, a.sequence""")
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
                        StratumTotals.levels(design, rs.getString(5)), rs.getString(6),
                        rs.getObject(7, java.time.OffsetDateTime.class).toInstant(), rs.getString(8)))
                .list());
    }

    @Test
    void everyArmIsTheLibrarysRuleAppliedToTheRecordedLevelsAndTheTotalsBeforeIt(TestInfo test) {
        Random random = TestService.seededRandom(test);
        ApiClient api = TestService.client(APP);
        Map<String, String> told = new LinkedHashMap<>();
        Map<String, Map<String, String>> sent = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            int gender = 1 + random.nextInt(3);
            int children = 1 + random.nextInt(2);
            int qualification = 1 + random.nextInt(7);
            String[] result = randomise(api, random, PLACES[random.nextInt(PLACES.length)], baseline(random, gender, children, qualification));
            told.put(result[0], result[1]);
            sent.put(result[0], Map.of("gender", "" + gender, "dependent_children", "" + children, "qualification", "" + qualification));
        }

        TrialContext trial = TestService.trial(APP);
        MinimisationDesign design = trial.minimisation().orElseThrow();
        Map<String, MarginalTotals> totals = new LinkedHashMap<>();
        Map<MinimisedAllocation.Decision, Integer> decisions = new HashMap<>();
        int checked = 0;
        for (Row row : recorded()) {
            MarginalTotals before = totals.computeIfAbsent(row.stratum(), k -> new MarginalTotals(design));
            assertThat(row.sequence()).as("sequence of %s", row.participantId()).isEqualTo(before.allocations() + 1);
            assertThat(row.version()).isEqualTo(design.versionInForceAt(row.allocatedAt()).number());
            MinimisedAllocation expected = trial.minimiser().allocate(design, design.version(row.version()), Stratum.parse(row.stratum()),
                    row.sequence(), row.levels(), before);
            assertThat(row.arm()).as("arm of %s in %s #%d", row.participantId(), row.stratum(), row.sequence()).isEqualTo(expected.arm());
            assertThat(row.seal()).isEqualTo(expected.seal());
            before.add(row.levels(), row.arm());
            if (told.containsKey(row.participantId())) {
                assertThat(row.levels()).as("levels recorded for %s", row.participantId()).isEqualTo(sent.get(row.participantId()));
                assertThat(row.arm()).as("the arm the API answered").isEqualTo(told.get(row.participantId()));
                decisions.merge(expected.decision(), 1, Integer::sum);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(30);
        assertThat(decisions).as("the sequence exercised the minimising arm").containsKey(MinimisedAllocation.Decision.MINIMISING_ARM);
        System.out.println("MinimisationServiceIT: decisions " + decisions);

        // The lock rows carry exactly the replayed totals, in the design's order.
        TestService.ownerJdbi(APP).useHandle(h -> totals.forEach((stratum, t) -> {
            Long[] flat = h.createQuery("SELECT marginal_totals FROM stratum_lock WHERE stratum_key = :k").bind("k", stratum)
                    .map((rs, ctx) -> (Long[]) rs.getArray(1).getArray()).one();
            List<Long> expected = new ArrayList<>();
            for (MinimisationFactor factor : design.factors()) {
                for (String level : factor.levels()) {
                    for (String arm : design.arms()) {
                        expected.add(t.count(factor.name(), level, arm));
                    }
                }
            }
            assertThat(flat).as("totals of stratum %s", stratum).containsExactlyElementsOf(expected);
        }));

        // A retry is told the same arm and allocates nothing new.
        String first = told.keySet().iterator().next();
        String specialist = recorded().stream().filter(r -> r.participantId().equals(first)).findFirst().orElseThrow().stratum()
                .equals("A") ? "spec-a" : "spec-b";
        var again = api.post(specialist, "/randomisations", Map.of("participantId", first));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("arm").asText()).isEqualTo(told.get(first));
    }

    @Test
    void aLevelMissingOrNotOfTheDesignIsRefusedNamingTheFactorAndWritesNothing(TestInfo test) {
        Random random = TestService.seededRandom(test);
        ApiClient api = TestService.client(APP);
        String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", Recruits.identity(random), baseline(random, -9, 1, -8));
        var before = TestService.everyRow(APP);
        var refused = api.post("spec-a", "/randomisations", Map.of("participantId", pid));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("minimisation_factor_missing");
        assertThat(refused.body().get("fieldErrors")).extracting(f -> f.get("field").asText())
                .containsExactly("baseline.gender", "baseline.qualification");
        assertThat(refused.body().get("fieldErrors").get(0).get("message").asText())
                .isEqualTo("is -9: minimisation factor gender needs one of its levels [1, 2, 3]");
        TestService.assertUnchanged(APP, before);

        // Corrected, the same recruit is randomised.
        var corrected = api.put("spec-a", "/recruits/" + pid + "/baseline", Map.of("answers", baseline(random, 2, 1, 4)));
        assertThat(corrected.status()).as(corrected.toString()).isEqualTo(200);
        assertThat(api.post("spec-a", "/randomisations", Map.of("participantId", pid)).status()).isEqualTo(200);
    }

    @Test
    void verificationRegeneratesEveryAllocationAndCatchesAChangedArmLevelAndVersion(TestInfo test) {
        Random random = TestService.seededRandom(test);
        ApiClient api = TestService.client(APP);
        String[] target = null;
        for (int i = 0; i < 6; i++) {
            target = randomise(api, random, PLACES[2], baseline(random, 1 + random.nextInt(3), 1 + random.nextInt(2), 1 + random.nextInt(7)));
        }
        var clean = api.post("statistician", "/design/verification", Map.of());
        assertThat(clean.status()).as(clean.toString()).isEqualTo(200);
        assertThat(clean.body().get("verified").asBoolean()).as(clean.toString()).isTrue();
        assertThat(clean.body().get("allocationsChecked").asInt()).isEqualTo(recorded().size());
        assertThat(clean.body().get("commitmentMatches").asBoolean()).isTrue();

        String pid = target[0];
        String otherArm = target[1].equals("treatment") ? "control" : "treatment";
        Row row = recorded().stream().filter(r -> r.participantId().equals(pid)).findFirst().orElseThrow();
        String at = row.stratum() + " sequence " + row.sequence() + ": ";
        String level = row.levels().get("gender");
        String otherLevel = level.equals("1") ? "2" : "1";
        assertCaught(pid, at, "arm = '" + otherArm + "'", "arm = '" + target[1] + "'");
        assertCaught(pid, at, "factor_levels = jsonb_set(factor_levels, '{gender}', '\"" + otherLevel + "\"')",
                "factor_levels = jsonb_set(factor_levels, '{gender}', '\"" + level + "\"')");
        assertCaught(pid, at, "design_version = 2", "design_version = 1");
        var restored = api.post("statistician", "/design/verification", Map.of());
        assertThat(restored.body().get("verified").asBoolean()).as(restored.toString()).isTrue();
    }

    /** Changes one recorded allocation as a DBA could (triggers off), verifies, and puts it back. */
    private static void assertCaught(String pid, String at, String change, String undo) {
        String where = " WHERE person_key = (SELECT person_key FROM recruit WHERE participant_id = '" + pid + "')";
        TestService.ownerJdbi(APP).useHandle(h -> {
            h.execute("SET session_replication_role = replica");
            h.execute("UPDATE allocation SET " + change + where);
        });
        try {
            var verification = TestService.client(APP).post("statistician", "/design/verification", Map.of());
            assertThat(verification.status()).as(verification.toString()).isEqualTo(200);
            assertThat(verification.body().get("verified").asBoolean()).as("after %s", change).isFalse();
            assertThat(verification.body().get("mismatches").toString()).as("after %s", change).contains(at);
        } finally {
            TestService.ownerJdbi(APP).useHandle(h -> {
                h.execute("SET session_replication_role = replica");
                h.execute("UPDATE allocation SET " + undo + where);
            });
        }
    }

    @Test
    void aLiveTrialCannotSwitchDesignKind(TestInfo test) throws Exception {
        Random random = TestService.seededRandom(test);
        Path folder = TestService.newFolder("kind-switch");
        // Overrides are system properties, shared with APP's: each start names its design file.
        DropwizardAppExtension<TrialConfiguration> blocks = TestService.extension(folder,
                ConfigOverride.config("trial.designFile", "../config/randomisation-demo.yml"));
        blocks.before();
        try {
            TestService.createUsers(blocks);
            ApiClient api = TestService.client(blocks);
            String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", Recruits.identity(random), random);
            assertThat(api.post("spec-a", "/randomisations", Map.of("participantId", pid)).status()).isEqualTo(200);
            var balance = api.get("manager", "/reports/minimisation-balance");
            assertThat(balance.status()).as(balance.toString()).isEqualTo(409);
            assertThat(balance.code()).isEqualTo("not_minimisation");
        } finally {
            blocks.after();
        }
        DropwizardAppExtension<TrialConfiguration> minimised = TestService.extension(folder, ConfigOverride.config("trial.designFile", DESIGN));
        try {
            assertThatThrownBy(minimised::before)
                    .hasMessageStartingWith("Design 'ips-minimised-demo' is a minimisation design, but the database holds 1 allocations "
                            + "made under permuted blocks: a trial keeps the kind of design it went live with");
        } finally {
            minimised.after();
        }
    }

    @Test
    void managersSeeMarginalBalanceUpToYesterdayTheStatisticianLiveAndTheDashboardShowsIt(TestInfo test) {
        Random random = TestService.seededRandom(test);
        ApiClient api = TestService.client(APP);
        var managerBefore = api.get("manager", "/reports/minimisation-balance");
        var statisticianBefore = api.get("statistician", "/reports/minimisation-balance");
        assertThat(managerBefore.status()).as(managerBefore.toString()).isEqualTo(200);
        assertThat(managerBefore.body().get("live").asBoolean()).isFalse();
        assertThat(Instant.parse(managerBefore.body().get("armsUntil").asText())).isEqualTo(
                java.time.LocalDate.now(TrialContext.TRIAL_ZONE).atStartOfDay(TrialContext.TRIAL_ZONE).toInstant());
        assertThat(statisticianBefore.body().get("live").asBoolean()).isTrue();

        // Two recruits randomised yesterday (the service's own code with the clock a day back), one today.
        TrialContext today = TestService.trial(APP);
        TrialContext yesterday = new TrialContext(today.definition(), today.designFile(),
                org.ipstrial.api.core.design.SecretFile.read(Path.of(APP.getConfiguration().getTrial().getSecretFile())),
                java.time.Clock.fixed(Instant.now().minus(java.time.Duration.ofDays(1)), java.time.ZoneOffset.UTC));
        var randomisation = new org.ipstrial.api.core.recruitment.RandomisationService(TestService.jdbi(APP), yesterday);
        for (int i = 0; i < 2; i++) {
            String pid = Recruits.ready(api, "spec-b", "B", "B-west", "B-OOW", Recruits.identity(random), baseline(random, 3, 2, 7));
            randomisation.randomise(TestService.user(APP, "spec-b"), pid, java.util.Optional.empty());
        }
        randomise(api, random, PLACES[2], baseline(random, 3, 2, 7));

        var manager = api.get("manager", "/reports/minimisation-balance");
        var statistician = api.get("statistician", "/reports/minimisation-balance");
        assertThat(manager.body().get("allocations").asLong()).isEqualTo(managerBefore.body().get("allocations").asLong() + 2);
        assertThat(statistician.body().get("allocations").asLong()).isEqualTo(statisticianBefore.body().get("allocations").asLong() + 3);
        assertThat(recruits(manager.body(), "gender", "3")).isEqualTo(recruits(managerBefore.body(), "gender", "3") + 2);
        assertThat(recruits(statistician.body(), "gender", "3")).isEqualTo(recruits(statisticianBefore.body(), "gender", "3") + 3);
        assertThat(recruits(statistician.body(), "site", "B")).isEqualTo(recruits(statisticianBefore.body(), "site", "B") + 3);
        assertThat(recruits(statistician.body(), "gender", "1")).isEqualTo(recruits(statisticianBefore.body(), "gender", "1"));
        // Every factor's levels add up to the allocations counted.
        for (var factor : statistician.body().get("factors")) {
            long sum = 0;
            for (var level : factor.get("levels")) {
                sum += level.get("recruits").asLong();
            }
            assertThat(sum).as("levels of %s", factor.get("factor")).isEqualTo(statistician.body().get("allocations").asLong());
        }
        var csv = api.get("statistician", "/reports/minimisation-balance.csv");
        assertThat(csv.status()).isEqualTo(200);
        List<String> lines = csv.text().lines().toList();
        assertThat(lines.get(0)).isEqualTo("design,arms_until,factor,stratification,level,label,n_treatment,n_control,recruits,imbalance");
        assertThat(lines).hasSize(1 + 2 + 3 + 2 + 7);
        assertThat(lines).anyMatch(l -> l.startsWith("ips-minimised-demo,live,gender,false,3,In another way,"));

        var browser = org.ipstrial.api.browser.Browser.start(1024, 900);
        try {
            var wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(20));
            browser.get("http://127.0.0.1:" + APP.getLocalPort() + "/index.html");
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(org.openqa.selenium.By.id("username")))
                    .sendKeys("manager");
            browser.findElement(org.openqa.selenium.By.id("password")).sendKeys(TestService.PASSWORD, org.openqa.selenium.Keys.ENTER);
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/dashboard.html"));
            wait.until(d -> "true".equals(d.findElement(org.openqa.selenium.By.tagName("body")).getDomAttribute("data-loaded")));
            assertThat(browser.findElement(org.openqa.selenium.By.id("minimisation")).isDisplayed()).isTrue();
            assertThat(browser.findElement(org.openqa.selenium.By.id("minimisation-note")).getText()).startsWith("Counts randomisations up to the end of");
            var row = browser.findElement(org.openqa.selenium.By.cssSelector("#minimisation tr[data-factor='gender'][data-level='3']"));
            assertThat(row.getText()).startsWith("In another way");
            long shown = 0;
            for (var cell : row.findElements(org.openqa.selenium.By.cssSelector("td[data-arm]"))) {
                shown += Long.parseLong(cell.getText().replace(",", ""));
            }
            assertThat(shown).as("the manager's figure, up to yesterday").isEqualTo(recruits(manager.body(), "gender", "3"));
        } finally {
            browser.quit();
        }
    }

    @Test
    void theSequenceReportGivesTheMinimisationsPredictabilityBesideTheExpected(TestInfo test) {
        Random random = TestService.seededRandom(test);
        ApiClient api = TestService.client(APP);
        for (int i = 0; i < 8; i++) {
            randomise(api, random, PLACES[random.nextInt(2)], baseline(random, 1 + random.nextInt(3), 1 + random.nextInt(2), 1 + random.nextInt(7)));
        }
        var report = api.get("statistician", "/reports/sequence");
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        assertThat(report.body().get("intact").asBoolean()).as(report.toString()).isTrue();

        // The same figures from the recorded rows, read here and replayed with the library.
        MinimisationDesign design = TestService.trial(APP).minimisation().orElseThrow();
        List<org.ipstrial.randomiser.RecordedMinimisation> history = recorded().stream()
                .map(r -> new org.ipstrial.randomiser.RecordedMinimisation(Stratum.parse(r.stratum()), r.sequence(), r.version(),
                        r.levels(), r.arm(), r.allocatedAt(), r.seal())).toList();
        var expected = org.ipstrial.randomiser.MinimisationPredictability.of(design, history);
        assertThat(report.body().get("strata")).hasSize(expected.size());
        long allocations = 0;
        for (int i = 0; i < expected.size(); i++) {
            var stratum = report.body().get("strata").get(i);
            var p = expected.get(i);
            assertThat(stratum.get("stratum").asText()).isEqualTo(p.stratum().key());
            assertThat(stratum.get("allocations").asLong()).isEqualTo(p.allocations());
            assertThat(stratum.get("minimisationCorrectGuesses").asDouble()).isEqualTo(p.correctGuesses());
            assertThat(stratum.get("minimisationExpectedCorrectGuesses").asDouble()).isEqualTo(p.expectedCorrectGuesses());
            assertThat(stratum.get("expectedCorrectGuesses").asDouble()).isEqualTo(p.chanceCorrectGuesses());
            assertThat(stratum.get("blocks").asLong()).isZero();
            allocations += p.allocations();
        }
        assertThat(report.body().get("allocations").asLong()).isEqualTo(allocations).isGreaterThanOrEqualTo(8);
        // At p = 0.8 a guesser knowing the totals should do better than chance: the expected figure says so.
        assertThat(expected.stream().mapToDouble(p -> p.expectedCorrectGuesses()).sum())
                .isGreaterThan(expected.stream().mapToDouble(p -> p.chanceCorrectGuesses()).sum());
        var csv = api.get("statistician", "/reports/sequence.csv");
        assertThat(csv.text().lines().findFirst().orElseThrow()).endsWith(
                "expected_correct_guesses,minimisation_correct_guesses,minimisation_expected_correct_guesses");
    }

    @Test
    void theMonitoringPackHasBothPartsUnderMinimisation(TestInfo test) {
        Random random = TestService.seededRandom(test);
        ApiClient api = TestService.client(APP);
        randomise(api, random, PLACES[0], baseline(random, 1, 1, 1));
        // The closed part splits survey completeness by arm: the arms come from the minimisation design.
        for (String part : List.of("open", "closed")) {
            var pack = api.get("statistician", "/reports/monitoring-pack.pdf?part=" + part);
            assertThat(pack.status()).as(part + ": " + pack.text()).isEqualTo(200);
            assertThat(pack.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
            assertThat(pack.text()).startsWith("%PDF");
        }
    }

    private static long recruits(com.fasterxml.jackson.databind.JsonNode report, String factor, String level) {
        for (var f : report.get("factors")) {
            if (f.get("factor").asText().equals(factor)) {
                for (var l : f.get("levels")) {
                    if (l.get("level").asText().equals(level)) {
                        return l.get("recruits").asLong();
                    }
                }
            }
        }
        throw new AssertionError("no level " + level + " of " + factor + " in " + report);
    }
}
