package mp3

import (
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"

	"github.com/mewkiz/flac"
)

// goldenFiles are MP3s (under audio/testdata) with go-mp3 v0.3.4's output
// kept beside this file as testdata/NAME.gomp3.flac (16-bit stereo PCM,
// losslessly compressed), made by go-mp3's own Decoder before the fork.
var goldenFiles = []struct {
	mp3, golden string
}{
	{"tone.mp3", "tone"},               // MPEG-2 22.05 kHz joint stereo 64k
	{"tiny/tone.mp3", "tiny_tone"},     // MPEG-2 16 kHz mono 16k
	{"mp3/js44.mp3", "mp3_js44"},       // MPEG-1 44.1 kHz joint stereo 128k, short blocks
	{"mp3/st48crc.mp3", "mp3_st48crc"}, // MPEG-1 48 kHz stereo with CRC
	{"mp3/mono32.mp3", "mp3_mono32"},   // MPEG-1 32 kHz mono
	{"mp3/ms24vbr.mp3", "mp3_ms24vbr"}, // MPEG-2 24 kHz forced M/S, VBR
	{"mp3/dual32.mp3", "mp3_dual32"},   // MPEG-1 32 kHz dual channel
}

func readMP3(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readGolden returns go-mp3's interleaved stereo samples.
func readGolden(t *testing.T, name string) []int16 {
	t.Helper()
	log.SetOutput(io.Discard) // the flac package logs about unusual rates
	defer log.SetOutput(os.Stderr)
	st, err := flac.ParseFile(filepath.Join("testdata", name+".gomp3.flac"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out []int16
	for {
		fr, err := st.ParseNext()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := range fr.Subframes[0].Samples {
			out = append(out, int16(fr.Subframes[0].Samples[i]), int16(fr.Subframes[1].Samples[i]))
		}
	}
}

// decodeAll decodes a whole stream frame by frame.
func decodeAll(t testing.TB, data []byte, opts ...Option) (out []float32, rate int) {
	t.Helper()
	d := New(opts...)
	buf := make([]float32, 1152*2)
	pos := SkipID3v2(data)
	for {
		start, h, ok, err := NextFrame(data, pos)
		if !ok {
			return out, rate
		}
		if err != nil {
			t.Fatalf("frame at %d: %v", start, err)
		}
		if rate == 0 {
			rate = d.Rate(h)
		}
		n, err := d.Decode(data[start:], buf)
		if err != nil {
			t.Fatalf("frame at %d: %v", start, err)
		}
		out = append(out, buf[:n*d.Channels()]...)
		pos = start + h.Size()
	}
}

// quantize turns a sample into 16 bits as go-mp3 did (truncating).
func quantize(v float32) int {
	return min(max(int(v*32767), -32767), 32767)
}

// TestMatchesGoMP3 decodes each golden file in full and compares with
// go-mp3's samples: at most 1 LSB apart (the IMDCT and the synthesis add in
// another order, so a sum can land on the other side of a truncation).
func TestMatchesGoMP3(t *testing.T) {
	for _, g := range goldenFiles {
		t.Run(g.golden, func(t *testing.T) {
			got, _ := decodeAll(t, readMP3(t, g.mp3))
			want := readGolden(t, g.golden)
			if len(got) != len(want) {
				t.Fatalf("%d samples, go-mp3 %d", len(got), len(want))
			}
			maxd, off := 0, 0
			for i := range got {
				d := quantize(got[i]) - int(want[i])
				if d != 0 {
					off++
				}
				if d < 0 {
					d = -d
				}
				if d > maxd {
					maxd = d
					if d > 1 {
						t.Errorf("sample %d (frame %d): %d, go-mp3 %d", i, i/2/1152, quantize(got[i]), want[i])
					}
				}
			}
			t.Logf("%s: %d samples, %d differ by 1 LSB (%.4f%%), max %d", g.mp3, len(got), off, 100*float64(off)/float64(len(got)), maxd)
		})
	}
}
