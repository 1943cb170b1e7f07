//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package secrets

import "runtime"

// available has nothing to check beforehand: the native keyring (Keychain,
// Credential Manager) is part of the system; its errors say what is wrong.
func available() error { return nil }

var tooLargeHint = map[string]string{
	"darwin":  "the macOS Keychain takes about 3000 bytes of key and secret together",
	"windows": "the Windows Credential Manager takes at most 2560 bytes",
}[runtime.GOOS]

// hint says what to do about an error the native keyring returned.
func hint(string) string {
	switch runtime.GOOS {
	case "darwin":
		return "Ringside keeps passwords only in the macOS Keychain: open Keychain Access, make sure the " +
			"login keychain exists and is unlocked, and try again"
	case "windows":
		return "Ringside keeps passwords only in the Windows Credential Manager: make sure you are logged in " +
			"with a user profile that has one (Control Panel, Credential Manager) and try again"
	}
	return "Ringside keeps passwords only in the OS keyring, and none is supported on " + runtime.GOOS
}
