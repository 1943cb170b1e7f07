package main

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>
#include <stdlib.h>

// ringside_x_open and friends: a short connection of our own to ask the X
// server what it offers, before GLFW opens the window's.
static Display *ringside_x_open(void) { return XOpenDisplay(NULL); }
static void ringside_x_close(Display *d) { XCloseDisplay(d); }
static int ringside_x_has(Display *d, const char *name) {
	int op, ev, er;
	return XQueryExtension(d, name, &op, &ev, &er);
}
*/
import "C"

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unsafe"
)

// directRendering lists the X extensions that mean OpenGL runs on a GPU:
// NVIDIA's own GLX, or Mesa's direct rendering (DRI3, DRI2).
var directRendering = []string{"NV-GLX", "DRI3", "DRI2"}

// startRendererChoice asks the X server, on a goroutine of its own, which
// renderer the window should use; the function it returns waits for the
// answer and sets RINGSIDE_RENDERER for the Fyne fork (before the window
// is created). A valid RINGSIDE_RENDERER already set is kept; another value
// is reported on warn and replaced by the choice.
func startRendererChoice(warn io.Writer) func() string {
	if r, err := parseRenderer(os.Getenv("RINGSIDE_RENDERER")); err != nil {
		fmt.Fprintf(warn, "ringside: %v; choosing by the display\n", err)
	} else if r != "" {
		os.Setenv("RINGSIDE_RENDERER", r)
		return func() string { return r }
	}
	ch := make(chan string, 1)
	go func() { ch <- rendererFor(os.Getenv, xExtensions()) }()
	return func() string {
		r := <-ch
		os.Setenv("RINGSIDE_RENDERER", r)
		return r
	}
}

// rendererFor is the rule: paint on the CPU where OpenGL could only be
// Mesa's software rasteriser, llvmpipe, which draws the same pixels after
// loading Mesa and LLVM (60 MiB and 150-200 ms before the first frame under
// Xvfb). That is an X server without direct rendering (neither DRI3 nor
// DRI2: Xvfb, Xvnc, xrdp and most VDI desktops) that is not NVIDIA's
// (NV-GLX), or LIBGL_ALWAYS_SOFTWARE asking for software rendering. has
// reports the X server's extensions; nil means no X server answered (the
// window will then not open on X at all; GL is left to say so).
func rendererFor(getenv func(string) string, has func(string) bool) string {
	if has == nil {
		return rendererGL
	}
	if v := getenv("LIBGL_ALWAYS_SOFTWARE"); v != "" && v != "0" && !strings.EqualFold(v, "false") {
		return rendererSoftware
	}
	for _, ext := range directRendering {
		if has(ext) {
			return rendererGL
		}
	}
	return rendererSoftware
}

// xExtensions asks the X server in DISPLAY which of a few extensions it
// has; nil when no X server answers.
func xExtensions() func(string) bool {
	if os.Getenv("DISPLAY") == "" {
		return nil
	}
	d := C.ringside_x_open()
	if d == nil {
		return nil
	}
	defer C.ringside_x_close(d)
	has := map[string]bool{}
	for _, ext := range directRendering {
		name := C.CString(ext)
		has[ext] = C.ringside_x_has(d, name) != 0
		C.free(unsafe.Pointer(name))
	}
	return func(ext string) bool { return has[ext] }
}
