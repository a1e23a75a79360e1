package org.ipstrial.etl.simulation;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Jobs and pay. A person's random draws are made once; a "world" (assigned to treatment or to
 * control) then only decides whether the person is employed for 13+ weeks in the outcome year, and
 * the same draws build the job spells of both worlds, so the two potential outcomes differ only by
 * the planted effect. Payroll rows are a pure function of a spell, so the rows written and the
 * latent outcomes computed here are the same numbers.
 *
 * <p>Spells are built so that the contract's spell rule recovers them exactly from the rows: the
 * final payment of an ended spell is on its leaving date and carries it, an open spell is paid up to
 * the extract date at least every quarter, and a blank start date is only used where the first
 * payment precedes randomisation (so the outcome year is unchanged).
 */
final class EmploymentModel {
    static final String[] FREQUENCIES = {"M1", "W1", "W4", "W2", "M3", "IR"};
    private static final double[] FREQUENCY_SHARES = {0.60, 0.20, 0.10, 0.07, 0.01, 0.02};

    /** One employment: the same employer, the same start. {@code end} may be after the extract (open). */
    record Spell(String employerRef, LocalDate start, LocalDate end, boolean startBlank, String frequency,
            double annualPay, long paymentSeed) {}

    /** One payment of a spell, before any effect on pay is applied. */
    record Payment(LocalDate date, long pence, boolean last) {}

    /** Every random number a person's employment needs, drawn once and shared by both worlds. */
    record Draws(double threshold, boolean employedAtRandomisation, int startedDaysBefore, double startShare, int lengthDays,
            int keepsJobDays, boolean shortJob, int shortStart, int shortLength, int leavesSoonDays, boolean laterJob,
            int laterStart, int laterLength, boolean pastJob, int pastEndedDaysBefore, int pastLength, boolean blankStart,
            double annualPay, String frequency, boolean secondJob, double secondStartShare, int secondLength,
            double secondAnnualPay, long seed) {}

    private EmploymentModel() {}

    static Draws draw(SplittableRandom random, SimulationConfig.GroupModel group, BaselineModel.Profile profile,
            SimulationConfig.Messiness messiness) {
        double threshold = random.nextDouble();
        boolean employedAtRandomisation = Streams.chance(random, group.employedAtRandomisation());
        int startedDaysBefore = Streams.between(random, 30, 3000);
        double startShare = random.nextDouble();
        int lengthDays = 91 + (int) Math.round(random.nextExponential() * 420);
        int keepsJobDays = 90 + (int) Math.round(random.nextExponential() * 500);
        boolean shortJob = Streams.chance(random, 0.30);
        int shortStart = random.nextInt(365);
        int shortLength = Streams.between(random, 7, 90);
        int leavesSoonDays = random.nextInt(90);
        boolean laterJob = Streams.chance(random, 0.20);
        int laterStart = random.nextInt(300);
        int laterLength = 30 + (int) Math.round(random.nextExponential() * 300);
        boolean pastJob = profile.workLast2y() < 4 ? Streams.chance(random, 0.9) : Streams.chance(random, 0.3);
        int pastEndedDaysBefore = profile.workLast2y() < 4 ? Streams.between(random, 30, 700) : Streams.between(random, 731, 1400);
        int pastLength = 60 + (int) Math.round(random.nextExponential() * 400);
        boolean blankStart = Streams.chance(random, messiness.blankEmploymentStart());
        // Lognormal pay around the group's median, a little higher for the more employable.
        double annualPay = group.medianAnnualPay() * Math.exp(0.45 * random.nextGaussian() + 0.1 * profile.employability());
        String frequency = FREQUENCIES[Streams.pick(random, FREQUENCY_SHARES)];
        boolean secondJob = Streams.chance(random, 0.08);
        double secondStartShare = random.nextDouble() * 0.5;
        int secondLength = 30 + (int) Math.round(random.nextExponential() * 200);
        double secondAnnualPay = Streams.between(random, 2500, 6500);
        return new Draws(threshold, employedAtRandomisation, startedDaysBefore, startShare, lengthDays, keepsJobDays, shortJob,
                shortStart, shortLength, leavesSoonDays, laterJob, laterStart, laterLength, pastJob, pastEndedDaysBefore,
                pastLength, blankStart, annualPay, frequency, secondJob, secondStartShare, secondLength, secondAnnualPay,
                random.nextLong());
    }

