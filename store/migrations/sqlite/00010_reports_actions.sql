-- +goose Up
CREATE TABLE reports (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    system_id      TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('assessment', 'audit', 'footprint')),
    system_version INTEGER NOT NULL,
    as_of          TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL DEFAULT '',
    summary        TEXT NOT NULL DEFAULT '',
    input_name     TEXT NOT NULL DEFAULT '',
    input_sha256   TEXT NOT NULL DEFAULT '',
    input_rows     INTEGER NOT NULL DEFAULT 0,
    config         TEXT NOT NULL DEFAULT '',
    result         TEXT NOT NULL,
    content        BLOB,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX reports_system ON reports(system_id, kind, created_at);

CREATE TABLE actions (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    system_id   TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    letter      TEXT NOT NULL,
    rules       TEXT NOT NULL DEFAULT '[]',
    procedure   TEXT NOT NULL DEFAULT '',
    options     TEXT NOT NULL DEFAULT '{}',
    state       TEXT NOT NULL CHECK (state IN ('draft', 'sent', 'answered', 'no_answer', 'escalated', 'closed')),
    title       TEXT NOT NULL DEFAULT '',
    addressee   TEXT NOT NULL DEFAULT '',
    sent_on     TEXT NOT NULL DEFAULT '',
    attachments TEXT NOT NULL DEFAULT '',
    answer      TEXT NOT NULL DEFAULT '',
    answered_on TEXT NOT NULL DEFAULT '',
    parent_id   TEXT REFERENCES actions(id) ON DELETE SET NULL,
    lang        TEXT NOT NULL DEFAULT 'fr',
    body        TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX actions_org ON actions(org_id, state);
CREATE INDEX actions_system ON actions(system_id);

CREATE TABLE calendar_tokens (
    org_id     TEXT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX calendar_tokens_hash ON calendar_tokens(token_hash);

-- +goose Down
DROP TABLE calendar_tokens;
DROP TABLE actions;
DROP TABLE reports;
