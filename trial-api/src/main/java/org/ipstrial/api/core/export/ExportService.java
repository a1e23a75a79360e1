package org.ipstrial.api.core.export;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.definition.TrialDefinition.BaselineItem;
import org.ipstrial.definition.TrialDefinition.ItemType;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.jdbi.v3.core.Jdbi;

/**
 * The files that leave the service: the participant and baseline files for the data custodian
 * (the ETL contract's section 4) and the survey sample frame for fieldwork. Each export is audited
 * (who, which file, how many rows); erased people are never in any of them.
 */
public final class ExportService {
    /** Version of the participant and baseline file layouts; see docs/exports.md. */
    public static final String EXPORT_VERSION = "1";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** ISO 8601 with a numeric offset (never "Z"), in the trial's time zone, as the contract shows. */
    private static final DateTimeFormatter RANDOMISED_AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator("\n").get();
    private final Jdbi jdbi;
    private final TrialContext trial;

    public ExportService(Jdbi jdbi, TrialContext trial) {
        this.jdbi = jdbi;
        this.trial = trial;
    }

    private static final String PARTICIPANTS = """
            SELECT r.participant_id, r.site, r.area, a.trial_group, a.arm, a.allocated_at, a.stratum_key, a.sequence,
                   i.nino, i.nhs_number, i.date_of_birth, i.sex, i.postcode,
                   (SELECT ag.answers::text FROM agreement ag WHERE ag.recruit_id = r.id ORDER BY ag.id DESC LIMIT 1) AS agreement,
                   (SELECT min(s.effective_date) FROM status_event s WHERE s.recruit_id = r.id AND s.kind = 'deceased') AS died,
                   (SELECT min(s.effective_date) FROM status_event s WHERE s.recruit_id = r.id AND s.kind = 'withdrawn_research') AS withdrew,
                   (SELECT min(s.effective_date) FROM status_event s WHERE s.recruit_id = r.id AND s.kind = 'withdrawn_service') AS left_service,
                   (SELECT string_agg(DISTINCT f.kind, ';' ORDER BY f.kind) FROM flag f WHERE f.recruit_id = r.id) AS flags
            FROM recruit r
            JOIN allocation a ON a.person_key = r.person_key
            LEFT JOIN identity i ON i.recruit_id = r.id
            ORDER BY r.participant_id""";

