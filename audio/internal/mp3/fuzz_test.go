package mp3

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary bytes through NextFrame and Decode with each
// combination of options: no panic, and every sample finite in [-1, 1].
func FuzzDecode(f *testing.F) {
	for _, g := range goldenFiles {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", g.mp3))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 3000)], uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		var opts []Option
		if mode&1 != 0 {
			opts = append(opts, WithMono())
		}
		if mode&2 != 0 {
			opts = append(opts, WithHalfRate())
		}
		if mode&4 != 0 {
			opts = append(opts, WithSubbands(int(mode>>3)))
		}
		d := New(opts...)
		out := make([]float32, 2304)
		pos := SkipID3v2(data)
		for frames := 0; frames < 200; frames++ {
			start, h, ok, err := NextFrame(data, pos)
			if !ok {
				return
			}
			pos = start + 1
			if err != nil {
				continue
			}
			if frames%3 == 2 {
				if err := d.Skip(data[start:]); err != nil {
					t.Fatalf("Skip of a frame NextFrame found: %v", err)
				}
				continue
			}
			n, err := d.Decode(data[start:], out)
			if err != nil {
				continue
			}
			if n != d.Samples(h) {
				t.Fatalf("%d samples, want %d", n, d.Samples(h))
			}
			for i, v := range out[:n*d.Channels()] {
				if math.IsNaN(float64(v)) || v < -1 || v > 1 {
					t.Fatalf("sample %d is %v", i, v)
				}
			}
			pos = start + h.Size()
		}
	})
}
