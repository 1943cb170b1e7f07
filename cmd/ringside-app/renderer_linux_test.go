package main

import (
	"strings"
	"testing"
)

func TestRendererFor(t *testing.T) {
	exts := func(names ...string) func(string) bool {
		return func(ext string) bool {
			for _, n := range names {
				if n == ext {
					return true
				}
			}
			return false
		}
	}
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name string
		env  func(string) string
		has  func(string) bool
		want string
	}{
		{"Xvfb, Xvnc, xrdp: no direct rendering", env(), exts("GLX", "MIT-SHM", "RANDR"), rendererSoftware},
		{"Mesa on a GPU (DRI3)", env(), exts("GLX", "DRI3", "DRI2"), rendererGL},
		{"older Mesa on a GPU (DRI2 only)", env(), exts("GLX", "DRI2"), rendererGL},
		{"NVIDIA's driver", env(), exts("GLX", "NV-GLX", "NV-CONTROL"), rendererGL},
		{"software GL asked for on a GPU", env("LIBGL_ALWAYS_SOFTWARE", "1"), exts("DRI3"), rendererSoftware},
		{"LIBGL_ALWAYS_SOFTWARE=0", env("LIBGL_ALWAYS_SOFTWARE", "0"), exts("DRI3"), rendererGL},
		{"LIBGL_ALWAYS_SOFTWARE=false", env("LIBGL_ALWAYS_SOFTWARE", "false"), exts("DRI3"), rendererGL},
		{"no X server answered", env(), nil, rendererGL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rendererFor(tc.env, tc.has); got != tc.want {
				t.Errorf("rendererFor = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseRenderer(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{"", "", false},
		{"gl", rendererGL, false},
		{"GL", rendererGL, false},
		{"opengl", rendererGL, false},
		{" software ", rendererSoftware, false},
		{"Software", rendererSoftware, false},
		{"vulkan", "", true},
		{"cpu", "", true},
	} {
		got, err := parseRenderer(tc.in)
		if got != tc.want || (err != nil) != tc.bad {
			t.Errorf("parseRenderer(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.bad)
		}
		if err != nil && !strings.Contains(err.Error(), "gl, software") {
			t.Errorf("parseRenderer(%q): %q does not say what is allowed", tc.in, err)
		}
	}
}
