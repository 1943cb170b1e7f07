package main

import (
	"bufio"
	"bytes"
	"context"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/internal/testenv"
)

// TestScreenshots runs the real app under Xvfb in the light and the dark
// theme, brings each page forward (the app's RINGSIDE_SCREENSHOTS hook) and
// captures the window from the X server into testout/screenshots/THEME/.
// Look at them: the test checks only that every page was drawn.
func TestScreenshots(t *testing.T) {
	testenv.Env(t, "RINGSIDE_TEST_X", "Xvfb")
	imp := testenv.Program(t, "import") // ImageMagick
	xdo := testenv.Program(t, "xdotool")
	for _, th := range []string{"light", "dark"} {
		t.Run(th, func(t *testing.T) {
			out, err := filepath.Abs(filepath.Join("..", "..", "testout", "screenshots", th))
			if err != nil {
				t.Fatal(err)
			}
			os.RemoveAll(out)
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			home := t.TempDir()
			for _, kv := range [][2]string{{"general.first_name", "Ada"}, {"general.last_name", "Lovelace"}} {
				if code, _, errs := ringside(t, home, "", "prefs", "set", kv[0], kv[1]); code != 0 {
					t.Fatalf("prefs set: %s", errs)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "--home", home)
			cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=", "FYNE_THEME="+th, "RINGSIDE_SCREENSHOTS=1")
			var errb bytes.Buffer
			cmd.Stderr = &errb
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var shots []string
			win := ""
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				name, ok := strings.CutPrefix(sc.Text(), "ringside: screenshot ")
				if !ok {
					continue
				}
				if win == "" {
					b, err := exec.CommandContext(ctx, xdo, "search", "--sync", "--onlyvisible", "--name", "^Ringside$").Output()
					if err != nil {
						t.Fatalf("xdotool: %v", err)
					}
					win = strings.Fields(string(b))[0]
				}
				file := filepath.Join(out, name+".png")
				if b, err := exec.CommandContext(ctx, imp, "-window", win, file).CombinedOutput(); err != nil {
					t.Fatalf("import: %v %s", err, b)
				}
				shots = append(shots, file)
				io.WriteString(stdin, "\n")
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("app: %v\n%s", err, errb.String())
			}
			if strings.Contains(errb.String(), "panic") {
				t.Fatalf("app panicked:\n%s", errb.String())
			}
			if len(shots) != 9 {
				t.Fatalf("%d screenshots, want 9; stderr:\n%s", len(shots), errb.String())
			}
			for _, f := range shots {
				if colours(t, f) < 8 {
					t.Errorf("%s: blank (%d colours)", f, colours(t, f))
				}
			}
			t.Logf("screenshots in %s", out)
		})
	}
}

// colours counts the distinct colours of a PNG, up to 1000.
func colours(t *testing.T, file string) int {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(seen) < 1000; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}
