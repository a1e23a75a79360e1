package org.ipstrial.etl.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A linkage written from the contract's words alone (normalise, link on the first eight characters,
 * drop date-of-birth conflicts and rows without consent, build spells, count days and pay in the
 * outcome year) recovers every linkable participant's latent employment, earnings, months employed
 * and days on out-of-work benefits exactly from the messy payroll and benefit files: the messiness
 * is in the form, never in the facts.
 */
class LinkageRoundTripTest {
    private static final long SEED = 61;
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    @TempDir
    Path directory;

    private record Participant(String id, LocalDate dob, boolean consent, LocalDate randomised) {}

    private record Payment(LocalDate date, BigDecimal pay, String frequency, LocalDate leaving) {}

    @Test
    void contractRulesOnTheProvidersFilesGiveTheLatentOutcomes() {
        SimulatedTrial trial = TrialSimulator.simulate(Fixtures.small(SEED, 0.05));
        TrialFiles.write(trial, directory);
        LocalDate extract = trial.config().extracts().payroll();

        Map<String, Participant> byNino = new HashMap<>();
        for (CSVRecord r : skipHeader(Fixtures.records(directory.resolve("participants.csv")))) {
            if (!r.get(6).isEmpty()) {
                byNino.put(r.get(6).substring(0, 8), new Participant(r.get(0), LocalDate.parse(r.get(8)),
                        r.get(11).equals("true"), OffsetDateTime.parse(r.get(5)).atZoneSameInstant(LONDON).toLocalDate()));
            }
        }
        Map<String, Map<String, List<Payment>>> spellsByParticipant = new HashMap<>();
        int linked = 0;
        for (CSVRecord r : skipHeader(Fixtures.records(directory.resolve("payroll.csv")))) {
            String nino = ContractFormatTest.normalisedNino(r.get(0));
            LocalDate paid = ContractFormatTest.date(r.get(5));
            BigDecimal pay = money(r.get(7));
            LocalDate dob = r.get(1).isEmpty() ? null : ContractFormatTest.date(r.get(1));
            LocalDate start = r.get(3).isEmpty() ? null : ContractFormatTest.date(r.get(3));
            LocalDate leaving = r.get(4).isEmpty() ? null : ContractFormatTest.date(r.get(4));
            if (!ContractFormatTest.validNino(nino) || paid == null || pay == null || (!r.get(1).isEmpty() && dob == null)
                    || (!r.get(3).isEmpty() && start == null) || (!r.get(4).isEmpty() && leaving == null)) {
                continue; // quarantined
            }
            Participant p = byNino.get(nino.substring(0, 8));
            if (p == null || !p.consent() || (dob != null && !dob.equals(p.dob()))) {
                continue; // not a participant, no consent, or a date-of-birth conflict
            }
            String spell = r.get(2).strip() + "|" + (start == null ? "" : start);
            spellsByParticipant.computeIfAbsent(p.id(), k -> new HashMap<>()).computeIfAbsent(spell, k -> new ArrayList<>())
                    .add(new Payment(paid, pay, r.get(6), leaving));
            linked++;
        }
        assertThat(linked).isPositive();

        Map<String, List<LocalDate[]>> outOfWorkSpells = outOfWorkSpells(byNino, trial.config().extracts().benefits());
        int compared = 0;
        Map<String, Participant> byId = new HashMap<>();
        byNino.values().forEach(p -> byId.put(p.id(), p));
        List<CSVRecord> latent = Fixtures.records(directory.resolve("truth/latent-outcomes.csv"));
        List<String> columns = latent.get(0).toList();
        int months = columns.indexOf("months_employed_12m");
        int benefitDays = columns.indexOf("days_oow_benefit_12m");
        assertThat(months).isPositive();
        for (CSVRecord r : skipHeader(latent)) {
            if (!r.get(3).equals("1")) {
                continue;
            }
            Participant p = byId.get(r.get(0));
            LocalDate yearEnd = p.randomised().plusDays(364);
            BitSet days = new BitSet();
            BigDecimal earnings = BigDecimal.ZERO;
            for (Map.Entry<String, List<Payment>> spell : spellsByParticipant.getOrDefault(p.id(), Map.of()).entrySet()) {
                List<Payment> payments = spell.getValue();
                payments.sort((a, b) -> a.date().compareTo(b.date()));
                String startText = spell.getKey().substring(spell.getKey().indexOf('|') + 1);
                LocalDate start = startText.isEmpty() ? payments.get(0).date() : LocalDate.parse(startText);
                LocalDate end = payments.stream().map(Payment::leaving).filter(java.util.Objects::nonNull)
                        .max(LocalDate::compareTo).orElse(null);
                Payment last = payments.get(payments.size() - 1);
                if (end == null) {
                    end = last.date().isBefore(extract.minusDays(92)) ? afterOnePeriod(last) : extract;
                }
                for (Payment payment : payments) {
                    if (!payment.date().isBefore(p.randomised()) && !payment.date().isAfter(yearEnd)) {
                        earnings = earnings.add(payment.pay());
                    }
                }
                long from = Math.max(0, ChronoUnit.DAYS.between(p.randomised(), start));
                long to = Math.min(364, ChronoUnit.DAYS.between(p.randomised(), end));
                if (from <= to) {
                    days.set((int) from, (int) to + 1);
                }
            }
            assertThat(days.cardinality() >= 91 ? "1" : "0").as("employed 13 weeks, participant %s, seed %d", r.get(0), SEED)
                    .isEqualTo(r.get(4));
            int monthsEmployed = 0;
            for (int m = 1; m <= 12; m++) {
                int next = days.nextSetBit((int) Math.floor((m - 1) * 30.4375));
                if (next >= 0 && next <= (int) Math.floor(m * 30.4375) - 1) {
                    monthsEmployed++;
                }
            }
            assertThat(Integer.toString(monthsEmployed)).as("months employed, participant %s, seed %d", r.get(0), SEED)
                    .isEqualTo(r.get(months));
            BitSet onBenefit = new BitSet();
            for (LocalDate[] spell : outOfWorkSpells.getOrDefault(p.id(), List.of())) {
                long from = Math.max(0, ChronoUnit.DAYS.between(p.randomised(), spell[0]));
                long to = Math.min(364, ChronoUnit.DAYS.between(p.randomised(), spell[1]));
                if (from <= to) {
                    onBenefit.set((int) from, (int) to + 1);
                }
            }
            assertThat(Integer.toString(onBenefit.cardinality())).as("days on benefit, participant %s, seed %d", r.get(0), SEED)
                    .isEqualTo(r.get(benefitDays));
            assertThat(earnings.compareTo(new BigDecimal(r.get(7)))).as("earnings %s vs %s, participant %s, seed %d", earnings,
                    r.get(7), r.get(0), SEED).isZero();
            compared++;
        }
        assertThat(compared).isGreaterThan(400);
    }

