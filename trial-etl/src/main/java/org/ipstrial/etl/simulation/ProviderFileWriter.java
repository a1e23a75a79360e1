package org.ipstrial.etl.simulation;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The administrative files as the tax office (payroll) and the benefits department send them:
 * every participant's rows in their realised world (consenting or not, with or without a National
 * Insurance number recorded by the trial), rows of people who are not participants, and the
 * providers' messiness. Rows that must not link (malformed copies, date-of-birth conflicts) are
 * extra rows, so a correct linkage recovers each linkable participant's latent outcomes exactly.
 */
final class ProviderFileWriter {
    static final List<String> PAYROLL_COLUMNS = List.of("NINO", "date_of_birth", "employer_ref", "employment_start_date",
            "employment_end_date", "payment_date", "pay_frequency", "taxable_pay", "hours_band");
    /** {@code office_code} is a column the contract does not know: readers ignore and report it. */
    static final List<String> BENEFIT_COLUMNS = List.of("nino", "date_of_birth", "benefit", "uc_regime", "start_date", "end_date",
            "office_code");

    private ProviderFileWriter() {}

    /** A row and the clean values it is sorted by (providers send rows in date order). */
    private record Row(LocalDate date, String key, List<String> cells) {}

    /** Rows written, by kind, for the docs and the command's summary. */
    record Counts(int rows, int nonParticipantRows, int malformedRows, int dateOfBirthConflictRows, int adjustmentRows) {}

    static Counts writePayroll(SimulatedTrial trial, Path file) {
        SimulationConfig config = trial.config();
        SimulationConfig.Messiness m = config.messiness();
        Streams streams = new Streams(config.seed());
        List<Row> rows = new ArrayList<>();
        int adjustments = 0;
        for (int i = 0; i < trial.persons().size(); i++) {
            SimulatedPerson p = trial.persons().get(i);
            if (p.erased()) {
                continue;
            }
            PersonOutcomes o = trial.outcomes().get(i);
            SplittableRandom random = streams.of("payroll-rows", i);
            String nino = trueNino(p, streams, i);
            boolean dobOnRows = Streams.chance(random, m.dateOfBirthOnRow());
            double factor = p.treated() ? o.payFactor1() : 1;
            for (EmploymentModel.Spell spell : o.jobs(p.treated())) {
                adjustments += spellRows(rows, spell, nino, dobOnRows ? p.profile().dateOfBirth() : null, p.randomisedOn(), factor,
                        config, random);
            }
        }
        int participantRows = rows.size();
        for (int i = 0; i < trial.strangers().size(); i++) {
            SimulatedTrial.Stranger s = trial.strangers().get(i);
            SplittableRandom random = streams.of("payroll-stranger", i);
            for (EmploymentModel.Spell spell : s.jobs()) {
                adjustments += spellRows(rows, spell, s.nino(), Streams.chance(random, m.dateOfBirthOnRow()) ? s.dateOfBirth() : null,
                        config.recruitment().start(), 1, config, random);
            }
        }
        int strangerRows = rows.size() - participantRows;
        int conflicts = 0;
        for (int i = 0; i < trial.persons().size(); i++) {
            SimulatedPerson p = trial.persons().get(i);
            SplittableRandom random = streams.of("payroll-dob-conflict", i);
            if (p.erased() || p.nino().isEmpty() || !Streams.chance(random, m.dateOfBirthConflicts())) {
                continue;
            }
            // Someone else's pay under the participant's number: a different date of birth.
            LocalDate payDate = p.randomisedOn().plusDays(random.nextInt(365));
            String employer = String.format("%03d/ZZ%05d", random.nextInt(1000), random.nextInt(100_000));
            rows.add(new Row(payDate, p.nino(), List.of(ProviderFormats.nino(p.nino(), random, m),
                    ProviderFormats.date(otherDateOfBirth(p.profile().dateOfBirth(), random), random, m), employer,
                    ProviderFormats.date(payDate.minusDays(random.nextInt(200)), random, m), "",
                    ProviderFormats.date(payDate, random, m), "M1",
                    ProviderFormats.money(Streams.between(random, 20_000, 180_000), random, m), "")));
            conflicts++;
        }
        int malformed = addMalformed(rows, streams.of("payroll-malformed", 0), m, PayrollCorruption::corrupt);
        write(file, CsvFile.Layout.CRLF, PAYROLL_COLUMNS, rows);
        return new Counts(rows.size(), strangerRows, malformed, conflicts, adjustments);
    }

