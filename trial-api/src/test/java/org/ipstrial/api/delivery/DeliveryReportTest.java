package org.ipstrial.api.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.ipstrial.definition.TrialDefinitionFile;
import org.ipstrial.api.core.delivery.DeliveryReport;
import org.ipstrial.api.core.delivery.DeliverySettings;
import org.ipstrial.api.core.delivery.FiscalQuarter;
import org.junit.jupiter.api.Test;

/** NHS financial-year quarters, the configured fidelity bands, and a small report worked by hand. */
class DeliveryReportTest {
    static final DeliverySettings SETTINGS = DeliverySettings.load(Path.of("..", "config", "delivery-demo.yml"),
            TrialDefinitionFile.load(Path.of("..", "config", "trial-demo.yml")));

    @Test
    void quartersRunFromAprilAndAreLabelledByTheFinancialYear() {
        assertThat(FiscalQuarter.of(LocalDate.of(2019, 4, 1)).label()).isEqualTo("2019/20 Q1");
        assertThat(FiscalQuarter.of(LocalDate.of(2019, 6, 30)).label()).isEqualTo("2019/20 Q1");
        assertThat(FiscalQuarter.of(LocalDate.of(2019, 7, 1)).label()).isEqualTo("2019/20 Q2");
        assertThat(FiscalQuarter.of(LocalDate.of(2019, 12, 31)).label()).isEqualTo("2019/20 Q3");
        assertThat(FiscalQuarter.of(LocalDate.of(2020, 1, 1)).label()).isEqualTo("2019/20 Q4");
        assertThat(FiscalQuarter.of(LocalDate.of(2020, 3, 31)).label()).isEqualTo("2019/20 Q4");
        assertThat(FiscalQuarter.of(LocalDate.of(1999, 5, 5)).label()).isEqualTo("1999/00 Q1");
        FiscalQuarter q4 = FiscalQuarter.of(LocalDate.of(2020, 2, 29));
        assertThat(q4.start()).isEqualTo(LocalDate.of(2020, 1, 1));
        assertThat(q4.end()).isEqualTo(LocalDate.of(2020, 3, 31));
        assertThat(q4.next().label()).isEqualTo("2020/21 Q1");
    }

    @Test
    void bandsAndItem15ComeFromTheConfiguration() {
        var scale = SETTINGS.fidelityScale();
        assertThat(scale.items()).hasSize(25);
        assertThat(scale.bandOf(125)).isEqualTo("exemplary");
        assertThat(scale.bandOf(115)).isEqualTo("exemplary");
        assertThat(scale.bandOf(114)).isEqualTo("good");
        assertThat(scale.bandOf(100)).isEqualTo("good");
        assertThat(scale.bandOf(99)).isEqualTo("fair");
        assertThat(scale.bandOf(74)).isEqualTo("fair");
        assertThat(scale.bandOf(73)).isEqualTo("not_supported_employment");
        assertThat(scale.bandOf(25)).isEqualTo("not_supported_employment");
        assertThat(List.of(0, 30, 31, 60, 61, 150, 151, 270, 271, 1000).stream().map(scale::item15Score).toList())
                .containsExactly(5, 5, 4, 4, 3, 3, 2, 2, 1, 1);
    }

