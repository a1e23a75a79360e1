package org.ipstrial.api.core.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The CONSORT flow per trial group (with its site), per site and for the whole trial.
 *
 * <p>Definitions (docs/reports.md): a person counts once, by their latest screening and latest
 * agreement. Erased recruits count once each from the erasure log: screened when they had a trial
 * group; eligible and agreed when they had been randomised (randomisation needs both); otherwise
 * in {@code erasedBeforeRandomisation}, as their answers are gone. So screened = ineligible +
 * eligible + erasedBeforeRandomisation, and ineligible reasons are those of recruits on record. {@code randomised}
 * comes from the allocation log and includes erased recruits; its split by arm counts only
 * allocations before {@link ArmVisibility#until()}. Withdrawals and deaths count recruits with
 * such an event (an erased recruit's events are erased with them). {@code reasonTexts} gives the
 * wording of each ineligibility reason (a criterion id) in the eligibility rules.
 */
public record ConsortFlow(Instant armsUntil, boolean armsLive, List<String> arms, List<Box> rows, Map<String, String> reasonTexts) {
    public ConsortFlow {
        arms = List.copyOf(arms);
        rows = List.copyOf(rows);
        reasonTexts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reasonTexts));
    }

    /** The same figures with the arm split read up to another moment (a live reader's "now"). */
    ConsortFlow until(Instant until, boolean live) {
        return new ConsortFlow(until, live, arms, rows, reasonTexts);
    }

    /**
     * The boxes of one row. {@code level} is trial, site or trial_group; a trial group row with a null
     * code holds recruits erased before they were screened.
     */
    public record Box(String level, String site, String trialGroup, long screened, long ineligible,
            Map<String, Long> ineligibleByReason, long eligible, long erasedBeforeRandomisation, long awaitingAgreement, long declinedAgreement,
            long agreed, long randomised, Map<String, Long> randomisedByArm, long withdrawnService,
            long withdrawnResearch, long died, long erased, long erasedRandomised) {
        public Box {
            ineligibleByReason = Map.copyOf(ineligibleByReason);
            randomisedByArm = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(randomisedByArm));
        }

        Box plus(Box o, String level, String site, String group) {
            Map<String, Long> reasons = new LinkedHashMap<>(ineligibleByReason);
            o.ineligibleByReason.forEach((k, v) -> reasons.merge(k, v, Long::sum));
            Map<String, Long> byArm = new LinkedHashMap<>(randomisedByArm);
            o.randomisedByArm.forEach((k, v) -> byArm.merge(k, v, Long::sum));
            return new Box(level, site, group, screened + o.screened, ineligible + o.ineligible, reasons,
                    eligible + o.eligible, erasedBeforeRandomisation + o.erasedBeforeRandomisation, awaitingAgreement + o.awaitingAgreement, declinedAgreement + o.declinedAgreement,
                    agreed + o.agreed, randomised + o.randomised, byArm, withdrawnService + o.withdrawnService,
                    withdrawnResearch + o.withdrawnResearch, died + o.died, erased + o.erased, erasedRandomised + o.erasedRandomised);
        }

        static Box empty(String level, String site, String group, List<String> arms) {
            Map<String, Long> byArm = new LinkedHashMap<>();
            arms.forEach(a -> byArm.put(a, 0L));
            return new Box(level, site, group, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0, byArm, 0, 0, 0, 0, 0);
        }
    }

    /** Builds the site and trial rows as sums of the trial group rows (given in the definition's order). */
    public static ConsortFlow of(ArmVisibility visibility, List<String> arms, List<Box> groupRows, List<String> sites,
            Map<String, String> reasonTexts) {
        List<Box> rows = new ArrayList<>();
        Box trial = Box.empty(RecruitmentReport.TRIAL, null, null, arms);
        for (String site : sites) {
            Box siteBox = Box.empty(RecruitmentReport.SITE, site, null, arms);
            for (Box g : groupRows) {
                if (Objects.equals(g.site(), site)) {
                    siteBox = siteBox.plus(g, RecruitmentReport.SITE, site, null);
                }
            }
            trial = trial.plus(siteBox, RecruitmentReport.TRIAL, null, null);
            rows.add(siteBox);
        }
        List<Box> all = new ArrayList<>();
        all.add(trial);
        all.addAll(rows);
        all.addAll(groupRows);
        return new ConsortFlow(visibility.until(), visibility.live(), arms, all, reasonTexts);
    }

    public CsvTable csv(List<String> reasons) {
        List<String> header = new ArrayList<>(List.of("level", "site", "trial_group", "screened", "ineligible"));
        reasons.forEach(r -> header.add("ineligible_" + r));
        header.addAll(List.of("eligible", "erased_before_randomisation", "awaiting_agreement", "declined_agreement", "agreed", "randomised"));
        arms.forEach(a -> header.add("randomised_" + a + "_before_cutoff"));
        header.addAll(List.of("withdrawn_service", "withdrawn_research", "died", "erased", "erased_randomised"));
        List<List<Object>> out = new ArrayList<>();
        for (Box b : rows) {
            List<Object> row = new ArrayList<>();
            row.add(b.level());
            row.add(b.site());
            row.add(b.trialGroup());
            row.add(b.screened());
            row.add(b.ineligible());
            reasons.forEach(r -> row.add(b.ineligibleByReason().getOrDefault(r, 0L)));
            row.addAll(List.of(b.eligible(), b.erasedBeforeRandomisation(), b.awaitingAgreement(), b.declinedAgreement(), b.agreed(), b.randomised()));
            arms.forEach(a -> row.add(b.randomisedByArm().getOrDefault(a, 0L)));
            row.addAll(List.of(b.withdrawnService(), b.withdrawnResearch(), b.died(), b.erased(), b.erasedRandomised()));
            out.add(row);
        }
        return new CsvTable(header, out);
    }
}
