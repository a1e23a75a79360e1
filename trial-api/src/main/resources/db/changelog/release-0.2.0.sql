--liquibase formatted sql

-- Release 0.2.0: what the monitoring reports and the erasure form need.

--changeset trial:0.2.0-recruit-flow
-- Where each recruit stands in the CONSORT flow, kept on the recruit row by triggers on the
-- screening and agreement tables (below), so every writer keeps them, in the same transaction as
-- the screening or agreement row. The screening and agreement tables stay the record; these
-- columns spare the CONSORT report a "latest row per recruit" search over every recruit.
-- NULL: not screened yet (eligible, failed_criteria) or no agreement asked yet (agreed; it may be
-- asked before screening).
ALTER TABLE recruit ADD COLUMN eligible BOOLEAN;
ALTER TABLE recruit ADD COLUMN failed_criteria TEXT[];
ALTER TABLE recruit ADD COLUMN agreed BOOLEAN;
UPDATE recruit r SET eligible = s.eligible, failed_criteria = s.failed_criteria
FROM (SELECT DISTINCT ON (recruit_id) recruit_id, eligible, failed_criteria
      FROM screening WHERE recruit_id IS NOT NULL ORDER BY recruit_id, id DESC) s
WHERE s.recruit_id = r.id;
UPDATE recruit r SET agreed = a.agreed
FROM (SELECT DISTINCT ON (recruit_id) recruit_id, agreed FROM agreement ORDER BY recruit_id, id DESC) a
WHERE a.recruit_id = r.id;
ALTER TABLE recruit ADD CONSTRAINT recruit_screened_outcome
    CHECK ((eligible IS NULL) = (failed_criteria IS NULL));

--changeset trial:0.2.0-recruit-flow-triggers splitStatements:false
-- The latest screening or agreement of a recruit is the last inserted: each step locks the recruit
-- row first, so two steps of one recruit never interleave.
CREATE FUNCTION recruit_screened() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE recruit SET trial_group = NEW.trial_group, eligible = NEW.eligible, failed_criteria = NEW.failed_criteria
    WHERE id = NEW.recruit_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER screening_keeps_recruit_flow AFTER INSERT ON screening
    FOR EACH ROW EXECUTE FUNCTION recruit_screened();
CREATE FUNCTION recruit_agreement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE recruit SET agreed = NEW.agreed WHERE id = NEW.recruit_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER agreement_keeps_recruit_flow AFTER INSERT ON agreement
    FOR EACH ROW EXECUTE FUNCTION recruit_agreement();

--changeset trial:0.2.0-erasure-request
-- The date the erasure request was received and its ground, a code (never free text: this row is
-- kept for ever, linked to the allocation slot). Rows recorded before 0.2.0 have neither.
ALTER TABLE erasure ADD COLUMN requested_on DATE;
ALTER TABLE erasure ADD COLUMN ground TEXT;
ALTER TABLE erasure ADD CONSTRAINT erasure_request_before_erasure CHECK (requested_on IS NULL OR requested_on <= erased_on);
ALTER TABLE erasure ADD CONSTRAINT erasure_ground CHECK (ground IS NULL OR ground IN
    ('participant_request', 'recorded_in_error', 'required_by_governance'));
