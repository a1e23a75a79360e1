--liquibase formatted sql

-- Release 0.7.0: two-factor sign-in with TOTP codes (RFC 6238) and recovery codes
-- (docs/security.md#two-factor-sign-in). The TOTP secret is stored only encrypted (AES-GCM under a
-- key in a file outside the repository and the database); recovery codes only as bcrypt hashes.
-- Both go with the user (ON DELETE CASCADE).

--changeset trial:0.7.0-two-factor
CREATE TABLE two_factor (
    user_id       BIGINT PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
    -- 12-byte GCM nonce, then the ciphertext and its 16-byte tag; the user's id is the associated
    -- data, so a secret copied onto another user's row does not decrypt.
    secret_sealed BYTEA NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    -- NULL while the enrolment waits for its first code; sign-in asks for a code only once set.
    confirmed_at  TIMESTAMPTZ,
    -- The newest 30-second step whose code was accepted: a code of that step or an earlier one is
    -- refused (a replay), and the guarded UPDATE ... WHERE last_step < :step lets only one of two
    -- racing requests with the same code through.
    last_step     BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE two_factor_recovery_code (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX two_factor_recovery_code_user ON two_factor_recovery_code (user_id);

-- A session after the password step that is not usable yet: 'code' waits for the second factor's
-- code; 'enrolment' (a role that requires two-factor sign-in, a user not enrolled) may only enrol.
ALTER TABLE user_session ADD COLUMN pending TEXT CHECK (pending IN ('code', 'enrolment'));

GRANT SELECT, INSERT, UPDATE, DELETE ON two_factor, two_factor_recovery_code TO trial_app;
GRANT USAGE, SELECT ON SEQUENCE two_factor_recovery_code_id_seq TO trial_app;

--changeset trial:0.7.0-last-login-after-second-factor splitStatements:false
-- A user's last login is a sign-in that opened a usable session: for an enrolled user, after the
-- code, not after the password alone (someone who has the password but not the phone must not
-- show as having signed in). A session inserted pending counts when its pending step is cleared;
-- its time is the session's start, the password step, moments earlier.
CREATE OR REPLACE FUNCTION record_last_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.pending IS NULL THEN
        UPDATE app_user SET last_login_at = NEW.created_at WHERE id = NEW.user_id;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER user_session_last_login_completed AFTER UPDATE OF pending ON user_session
    FOR EACH ROW WHEN (OLD.pending IS NOT NULL AND NEW.pending IS NULL) EXECUTE FUNCTION record_last_login();
