--liquibase formatted sql

-- Release 0.2.0: what the monitoring reports and the erasure form need.

--changeset trial:0.2.0-recruit-flow
-- Where each recruit stands in the CONSORT flow, kept on the recruit row by the step that changes
-- it (screening sets eligible and failed_criteria, agreement sets agreed), in the same transaction
-- as the screening or agreement row. The screening and agreement tables stay the record; these
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

--changeset trial:0.2.0-erasure-request
-- The date the erasure request was received and the manager's reason (kept after the erasure, so
-- the form asks for no names or identifiers in it). Rows recorded before 0.2.0 have neither: the
-- form did not ask for the date, and the reason was not kept.
ALTER TABLE erasure ADD COLUMN requested_on DATE;
ALTER TABLE erasure ADD COLUMN reason TEXT;
