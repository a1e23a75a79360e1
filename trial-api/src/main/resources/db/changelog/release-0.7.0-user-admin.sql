--liquibase formatted sql

-- Release 0.7.0: user administration (docs/security.md, "Password resets"; docs/pages.md, admin).
--
-- An admin no longer sets anyone's password. Creating a user or resetting a password gives the
-- admin a one-time code, shown once; the user signs in with it and must choose a password before
-- anything else. The code is kept the way a password is (bcrypt, in password_hash), so nobody,
-- the admin included, can read it back; the row says that it is a one-time code
-- (password_change_required) and until when it works (one_time_code_expires_at). Choosing a new
-- password clears both.
--
-- last_login_at is set by the database whenever a session starts, whichever way the login flow
-- starts it, so the login code does not need to know about it.

--changeset trial:0.7.0-user-admin
ALTER TABLE app_user
    ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN one_time_code_expires_at TIMESTAMPTZ,
    ADD COLUMN last_login_at TIMESTAMPTZ,
    ADD CONSTRAINT app_user_one_time_code_expiry
        CHECK (password_change_required OR one_time_code_expires_at IS NULL);

--changeset trial:0.7.0-last-login splitStatements:false
CREATE FUNCTION record_last_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE app_user SET last_login_at = NEW.created_at WHERE id = NEW.user_id;
    RETURN NEW;
END
$$;
--changeset trial:0.7.0-last-login-trigger
CREATE TRIGGER user_session_last_login AFTER INSERT ON user_session
    FOR EACH ROW EXECUTE FUNCTION record_last_login();
