package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDecodeGoodFiles(t *testing.T) {
	tests := []struct {
		file     string
		format   Format
		rate     int
		channels int
		maxErr   float64 // largest difference from the 16-bit WAV, after alignment
	}{
		{"tone.wav", FormatWAV, 22050, 2, 0},
		{"tone24.wav", FormatWAV, 22050, 2, 1e-4},
		{"tonef32.wav", FormatWAV, 22050, 2, 1e-4},
		{"tone8.wav", FormatWAV, 22050, 2, 0.02},
		{"tone-mono22k.flac", FormatFLAC, 22050, 1, -1},
		{"tone.mp3", FormatMP3, 22050, 2, -1},
		{"tone.ogg", FormatOGG, 22050, 2, -1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, f, err := DecodeFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if f != tt.format || b.Rate != tt.rate || b.Channels != tt.channels {
				t.Fatalf("got %v %d Hz %d ch, want %v %d Hz %d ch", f, b.Rate, b.Channels, tt.format, tt.rate, tt.channels)
			}
			d := b.Duration()
			if d < 850*time.Millisecond || d > 1000*time.Millisecond {
				t.Errorf("duration %v, want about 900ms", d)
			}
			m := b.Mono()
			peak := m.Peak()
			if math.Abs(peak-0.5) > 0.05 { // lossy codecs overshoot a little
				t.Errorf("peak %.3f, want 0.5", peak)
			}
			if got := dominantFrequency(m.Data[int(0.3*float64(m.Rate)):int(0.6*float64(m.Rate))], m.Rate); math.Abs(got-440) > 5 {
				t.Errorf("frequency %.1f Hz, want 440", got)
			}
		})
	}
}

func TestDecodeBadFiles(t *testing.T) {
	tests := []struct {
		file string
		want error
	}{
		{"empty.wav", ErrEmpty},
		{"empty.mp3", ErrEmpty},
		{"text.wav", ErrNotAudio},
		{"image.flac", ErrNotAudio},
		{"random.mp3", nil}, // any refusal: random bytes are not audio
		{"truncated.wav", ErrTruncated},
		{"truncated-header.wav", ErrTruncated},
		{"truncated.mp3", ErrTruncated},
		{"truncated.flac", ErrTruncated},
		{"truncated-header.flac", ErrTruncated},
		{"truncated.ogg", ErrTruncated},
		{"truncated-header.ogg", ErrTruncated},
		{"too-long.wav", ErrTooLong},
		{"adpcm.wav", ErrUnsupported},
		{"mpeg25.mp3", ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, _, err := DecodeFile(filepath.Join("testdata", "bad", tt.file))
			if err == nil {
				t.Fatal("decoded, want an error")
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.File != tt.file {
				t.Fatalf("error %v is not a *FileError naming %s", err, tt.file)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.file) {
				t.Errorf("message %q does not name the file", err)
			}
			t.Logf("%s: %v", tt.file, err)
		})
	}
}

// TestDecodeTooLongStream checks a WAV of unknown length is stopped at the limit.
func TestDecodeTooLongStream(t *testing.T) {
	var buf bytes.Buffer
	b := &Buffer{Rate: 1000, Channels: 1, Data: make([]float32, 1000*61)}
	if err := WriteWAV(&buf, b, PCM8); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	binary.LittleEndian.PutUint32(raw[40:], 0xFFFFFFFF) // streaming: unknown size
	_, _, err := Decode("long.wav", bytes.NewReader(raw), WithMaxDuration(time.Minute))
	if !errors.Is(err, ErrTooLong) {
		t.Fatalf("got %v, want ErrTooLong", err)
	}
	// Within the limit it decodes to the end of the file.
	got, _, err := Decode("long.wav", bytes.NewReader(raw), WithMaxDuration(2*time.Minute))
	if err != nil || got.Frames() != 61000 {
		t.Fatalf("got %v frames, %v", got.Frames(), err)
	}
}

