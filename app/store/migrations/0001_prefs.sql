-- Preferences: one row per key that differs from its default, in canonical form.
CREATE TABLE prefs (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The SIP account: one row; passwords are never here (OS keyring).
CREATE TABLE account (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  server        TEXT NOT NULL,
  user          TEXT NOT NULL,
  auth_user     TEXT NOT NULL DEFAULT '',
  domain        TEXT NOT NULL DEFAULT '',
  display_name  TEXT NOT NULL DEFAULT '',
  voicemail_uri TEXT NOT NULL DEFAULT ''
);
