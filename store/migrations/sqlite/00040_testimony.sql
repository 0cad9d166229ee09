-- +goose Up
-- Anonymous testimonies. No column holds an address, a user agent, a
-- referrer or a time of submission: a submission keeps its ISO week only.
-- Answers and free texts are kept apart with nothing in common but the
-- campaign, under random (UUIDv4) ids, in tables ordered by those ids.
CREATE TABLE testimony_campaigns (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    opens_on          TEXT NOT NULL,
    closes_on         TEXT NOT NULL,
    min_group         INTEGER NOT NULL CHECK (min_group >= 3),
    questions         TEXT NOT NULL,
    questions_version TEXT NOT NULL,
    units             TEXT NOT NULL DEFAULT '[]',
    token             TEXT NOT NULL UNIQUE,
    recipients        TEXT NOT NULL,
    code_key          BLOB NOT NULL,
    retention_days    INTEGER NOT NULL CHECK (retention_days >= 0),
    closed_on         TEXT NOT NULL DEFAULT '',
    texts_purged_on   TEXT NOT NULL DEFAULT '',
    created_by        TEXT NOT NULL DEFAULT '',
    created_on        TEXT NOT NULL
);
CREATE INDEX testimony_campaigns_org ON testimony_campaigns(org_id);

CREATE TABLE testimony_campaign_systems (
    campaign_id TEXT NOT NULL REFERENCES testimony_campaigns(id) ON DELETE CASCADE,
    system_id   TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, system_id)
);
CREATE INDEX testimony_campaign_systems_system ON testimony_campaign_systems(system_id);

CREATE TABLE testimony_answers (
    id          TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES testimony_campaigns(id) ON DELETE CASCADE,
    week        TEXT NOT NULL,
    unit        TEXT NOT NULL DEFAULT '',
    answers     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX testimony_answers_campaign ON testimony_answers(campaign_id, unit, answers);

CREATE TABLE testimony_texts (
    id          TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES testimony_campaigns(id) ON DELETE CASCADE,
    ciphertext  BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX testimony_texts_campaign ON testimony_texts(campaign_id, id);

CREATE TABLE testimony_codes (
    campaign_id TEXT NOT NULL REFERENCES testimony_campaigns(id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL,
    used        INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
    PRIMARY KEY (campaign_id, code_hash)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE testimony_codes;
DROP TABLE testimony_texts;
DROP TABLE testimony_answers;
DROP TABLE testimony_campaign_systems;
DROP TABLE testimony_campaigns;
