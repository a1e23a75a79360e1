package org.ipstrial.etl.impact;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.ipstrial.etl.impact.NonResponseWeights.ResponseModel;

/**
 * Writes the released tables: impact, subgroup, balance and non-response models as CSV, plus the
 * HTML report. Everything passes through {@link DisclosureControl}; every row carries the plan's
 * hash; nothing depends on the clock, so the same inputs give the same bytes.
 */
public final class ImpactTablesWriter {
    public static final String IMPACT_TABLE = "impact-table.csv";
    public static final String SUBGROUP_TABLE = "subgroup-table.csv";
    public static final String BALANCE_TABLE = "balance-table.csv";
    public static final String NONRESPONSE_MODELS = "nonresponse-models.csv";
    public static final String REPORT = "impact-report.html";
    /** Written only when the plan asks for the complier average causal effect. */
    public static final String COMPLIER_TABLE = "cace-table.csv";

    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator("\n").get();

    private ImpactTablesWriter() {}

    /** Renders every output in memory first, then writes them, so a failure leaves no half-written table. */
    public static void write(ImpactResults results, Path outputDirectory) {
        DisclosureControl disclosure = new DisclosureControl(results.plan().suppressionThreshold());
        List<String[]> files = new ArrayList<>(List.of(
                new String[] {IMPACT_TABLE, impactTable(results, disclosure)},
                new String[] {SUBGROUP_TABLE, subgroupTable(results, disclosure)},
                new String[] {BALANCE_TABLE, balanceTable(results, disclosure)},
                new String[] {NONRESPONSE_MODELS, responseModels(results, disclosure)},
                new String[] {REPORT, HtmlReport.render(results, disclosure)}));
        if (results.plan().complierEffect()) files.add(new String[] {COMPLIER_TABLE, complierTable(results, disclosure)});
        try {
            Files.createDirectories(outputDirectory);
            for (String[] f : files) Files.write(outputDirectory.resolve(f[0]), f[1].getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AnalysisInputException("output directory " + outputDirectory + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    static String impactTable(ImpactResults results, DisclosureControl disclosure) {
        return csv(List.of("plan_sha256", "group", "outcome", "outcome_type", "source", "estimator", "headline",
                "n_treatment", "n_control", "missing_treatment", "missing_control", "mean_treatment", "mean_control",
                "difference", "se_hc2", "ci_lower", "ci_upper", "df", "p_value", "significance",
                "control_sd", "effect_sd", "effect_sd_ci_lower", "effect_sd_ci_upper",
                "risk_ratio", "rr_ci_lower", "rr_ci_upper", "model_terms", "suppressed"), printer -> {
            for (ImpactEstimate e : results.impacts()) {
                boolean suppressed = disclosure.suppress(e);
                List<String> row = new ArrayList<>(List.of(results.planSha256(), e.group(), e.outcome().name(),
                        lower(e.outcome().type().name()), lower(e.outcome().source().name()), e.estimator().label(),
                        Estimator.headline(e.outcome()) == e.estimator() ? "yes" : "no",
                        disclosure.count(e.counts().treatment()), disclosure.count(e.counts().control()),
                        disclosure.count(e.counts().missingTreatment()), disclosure.count(e.counts().missingControl())));
                if (suppressed) {
                    row.addAll(blanks(17));
                    row.add("yes");
                } else {
                    boolean sd = e.outcome().standardised();
                    RiskRatio rr = e.riskRatio();
                    row.addAll(List.of(Numbers.csv(e.meanTreatment()), Numbers.csv(e.meanControl()),
                            Numbers.csv(e.difference()), Numbers.csv(e.standardError()), Numbers.csv(e.lower()),
                            Numbers.csv(e.upper()), Numbers.csv(e.degreesOfFreedom()), Numbers.csv(e.pValue()), e.stars(),
                            sd ? Numbers.csv(e.controlSd()) : "", sd ? Numbers.csv(e.effectSd()) : "",
                            sd ? Numbers.csv(e.effectSdLower()) : "", sd ? Numbers.csv(e.effectSdUpper()) : "",
                            rr == null ? "" : Numbers.csv(rr.ratio()), rr == null ? "" : Numbers.csv(rr.lower()),
                            rr == null ? "" : Numbers.csv(rr.upper()), Numbers.csv(e.terms()), "no"));
                }
                printer.printRecord(row);
            }
        });
    }

    static String complierTable(ImpactResults results, DisclosureControl disclosure) {
        return csv(List.of("plan_sha256", "group", "outcome", "outcome_type", "source", "estimator", "received_column",
                "n_treatment", "n_control", "missing_received", "received_treatment", "received_control",
                "compliance", "compliance_se_hc2", "first_stage_f", "itt_difference", "itt_se_hc2",
                "cace", "se_hc1", "ci_lower", "ci_upper", "df", "p_value", "significance", "model_terms", "suppressed"), printer -> {
            for (ComplierEstimate e : results.complierEffects()) {
                boolean suppressed = disclosure.suppress(e);
                List<String> row = new ArrayList<>(List.of(results.planSha256(), e.group(), e.outcome().name(),
                        lower(e.outcome().type().name()), lower(e.outcome().source().name()), e.estimator().label(),
                        results.plan().receivedColumn(), disclosure.count(e.nTreatment()), disclosure.count(e.nControl()),
                        disclosure.count(e.missingReceived())));
                if (suppressed) {
                    row.addAll(blanks(15));
                    row.add("yes");
                } else {
                    row.addAll(List.of(disclosure.count(e.receivedTreatment()), disclosure.count(e.receivedControl()),
                            Numbers.csv(e.compliance()), Numbers.csv(e.complianceSe()), Numbers.csv(e.firstStageF()),
                            Numbers.csv(e.itt()), Numbers.csv(e.ittStandardError()), Numbers.csv(e.effect()),
                            Numbers.csv(e.standardError()), Numbers.csv(e.lower()), Numbers.csv(e.upper()),
                            Numbers.csv(e.degreesOfFreedom()), Numbers.csv(e.pValue()), e.stars(), Numbers.csv(e.terms()), "no"));
                }
                printer.printRecord(row);
            }
        });
    }

    static String subgroupTable(ImpactResults results, DisclosureControl disclosure) {
        return csv(List.of("plan_sha256", "group", "outcome", "subgroup", "level", "estimator", "n_treatment", "n_control",
                "subgroup_missing", "effect", "se_hc2", "ci_lower", "ci_upper", "p_value", "significance",
                "interaction_f", "interaction_df1", "interaction_df2", "interaction_p", "suppressed"), printer -> {
            for (SubgroupEstimate e : results.subgroups()) {
                boolean suppressed = disclosure.suppress(e);
                WaldTest w = e.interaction();
                List<String> row = new ArrayList<>(List.of(results.planSha256(), e.group(), e.outcome(), e.subgroup(), e.level(),
                        e.estimator(), disclosure.count(e.nTreatment()), disclosure.count(e.nControl()),
                        disclosure.count(e.missingSubgroup())));
                if (suppressed) {
                    row.addAll(blanks(6));
                } else {
                    row.addAll(List.of(Numbers.csv(e.effect()), Numbers.csv(e.standardError()), Numbers.csv(e.lower()),
                            Numbers.csv(e.upper()), Numbers.csv(e.pValue()), Inference.stars(e.pValue())));
                }
                row.addAll(w == null ? blanks(4) : List.of(Numbers.csv(w.statistic()), Numbers.csv(w.numeratorDf()),
                        Numbers.csv(w.denominatorDf()), Numbers.csv(w.pValue())));
                row.add(suppressed ? "yes" : "no");
                printer.printRecord(row);
            }
        });
    }

    static String balanceTable(ImpactResults results, DisclosureControl disclosure) {
        boolean[][] withheld = disclosure.balanceSuppression(results.balance());
        return csv(List.of("plan_sha256", "group", "variable", "level", "n_treatment", "pct_treatment", "mean_treatment",
                "sd_treatment", "n_control", "pct_control", "mean_control", "sd_control", "standardised_difference"), printer -> {
            for (int i = 0; i < results.balance().size(); i++) {
                BalanceRow r = results.balance().get(i);
                boolean t = withheld[i][0];
                boolean c = withheld[i][1];
                printer.printRecord(results.planSha256(), r.group(), r.variable(), r.level(),
                        t ? "<" + disclosure.threshold() : Numbers.csv(r.nTreatment()), t ? "" : Numbers.csv(r.pctTreatment()),
                        disclosure.small(r.nTreatment()) ? "" : Numbers.csv(r.meanTreatment()),
                        disclosure.small(r.nTreatment()) ? "" : Numbers.csv(r.sdTreatment()),
                        c ? "<" + disclosure.threshold() : Numbers.csv(r.nControl()), c ? "" : Numbers.csv(r.pctControl()),
                        disclosure.small(r.nControl()) ? "" : Numbers.csv(r.meanControl()),
                        disclosure.small(r.nControl()) ? "" : Numbers.csv(r.sdControl()),
                        t || c ? "" : Numbers.csv(r.standardisedDifference()));
            }
        });
    }

    static String responseModels(ImpactResults results, DisclosureControl disclosure) {
        return csv(List.of("plan_sha256", "group", "wave", "arm", "participants", "respondents", "iterations", "converged",
                "smallest_weight", "largest_weight"), printer -> {
            for (ResponseModel m : results.responseModels()) {
                printer.printRecord(results.planSha256(), m.group(), m.wave(), m.arm(), disclosure.count(m.participants()),
                        disclosure.count(m.respondents()), m.iterations(), m.converged() ? "yes" : "no",
                        Numbers.csv(m.smallestWeight()), Numbers.csv(m.largestWeight()));
            }
        });
    }

    private interface Rows {
        void print(CSVPrinter printer) throws IOException;
    }

    private static String csv(List<String> header, Rows rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSV)) {
            printer.printRecord(header);
            rows.print(printer);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toString();
    }

    private static List<String> blanks(int n) {
        String[] b = new String[n];
        Arrays.fill(b, "");
        return Arrays.asList(b);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
