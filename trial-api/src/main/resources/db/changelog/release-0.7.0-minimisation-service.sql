--liquibase formatted sql

-- Release 0.7.0: the service randomises under a minimisation design (docs/randomisation.md,
-- "The service and minimisation"). A minimised allocation has no block: it records instead the
-- recruit's level of each minimisation factor and its seal (an HMAC under the secret of stratum,
-- sequence, design version, levels and arm), so that every allocation can be regenerated and
-- checked from the secret. The levels are the factors' answer codes (gender "2", site "A"), never
-- an identifier, and stay with the allocation for ever, as site and trial group do.

--changeset trial:0.7.0-minimised-allocation
ALTER TABLE allocation ALTER COLUMN block_index DROP NOT NULL;
ALTER TABLE allocation ALTER COLUMN block_size DROP NOT NULL;
ALTER TABLE allocation ALTER COLUMN position_in_block DROP NOT NULL;
ALTER TABLE allocation ADD COLUMN factor_levels JSONB;
ALTER TABLE allocation ADD COLUMN seal TEXT;
-- Either a block's place (permuted blocks) or levels and seal (minimisation), never a mixture.
ALTER TABLE allocation ADD CONSTRAINT allocation_kind CHECK (
    (block_index IS NOT NULL AND block_size IS NOT NULL AND position_in_block IS NOT NULL AND factor_levels IS NULL AND seal IS NULL)
    OR (block_index IS NULL AND block_size IS NULL AND position_in_block IS NULL AND factor_levels IS NOT NULL AND seal IS NOT NULL));

--changeset trial:0.7.0-stratum-totals
-- A minimisation stratum's marginal totals, on its lock row: read and updated under that row's
-- lock in the allocation's transaction, so each stratum's totals are its own (no lock shared by
-- all strata). One count per factor, level and arm, flattened in the design's orders
-- ([factor][level][arm]); NULL for a permuted-block stratum and before a stratum's first
-- allocation. They are sums of allocations made, nothing upcoming.
ALTER TABLE stratum_lock ADD COLUMN marginal_totals BIGINT[];
