-- +goose Up
CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    parent_id  TEXT REFERENCES organisations(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations(name);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT 'fr',
    created_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX users_email ON users(email);

CREATE TABLE memberships (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id  TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'reader')),
    PRIMARY KEY (user_id, org_id)
);
CREATE INDEX memberships_org ON memberships(org_id);

CREATE TABLE workplaces (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT '',
    headcount  INTEGER,
    staff_body TEXT NOT NULL DEFAULT '',
    sector     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX workplaces_org ON workplaces(org_id);

-- The register: narrow columns for listing and filtering; the facts and
-- the search words of each system live in tables of their own, so that a
-- scan of the register does not read them.
CREATE TABLE systems (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    workplace_id TEXT REFERENCES workplaces(id) ON DELETE SET NULL,
    version      INTEGER NOT NULL,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT '',
    domains      TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    updated_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX systems_org_name ON systems(org_id, name_key, id);
CREATE INDEX systems_org_workplace ON systems(org_id, workplace_id, name_key, id);
CREATE INDEX systems_org_status ON systems(org_id, status, name_key, id);
CREATE INDEX systems_workplace ON systems(workplace_id);

-- The facts of the system file, as JSON.
CREATE TABLE system_facts (
    system_id TEXT PRIMARY KEY REFERENCES systems(id) ON DELETE CASCADE,
    facts     TEXT NOT NULL
);

-- The distinct folded words of the name, vendor and description.
CREATE TABLE system_search (
    system_id TEXT PRIMARY KEY REFERENCES systems(id) ON DELETE CASCADE,
    org_id    TEXT NOT NULL,
    words     TEXT NOT NULL
);
CREATE INDEX system_search_org ON system_search(org_id);

CREATE TABLE system_changes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    user_id   TEXT NOT NULL DEFAULT '',
    at        TIMESTAMP NOT NULL,
    fact      TEXT NOT NULL,
    old       TEXT NOT NULL,
    new       TEXT NOT NULL
);
CREATE INDEX system_changes_system ON system_changes(system_id, version);

CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    system_id   TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    doc_date    TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL,
    facts       TEXT NOT NULL DEFAULT '[]',
    uploaded_by TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    content     BLOB NOT NULL
);
CREATE INDEX documents_system ON documents(system_id);

CREATE TABLE events (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id  TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    at      TIMESTAMP NOT NULL,
    kind    TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_org ON events(org_id, id);

CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expiry);

-- +goose Down
DROP TABLE sessions;
DROP TABLE events;
DROP TABLE documents;
DROP TABLE system_changes;
DROP TABLE system_search;
DROP TABLE system_facts;
DROP TABLE systems;
DROP TABLE workplaces;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE organisations;
