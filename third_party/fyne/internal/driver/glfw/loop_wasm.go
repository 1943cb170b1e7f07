//go:build wasm || test_web_driver

package glfw

import (
	"time"

	"fyne.io/fyne/v2"

	"github.com/fyne-io/gl-js"
	"github.com/fyne-io/glfw-js"
)

func (d *gLDriver) initGLFW() {
	err := glfw.Init(gl.ContextWatcher)
	if err != nil {
		fyne.LogError("failed to initialise GLFW", err)
		return
	}
}

func (d *gLDriver) pollEvents() {
	glfw.PollEvents() // This call blocks while window is being resized, which prevents freeDirtyTextures from being called
}

func (d *gLDriver) Terminate() {
	glfw.Terminate()
}

// wasmWake ends waitEventsTimeout early (see postEmptyEvent).
var wasmWake = make(chan struct{}, 1)

// waitEventsTimeout processes window events, then waits up to timeout (at
// most a frame, as browser events arrive through polling) or for postEmptyEvent.
func waitEventsTimeout(timeout time.Duration) {
	glfw.PollEvents()
	if timeout > frameInterval {
		timeout = frameInterval
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-wasmWake:
	case <-t.C:
	}
}

// postEmptyEvent ends waitEventsTimeout; safe from any goroutine.
func postEmptyEvent() {
	select {
	case wasmWake <- struct{}{}:
	default:
	}
}
