package main

import (
	"fmt"
	"strings"
)

// The renderers the Fyne fork offers (third_party/fyne, RINGSIDE.md), named
// as RINGSIDE_RENDERER takes them: OpenGL, or the window painted on the CPU
// and put on the screen with XPutImage (X11 only).
const (
	rendererGL       = "gl"
	rendererSoftware = "software"
)

// parseRenderer reads a RINGSIDE_RENDERER value: "" (let the app choose),
// "gl" (also "opengl") or "software", in any case.
func parseRenderer(v string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return "", nil
	case rendererGL, "opengl":
		return rendererGL, nil
	case rendererSoftware:
		return rendererSoftware, nil
	}
	return "", fmt.Errorf("RINGSIDE_RENDERER=%q is not one of gl, software", v)
}