    private static int spellRows(List<Row> rows, EmploymentModel.Spell spell, String nino, LocalDate dob, LocalDate randomised,
            double factor, SimulationConfig config, SplittableRandom random) {
        SimulationConfig.Messiness m = config.messiness();
        int adjustments = 0;
        String band = EmploymentModel.hoursBand(spell.annualPay());
        for (EmploymentModel.Payment payment : EmploymentModel.payments(spell, config.extracts().payrollHistoryFrom(),
                config.extracts().payroll())) {
            long pence = EmploymentModel.paid(payment, randomised, factor);
            List<Long> amounts = new ArrayList<>();
            if (Streams.chance(random, m.negativeAdjustments())) {
                // An overpayment corrected by a negative adjustment on the same day: the total is unchanged.
                long over = Math.max(1, Math.round(pence * (0.05 + 0.25 * random.nextDouble())));
                amounts.add(pence + over);
                amounts.add(-over);
                adjustments++;
            } else {
                amounts.add(pence);
            }
            for (long amount : amounts) {
                String rowBand = Streams.chance(random, 0.10) ? "" : Streams.chance(random, 0.02) ? "E" : band;
                rows.add(new Row(payment.date(), nino + spell.employerRef(), List.of(ProviderFormats.nino(nino, random, m),
                        ProviderFormats.date(dob, random, m), spell.employerRef(),
                        spell.startBlank() ? "" : ProviderFormats.date(spell.start(), random, m),
                        payment.last() ? ProviderFormats.date(spell.end(), random, m) : "",
                        ProviderFormats.date(payment.date(), random, m), spell.frequency(), ProviderFormats.money(amount, random, m),
                        rowBand)));
            }
        }
        return adjustments;
    }

