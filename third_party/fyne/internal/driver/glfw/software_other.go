//go:build (wayland || !(linux || freebsd || openbsd || netbsd)) && !wasm && !test_web_driver

package glfw

import (
	"image"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// Ringside: painting on the CPU is for X11 only (software_x11.go); other
// platforms always use OpenGL.

type softScreen struct{}

func softwareRendering() bool { return false }

func newSoftScreen(*glfw.Window) *softScreen { return nil }

func (*softScreen) present(*image.RGBA) {}

func (*softScreen) destroy() {}

func (*softScreen) invalidate() {}