    /** The participant file: one row per randomised participant, erased people absent. */
    public void writeParticipants(TrialUser user, OutputStream out) {
        List<String> header = List.of("participant_id", "site", "area", "trial_group", "arm", "randomised_at", "nino",
                "nhs_number", "date_of_birth", "sex", "postcode", "consent_admin_linkage", "consent_survey_contact", "status",
                "status_date", "service_withdrawal_date", "flags", "stratum", "export_version", "arm_label");
        var arms = trial.definition().arms();
        int rows = jdbi.withHandle(h -> {
            try (CSVPrinter csv = printer(out, header); var stream = h.createQuery(PARTICIPANTS).mapToMap().stream()) {
                int n = 0;
                for (Map<String, Object> r : (Iterable<Map<String, Object>>) stream::iterator) {
                    Map<String, Boolean> agreement = answers((String) r.get("agreement"));
                    LocalDate died = localDate(r.get("died"));
                    LocalDate withdrew = localDate(r.get("withdrew"));
                    String status = died != null ? "deceased" : withdrew != null ? "withdrawn" : "active";
                    LocalDate statusDate = died != null ? died : withdrew;
                    csv.printRecord(r.get("participant_id"), r.get("site"), r.get("area"), r.get("trial_group"), r.get("arm"),
                            RANDOMISED_AT.format(instant(r.get("allocated_at")).atZone(TrialContext.TRIAL_ZONE)),
                            blank(r.get("nino")), blank(r.get("nhs_number")), blank(r.get("date_of_birth")), blank(r.get("sex")),
                            blank(r.get("postcode")), Boolean.TRUE.equals(agreement.get("admin_linkage")),
                            Boolean.TRUE.equals(agreement.get("survey_contact")), status, blank(statusDate),
                            blank(r.get("left_service")), blank(r.get("flags")), r.get("stratum_key"), EXPORT_VERSION,
                            arms.of((String) r.get("arm")).label());
                    n++;
                }
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        audit(user, "export_participants", rows);
    }

    /** Baseline answers of every randomised participant; a multi-choice item gives one 0/1 column per code. */
    public void writeBaseline(TrialUser user, OutputStream out) {
        List<BaselineItem> items = trial.definition().baseline().items();
        List<String> header = new ArrayList<>(List.of("participant_id", "questionnaire_version"));
        for (BaselineItem item : items) {
            if (item.type() == ItemType.multi) {
                item.codes().forEach(c -> header.add(item.id() + "_" + c.code()));
            } else {
                header.add(item.id());
            }
        }
        int rows = jdbi.withHandle(h -> {
            try (CSVPrinter csv = printer(out, header);
                    var stream = h.createQuery("""
                            SELECT r.participant_id, b.questionnaire_version, b.answers::text AS answers
                            FROM recruit r JOIN allocation a ON a.person_key = r.person_key
                            JOIN baseline b ON b.recruit_id = r.id ORDER BY r.participant_id""").mapToMap().stream()) {
                int n = 0;
                for (Map<String, Object> r : (Iterable<Map<String, Object>>) stream::iterator) {
                    Map<String, Object> answers = JSON.readValue((String) r.get("answers"), new TypeReference<Map<String, Object>>() {});
                    List<Object> record = new ArrayList<>(List.of(r.get("participant_id"), r.get("questionnaire_version")));
                    for (BaselineItem item : items) {
                        Object answer = answers.get(item.id());
                        if (item.type() != ItemType.multi) {
                            record.add(answer == null ? "" : answer);
                            continue;
                        }
                        List<?> chosen = answer instanceof List<?> l ? l : List.of();
                        boolean missing = chosen.size() == 1 && ((Number) chosen.get(0)).intValue() < 0;
                        for (var code : item.codes()) {
                            record.add(answer == null ? "" : missing ? chosen.get(0)
                                    : chosen.stream().anyMatch(c -> ((Number) c).intValue() == code.code()) ? 1 : 0);
                        }
                    }
                    csv.printRecord(record);
                    n++;
                }
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        audit(user, "export_baseline", rows);
    }

    /**
     * The survey sample frame: contact details as recorded at baseline, for participants who agreed
     * to survey contact and have not withdrawn from research or died. Nothing else: not the arm.
     */
    public void writeSampleFrame(TrialUser user, OutputStream out) {
        List<String> header = List.of("participant_id", "given_name", "family_name", "address", "postcode", "phone",
                "email", "language", "survey_mode", "randomised_on");
        int rows = jdbi.withHandle(h -> {
            try (CSVPrinter csv = printer(out, header);
                    var stream = h.createQuery("""
                            SELECT r.participant_id, c.given_name, c.family_name, c.address, c.postcode, c.phone, c.email,
                                   c.language, c.survey_mode, a.allocated_at
                            FROM recruit r JOIN allocation a ON a.person_key = r.person_key
                            JOIN baseline_contact c ON c.recruit_id = r.id
                            WHERE (SELECT (ag.answers ->> 'survey_contact')::boolean FROM agreement ag
                                   WHERE ag.recruit_id = r.id ORDER BY ag.id DESC LIMIT 1)
                              AND NOT EXISTS (SELECT 1 FROM status_event s WHERE s.recruit_id = r.id
                                              AND s.kind IN ('withdrawn_research', 'deceased'))
                            ORDER BY r.participant_id""").mapToMap().stream()) {
                int n = 0;
                for (Map<String, Object> r : (Iterable<Map<String, Object>>) stream::iterator) {
                    csv.printRecord(r.get("participant_id"), r.get("given_name"), r.get("family_name"), blank(r.get("address")),
                            r.get("postcode"), blank(r.get("phone")), blank(r.get("email")), blank(r.get("language")),
                            r.get("survey_mode"), instant(r.get("allocated_at")).atZone(TrialContext.TRIAL_ZONE).toLocalDate());
                    n++;
                }
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        audit(user, "export_sample_frame", rows);
    }

    private void audit(TrialUser user, String action, int rows) {
        jdbi.useTransaction(h -> AuditLog.append(h, trial.clock().instant(), user.username(), action, "export", Map.of("rows", rows)));
    }

    private static CSVPrinter printer(OutputStream out, List<String> header) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        return new CSVPrinter(writer, CSV.builder().setHeader(header.toArray(String[]::new)).get());
    }

    private static Map<String, Boolean> answers(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Boolean>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }

    private static LocalDate localDate(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        return (LocalDate) value;
    }

    private static Object blank(Object value) {
        return value == null ? "" : value;
    }
}
