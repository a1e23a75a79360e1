package org.ipstrial.api;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.ipstrial.api.api.DeliveryRequests;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.api.core.delivery.DeliveryService;
import org.ipstrial.api.core.delivery.DeliverySettings;
import org.ipstrial.api.core.delivery.FidelityService;
import org.ipstrial.api.core.recruitment.RandomisationService;
import org.ipstrial.api.core.recruitment.RecruitmentService;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.randomiser.RandomisationSecret;
import org.jdbi.v3.core.Jdbi;

/**
 * A made-up history for the demo and for tests: recruits taken through the real services on past
 * days (a clock set by hand), then, for the treatment group, sessions, vocational profiles,
 * employer contacts, job starts and ends, in-work support and discharges, specialists' FTE per
 * quarter and a fidelity review per service. Seeded: the same seed gives the same history. Every
 * person is invented (names "Demo" and a number; NINO and NHS numbers valid in form only).
 */
public final class DemoHistory {
    /** A clock the history moves by hand. */
    private static final class SetClock extends Clock {
        private volatile Instant now;

        SetClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Who records: a specialist per site and a manager. */
    public record Staff(Map<String, TrialUser> specialistOfSite, TrialUser manager) {}

    private final Jdbi jdbi;
    private final SetClock clock;
    private final TrialContext trial;
    private final DeliverySettings settings;
    private final Random random;
    private final Instant end;

    public DemoHistory(Jdbi jdbi, TrialDefinition definition, org.ipstrial.randomiser.RandomisationDesign design,
            RandomisationSecret secret, DeliverySettings settings, Instant end, long seed) {
        this(jdbi, definition, new org.ipstrial.config.DesignFile.Read.Blocks(design), secret, settings, end, seed);
    }

    /** Under a design of either kind. */
    public DemoHistory(Jdbi jdbi, TrialDefinition definition, org.ipstrial.config.DesignFile.Read design,
            RandomisationSecret secret, DeliverySettings settings, Instant end, long seed) {
        this.jdbi = jdbi;
        this.end = end;
        this.clock = new SetClock(end);
        this.trial = new TrialContext(definition, design, secret, clock);
        this.settings = settings;
        this.random = new Random(seed);
    }

    private void at(LocalDate day) {
        clock.now = day.atTime(10 + random.nextInt(6), random.nextInt(60)).atZone(TrialContext.TRIAL_ZONE).toInstant();
    }

    private LocalDate today() {
        return end.atZone(TrialContext.TRIAL_ZONE).toLocalDate();
    }

    /** Recruits over the {@code days} before the end, about half treatment; returns how many were randomised. */
    public int load(Staff staff, int recruits, int days) {
        var definition = trial.definition();
        RecruitmentService recruitment = new RecruitmentService(jdbi, trial);
        RandomisationService randomisation = new RandomisationService(jdbi, trial);
        DeliveryService delivery = new DeliveryService(jdbi, trial, settings);
        // Never before the design's first version takes effect: nobody could have been randomised then.
        Instant designStart = trial.goLive().plus(Duration.ofDays(1));
        long span = Math.min(Duration.ofDays(days).toMinutes(), Math.max(0, Duration.between(designStart, end).toMinutes() - 24 * 60));
        List<Instant> moments = new ArrayList<>();
        for (int i = 0; i < recruits; i++) {
            double u = Math.sqrt(random.nextDouble());
            moments.add(end.minus(Duration.ofMinutes((long) ((1 - u) * span) + 24 * 60)));
        }
        moments.sort(null);
        int randomised = 0;
        for (Instant when : moments) {
            clock.now = when;
            var rules = definition.eligibilityOn(trial.today());
            var form = definition.agreementFormOn(trial.today());
            var group = definition.trialGroups().get(random.nextInt(definition.trialGroups().size()));
            var site = definition.site(group.site()).orElseThrow();
            String area = site.areas().get(random.nextInt(site.areas().size())).code();
            TrialUser specialist = staff.specialistOfSite().get(site.code());
            String pid = recruitment.create(specialist, new RecruitRequests.NewRecruit(site.code(), area)).participantId();
            Map<String, Boolean> answers = new HashMap<>();
            for (var criterion : rules.criteria()) {
                if (criterion.appliesTo(group.code())) {
                    answers.put(criterion.question(), criterion.require());
                }
            }
            recruitment.screen(specialist, pid, new RecruitRequests.Screening(group.code(), answers));
            Map<String, Boolean> agreement = new HashMap<>();
            form.statements().forEach(s -> agreement.put(s.id(), true));
            recruitment.agree(specialist, pid, new RecruitRequests.Agreement(form.version(), agreement));
            recruitment.recordIdentity(specialist, pid, person());
            recruitment.recordBaseline(specialist, pid, new RecruitRequests.Baseline(baseline(definition)));
            String arm = randomisation.randomise(specialist, pid, Optional.of("demo-" + pid)).arm();
            randomised++;
            if (arm.equals("treatment")) {
                deliver(delivery, specialist, pid, when.atZone(TrialContext.TRIAL_ZONE).toLocalDate());
            }
        }
        fte(delivery, staff.manager(), moments.isEmpty() ? today() : moments.get(0).atZone(TrialContext.TRIAL_ZONE).toLocalDate(), recruits, days);
        reviews(staff.manager());
        clock.now = end;
        return randomised;
    }