func TestWAVRoundTrip(t *testing.T) {
	src := &Buffer{Rate: 12345, Channels: 3, Data: make([]float32, 3*1001)}
	for i := range src.Data {
		src.Data[i] = float32(math.Sin(float64(i)*0.01)) * 0.9
	}
	for _, tt := range []struct {
		enc Encoding
		tol float64
	}{{PCM8, 1.0 / 100}, {PCM16, 1.0 / 30000}, {PCM24, 1e-6}, {PCM32, 1e-7}, {Float32, 0}} {
		var buf bytes.Buffer
		if err := WriteWAV(&buf, src, tt.enc); err != nil {
			t.Fatal(err)
		}
		got, err := DecodeWAV("x.wav", &buf)
		if err != nil {
			t.Fatalf("encoding %d: %v", tt.enc, err)
		}
		if got.Rate != src.Rate || got.Channels != src.Channels || len(got.Data) != len(src.Data) {
			t.Fatalf("encoding %d: got %d Hz %d ch %d samples", tt.enc, got.Rate, got.Channels, len(got.Data))
		}
		for i := range got.Data {
			if d := math.Abs(float64(got.Data[i] - src.Data[i])); d > tt.tol {
				t.Fatalf("encoding %d: sample %d off by %g", tt.enc, i, d)
			}
		}
	}
}

func TestDecodeMono(t *testing.T) {
	b, _, err := DecodeFile("testdata/tone.wav", WithMono())
	if err != nil {
		t.Fatal(err)
	}
	if b.Channels != 1 {
		t.Fatalf("%d channels", b.Channels)
	}
	full, _, _ := DecodeFile("testdata/tone.wav")
	if !equalish(b.Data, full.Mono().Data, 1e-6) {
		t.Fatal("mono-while-decoding differs from Mono()")
	}
}

func equalish(a, b []float32, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > tol {
			return false
		}
	}
	return true
}

