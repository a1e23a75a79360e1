--liquibase formatted sql

-- Release 0.6.0: the follow-up survey schedule (docs/followup.md). Due windows are not stored:
-- they are computed from the randomisation date and the configured waves whenever the list is
-- read. Stored are only what fieldwork records: each contact attempt, and that a wave is done.
-- Both go with the recruit on erasure (ON DELETE CASCADE), each key indexed for that delete.

--changeset trial:0.6.0-followup
CREATE TABLE followup_attempt (
    id            BIGSERIAL PRIMARY KEY,
    recruit_id    UUID NOT NULL REFERENCES recruit (id) ON DELETE CASCADE,
    wave          TEXT NOT NULL,
    attempted_on  DATE NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('no_answer', 'left_message', 'refused', 'interview_booked',
                                                   'wrong_number', 'completed')),
    -- Free text (may name the person): kept here, erasable, never copied into the audit log.
    note          TEXT,
    recorded_by   BIGINT NOT NULL REFERENCES app_user (id),
    recorded_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX followup_attempt_recruit ON followup_attempt (recruit_id, wave);

-- One row per recruit and wave once the interview is done: from a completed contact attempt,
-- the survey agency's return, or a manual entry.
CREATE TABLE followup_done (
    recruit_id    UUID NOT NULL REFERENCES recruit (id) ON DELETE CASCADE,
    wave          TEXT NOT NULL,
    completed_on  DATE NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('contact_attempt', 'agency_return', 'manual')),
    recorded_by   BIGINT NOT NULL REFERENCES app_user (id),
    recorded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (recruit_id, wave)
);

-- Appended to only: an attempt or a done entry is never changed by the application (an erasure's
-- cascade runs with the owner's rights).
GRANT SELECT, INSERT ON followup_attempt, followup_done TO trial_app;
GRANT USAGE, SELECT ON SEQUENCE followup_attempt_id_seq TO trial_app;
