-- +goose Up
-- Search through a full-text index: a tsvector of the folded words of each
-- system in a French configuration that also strips accents (unaccent,
-- from PostgreSQL's contrib modules), with a GIN index. The extension is
-- installed in the public schema, shared by every schema of the database.
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
-- +goose StatementBegin
DO $$
DECLARE ext_schema text;
BEGIN
    SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent';
    CREATE TEXT SEARCH CONFIGURATION vigie_french (COPY = pg_catalog.french);
    EXECUTE format('ALTER TEXT SEARCH CONFIGURATION vigie_french ALTER MAPPING FOR hword, hword_part, word WITH %I.unaccent, french_stem', ext_schema);
END
$$;
-- +goose StatementEnd
ALTER TABLE system_search ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('vigie_french'::regconfig, words)) STORED;
CREATE INDEX system_search_tsv ON system_search USING gin (tsv);

-- +goose Down
DROP INDEX system_search_tsv;
ALTER TABLE system_search DROP COLUMN tsv;
DROP TEXT SEARCH CONFIGURATION vigie_french;
