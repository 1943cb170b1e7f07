-- The availability timeline (app/status): one row per stint, times in Unix
-- milliseconds UTC. end_ms is NULL while the stint runs; reason says why it
-- started, end_reason why it ended (the next stint's reason, app_quit, crash).
CREATE TABLE status_stints (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  status     TEXT    NOT NULL,
  reason     TEXT    NOT NULL,
  start_ms   INTEGER NOT NULL,
  end_ms     INTEGER CHECK (end_ms IS NULL OR end_ms >= start_ms),
  end_reason TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX status_stints_start ON status_stints(start_ms);
CREATE INDEX status_stints_open ON status_stints(end_ms) WHERE end_ms IS NULL;

-- The engine's state between runs: the status to resume on the next start and
-- the last moment the app was known alive (heartbeat), where a crashed run's
-- open stint is closed.
CREATE TABLE status_state (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  resume_status TEXT    NOT NULL,
  heartbeat_ms  INTEGER NOT NULL DEFAULT 0
);
