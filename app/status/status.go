package status

import (
	"fmt"
	"strings"
)

// Status is an availability status, identified by its key (as stored, exported
// and typed on the command line).
type Status string

// The six statuses, in the order menus show them.
const (
	Available     Status = "available"
	Away          Status = "away"
	AfterCallWork Status = "after_call_work"
	OnBreak       Status = "on_break"
	Unavailable   Status = "unavailable"
	DoNotDisturb  Status = "do_not_disturb"
)

// All lists the six statuses in menu order.
var All = []Status{Available, Away, AfterCallWork, OnBreak, Unavailable, DoNotDisturb}

var names = map[Status]string{
	Available:     "Available",
	Away:          "Away",
	AfterCallWork: "After-call work",
	OnBreak:       "On break",
	Unavailable:   "Unavailable",
	DoNotDisturb:  "Do Not Disturb",
}

// Valid reports whether s is one of the six statuses.
func (s Status) Valid() bool { _, ok := names[s]; return ok }

// Name returns the display name ("After-call work"), or the key itself for an
// unknown status.
func (s Status) Name() string {
	if n, ok := names[s]; ok {
		return n
	}
	return string(s)
}

// String returns the key.
func (s Status) String() string { return string(s) }

// Keys returns the six keys in menu order, for messages that list them.
func Keys() []string {
	k := make([]string, len(All))
	for i, s := range All {
		k[i] = string(s)
	}
	return k
}

// Parse returns the status named by key. It accepts the key in any letter
// case with "-" or " " for "_"; anything else is an *UnknownStatusError
// listing the valid keys.
func Parse(key string) (Status, error) {
	k := strings.ToLower(strings.TrimSpace(key))
	k = strings.NewReplacer("-", "_", " ", "_").Replace(k)
	if s := Status(k); s.Valid() {
		return s, nil
	}
	return "", &UnknownStatusError{Key: key}
}

// UnknownStatusError is returned for a status key that is not one of the six.
type UnknownStatusError struct {
	Key string
}

// Error names the key and lists the valid ones.
func (e *UnknownStatusError) Error() string {
	return fmt.Sprintf("unknown status %q: use one of %s", e.Key, strings.Join(Keys(), ", "))
}

// Unwrap returns ErrUnknownStatus.
func (e *UnknownStatusError) Unwrap() error { return ErrUnknownStatus }
