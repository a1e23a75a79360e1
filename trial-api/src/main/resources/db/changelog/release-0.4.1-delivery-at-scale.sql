--liquibase formatted sql

-- Release 0.4.1: the delivery report and erasure at national size (docs/benchmarks.md, issue 12).
--
-- The report counted every treatment recruit's delivery records at each call (1.2 million
-- sessions at the benchmark's size: about two seconds). delivery_summary keeps, per recruit,
-- the figures the report and the ETL's delivery file take from the records, derived by the
-- database alone: statement triggers on delivery_record recompute the summary of every recruit a
-- statement touched, from that recruit's current records, in the same transaction. The one
-- definition of each figure is the view delivery_summary_fresh; a test compares the kept summary
-- with it after corrections, deletions and erasures. The application role may read the summary,
-- never write it.

--changeset trial:0.4.1-delivery-summary splitStatements:false
CREATE VIEW delivery_summary_fresh AS
SELECT recruit_id,
       (count(*) FILTER (WHERE kind = 'session'))::INTEGER AS sessions,
       (count(*) FILTER (WHERE kind = 'session' AND minutes > 15))::INTEGER AS sessions_over_15,
       min(occurred_on) FILTER (WHERE kind = 'session') AS first_session,
       min(occurred_on) FILTER (WHERE kind = 'vocational_profile') AS vocational_profile,
       min(occurred_on) FILTER (WHERE kind = 'employer_contact' AND face_to_face) AS first_contact,
       min(occurred_on) FILTER (WHERE kind = 'employer_contact' AND face_to_face AND occurred_on >= profile) AS contact_after_profile,
       min(occurred_on) FILTER (WHERE kind = 'discharge') AS discharged_on,
       (count(*) FILTER (WHERE kind = 'job_start'))::INTEGER AS job_starts,
       min(occurred_on) FILTER (WHERE kind = 'job_start') AS first_job_start,
       (array_agg(hours_per_week ORDER BY occurred_on, id) FILTER (WHERE kind = 'job_start'))[1] AS first_job_hours
FROM (SELECT d.*, min(d.occurred_on) FILTER (WHERE d.kind = 'vocational_profile') OVER (PARTITION BY d.recruit_id) AS profile
      FROM delivery_record d
      WHERE d.status = 'current' AND d.recruit_id IS NOT NULL) d
GROUP BY recruit_id;

CREATE TABLE delivery_summary (
    recruit_id             UUID PRIMARY KEY REFERENCES recruit (id) ON DELETE CASCADE,
    sessions               INTEGER NOT NULL,
    sessions_over_15       INTEGER NOT NULL,
    first_session          DATE,
    vocational_profile     DATE,
    first_contact          DATE,
    contact_after_profile  DATE,
    discharged_on          DATE,
    job_starts             INTEGER NOT NULL,
    first_job_start        DATE,
    first_job_hours        NUMERIC(5, 2)
);

-- Recomputes the summaries of these recruits from their current records: a recruit with none
-- has no summary row (the report reads that as no delivery), an erased recruit has neither.
CREATE FUNCTION delivery_summary_refresh(recruits UUID[]) RETURNS VOID LANGUAGE sql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
    DELETE FROM delivery_summary s
    WHERE s.recruit_id = ANY (recruits)
      AND NOT EXISTS (SELECT 1 FROM delivery_record d WHERE d.recruit_id = s.recruit_id AND d.status = 'current');
    INSERT INTO delivery_summary
    SELECT f.* FROM delivery_summary_fresh f JOIN recruit r ON r.id = f.recruit_id
    WHERE f.recruit_id = ANY (recruits)
    ON CONFLICT (recruit_id) DO UPDATE SET sessions = EXCLUDED.sessions, sessions_over_15 = EXCLUDED.sessions_over_15,
        first_session = EXCLUDED.first_session, vocational_profile = EXCLUDED.vocational_profile,
        first_contact = EXCLUDED.first_contact, contact_after_profile = EXCLUDED.contact_after_profile,
        discharged_on = EXCLUDED.discharged_on, job_starts = EXCLUDED.job_starts,
        first_job_start = EXCLUDED.first_job_start, first_job_hours = EXCLUDED.first_job_hours;
$$;

-- One statement trigger per event (PostgreSQL allows transition tables on single-event triggers
-- only): a bulk insert recomputes each recruit it touched once, not once per row.
CREATE FUNCTION delivery_summary_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM delivery_summary_refresh(ARRAY(SELECT DISTINCT recruit_id FROM changed_new WHERE recruit_id IS NOT NULL));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM delivery_summary_refresh(ARRAY(SELECT recruit_id FROM changed_new WHERE recruit_id IS NOT NULL
                                               UNION SELECT recruit_id FROM changed_old WHERE recruit_id IS NOT NULL));
    ELSE
        PERFORM delivery_summary_refresh(ARRAY(SELECT DISTINCT recruit_id FROM changed_old WHERE recruit_id IS NOT NULL));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER delivery_summary_insert AFTER INSERT ON delivery_record
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION delivery_summary_changed();
CREATE TRIGGER delivery_summary_update AFTER UPDATE ON delivery_record
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION delivery_summary_changed();
CREATE TRIGGER delivery_summary_delete AFTER DELETE ON delivery_record
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION delivery_summary_changed();

INSERT INTO delivery_summary SELECT f.* FROM delivery_summary_fresh f JOIN recruit r ON r.id = f.recruit_id;

GRANT SELECT ON delivery_summary, delivery_summary_fresh TO trial_app;

--changeset trial:0.4.1-delivery-job-indexes
-- Job starts and ends found without reading the sessions (the report's job starts and first ends).
CREATE INDEX delivery_record_jobs ON delivery_record (kind, occurred_on)
    WHERE kind IN ('job_start', 'job_end') AND status = 'current';

--changeset trial:0.4.1-cascade-indexes
-- Every foreign key that deletes or empties rows when its target goes (ON DELETE CASCADE or SET
-- NULL: an erasure deletes the recruit and so its records) has an index led by its columns, so
-- each cascaded row is found by the index instead of a read of the whole table. Without these an
-- erasure at the benchmark's size read the 1.2 million delivery records twice for each of the
-- recruit's 30 records (about 20 s). SchemaIT checks the rule for every such key.
CREATE INDEX delivery_record_by_recruit ON delivery_record (recruit_id);
CREATE INDEX delivery_record_job_start ON delivery_record (job_start_id) WHERE job_start_id IS NOT NULL;
CREATE INDEX delivery_record_replaces ON delivery_record (replaces_id) WHERE replaces_id IS NOT NULL;
CREATE INDEX delivery_change_replaced_by ON delivery_change (replaced_by) WHERE replaced_by IS NOT NULL;
CREATE INDEX randomised_identity_recruit ON randomised_identity (recruit_id);
CREATE INDEX flag_recruit ON flag (recruit_id);
CREATE INDEX correction_recruit ON correction (recruit_id);
