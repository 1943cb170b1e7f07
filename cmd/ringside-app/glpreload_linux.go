package main

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>

// ringside_preload loads path as its user will: Mesa's loader opens the
// DRI driver RTLD_NOW | RTLD_GLOBAL (global: 1), libglvnd the vendor
// library RTLD_LAZY (global: 0).
static int ringside_preload(const char *path, int global) {
	return dlopen(path, global ? RTLD_NOW | RTLD_GLOBAL : RTLD_LAZY) != NULL;
}
*/
import "C"

import (
	"os"
	"path/filepath"
	"strings"
	"unsafe"
)

// preloadGL starts loading Mesa's GLX library and DRI driver (with the LLVM
// it links) on a thread of its own, while the main thread opens the data
// directory and builds the window: glfwCreateWindow then finds them loaded
// instead of spending about 95 ms of its own in the dynamic loader (Mesa
// llvmpipe under Xvfb). The libraries stay loaded (the window needs them
// anyway); dlopen is thread-safe, so a glfwCreateWindow that comes first
// simply waits for the loader. The goroutine ends by itself once the
// libraries are loaded; nothing waits for it.
//
// It does nothing where Mesa would not be used: a proprietary NVIDIA driver
// (/proc/driver/nvidia), another GLX vendor chosen in
// __GLX_VENDOR_LIBRARY_NAME, no X display, Mesa not installed, or
// RINGSIDE_NO_GL_PRELOAD set.
func preloadGL() {
	libs := glPreloadList()
	if len(libs) == 0 {
		return
	}
	go func() {
		for i, lib := range libs {
			cs := C.CString(lib)
			C.ringside_preload(cs, C.int(i)) // the driver (second) as Mesa loads it
			C.free(unsafe.Pointer(cs))
		}
	}()
}

// glPreloadList returns the libraries preloadGL loads, in order; none when
// Mesa is not the driver this process would use.
func glPreloadList() []string {
	if os.Getenv("RINGSIDE_NO_GL_PRELOAD") != "" || os.Getenv("DISPLAY") == "" {
		return nil
	}
	if v := os.Getenv("__GLX_VENDOR_LIBRARY_NAME"); v != "" && v != "mesa" {
		return nil
	}
	if _, err := os.Stat("/proc/driver/nvidia"); err == nil {
		return nil
	}
	// Mesa's own search path first (LIBGL_DRIVERS_PATH), then the usual
	// places: Debian/Ubuntu multiarch, Fedora, Arch. The software driver
	// (swrast) is the one Xvfb and VMs use; in Mesa's mega-driver builds it
	// is the same file as the hardware drivers (hard links) and in newer
	// ones a stub linking the shared libgallium, so loading it brings in
	// what any Mesa driver needs.
	var dirs []string
	if p := os.Getenv("LIBGL_DRIVERS_PATH"); p != "" {
		dirs = append(dirs, strings.Split(p, ":")...)
	}
	dirs = append(dirs, "/usr/lib/x86_64-linux-gnu/dri", "/usr/lib/aarch64-linux-gnu/dri", "/usr/lib64/dri", "/usr/lib/dri")
	for _, d := range dirs {
		drv := filepath.Join(d, "swrast_dri.so")
		if _, err := os.Stat(drv); err == nil {
			return []string{"libGLX_mesa.so.0", drv}
		}
	}
	return nil
}
