package org.ipstrial.api.db;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Recruits and what was recorded at their first appointment: all of it erasable personal data. */
@RegisterConstructorMapper(RecruitDao.RecruitRow.class)
@RegisterConstructorMapper(RecruitDao.ScreeningRow.class)
@RegisterConstructorMapper(RecruitDao.AgreementRow.class)
@RegisterConstructorMapper(RecruitDao.IdentityRow.class)
@RegisterConstructorMapper(RecruitDao.StatusRow.class)
@RegisterConstructorMapper(RecruitDao.SummaryRow.class)
public interface RecruitDao {
    /** {@code randomised}: kept by the randomising transaction, so the locked row answers it (no second look-up). */
    record RecruitRow(UUID id, String participantId, UUID personKey, String site, String area, String trialGroup, Instant createdAt,
            boolean randomised) {}

    record ScreeningRow(boolean eligible, String trialGroup, String rulesVersion, String[] failedCriteria) {}

    record AgreementRow(String formVersion, String answers, boolean agreed) {}

    record IdentityRow(String nino, String nhsNumber, String givenName, String familyName, LocalDate dateOfBirth,
            String sex, String postcode, String phone, String email, String address, String language,
            String communicationNeeds, String surveyMode, String surveyModeReason) {
        @Override
        public String toString() {
            return "IdentityRow[redacted]";
        }
    }

    record StatusRow(String kind, LocalDate effectiveDate) {}

    record SummaryRow(String participantId, String givenName, String familyName, String trialGroup, Instant createdAt,
            boolean randomised, String status) {}

    // The writes of the first appointment, each composed with its audit event into one statement
    // (AuditLog.withEvent); a trigger (release-0.2.0.sql) sets the recruit's place in the flow from a screening.
    String INSERT_RECRUIT = """
            INSERT INTO recruit (id, participant_id, person_key, site, area, created_by, created_at)
            VALUES (:id, :participantId, :personKey, :site, :area, :createdBy, :createdAt)""";

    String INSERT_SCREENING = """
            INSERT INTO screening (recruit_id, site, area, trial_group, eligible, failed_criteria, rules_version, answers, screened_by, screened_at)
            VALUES (:recruitId, :site, :area, :trialGroup, :eligible, :failedCriteria, :rulesVersion, CAST(:answers AS jsonb), :screenedBy, :screenedAt)""";

    String INSERT_AGREEMENT = """
            INSERT INTO agreement (recruit_id, form_version, answers, agreed, taken_by, taken_at)
            VALUES (:recruitId, :formVersion, CAST(:answers AS jsonb), :agreed, :takenBy, :takenAt)""";

    String UPSERT_IDENTITY = """
            INSERT INTO identity (recruit_id, nino, nhs_number, given_name, family_name, date_of_birth, sex, postcode,
                phone, email, address, language, communication_needs, survey_mode, survey_mode_reason, recorded_by, recorded_at)
            VALUES (:recruitId, :i.nino, :i.nhsNumber, :i.givenName, :i.familyName, :i.dateOfBirth, :i.sex, :i.postcode,
                :i.phone, :i.email, :i.address, :i.language, :i.communicationNeeds, :i.surveyMode, :i.surveyModeReason, :by, :at)
            ON CONFLICT (recruit_id) DO UPDATE SET nino = EXCLUDED.nino, nhs_number = EXCLUDED.nhs_number,
                given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name, date_of_birth = EXCLUDED.date_of_birth,
                sex = EXCLUDED.sex, postcode = EXCLUDED.postcode, phone = EXCLUDED.phone, email = EXCLUDED.email,
                address = EXCLUDED.address, language = EXCLUDED.language, communication_needs = EXCLUDED.communication_needs,
                survey_mode = EXCLUDED.survey_mode, survey_mode_reason = EXCLUDED.survey_mode_reason,
                recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at""";

    String UPSERT_BASELINE = """
            INSERT INTO baseline (recruit_id, questionnaire_version, answers, recorded_by, recorded_at)
            VALUES (:recruitId, :version, CAST(:answers AS jsonb), :by, :at)
            ON CONFLICT (recruit_id) DO UPDATE SET questionnaire_version = EXCLUDED.questionnaire_version,
                answers = EXCLUDED.answers, recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at""";

    String RECRUIT = "SELECT id, participant_id, person_key, site, area, trial_group, created_at, randomised FROM recruit ";

    String BY_PARTICIPANT_ID = RECRUIT + "WHERE participant_id = :participantId";
    String LOCK_BY_PARTICIPANT_ID = BY_PARTICIPANT_ID + " FOR UPDATE";
    /** For the statements every request makes, run without attaching the DAO (docs/benchmarks.md: attaching costs CPU). */
    RowMapper<RecruitRow> RECRUIT_ROW = ConstructorMapper.of(RecruitRow.class);



