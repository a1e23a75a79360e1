package org.ipstrial.etl.impact;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.ipstrial.etl.impact.AnalysisDataset.Baseline;
import org.ipstrial.etl.impact.AnalysisDataset.FollowUp;
import org.ipstrial.etl.impact.AnalysisPlan.Covariate;
import org.ipstrial.etl.impact.AnalysisPlan.CovariateKind;
import org.ipstrial.etl.impact.AnalysisPlan.Outcome;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeType;
import org.ipstrial.etl.impact.AnalysisPlan.Subgroup;

/**
 * Reads {@code analysis.csv} in two passes. The first checks the header (every column the plan
 * needs, outcomes included, must be there) and reads only baseline columns; the second, which needs
 * the {@link PlanLock} written in between, reads outcomes and survey response flags. Column names
 * are case-insensitive, a byte-order mark is allowed, an empty cell is missing. Any value that
 * cannot be read stops the analysis with the file, line and column; the value is quoted only for
 * columns that cannot hold an identifier, and the pseudonym is never quoted.
 */
public final class AnalysisDatasetReader {
    static final String PID = "pid";
    static final String TRIAL_GROUP = "trial_group";
    static final String ARM = "arm";

    private AnalysisDatasetReader() {}

    public static Baseline readBaseline(Path csv, AnalysisPlan plan) {
        return withRecords(csv, (header, records) -> {
            requireColumns(csv, header, plan);
            int pidCol = header.get(PID);
            int groupCol = header.get(TRIAL_GROUP);
            int armCol = header.get(ARM);
            int[] strataCols = plan.strata().stream().mapToInt(header::get).toArray();
            List<String> pids = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            List<String> strata = new ArrayList<>();
            List<Boolean> treatment = new ArrayList<>();
            Map<String, List<Double>> numeric = new LinkedHashMap<>();
            Map<String, List<Integer>> categorical = new LinkedHashMap<>();
            Map<String, List<Integer>> subgroups = new LinkedHashMap<>();
            for (Covariate c : plan.covariates()) {
                if (c.kind() == CovariateKind.NUMERIC) numeric.put(c.name(), new ArrayList<>());
                else categorical.put(c.name(), new ArrayList<>());
            }
            plan.subgroups().forEach(s -> subgroups.put(s.name(), new ArrayList<>()));
            Map<String, List<String>> factorValues = new LinkedHashMap<>();
            plan.minimisationTerms().forEach(f -> factorValues.put(f, new ArrayList<>()));
            Set<String> seen = new HashSet<>();
            for (CSVRecord r : records) {
                Cells cells = new Cells(csv, r, header.size());
                String pid = cells.text(pidCol);
                if (pid.isEmpty()) throw cells.error(PID, "is empty; every row needs its pseudonym");
                if (!seen.add(pid)) throw cells.error(PID, "repeats the pseudonym of an earlier row");
                pids.add(pid);
                String group = cells.text(groupCol);
                if (group.isEmpty()) throw cells.error(TRIAL_GROUP, "is empty");
                groups.add(group);
                StringBuilder stratum = new StringBuilder();
                for (int k = 0; k < strataCols.length; k++) {
                    String v = cells.text(strataCols[k]);
                    if (v.isEmpty()) throw cells.error(plan.strata().get(k), "is empty; it defines the randomisation stratum");
                    if (k > 0) stratum.append(" x ");
                    stratum.append(v);
                }
                strata.add(stratum.toString().intern()); // few distinct values: share them
                String arm = cells.text(armCol);
                switch (arm) {
                    case "treatment" -> treatment.add(true);
                    case "control" -> treatment.add(false);
                    default -> throw cells.error(ARM, "must be treatment or control, was '" + arm + "'");
                }
                for (Covariate c : plan.covariates()) {
                    int col = header.get(c.name().toLowerCase(Locale.ROOT));
                    if (c.kind() == CovariateKind.NUMERIC) {
                        numeric.get(c.name()).add(cells.number(col, c.name()));
                    } else {
                        categorical.get(c.name()).add(cells.level(col, c.name(), c.levels(), c.missingValues()));
                    }
                }
                for (Subgroup s : plan.subgroups()) {
                    int col = header.get(s.column().toLowerCase(Locale.ROOT));
                    int level;
                    if (s.bands().isEmpty()) {
                        level = cells.level(col, s.column(), s.levels(), s.missingValues());
                    } else {
                        double v = cells.bandValue(col, s.column());
                        level = -1;
                        for (int b = 0; b < s.bands().size() && !Double.isNaN(v); b++) {
                            if (s.bands().get(b).contains(v)) level = b;
                        }
                        if (!Double.isNaN(v) && level < 0) {
                            throw cells.error(s.column(), "the value falls in none of the bands of subgroup '" + s.name() + "'");
                        }
                    }
                    subgroups.get(s.name()).add(level);
                }
                factorValues.forEach((factor, values) -> values.add(cells.text(header.get(factor.toLowerCase(Locale.ROOT))).intern()));
            }
            List<Covariate> factors = new ArrayList<>();
            factorValues.forEach((factor, values) -> {
                List<String> levels = sortedLevels(values);
                if (levels.size() < 2) return; // one level in the whole dataset: a constant, nothing to adjust for
                factors.add(new Covariate(factor, CovariateKind.CATEGORICAL, levels));
                Map<String, Integer> index = new HashMap<>();
                for (int l = 0; l < levels.size(); l++) index.put(levels.get(l), l);
                categorical.put(factor, values.stream().map(v -> v.isEmpty() ? -1 : index.get(v)).toList());
            });
            int n = pids.size();
            boolean[] arms = new boolean[n];
            for (int i = 0; i < n; i++) arms[i] = treatment.get(i);
            Map<String, double[]> numericArrays = new HashMap<>();
            numeric.forEach((k, v) -> numericArrays.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
            Map<String, int[]> categoricalArrays = new HashMap<>();
            categorical.forEach((k, v) -> categoricalArrays.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
            Map<String, int[]> subgroupArrays = new HashMap<>();
            subgroups.forEach((k, v) -> subgroupArrays.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
            return new Baseline(n, pids.toArray(String[]::new), groups.toArray(String[]::new),
                    strata.toArray(String[]::new), arms, numericArrays, categoricalArrays, subgroupArrays, factors);
        });
    }

    /**
     * A minimisation factor's levels: the distinct non-empty values, numerically when every one is a
     * number, else as text; the first is the reference level of the dummy coding.
     */
    private static boolean isNumber(String value) {
        try {
            return Double.isFinite(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static List<String> sortedLevels(List<String> values) {
        Set<String> distinct = new HashSet<>(values);
        distinct.remove("");
        boolean numbers = distinct.stream().allMatch(AnalysisDatasetReader::isNumber);
        java.util.Comparator<String> order = numbers
                ? java.util.Comparator.comparingDouble((String v) -> Double.parseDouble(v)).thenComparing(v -> v)
                : java.util.Comparator.naturalOrder();
        return distinct.stream().sorted(order).toList();
    }

    /**
     * Reads outcomes and response flags. Requires the lock (so the plan was fixed and recorded
     * first) and checks the file still holds the same participants in the same order.
     */
    public static FollowUp readFollowUp(Path csv, AnalysisPlan plan, Baseline baseline, PlanLock lock) {
        if (!lock.planSha256().equals(AnalysisPlanReader.sha256(plan))) {
            throw new IllegalStateException("the lock was written for a different plan");
        }
        return withRecords(csv, (header, records) -> {
            requireColumns(csv, header, plan);
            int pidCol = header.get(PID);
            Map<String, double[]> outcomes = new HashMap<>();
            Map<String, double[]> responded = new HashMap<>();
            plan.outcomes().forEach(o -> outcomes.put(o.name(), new double[baseline.size()]));
            plan.outcomes().stream().filter(Outcome::survey).map(Outcome::wave).distinct()
                    .forEach(w -> responded.put(w, new double[baseline.size()]));
            double[] received = plan.complierEffect() ? new double[baseline.size()] : null;
            int receivedCol = plan.complierEffect() ? header.get(plan.receivedColumn().toLowerCase(Locale.ROOT)) : -1;
            int i = 0;
            for (CSVRecord r : records) {
                Cells cells = new Cells(csv, r, header.size());
                if (i >= baseline.size() || !baseline.pids()[i].equals(cells.text(pidCol))) {
                    throw cells.error(PID, "the file changed between reading baseline and outcomes (rows differ)");
                }
                for (Map.Entry<String, double[]> e : responded.entrySet()) {
                    String column = e.getKey() + "_responded";
                    double v = cells.number(header.get(column), column);
                    if (v != 0 && v != 1) throw cells.error(column, "must be 0 or 1");
                    e.getValue()[i] = v;
                }
                for (Outcome o : plan.outcomes()) {
                    double v = cells.number(header.get(o.name().toLowerCase(Locale.ROOT)), o.name());
                    if (o.type() == OutcomeType.BINARY && !Double.isNaN(v) && v != 0 && v != 1) {
                        throw cells.error(o.name(), "is a binary outcome: must be 0, 1 or empty");
                    }
                    if (o.survey() && !Double.isNaN(v) && responded.get(o.wave())[i] != 1) {
                        throw cells.error(o.name(), "holds a score but " + o.respondedColumn() + " is 0");
                    }
                    outcomes.get(o.name())[i] = v;
                }
                if (received != null) {
                    double v = cells.number(receivedCol, plan.receivedColumn());
                    if (!Double.isNaN(v) && v != 0 && v != 1) {
                        throw cells.error(plan.receivedColumn(), "is the treatment received: must be 0, 1 or empty");
                    }
                    received[i] = v;
                }
                i++;
            }
            if (i != baseline.size()) {
                throw new AnalysisInputException(csv.getFileName() + ": the file changed between reading baseline and outcomes ("
                        + i + " rows now, " + baseline.size() + " before)");
            }
            return new FollowUp(outcomes, responded, received);
        });
    }

    private static void requireColumns(Path csv, Map<String, Integer> header, AnalysisPlan plan) {
        Map<String, String> needed = new LinkedHashMap<>();
        needed.put(PID, "the pseudonym");
        needed.put(TRIAL_GROUP, "analysis groups");
        needed.put(ARM, "the arm");
        plan.strata().forEach(s -> needed.put(s, "strata"));
        for (int i = 0; i < plan.covariates().size(); i++) needed.putIfAbsent(plan.covariates().get(i).name(), "covariates[" + i + "]");
        for (int i = 0; i < plan.subgroups().size(); i++) needed.putIfAbsent(plan.subgroups().get(i).column(), "subgroups[" + i + "].column");
        for (int i = 0; i < plan.outcomes().size(); i++) {
            Outcome o = plan.outcomes().get(i);
            needed.putIfAbsent(o.name(), "outcomes[" + i + "]");
            if (o.survey()) needed.putIfAbsent(o.respondedColumn(), "outcomes[" + i + "].wave");
        }
        if (plan.complierEffect()) needed.putIfAbsent(plan.receivedColumn(), "complier_average_causal_effect.received");
        for (int i = 0; i < plan.minimisationFactors().size(); i++) {
            needed.putIfAbsent(plan.minimisationFactors().get(i), "minimisation_factors[" + i + "]");
        }
        Set<String> missing = new LinkedHashSet<>();
        needed.forEach((column, usedBy) -> {
            if (!header.containsKey(column.toLowerCase(Locale.ROOT))) missing.add("'" + column + "' (needed by " + usedBy + ")");
        });
        if (!missing.isEmpty()) {
            throw new AnalysisInputException(csv.getFileName() + ": missing column(s) " + String.join(", ", missing));
        }
    }

    private interface RecordsReader<T> {
        T read(Map<String, Integer> header, Iterable<CSVRecord> records);
    }

    private static <T> T withRecords(Path csv, RecordsReader<T> body) {
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            in.mark(1);
            if (in.read() != '\uFEFF') in.reset();
            try (CSVParser parser = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get().parse(in)) {
                java.util.Iterator<CSVRecord> it = parser.iterator();
                if (!it.hasNext()) throw new AnalysisInputException(csv.getFileName() + ": is empty (no header row)");
                CSVRecord headerRecord = it.next();
                Map<String, Integer> header = new HashMap<>();
                for (int c = 0; c < headerRecord.size(); c++) {
                    String name = headerRecord.get(c).strip().toLowerCase(Locale.ROOT);
                    if (header.put(name, c) != null) {
                        throw new AnalysisInputException(csv.getFileName() + " line 1: column '" + name + "' appears twice");
                    }
                }
                return body.read(header, () -> it);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new AnalysisInputException(csv + ": no such file", e);
        } catch (IOException | UncheckedIOException e) {
            throw new AnalysisInputException(csv.getFileName() + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** One data row, with the conversions and the error messages that name where a value is. */
    private static final class Cells {
        private final Path csv;
        private final CSVRecord record;

        Cells(Path csv, CSVRecord record, int width) {
            this.csv = csv;
            this.record = record;
            if (record.size() != width) {
                throw new AnalysisInputException(where() + ": has " + record.size() + " cells, the header has " + width);
            }
        }

        String text(int column) {
            return record.get(column).strip();
        }

        double number(int column, String name) {
            String v = record.get(column).strip();
            if (v.isEmpty()) return Double.NaN;
            try {
                double d = Double.parseDouble(v);
                if (!Double.isFinite(d)) throw error(name, "'" + v + "' is not a finite number");
                return d;
            } catch (NumberFormatException e) {
                throw error(name, "'" + v + "' is not a number");
            }
        }

        /** A number or a month YYYY-MM (see {@link AnalysisPlan.Band#monthOrNumber}); NaN when empty. */
        double bandValue(int column, String name) {
            String v = record.get(column).strip();
            if (v.isEmpty()) return Double.NaN;
            Double d = AnalysisPlan.Band.monthOrNumber(v);
            if (d == null) throw error(name, "'" + v + "' is neither a number nor a month YYYY-MM");
            return d;
        }

        int level(int column, String name, List<String> levels, List<String> missingValues) {
            String v = record.get(column).strip();
            if (v.isEmpty() || missingValues.contains(v)) return -1;
            int index = levels.indexOf(v);
            if (index < 0) {
                throw error(name, "'" + v + "' is not one of the plan's levels " + levels
                        + (missingValues.isEmpty() ? "" : " or missing values " + missingValues));
            }
            return index;
        }

        AnalysisInputException error(String column, String message) {
            return new AnalysisInputException(where() + ", column " + column + ": " + message);
        }

        private String where() {
            // Record numbers count the header as 1, so they are line numbers when no cell holds a line break.
            return csv.getFileName() + " line " + record.getRecordNumber();
        }
    }
}
