-- +goose Up
-- Search through a full-text index (FTS5) of the folded words of each
-- system. The words table gets an integer key, the index's rowid, and
-- triggers keep the index in step with it (a system's deletion cascades
-- to its words, then to the index).
CREATE TABLE system_search_new (
    id        INTEGER PRIMARY KEY,
    system_id TEXT NOT NULL UNIQUE REFERENCES systems(id) ON DELETE CASCADE,
    org_id    TEXT NOT NULL,
    words     TEXT NOT NULL
);
INSERT INTO system_search_new (system_id, org_id, words) SELECT system_id, org_id, words FROM system_search;
DROP TABLE system_search;
ALTER TABLE system_search_new RENAME TO system_search;

CREATE VIRTUAL TABLE system_fts USING fts5(
    words,
    content = 'system_search',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO system_fts (system_fts) VALUES ('rebuild');

-- +goose StatementBegin
CREATE TRIGGER system_search_fts_insert AFTER INSERT ON system_search BEGIN
    INSERT INTO system_fts (rowid, words) VALUES (new.id, new.words);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER system_search_fts_delete AFTER DELETE ON system_search BEGIN
    INSERT INTO system_fts (system_fts, rowid, words) VALUES ('delete', old.id, old.words);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER system_search_fts_update AFTER UPDATE OF words ON system_search BEGIN
    INSERT INTO system_fts (system_fts, rowid, words) VALUES ('delete', old.id, old.words);
    INSERT INTO system_fts (rowid, words) VALUES (new.id, new.words);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER system_search_fts_update;
DROP TRIGGER system_search_fts_delete;
DROP TRIGGER system_search_fts_insert;
DROP TABLE system_fts;
CREATE TABLE system_search_old (
    system_id TEXT PRIMARY KEY REFERENCES systems(id) ON DELETE CASCADE,
    org_id    TEXT NOT NULL,
    words     TEXT NOT NULL
);
INSERT INTO system_search_old (system_id, org_id, words) SELECT system_id, org_id, words FROM system_search;
DROP TABLE system_search;
ALTER TABLE system_search_old RENAME TO system_search;
CREATE INDEX system_search_org ON system_search(org_id);
