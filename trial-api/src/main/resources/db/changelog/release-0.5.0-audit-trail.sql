--liquibase formatted sql

-- Release 0.5.0: the audit trail viewer (docs/audit-trail.md) reads one recruit's events. Events of
-- release 0.3.0 on are found by their chain (audit_event_chain_position); those written before it
-- are in the one chain of that time, found by subject, and each is checked against the next event
-- of that chain. Both lookups would scan the whole log without these: they index the old events only.

--changeset trial:0.5.0-audit-legacy-subject
CREATE INDEX audit_event_legacy_subject ON audit_event (subject, seq) WHERE scheme = 1;

--changeset trial:0.5.0-audit-legacy-seq
CREATE INDEX audit_event_legacy_seq ON audit_event (seq) WHERE scheme = 1;
