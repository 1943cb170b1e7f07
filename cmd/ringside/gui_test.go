package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/internal/xtest"
)

// TestScreenshots runs the real app under Xvfb in the light and the dark
// theme, brings each page forward (the app's RINGSIDE_SCREENSHOTS hook) and
// captures the window from the X server into testout/screenshots/THEME/.
// Look at them: the test checks that every page was drawn, and that the
// window painted on the CPU (what the app chooses under Xvfb, which has no
// direct rendering) looks as the OpenGL one does (dark-gl/).
func TestScreenshots(t *testing.T) {
	testenv.Env(t, "RINGSIDE_TEST_X", "Xvfb")
	imp := testenv.Program(t, "import") // ImageMagick
	xdo := testenv.Program(t, "xdotool")
	for _, tc := range []struct{ th, renderer string }{{"light", ""}, {"dark", ""}, {"dark", "gl"}} {
		dir := tc.th
		if tc.renderer != "" {
			dir += "-" + tc.renderer
		}
		th := tc.th
		t.Run(dir, func(t *testing.T) {
			out, err := filepath.Abs(filepath.Join("..", "..", "testout", "screenshots", dir))
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
			cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=", "FYNE_THEME="+th, "RINGSIDE_SCREENSHOTS=1",
				"RINGSIDE_RENDERER="+tc.renderer)
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
					checkRenderer(t, cmd.Process.Pid, tc.renderer)
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
	// Same pages, same theme: the CPU-painted window must look as the GL one.
	// (Pages differ from each other by 1 to 4 % of their pixels.)
	if t.Failed() {
		return
	}
	root := filepath.Join("..", "..", "testout", "screenshots")
	pages, _ := filepath.Glob(filepath.Join(root, "dark-gl", "*.png"))
	for _, gl := range pages {
		page := filepath.Base(gl)
		soft := filepath.Join(root, "dark", page)
		if differ, total := differentPixels(t, soft, gl); differ*200 > total {
			t.Errorf("%s: %d of %d pixels differ between the CPU-painted and the GL window (over 0.5%%)", page, differ, total)
		}
	}
}

// checkRenderer checks, from the libraries the app process has mapped, that
// it paints as asked: renderer "gl" through Mesa, "" (chosen by the app:
// the CPU under Xvfb, which has no direct rendering) without Mesa or LLVM.
func checkRenderer(t *testing.T, pid int, renderer string) {
	t.Helper()
	maps, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		t.Fatal(err)
	}
	mesa := bytes.Contains(maps, []byte("libgallium")) || bytes.Contains(maps, []byte("_dri.so")) || bytes.Contains(maps, []byte("libLLVM"))
	switch {
	case renderer == "gl" && !mesa:
		t.Errorf("RINGSIDE_RENDERER=gl: the app has not loaded Mesa's driver")
	case renderer == "" && mesa:
		t.Errorf("under Xvfb the app loaded Mesa's driver; it should paint on the CPU")
	}
}

// differentPixels compares two PNGs of the same size: how many pixels of a
// have no pixel in b within one pixel of theirs (positions are rounded
// differently by the two painters) whose channels are all within 48 of 255,
// and how many pixels there are.
func differentPixels(t *testing.T, a, b string) (differ, total int) {
	t.Helper()
	ia, ib := decodePNG(t, a), decodePNG(t, b)
	if ia.Bounds() != ib.Bounds() {
		t.Fatalf("%s is %v, %s is %v", a, ia.Bounds(), b, ib.Bounds())
	}
	r := ia.Bounds()
	near := func(x, y int) bool {
		r1, g1, b1, _ := ia.At(x, y).RGBA()
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				if !image.Pt(x+dx, y+dy).In(r) {
					continue
				}
				r2, g2, b2, _ := ib.At(x+dx, y+dy).RGBA()
				if !far(r1, r2) && !far(g1, g2) && !far(b1, b2) {
					return true
				}
			}
		}
		return false
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if !near(x, y) {
				differ++
			}
			total++
		}
	}
	return differ, total
}

func far(a, b uint32) bool { return a>>8 > b>>8+48 || b>>8 > a>>8+48 }

func decodePNG(t *testing.T, file string) image.Image {
	t.Helper()
	img, err := xtest.ReadPNG(file)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return img
}

// colours counts the distinct colours of a PNG, up to 1000.
func colours(t *testing.T, file string) int {
	t.Helper()
	return xtest.Colours(decodePNG(t, file), 1000)
}
