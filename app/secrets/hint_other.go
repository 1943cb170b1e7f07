//go:build !linux

package secrets

const unavailableHint = "Ringside keeps passwords only in the OS keyring (macOS Keychain, Windows Credential Manager): unlock it and try again"
