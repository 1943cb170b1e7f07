// Package xtest lets end-to-end tests look at and poke the real windows of a
// program under an X server (Xvfb in the test suite), as a window manager
// would: list the top-level windows by title and process, read whether one is
// mapped, send it WM_DELETE_WINDOW (the close button), and watch for windows
// being mapped. It talks Xlib through cgo (libx11-dev at build time, see
// scripts/deps.sh); where cgo or Xlib is not available, Open returns
// ErrUnsupported.
package xtest
