package org.ipstrial.etl.simulation;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The trial service's own exports (contract section 4), written exactly as the service's
 * ExportService writes them: the same columns in the same order, LF line ends, no byte-order
 * mark, one row per randomised participant in identifier order, erased people absent.
 */
final class ServiceExportWriter {
    static final List<String> PARTICIPANT_COLUMNS = List.of("participant_id", "site", "area", "trial_group", "arm",
            "randomised_at", "nino", "nhs_number", "date_of_birth", "sex", "postcode", "consent_admin_linkage",
            "consent_survey_contact", "status", "status_date", "service_withdrawal_date", "flags", "stratum", "export_version");
    /** The service's export layout version (ExportService.EXPORT_VERSION). */
    static final String EXPORT_VERSION = "1";
    /** As the service writes it: Europe/London, to the second, with a numeric offset (never "Z"). */
    static final DateTimeFormatter RANDOMISED_AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private ServiceExportWriter() {}

    static List<SimulatedPerson> inExport(SimulatedTrial trial) {
        return trial.persons().stream().filter(p -> !p.erased())
                .sorted(Comparator.comparing(SimulatedPerson::participantId)).toList();
    }

    static int writeParticipants(SimulatedTrial trial, Path file) {
        try (CsvFile csv = CsvFile.create(file, CsvFile.Layout.LF, PARTICIPANT_COLUMNS)) {
            for (SimulatedPerson p : inExport(trial)) {
                csv.row(List.of(p.participantId(), p.recruit().site(), p.recruit().area(), p.trialGroup(), p.arm(),
                        RANDOMISED_AT.format(p.recruit().randomisedAt()),
                        p.nino(), p.nhsNumber(), p.profile().dateOfBirth().toString(), p.profile().sex(), p.postcode(),
                        Boolean.toString(p.consentAdminLinkage()), Boolean.toString(p.consentSurveyContact()), p.status(),
                        p.statusDate() == null ? "" : p.statusDate().toString(),
                        p.serviceWithdrawal() == null ? "" : p.serviceWithdrawal().toString(), "",
                        p.allocation().stratum().key(), EXPORT_VERSION));
            }
            return csv.rows();
        }
    }

    static List<String> baselineColumns(TrialShape trial) {
        List<String> header = new ArrayList<>(List.of("participant_id", "questionnaire_version"));
        trial.baselineItems().forEach(item -> header.addAll(item.columns()));
        return header;
    }

    /** Baseline answers; a multi-choice item gives one 0/1 column per code (its missing code in each when missing). */
    static int writeBaseline(SimulatedTrial trial, Path file) {
        TrialShape shape = trial.config().trial();
        try (CsvFile csv = CsvFile.create(file, CsvFile.Layout.LF, baselineColumns(shape))) {
            for (SimulatedPerson p : inExport(trial)) {
                List<Object> row = new ArrayList<>(List.of(p.participantId(), shape.baselineVersion()));
                Map<String, Object> answers = p.profile().answers();
                for (TrialShape.BaselineItem item : shape.baselineItems()) {
                    Object answer = answers.get(item.id());
                    if (item.type() != TrialShape.ItemType.multi) {
                        row.add(answer == null ? "" : answer);
                        continue;
                    }
                    List<?> chosen = answer instanceof List<?> l ? l : List.of();
                    boolean missing = chosen.size() == 1 && ((Integer) chosen.get(0)) < 0;
                    for (int code : item.codes()) {
                        row.add(answer == null ? "" : missing ? chosen.get(0) : chosen.contains(code) ? 1 : 0);
                    }
                }
                csv.row(row);
            }
            return csv.rows();
        }
    }
}
