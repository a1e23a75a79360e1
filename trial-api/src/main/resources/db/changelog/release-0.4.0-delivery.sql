--liquibase formatted sql

-- Release 0.4.0: what the treatment group receives after randomisation (docs/delivery.md).
-- Delivery records name a recruit, so they are personal data: they go with the recruit at erasure
-- (ON DELETE CASCADE). They are never overwritten: a manager's correction retires the record
-- (status 'corrected') and adds its replacement, a deletion retires it (status 'deleted'); the
-- reason lives in delivery_change (free text, so erasable, not in the append-only audit log).
-- General employer contacts (for no one client) have no recruit and belong to a site.

--changeset trial:0.4.0-delivery-records
CREATE TABLE delivery_record (
    id                     BIGSERIAL PRIMARY KEY,
    recruit_id             UUID REFERENCES recruit (id) ON DELETE CASCADE,
    site                   TEXT NOT NULL,
    area                   TEXT,
    kind                   TEXT NOT NULL CHECK (kind IN ('session', 'employer_contact', 'vocational_profile', 'job_start',
                                                         'job_end', 'in_work_support', 'discharge')),
    occurred_on            DATE NOT NULL,
    mode                   TEXT CHECK (mode IN ('face_to_face', 'phone', 'video')),
    minutes                INTEGER CHECK (minutes BETWEEN 1 AND 600),
    face_to_face           BOOLEAN,
    job_type               TEXT,
    hours_per_week         NUMERIC(5, 2) CHECK (hours_per_week > 0 AND hours_per_week <= 100),
    at_least_minimum_wage  BOOLEAN,
    permanent              BOOLEAN,
    -- An identifier of the employer: shown to the service, never exported.
    employer_name          TEXT,
    job_start_id           BIGINT REFERENCES delivery_record (id) ON DELETE CASCADE,
    note                   TEXT,
    status                 TEXT NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'corrected', 'deleted')),
    replaces_id            BIGINT REFERENCES delivery_record (id) ON DELETE CASCADE,
    recorded_by            BIGINT NOT NULL REFERENCES app_user (id),
    recorded_at            TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'employer_contact') OR recruit_id IS NOT NULL),
    CHECK (kind <> 'session' OR (mode IS NOT NULL AND minutes IS NOT NULL)),
    CHECK (kind <> 'employer_contact' OR face_to_face IS NOT NULL),
    CHECK (kind <> 'job_start' OR (hours_per_week IS NOT NULL AND job_type IS NOT NULL AND at_least_minimum_wage IS NOT NULL
                                   AND permanent IS NOT NULL AND employer_name IS NOT NULL)),
    CHECK (kind <> 'job_end' OR job_start_id IS NOT NULL)
);
CREATE INDEX delivery_record_recruit ON delivery_record (recruit_id, kind, occurred_on) WHERE status = 'current';
CREATE INDEX delivery_record_site ON delivery_record (site, kind, occurred_on) WHERE status = 'current';

CREATE TABLE delivery_change (
    id           BIGSERIAL PRIMARY KEY,
    record_id    BIGINT NOT NULL REFERENCES delivery_record (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('corrected', 'deleted')),
    replaced_by  BIGINT REFERENCES delivery_record (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL,
    recorded_by  BIGINT NOT NULL REFERENCES app_user (id),
    recorded_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (record_id)
);

-- Employment specialists' full-time equivalents per site and period, so that caseload per FTE is
-- computed, never typed. Periods of one site do not overlap (checked by the service).
CREATE TABLE specialist_fte (
    id            BIGSERIAL PRIMARY KEY,
    site          TEXT NOT NULL,
    period_start  DATE NOT NULL,
    period_end    DATE NOT NULL,
    fte           NUMERIC(6, 2) NOT NULL CHECK (fte > 0 AND fte <= 1000),
    recorded_by   BIGINT NOT NULL REFERENCES app_user (id),
    recorded_at   TIMESTAMPTZ NOT NULL,
    CHECK (period_end >= period_start)
);
CREATE INDEX specialist_fte_site ON specialist_fte (site, period_start);

--changeset trial:0.4.0-fidelity-reviews
-- IPS fidelity reviews: one per service (provider) and round; the item texts are data
-- (config/delivery-demo.yml), the total and band are computed by the service and checked here.
CREATE TABLE fidelity_review (
    id               BIGSERIAL PRIMARY KEY,
    service          TEXT NOT NULL,
    round            INTEGER NOT NULL CHECK (round >= 1),
    reviewed_on      DATE NOT NULL,
    reviewers        TEXT[] NOT NULL CHECK (cardinality(reviewers) >= 2),
    scale_version    TEXT NOT NULL,
    remote_adjusted  BOOLEAN NOT NULL,
    total            INTEGER NOT NULL CHECK (total BETWEEN 25 AND 125),
    band             TEXT NOT NULL CHECK (band IN ('exemplary', 'good', 'fair', 'not_supported_employment')),
    recorded_by      BIGINT NOT NULL REFERENCES app_user (id),
    recorded_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (service, round)
);

CREATE TABLE fidelity_item_score (
    review_id       BIGINT NOT NULL REFERENCES fidelity_review (id),
    item            INTEGER NOT NULL CHECK (item BETWEEN 1 AND 25),
    score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    evidence        TEXT NOT NULL DEFAULT '',
    recommendation  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, item)
);

CREATE TABLE fidelity_action (
    id          BIGSERIAL PRIMARY KEY,
    review_id   BIGINT NOT NULL REFERENCES fidelity_review (id),
    item        INTEGER CHECK (item BETWEEN 1 AND 25),
    action      TEXT NOT NULL,
    owner       TEXT NOT NULL,
    due_on      DATE,
    status      TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done'))
);
CREATE INDEX fidelity_action_review ON fidelity_action (review_id);

--changeset trial:0.4.0-delivery-grants
GRANT SELECT, INSERT, UPDATE, DELETE ON delivery_record, delivery_change TO trial_app;
GRANT SELECT, INSERT ON specialist_fte, fidelity_review, fidelity_item_score TO trial_app;
GRANT SELECT, INSERT, UPDATE ON fidelity_action TO trial_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO trial_app;
