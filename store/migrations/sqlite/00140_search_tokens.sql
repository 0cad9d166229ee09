-- +goose Up
-- The search index holds the tokens the program makes (store.searchTokens:
-- each folded word and its French stem, prefixed with the organisation's
-- tag), so that a search reads one organisation's part of the index. The
-- index is made anew, without prefix indexes (every token of an
-- organisation starts with its tag); the words are written again by the
-- program when it opens the database (search_revision tells it how they
-- were made).
DROP TRIGGER system_search_fts_update;
DROP TRIGGER system_search_fts_delete;
DROP TRIGGER system_search_fts_insert;
DROP TABLE system_fts;
UPDATE system_search SET words = '';
CREATE VIRTUAL TABLE system_fts USING fts5(
    words,
    content = 'system_search',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
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
CREATE TABLE search_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision TEXT NOT NULL
);

-- +goose Down
-- The words go back to the previous index empty: save each system again,
-- or run the previous version's reindexing, to find it by search.
DROP TABLE search_revision;
DROP TRIGGER system_search_fts_update;
DROP TRIGGER system_search_fts_delete;
DROP TRIGGER system_search_fts_insert;
DROP TABLE system_fts;
UPDATE system_search SET words = '';
CREATE VIRTUAL TABLE system_fts USING fts5(
    words,
    content = 'system_search',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
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
