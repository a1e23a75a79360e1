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
@RegisterConstructorMapper(ReportDao.FlowCount.class)
@RegisterConstructorMapper(ReportDao.ArmCount.class)
@RegisterConstructorMapper(ReportDao.StatusCount.class)
@RegisterConstructorMapper(ReportDao.ErasureCount.class)
@RegisterConstructorMapper(SequenceIntegrity.Recorded.class)
@RegisterConstructorMapper(ReportDao.ChunkStamp.class)
@RegisterConstructorMapper(ReportDao.ChunkRecruits.class)
@RegisterConstructorMapper(ReportDao.ChunkCount.class)
@RegisterConstructorMapper(ReportDao.StratumStamp.class)
@RegisterConstructorMapper(ReportDao.DayCount.class)
@RegisterConstructorMapper(ReportDao.WaveDayCount.class)
@RegisterConstructorMapper(ReportDao.ArmStatusCount.class)
public interface ReportDao {
    /** Screening outcomes of recruits on record (not erased) of a site and trial group, by their latest screening. */
    /** Screened recruits of one place in the flow; {@code agreed} is null while no agreement was asked. */
    record FlowCount(String site, String trialGroup, boolean eligible, String[] failedCriteria, Boolean agreed,
            boolean randomised, long count) {}

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
     * Screened recruits on record (not erased) by their place in the flow: the latest screening's
     * outcome and the latest agreement answer, kept on the recruit row by those steps
     * (release-0.2.0.sql), and whether they were randomised. Erased recruits are counted from the
     * erasure log instead (one row per person): their screening rows, kept without the link to the
     * person, cannot tell one person screened twice from two people.
     */
    @SqlQuery("""
            SELECT r.site, r.trial_group, r.eligible, r.failed_criteria, r.agreed,
                   (al.person_key IS NOT NULL) AS randomised, count(*) AS count
            FROM recruit r LEFT JOIN allocation al ON al.person_key = r.person_key
            WHERE r.eligible IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5, 6""")
    List<FlowCount> flow();

    /**
     * {@link #flow()} as it stood at a moment: each recruit on record screened before it, by the
     * latest screening and agreement before it (the rows the triggers copy onto the recruit row),
     * randomised if allocated before it. With a moment after every row, the same as {@link #flow()}.
     */
    @SqlQuery("""
            WITH s AS (SELECT DISTINCT ON (recruit_id) recruit_id, trial_group, eligible, failed_criteria
                       FROM screening WHERE recruit_id IS NOT NULL AND screened_at < :until ORDER BY recruit_id, id DESC),
                 a AS (SELECT DISTINCT ON (recruit_id) recruit_id, agreed
                       FROM agreement WHERE taken_at < :until ORDER BY recruit_id, id DESC)
            SELECT r.site, s.trial_group, s.eligible, s.failed_criteria, a.agreed,
                   (al.person_key IS NOT NULL) AS randomised, count(*) AS count
            FROM s JOIN recruit r ON r.id = s.recruit_id
            LEFT JOIN a ON a.recruit_id = s.recruit_id
            LEFT JOIN allocation al ON al.person_key = r.person_key AND al.allocated_at < :until
            GROUP BY 1, 2, 3, 4, 5, 6""")
    List<FlowCount> flowUntil(Instant until);

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

    /** {@link #statuses()} as recorded before a moment. */
    @SqlQuery("""
            SELECT r.site, r.trial_group, e.kind, count(DISTINCT e.recruit_id) AS count
            FROM status_event e JOIN recruit r ON r.id = e.recruit_id
            WHERE e.recorded_at < :until
            GROUP BY 1, 2, 3""")
    List<StatusCount> statusesUntil(Instant until);

    /**
     * Withdrawals and deaths recorded before a moment by site and arm (null: not randomised by
     * then): the monitoring pack's closed part.
     */
    record ArmStatusCount(String site, String arm, String kind, long count) {}

