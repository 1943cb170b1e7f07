#!/usr/bin/env bash
# Regenerates the small audio files the tests read: good files in each format
# and a corpus of bad ones (bad/). Needs sox and lame (scripts/deps.sh test).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p bad
# Good: 0.5 s of 440 Hz at -6 dBFS with 0.2 s of silence before and after.
sox -n -r 22050 -c 2 -b 16 tone.wav synth 0.5 sine 440 vol 0.5 pad 0.2 0.2
sox tone.wav -b 24 tone24.wav
sox tone.wav -e floating-point -b 32 tonef32.wav
sox tone.wav -b 8 -e unsigned-integer tone8.wav
sox tone.wav -r 22050 -c 1 tone-mono22k.flac
sox tone.wav -t wav - | lame --quiet -b 64 - tone.mp3
sox tone.wav -C 0 tone.ogg
# Ogg Vorbis at several qualities, rates and layouts (long and short blocks,
# coupling, residue types) for the decoder's comparison with libvorbis.
espeak-ng --stdout "Thank you for calling Ringside. Please leave a message after the tone." | sox -t wav - -C 3 speech.ogg
sox -n -r 44100 -c 2 -C 6 music.ogg synth 1.5 pinknoise synth 1.5 sine mix 300-3000 tremolo 8 90 vol 0.5
sox -n -r 48000 -c 2 -C -1 lowq.ogg synth 0.7 square 220 sine 1000 vol 0.4

# Bad.
: >bad/empty.wav
: >bad/empty.mp3
printf 'This is not audio at all, just some text in a file.\n' >bad/text.wav
head -c 2000 /dev/urandom >bad/random.mp3 || true
head -c 100 tone.wav >bad/truncated.wav
head -c 30 tone.wav >bad/truncated-header.wav
head -c 2500 tone.mp3 >bad/truncated.mp3
head -c 1500 tone-mono22k.flac >bad/truncated.flac
head -c 20 tone-mono22k.flac >bad/truncated-header.flac
head -c 3000 music.ogg >bad/truncated.ogg
head -c 20 music.ogg >bad/truncated-header.ogg
sox -n -r 8000 -c 1 -b 16 bad/silent.wav trim 0 1
sox -n -r 8000 -c 1 -b 16 bad/silent.flac trim 0 1
# A header announcing 10 min 1 s (only its first 1000 bytes kept): refused as
# too long from the header, before any data is read.
sox -n -r 1000 -c 1 -b 8 /tmp/ringside-long.wav trim 0 601
head -c 1044 /tmp/ringside-long.wav >bad/too-long.wav && rm /tmp/ringside-long.wav
# A WAV claiming ADPCM.
sox -n -r 8000 -c 1 -e ima-adpcm bad/adpcm.wav trim 0 0.1
# A PNG renamed.
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >bad/image.flac

# Tiny valid files for the fuzzers' seed corpora.
mkdir -p tiny
sox -n -r 8000 -c 1 -b 16 tiny/tone.flac synth 0.05 sine 440 vol 0.5
sox -n -r 16000 -c 1 -b 16 -t wav - synth 0.15 sine 440 vol 0.5 2>/dev/null | lame --quiet -b 16 --resample 16 - tiny/tone.mp3
# MPEG-2.5 (8 kHz), which our MP3 decoder (like go-mp3 before it) refuses.
sox -n -r 8000 -c 1 -b 16 -t wav - synth 0.15 sine 440 vol 0.5 2>/dev/null | lame --quiet -b 8 - bad/mpeg25.mp3
sox -n -r 8000 -c 2 -b 24 tiny/tone24.wav synth 0.01 sine 440 vol 0.5
sox -n -r 8000 -c 1 -e floating-point -b 32 tiny/tonef32.wav synth 0.01 sine 440 vol 0.5
sox -n -r 8000 -c 1 -C 0 tiny/tone.ogg synth 0.1 sine 440 vol 0.5

# 20 s of speech at 32 kbit/s (its bit reservoir reaches across frames), for
# the test that decodes MP3 in parallel pieces.
espeak-ng --stdout "Thank you for calling. All of our agents are busy helping other customers. Please stay on the line, or leave a message after the tone, and we will call you back as soon as we can." \
  | sox -t wav - -r 22050 -t wav - 2>/dev/null | lame --quiet -b 32 - speech.mp3

# MP3s in each mode for the MP3 decoder's tests (audio/internal/mp3): MPEG-1
# joint stereo with short blocks (noise bursts), stereo with CRC, mono, dual
# channel, and MPEG-2 forced M/S VBR. audio/internal/mp3/testdata holds go-mp3
# v0.3.4's output for them (16-bit stereo as FLAC), written by go-mp3's own
# Decoder before the fork; regenerating an MP3 here needs that regenerated
# too (a small program outside this module: go-mp3 NewDecoder, io.ReadAll,
# then sox -t raw -r RATE -e signed -b 16 -c 2 - NAME.gomp3.flac).
mkdir -p mp3
sox -n -r 44100 -c 2 -b 16 /tmp/ringside-a.wav synth 1.2 whitenoise sine 300-4000 synth 1.2 square amod 3 square amod 5 vol 0.4
lame --quiet -b 128 -m j /tmp/ringside-a.wav mp3/js44.mp3
lame --quiet -b 96 -m d /tmp/ringside-a.wav mp3/dual32.mp3 # LAME picks 32 kHz for this
sox -n -r 48000 -c 2 -b 16 /tmp/ringside-b.wav synth 0.8 sine 1000 sine 250 synth 0.8 square amod 4 vol 0.5
lame --quiet -b 160 -m s -p /tmp/ringside-b.wav mp3/st48crc.mp3
sox -n -r 32000 -c 1 -b 16 /tmp/ringside-c.wav synth 0.8 pinknoise synth 0.8 square amod 2 vol 0.4
lame --quiet -b 48 -m m /tmp/ringside-c.wav mp3/mono32.mp3
sox -n -r 24000 -c 2 -b 16 /tmp/ringside-d.wav synth 1 sine 200-3000 pinknoise synth 1 square amod 3 vol 0.4
lame --quiet -V 4 -m f /tmp/ringside-d.wav mp3/ms24vbr.mp3
rm -f /tmp/ringside-[abcd].wav
