// Package audio provides Ringside's sound handling without any UI or
// preferences: capture and playback devices through miniaudio (gen2brain/malgo),
// a recorder with a live level and a player, decoding of WAV, MP3, FLAC and Ogg
// Vorbis files (Vorbis with a decoder of its own in audio/internal/vorbis, as no
// pure-Go Vorbis module is available here), downmixing, a windowed-sinc
// resampler, silence trimming, EBU R128 / ITU-R BS.1770 loudness measurement
// and normalisation, conversion to the telephony format used for stored items,
// and text-to-speech through the operating system's engine.
//
// # The telephony format
//
// Every stored item is 16 kHz mono 16-bit PCM in a WAV file (see [Telephony]).
// 16 kHz is wideband speech: it is what G.722 and Opus in wideband mode carry,
// so a greeting keeps its 50 Hz to 7 kHz band on a wideband call, while G.711
// (8 kHz) is an exact 2:1 decimation of it. Uncompressed PCM keeps every edit
// (trim, normalise, re-encode for a codec) free of generation loss and is read
// by every tool; a one-minute greeting is 1.9 MB.
//
// # Devices
//
// [Open] opens the audio system (PulseAudio, ALSA, CoreAudio, WASAPI, or the
// null backend for tests); [System.Devices] lists devices by the names users
// see; devices are opened by that name, by the backend's ID, or "" for the
// default. [System.StartRecording] records with a live [Level] about 20 times
// a second and [System.StartPlaying] plays a [Buffer]; both run on a
// goroutine of their own, end on Stop or on their context's end, and their
// Close (or the System's) joins them. The device callbacks only copy into a
// preallocated lock-free queue. A device that stops or delivers nothing for
// two seconds ends its recording or playback with [ErrDeviceLost]; because
// miniaudio's PulseAudio backend can then block for good while freeing the
// device, a lost device is freed in the background and, if it never lets go,
// left behind (with a warning) rather than hanging the caller.
//
// # Samples
//
// Decoded audio is a [Buffer] of interleaved float32 samples in [-1, 1].
// Levels are in dBFS where a full-scale square wave is 0 dBFS (so a full-scale
// sine has an RMS of -3 dBFS).
package audio
