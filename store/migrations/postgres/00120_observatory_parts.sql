-- +goose Up
-- A counter of changes per organisation, bumped by the database itself
-- (whichever process made the change) when a system, its observatory
-- summary, a workplace or a testimony of the organisation changes.
CREATE TABLE org_changes (
    org_id TEXT PRIMARY KEY,
    n      BIGINT NOT NULL
);

-- What the systems of one organisation add to an observatory (package
-- observatory's Part, as JSON): scope 'own' in the organisation's own
-- observatory, 'shared' in those above it. A part is used while the
-- organisation's counter is still the one it was computed at; as_of is
-- the date it depends on ('' when none).
CREATE TABLE observatory_parts (
    org_id  TEXT NOT NULL,
    scope   TEXT NOT NULL CHECK (scope IN ('own', 'shared')),
    counter BIGINT NOT NULL,
    as_of   TEXT NOT NULL,
    part    TEXT NOT NULL,
    PRIMARY KEY (org_id, scope)
);

-- +goose StatementBegin
CREATE FUNCTION vigie_org_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO org_changes (org_id, n) SELECT DISTINCT org_id, 1 FROM new_rows
            ON CONFLICT (org_id) DO UPDATE SET n = org_changes.n + 1;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO org_changes (org_id, n) SELECT DISTINCT org_id, 1 FROM old_rows
            ON CONFLICT (org_id) DO UPDATE SET n = org_changes.n + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION vigie_campaign_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO org_changes (org_id, n) SELECT DISTINCT c.org_id, 1 FROM new_rows r JOIN testimony_campaigns c ON c.id = r.campaign_id
            ON CONFLICT (org_id) DO UPDATE SET n = org_changes.n + 1;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO org_changes (org_id, n) SELECT DISTINCT c.org_id, 1 FROM old_rows r JOIN testimony_campaigns c ON c.id = r.campaign_id
            ON CONFLICT (org_id) DO UPDATE SET n = org_changes.n + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER systems_org_insert AFTER INSERT ON systems REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_org_changed();
CREATE TRIGGER systems_org_update AFTER UPDATE ON systems REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_org_changed();
CREATE TRIGGER systems_org_delete AFTER DELETE ON systems REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_org_changed();
CREATE TRIGGER observatory_summaries_org_insert AFTER INSERT ON observatory_summaries REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_org_changed();
CREATE TRIGGER observatory_summaries_org_update AFTER UPDATE ON observatory_summaries REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_org_changed();
CREATE TRIGGER observatory_summaries_org_delete AFTER DELETE ON observatory_summaries REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_org_changed();
CREATE TRIGGER workplaces_org_insert AFTER INSERT ON workplaces REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_org_changed();
CREATE TRIGGER workplaces_org_update AFTER UPDATE ON workplaces REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_org_changed();
CREATE TRIGGER workplaces_org_delete AFTER DELETE ON workplaces REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_org_changed();
CREATE TRIGGER testimony_campaigns_org_insert AFTER INSERT ON testimony_campaigns REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_org_changed();
CREATE TRIGGER testimony_campaigns_org_update AFTER UPDATE ON testimony_campaigns REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_org_changed();
CREATE TRIGGER testimony_campaigns_org_delete AFTER DELETE ON testimony_campaigns REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_org_changed();
CREATE TRIGGER testimony_campaign_systems_org_insert AFTER INSERT ON testimony_campaign_systems REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_campaign_changed();
CREATE TRIGGER testimony_campaign_systems_org_update AFTER UPDATE ON testimony_campaign_systems REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_campaign_changed();
CREATE TRIGGER testimony_campaign_systems_org_delete AFTER DELETE ON testimony_campaign_systems REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_campaign_changed();
CREATE TRIGGER testimony_answers_org_insert AFTER INSERT ON testimony_answers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_campaign_changed();
CREATE TRIGGER testimony_answers_org_delete AFTER DELETE ON testimony_answers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vigie_campaign_changed();

-- +goose Down
DROP TRIGGER testimony_answers_org_delete ON testimony_answers;
DROP TRIGGER testimony_answers_org_insert ON testimony_answers;
DROP TRIGGER testimony_campaign_systems_org_delete ON testimony_campaign_systems;
DROP TRIGGER testimony_campaign_systems_org_update ON testimony_campaign_systems;
DROP TRIGGER testimony_campaign_systems_org_insert ON testimony_campaign_systems;
DROP TRIGGER testimony_campaigns_org_delete ON testimony_campaigns;
DROP TRIGGER testimony_campaigns_org_update ON testimony_campaigns;
DROP TRIGGER testimony_campaigns_org_insert ON testimony_campaigns;
DROP TRIGGER workplaces_org_delete ON workplaces;
DROP TRIGGER workplaces_org_update ON workplaces;
DROP TRIGGER workplaces_org_insert ON workplaces;
DROP TRIGGER observatory_summaries_org_delete ON observatory_summaries;
DROP TRIGGER observatory_summaries_org_update ON observatory_summaries;
DROP TRIGGER observatory_summaries_org_insert ON observatory_summaries;
DROP TRIGGER systems_org_delete ON systems;
DROP TRIGGER systems_org_update ON systems;
DROP TRIGGER systems_org_insert ON systems;
DROP FUNCTION vigie_campaign_changed();
DROP FUNCTION vigie_org_changed();
DROP TABLE observatory_parts;
DROP TABLE org_changes;
