package org.ipstrial.api.core.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.definition.TrialDefinition.BaselineItem;

/**
 * Baseline characteristics by arm within each trial group: for each answer code the number and
 * percentage of recruits giving it, for whole-number items the mean and standard deviation, and the
 * standardised difference between the first two arms of the design (a common rule of thumb reads
 * an absolute value above 0.1 as worth a look). Missing codes (-8, -9, -1) form one "missing" row
 * and are left out of means. Only recruits randomised before the arm cut-off with a baseline on
 * record count (erased recruits' answers are gone). Age at randomisation and sex come first, from
 * the identifiers ("prefer not to say" counts as missing).
 */
public record BaselineBalance(Instant armsUntil, boolean armsLive, List<String> arms, List<Group> groups) {
    public static final String MISSING = "missing";

    public BaselineBalance {
        arms = List.copyOf(arms);
        groups = List.copyOf(groups);
    }

    /** A trial group: recruits per arm and one row per category or whole-number summary. */
    public record Group(String trialGroup, String name, Map<String, Long> recruits, List<Row> rows) {
        public Group {
            recruits = Collections.unmodifiableMap(new LinkedHashMap<>(recruits));
            rows = List.copyOf(rows);
        }
    }

    /**
     * One line of the table. {@code kind}: "category" (count and percent per arm), "mean" (mean and
     * SD per arm over the non-missing answers, count = recruits answering) or "missing".
     */
    public record Row(String item, String label, String kind, Integer code, String category, Map<String, Long> count,
            Map<String, Double> percent, Map<String, Double> mean, Map<String, Double> sd, Double standardisedDifference) {}

    /** How many recruits of a group and arm gave a code for an item (for multi items: had the code among theirs). */
    public record Count(String trialGroup, String arm, String item, int code, long count) {
        Count withCount(long n) {
            return new Count(trialGroup, arm, item, code, n);
        }
    }

    /** Recruits of a group and arm with a baseline on record. */
    public record Recruits(String trialGroup, String arm, long count) {
        Recruits withCount(long n) {
            return new Recruits(trialGroup, arm, n);
        }
    }

    /** Age at randomisation and sex, from the identifiers: the first rows of every group's table. */
    static final List<BaselineItem> IDENTITY_ITEMS = List.of(
            new BaselineItem("age_at_randomisation", "Age at randomisation (years)", TrialDefinition.ItemType.integer, List.of(), 16, 120),
            new BaselineItem("sex", "Sex (as recorded with the identifiers)", TrialDefinition.ItemType.single,
                    List.of(new TrialDefinition.AnswerCode(1, "Female"), new TrialDefinition.AnswerCode(2, "Male"),
                            new TrialDefinition.AnswerCode(3, "Intersex")), null, null));

    public static BaselineBalance build(TrialDefinition definition, ArmVisibility visibility, List<String> arms,
            List<Recruits> recruits, List<Count> counts) {
        Map<String, Long> n = new HashMap<>();
        recruits.forEach(r -> n.merge(r.trialGroup() + "\u0000" + r.arm(), r.count(), Long::sum));
        Map<String, Long> c = new HashMap<>();
        counts.forEach(x -> c.merge(key(x.trialGroup(), x.arm(), x.item(), x.code()), x.count(), Long::sum));
        List<Group> groups = new ArrayList<>();
        for (var group : definition.trialGroups()) {
            Map<String, Long> perArm = new LinkedHashMap<>();
            arms.forEach(a -> perArm.put(a, n.getOrDefault(group.code() + "\u0000" + a, 0L)));
            List<Row> rows = new ArrayList<>();
            List<BaselineItem> items = new ArrayList<>(IDENTITY_ITEMS);
            items.addAll(definition.baseline().items());
            for (BaselineItem item : items) {
                rows.addAll(rowsOf(group.code(), item, arms, perArm, c, counts));
            }
            groups.add(new Group(group.code(), group.name(), perArm, rows));
        }
        return new BaselineBalance(visibility.until(), visibility.live(), arms, groups);
    }

    private static String key(String group, String arm, String item, int code) {
        return group + "\u0000" + arm + "\u0000" + item + "\u0000" + code;
    }