// dominantFrequency estimates a tone's frequency from its zero crossings.
func dominantFrequency(x []float32, rate int) float64 {
	var first, last, n int = -1, 0, 0
	for i := 1; i < len(x); i++ {
		if x[i-1] < 0 && x[i] >= 0 {
			if first < 0 {
				first = i
			} else {
				n++
				last = i
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(n) * float64(rate) / float64(last-first)
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMP3ParallelMatchesSequential decodes an MP3 in pieces and in one go:
// the samples must be identical, with and without the mono and band-limit
// options.
func TestMP3ParallelMatchesSequential(t *testing.T) {
	for _, f := range []string{"tone.mp3", "tiny/tone.mp3", "speech.mp3", "mp3/js44.mp3", "mp3/ms24vbr.mp3", "mp3/st48crc.mp3"} {
		data := readTestdata(t, f)
		ix, ok := scanMP3(data)
		if !ok || ix.truncated {
			t.Fatalf("%s: not indexed", f)
		}
		for _, opts := range [][]DecodeOption{nil, {WithMono()}, {WithMono(), WithBandLimit(9120)}} {
			c := newDecodeConfig(opts)
			seq, err := decodeMP3Stream(newSink(f, FormatMP3), c, data)
			if err != nil {
				t.Fatal(err)
			}
			if want := len(ix.offsets) * ix.spf * seq.Rate / ix.rate; seq.Frames() != want {
				t.Errorf("%s: %d frames, index says %d", f, seq.Frames(), want)
			}
			for _, workers := range []int{1, 2, 3, 7} {
				if len(ix.offsets) < workers*2 {
					continue
				}
				par, err := decodeMP3Parallel(data, ix, workers, newMP3Setup(c, ix.rate))
				if err != nil {
					t.Fatalf("%s, %d workers: %v", f, workers, err)
				}
				if !equalish(par, seq.Data, 0) {
					ch := seq.Channels
					for i := range par {
						if par[i] != seq.Data[i] {
							t.Fatalf("%s, %+v, %d workers: sample %d (frame %d) differs", f, c, workers, i, i/ch/ix.spf)
						}
					}
					t.Fatalf("%s, %d workers: %d samples, want %d", f, workers, len(par), len(seq.Data))
				}
			}
		}
	}
}

func TestOggCodecNamed(t *testing.T) {
	page := func(packet string) []byte {
		h := append([]byte("OggS"), make([]byte, 22)...)
		h = append(h, 1, byte(len(packet)))
		return append(h, packet...)
	}
	tests := []struct {
		data []byte
		err  error
		want string
	}{
		{page("\x01vorbis..."), ErrCorrupt, "Vorbis version"},
		{page("OpusHead..."), ErrUnsupported, "Opus in Ogg"},
		{page("something"), ErrUnsupported, "audio in Ogg"},
		{[]byte("OggS\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), ErrTruncated, "page is cut short"},
		{append([]byte("OggS"), make([]byte, 22)...), ErrTruncated, "page is cut short"},
		{append(append([]byte("OggS"), make([]byte, 22)...), 200), ErrTruncated, "page is cut short"},
	}
	for _, tt := range tests {
		_, f, err := Decode("x.ogg", bytes.NewReader(tt.data))
		if f != FormatOGG || !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v %v, want %v %q", tt.data, f, err, tt.err, tt.want)
		}
	}
}

func TestDecodeOGGLimits(t *testing.T) {
	_, _, err := DecodeFile("testdata/music.ogg", WithMaxDuration(500*time.Millisecond))
	if !errors.Is(err, ErrTooLong) {
		t.Fatalf("got %v, want ErrTooLong", err)
	}
	b, _, err := DecodeFile("testdata/music.ogg", WithMono())
	if err != nil || b.Channels != 1 || b.Rate != 44100 || b.Frames() != 66150 {
		t.Fatalf("mono: %v", err)
	}
}

// TestMP3ImportPathMatchesFullDecode compares what Import's decoder does
// with an MP3 (channels added before the filter banks, subbands above the
// resampler's stopband dropped, synthesis at half rate) with a full stereo
// decode, downmixed and resampled: after resampling to 16 kHz the two must
// agree to within -85 dB of the signal.
func TestMP3ImportPathMatchesFullDecode(t *testing.T) {
	stop := int(QualityTelephony.spec().stop * TelephonyRate)
	for _, f := range []string{"mp3/js44.mp3", "mp3/st48crc.mp3", "mp3/dual32.mp3", "tone.mp3", "speech.mp3", "mp3/ms24vbr.mp3"} {
		t.Run(f, func(t *testing.T) {
			data := readTestdata(t, f)
			snr, peak := compareImportPath(t, data, stop)
			t.Logf("%s: error %.1f dB below the signal, largest %.1f dBFS", f, snr, peak)
			if snr < 85 {
				t.Errorf("error only %.1f dB below the signal", snr)
			}
		})
	}
}

// compareImportPath returns how far below the full decode's energy the
// import path's difference from it lies, and the largest difference, in dB.
func compareImportPath(t testing.TB, data []byte, stop int) (snr, peakDB float64) {
	t.Helper()
	full, err := DecodeMP3("full.mp3", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Resample(full.Mono(), TelephonyRate)
	if err != nil {
		t.Fatal(err)
	}
	fast, err := DecodeMP3("fast.mp3", bytes.NewReader(data), WithMono(), WithBandLimit(stop))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Resample(fast, TelephonyRate)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Data) != len(ref.Data) {
		t.Fatalf("%d samples at 16 kHz, full decode %d", len(got.Data), len(ref.Data))
	}
	var sig, noise, peak float64
	for i := range ref.Data {
		d := float64(got.Data[i] - ref.Data[i])
		sig += float64(ref.Data[i]) * float64(ref.Data[i])
		noise += d * d
		peak = max(peak, math.Abs(d))
	}
	return 10 * math.Log10(sig/max(noise, 1e-30)), 20 * math.Log10(max(peak, 1e-12))
}

// TestImportReportsSource checks that Import names the file's own rate and
// channels, though it decodes MP3 mono and at half rate.
func TestImportReportsSource(t *testing.T) {
	for _, tt := range []struct {
		file     string
		rate, ch int
	}{
		{"mp3/js44.mp3", 44100, 2},
		{"mp3/mono32.mp3", 32000, 1},
		{"tone.mp3", 22050, 2},
		{"tone.wav", 22050, 2},
		{"tone-mono22k.flac", 22050, 1},
	} {
		p, err := ImportFile(filepath.Join("testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if p.SourceRate != tt.rate || p.SourceChannels != tt.ch || p.Audio.Rate != TelephonyRate {
			t.Errorf("%s: source %d Hz %d ch, audio %d Hz; want %d Hz %d ch, %d Hz", tt.file,
				p.SourceRate, p.SourceChannels, p.Audio.Rate, tt.rate, tt.ch, TelephonyRate)
		}
	}
}
