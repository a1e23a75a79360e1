package org.ipstrial.etl.impact;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.ipstrial.etl.impact.AnalysisDataset.Baseline;
import org.ipstrial.etl.impact.AnalysisDataset.FollowUp;

/**
 * One analysis from files to files, in the order a statistical analysis plan requires: read and
 * validate the plan; read the dataset's header and baseline columns; write the lock (the plan's
 * hash); only then read outcomes; analyse; write the tables. An error in the plan or in baseline
 * data changes nothing on disk; an error in an outcome column leaves only the lock behind, which
 * records that the plan was fixed before the outcome was looked at.
 */
public final class ImpactAnalysisRun {
    private ImpactAnalysisRun() {}

    public static ImpactResults run(Path planFile, Path dataset, Path outputDirectory, PrintStream log) {
        AnalysisPlan plan = AnalysisPlanReader.read(planFile);
        Baseline baseline = AnalysisDatasetReader.readBaseline(dataset, plan);
        requireEveryTrialGroupPresent(plan, baseline, dataset);
        Map<String, Integer> unanalysed = ImpactAnalysis.unanalysedTrialGroups(plan, baseline);
        unanalysed.forEach((tg, n) -> log.println("note: trial group '" + tg + "' is in no analysis group of the plan ("
                + new DisclosureControl(plan.suppressionThreshold()).count(n) + " participants)"));
        PlanLock lock = PlanLock.write(plan, dataset.getFileName().toString(), baseline.size(), outputDirectory);
        log.println("plan '" + plan.name() + "' locked, sha256 " + lock.planSha256() + " (" + PlanLock.FILE_NAME + ")");
        FollowUp followUp = AnalysisDatasetReader.readFollowUp(dataset, plan, baseline, lock);
        ImpactResults results = ImpactAnalysis.analyse(plan, new AnalysisDataset(baseline, followUp));
        ImpactTablesWriter.write(results, outputDirectory);
        log.println("analysed " + baseline.size() + " participants, " + plan.groups().size() + " groups x "
                + plan.outcomes().size() + " outcomes; wrote " + String.join(", ", ImpactTablesWriter.IMPACT_TABLE,
                ImpactTablesWriter.SUBGROUP_TABLE, ImpactTablesWriter.BALANCE_TABLE, ImpactTablesWriter.NONRESPONSE_MODELS,
                ImpactTablesWriter.REPORT) + (plan.complierEffect() ? ", " + ImpactTablesWriter.COMPLIER_TABLE : "")
                + " to " + outputDirectory);
        return results;
    }

    /** A plan naming a trial group the data never mentions is almost always a typo: stop. */
    private static void requireEveryTrialGroupPresent(AnalysisPlan plan, Baseline baseline, Path dataset) {
        Set<String> present = new HashSet<>(Arrays.asList(baseline.trialGroups()));
        for (int g = 0; g < plan.groups().size(); g++) {
            var group = plan.groups().get(g);
            for (int t = 0; t < group.trialGroups().size(); t++) {
                if (!present.contains(group.trialGroups().get(t))) {
                    throw new AnalysisInputException("analysis plan: groups[" + g + "].trial_groups[" + t + "]: '"
                            + group.trialGroups().get(t) + "' has no participants in " + dataset.getFileName());
                }
            }
        }
    }
}
