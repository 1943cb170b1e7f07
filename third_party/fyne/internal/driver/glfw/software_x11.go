//go:build !wayland && (linux || freebsd || openbsd || netbsd) && !wasm && !test_web_driver

package glfw

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdlib.h>

// rs_default_visual_ok: the screen's default visual (the one GLFW gives a
// window without a GL context) takes 32-bit pixels as 0x00RRGGBB.
static int rs_default_visual_ok(Display *d) {
	int s = DefaultScreen(d);
	Visual *v = DefaultVisual(d, s);
	int depth = DefaultDepth(d, s);
	return v->class == TrueColor && (depth == 24 || depth == 32) &&
		v->red_mask == 0xff0000 && v->green_mask == 0xff00 && v->blue_mask == 0xff;
}

static GC rs_create_gc(Display *d, Window w) {
	return XCreateGC(d, w, 0, NULL);
}

// rs_window_visual stores the window's visual and depth (fixed for its life).
static int rs_window_visual(Display *d, Window w, Visual **visual, int *depth) {
	XWindowAttributes a;
	if (!XGetWindowAttributes(d, w, &a)) {
		return 0;
	}
	*visual = a.visual;
	*depth = a.depth;
	return 1;
}

static void rs_free_gc(Display *d, GC gc) {
	XFreeGC(d, gc);
}

// rs_put puts the area x, y, pw x ph of a frame of width x height pixels
// (0xAARRGGBB words in the host's byte order) at the same place in the window.
static void rs_put(Display *d, Window w, GC gc, Visual *visual, int depth, char *data, int width, int height, int x, int y, int pw, int ph) {
	XImage *img = XCreateImage(d, visual, depth, ZPixmap, 0, data, width, height, 32, width * 4);
	if (img == NULL) {
		return;
	}
	int one = 1;
	img->byte_order = *(char *)&one ? LSBFirst : MSBFirst; // Xlib swaps if the server differs
	XPutImage(d, w, gc, img, x, y, x, y, pw, ph);
	img->data = NULL; // ours, not Xlib's to free
	XDestroyImage(img);
	XFlush(d);
}
*/
import "C"

import (
	"encoding/binary"
	"image"
	"os"
	"strings"
	"sync"
	"unsafe"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// Ringside: windows are painted on the CPU (painter/software.WindowPainter)
// and put on the screen with XPutImage when RINGSIDE_RENDERER=software: the
// application sets it where OpenGL could only be Mesa's software rasteriser
// (cmd/ringside-app decides: an X server without direct rendering, as Xvfb,
// Xvnc, xrdp and most VDI desktops). Mesa would then draw the same pixels
// with llvmpipe and put them with XPutImage too, after loading Mesa and LLVM
// (about 60 MiB resident and 150-200 ms before the first frame, plus the
// shaders' compilation). It is used only where the screen's default visual
// takes 0x00RRGGBB pixels on a little-endian machine; elsewhere, and with
// any other value, windows use OpenGL as upstream's do.
// The choice is made once, after glfwInit, for every window of the process.
var softwareChoice struct {
	once sync.Once
	on   bool
}

// softwareRendering reports whether windows are painted on the CPU. GLFW
// must be initialised.
func softwareRendering() bool {
	softwareChoice.once.Do(func() {
		softwareChoice.on = strings.EqualFold(os.Getenv("RINGSIDE_RENDERER"), "software") && canPutPixels()
	})
	return softwareChoice.on
}

// canPutPixels reports whether present can show frames on this display.
func canPutPixels() bool {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		return false // present reads pixels as little-endian words
	}
	dpy := x11Display()
	return dpy != nil && C.rs_default_visual_ok(dpy) != 0
}

func x11Display() (dpy *C.Display) {
	defer func() {
		if recover() != nil { // GLFW not on X11
			dpy = nil
		}
	}()
	return (*C.Display)(unsafe.Pointer(glfw.GetX11Display()))
}

// softScreen puts a software-painted window's frames on the screen. It
// keeps the last frame put (in the X server's pixel format) and puts only
// the rectangle around what changed since, unless the window lost its
// content (exposed, resized) meanwhile.
type softScreen struct {
	dpy    *C.Display
	win    C.Window
	gc     C.GC
	visual *C.Visual // the window's, asked once
	depth  C.int
	buf    unsafe.Pointer // C memory: XImage data must not be Go memory
	bufLen int
	width  int
	stale  bool // the window's content is lost: put the whole next frame
}

func newSoftScreen(v *glfw.Window) *softScreen {
	dpy := x11Display()
	win := C.Window(v.GetX11Window())
	s := &softScreen{dpy: dpy, win: win, gc: C.rs_create_gc(dpy, win), stale: true}
	if C.rs_window_visual(dpy, win, &s.visual, &s.depth) == 0 {
		s.visual = nil // present then puts nothing
	}
	return s
}

// invalidate says the window lost its content (an Expose).
func (s *softScreen) invalidate() { s.stale = true }

// present puts frame on the window: what changed since the last frame put,
// or all of it.
func (s *softScreen) present(frame *image.RGBA) {
	width, height := frame.Rect.Dx(), frame.Rect.Dy()
	n := width * height * 4
	if n == 0 || frame.Stride != width*4 || s.visual == nil {
		return
	}
	if s.bufLen != n || s.width != width {
		C.free(s.buf)
		s.buf = C.malloc(C.size_t(n))
		s.bufLen, s.width = n, width
		s.stale = true
	}
	// RGBA bytes (read as little-endian words) to 0xFFRRGGBB words, noting
	// the rectangle around the words that change.
	src := unsafe.Slice((*uint32)(unsafe.Pointer(&frame.Pix[0])), n/4)
	dst := unsafe.Slice((*uint32)(s.buf), n/4)
	minX, minY, maxX, maxY := width, height, -1, -1
	for y := 0; y < height; y++ {
		row, changed := y*width, false
		for x, v := range src[row : row+width] {
			v = 0xff000000 | (v&0xff)<<16 | v&0xff00 | (v>>16)&0xff
			if dst[row+x] != v {
				dst[row+x] = v
				if x < minX {
					minX = x
				}
				if x > maxX {
					maxX = x
				}
				changed = true
			}
		}
		if changed {
			if y < minY {
				minY = y
			}
			maxY = y
		}
	}
	if s.stale {
		minX, minY, maxX, maxY = 0, 0, width-1, height-1
		s.stale = false
	}
	if maxY < 0 {
		return // nothing changed
	}
	C.rs_put(s.dpy, s.win, s.gc, s.visual, s.depth, (*C.char)(s.buf), C.int(width), C.int(height),
		C.int(minX), C.int(minY), C.int(maxX-minX+1), C.int(maxY-minY+1))
}

// destroy frees what the screen holds; call it before the window goes.
func (s *softScreen) destroy() {
	C.rs_free_gc(s.dpy, s.gc)
	C.free(s.buf)
	s.buf, s.bufLen = nil, 0
}
