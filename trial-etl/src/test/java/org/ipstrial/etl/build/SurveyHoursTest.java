package org.ipstrial.etl.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ipstrial.etl.EtlMain;
import org.ipstrial.etl.impact.AnalysisDataset;
import org.ipstrial.etl.impact.AnalysisDatasetReader;
import org.ipstrial.etl.impact.AnalysisPlan;
import org.ipstrial.etl.impact.AnalysisPlanReader;
import org.ipstrial.etl.read.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's example: {@code hours_per_week} 37.5 is a valid answer and is kept as 37.5, through
 * the dataset, its dictionary and the impact analysis's reader.
 */
class SurveyHoursTest {
    @TempDir
    Path dir;

    @Test
    void thirtySevenAndAHalfHoursReachTheDatasetTheDictionaryAndTheAnalysis() throws Exception {
        SmallTrial trial = new SmallTrial(dir);
        trial.write("baseline.csv", "participant_id,hours_per_week\n"
                + SmallTrial.P1 + ",37.5\n" + SmallTrial.P4 + ",16\n" + SmallTrial.P5 + ",37.555\n");
        trial.write("survey-4m.csv", "participant_id,wave,interview_date,mode,employed_now,hours_per_week\n"
                + SmallTrial.P1 + ",4m,2019-05-20,web,1,37.5\n"
                + SmallTrial.P3 + ",4m,2019-07-01,web,1,7.25\n"
                + SmallTrial.P4 + ",4m,2019-07-01,web,1,40.00\n"
                + SmallTrial.P5 + ",4m,2019-11-01,web,1,-1\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = EtlMain.run(new String[] {"build", "--config", trial.config.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true), Progress.silent());
        assertThat(status).as(err.toString()).isZero();

        Map<String, Map<String, String>> rows = trial.analysisByParticipant();
        assertThat(rows.get(SmallTrial.P1)).containsEntry("m4_hours_per_week", "37.5").containsEntry("m0_hours_per_week", "37.5");
        assertThat(rows.get(SmallTrial.P3)).containsEntry("m4_hours_per_week", "7.25");
        assertThat(rows.get(SmallTrial.P4)).containsEntry("m4_hours_per_week", "40").containsEntry("m0_hours_per_week", "16");
        assertThat(rows.get(SmallTrial.P5)).containsEntry("m4_hours_per_week", "").containsEntry("m0_hours_per_week", "");

        List<Map<String, String>> dictionary = SmallTrial.readCsv(trial.out().resolve("dictionary.csv"));
        Map<String, String> hours = dictionary.stream().filter(v -> v.get("name").equals("m4_hours_per_week")).findFirst().orElseThrow();
        assertThat(hours.get("type")).isEqualTo("decimal");
        assertThat(hours.get("rule")).contains("up to 2 decimals");
        assertThat(Files.readString(trial.out().resolve("linkage-report.json")))
                .contains("baseline: hours_per_week: not a number with up to 2 decimals (not an answer)");

        AnalysisPlan plan = AnalysisPlanReader.parse("""
                plan: hours-test
                strata: [site, trial_group]
                suppression_threshold: 1
                groups:
                  - name: all
                    trial_groups: [A-OOW, A-IW, B-OOW]
                outcomes:
                  - name: m4_hours_per_week
                    type: continuous
                    source: survey
                    wave: m4
                covariates:
                  - name: m0_hours_per_week
                    kind: numeric
                nonresponse:
                  m4: [m0_hours_per_week]
                """, "hours-test.yml");
        AnalysisDataset.Baseline baseline = AnalysisDatasetReader.readBaseline(trial.out().resolve("analysis.csv"), plan);
        double[] m0Hours = baseline.numeric().get("m0_hours_per_week");
        assertThat(m0Hours).contains(37.5, 16.0);
    }
}
