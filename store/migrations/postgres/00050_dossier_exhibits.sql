-- +goose Up
-- The numbers of a system's exhibits (pièces) in its dossiers: given once,
-- never changed, so that a bordereau des pièces stays valid when a document
-- is added. The key names the exhibit (document:ID, evidence:HASH|DATE,
-- action:ID, report:ID, campaign:ID).
CREATE TABLE dossier_exhibits (
    system_id   TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    exhibit_key TEXT NOT NULL,
    n           INTEGER NOT NULL CHECK (n > 0),
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (system_id, exhibit_key),
    UNIQUE (system_id, n)
);

-- +goose Down
DROP TABLE dossier_exhibits;
