-- +goose Up
-- The register's column and sort by posts cut (jobs.posts_cut, -1 when
-- unknown), kept with the other summary columns: the summaries of an
-- earlier method are recomputed at start, which fills it.
ALTER TABLE systems ADD COLUMN posts_cut INTEGER NOT NULL DEFAULT -1;
CREATE INDEX systems_org_posts_cut ON systems(org_id, posts_cut DESC, name_key, id);

-- +goose Down
DROP INDEX systems_org_posts_cut;
ALTER TABLE systems DROP COLUMN posts_cut;
