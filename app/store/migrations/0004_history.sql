-- The call history: one row per call, incoming or outgoing, written when the
-- call ends. Times in Unix milliseconds UTC; ring_ms is from the start to the
-- answer (or the end when never answered), talk_ms from the answer to the end.
-- result: answered; missed (rang here, nobody answered); redirected, rejected
-- or busy (sent on at once by the call settings, or by the agent); for
-- outgoing calls also cancelled and failed. ended_by: local (the agent),
-- remote (the other party), system (the call settings, a timer, an error).
-- missed is 1 for the calls the missed-call list shows (queue calls only
-- when call.log_missed_queue_calls is on).
CREATE TABLE call_history (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  call_id    TEXT    NOT NULL,
  direction  TEXT    NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
  origin     TEXT    NOT NULL DEFAULT 'direct',
  peer       TEXT    NOT NULL,
  peer_name  TEXT    NOT NULL DEFAULT '',
  result     TEXT    NOT NULL CHECK (result IN ('answered', 'missed', 'redirected', 'rejected', 'busy', 'cancelled', 'failed')),
  ended_by   TEXT    NOT NULL DEFAULT '' CHECK (ended_by IN ('', 'local', 'remote', 'system')),
  code       INTEGER NOT NULL DEFAULT 0,
  target     TEXT    NOT NULL DEFAULT '',
  caller_id  TEXT    NOT NULL DEFAULT '',
  start_ms   INTEGER NOT NULL,
  ring_ms    INTEGER NOT NULL DEFAULT 0 CHECK (ring_ms >= 0),
  talk_ms    INTEGER NOT NULL DEFAULT 0 CHECK (talk_ms >= 0),
  missed     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX call_history_start ON call_history(start_ms);
CREATE INDEX call_history_missed ON call_history(start_ms) WHERE missed = 1;

-- The user's SMTP account for missed-call emails: one row; the password is
-- in the OS keyring under smtp:<user>@<host>, never here.
CREATE TABLE smtp_account (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  host     TEXT    NOT NULL,
  port     INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  user     TEXT    NOT NULL DEFAULT '',
  tls_mode TEXT    NOT NULL DEFAULT 'starttls' CHECK (tls_mode IN ('starttls', 'tls', 'none'))
);
