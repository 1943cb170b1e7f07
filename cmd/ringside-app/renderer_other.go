//go:build !linux

package main

import "io"

// startRendererChoice leaves the renderer to the Fyne fork: painting on the
// CPU is for X11 on Linux only.
func startRendererChoice(io.Writer) func() string {
	return func() string { return rendererGL }
}
