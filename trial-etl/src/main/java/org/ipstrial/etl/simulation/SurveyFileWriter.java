package org.ipstrial.etl.simulation;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One survey wave's file as the fieldwork agency sends it (contract section 3): one row per
 * interview of a responding participant, with "don't know" and "refused" answers; some people
 * interviewed twice (a partial interview, then the complete one); rows under identifiers that are
 * not participants'; malformed rows. The first wave's file has LF line ends, later waves a
 * byte-order mark and CRLF (a different agency system).
 */
final class SurveyFileWriter {
    static final List<String> ITEM_COLUMNS = itemColumns();

    private SurveyFileWriter() {}

    static List<String> columns() {
        List<String> header = new ArrayList<>(List.of("participant_id", "wave", "interview_date", "mode"));
        header.addAll(ITEM_COLUMNS);
        return header;
    }

    private static List<String> itemColumns() {
        List<String> items = new ArrayList<>();
        items.addAll(List.of(SurveyModel.SWEMWBS));
        items.addAll(List.of(SurveyModel.PHQ8));
        items.addAll(List.of(SurveyModel.GAD7));
        items.addAll(List.of(SurveyModel.JSSE));
        items.addAll(List.of(Scales.EQ5D_ITEMS));
        items.addAll(List.of("eq5d_vas", "ons_life_sat", "employed_now", "hours_per_week"));
        return List.copyOf(items);
    }

    private record Row(LocalDate date, String key, List<String> cells) {}

    /** Rows written, by kind. */
    record Counts(int rows, int interviews, int partialInterviews, int unknownIdentifiers, int malformedRows) {}

    static Counts write(SimulatedTrial trial, int waveIndex, Path file) {
        SimulationConfig config = trial.config();
        SimulationConfig.SurveyWave wave = config.waves().get(waveIndex);
        SimulationConfig.Messiness m = config.messiness();
        Streams streams = new Streams(config.seed());
        List<Row> rows = new ArrayList<>();
        int interviews = 0;
        int partials = 0;
        for (int i = 0; i < trial.persons().size(); i++) {
            SimulatedPerson p = trial.persons().get(i);
            PersonOutcomes o = trial.outcomes().get(i);
            PersonOutcomes.Wave outcome = o.waves().get(waveIndex);
            if (p.erased() || !outcome.responded()) {
                continue;
            }
            SplittableRandom random = streams.of("survey-rows/" + wave.wave(), i);
            SurveyModel.Draws d = p.waves().get(waveIndex);
            LocalDate date = outcome.interviewDate();
            List<EmploymentModel.Spell> jobs = o.jobs(p.treated());
            EmploymentModel.Spell job = jobs.stream().filter(s -> !date.isBefore(s.start()) && !date.isAfter(s.end()))
                    .findFirst().orElse(null);
            SimulatedTrial.GroupCalibration calibration = trial.calibrations().get(p.trialGroup());
            Map<String, Integer> answers = SurveyModel.answers(p.profile(), d, wave.months(),
                    p.treated() ? calibration.healthShifts().get(waveIndex) : 0,
                    p.treated() ? calibration.wellbeingShifts().get(waveIndex) : 0, job != null,
                    job == null ? "D" : EmploymentModel.hoursBand(job.annualPay()));
            List<String> items = new ArrayList<>();
            for (String item : ITEM_COLUMNS) {
                int answer = answers.get(item);
                if (answer >= 0 && Streams.chance(random, m.itemMissing())) {
                    items.add(Streams.chance(random, 0.5) ? "-8" : "-9");
                } else {
                    items.add(Integer.toString(answer));
                }
            }
            String mode = SurveyModel.mode(d);
            rows.add(row(ProviderFormats.participantId(p.participantId(), random, m), wave, date, mode, items, random, m));
            interviews++;
            if (Streams.chance(random, m.duplicateInterviews())) {
                // A partial interview a few days before the complete one: its first items only.
                int kept = (int) Math.floor(items.size() * d.partialShare());
                List<String> partial = new ArrayList<>(items.subList(0, kept));
                while (partial.size() < items.size()) {
                    partial.add("");
                }
                rows.add(row(ProviderFormats.participantId(p.participantId(), random, m), wave,
                        date.minusDays(d.partialDaysBefore()), mode, partial, random, m));
                partials++;
            }
        }
        int unknown = unknownIdentifiers(trial, rows, wave, streams, m);
        int malformed = malformed(rows, streams.of("survey-malformed/" + wave.wave(), 0), m);
        rows.sort(Comparator.comparing(Row::date).thenComparing(Row::key));
        CsvFile.Layout layout = waveIndex == 0 ? CsvFile.Layout.LF : CsvFile.Layout.BOM_CRLF;
        try (CsvFile csv = CsvFile.create(file, layout, columns())) {
            rows.forEach(r -> csv.row(r.cells()));
        }
        return new Counts(rows.size(), interviews, partials, unknown, malformed);
    }

    private static Row row(String id, SimulationConfig.SurveyWave wave, LocalDate date, String mode, List<String> items,
            SplittableRandom random, SimulationConfig.Messiness m) {
        List<String> cells = new ArrayList<>(List.of(id, wave.wave(), ProviderFormats.date(date, random, m), mode));
        cells.addAll(items);
        return new Row(date, id, cells);
    }

    /** Interviews under valid identifiers that belong to nobody in the trial (a mistyped letter, a test record). */
    private static int unknownIdentifiers(SimulatedTrial trial, List<Row> rows, SimulationConfig.SurveyWave wave, Streams streams,
            SimulationConfig.Messiness m) {
        Set<String> taken = new HashSet<>();
        trial.persons().forEach(p -> taken.add(p.participantId()));
        int count = (int) Math.round(rows.size() * m.unknownSurveyIds());
        SplittableRandom random = streams.of("survey-unknown/" + wave.wave(), 0);
        int original = rows.size();
        for (int k = 0; k < count && original > 0; k++) {
            String id;
            do {
                id = Identifiers.participantId(random);
            } while (!taken.add(id));
            Row copy = rows.get(random.nextInt(original));
            List<String> cells = new ArrayList<>(copy.cells());
            cells.set(0, id);
            rows.add(new Row(copy.date(), id, cells));
        }
        return count;
    }

    private static int malformed(List<Row> rows, SplittableRandom random, SimulationConfig.Messiness m) {
        int count = (int) Math.round(rows.size() * m.malformedRows());
        int original = rows.size();
        for (int k = 0; k < count && original > 0; k++) {
            Row copy = rows.get(random.nextInt(original));
            List<String> cells = new ArrayList<>(copy.cells());
            String id = cells.get(0).replaceAll("[- ]", "");
            if (random.nextBoolean()) {
                cells.set(0, ProviderFormats.mistyped(id, random));
            } else {
                cells.set(2, ProviderFormats.invalidDate(copy.date(), random));
            }
            rows.add(new Row(copy.date(), cells.get(0) + "~" + k, cells));
        }
        return count;
    }
}
