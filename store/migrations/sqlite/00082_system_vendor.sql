-- +goose Up
-- The vendor, shown under each name in the register, kept beside the name
-- so that a list page reads no facts.
ALTER TABLE systems ADD COLUMN vendor TEXT NOT NULL DEFAULT '';
UPDATE systems SET vendor = COALESCE((SELECT json_extract(f.facts, '$.vendor') FROM system_facts f WHERE f.system_id = systems.id), '');

-- +goose Down
ALTER TABLE systems DROP COLUMN vendor;