    @Test
    void aSmallReportWorkedByHand() {
        LocalDate today = LocalDate.of(2019, 12, 15);
        // Three treatment recruits in 2019/20 Q1 at site A (north: service A-IPS-1), one in Q2 at B.
        var recruits = List.of(
                new DeliveryReport.RecruitFacts("A", "A-north", LocalDate.of(2019, 4, 2), 4, LocalDate.of(2019, 4, 5),
                        LocalDate.of(2019, 4, 20), LocalDate.of(2019, 5, 20), null),
                new DeliveryReport.RecruitFacts("A", "A-north", LocalDate.of(2019, 5, 1), 10, LocalDate.of(2019, 5, 31),
                        null, null, LocalDate.of(2019, 9, 1)),
                new DeliveryReport.RecruitFacts("A", "A-east", LocalDate.of(2019, 6, 1), 0, null, null, null, null),
                new DeliveryReport.RecruitFacts("B", "B-west", LocalDate.of(2019, 8, 1), 1, LocalDate.of(2019, 8, 1), null, null, null));
        var jobs = List.of(
                new DeliveryReport.JobFacts("A", "A-north", LocalDate.of(2019, 6, 1), new BigDecimal("16"), null),
                new DeliveryReport.JobFacts("A", "A-north", LocalDate.of(2019, 6, 10), new BigDecimal("37.5"), LocalDate.of(2019, 8, 1)));
        var fte = List.of(new DeliveryReport.FtePeriod("A", LocalDate.of(2019, 4, 1), LocalDate.of(2019, 6, 30), new BigDecimal("0.1")));
        var report = DeliveryReport.compute(recruits, jobs, fte, SETTINGS,
                TrialDefinitionFile.load(Path.of("..", "config", "trial-demo.yml")).sites(), today);
        assertThat(report.quarters()).containsExactly("2019/20 Q1", "2019/20 Q2", "2019/20 Q3");
        var siteA = report.rows().stream().filter(r -> r.unit().equals("A") && r.quarter().equals("2019/20 Q1")).findFirst().orElseThrow();
        assertThat(siteA.randomised()).isEqualTo(3);
        assertThat(siteA.engaged()).isEqualTo(2);
        assertThat(siteA.sessionsPerParticipantMean()).isEqualTo(7.0);
        assertThat(siteA.sessionsPerParticipantMedian()).isEqualTo(7.0);
        assertThat(siteA.firstSessionWithin7Days()).isEqualTo(1);
        assertThat(siteA.firstSession29To56Days()).as("30 days").isEqualTo(1);
        assertThat(siteA.noSessionYet()).isEqualTo(1);
        assertThat(siteA.jobStarts()).isEqualTo(2);
        assertThat(siteA.meanHoursPerWeek()).isEqualTo(26.75);
        // Both jobs are 13 weeks old by today; the second ended after 52 days.
        assertThat(siteA.jobs13WeeksDue()).isEqualTo(2);
        assertThat(siteA.jobsLasting13Weeks()).isEqualTo(1);
        assertThat(siteA.jobs26WeeksDue()).as("26 weeks after 10 June is 9 December").isEqualTo(2);
        assertThat(siteA.jobsLasting26Weeks()).isEqualTo(1);
        assertThat(siteA.caseloadOn()).isEqualTo(LocalDate.of(2019, 6, 30));
        assertThat(siteA.caseload()).isEqualTo(3);
        assertThat(siteA.caseloadPerFte()).isEqualTo(30.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(siteA.overCaseloadLimit()).isTrue();
        assertThat(siteA.vocationalProfiles()).isEqualTo(1);
        assertThat(siteA.meanDaysToEmployerContact()).isEqualTo(30.0);
        var q3 = report.rows().stream().filter(r -> r.unit().equals("A") && r.quarter().equals("2019/20 Q3")).findFirst().orElseThrow();
        assertThat(q3.caseloadOn()).as("the current quarter: today").isEqualTo(today);
        assertThat(q3.caseload()).as("one discharged in September").isEqualTo(2);
        assertThat(q3.fte()).as("no FTE recorded then").isNull();
        var service = report.rows().stream().filter(r -> r.unit().equals("A-IPS-2") && r.quarter().equals("2019/20 Q1")).findFirst()
                .orElseThrow();
        assertThat(service.randomised()).as("A-east only").isEqualTo(1);
        var trial = report.rows().stream().filter(r -> r.level().equals("trial") && r.quarter().equals("2019/20 Q2")).findFirst()
                .orElseThrow();
        assertThat(trial.randomised()).isEqualTo(1);
        String published = new String(bytes(report.publicationCsv()), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(published).contains("suppressed");
    }

    /**
     * Seeded random histories (quarter boundaries made likely) against figures counted here one
     * recruit at a time with dates and labels, per site and quarter: the report's day arithmetic
     * and single pass must give the same numbers.
     */
    @Test
    void randomHistoriesGiveTheFiguresCountedRecruitByRecruit() {
        var sites = TrialDefinitionFile.load(Path.of("..", "config", "trial-demo.yml")).sites();
        for (long seed = 1; seed <= 30; seed++) {
            System.out.println("randomHistoriesGiveTheFiguresCountedRecruitByRecruit: seed " + seed);
            java.util.Random random = new java.util.Random(seed);
            LocalDate today = LocalDate.of(2020, 1, 1).plusDays(random.nextInt(400));
            List<DeliveryReport.RecruitFacts> recruits = new java.util.ArrayList<>();
            List<DeliveryReport.JobFacts> jobs = new java.util.ArrayList<>();
            for (int i = 0, n = random.nextInt(300); i < n; i++) {
                String site = random.nextBoolean() ? "A" : "B";
                String area = site.equals("A") ? List.of("A-north", "A-south", "A-east").get(random.nextInt(3))
                        : List.of("B-central", "B-west").get(random.nextInt(2));
                LocalDate on = day(random, today.minusDays(600), today);
                int sessions = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(30);
                LocalDate first = sessions == 0 ? null : day(random, on, today);
                LocalDate profile = random.nextBoolean() ? day(random, on, today) : null;
                LocalDate contact = profile != null && random.nextBoolean() ? day(random, profile, today) : null;
                LocalDate discharged = random.nextInt(5) == 0 ? day(random, on, today) : null;
                recruits.add(new DeliveryReport.RecruitFacts(site, area, on, sessions, first, profile, contact, discharged));
                if (random.nextInt(3) == 0) {
                    LocalDate started = day(random, on, today);
                    jobs.add(new DeliveryReport.JobFacts(site, area, started, new BigDecimal(1 + random.nextInt(40)),
                            random.nextBoolean() ? day(random, started, today) : null));
                }
            }
            var report = DeliveryReport.compute(recruits, jobs, List.of(), SETTINGS, sites, today);
            for (var row : report.rows()) {
                if (!row.level().equals("site")) {
                    continue;
                }
                String at = "seed " + seed + " " + row.unit() + " " + row.quarter();
                var mine = recruits.stream().filter(r -> r.site().equals(row.unit())).toList();
                var cohort = mine.stream().filter(r -> FiscalQuarter.of(r.randomisedOn()).label().equals(row.quarter())).toList();
                var engaged = cohort.stream().filter(r -> r.sessions() > 0).toList();
                assertThat(row.randomised()).as(at + " randomised").isEqualTo(cohort.size());
                assertThat(row.engaged()).as(at + " engaged").isEqualTo(engaged.size());
                assertThat(row.sessions()).as(at + " sessions").isEqualTo(engaged.stream().mapToInt(DeliveryReport.RecruitFacts::sessions).sum());
                assertThat(row.firstSessionWithin7Days()).as(at + " within 7 days").isEqualTo(
                        engaged.stream().filter(r -> !r.firstSession().isAfter(r.randomisedOn().plusDays(7))).count());
                assertThat(row.firstSessionOver56Days()).as(at + " over 56 days").isEqualTo(
                        engaged.stream().filter(r -> r.firstSession().isAfter(r.randomisedOn().plusDays(56))).count());
                LocalDate on = row.caseloadOn();
                assertThat(on).isEqualTo(row.quarterEnd().isAfter(today) ? today : row.quarterEnd());
                assertThat(row.caseload()).as(at + " caseload").isEqualTo(mine.stream().filter(r -> !r.randomisedOn().isAfter(on)
                        && (r.dischargedOn() == null || r.dischargedOn().isAfter(on))).count());
                assertThat(row.vocationalProfiles()).as(at + " profiles").isEqualTo(mine.stream().filter(r -> r.vocationalProfile() != null
                        && FiscalQuarter.of(r.vocationalProfile()).label().equals(row.quarter())).count());
                var started = jobs.stream().filter(j -> j.site().equals(row.unit())
                        && FiscalQuarter.of(j.startedOn()).label().equals(row.quarter())).toList();
                assertThat(row.jobStarts()).as(at + " job starts").isEqualTo(started.size());
                var due = started.stream().filter(j -> !j.startedOn().plusWeeks(13).isAfter(today)).toList();
                assertThat(row.jobs13WeeksDue()).as(at + " 13 weeks due").isEqualTo(due.size());
                assertThat(row.jobsLasting13Weeks()).as(at + " lasting 13 weeks").isEqualTo(due.stream()
                        .filter(j -> j.endedOn() == null || !j.endedOn().isBefore(j.startedOn().plusWeeks(13))).count());
            }
        }
    }

    /** A day from {@code from} to {@code to}, a quarter's first or last day one time in four. */
    static LocalDate day(java.util.Random random, LocalDate from, LocalDate to) {
        LocalDate d = from.plusDays(random.nextInt((int) (to.toEpochDay() - from.toEpochDay()) + 1));
        if (random.nextInt(4) == 0) {
            FiscalQuarter q = FiscalQuarter.of(d);
            LocalDate edge = random.nextBoolean() ? q.start() : q.end();
            d = edge.isBefore(from) ? from : edge.isAfter(to) ? to : edge;
        }
        return d;
    }

    static byte[] bytes(org.ipstrial.api.core.reports.CsvTable table) {
        var out = new java.io.ByteArrayOutputStream();
        table.write(out);
        return out.toByteArray();
    }
}
