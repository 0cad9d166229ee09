-- +goose Up
-- The index keeps the tokens by itself (a contentless FTS5 table that
-- allows deletions): system_search no longer holds them on SQLite, so that
-- its rows, read for every match of a search (system and organisation),
-- are small. The program writes the index directly.
DROP TRIGGER system_search_fts_update;
DROP TRIGGER system_search_fts_delete;
DROP TRIGGER system_search_fts_insert;
DROP TABLE system_fts;
CREATE VIRTUAL TABLE system_fts USING fts5(
    words,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO system_fts (rowid, words) SELECT id, words FROM system_search;
UPDATE system_search SET words = '';
-- +goose StatementBegin
CREATE TRIGGER system_search_fts_delete AFTER DELETE ON system_search BEGIN
    DELETE FROM system_fts WHERE rowid = old.id;
END;
-- +goose StatementEnd

-- +goose Down
-- The words go back to an index over system_search, empty: the program
-- of that version writes them again when it opens the database.
DROP TRIGGER system_search_fts_delete;
DROP TABLE system_fts;
UPDATE search_revision SET revision = '';
CREATE VIRTUAL TABLE system_fts USING fts5(
    words,
    content = 'system_search',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
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
