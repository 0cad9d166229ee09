-- +goose Up
-- What the observatory counts of each system (package observatory's
-- Summary, as JSON), written with the system in the same transaction.
CREATE TABLE observatory_summaries (
    system_id TEXT PRIMARY KEY REFERENCES systems(id) ON DELETE CASCADE,
    org_id    TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    as_of     TEXT NOT NULL,
    summary   TEXT NOT NULL
);
CREATE INDEX observatory_summaries_org ON observatory_summaries(org_id);

-- A counter of the changes that an observatory answer depends on, bumped
-- by triggers, compared by every process with the one its cached answer
-- was computed at.
CREATE TABLE change_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO change_counter (id, n) VALUES (1, 0);

-- +goose StatementBegin
CREATE TRIGGER systems_insert_count_change AFTER INSERT ON systems BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER systems_update_count_change AFTER UPDATE ON systems BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER systems_delete_count_change AFTER DELETE ON systems BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_insert_count_change AFTER INSERT ON organisations BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_update_count_change AFTER UPDATE ON organisations BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_delete_count_change AFTER DELETE ON organisations BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER workplaces_insert_count_change AFTER INSERT ON workplaces BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER workplaces_update_count_change AFTER UPDATE ON workplaces BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER workplaces_delete_count_change AFTER DELETE ON workplaces BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER observatory_summaries_insert_count_change AFTER INSERT ON observatory_summaries BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER observatory_summaries_update_count_change AFTER UPDATE ON observatory_summaries BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER observatory_summaries_delete_count_change AFTER DELETE ON observatory_summaries BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_campaigns_insert_count_change AFTER INSERT ON testimony_campaigns BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_campaigns_update_count_change AFTER UPDATE ON testimony_campaigns BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_campaigns_delete_count_change AFTER DELETE ON testimony_campaigns BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_campaign_systems_insert_count_change AFTER INSERT ON testimony_campaign_systems BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_campaign_systems_update_count_change AFTER UPDATE ON testimony_campaign_systems BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_campaign_systems_delete_count_change AFTER DELETE ON testimony_campaign_systems BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_answers_insert_count_change AFTER INSERT ON testimony_answers BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_answers_delete_count_change AFTER DELETE ON testimony_answers BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER testimony_answers_delete_count_change;
DROP TRIGGER testimony_answers_insert_count_change;
DROP TRIGGER testimony_campaign_systems_delete_count_change;
DROP TRIGGER testimony_campaign_systems_update_count_change;
DROP TRIGGER testimony_campaign_systems_insert_count_change;
DROP TRIGGER testimony_campaigns_delete_count_change;
DROP TRIGGER testimony_campaigns_update_count_change;
DROP TRIGGER testimony_campaigns_insert_count_change;
DROP TRIGGER observatory_summaries_delete_count_change;
DROP TRIGGER observatory_summaries_update_count_change;
DROP TRIGGER observatory_summaries_insert_count_change;
DROP TRIGGER workplaces_delete_count_change;
DROP TRIGGER workplaces_update_count_change;
DROP TRIGGER workplaces_insert_count_change;
DROP TRIGGER organisations_delete_count_change;
DROP TRIGGER organisations_update_count_change;
DROP TRIGGER organisations_insert_count_change;
DROP TRIGGER systems_delete_count_change;
DROP TRIGGER systems_update_count_change;
DROP TRIGGER systems_insert_count_change;
DROP TABLE change_counter;
DROP TABLE observatory_summaries;
