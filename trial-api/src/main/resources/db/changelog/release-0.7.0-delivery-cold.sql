--liquibase formatted sql

-- Release 0.7.0: the delivery report just after a change, at national size (issue 12, docs/benchmarks.md).
--
-- The report's first call after any change read every treatment recruit by joining recruit and
-- allocation whole (100,000 rows each at the benchmark's size) and then delivery_summary.
-- treatment_recruit keeps what the report needs of each treatment recruit on record that never
-- changes after randomisation: the recruit's site and area and the day of randomisation
-- (Europe/London). The report reads it joined with delivery_summary alone.
--
-- The database keeps it, nobody else: a statement trigger on allocation (append-only) adds the
-- recruits a statement randomised to treatment, in the same transaction; an erasure takes the row
-- with the recruit (ON DELETE CASCADE). The application role may read it, never write it.
-- DeliveryReportIT compares it with recruit and allocation after a history, randomisations and an
-- erasure; TreatmentRecruitMigrationIT checks the fill of a database written before this release.

--changeset trial:0.7.0-treatment-recruit splitStatements:false
CREATE TABLE treatment_recruit (
    recruit_id     UUID PRIMARY KEY REFERENCES recruit (id) ON DELETE CASCADE,
    site           TEXT NOT NULL,
    area           TEXT NOT NULL,
    randomised_on  DATE NOT NULL
);

CREATE FUNCTION treatment_recruit_randomised() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO treatment_recruit (recruit_id, site, area, randomised_on)
    SELECT r.id, r.site, r.area, (a.allocated_at AT TIME ZONE 'Europe/London')::date
    FROM allocated a JOIN recruit r ON r.person_key = a.person_key
    WHERE a.arm = 'treatment'
    ON CONFLICT (recruit_id) DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER treatment_recruit_insert AFTER INSERT ON allocation
    REFERENCING NEW TABLE AS allocated FOR EACH STATEMENT EXECUTE FUNCTION treatment_recruit_randomised();

-- Every treatment recruit already randomised and not erased.
INSERT INTO treatment_recruit (recruit_id, site, area, randomised_on)
SELECT r.id, r.site, r.area, (a.allocated_at AT TIME ZONE 'Europe/London')::date
FROM allocation a JOIN recruit r ON r.person_key = a.person_key
WHERE a.arm = 'treatment';

GRANT SELECT ON treatment_recruit TO trial_app;