    @SqlQuery("""
            SELECT r.site, al.arm, e.kind, count(DISTINCT e.recruit_id) AS count
            FROM status_event e JOIN recruit r ON r.id = e.recruit_id
            LEFT JOIN allocation al ON al.person_key = r.person_key AND al.allocated_at < :until
            WHERE e.recorded_at < :until
            GROUP BY 1, 2, 3""")
    List<ArmStatusCount> statusesByArmUntil(Instant until);

    /** Recruits of a site and arm randomised on a day (Europe/London). */
    record DayCount(String site, String arm, java.time.LocalDate day, long count) {}

    /** Recruits of a site and arm randomised on a day (Europe/London) whose interview of a survey wave is done. */
    record WaveDayCount(String site, String arm, String wave, java.time.LocalDate day, long count) {}

    /** Randomised recruits still on record (not erased), by site, arm and day of randomisation, allocated before a moment. */
    @SqlQuery("""
            SELECT al.site, al.arm, (al.allocated_at AT TIME ZONE 'Europe/London')::date AS day, count(*) AS count
            FROM allocation al JOIN recruit r ON r.person_key = al.person_key
            WHERE al.allocated_at < :until
            GROUP BY 1, 2, 3""")
    List<DayCount> randomisedOnRecordByDay(Instant until);

    /** Of those, the ones whose wave is recorded done (before the moment) with an interview on or before a day. */
    @SqlQuery("""
            SELECT al.site, al.arm, d.wave, (al.allocated_at AT TIME ZONE 'Europe/London')::date AS day, count(*) AS count
            FROM followup_done d JOIN recruit r ON r.id = d.recruit_id JOIN allocation al ON al.person_key = r.person_key
            WHERE al.allocated_at < :until AND d.recorded_at < :until AND d.completed_on <= :asOf
            GROUP BY 1, 2, 3, 4""")
    List<WaveDayCount> interviewedByDay(Instant until, java.time.LocalDate asOf);

    @SqlQuery("SELECT site, trial_group, randomised, count(*) AS count FROM erasure GROUP BY 1, 2, 3")
    List<ErasureCount> erasures();

    /** A chunk of allocation ids (id / chunk size) and what its balance tally depends on (BalanceParts). */
    record ChunkStamp(long chunk, long allocations, long erased, long corrections) {}

    @SqlQuery("""
            SELECT al.id / :chunkSize AS chunk, count(*) AS allocations, count(e.person_key) AS erased,
                   coalesce(sum(k.corrections), 0) AS corrections
            FROM allocation al
            LEFT JOIN erasure e ON e.person_key = al.person_key
            LEFT JOIN (SELECT r.person_key, count(*) AS corrections
                       FROM correction c JOIN recruit r ON r.id = c.recruit_id GROUP BY 1) k ON k.person_key = al.person_key
            GROUP BY 1""")
    List<ChunkStamp> balanceStamps(int chunkSize);

    /** Randomised recruits with a baseline on record of a chunk (id / size), group and arm (BalanceParts). */
    record ChunkRecruits(long chunk, String trialGroup, String arm, long count) {}

    /** How many recruits of a chunk, group and arm gave a code for an item (BalanceParts). */
    record ChunkCount(long chunk, String trialGroup, String arm, String item, int code, long count) {}

    /** Randomised recruits with a baseline on record (erased recruits' baselines are gone). */
    String BALANCE_RECRUITS = """
            SELECT al.id / :size AS chunk, al.trial_group, al.arm, count(*) AS count
            FROM allocation al
            JOIN recruit r ON r.person_key = al.person_key
            JOIN baseline b ON b.recruit_id = r.id
            WHERE""";

