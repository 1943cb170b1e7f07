package audio

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// addSeeds adds the small files in testdata/tiny and testdata/bad, and the
// first 2 kB of the others, to a fuzz corpus (large seeds make the fuzzer
// spend its time minimising).
func addSeeds(f *testing.F) {
	for _, dir := range []string{"testdata/tiny", "testdata", "testdata/bad", "testdata/mp3"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() || strings.HasSuffix(e.Name(), ".sh") {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			if len(b) > 2<<10 {
				b = b[:2<<10]
			}
			f.Add(b)
		}
	}
}

// checkDecoded checks the contract of every decoder entry point: a valid
// buffer or a *FileError naming the file; never a panic (ownPanics: a
// recovered panic is a bug in our own code, not only in a library).
func checkDecoded(t *testing.T, b *Buffer, err error, ownPanics bool) {
	t.Helper()
	if err != nil {
		var fe *FileError
		if !errors.As(err, &fe) || fe.File != "fuzz" {
			t.Fatalf("error %v (%T) is not a *FileError naming the file", err, err)
		}
		if ownPanics && strings.Contains(fe.Detail, "decoder failed") {
			t.Fatalf("recovered panic: %v", err)
		}
		return
	}
	if b == nil || b.Channels < 1 || b.Rate < 1000 || b.Frames() == 0 || len(b.Data)%b.Channels != 0 {
		t.Fatalf("bad buffer without error: %+v", b)
	}
	if b.Duration() > MaxDuration+time.Second {
		t.Fatalf("%v accepted", b.Duration())
	}
	for i, v := range b.Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) || v > 4 || v < -4 {
			t.Fatalf("sample %d is %v", i, v)
		}
	}
}

// oneShot hands out data in small uneven reads, as pipes and networks do.
type oneShot struct {
	b []byte
	n int
}

func (o *oneShot) Read(p []byte) (int, error) {
	if len(o.b) == 0 {
		return 0, io.EOF
	}
	o.n = o.n%7 + 1
	k := copy(p[:min(len(p), o.n*97)], o.b)
	o.b = o.b[k:]
	return k, nil
}

func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, _, err := Decode("fuzz", &oneShot{b: data}, WithMaxDuration(time.Minute))
		checkDecoded(t, b, err, false)
	})
}

func FuzzDecodeWAV(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodeWAV("fuzz", &oneShot{b: data}, WithMaxDuration(time.Minute))
		checkDecoded(t, b, err, true)
		if err == nil {
			// What we decode, we write and read back the same.
			var buf bytes.Buffer
			if err := WriteWAV(&buf, b, Float32); err != nil {
				t.Fatal(err)
			}
			c, err := DecodeWAV("fuzz", &buf)
			if err != nil || !equalish(b.Data, c.Data, 0) {
				t.Fatalf("round trip: %v", err)
			}
		}
	})
}

// FuzzDecodeMP3 decodes each input in full and as Import does (mono,
// band-limited, possibly at half rate). The decoder is our own code now, so
// a recovered panic is a failure.
func FuzzDecodeMP3(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodeMP3("fuzz", bytes.NewReader(data), WithMaxDuration(time.Minute))
		checkDecoded(t, b, err, true)
		b, err = DecodeMP3("fuzz", bytes.NewReader(data), WithMaxDuration(time.Minute), WithMono(), WithBandLimit(9120))
		checkDecoded(t, b, err, true)
	})
}

func FuzzDecodeFLAC(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodeFLAC("fuzz", bytes.NewReader(data), WithMaxDuration(time.Minute))
		checkDecoded(t, b, err, false)
	})
}

func FuzzDecodeOGG(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodeOGG("fuzz", bytes.NewReader(data), WithMaxDuration(time.Minute))
		checkDecoded(t, b, err, true)
	})
}

func FuzzImport(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Import("fuzz", bytes.NewReader(data), WithDecodeOptions(WithMaxDuration(time.Minute)))
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("%v (%T) is not a *FileError", err, err)
			}
			return
		}
		if p.Audio.Rate != TelephonyRate || p.Audio.Channels != 1 || p.Audio.Frames() == 0 {
			t.Fatalf("bad result %+v", p.Audio)
		}
	})
}