    static Counts writeBenefits(SimulatedTrial trial, Path file) {
        SimulationConfig config = trial.config();
        SimulationConfig.Messiness m = config.messiness();
        Streams streams = new Streams(config.seed());
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < trial.persons().size(); i++) {
            SimulatedPerson p = trial.persons().get(i);
            if (p.erased()) {
                continue;
            }
            PersonOutcomes o = trial.outcomes().get(i);
            SplittableRandom random = streams.of("benefit-rows", i);
            String nino = trueNino(p, streams, i);
            boolean dobOnRows = Streams.chance(random, m.dateOfBirthOnRow());
            for (BenefitModel.BenefitSpell spell : BenefitModel.world(p.benefits(), o.jobs(p.treated()), p.randomisedOn(), p.death(),
                    config.extracts().benefits())) {
                rows.add(benefitRow(spell, nino, dobOnRows ? p.profile().dateOfBirth() : null, random, m));
            }
        }
        int participantRows = rows.size();
        for (int i = 0; i < trial.strangers().size(); i++) {
            SimulatedTrial.Stranger s = trial.strangers().get(i);
            SplittableRandom random = streams.of("benefit-stranger", i);
            for (BenefitModel.BenefitSpell spell : s.benefits()) {
                rows.add(benefitRow(spell, s.nino(), Streams.chance(random, m.dateOfBirthOnRow()) ? s.dateOfBirth() : null, random, m));
            }
        }
        int strangerRows = rows.size() - participantRows;
        int conflicts = 0;
        for (int i = 0; i < trial.persons().size(); i++) {
            SimulatedPerson p = trial.persons().get(i);
            SplittableRandom random = streams.of("benefit-dob-conflict", i);
            if (p.erased() || p.nino().isEmpty() || !Streams.chance(random, m.dateOfBirthConflicts())) {
                continue;
            }
            LocalDate start = p.randomisedOn().plusDays(random.nextInt(365));
            rows.add(benefitRow(new BenefitModel.BenefitSpell("JSA", null, start, start.plusDays(Streams.between(random, 20, 200))),
                    p.nino(), otherDateOfBirth(p.profile().dateOfBirth(), random), random, m));
            conflicts++;
        }
        int malformed = addMalformed(rows, streams.of("benefit-malformed", 0), m, BenefitCorruption::corrupt);
        write(file, CsvFile.Layout.BOM_LF, BENEFIT_COLUMNS, rows);
        return new Counts(rows.size(), strangerRows, malformed, conflicts, 0);
    }

    private static Row benefitRow(BenefitModel.BenefitSpell spell, String nino, LocalDate dob, SplittableRandom random,
            SimulationConfig.Messiness m) {
        return new Row(spell.start(), nino + spell.benefit(), List.of(ProviderFormats.nino(nino, random, m),
                ProviderFormats.date(dob, random, m), spell.benefit(), spell.ucRegime() == null ? "" : spell.ucRegime(),
                ProviderFormats.date(spell.start(), random, m), ProviderFormats.date(spell.end(), random, m),
                String.format("%04d", random.nextInt(10_000))));
    }

    /**
     * The provider holds the person's real number even when the trial recorded none (a trace by name
     * and date of birth): those rows reach the file but cannot link.
     */
    private static String trueNino(SimulatedPerson p, Streams streams, int index) {
        if (!p.nino().isEmpty()) {
            return p.nino();
        }
        return Identifiers.nino(streams.of("unrecorded-nino", index));
    }

    /** Another date of birth: a different year, or day and month swapped. */
    private static LocalDate otherDateOfBirth(LocalDate dob, SplittableRandom random) {
        if (dob.getDayOfMonth() <= 12 && dob.getDayOfMonth() != dob.getMonthValue() && Streams.chance(random, 0.5)) {
            return LocalDate.of(dob.getYear(), dob.getDayOfMonth(), dob.getMonthValue());
        }
        return dob.minusYears(Streams.between(random, 1, 9));
    }

    @FunctionalInterface
    private interface Corruption {
        List<String> corrupt(List<String> cells, SplittableRandom random);
    }

    /** Malformed copies of random rows, a few per thousand: each one a row no reader may accept. */
    private static int addMalformed(List<Row> rows, SplittableRandom random, SimulationConfig.Messiness m, Corruption corruption) {
        int count = (int) Math.round(rows.size() * m.malformedRows());
        int original = rows.size();
        for (int k = 0; k < count && original > 0; k++) {
            Row row = rows.get(random.nextInt(original));
            rows.add(new Row(row.date(), row.key() + "~" + k, corruption.corrupt(row.cells(), random)));
        }
        return count;
    }

    private static final class PayrollCorruption {
        static List<String> corrupt(List<String> cells, SplittableRandom random) {
            List<String> c = new ArrayList<>(cells);
            LocalDate someDate = LocalDate.of(2019, 1 + random.nextInt(12), 1 + random.nextInt(28));
            switch (random.nextInt(4)) {
                case 0 -> c.set(0, ProviderFormats.invalidNino(normalised(c.get(0)), random));
                case 1 -> c.set(5, ProviderFormats.invalidDate(someDate, random));
                case 2 -> c.set(7, random.nextBoolean() ? "N/A" : "12.3.4");
                default -> c.set(5, "");
            }
            return c;
        }
    }

    private static final class BenefitCorruption {
        static List<String> corrupt(List<String> cells, SplittableRandom random) {
            List<String> c = new ArrayList<>(cells);
            LocalDate someDate = LocalDate.of(2019, 1 + random.nextInt(12), 1 + random.nextInt(28));
            switch (random.nextInt(3)) {
                case 0 -> c.set(0, ProviderFormats.invalidNino(normalised(c.get(0)), random));
                case 1 -> c.set(4, ProviderFormats.invalidDate(someDate, random));
                default -> {
                    // Ends before it starts.
                    c.set(4, someDate.toString());
                    c.set(5, someDate.minusDays(1 + random.nextInt(60)).toString());
                }
            }
            return c;
        }
    }

    /** The normalised number with a suffix (invalid forms are made from it). */
    private static String normalised(String nino) {
        String n = nino.toUpperCase(java.util.Locale.ROOT).replace(" ", "");
        return n.length() == 8 ? n + "A" : n;
    }

    private static void write(Path file, CsvFile.Layout layout, List<String> header, List<Row> rows) {
        rows.sort(Comparator.comparing(Row::date).thenComparing(Row::key));
        try (CsvFile csv = CsvFile.create(file, layout, header)) {
            for (Row row : rows) {
                csv.row(row.cells());
            }
        }
    }
}
