-- +goose Up
-- Migration 00140 made the index anew without a row for each system (its
-- words were emptied): the first change of a system's words then found
-- no row to delete in the index. Each system gets its row, with no token
-- until the program writes its words.
INSERT INTO system_fts (system_fts) VALUES ('rebuild');

-- +goose Down
SELECT 1;
