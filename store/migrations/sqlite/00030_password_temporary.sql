-- +goose Up
-- A password given by someone else (an admin creating the account, the
-- operator resetting it) must be changed by its holder at the next login.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN must_change_password;
