-- The audio library: recorded names, greetings and outgoing messages. The
-- audio itself is a telephony-format WAV file audio/<id>.wav in the data dir.
CREATE TABLE audio_items (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('name', 'greeting', 'message')),
  source      TEXT NOT NULL CHECK (source IN ('recorded', 'uploaded', 'tts')),
  tts_text    TEXT NOT NULL DEFAULT '',
  duration_ms INTEGER NOT NULL,
  format      TEXT NOT NULL,
  auto        INTEGER NOT NULL DEFAULT 0, -- 1: the default recorded name, made from first and last name
  created_at  TEXT NOT NULL
);
