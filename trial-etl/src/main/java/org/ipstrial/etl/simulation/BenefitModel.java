package org.ipstrial.etl.simulation;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Benefit spells, built from the same world as the person's jobs: an out-of-work claim running at
 * randomisation ends soon after a job starts (sometimes a little after, so some people are
 * employed while claiming), or a Universal Credit claim carries on in work under the
 * working-with-requirements regime; losing a job may start a new claim. Disability (PIP, DLA),
 * housing and carer's benefits run alongside. Spells still running at the extract date are open.
 */
final class BenefitModel {
    private static final String[] OUT_OF_WORK_BEFORE_UC = {"ESA", "JSA", "UC", "IS", "IB"};
    private static final double[] SHARES_BEFORE_UC = {0.50, 0.15, 0.25, 0.07, 0.03};
    private static final double[] SHARES_AFTER_UC = {0.30, 0.05, 0.60, 0.05, 0.00};
    /** Before this day most new claims were to the older benefits; after it, mostly to Universal Credit. */
    private static final LocalDate UC_FULL_SERVICE = LocalDate.of(2018, 10, 1);
    private static final String[] SEARCHING_REGIMES = {"searching", "planning", "preparing", "no_work_requirements"};
    private static final double[] REGIME_SHARES = {0.45, 0.10, 0.15, 0.30};

    /** One spell; {@code end} null while it is still running at the extract date. */
    record BenefitSpell(String benefit, String ucRegime, LocalDate start, LocalDate end) {}

    record Draws(boolean claimingAtRandomisation, int claimedDaysBefore, double typeDraw, int regime, boolean regimeBlank,
            int endsAfterJobStart, boolean continuesInWork, boolean movesOff, int movesOffAfter, boolean claimsAfterJobLoss,
            int claimGap, int claimLength, boolean disability, int disabilityDaysBefore, boolean pip, boolean housing,
            boolean carer, int carerDaysBefore) {}

    private BenefitModel() {}

    static Draws draw(SplittableRandom random, SimulationConfig.GroupModel group) {
        return new Draws(Streams.chance(random, group.onOutOfWorkBenefit()), Streams.between(random, 30, 2000),
                random.nextDouble(), Streams.pick(random, REGIME_SHARES), Streams.chance(random, 0.10),
                Streams.between(random, -14, 60), Streams.chance(random, 0.45), Streams.chance(random, 0.15),
                Streams.between(random, 30, 700), Streams.chance(random, 0.6), Streams.between(random, 1, 45),
                30 + (int) Math.round(random.nextExponential() * 300), Streams.chance(random, 0.25),
                Streams.between(random, 100, 2000), Streams.chance(random, 0.8), Streams.chance(random, 0.3),
                Streams.chance(random, 0.03), Streams.between(random, 30, 1000));
    }

    static List<BenefitSpell> world(Draws d, List<EmploymentModel.Spell> jobs, LocalDate randomised, LocalDate death,
            LocalDate extract) {
        List<BenefitSpell> spells = new ArrayList<>();
        EmploymentModel.Spell firstJob = jobs.stream().filter(j -> !j.start().isBefore(randomised))
                .min((a, b) -> a.start().compareTo(b.start())).orElse(null);
        if (d.claimingAtRandomisation()) {
            LocalDate start = randomised.minusDays(d.claimedDaysBefore());
            String benefit = outOfWorkBenefit(d.typeDraw(), start);
            String regime = regime(benefit, d);
            LocalDate end = null;
            if (firstJob != null && benefit.equals("UC") && d.continuesInWork()) {
                end = firstJob.start().minusDays(1);
                spells.add(new BenefitSpell("UC", "working_with_requirements", firstJob.start(), firstJob.end()));
            } else if (firstJob != null) {
                end = firstJob.start().plusDays(d.endsAfterJobStart());
            } else if (d.movesOff()) {
                end = randomised.plusDays(d.movesOffAfter());
            }
            spells.add(new BenefitSpell(benefit, regime, start, end));
            if (d.housing()) {
                spells.add(new BenefitSpell("HB", null, start, end));
            }
        }
        if (d.claimsAfterJobLoss()) {
            jobs.stream().filter(j -> !j.end().isBefore(randomised) && j.end().isBefore(extract)
                            && (death == null || j.end().isBefore(death)))
                    .min((a, b) -> a.end().compareTo(b.end()))
                    .ifPresent(lost -> {
                        LocalDate start = lost.end().plusDays(d.claimGap());
                        boolean covered = spells.stream().anyMatch(s -> !s.benefit().equals("HB")
                                && !start.isBefore(s.start()) && (s.end() == null || !start.isAfter(s.end())));
                        if (!covered) {
                            spells.add(new BenefitSpell("UC", d.regimeBlank() ? null : SEARCHING_REGIMES[d.regime()], start,
                                    start.plusDays(d.claimLength())));
                        }
                    });
        }
        if (d.disability()) {
            spells.add(new BenefitSpell(d.pip() ? "PIP" : "DLA", null, randomised.minusDays(d.disabilityDaysBefore()), null));
        }
        if (d.carer()) {
            spells.add(new BenefitSpell("CA", null, randomised.minusDays(d.carerDaysBefore()), null));
        }
        LocalDate stop = death != null && death.isBefore(extract) ? death : extract;
        List<BenefitSpell> cut = new ArrayList<>();
        for (BenefitSpell s : spells) {
            if (s.start().isAfter(stop) || (s.end() != null && s.end().isBefore(s.start()))) {
                continue;
            }
            LocalDate end = s.end();
            if (death != null && (end == null || end.isAfter(death)) && !death.isAfter(extract)) {
                end = death;
            }
            if (end != null && end.isAfter(extract)) {
                end = null;
            }
            cut.add(new BenefitSpell(s.benefit(), s.ucRegime(), s.start(), end));
        }
        return cut;
    }

    /**
     * Days of the outcome year (R..R+364) inside an out-of-work spell: JSA, ESA, IS, IB, and UC
     * unless its regime is working_with_requirements or light_touch (the contract's default set);
     * an open spell runs to the extract date.
     */
    static int daysOnOutOfWorkBenefit(List<BenefitSpell> spells, LocalDate randomised, LocalDate extract) {
        java.util.BitSet days = new java.util.BitSet(365);
        for (BenefitSpell s : spells) {
            boolean outOfWork = switch (s.benefit()) {
                case "JSA", "ESA", "IS", "IB" -> true;
                case "UC" -> !"working_with_requirements".equals(s.ucRegime()) && !"light_touch".equals(s.ucRegime());
                default -> false;
            };
            if (!outOfWork) {
                continue;
            }
            LocalDate end = s.end() == null ? extract : s.end();
            long from = Math.max(0, java.time.temporal.ChronoUnit.DAYS.between(randomised, s.start()));
            long to = Math.min(364, java.time.temporal.ChronoUnit.DAYS.between(randomised, end));
            if (from <= to) {
                days.set((int) from, (int) to + 1);
            }
        }
        return days.cardinality();
    }

    private static String outOfWorkBenefit(double draw, LocalDate start) {
        double[] shares = start.isBefore(UC_FULL_SERVICE) ? SHARES_BEFORE_UC : SHARES_AFTER_UC;
        double cumulative = 0;
        for (int i = 0; i < shares.length; i++) {
            cumulative += shares[i];
            if (draw < cumulative) {
                return OUT_OF_WORK_BEFORE_UC[i];
            }
        }
        return "UC";
    }

    private static String regime(String benefit, Draws d) {
        return benefit.equals("UC") && !d.regimeBlank() ? SEARCHING_REGIMES[d.regime()] : null;
    }
}