    /**
     * Every answer code per group, arm and item (the codes of a several-choice answer count one
     * each), then sex (female 1, male 2, intersex 3, prefer not to say -9) and age at
     * randomisation in whole years (UK dates) from the identifiers, as two more items.
     */
    String BALANCE_COUNTS = """
            WITH chosen AS (
                SELECT al.id / :size AS chunk, al.trial_group, al.arm, al.allocated_at, b.answers, i.sex, i.date_of_birth
                FROM allocation al
                JOIN recruit r ON r.person_key = al.person_key
                JOIN baseline b ON b.recruit_id = r.id
                LEFT JOIN identity i ON i.recruit_id = r.id
                WHERE""";
    String BALANCE_COUNTS_END = """
            )
            SELECT chunk, trial_group, arm, e.key AS item, v.code::int AS code, count(*) AS count
            FROM chosen
            CROSS JOIN LATERAL jsonb_each(answers) AS e
            CROSS JOIN LATERAL jsonb_array_elements_text(
                CASE WHEN jsonb_typeof(e.value) = 'array' THEN e.value ELSE jsonb_build_array(e.value) END) AS v(code)
            GROUP BY 1, 2, 3, 4, 5
            UNION ALL
            SELECT chunk, trial_group, arm, 'sex', CASE sex WHEN 'female' THEN 1 WHEN 'male' THEN 2 WHEN 'intersex' THEN 3 ELSE -9 END,
                   count(*)
            FROM chosen GROUP BY 1, 2, 3, 4, 5
            UNION ALL
            SELECT chunk, trial_group, arm, 'age_at_randomisation',
                   coalesce(extract(year FROM age((allocated_at AT TIME ZONE 'Europe/London')::date, date_of_birth))::int, -9), count(*)
            FROM chosen GROUP BY 1, 2, 3, 4, 5""";

    /** The chunks listed, all of whose ids lie from lowest to highest (an index range, then the list). */
    String IN_CHUNKS = " al.id BETWEEN :lowest AND :highest AND al.id / :size = ANY(:chunks)";
    String FROM_MOMENT = " al.allocated_at >= :from";

    @SqlQuery(BALANCE_RECRUITS + IN_CHUNKS + " GROUP BY 1, 2, 3")
    List<ChunkRecruits> balanceRecruits(long size, long lowest, long highest, long[] chunks);

    @SqlQuery(BALANCE_COUNTS + IN_CHUNKS + BALANCE_COUNTS_END)
    List<ChunkCount> balanceCounts(long size, long lowest, long highest, long[] chunks);

    /** Allocations at or after a moment, as one chunk (pass a size larger than any id). */
    @SqlQuery(BALANCE_RECRUITS + FROM_MOMENT + " GROUP BY 1, 2, 3")
    List<ChunkRecruits> balanceRecruitsFrom(long size, Instant from);

    @SqlQuery(BALANCE_COUNTS + FROM_MOMENT + BALANCE_COUNTS_END)
    List<ChunkCount> balanceCountsFrom(long size, Instant from);

    /** Allocations per stratum: what the sequence check of a stratum depends on (SequenceParts). */
    record StratumStamp(String stratumKey, long allocations) {}

    @SqlQuery("SELECT stratum_key, count(*) AS allocations FROM allocation GROUP BY 1 ORDER BY 1")
    List<StratumStamp> sequenceStamps();

    @SqlQuery("""
            SELECT stratum_key, sequence, block_index, block_size, position_in_block, design_version, arm
            FROM allocation WHERE stratum_key = :stratum AND sequence > :after ORDER BY sequence""")
    List<SequenceIntegrity.Recorded> sequenceAfter(String stratum, long after);

    /** Minimised allocations before a moment, per stratum, recorded levels and arm (the minimisation balance report). */
    @SqlQuery("SELECT stratum_key, factor_levels::text AS factor_levels, arm, count(*) AS count FROM allocation "
            + "WHERE seal IS NOT NULL AND allocated_at < :until GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
    @RegisterConstructorMapper(org.ipstrial.api.core.reports.MinimisationBalance.Count.class)
    List<org.ipstrial.api.core.reports.MinimisationBalance.Count> minimisedCounts(Instant until);
}