    private static List<Row> rowsOf(String group, BaselineItem item, List<String> arms, Map<String, Long> n,
            Map<String, Long> c, List<Count> counts) {
        List<Row> rows = new ArrayList<>();
        if (item.type() == TrialDefinition.ItemType.integer) {
            Map<String, Long> answered = new LinkedHashMap<>();
            Map<String, Double> mean = new LinkedHashMap<>();
            Map<String, Double> sd = new LinkedHashMap<>();
            for (String arm : arms) {
                long k = 0;
                double sum = 0;
                double sumSq = 0;
                for (Count x : counts) {
                    if (x.trialGroup().equals(group) && x.arm().equals(arm) && x.item().equals(item.id()) && x.code() >= 0) {
                        k += x.count();
                        sum += (double) x.code() * x.count();
                        sumSq += (double) x.code() * x.code() * x.count();
                    }
                }
                answered.put(arm, k);
                mean.put(arm, k == 0 ? null : sum / k);
                sd.put(arm, k < 2 ? null : Math.sqrt(Math.max(0, (sumSq - sum * sum / k) / (k - 1))));
            }
            rows.add(new Row(item.id(), item.label(), "mean", null, null, answered, null, mean, sd, meanDifference(arms, mean, sd)));
        } else {
            for (var code : item.codes()) {
                rows.add(category(group, item, code.code(), code.label(), arms, n, c, "category"));
            }
        }
        rows.add(missing(group, item, arms, n, c));
        return rows;
    }

    private static Row category(String group, BaselineItem item, int code, String label, List<String> arms,
            Map<String, Long> n, Map<String, Long> c, String kind) {
        Map<String, Long> count = new LinkedHashMap<>();
        for (String arm : arms) {
            count.put(arm, c.getOrDefault(key(group, arm, item.id(), code), 0L));
        }
        return proportions(item, kind, code, label, arms, n, count);
    }

    private static Row missing(String group, BaselineItem item, List<String> arms, Map<String, Long> n, Map<String, Long> c) {
        Map<String, Long> count = new LinkedHashMap<>();
        for (String arm : arms) {
            long k = 0;
            for (int code : new int[] {-8, -9, -1}) {
                k += c.getOrDefault(key(group, arm, item.id(), code), 0L);
            }
            count.put(arm, k);
        }
        return proportions(item, MISSING, null, "Missing (don't know, prefer not to say, not applicable)", arms, n, count);
    }

    private static Row proportions(BaselineItem item, String kind, Integer code, String label, List<String> arms,
            Map<String, Long> n, Map<String, Long> count) {
        Map<String, Double> percent = new LinkedHashMap<>();
        for (String arm : arms) {
            long total = n.get(arm);
            percent.put(arm, total == 0 ? null : 100.0 * count.get(arm) / total);
        }
        return new Row(item.id(), item.label(), kind, code, label, count, percent, null, null, proportionDifference(arms, percent));
    }

    /** (p1 - p2) / sqrt((p1(1-p1) + p2(1-p2)) / 2) between the first two arms; 0 when both are 0 or 1. */
    static Double proportionDifference(List<String> arms, Map<String, Double> percent) {
        if (arms.size() < 2 || percent.get(arms.get(0)) == null || percent.get(arms.get(1)) == null) {
            return null;
        }
        double p1 = percent.get(arms.get(0)) / 100;
        double p2 = percent.get(arms.get(1)) / 100;
        double denominator = Math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / 2);
        return denominator == 0 ? 0.0 : (p1 - p2) / denominator;
    }

    /** (m1 - m2) / sqrt((s1^2 + s2^2) / 2) between the first two arms. */
    static Double meanDifference(List<String> arms, Map<String, Double> mean, Map<String, Double> sd) {
        if (arms.size() < 2) {
            return null;
        }
        Double m1 = mean.get(arms.get(0));
        Double m2 = mean.get(arms.get(1));
        Double s1 = sd.get(arms.get(0));
        Double s2 = sd.get(arms.get(1));
        if (m1 == null || m2 == null || s1 == null || s2 == null) {
            return null;
        }
        double denominator = Math.sqrt((s1 * s1 + s2 * s2) / 2);
        return denominator == 0 ? 0.0 : (m1 - m2) / denominator;
    }

    public CsvTable csv() {
        List<String> header = new ArrayList<>(List.of("trial_group", "item", "label", "kind", "code", "category"));
        for (String a : arms) {
            header.addAll(List.of("n_" + a, "count_" + a, "percent_" + a, "mean_" + a, "sd_" + a));
        }
        header.add("standardised_difference");
        List<List<Object>> out = new ArrayList<>();
        for (Group g : groups) {
            for (Row r : g.rows()) {
                List<Object> row = new ArrayList<>(java.util.Arrays.asList(g.trialGroup(), r.item(), r.label(), r.kind(), r.code(), r.category()));
                for (String a : arms) {
                    row.add(g.recruits().get(a));
                    row.add(r.count().get(a));
                    row.add(r.percent() == null ? null : r.percent().get(a));
                    row.add(r.mean() == null ? null : r.mean().get(a));
                    row.add(r.sd() == null ? null : r.sd().get(a));
                }
                row.add(r.standardisedDifference());
                out.add(row);
            }
        }
        return new CsvTable(header, out);
    }
}
