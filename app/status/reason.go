package status

import "fmt"

// Reason says why a status changed: it is recorded with every stint of the
// timeline (the reason the stint started) and, for its end, the reason of the
// change that ended it.
type Reason string

// The reasons for a change.
const (
	ReasonManual        Reason = "manual"          // the main window
	ReasonTray          Reason = "tray"            // the tray menu
	ReasonCLI           Reason = "cli"             // `ringside status set`
	ReasonAfterCallWork Reason = "after_call_work" // the after-call work timer (start and return)
	ReasonAppStart      Reason = "app_start"       // the app started and resumed the last status
	ReasonAppQuit       Reason = "app_quit"        // the app quit (end reason only)
	ReasonIdle          Reason = "idle"            // idle detection
	ReasonCrash         Reason = "crash"           // the app died; the stint ends at the last heartbeat (end reason only)
	ReasonOpen          Reason = "open"            // the stint was still running when the timeline was exported (end reason only)
)

var reasons = map[Reason]bool{
	ReasonManual: true, ReasonTray: true, ReasonCLI: true, ReasonAfterCallWork: true,
	ReasonAppStart: true, ReasonAppQuit: true, ReasonIdle: true, ReasonCrash: true, ReasonOpen: true,
}

// Valid reports whether r is one of the Reason constants.
func (r Reason) Valid() bool { return reasons[r] }

// ChangeReason reports whether r may start a stint (every reason except the
// end-only ones: app_quit, crash, open).
func (r Reason) ChangeReason() bool {
	return r.Valid() && r != ReasonAppQuit && r != ReasonCrash && r != ReasonOpen
}

func checkChangeReason(r Reason) error {
	if !r.ChangeReason() {
		return fmt.Errorf("%w: %q", ErrUnknownReason, string(r))
	}
	return nil
}
