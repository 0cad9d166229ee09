-- +goose Up
-- What the observatory counts of each system (package observatory's
-- Summary, as JSON), written with the system in the same transaction.
CREATE TABLE observatory_summaries (
    system_id TEXT PRIMARY KEY REFERENCES systems(id) ON DELETE CASCADE,
    org_id    TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    version   BIGINT NOT NULL,
    as_of     TEXT NOT NULL,
    summary   TEXT NOT NULL
);
CREATE INDEX observatory_summaries_org ON observatory_summaries(org_id);

-- A counter of the changes that an observatory answer depends on, bumped
-- by triggers: every process compares it with the one its cached answer
-- was computed at, so that a change made through any process is seen by
-- all at once.
CREATE TABLE change_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO change_counter (id, n) VALUES (1, 0);

-- +goose StatementBegin
CREATE FUNCTION vigie_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_counter SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER systems_count_change AFTER INSERT OR UPDATE OR DELETE ON systems
    FOR EACH STATEMENT EXECUTE FUNCTION vigie_count_change();
CREATE TRIGGER organisations_count_change AFTER INSERT OR UPDATE OR DELETE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION vigie_count_change();
CREATE TRIGGER workplaces_count_change AFTER INSERT OR UPDATE OR DELETE ON workplaces
    FOR EACH STATEMENT EXECUTE FUNCTION vigie_count_change();
CREATE TRIGGER observatory_summaries_count_change AFTER INSERT OR UPDATE OR DELETE ON observatory_summaries
    FOR EACH STATEMENT EXECUTE FUNCTION vigie_count_change();
CREATE TRIGGER testimony_campaigns_count_change AFTER INSERT OR UPDATE OR DELETE ON testimony_campaigns
    FOR EACH STATEMENT EXECUTE FUNCTION vigie_count_change();
CREATE TRIGGER testimony_campaign_systems_count_change AFTER INSERT OR UPDATE OR DELETE ON testimony_campaign_systems
    FOR EACH STATEMENT EXECUTE FUNCTION vigie_count_change();
CREATE TRIGGER testimony_answers_count_change AFTER INSERT OR DELETE ON testimony_answers
    FOR EACH STATEMENT EXECUTE FUNCTION vigie_count_change();

-- +goose Down
DROP TRIGGER testimony_answers_count_change ON testimony_answers;
DROP TRIGGER testimony_campaign_systems_count_change ON testimony_campaign_systems;
DROP TRIGGER testimony_campaigns_count_change ON testimony_campaigns;
DROP TRIGGER observatory_summaries_count_change ON observatory_summaries;
DROP TRIGGER workplaces_count_change ON workplaces;
DROP TRIGGER organisations_count_change ON organisations;
DROP TRIGGER systems_count_change ON systems;
DROP FUNCTION vigie_count_change();
DROP TABLE change_counter;
DROP TABLE observatory_summaries;
