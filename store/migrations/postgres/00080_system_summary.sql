-- +goose Up
-- What the register lists of each system beyond its facts (package
-- summary): the AI Act tier, the number of unmet obligations and the next
-- due date, kept with the system and rewritten when the system, its
-- actions or the rules change, and when summary_until passes ('' means
-- out of date; '9999-12-31' that time alone changes nothing).
ALTER TABLE systems ADD COLUMN tier TEXT NOT NULL DEFAULT '';
ALTER TABLE systems ADD COLUMN tier_rank BIGINT NOT NULL DEFAULT 0;
ALTER TABLE systems ADD COLUMN unmet BIGINT NOT NULL DEFAULT 0;
ALTER TABLE systems ADD COLUMN next_due TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE systems ADD COLUMN next_due_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE systems ADD COLUMN summary_as_of TEXT NOT NULL DEFAULT '';
ALTER TABLE systems ADD COLUMN summary_until TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE systems ADD COLUMN summary_rev TEXT NOT NULL DEFAULT '';
CREATE INDEX systems_org_tier ON systems(org_id, tier_rank DESC, name_key, id);
CREATE INDEX systems_org_unmet ON systems(org_id, unmet DESC, name_key, id);
CREATE INDEX systems_org_due ON systems(org_id, (next_due = ''), next_due, name_key, id);
CREATE INDEX systems_org_summary_until ON systems(org_id, summary_until);

-- +goose Down
DROP INDEX systems_org_summary_until;
DROP INDEX systems_org_due;
DROP INDEX systems_org_unmet;
DROP INDEX systems_org_tier;
ALTER TABLE systems DROP COLUMN summary_rev;
ALTER TABLE systems DROP COLUMN summary_until;
ALTER TABLE systems DROP COLUMN summary_as_of;
ALTER TABLE systems DROP COLUMN next_due_kind;
ALTER TABLE systems DROP COLUMN next_due;
ALTER TABLE systems DROP COLUMN unmet;
ALTER TABLE systems DROP COLUMN tier_rank;
ALTER TABLE systems DROP COLUMN tier;
