package app

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestCallRefusesBadTarget: a number that cannot be dialled is refused with a
// message naming it and saying what is allowed, before anything else (also
// with no phone running), from the window and from `ringside call` alike.
func TestCallRefusesBadTarget(t *testing.T) {
	a, _ := openTest(t)
	for _, target := range []string{"12ab!", "", "  ", "sip:", "tel:abc", "bob smith"} {
		_, err := a.Call(context.Background(), target)
		var te *TargetError
		if !errors.As(err, &te) || !errors.Is(err, ErrBadTarget) || !strings.Contains(err.Error(), "phone number") {
			t.Errorf("Call(%q) = %v; want a *TargetError saying what is allowed", target, err)
		}
	}
	// A good target gets past the check (here to "no phone running").
	if _, err := a.Call(context.Background(), "+44 20 7946-0000"); errors.Is(err, ErrBadTarget) {
		t.Errorf("Call of a good number refused as a bad target: %v", err)
	}
}
