-- +goose Up
-- Nothing on PostgreSQL: migration 00141 completes SQLite's full-text
-- index (the same version on both dialects).
SELECT 1;

-- +goose Down
SELECT 1;