    /** Linked out-of-work spells (start, end; open spells end at the extract) by participant, from benefits.csv. */
    private Map<String, List<LocalDate[]>> outOfWorkSpells(Map<String, Participant> byNino, LocalDate extract) {
        Map<String, List<LocalDate[]>> spells = new HashMap<>();
        for (CSVRecord r : skipHeader(Fixtures.records(directory.resolve("benefits.csv")))) {
            String nino = ContractFormatTest.normalisedNino(r.get(0));
            LocalDate dob = r.get(1).isEmpty() ? null : ContractFormatTest.date(r.get(1));
            LocalDate start = ContractFormatTest.date(r.get(4));
            LocalDate end = r.get(5).isEmpty() ? extract : ContractFormatTest.date(r.get(5));
            if (!ContractFormatTest.validNino(nino) || start == null || end == null || end.isBefore(start)
                    || (!r.get(1).isEmpty() && dob == null)) {
                continue; // quarantined
            }
            Participant p = byNino.get(nino.substring(0, 8));
            if (p == null || !p.consent() || (dob != null && !dob.equals(p.dob()))) {
                continue;
            }
            boolean outOfWork = switch (r.get(2)) {
                case "JSA", "ESA", "IS", "IB" -> true;
                case "UC" -> !r.get(3).equals("working_with_requirements") && !r.get(3).equals("light_touch");
                default -> false;
            };
            if (outOfWork) {
                spells.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(new LocalDate[] {start, end});
            }
        }
        return spells;
    }

    private static List<CSVRecord> skipHeader(List<CSVRecord> records) {
        return records.subList(1, records.size());
    }

    /** GBP with an optional leading minus, pound sign and thousands separators; null when it is not money. */
    private static BigDecimal money(String text) {
        String t = text.strip();
        boolean negative = t.startsWith("-");
        t = (negative ? t.substring(1) : t).replaceFirst("^£", "");
        if (!t.matches("(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d{1,2})?")) {
            return null;
        }
        BigDecimal value = new BigDecimal(t.replace(",", ""));
        return negative ? value.negate() : value;
    }

    /** The contract's end of a spell with no leaving date whose last payment is long past. */
    private static LocalDate afterOnePeriod(Payment last) {
        LocalDate d = last.date();
        return switch (last.frequency()) {
            case "W1" -> d.plusDays(7).minusDays(1);
            case "W2" -> d.plusDays(14).minusDays(1);
            case "W4" -> d.plusDays(28).minusDays(1);
            case "M1" -> d.plusMonths(1).minusDays(1);
            case "M3" -> d.plusMonths(3).minusDays(1);
            case "M6" -> d.plusMonths(6).minusDays(1);
            case "MA" -> d.plusMonths(12).minusDays(1);
            default -> d;
        };
    }
}
