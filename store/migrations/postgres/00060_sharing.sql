-- +goose Up
-- Who beyond its organisation may count and read a system: section (its
-- organisation only), federation (also the organisations above it), public
-- (also the open data).
ALTER TABLE systems ADD COLUMN sharing TEXT NOT NULL DEFAULT 'section' CHECK (sharing IN ('section', 'federation', 'public'));
CREATE INDEX systems_sharing ON systems(sharing, org_id) WHERE sharing <> 'section';

-- +goose Down
DROP INDEX systems_sharing;
ALTER TABLE systems DROP COLUMN sharing;
