package org.ipstrial.api.db;

import java.time.Instant;
import java.util.List;
import org.ipstrial.api.core.reports.BaselineBalance;
import org.ipstrial.api.core.reports.RecruitmentReport;
import org.ipstrial.api.core.reports.SequenceIntegrity;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The monitoring reports' queries: counts only, never a person's identifiers. Allocation rows carry
 * site, area and trial group themselves, so recruitment counts survive erasure.
 */
@RegisterConstructorMapper(RecruitmentReport.Count.class)
@RegisterConstructorMapper(ReportDao.ScreenedCount.class)
@RegisterConstructorMapper(ReportDao.ReasonCount.class)
@RegisterConstructorMapper(ReportDao.ArmCount.class)
@RegisterConstructorMapper(ReportDao.StatusCount.class)
@RegisterConstructorMapper(ReportDao.ErasureCount.class)
@RegisterConstructorMapper(BaselineBalance.Count.class)
@RegisterConstructorMapper(BaselineBalance.Recruits.class)
@RegisterConstructorMapper(SequenceIntegrity.Recorded.class)
public interface ReportDao {
    /** Screening outcomes of recruits on record (not erased) of a site and trial group, by their latest screening. */
    record ScreenedCount(String site, String trialGroup, long screened, long ineligible,
            long awaitingAgreement, long declinedAgreement, long agreed) {}

    record ReasonCount(String site, String trialGroup, String reason, long count) {}

    record ArmCount(String site, String trialGroup, String arm, boolean beforeCutoff, long count) {}

    record StatusCount(String site, String trialGroup, String kind, long count) {}

    record ErasureCount(String site, String trialGroup, boolean randomised, long count) {}

    @SqlQuery("""
            SELECT site, area, trial_group, arm,
                   (date_trunc('week', allocated_at AT TIME ZONE 'Europe/London'))::date AS week,
                   allocated_at < :cutoff AS before_cutoff, count(*) AS count
            FROM allocation
            GROUP BY 1, 2, 3, 4, 5, 6""")
    List<RecruitmentReport.Count> randomisedByWeek(Instant cutoff);

    /**
     * A person's place in the flow is decided by their latest screening and latest agreement. Erased
     * recruits are counted from the erasure log instead (one row per person): their screening rows,
     * kept without the link to the person, cannot tell one person screened twice from two people.
     */
    String SCREENED_PEOPLE = """
            WITH latest_screening AS (
                SELECT DISTINCT ON (recruit_id) recruit_id, site, trial_group, eligible, failed_criteria
                FROM screening WHERE recruit_id IS NOT NULL
                ORDER BY recruit_id, id DESC
            ), latest_agreement AS (
                SELECT DISTINCT ON (recruit_id) recruit_id, agreed
                FROM agreement
                ORDER BY recruit_id, id DESC
            ), people AS (
                SELECT s.site, s.trial_group, s.eligible, s.failed_criteria, a.agreed,
                       (al.person_key IS NOT NULL) AS randomised
                FROM latest_screening s
                JOIN recruit r ON r.id = s.recruit_id
                LEFT JOIN latest_agreement a ON a.recruit_id = s.recruit_id
                LEFT JOIN allocation al ON al.person_key = r.person_key
            )
            """;

    @SqlQuery(SCREENED_PEOPLE + """
            SELECT site, trial_group,
                   count(*) AS screened,
                   count(*) FILTER (WHERE NOT eligible) AS ineligible,
                   count(*) FILTER (WHERE eligible AND agreed IS NULL AND NOT randomised) AS awaiting_agreement,
                   count(*) FILTER (WHERE eligible AND NOT agreed AND NOT randomised) AS declined_agreement,
                   count(*) FILTER (WHERE eligible AND (agreed OR randomised)) AS agreed
            FROM people
            GROUP BY site, trial_group""")
    List<ScreenedCount> screened();

    @SqlQuery(SCREENED_PEOPLE + """
            SELECT site, trial_group, reason, count(*) AS count
            FROM people CROSS JOIN LATERAL unnest(failed_criteria) AS reason
            WHERE NOT eligible
            GROUP BY site, trial_group, reason""")
    List<ReasonCount> ineligibleReasons();

    @SqlQuery("""
            SELECT site, trial_group, arm, allocated_at < :cutoff AS before_cutoff, count(*) AS count
            FROM allocation
            GROUP BY 1, 2, 3, 4""")
    List<ArmCount> randomisedByArm(Instant cutoff);

    @SqlQuery("""
            SELECT r.site, r.trial_group, e.kind, count(DISTINCT e.recruit_id) AS count
            FROM status_event e JOIN recruit r ON r.id = e.recruit_id
            GROUP BY 1, 2, 3""")
    List<StatusCount> statuses();

    @SqlQuery("SELECT site, trial_group, randomised, count(*) AS count FROM erasure GROUP BY 1, 2, 3")
    List<ErasureCount> erasures();

    @SqlQuery("""
            SELECT al.trial_group, al.arm, count(*) AS count
            FROM allocation al
            JOIN recruit r ON r.person_key = al.person_key
            JOIN baseline b ON b.recruit_id = r.id
            WHERE al.allocated_at < :cutoff
            GROUP BY 1, 2""")
    List<BaselineBalance.Recruits> baselineRecruits(Instant cutoff);

    /** Every answer code per group, arm and item; the codes of a several-choice answer count one each. */
    @SqlQuery("""
            SELECT al.trial_group, al.arm, e.key AS item, v.code::int AS code, count(*) AS count
            FROM allocation al
            JOIN recruit r ON r.person_key = al.person_key
            JOIN baseline b ON b.recruit_id = r.id
            CROSS JOIN LATERAL jsonb_each(b.answers) AS e
            CROSS JOIN LATERAL jsonb_array_elements_text(
                CASE WHEN jsonb_typeof(e.value) = 'array' THEN e.value ELSE jsonb_build_array(e.value) END) AS v(code)
            WHERE al.allocated_at < :cutoff
            GROUP BY 1, 2, 3, 4""")
    List<BaselineBalance.Count> baselineCounts(Instant cutoff);

    @SqlQuery("""
            SELECT stratum_key, sequence, block_index, block_size, position_in_block, design_version, arm
            FROM allocation ORDER BY stratum_key, sequence""")
    List<SequenceIntegrity.Recorded> recordedSequence();
}
