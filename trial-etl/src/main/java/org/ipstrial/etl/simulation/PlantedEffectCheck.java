package org.ipstrial.etl.simulation;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Sets the headline estimates of an impact table beside the effects planted in a simulated trial
 * (its truth/effects.csv) and says which planted effects lie inside their 95% interval. For the
 * demo: an interval misses its truth now and then, as 95% intervals should.
 *
 * <p>Usage: {@code PlantedEffectCheck TRUTH_EFFECTS_CSV IMPACT_TABLE_CSV}; exit status 2 on bad input.
 */
public final class PlantedEffectCheck {
    private PlantedEffectCheck() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: PlantedEffectCheck truth/effects.csv impact-table.csv");
            System.exit(2);
        }
        Map<String, Double> planted = new HashMap<>();
        for (CSVRecord r : read(Path.of(args[0]))) {
            planted.put(r.get("analysis_group") + "|" + r.get("outcome"), Double.parseDouble(r.get("planted_effect")));
        }
        int inside = 0;
        int compared = 0;
        System.out.printf(Locale.ROOT, "%-16s %-20s %12s %12s %26s  %s%n", "group", "outcome", "planted", "estimate", "95% interval", "inside");
        for (CSVRecord r : read(Path.of(args[1]))) {
            Double truth = planted.get(r.get("group") + "|" + r.get("outcome"));
            if (!"yes".equals(r.get("headline")) || truth == null || r.get("ci_lower").isEmpty()) {
                continue;
            }
            double lower = Double.parseDouble(r.get("ci_lower"));
            double upper = Double.parseDouble(r.get("ci_upper"));
            boolean covered = lower <= truth && truth <= upper;
            compared++;
            inside += covered ? 1 : 0;
            System.out.printf(Locale.ROOT, "%-16s %-20s %12.3f %12.3f %12.3f to %10.3f  %s%n", r.get("group"), r.get("outcome"),
                    truth, Double.parseDouble(r.get("difference")), lower, upper, covered ? "yes" : "NO");
        }
        System.out.printf(Locale.ROOT, "%d of %d planted effects inside their 95%% interval%n", inside, compared);
    }

    private static Iterable<CSVRecord> read(Path file) throws IOException {
        Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader);
    }
}