    /**
     * The spells of one world. {@code employed13} says whether this world has 13+ weeks of work in
     * the outcome year (days R .. R+364); spells end at death.
     */
    static List<Spell> world(Draws d, boolean employed13, LocalDate randomised, LocalDate death) {
        List<Spell> spells = new ArrayList<>();
        if (d.pastJob() && !d.employedAtRandomisation()) {
            LocalDate end = randomised.minusDays(d.pastEndedDaysBefore());
            spells.add(spell(d, 1, end.minusDays(d.pastLength()), end, d.blankStart(), d.annualPay() * 0.9, d.frequency()));
        }
        Spell main = null;
        if (employed13) {
            if (d.employedAtRandomisation()) {
                LocalDate start = randomised.minusDays(d.startedDaysBefore());
                main = spell(d, 2, start, randomised.plusDays(d.keepsJobDays()), d.blankStart() && d.startedDaysBefore() > 60,
                        d.annualPay(), d.frequency());
            } else {
                // Starts on day 0..274 of the outcome year and lasts 91+ days: 91+ days inside it.
                LocalDate start = randomised.plusDays((long) Math.floor(d.startShare() * 275));
                main = spell(d, 3, start, start.plusDays(d.lengthDays() - 1L), false, d.annualPay(), d.frequency());
            }
        } else if (d.employedAtRandomisation()) {
            // Leaves within 90 days of randomisation: fewer than 91 days in the outcome year.
            LocalDate start = randomised.minusDays(d.startedDaysBefore());
            main = spell(d, 2, start, randomised.plusDays(d.leavesSoonDays()), d.blankStart() && d.startedDaysBefore() > 60,
                    d.annualPay(), d.frequency());
        } else if (d.shortJob()) {
            LocalDate start = randomised.plusDays(d.shortStart());
            main = spell(d, 4, start, start.plusDays(d.shortLength() - 1L), false, d.annualPay(), d.frequency());
        }
        if (main != null) {
            spells.add(main);
            long length = ChronoUnit.DAYS.between(main.start(), main.end()) + 1;
            if (d.secondJob() && length > 60) {
                LocalDate start = main.start().plusDays((long) (d.secondStartShare() * length));
                LocalDate end = start.plusDays(d.secondLength());
                spells.add(spell(d, 5, start, end.isAfter(main.end()) ? main.end() : end, false, d.secondAnnualPay(),
                        d.frequency().equals("M1") ? "M1" : "W1"));
            }
        }
        LocalDate laterStart = randomised.plusDays(365L + d.laterStart());
        if (d.laterJob() && (main == null || main.end().isBefore(laterStart))) {
            spells.add(spell(d, 6, laterStart, laterStart.plusDays(d.laterLength()), false, d.annualPay(), d.frequency()));
        }
        if (death == null) {
            return spells;
        }
        List<Spell> alive = new ArrayList<>();
        for (Spell s : spells) {
            if (!s.start().isAfter(death)) {
                alive.add(s.end().isAfter(death)
                        ? new Spell(s.employerRef(), s.start(), death, s.startBlank(), s.frequency(), s.annualPay(), s.paymentSeed())
                        : s);
            }
        }
        return alive;
    }

    private static Spell spell(Draws d, int slot, LocalDate start, LocalDate end, boolean blank, double pay, String frequency) {
        long seed = Streams.mix(d.seed() + slot);
        SplittableRandom random = new SplittableRandom(seed);
        String ref = String.format("%03d/%c%c%05d", random.nextInt(1000), (char) ('A' + random.nextInt(26)),
                (char) ('A' + random.nextInt(26)), random.nextInt(100_000));
        return new Spell(ref, start, end, blank, frequency, pay, seed);
    }

    /** The payments of a spell that the payroll extract holds (from the history start to the extract date). */
    static List<Payment> payments(Spell spell, LocalDate historyFrom, LocalDate extract) {
        SplittableRandom random = new SplittableRandom(spell.paymentSeed() ^ 0x5DEECE66DL);
        boolean ends = !spell.end().isAfter(extract);
        LocalDate stop = ends ? spell.end() : extract;
        List<Payment> payments = new ArrayList<>();
        LocalDate previous = spell.start().minusDays(1);
        int k = 1;
        while (true) {
            LocalDate date = next(spell, k, previous, random);
            if (date.isAfter(stop) || (ends && date.equals(stop))) {
                break;
            }
            addPayment(payments, spell, previous, date, false, historyFrom, random);
            previous = date;
            k++;
        }
        if (ends) {
            addPayment(payments, spell, previous, spell.end(), true, historyFrom, random);
        }
        return payments;
    }

