-- +goose Up
-- Login throttling shared by every server on the database. A failure is
-- counted under a key: the digest of the address for an attempt without a
-- device cookie, the digest of the device token for one with a valid
-- device cookie of that address (issued at a successful login), so that an
-- attacker hammering an account does not lock out its holder's browsers.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);
CREATE INDEX login_failures_at ON login_failures(at);

CREATE TABLE login_devices (
    token_hash TEXT PRIMARY KEY,
    email      TEXT NOT NULL,
    expiry     BIGINT NOT NULL
);
CREATE INDEX login_devices_email ON login_devices(email);

-- +goose Down
DROP TABLE login_devices;
DROP TABLE login_failures;
