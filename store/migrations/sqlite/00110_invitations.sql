-- +goose Up
-- Membership by consent: an admin invites an address with a role; only the
-- holder of an account with that address, by accepting, becomes a member.
-- A pending invitation whose expires_at has passed is expired.
CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'reader')),
    invited_by  TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'revoked')),
    answered_at TIMESTAMP
);
CREATE UNIQUE INDEX invitations_pending ON invitations(org_id, email) WHERE status = 'pending';
CREATE INDEX invitations_email ON invitations(email) WHERE status = 'pending';

-- +goose Down
DROP TABLE invitations;