    private RecruitRequests.Identity person() {
        int n = random.nextInt(1_000_000);
        String dob = String.format("%d-%02d-%02d", 1960 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28));
        return new RecruitRequests.Identity(nino(), nhsNumber(), "Demo", "Person " + n, dob, random.nextBoolean() ? "female" : "male",
                "S" + (1 + random.nextInt(20)) + " " + random.nextInt(10) + "AB", "07700 900" + String.format("%03d", random.nextInt(1000)),
                null, n + " Example Street", "English", null, "telephone", null);
    }

    private String nino() {
        String first = "ABCEGHJKLMNOPRSTWXYZ";
        String second = "ABCEGHJKLMNPRSTWXYZ";
        while (true) {
            String prefix = "" + first.charAt(random.nextInt(first.length())) + second.charAt(random.nextInt(second.length()));
            if (!List.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ").contains(prefix)) {
                return prefix + String.format("%06d", random.nextInt(1_000_000)) + "ABCD".charAt(random.nextInt(4));
            }
        }
    }

    private String nhsNumber() {
        while (true) {
            int[] d = new int[9];
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                d[i] = random.nextInt(10);
                sum += d[i] * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 10) {
                continue;
            }
            StringBuilder s = new StringBuilder();
            for (int x : d) {
                s.append(x);
            }
            return s.append(check == 11 ? 0 : check).toString();
        }
    }

    private Map<String, Object> baseline(TrialDefinition definition) {
        Map<String, Object> answers = new HashMap<>();
        for (var item : definition.baseline().items()) {
            switch (item.type()) {
                case single -> answers.put(item.id(), item.codes().get(random.nextInt(item.codes().size())).code());
                case multi -> answers.put(item.id(), List.of(item.codes().get(random.nextInt(item.codes().size())).code()));
                case integer -> answers.put(item.id(), item.min() + random.nextInt(item.max() - item.min() + 1));
            }
        }
        return answers;
    }

    private long days(double mean) {
        return (long) Math.floor(-Math.log(1 - random.nextDouble()) * mean);
    }

    private boolean record(DeliveryService delivery, TrialUser specialist, String pid, LocalDate day, DeliveryRequests.DeliveryRecord r) {
        if (day.isAfter(today())) {
            return false;
        }
        at(day);
        delivery.record(specialist, pid, r);
        return true;
    }

    /** A treatment recruit's support, as the evaluations describe it (most engage; about a third start a job). */
    private void deliver(DeliveryService delivery, TrialUser specialist, String pid, LocalDate randomisedOn) {
        if (random.nextDouble() < 0.1) {
            return;
        }
        LocalDate day = randomisedOn.plusDays(days(10));
        int sessions = 1 + (int) days(11);
        LocalDate profile = null;
        for (int s = 0; s < sessions; s++) {
            String mode = random.nextDouble() < 0.7 ? "face_to_face" : random.nextDouble() < 0.8 ? "phone" : "video";
            if (!record(delivery, specialist, pid, day, new DeliveryRequests.DeliveryRecord("session", day.toString(), mode,
                    10 + random.nextInt(50), null, null, null, null, null, null, null, null))) {
                return;
            }
            if (s == 1 && random.nextDouble() < 0.85) {
                profile = day;
                record(delivery, specialist, pid, day, new DeliveryRequests.DeliveryRecord("vocational_profile", day.toString(), null, null,
                        null, null, null, null, null, null, null, null));
            }
            day = day.plusDays(3 + random.nextInt(12));
        }
        if (profile == null) {
            return;
        }
        LocalDate contact = profile.plusDays(days(35));
        if (!record(delivery, specialist, pid, contact, new DeliveryRequests.DeliveryRecord("employer_contact", contact.toString(), null,
                null, random.nextDouble() < 0.8, null, null, null, null, null, null, null))) {
            return;
        }
        if (random.nextDouble() > 0.45) {
            return;
        }
        LocalDate start = contact.plusDays(7 + days(50));
        if (start.isAfter(today())) {
            return;
        }
        at(start);
        long jobId = delivery.record(specialist, pid, new DeliveryRequests.DeliveryRecord("job_start", start.toString(), null, null, null,
                List.of("retail assistant", "warehouse operative", "care worker", "administrator", "kitchen porter").get(random.nextInt(5)),
                BigDecimal.valueOf(8 + random.nextInt(65)).divide(BigDecimal.valueOf(2)), random.nextDouble() < 0.95,
                random.nextDouble() < 0.6, "Demo Employer " + random.nextInt(200), null, null)).id();
        LocalDate support = start.plusDays(7 + random.nextInt(14));
        record(delivery, specialist, pid, support, new DeliveryRequests.DeliveryRecord("in_work_support", support.toString(), "phone",
                15 + random.nextInt(30), null, null, null, null, null, null, jobId, null));
        if (random.nextDouble() < 0.4) {
            LocalDate ended = start.plusDays(20 + days(120));
            record(delivery, specialist, pid, ended, new DeliveryRequests.DeliveryRecord("job_end", ended.toString(), null, null, null,
                    null, null, null, null, null, jobId, null));
            if (random.nextDouble() < 0.3) {
                LocalDate discharged = ended.plusDays(14 + random.nextInt(30));
                record(delivery, specialist, pid, discharged, new DeliveryRequests.DeliveryRecord("discharge", discharged.toString(), null,
                        null, null, null, null, null, null, null, null, null));
            }
        }
    }

    /** Quarterly FTE per site, from the first recruit's quarter to a year after the end, sized near the caseload limit. */
    private void fte(DeliveryService delivery, TrialUser manager, LocalDate first, int recruits, int days) {
        clock.now = end;
        for (var site : trial.definition().sites()) {
            var q = org.ipstrial.api.core.delivery.FiscalQuarter.of(first);
            var last = org.ipstrial.api.core.delivery.FiscalQuarter.of(today().plusYears(1));
            for (; q.compareTo(last) <= 0; q = q.next()) {
                // About half are treatment, recruited faster later on (see load): FTE sized for 15 to 22 clients each.
                LocalDate on = q.end().isAfter(today()) ? today() : q.end();
                double elapsed = Math.min(1, Math.max(0, (double) java.time.temporal.ChronoUnit.DAYS.between(first, on)
                        / Math.max(1, java.time.temporal.ChronoUnit.DAYS.between(first, today()))));
                double caseload = recruits / 2.0 / trial.definition().sites().size() * elapsed * elapsed;
                double fte = Math.max(0.5, Math.round(caseload / (15 + random.nextInt(8)) * 2) / 2.0);
                delivery.recordFte(manager, new DeliveryRequests.SpecialistFte(site.code(), q.start().toString(), q.end().toString(),
                        BigDecimal.valueOf(fte)));
            }
        }
    }

    /** A first-round fidelity review of each service, about three months before the end. */
    private void reviews(TrialUser manager) {
        FidelityService fidelity = new FidelityService(jdbi, trial, settings);
        LocalDate on = today().minusDays(90);
        clock.now = end;
        for (var service : settings.services()) {
            List<DeliveryRequests.ItemScore> items = new ArrayList<>();
            for (var item : settings.fidelityScale().items()) {
                items.add(new DeliveryRequests.ItemScore(item.item(), 2 + random.nextInt(4), "Seen in case notes and interviews", null));
            }
            fidelity.record(manager, new DeliveryRequests.FidelityReview(service.code(), 1, on.toString(),
                    List.of("Reviewer One", "Reviewer Two"), settings.fidelityScale().version(), false, items,
                    List.of(new DeliveryRequests.ActionItem(17, "Six face-to-face employer contacts a week per specialist",
                            "Team leader", on.plusDays(90).toString(), "open"))));
        }
    }
}
