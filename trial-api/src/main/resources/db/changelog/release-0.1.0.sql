--liquibase formatted sql

-- Release 0.1.0: the first schema of the trial service.
-- Personal data live only in erasable tables (recruit, identity, baseline, agreement,
-- randomised_identity, status_event, flag). Allocation and audit rows name a person only by an
-- opaque person_key and are append-only, enforced by triggers and by privileges: the application
-- connects as trial_app, which owns nothing and may only INSERT and SELECT there.

--changeset trial:0.1.0-application-role splitStatements:false
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'trial_app') THEN
        CREATE ROLE trial_app NOLOGIN;
    END IF;
END
$$;

--changeset trial:0.1.0-append-only-function splitStatements:false
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

--changeset trial:0.1.0-users
CREATE TABLE app_user (
    id             BIGSERIAL PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('specialist', 'manager', 'statistician', 'custodian',
                                                 'fieldwork', 'analyst', 'admin')),
    site           TEXT,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (role <> 'specialist' OR site IS NOT NULL)
);

CREATE TABLE user_session (
    token_hash  BYTEA PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX user_session_user ON user_session (user_id);

--changeset trial:0.1.0-design
CREATE TABLE design_version (
    design_name     TEXT NOT NULL,
    version         INTEGER NOT NULL,
    effective_from  TIMESTAMPTZ NOT NULL,
    content_hash    TEXT NOT NULL,
    content         TEXT NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (design_name, version)
);

CREATE TABLE design_commitment (
    design_name  TEXT PRIMARY KEY,
    commitment   TEXT NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL
);

-- One row per stratum, locked by each randomisation in it: the stratum's allocations are taken
-- one after another. It stores nothing about upcoming allocations (they are a function of the
-- secret, held outside the database).
CREATE TABLE stratum_lock (
    stratum_key  TEXT PRIMARY KEY
);

--changeset trial:0.1.0-recruitment
CREATE TABLE recruit (
    id              UUID PRIMARY KEY,
    participant_id  CHAR(8) NOT NULL UNIQUE,
    person_key      UUID NOT NULL UNIQUE,
    site            TEXT NOT NULL,
    area            TEXT NOT NULL,
    trial_group     TEXT,
    created_by      BIGINT NOT NULL REFERENCES app_user (id),
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX recruit_site ON recruit (site, created_at);

CREATE TABLE screening (
    id               BIGSERIAL PRIMARY KEY,
    recruit_id       UUID REFERENCES recruit (id) ON DELETE SET NULL,
    site             TEXT NOT NULL,
    area             TEXT NOT NULL,
    trial_group      TEXT NOT NULL,
    eligible         BOOLEAN NOT NULL,
    failed_criteria  TEXT[] NOT NULL,
    rules_version    TEXT NOT NULL,
    answers          JSONB NOT NULL,
    screened_by      BIGINT NOT NULL REFERENCES app_user (id),
    screened_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX screening_recruit ON screening (recruit_id, id);

CREATE TABLE agreement (
    id            BIGSERIAL PRIMARY KEY,
    recruit_id    UUID NOT NULL REFERENCES recruit (id) ON DELETE CASCADE,
    form_version  TEXT NOT NULL,
    answers       JSONB NOT NULL,
    agreed        BOOLEAN NOT NULL,
    taken_by      BIGINT NOT NULL REFERENCES app_user (id),
    taken_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX agreement_recruit ON agreement (recruit_id, id);

CREATE TABLE identity (
    recruit_id           UUID PRIMARY KEY REFERENCES recruit (id) ON DELETE CASCADE,
    nino                 TEXT,
    nhs_number           TEXT,
    given_name           TEXT NOT NULL,
    family_name          TEXT NOT NULL,
    date_of_birth        DATE NOT NULL,
    sex                  TEXT NOT NULL,
    postcode             TEXT NOT NULL,
    phone                TEXT,
    email                TEXT,
    address              TEXT,
    language             TEXT,
    communication_needs  TEXT,
    survey_mode          TEXT NOT NULL,
    survey_mode_reason   TEXT,
    recorded_by          BIGINT NOT NULL REFERENCES app_user (id),
    recorded_at          TIMESTAMPTZ NOT NULL
);

-- Contact details as recorded at baseline, for survey invitations. Never updated afterwards, so
-- changes recorded later by the treatment provider cannot reach one arm's survey sample.
CREATE TABLE baseline_contact (
    recruit_id   UUID PRIMARY KEY REFERENCES recruit (id) ON DELETE CASCADE,
    given_name   TEXT NOT NULL,
    family_name  TEXT NOT NULL,
    phone        TEXT,
    email        TEXT,
    address      TEXT,
    postcode     TEXT NOT NULL,
    language     TEXT,
    survey_mode  TEXT NOT NULL
);

CREATE TABLE baseline (
    recruit_id             UUID PRIMARY KEY REFERENCES recruit (id) ON DELETE CASCADE,
    questionnaire_version  TEXT NOT NULL,
    answers                JSONB NOT NULL,
    recorded_by            BIGINT NOT NULL REFERENCES app_user (id),
    recorded_at            TIMESTAMPTZ NOT NULL
);

-- Hashes of the keys that identify a person (NINO, NHS number, folded name + date of birth +
-- postcode) of everyone randomised: the unique key makes a second randomisation impossible, even
-- by two specialists at two sites at the same moment.
CREATE TABLE randomised_identity (
    key_hash    BYTEA PRIMARY KEY,
    recruit_id  UUID NOT NULL REFERENCES recruit (id) ON DELETE CASCADE
);

--changeset trial:0.1.0-allocation
CREATE TABLE allocation (
    id                 BIGSERIAL PRIMARY KEY,
    stratum_key        TEXT NOT NULL,
    sequence           BIGINT NOT NULL,
    block_index        BIGINT NOT NULL,
    block_size         INTEGER NOT NULL,
    position_in_block  INTEGER NOT NULL,
    design_version     INTEGER NOT NULL,
    arm                TEXT NOT NULL,
    person_key         UUID NOT NULL UNIQUE,
    site               TEXT NOT NULL,
    area               TEXT NOT NULL,
    trial_group        TEXT NOT NULL,
    allocated_by       BIGINT NOT NULL REFERENCES app_user (id),
    allocated_at       TIMESTAMPTZ NOT NULL,
    idempotency_key    TEXT UNIQUE,
    request_hash       TEXT NOT NULL,
    UNIQUE (stratum_key, sequence)
);
CREATE INDEX allocation_time ON allocation (allocated_at);

CREATE TABLE erasure (
    person_key   UUID PRIMARY KEY,
    site         TEXT NOT NULL,
    trial_group  TEXT,
    randomised   BOOLEAN NOT NULL,
    erased_on    DATE NOT NULL,
    recorded_by  BIGINT NOT NULL REFERENCES app_user (id)
);

CREATE TABLE status_event (
    id              BIGSERIAL PRIMARY KEY,
    recruit_id      UUID NOT NULL REFERENCES recruit (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('withdrawn_service', 'withdrawn_research', 'deceased')),
    effective_date  DATE NOT NULL,
    reason          TEXT NOT NULL,
    recorded_by     BIGINT NOT NULL REFERENCES app_user (id),
    recorded_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX status_event_recruit ON status_event (recruit_id);

CREATE TABLE flag (
    id           BIGSERIAL PRIMARY KEY,
    recruit_id   UUID NOT NULL REFERENCES recruit (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('found_ineligible', 'wrong_stratum')),
    note         TEXT NOT NULL,
    recorded_by  BIGINT NOT NULL REFERENCES app_user (id),
    recorded_at  TIMESTAMPTZ NOT NULL
);

-- Corrections of identifiers after randomisation: what changed (field names) and why. The reason is
-- free text, so it lives here (erasable), not in the append-only audit log.
CREATE TABLE correction (
    id           BIGSERIAL PRIMARY KEY,
    recruit_id   UUID NOT NULL REFERENCES recruit (id) ON DELETE CASCADE,
    fields       TEXT[] NOT NULL,
    reason       TEXT NOT NULL,
    recorded_by  BIGINT NOT NULL REFERENCES app_user (id),
    recorded_at  TIMESTAMPTZ NOT NULL
);

--changeset trial:0.1.0-audit
CREATE TABLE audit_event (
    seq          BIGINT PRIMARY KEY,
    occurred_at  TIMESTAMPTZ NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    details      TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE
);

-- The head of the hash chain: one row, locked by each appending transaction.
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

--changeset trial:0.1.0-append-only-triggers
CREATE TRIGGER allocation_append_only BEFORE UPDATE OR DELETE ON allocation
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER allocation_no_truncate BEFORE TRUNCATE ON allocation
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER erasure_append_only BEFORE UPDATE OR DELETE ON erasure
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER erasure_no_truncate BEFORE TRUNCATE ON erasure
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER design_version_append_only BEFORE UPDATE OR DELETE ON design_version
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER design_commitment_append_only BEFORE UPDATE OR DELETE ON design_commitment
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

--changeset trial:0.1.0-grants
GRANT USAGE ON SCHEMA public TO trial_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON app_user, user_session, stratum_lock, recruit, screening,
    agreement, identity, baseline_contact, baseline, randomised_identity, status_event, flag, correction
    TO trial_app;
GRANT SELECT, UPDATE ON audit_head TO trial_app;
GRANT SELECT, INSERT ON allocation, erasure, audit_event, design_version, design_commitment TO trial_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO trial_app;