    private static LocalDate next(Spell spell, int k, LocalDate previous, SplittableRandom random) {
        LocalDate dayBeforeStart = spell.start().minusDays(1);
        return switch (spell.frequency()) {
            case "W1" -> dayBeforeStart.plusDays(7L * k);
            case "W2" -> dayBeforeStart.plusDays(14L * k);
            case "W4" -> dayBeforeStart.plusDays(28L * k);
            case "M3" -> dayBeforeStart.plusMonths(3L * k);
            case "IR" -> previous.plusDays(Streams.between(random, 14, 35));
            default -> dayBeforeStart.plusMonths(k);
        };
    }

    private static void addPayment(List<Payment> payments, Spell spell, LocalDate previous, LocalDate date, boolean last,
            LocalDate historyFrom, SplittableRandom random) {
        double days = ChronoUnit.DAYS.between(previous, date);
        double amount = spell.annualPay() * days / 365.25 * (1 + 0.06 * random.nextGaussian());
        long pence = Math.max(100, Math.round(amount * 100));
        if (!date.isBefore(historyFrom)) {
            payments.add(new Payment(date, pence, last));
        }
    }

    /** The pay written for a payment: after randomisation, the world's pay factor applies. */
    static long paid(Payment payment, LocalDate randomised, double payFactor) {
        return payment.date().isBefore(randomised) ? payment.pence() : Math.round(payment.pence() * payFactor);
    }

    /** Days worked and pay of a world in the outcome year, as the contract derives them from the rows. */
    record YearOutcome(int daysEmployed, long earningsPence) {
        boolean employed13Weeks() {
            return daysEmployed >= 91;
        }
    }

    static YearOutcome outcomeYear(List<Spell> spells, LocalDate randomised, LocalDate historyFrom, LocalDate extract,
            double payFactor) {
        LocalDate yearEnd = randomised.plusDays(364);
        long earnings = 0;
        for (Spell spell : spells) {
            for (Payment p : payments(spell, historyFrom, extract)) {
                if (!p.date().isBefore(randomised) && !p.date().isAfter(yearEnd)) {
                    earnings += paid(p, randomised, payFactor);
                }
            }
        }
        return new YearOutcome(daysEmployed(spells, randomised, 365, historyFrom, extract).cardinality(), earnings);
    }

    /**
     * Days 0..window-1 after randomisation covered by a spell, as the contract's spell rule sees
     * the rows: a spell without a payment in the extract is invisible, a blank start is the first
     * payment, an open spell runs to the extract date.
     */
    static BitSet daysEmployed(List<Spell> spells, LocalDate randomised, int window, LocalDate historyFrom, LocalDate extract) {
        BitSet days = new BitSet(window);
        for (Spell spell : spells) {
            List<Payment> payments = payments(spell, historyFrom, extract);
            if (payments.isEmpty()) {
                continue;
            }
            LocalDate start = spell.startBlank() ? payments.get(0).date() : spell.start();
            LocalDate end = spell.end().isAfter(extract) ? extract : spell.end();
            long from = Math.max(0, ChronoUnit.DAYS.between(randomised, start));
            long to = Math.min(window - 1L, ChronoUnit.DAYS.between(randomised, end));
            if (from <= to) {
                days.set((int) from, (int) to + 1);
            }
        }
        return days;
    }

    /** Months 1..12 of the outcome year with at least one day covered (the contract's month boundaries). */
    static int monthsCovered(BitSet days) {
        int months = 0;
        for (int m = 1; m <= 12; m++) {
            int first = (int) Math.floor((m - 1) * 30.4375);
            int last = (int) Math.floor(m * 30.4375) - 1;
            int next = days.nextSetBit(first);
            if (next >= 0 && next <= last) {
                months++;
            }
        }
        return months;
    }

    /** Whether any spell covers a day (for "employed now" at an interview). */
    static boolean employedOn(List<Spell> spells, LocalDate day) {
        return spells.stream().anyMatch(s -> !day.isBefore(s.start()) && !day.isAfter(s.end()));
    }

    /** Hours band of a job from its pay (part-time jobs pay less). */
    static String hoursBand(double annualPay) {
        return annualPay < 9000 ? "A" : annualPay < 14000 ? "B" : annualPay < 18000 ? "C" : "D";
    }
}
