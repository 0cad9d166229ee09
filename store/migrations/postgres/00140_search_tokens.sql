-- +goose Up
-- The search index holds the tokens the program makes (store.searchTokens:
-- each folded word and its French stem, prefixed with the organisation's
-- tag), the same as SQLite's, so that a search reads one organisation's
-- part of the GIN index. The tsvector is those tokens as they are; the
-- words are written again by the program when it opens the database
-- (search_revision tells it how they were made).
DROP INDEX system_search_tsv;
ALTER TABLE system_search DROP COLUMN tsv;
UPDATE system_search SET words = '';
ALTER TABLE system_search ADD COLUMN tsv tsvector GENERATED ALWAYS AS (array_to_tsvector(string_to_array(words, ' '))) STORED;
CREATE INDEX system_search_tsv ON system_search USING gin (tsv);
CREATE TABLE search_revision (
    id       integer PRIMARY KEY CHECK (id = 1),
    revision text NOT NULL
);

-- +goose Down
-- The words go back to the previous index empty: save each system again
-- to find it by search.
DROP TABLE search_revision;
DROP INDEX system_search_tsv;
ALTER TABLE system_search DROP COLUMN tsv;
UPDATE system_search SET words = '';
ALTER TABLE system_search ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('vigie_french'::regconfig, words)) STORED;
CREATE INDEX system_search_tsv ON system_search USING gin (tsv);
