//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package secrets

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
)

const secretsName = "org.freedesktop.secrets"

// installHint says how to get a Secret Service.
const installHint = "install and start gnome-keyring (Debian/Ubuntu: apt install gnome-keyring) or " +
	"KeePassXC with Secret Service integration, and log in to a desktop session"

const tooLargeHint = "the Secret Service refused it"

// available checks, before go-keyring is used, that the session D-Bus exists
// and that something owns (or can be started for) org.freedesktop.secrets.
// It never starts a bus itself: go-keyring, through godbus, would run
// dbus-launch when DBUS_SESSION_BUS_ADDRESS is unset, leaving a stray
// dbus-daemon behind and still finding no keyring.
//
// A bus found good is not checked again in this process (the check costs a
// connection, 3 to 4 ms); if its Secret Service goes away later, go-keyring's
// errors say so.
func available() error {
	verified.Lock()
	defer verified.Unlock()
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a == verified.addr {
		return nil
	}
	if err := check(); err != nil {
		return err
	}
	verified.addr = os.Getenv("DBUS_SESSION_BUS_ADDRESS") // set by godbus when it found $XDG_RUNTIME_DIR/bus
	return nil
}

// verified is the session bus address last found to offer a Secret Service.
var verified struct {
	sync.Mutex
	addr string
}

func check() error {
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
			return fmt.Errorf("%w: no session D-Bus (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service "+
				"to keep passwords in: %s", ErrUnavailable, installHint)
		}
		return fmt.Errorf("%w: cannot reach the session D-Bus at %s (%v), so no Secret Service to keep passwords in: %s",
			ErrUnavailable, os.Getenv("DBUS_SESSION_BUS_ADDRESS"), err, installHint)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := conn.Auth(nil); err != nil {
		return fmt.Errorf("%w: the session D-Bus refused authentication (%v): %s", ErrUnavailable, err, installHint)
	}
	if err := conn.Hello(); err != nil {
		return fmt.Errorf("%w: the session D-Bus did not answer (%v): %s", ErrUnavailable, err, installHint)
	}
	bus := conn.BusObject()
	var owned bool
	if err := bus.CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, secretsName).Store(&owned); err != nil {
		return fmt.Errorf("%w: the session D-Bus did not answer (%v): %s", ErrUnavailable, err, installHint)
	}
	if owned {
		return nil
	}
	var activatable []string
	if err := bus.CallWithContext(ctx, "org.freedesktop.DBus.ListActivatableNames", 0).Store(&activatable); err != nil {
		return fmt.Errorf("%w: the session D-Bus did not answer (%v): %s", ErrUnavailable, err, installHint)
	}
	if slices.Contains(activatable, secretsName) {
		return nil // the bus starts it on the first call, as on a desktop
	}
	return fmt.Errorf("%w: no Secret Service on the session D-Bus (nothing provides %s): %s",
		ErrUnavailable, secretsName, installHint)
}

// hint says what to do about an error the Secret Service returned.
func hint(msg string) string {
	switch {
	case strings.Contains(msg, "failed to unlock"), strings.Contains(msg, "IsLocked"):
		return "the keyring is locked, or has no default collection, and no unlock prompt was answered: " +
			"unlock or create the default keyring (log in to the desktop session, or open Passwords and Keys " +
			"(seahorse) or KeePassXC) and try again"
	case strings.Contains(msg, "NoSuchObject"), strings.Contains(msg, "No such object"):
		return "the Secret Service has no default keyring: create one (Passwords and Keys, or KeePassXC's " +
			"Secret Service settings) and try again"
	}
	return "check that the Secret Service works: " + installHint
}
