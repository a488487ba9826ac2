-- Secrets an instance makes for itself (demo mode's token encryption key), kept across restarts.
CREATE TABLE instance_secrets (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
