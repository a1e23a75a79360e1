--liquibase formatted sql

-- Release 0.5.0: the allocation confirmation e-mail to the trial office (docs/confirmations.md).
-- The allocation table itself is the outbox: every allocation made after the e-mail was first
-- switched on is one confirmation to send. The randomise statement is not changed: the sender
-- copies new allocations' keys into confirmation_mail and drains that table after the commit,
-- so a mail failure can neither undo nor delay a randomisation. Rows hold no identifier and no
-- arm: only the allocation's id and the delivery's state.

--changeset trial:0.5.0-confirmation-mail
CREATE TABLE confirmation_mail_start (
    -- One row: the moment the e-mail was first switched on. Allocations before it are not mailed.
    only_row    BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    started_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE confirmation_mail (
    allocation_id    BIGINT PRIMARY KEY REFERENCES allocation (id),
    queued_at        TIMESTAMPTZ NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    -- What went wrong last, as a class name (never a message: a server may echo an address back).
    last_failure     TEXT,
    sent_at          TIMESTAMPTZ
);
CREATE INDEX confirmation_mail_due ON confirmation_mail (next_attempt_at) WHERE sent_at IS NULL;

GRANT SELECT, INSERT ON confirmation_mail_start TO trial_app;
GRANT SELECT, INSERT, UPDATE ON confirmation_mail TO trial_app;

--changeset trial:0.5.0-confirmation-mail-no-reference
-- The allocation table stays referenced by nothing: its append-only triggers must be what refuses
-- a TRUNCATE, even by the owner (AuditIT), and a foreign key would answer first, with another error.
-- Allocations are never deleted, so the reference guarded nothing.
ALTER TABLE confirmation_mail DROP CONSTRAINT confirmation_mail_allocation_id_fkey;
