package vorbis

import (
	"github.com/ringside/ringside/internal/testenv"

	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// soxDecode decodes an Ogg Vorbis file with sox (libvorbis) to float32.
func soxDecode(t *testing.T, path string) []float32 {
	t.Helper()
	testenv.Program(t, "sox")
	out := filepath.Join(t.TempDir(), "ref.f32")
	if b, err := exec.Command("sox", path, "-t", "f32", out).CombinedOutput(); err != nil {
		t.Fatalf("sox: %v %s", err, b)
	}
	raw, _ := os.ReadFile(out)
	x := make([]float32, len(raw)/4)
	for i := range x {
		x[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return x
}

func TestDecodeMatchesLibvorbis(t *testing.T) {
	for _, f := range []string{"../../testdata/tone.ogg", "../../testdata/speech.ogg", "../../testdata/tiny/tone.ogg", "../../testdata/music.ogg", "../../testdata/lowq.ogg"} {
		if _, err := os.Stat(f); err != nil {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			var got []float32
			d, err := Decode(fh, 3600, func(_ *Decoder, x []float32) error { got = append(got, x...); return nil })
			if err != nil {
				t.Fatal(err)
			}
			want := soxDecode(t, f)
			if len(got) != len(want) {
				t.Errorf("%d samples, libvorbis %d", len(got), len(want))
			}
			var maxd, sig float64
			for i := range min(len(got), len(want)) {
				maxd = math.Max(maxd, math.Abs(float64(got[i]-want[i])))
				sig = math.Max(sig, math.Abs(float64(want[i])))
			}
			t.Logf("%d Hz %d ch, %d samples, largest difference %.2g (peak %.2f)", d.Rate, d.Channels, len(got), maxd, sig)
			if maxd > 1e-3 {
				t.Errorf("largest difference from libvorbis %.3g", maxd)
			}
		})
	}
}
