package status

import "errors"

// ErrUnknownStatus is wrapped by every error about a status key that is not one
// of the six.
var ErrUnknownStatus = errors.New("unknown status")

// ErrUnknownReason is returned for a change reason that is not one of the
// Reason constants.
var ErrUnknownReason = errors.New("unknown status change reason")

// ErrClosed is returned by an Engine's methods after Close.
var ErrClosed = errors.New("status engine closed")

// ErrAfterCallWorkRange is returned for an after-call work time outside 0 to
// MaxAfterCallWorkSeconds seconds.
var ErrAfterCallWorkRange = errors.New("status.after_call_work_seconds must be 0 (off) to 600")

// ErrBadTimeline is wrapped by every error about an imported timeline file that
// cannot be read.
var ErrBadTimeline = errors.New("bad timeline file")

// ErrBadPeriod is returned when a report period ends before it starts.
var ErrBadPeriod = errors.New("report period ends before it starts")
