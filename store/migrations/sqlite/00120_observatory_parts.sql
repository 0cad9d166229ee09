-- +goose Up
-- A counter of changes per organisation, bumped by triggers when a system,
-- its observatory summary, a workplace or a testimony of the organisation
-- changes.
CREATE TABLE org_changes (
    org_id TEXT PRIMARY KEY,
    n      INTEGER NOT NULL
);

-- What the systems of one organisation add to an observatory (package
-- observatory's Part, as JSON): scope 'own' in the organisation's own
-- observatory, 'shared' in those above it. A part is used while the
-- organisation's counter is still the one it was computed at; as_of is
-- the date it depends on ('' when none).
CREATE TABLE observatory_parts (
    org_id  TEXT NOT NULL,
    scope   TEXT NOT NULL CHECK (scope IN ('own', 'shared')),
    counter INTEGER NOT NULL,
    as_of   TEXT NOT NULL,
    part    TEXT NOT NULL,
    PRIMARY KEY (org_id, scope)
);

-- +goose StatementBegin
CREATE TRIGGER systems_org_insert AFTER INSERT ON systems BEGIN INSERT INTO org_changes (org_id, n) VALUES (NEW.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER systems_org_update AFTER UPDATE ON systems BEGIN INSERT INTO org_changes (org_id, n) VALUES (NEW.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; INSERT INTO org_changes (org_id, n) VALUES (OLD.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER systems_org_delete AFTER DELETE ON systems BEGIN INSERT INTO org_changes (org_id, n) VALUES (OLD.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER observatory_summaries_org_insert AFTER INSERT ON observatory_summaries BEGIN INSERT INTO org_changes (org_id, n) VALUES (NEW.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER observatory_summaries_org_update AFTER UPDATE ON observatory_summaries BEGIN INSERT INTO org_changes (org_id, n) VALUES (NEW.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; INSERT INTO org_changes (org_id, n) VALUES (OLD.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER observatory_summaries_org_delete AFTER DELETE ON observatory_summaries BEGIN INSERT INTO org_changes (org_id, n) VALUES (OLD.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER workplaces_org_insert AFTER INSERT ON workplaces BEGIN INSERT INTO org_changes (org_id, n) VALUES (NEW.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER workplaces_org_update AFTER UPDATE ON workplaces BEGIN INSERT INTO org_changes (org_id, n) VALUES (NEW.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; INSERT INTO org_changes (org_id, n) VALUES (OLD.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER workplaces_org_delete AFTER DELETE ON workplaces BEGIN INSERT INTO org_changes (org_id, n) VALUES (OLD.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_campaigns_org_insert AFTER INSERT ON testimony_campaigns BEGIN INSERT INTO org_changes (org_id, n) VALUES (NEW.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_campaigns_org_update AFTER UPDATE ON testimony_campaigns BEGIN INSERT INTO org_changes (org_id, n) VALUES (NEW.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; INSERT INTO org_changes (org_id, n) VALUES (OLD.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_campaigns_org_delete AFTER DELETE ON testimony_campaigns BEGIN INSERT INTO org_changes (org_id, n) VALUES (OLD.org_id, 1) ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_campaign_systems_org_insert AFTER INSERT ON testimony_campaign_systems BEGIN INSERT INTO org_changes (org_id, n) SELECT org_id, 1 FROM testimony_campaigns WHERE id = NEW.campaign_id ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_campaign_systems_org_update AFTER UPDATE ON testimony_campaign_systems BEGIN INSERT INTO org_changes (org_id, n) SELECT org_id, 1 FROM testimony_campaigns WHERE id = NEW.campaign_id ON CONFLICT (org_id) DO UPDATE SET n = n + 1; INSERT INTO org_changes (org_id, n) SELECT org_id, 1 FROM testimony_campaigns WHERE id = OLD.campaign_id ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_campaign_systems_org_delete AFTER DELETE ON testimony_campaign_systems BEGIN INSERT INTO org_changes (org_id, n) SELECT org_id, 1 FROM testimony_campaigns WHERE id = OLD.campaign_id ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_answers_org_insert AFTER INSERT ON testimony_answers BEGIN INSERT INTO org_changes (org_id, n) SELECT org_id, 1 FROM testimony_campaigns WHERE id = NEW.campaign_id ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER testimony_answers_org_delete AFTER DELETE ON testimony_answers BEGIN INSERT INTO org_changes (org_id, n) SELECT org_id, 1 FROM testimony_campaigns WHERE id = OLD.campaign_id ON CONFLICT (org_id) DO UPDATE SET n = n + 1; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER testimony_answers_org_delete;
DROP TRIGGER testimony_answers_org_insert;
DROP TRIGGER testimony_campaign_systems_org_delete;
DROP TRIGGER testimony_campaign_systems_org_update;
DROP TRIGGER testimony_campaign_systems_org_insert;
DROP TRIGGER testimony_campaigns_org_delete;
DROP TRIGGER testimony_campaigns_org_update;
DROP TRIGGER testimony_campaigns_org_insert;
DROP TRIGGER workplaces_org_delete;
DROP TRIGGER workplaces_org_update;
DROP TRIGGER workplaces_org_insert;
DROP TRIGGER observatory_summaries_org_delete;
DROP TRIGGER observatory_summaries_org_update;
DROP TRIGGER observatory_summaries_org_insert;
DROP TRIGGER systems_org_delete;
DROP TRIGGER systems_org_update;
DROP TRIGGER systems_org_insert;
DROP TABLE observatory_parts;
DROP TABLE org_changes;
