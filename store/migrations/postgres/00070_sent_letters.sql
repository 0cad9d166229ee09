-- +goose Up
-- The letters as sent: the exact bytes of each file of an action, kept when
-- it is first marked sent, with their SHA-256.
CREATE TABLE sent_letters (
    action_id  TEXT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    format     TEXT NOT NULL CHECK (format IN ('pdf', 'odt', 'txt')),
    sha256     TEXT NOT NULL,
    content    BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (action_id, format)
);

-- +goose Down
DROP TABLE sent_letters;
