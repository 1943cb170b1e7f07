package xtest

import (
	"errors"
	"fmt"
)

// ErrUnsupported is returned by Open where this package was built without
// cgo or on a system without Xlib.
var ErrUnsupported = errors.New("xtest: X11 not supported in this build (needs cgo and Xlib)")

// ErrNoDisplay is returned by Open when the X server cannot be reached.
var ErrNoDisplay = errors.New("xtest: cannot open the X display")

// ErrClosed is returned by a Display's methods after Close.
var ErrClosed = errors.New("xtest: display closed")

// ErrBadWindow is what an XError wraps when the window does not exist (any
// more): the X server answered BadWindow.
var ErrBadWindow = errors.New("xtest: no such window")

// ErrProtocol is what an XError wraps for any other X protocol error.
var ErrProtocol = errors.New("xtest: X protocol error")

// XError is an X protocol error answered to one of the Display's requests.
type XError struct {
	Op     string // what was asked, e.g. "GetWindowAttributes"
	Window Window
	Code   int // the X error code (3 is BadWindow)
}

// badWindow is X's BadWindow error code.
const badWindow = 3

func (e *XError) Error() string {
	return fmt.Sprintf("xtest: %s on window %#x: X error %d", e.Op, uint64(e.Window), e.Code)
}

// Unwrap returns ErrBadWindow for BadWindow, ErrProtocol otherwise.
func (e *XError) Unwrap() error {
	if e.Code == badWindow {
		return ErrBadWindow
	}
	return ErrProtocol
}