    @SqlUpdate(UPSERT_IDENTITY)
    void upsertIdentity(UUID recruitId, @BindMethods("i") IdentityRow identity, long by, Instant at);

    @SqlQuery("""
            SELECT nino, nhs_number, given_name, family_name, date_of_birth, sex, postcode, phone, email, address,
                language, communication_needs, survey_mode, survey_mode_reason
            FROM identity WHERE recruit_id = :recruitId""")
    Optional<IdentityRow> identity(UUID recruitId);

    /**
     * At randomisation, in one statement: claims the hashes of the keys that identify the person
     * (the primary key makes a second randomisation of the same person fail, even at another site
     * at the same moment), marks the recruit randomised and freezes the contact details as
     * recorded at baseline.
     */
    String CLAIM_IDENTITY = """
            WITH claimed AS (
                INSERT INTO randomised_identity (key_hash, recruit_id)
                SELECT decode(k, 'hex'), :recruitId FROM unnest(CAST(:keys AS text[])) AS k),
            marked AS (UPDATE recruit SET randomised = TRUE WHERE id = :recruitId)
            INSERT INTO baseline_contact (recruit_id, given_name, family_name, phone, email, address, postcode, language, survey_mode)
            SELECT recruit_id, given_name, family_name, phone, email, address, postcode, language, survey_mode
            FROM identity WHERE recruit_id = :recruitId
            ON CONFLICT (recruit_id) DO NOTHING""";

    static void claimIdentity(Handle h, List<byte[]> keyHashes, UUID recruitId) {
        h.createUpdate(CLAIM_IDENTITY).bind("keys", keyHashes.stream().map(java.util.HexFormat.of()::formatHex).toArray(String[]::new))
                .bind("recruitId", recruitId).execute();
    }

    @SqlUpdate("INSERT INTO randomised_identity (key_hash, recruit_id) VALUES (:keyHash, :recruitId)")
    void insertIdentityKey(byte[] keyHash, UUID recruitId);

    @SqlUpdate("DELETE FROM randomised_identity WHERE recruit_id = :recruitId")
    void deleteIdentityKeys(UUID recruitId);

    static long otherRandomisedWithKeys(Handle h, List<byte[]> keyHashes, UUID recruitId) {
        return h.createQuery("SELECT count(*) FROM randomised_identity WHERE key_hash IN (<keyHashes>) AND recruit_id <> :recruitId")
                .bindList("keyHashes", keyHashes).bind("recruitId", recruitId).mapTo(Long.class).one();
    }

    @SqlUpdate("""
            INSERT INTO status_event (recruit_id, kind, effective_date, reason, recorded_by, recorded_at)
            VALUES (:recruitId, :kind, :effectiveDate, :reason, :by, :at)""")
    void insertStatus(UUID recruitId, String kind, LocalDate effectiveDate, String reason, long by, Instant at);

    @SqlQuery("SELECT kind, effective_date FROM status_event WHERE recruit_id = :recruitId ORDER BY id")
    List<StatusRow> statuses(UUID recruitId);

    @SqlUpdate("INSERT INTO flag (recruit_id, kind, note, recorded_by, recorded_at) VALUES (:recruitId, :kind, :note, :by, :at)")
    void insertFlag(UUID recruitId, String kind, String note, long by, Instant at);

    @SqlUpdate("INSERT INTO correction (recruit_id, fields, reason, recorded_by, recorded_at) VALUES (:recruitId, :fields, :reason, :by, :at)")
    void insertCorrection(UUID recruitId, String[] fields, String reason, long by, Instant at);

    /** Erasure: screening rows stay for the flow diagram, without answers or a link to the person. */
    @SqlUpdate("UPDATE screening SET recruit_id = NULL, answers = '{}'::jsonb WHERE recruit_id = :recruitId")
    void detachScreenings(UUID recruitId);

    @SqlUpdate("DELETE FROM recruit WHERE id = :recruitId")
    void delete(UUID recruitId);

    @SqlQuery("""
            SELECT r.participant_id, i.given_name, i.family_name, r.trial_group, r.created_at,
                   EXISTS (SELECT 1 FROM allocation a WHERE a.person_key = r.person_key) AS randomised,
                   COALESCE((SELECT s.kind FROM status_event s WHERE s.recruit_id = r.id ORDER BY s.id DESC LIMIT 1), 'active') AS status
            FROM recruit r LEFT JOIN identity i ON i.recruit_id = r.id
            WHERE (CAST(:site AS text) IS NULL OR r.site = :site)
              AND (CAST(:participantId AS text) IS NULL OR r.participant_id = :participantId)
              AND (CAST(:nameKey AS text) IS NULL
                   OR lower(i.given_name || ' ' || i.family_name) LIKE '%' || :nameKey || '%'
                   OR lower(i.family_name) LIKE '%' || :nameKey || '%')
            ORDER BY r.created_at DESC
            LIMIT :limit""")
    List<SummaryRow> search(String site, String participantId, String nameKey, int limit);
}
