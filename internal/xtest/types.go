package xtest

// Window is an X window ID.
type Window uint64

// MapState is a window's map state, as XGetWindowAttributes reports it.
type MapState int

// The map states of X: a window is Viewable when it and all its ancestors are
// mapped (what a user sees), Unviewable when it is mapped but an ancestor is
// not, Unmapped when hidden.
const (
	Unmapped MapState = iota
	Unviewable
	Viewable
)

func (s MapState) String() string {
	switch s {
	case Unmapped:
		return "unmapped"
	case Unviewable:
		return "unviewable"
	case Viewable:
		return "viewable"
	}
	return "unknown"
}
