package org.ipstrial.etl.build;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ipstrial.etl.config.EtlConfiguration;
import org.ipstrial.etl.derive.AdministrativeOutcomes;
import org.ipstrial.etl.derive.OutcomeWindows;
import org.ipstrial.etl.link.RowCounts;
import org.ipstrial.etl.link.FieldProblems;
import org.ipstrial.etl.pseudonym.PseudonymisationKey;
import org.ipstrial.etl.write.MatchRates;

/** The linkage report's content: counts only, in a fixed order, so reruns give the same bytes. */
final class ReportContent {
    private ReportContent() {}

    static Map<String, Object> of(EtlConfiguration config, PseudonymisationKey key, List<BuildCommand.SourceReport> sources,
            Map<Path, String> inputHashes,
            List<BuildCommand.ParticipantResult> results, List<DatasetLayout.WaveColumns> waves, Map<String, Long> duplicates,
            FieldProblems problems, long sharingNino, Path quarantineFolder, Path outFolder) {
        return of(config, key, sources, inputHashes, results, waves, duplicates, problems, sharingNino, quarantineFolder, outFolder, null);
    }

    /** @param delivery the delivery file's result, or null when none was given (the report is then as before) */
    static Map<String, Object> of(EtlConfiguration config, PseudonymisationKey key, List<BuildCommand.SourceReport> sources,
            Map<Path, String> inputHashes,
            List<BuildCommand.ParticipantResult> results, List<DatasetLayout.WaveColumns> waves, Map<String, Long> duplicates,
            FieldProblems problems, long sharingNino, Path quarantineFolder, Path outFolder, org.ipstrial.etl.link.DeliveryRows.Result delivery) {
        Map<String, Object> r = new LinkedHashMap<>();
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("program", "trial-etl " + ProgramVersion.get());
        about.put("key_identifier", key.identifier());
        about.put("content", "counts only: this report holds no identifier and no row of any input");
        r.put("about", about);

        Map<String, Object> restricted = new LinkedHashMap<>();
        restricted.put("warning", "RESTRICTED: these files hold identifiers. Owner-only permissions; the data custodian keeps them "
                + "in the safe haven; never give them to analysts or copy them with the dataset.");
        List<String> files = new ArrayList<>();
        for (BuildCommand.SourceReport s : sources) {
            files.add(outFolder.relativize(quarantineFolder.resolve(s.counts().source() + ".csv")).toString().replace('\\', '/'));
        }
        if (config.writeCrosswalk()) {
            files.add(BuildCommand.RESTRICTED + "/" + BuildCommand.CROSSWALK);
        }
        restricted.put("files", files);
        r.put("restricted_outputs", restricted);

        List<Object> inputs = new ArrayList<>();
        Map<String, Object> accounting = new LinkedHashMap<>();
        Map<String, Object> quarantine = new LinkedHashMap<>();
        Map<String, Object> unknown = new LinkedHashMap<>();
        Map<String, Object> conflicts = new LinkedHashMap<>();
        for (BuildCommand.SourceReport s : sources) {
            RowCounts c = s.counts();
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("source", c.source());
            in.put("file", s.source().file().getFileName().toString());
            in.put("sha256", inputHashes.get(s.source().file()));
            in.put("rows_read", c.read());
            inputs.add(in);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("read", c.read());
            a.put("linked", c.linked());
            a.put("quarantined", c.quarantined());
            a.put("date_of_birth_conflict", c.dateOfBirthConflict());
            a.put("no_linkage_consent", c.noLinkageConsent());
            a.put("not_a_participant", c.notAParticipant());
            a.put("identity", "read = linked + quarantined + date_of_birth_conflict + no_linkage_consent + not_a_participant: "
                    + (c.balances() ? "holds" : "DOES NOT HOLD"));
            accounting.put(c.source(), a);
            quarantine.put(c.source(), new LinkedHashMap<>(c.quarantinedByReason()));
            unknown.put(c.source(), s.columns().unknown());
            if (c.source().equals("payroll") || c.source().equals("benefits")) {
                conflicts.put(c.source(), c.dateOfBirthConflict());
            }
        }
        r.put("input_files", inputs);
        r.put("row_accounting", accounting);
        r.put("quarantine_by_reason", quarantine);
        r.put("unknown_columns", unknown);
        r.put("participants", participants(results, sharingNino));
        r.put("match_rates", matchRates(results, waves));
        r.put("date_of_birth_conflicts", conflicts);
        Map<String, Object> dup = new LinkedHashMap<>();
        for (BuildCommand.SourceReport s : sources) {
            if (duplicates.containsKey(s.counts().source())) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("participants_with_duplicate_interviews", duplicates.get(s.counts().source()));
                d.put("rows_superseded", s.counts().quarantinedByReason().getOrDefault("superseded_duplicate_interview", 0L));
                d.put("rule", "kept the interview with most items answered, then the later interview, then the earlier line");
                dup.put(s.counts().source(), d);
            }
        }
        r.put("duplicate_survey_interviews", dup);
        r.put("censored_outcomes", censoring(config, results));
        r.put("field_problems", new LinkedHashMap<>(problems.counts()));
        if (delivery != null) {
            r.put("delivery", delivery(results, delivery));
        }
        return r;
    }

    /** Treatment participants with and without the service's delivery values, by reason; engagement among those with. */
    private static Map<String, Object> delivery(List<BuildCommand.ParticipantResult> results, org.ipstrial.etl.link.DeliveryRows.Result delivery) {
        Map<String, Object> m = new LinkedHashMap<>();
        long treatment = 0;
        long known = 0;
        long engaged = 0;
        Map<String, Long> missing = new TreeMap<>();
        for (org.ipstrial.etl.link.DeliveryRows.MissingReason reason : org.ipstrial.etl.link.DeliveryRows.MissingReason.values()) {
            missing.put(reason.code(), 0L);
        }
        for (int i = 0; i < delivery.deliveries().length; i++) {
            if (delivery.deliveries()[i] != null) {
                known++;
                if (delivery.deliveries()[i].engaged()) {
                    engaged++;
                }
            }
            if (delivery.missing()[i] != null) {
                missing.merge(delivery.missing()[i].code(), 1L, Long::sum);
            }
        }
        for (BuildCommand.ParticipantResult p : results) {
            if (p.participant().arm() == org.ipstrial.etl.records.Arm.TREATMENT) {
                treatment++;
            }
        }
        m.put("rule", "control participants are absent from the file by design and get 0 (engaged 0, sessions 0, job starts 0); "
                + "treatment participants without a usable row get empty delivery values and delivery_missing_reason");
        m.put("treatment_participants", treatment);
        m.put("treatment_with_delivery", known);
        m.put("treatment_missing_by_reason", missing);
        m.put("treatment_engaged", engaged);
        return m;
    }

    private static Map<String, Object> participants(List<BuildCommand.ParticipantResult> results, long sharingNino) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in_dataset", results.size());
        Map<String, Long> byArm = new TreeMap<>();
        Map<String, Long> bySite = new TreeMap<>();
        Map<String, Long> byStatus = new TreeMap<>();
        long noConsent = 0;
        long noNino = 0;
        for (BuildCommand.ParticipantResult p : results) {
            byArm.merge(p.participant().arm().code(), 1L, Long::sum);
            bySite.merge(p.participant().site(), 1L, Long::sum);
            byStatus.merge(p.participant().status().map(s -> s.code()).orElse("unknown"), 1L, Long::sum);
            if (!p.linkable()) {
                if (p.missingReason() == AdministrativeOutcomes.MissingReason.NO_CONSENT) {
                    noConsent++;
                } else {
                    noNino++;
                }
            }
        }
        m.put("by_arm", byArm);
        m.put("by_site", bySite);
        m.put("by_status", byStatus);
        m.put("administrative_outcomes_missing_no_consent", noConsent);
        m.put("administrative_outcomes_missing_no_valid_nino", noNino);
        m.put("sharing_a_nino_with_another_participant", sharingNino);
        return m;
    }

    private static Map<String, Object> matchRates(List<BuildCommand.ParticipantResult> results, List<DatasetLayout.WaveColumns> waves) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<BuildCommand.ParticipantResult> linkable = results.stream().filter(BuildCommand.ParticipantResult::linkable).toList();
        m.put("administrative_any", MatchRates.of("all participants", units(results, p -> p.payrollLinked() || p.benefitsLinked())));
        m.put("administrative_any_among_linkable", MatchRates.of("participants with linkage consent and a valid NINO",
                units(linkable, p -> p.payrollLinked() || p.benefitsLinked())));
        m.put("payroll", MatchRates.of("all participants", units(results, BuildCommand.ParticipantResult::payrollLinked)));
        m.put("payroll_among_linkable", MatchRates.of("participants with linkage consent and a valid NINO",
                units(linkable, BuildCommand.ParticipantResult::payrollLinked)));
        m.put("benefits", MatchRates.of("all participants", units(results, BuildCommand.ParticipantResult::benefitsLinked)));
        m.put("benefits_among_linkable", MatchRates.of("participants with linkage consent and a valid NINO",
                units(linkable, BuildCommand.ParticipantResult::benefitsLinked)));
        for (int w = 0; w < waves.size(); w++) {
            int index = w;
            m.put("survey_" + waves.get(w).prefix(), MatchRates.of("all participants (linked = responded)",
                    units(results, p -> p.responded().get(index))));
        }
        return m;
    }

    private static List<MatchRates.Unit> units(List<BuildCommand.ParticipantResult> results,
            java.util.function.Predicate<BuildCommand.ParticipantResult> linked) {
        return results.stream().map(p -> new MatchRates.Unit(p.participant().arm().code(), p.participant().site(), linked.test(p))).toList();
    }

    private static Map<String, Object> censoring(EtlConfiguration config, List<BuildCommand.ParticipantResult> results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", "a window whose last day is after the extract date has no value (empty)");
        long payrollYear = 0;
        long benefitYear = 0;
        Map<String, Long> payrollMonths = new LinkedHashMap<>();
        Map<String, Long> benefitMonths = new LinkedHashMap<>();
        for (int month = 1; month <= OutcomeWindows.MONTHS; month++) {
            payrollMonths.put("m" + month, 0L);
            benefitMonths.put("m" + month, 0L);
        }
        for (BuildCommand.ParticipantResult p : results) {
            var r = p.participant().randomisationDate();
            if (OutcomeWindows.outcomeYear(r).isCensoredBy(config.payroll().extractDate())) {
                payrollYear++;
            }
            if (OutcomeWindows.outcomeYear(r).isCensoredBy(config.benefits().extractDate())) {
                benefitYear++;
            }
            for (int month = 1; month <= OutcomeWindows.MONTHS; month++) {
                if (OutcomeWindows.month(r, month).isCensoredBy(config.payroll().extractDate())) {
                    payrollMonths.merge("m" + month, 1L, Long::sum);
                }
                if (OutcomeWindows.month(r, month).isCensoredBy(config.benefits().extractDate())) {
                    benefitMonths.merge("m" + month, 1L, Long::sum);
                }
            }
        }
        m.put("participants_with_payroll_year_censored", payrollYear);
        m.put("participants_with_benefits_year_censored", benefitYear);
        m.put("participants_with_payroll_month_censored", payrollMonths);
        m.put("participants_with_benefit_month_censored", benefitMonths);
        return m;
    }
}
