package main

// The renderers the Fyne fork offers (third_party/fyne, RINGSIDE.md), named
// as RINGSIDE_RENDERER takes them: OpenGL, or the window painted on the CPU
// and put on the screen with XPutImage (X11 only).
const (
	rendererGL       = "gl"
	rendererSoftware = "software"
)
