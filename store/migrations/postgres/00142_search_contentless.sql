-- +goose Up
-- Nothing on PostgreSQL: migration 00142 makes SQLite's full-text index
-- keep its tokens by itself (the same version on both dialects); the
-- tsvector here is generated from system_search.words.
SELECT 1;

-- +goose Down
SELECT 1;
