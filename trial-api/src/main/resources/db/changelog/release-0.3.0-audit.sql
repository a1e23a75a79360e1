--liquibase formatted sql

-- Release 0.3.0, audit: one hash chain per subject instead of one for the whole service, and
-- checkpoints that seal every chain's head after commit. See docs/security.md#the-audit-log.
-- Before this release every write locked the single row audit_head and held it to commit, so the
-- whole service committed one write at a time. Now a write locks only its own subject's chain
-- head (a recruit's events are already serialised by the recruit row lock), and a sealer folds
-- the heads into an append-only Merkle tree whose checkpoints are chained by hash, so that
-- removing the newest events of a chain is detected too.
--
-- Events written before this release keep their rows, columns and hashes untouched: they become
-- the chain 'release-0.2.0' (scheme 1, verified by the old rule, position = seq), and its head is
-- sealed in the first checkpoint.

--changeset trial:0.3.0-audit-chains
-- chain: the subject whose history this event extends; chain_seq: its position there (1, 2, ...).
-- scheme: 1 = the single chain of releases 0.1-0.2 (position is seq), 2 = a chain per subject.
-- seq stays the primary key and the order of insertion across chains (not part of a scheme-2 hash).
ALTER TABLE audit_event ADD COLUMN chain TEXT NOT NULL DEFAULT 'release-0.2.0';
ALTER TABLE audit_event ALTER COLUMN chain DROP DEFAULT;
ALTER TABLE audit_event ADD COLUMN scheme SMALLINT NOT NULL DEFAULT 1;
ALTER TABLE audit_event ALTER COLUMN scheme DROP DEFAULT;
ALTER TABLE audit_event ADD COLUMN chain_seq BIGINT;
ALTER TABLE audit_event ADD CONSTRAINT audit_event_scheme CHECK (scheme IN (1, 2) AND (scheme = 1 OR chain_seq IS NOT NULL));
CREATE UNIQUE INDEX audit_event_chain_position ON audit_event (chain, chain_seq) WHERE chain_seq IS NOT NULL;
CREATE SEQUENCE audit_event_seq OWNED BY audit_event.seq;
SELECT setval('audit_event_seq', (SELECT coalesce(max(seq), 0) + 1 FROM audit_event), false);
ALTER TABLE audit_event ALTER COLUMN seq SET DEFAULT nextval('audit_event_seq');

-- The head of every chain: locked only by writers of that chain, to commit.
CREATE TABLE audit_chain (
    chain      TEXT PRIMARY KEY,
    seq        BIGINT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
INSERT INTO audit_chain (chain, seq, prev_hash, hash)
SELECT 'release-0.2.0', h.seq, e.prev_hash, h.hash
FROM audit_head h JOIN audit_event e ON e.seq = h.seq
WHERE h.seq > 0;

-- Heads written but not sealed yet: every append adds its (chain, position, hash) here in the
-- same statement; the sealer takes the committed ones. A work queue, not evidence: the evidence
-- is audit_event and the checkpoints.
CREATE TABLE audit_unsealed (
    chain  TEXT NOT NULL,
    seq    BIGINT NOT NULL,
    hash   TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);
INSERT INTO audit_unsealed (chain, seq, hash) SELECT chain, seq, hash FROM audit_chain;

-- Checkpoints: each seals the chains' heads committed since the previous one as leaves of one
-- append-only Merkle tree (RFC 6962 hashing), records the tree head, and is chained by hash.
CREATE TABLE audit_checkpoint (
    id         BIGINT PRIMARY KEY CHECK (id > 0),
    sealed_at  TIMESTAMPTZ NOT NULL,
    tree_size  BIGINT NOT NULL,
    root_hash  TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE
);

CREATE TABLE audit_seal_leaf (
    leaf_index     BIGINT PRIMARY KEY CHECK (leaf_index >= 0),
    checkpoint_id  BIGINT NOT NULL REFERENCES audit_checkpoint (id),
    chain          TEXT NOT NULL,
    seq            BIGINT NOT NULL,
    hash           TEXT NOT NULL,
    UNIQUE (chain, seq)
);

CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_seal_leaf_append_only BEFORE UPDATE OR DELETE ON audit_seal_leaf
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_seal_leaf_no_truncate BEFORE TRUNCATE ON audit_seal_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The old single head is gone: an instance of the previous release still running against this
-- database fails its writes loudly instead of starting a second, unsealed chain.
DROP TABLE audit_head;

GRANT SELECT, INSERT, UPDATE ON audit_chain TO trial_app;
GRANT SELECT, INSERT, DELETE ON audit_unsealed TO trial_app;
GRANT SELECT, INSERT ON audit_checkpoint, audit_seal_leaf TO trial_app;
GRANT USAGE, SELECT ON SEQUENCE audit_event_seq TO trial_app;

--changeset trial:0.3.0-stratum-state
-- The stratum row carries its last allocation's place in the block schedule, so the statement
-- that locks the row also reads the state the next allocation follows from (a join to the
-- allocation table in that statement would read it from the statement's snapshot, taken before
-- the lock was granted, and miss the allocation of the transaction it waited for). The allocation
-- table stays the record; the randomising statement updates this row and inserts the allocation
-- together. Nothing upcoming is stored: the next allocation is a function of the secret.
ALTER TABLE stratum_lock ADD COLUMN last_sequence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stratum_lock ADD COLUMN last_block_index BIGINT;
ALTER TABLE stratum_lock ADD COLUMN last_block_size INTEGER;
ALTER TABLE stratum_lock ADD COLUMN last_position_in_block INTEGER;
ALTER TABLE stratum_lock ADD COLUMN last_design_version INTEGER;
ALTER TABLE stratum_lock ADD COLUMN last_arm TEXT;
UPDATE stratum_lock s SET last_sequence = a.sequence, last_block_index = a.block_index, last_block_size = a.block_size,
    last_position_in_block = a.position_in_block, last_design_version = a.design_version, last_arm = a.arm
FROM (SELECT DISTINCT ON (stratum_key) stratum_key, sequence, block_index, block_size, position_in_block, design_version, arm
      FROM allocation ORDER BY stratum_key, sequence DESC) a
WHERE a.stratum_key = s.stratum_key;
ALTER TABLE stratum_lock ADD CONSTRAINT stratum_lock_state CHECK ((last_sequence = 0) = (last_arm IS NULL));

--changeset trial:0.3.0-recruit-randomised
-- Whether the recruit is randomised, kept on the recruit row by the randomising statement, so that
-- every first-appointment write reads it from the row it locks (a separate look-up of the
-- allocation would cost a round trip on every write).
ALTER TABLE recruit ADD COLUMN randomised BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE recruit r SET randomised = TRUE WHERE EXISTS (SELECT 1 FROM allocation a WHERE a.person_key = r.person_key);

--changeset trial:0.3.0-allocation-slot splitStatements:false
-- The randomising statement prepares the stratum's next slots from its state read before the lock,
-- and takes the one that follows the state it finds once locked. In the rare case that the
-- stratum moved past every prepared slot meanwhile, this stops the statement (and its commit) with
-- a serialisation failure, and the service runs the randomisation again.
CREATE FUNCTION allocation_slot_taken(taken BIGINT) RETURNS BIGINT LANGUAGE plpgsql AS $$
BEGIN
    IF taken IS NULL THEN
        RAISE EXCEPTION 'the stratum moved past every prepared slot' USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN taken;
END
$$;
