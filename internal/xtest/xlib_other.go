//go:build !cgo || !(linux || freebsd || netbsd || openbsd || dragonfly)

package xtest

// Display is a connection to an X server; this build has none.
type Display struct{}

// Open returns ErrUnsupported: this build has no Xlib.
func Open(string) (*Display, error) { return nil, ErrUnsupported }

// Close returns ErrClosed.
func (*Display) Close() error { return ErrClosed }

// TopLevel returns ErrUnsupported.
func (*Display) TopLevel() ([]Window, error) { return nil, ErrUnsupported }

// Title returns ErrUnsupported.
func (*Display) Title(Window) (string, error) { return "", ErrUnsupported }

// PID returns ErrUnsupported.
func (*Display) PID(Window) (int, error) { return 0, ErrUnsupported }

// Find returns ErrUnsupported.
func (*Display) Find(string, int) ([]Window, error) { return nil, ErrUnsupported }

// MapState returns ErrUnsupported.
func (*Display) MapState(Window) (MapState, error) { return 0, ErrUnsupported }

// DeleteWindow returns ErrUnsupported.
func (*Display) DeleteWindow(Window) error { return ErrUnsupported }

// WatchMaps returns ErrUnsupported.
func (*Display) WatchMaps() error { return ErrUnsupported }

// Mapped returns ErrUnsupported.
func (*Display) Mapped() ([]Window, error) { return nil, ErrUnsupported }

// CreateWindow returns ErrUnsupported.
func (*Display) CreateWindow(string) (Window, error) { return 0, ErrUnsupported }

// MapWindow returns ErrUnsupported.
func (*Display) MapWindow(Window) error { return ErrUnsupported }

// UnmapWindow returns ErrUnsupported.
func (*Display) UnmapWindow(Window) error { return ErrUnsupported }

// DestroyWindow returns ErrUnsupported.
func (*Display) DestroyWindow(Window) error { return ErrUnsupported }
