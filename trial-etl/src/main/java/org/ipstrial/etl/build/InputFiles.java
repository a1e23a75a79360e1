package org.ipstrial.etl.build;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ipstrial.etl.config.EtlConfiguration;
import org.ipstrial.etl.derive.SurveyItem;
import org.ipstrial.etl.link.BenefitRows;
import org.ipstrial.etl.link.DeliveryRows;
import org.ipstrial.etl.link.ParticipantRows;
import org.ipstrial.etl.link.PayrollRows;
import org.ipstrial.etl.link.SurveyRows;
import org.ipstrial.etl.read.CsvSource;

/** The input files of a build, each with its columns (required and known). */
public record InputFiles(CsvSource participants, CsvSource baseline, CsvSource payroll, CsvSource benefits, List<CsvSource> waves,
        Optional<CsvSource> delivery) {

    public static InputFiles of(EtlConfiguration config) {
        Set<String> items = new HashSet<>();
        for (SurveyItem item : config.questionnaires().itemCatalogue()) {
            items.add(item.column());
        }
        Set<String> waveKnown = new HashSet<>(items);
        waveKnown.addAll(SurveyRows.WAVE_REQUIRED);
        Set<String> baselineKnown = new HashSet<>(waveKnown);
        List<CsvSource> waves = new ArrayList<>();
        for (EtlConfiguration.SurveyWave w : config.surveyWaves()) {
            waves.add(new CsvSource(w.file(), "survey wave " + w.code() + " file", SurveyRows.WAVE_REQUIRED, waveKnown::contains));
        }
        return new InputFiles(
                new CsvSource(config.participants(), "participant file", ParticipantRows.REQUIRED, c -> false),
                new CsvSource(config.baseline(), "baseline file", SurveyRows.BASELINE_REQUIRED, baselineKnown::contains),
                new CsvSource(config.payroll().file(), "payroll file", PayrollRows.REQUIRED, PayrollRows.OPTIONAL::contains),
                new CsvSource(config.benefits().file(), "benefit file", BenefitRows.REQUIRED, BenefitRows.OPTIONAL::contains),
                List.copyOf(waves),
                config.delivery().map(file -> new CsvSource(file, "delivery file", DeliveryRows.REQUIRED, c -> false)));
    }

    /** Every file, in a fixed order (the delivery file, when given, last). */
    public List<CsvSource> all() {
        List<CsvSource> all = new ArrayList<>(List.of(participants, baseline, payroll, benefits));
        all.addAll(waves);
        delivery.ifPresent(all::add);
        return all;
    }
}
