package org.ipstrial.etl.impact;

import java.util.Locale;
import org.ipstrial.etl.impact.AnalysisPlan.AnalysisGroup;
import org.ipstrial.etl.impact.AnalysisPlan.Outcome;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeType;

/**
 * The HTML report, laid out like the reference trial's headline table: one row per analysis
 * group, one column per outcome, each cell the headline estimate with its significance mark.
 * Self-contained (inline style, no scripts), deterministic, disclosure-controlled.
 */
final class HtmlReport {
    private HtmlReport() {}

    static String render(ImpactResults results, DisclosureControl disclosure) {
        AnalysisPlan plan = results.plan();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Impact analysis: ")
                .append(esc(plan.name())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse;margin:1em 0}")
                .append("th,td{border:1px solid #999;padding:.3em .6em;text-align:right;vertical-align:top}")
                .append("th:first-child,td:first-child{text-align:left}small{color:#444}code{font-size:.9em}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>Intention-to-treat impact estimates</h1>\n");
        h.append("<p>Analysis plan <strong>").append(esc(plan.name())).append("</strong>, locked before any outcome was read; SHA-256 <code>")
                .append(results.planSha256()).append("</code>.</p>\n");

        h.append("<h2>Headline impacts</h2>\n<table>\n<tr><th>group</th>");
        for (Outcome o : plan.outcomes()) h.append("<th>").append(esc(o.label())).append("</th>");
        h.append("</tr>\n");
        for (AnalysisGroup g : plan.groups()) {
            h.append("<tr><td>").append(esc(g.name())).append("</td>");
            for (Outcome o : plan.outcomes()) {
                h.append("<td>").append(headlineCell(results.impact(g.name(), o.name(), Estimator.headline(o)), disclosure)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        h.append("<p>Significance: * 10%, ** 5%, *** 1% level; ns not significant (two-sided). Binary outcomes in percentage points "
                + "(ppt) with the arms' percentages; outcomes marked standardised in control-group standard deviations at follow-up "
                + "(sd), with the raw difference beneath. Administrative outcomes: regression-adjusted for the randomisation strata "
                + "and the pre-specified baseline covariates (missing covariate values by the missing-indicator method)"
                + (plan.minimised() ? ", and for the minimisation factors of the allocation ("
                        + esc(String.join(", ", plan.minimisationFactors())) + ")" : "") + ". Survey "
                + "outcomes: the same, weighted for non-response by the inverse probability of responding. Standard errors HC2; "
                + "95% intervals and p-values use Student's t with n &minus; k degrees of freedom.</p>\n");
        int k = disclosure.threshold();
        h.append("<p><strong>Disclosure control.</strong> Any count of people from 1 to ").append(k - 1)
                .append(" is shown as &lt;").append(k).append(" (a zero is shown: it describes nobody). An estimate is "
                        + "withheld when either arm has 1 to ").append(k - 1).append(" people analysed or, for a binary "
                        + "outcome, 1 to ").append(k - 1).append(" with or without the outcome. In the balance table, a "
                        + "lone withheld level of a variable is joined by the next smallest, so it cannot be recovered from "
                        + "the total; a mean and SD are withheld only when 1 to ").append(k - 1).append(" people have a value.</p>\n");

        h.append("<h2>All estimates</h2>\n<table>\n<tr><th>group</th><th>outcome</th><th>estimator</th><th>n T</th><th>n C</th>"
                + "<th>missing T</th><th>missing C</th><th>mean T</th><th>mean C</th><th>difference</th><th>SE (HC2)</th>"
                + "<th>95% CI</th><th>p</th><th></th><th>effect (sd)</th><th>risk ratio (95% CI)</th></tr>\n");
        for (ImpactEstimate e : results.impacts()) {
            boolean s = disclosure.suppress(e);
            h.append("<tr><td>").append(esc(e.group())).append("</td><td>").append(esc(e.outcome().name())).append("</td><td>")
                    .append(e.estimator().label()).append("</td>")
                    .append(td(disclosure.count(e.counts().treatment()))).append(td(disclosure.count(e.counts().control())))
                    .append(td(disclosure.count(e.counts().missingTreatment()))).append(td(disclosure.count(e.counts().missingControl())));
            if (s) {
                h.append("<td colspan=\"9\">suppressed</td>");
            } else {
                int d = Numbers.decimalsFor(Math.max(Math.abs(e.meanControl()), Math.abs(e.difference())));
                h.append(td(Numbers.plain(e.meanTreatment(), d))).append(td(Numbers.plain(e.meanControl(), d)))
                        .append(td(Numbers.signed(e.difference(), d))).append(td(Numbers.plain(e.standardError(), d)))
                        .append(td(Numbers.plain(e.lower(), d) + " to " + Numbers.plain(e.upper(), d)))
                        .append(td(pValue(e.pValue()))).append(td(e.stars()))
                        .append(td(e.outcome().standardised() ? Numbers.signed(e.effectSd(), 2) + " (" + Numbers.plain(e.effectSdLower(), 2)
                                + " to " + Numbers.plain(e.effectSdUpper(), 2) + ")" : ""))
                        .append(td(e.riskRatio() == null ? "" : Numbers.plain(e.riskRatio().ratio(), 2) + " ("
                                + Numbers.plain(e.riskRatio().lower(), 2) + " to " + Numbers.plain(e.riskRatio().upper(), 2) + ")"));
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");

        if (!results.complierEffects().isEmpty()) {
            h.append("<h2>Complier average causal effects</h2>\n<p>The effect among compliers, people who would attend at "
                    + "least one support session if offered it (column <code>").append(esc(plan.receivedColumn()))
                    .append("</code>), beside the intention-to-treat estimate it rescales. Random assignment is the instrument "
                    + "for attending: two-stage least squares with the same strata, covariates and (survey outcomes) "
                    + "non-response weights as the headline estimate; standard errors HC1; 95% intervals and p-values from "
                    + "Student's t with n &minus; k degrees of freedom. Compliance is the first-stage effect of assignment on "
                    + "attending. It rests on the exclusion restriction (being offered support without attending does not "
                    + "change the outcome) and on monotonicity; people whose attendance is unknown are left out and "
                    + "counted.</p>\n<table>\n<tr><th>group</th><th>outcome</th><th>n T</th><th>n C</th><th>attendance unknown</th>"
                    + "<th>compliance</th><th>first-stage F</th><th>ITT</th><th>CACE</th><th>SE (HC1)</th><th>95% CI</th>"
                    + "<th>p</th><th></th></tr>\n");
            for (ComplierEstimate e : results.complierEffects()) {
                h.append("<tr><td>").append(esc(e.group())).append("</td><td>").append(esc(e.outcome().name())).append("</td>")
                        .append(td(disclosure.count(e.nTreatment()))).append(td(disclosure.count(e.nControl())))
                        .append(td(disclosure.count(e.missingReceived())));
                if (disclosure.suppress(e)) {
                    h.append("<td colspan=\"8\">suppressed</td>");
                } else if (Double.isNaN(e.effect())) {
                    h.append(td(Numbers.plain(e.compliance(), 3))).append("<td colspan=\"7\">n/a</td>");
                } else {
                    int d = Numbers.decimalsFor(Math.max(Math.abs(e.itt()), Math.abs(e.effect())));
                    h.append(td(Numbers.plain(e.compliance(), 3))).append(td(Numbers.plain(e.firstStageF(), 1)))
                            .append(td(Numbers.signed(e.itt(), d))).append(td(Numbers.signed(e.effect(), d)))
                            .append(td(Numbers.plain(e.standardError(), d)))
                            .append(td(Numbers.plain(e.lower(), d) + " to " + Numbers.plain(e.upper(), d)))
                            .append(td(pValue(e.pValue()))).append(td(e.stars()));
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }

        if (!results.subgroups().isEmpty()) {
            h.append("<h2>Subgroups</h2>\n<p>Effect within each level from a model with the strata, the subgroup's levels and "
                    + "treatment &times; each level (weighted for survey outcomes); the interaction test is the Wald F test that "
                    + "the effects are equal across levels.</p>\n<table>\n<tr><th>group</th><th>outcome</th><th>subgroup</th>"
                    + "<th>level</th><th>n T</th><th>n C</th><th>effect</th><th>95% CI</th><th></th><th>interaction p</th></tr>\n");
            for (SubgroupEstimate e : results.subgroups()) {
                boolean s = disclosure.suppress(e);
                int d = Numbers.decimalsFor(e.effect());
                h.append("<tr><td>").append(esc(e.group())).append("</td><td>").append(esc(e.outcome())).append("</td><td>")
                        .append(esc(e.subgroup())).append("</td><td>").append(esc(e.level())).append("</td>")
                        .append(td(disclosure.count(e.nTreatment()))).append(td(disclosure.count(e.nControl())));
                if (s) {
                    h.append("<td colspan=\"3\">suppressed</td>");
                } else {
                    h.append(td(Numbers.signed(e.effect(), d))).append(td(Numbers.plain(e.lower(), d) + " to " + Numbers.plain(e.upper(), d)))
                            .append(td(Inference.stars(e.pValue())));
                }
                h.append(td(e.interaction() == null ? "n/a" : pValue(e.interaction().pValue()))).append("</tr>\n");
            }
            h.append("</table>\n");
        }

        h.append("<h2>Baseline balance</h2>\n<table>\n<tr><th>group</th><th>variable</th><th>level</th><th>n T</th><th>% T</th>"
                + "<th>mean (SD) T</th><th>n C</th><th>% C</th><th>mean (SD) C</th><th>standardised difference</th></tr>\n");
        boolean[][] withheld = disclosure.balanceSuppression(results.balance());
        for (int i = 0; i < results.balance().size(); i++) {
            BalanceRow r = results.balance().get(i);
            boolean t = withheld[i][0];
            boolean c = withheld[i][1];
            h.append("<tr><td>").append(esc(r.group())).append("</td><td>").append(esc(r.variable())).append("</td><td>")
                    .append(esc(r.level())).append("</td>")
                    .append(td(t ? "&lt;" + disclosure.threshold() : Integer.toString(r.nTreatment())))
                    .append(td(t ? "" : Numbers.plain(r.pctTreatment(), 1)))
                    .append(td(disclosure.small(r.nTreatment()) || Double.isNaN(r.meanTreatment()) ? "" : Numbers.plain(r.meanTreatment(), 2) + " (" + Numbers.plain(r.sdTreatment(), 2) + ")"))
                    .append(td(c ? "&lt;" + disclosure.threshold() : Integer.toString(r.nControl())))
                    .append(td(c ? "" : Numbers.plain(r.pctControl(), 1)))
                    .append(td(disclosure.small(r.nControl()) || Double.isNaN(r.meanControl()) ? "" : Numbers.plain(r.meanControl(), 2) + " (" + Numbers.plain(r.sdControl(), 2) + ")"))
                    .append(td(t || c || Double.isNaN(r.standardisedDifference()) ? "" : Numbers.signed(r.standardisedDifference(), 3)))
                    .append("</tr>\n");
        }
        h.append("</table>\n</body>\n</html>\n");
        return h.toString();
    }

    private static String headlineCell(ImpactEstimate e, DisclosureControl disclosure) {
        if (disclosure.suppress(e)) return "suppressed";
        if (Double.isNaN(e.difference())) return "n/a";
        String mark = " " + esc(e.stars());
        // Precision follows the outcome's scale (pounds, months, score points), not the effect's size.
        int d = Numbers.decimalsFor(Math.max(Math.abs(e.meanControl()), Math.abs(e.difference())));
        if (e.outcome().type() == OutcomeType.BINARY) {
            return Numbers.signed(100 * e.difference(), 1) + " ppt" + mark + "<br><small>T "
                    + Numbers.plain(100 * e.meanTreatment(), 1) + "%, C " + Numbers.plain(100 * e.meanControl(), 1) + "%</small>";
        }
        if (e.outcome().standardised()) {
            return Numbers.signed(e.effectSd(), 2) + " sd" + mark + "<br><small>raw "
                    + Numbers.signed(e.difference(), d) + "</small>";
        }
        return Numbers.signed(e.difference(), d) + mark;
    }

    private static String pValue(double p) {
        if (Double.isNaN(p)) return "n/a";
        return p < 0.001 ? "&lt;0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    private static String td(String content) {
        return "<td>" + content + "</td>";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
