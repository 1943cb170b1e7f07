package prefs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrInvalid is wrapped by every error about a value that breaks a key's rule.
var ErrInvalid = errors.New("invalid setting")

// ErrReadOnly is wrapped by every refusal of a change the role may not make.
var ErrReadOnly = errors.New("setting is read-only")

// ErrUnknownKey is wrapped when a key is not one of Ringside's settings.
var ErrUnknownKey = errors.New("unknown setting")

// ValueError says that Value is not allowed for Key, and what is.
type ValueError struct {
	Key     string
	Value   string
	Allowed string
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("%s: %s is not allowed; allowed: %s", e.Key, quote(e.Value), e.Allowed)
}

// Unwrap returns ErrInvalid.
func (e *ValueError) Unwrap() error { return ErrInvalid }

// RuleError says that a combination of settings breaks a rule between them.
type RuleError struct {
	Keys []string // the settings involved, the one to fix first
	Msg  string
}

func (e *RuleError) Error() string { return e.Keys[0] + ": " + e.Msg }

// Unwrap returns ErrInvalid.
func (e *RuleError) Unwrap() error { return ErrInvalid }

// PermissionError refuses a change to a key the role may not change.
type PermissionError struct {
	Key  string
	Role Role
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("%s is managed by your administrator and is read-only for the %s role; ask an administrator to change it", e.Key, e.Role)
}

// Unwrap returns ErrReadOnly.
func (e *PermissionError) Unwrap() error { return ErrReadOnly }

// UnknownKeyError names a key that does not exist, with the nearest real ones.
type UnknownKeyError struct {
	Key     string
	Similar []string
}

func (e *UnknownKeyError) Error() string {
	msg := fmt.Sprintf("unknown setting %s", quote(e.Key))
	if len(e.Similar) > 0 {
		msg += "; did you mean " + strings.Join(e.Similar, " or ") + "?"
	}
	return msg + " (`ringside prefs get` lists every setting)"
}

// Unwrap returns ErrUnknownKey.
func (e *UnknownKeyError) Unwrap() error { return ErrUnknownKey }

// Errors is a list of problems found together (an import or a provisioning
// document is checked whole before anything is applied).
type Errors []error

func (es Errors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems:", len(es))
	for _, e := range es {
		b.WriteString("\n  - ")
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the problems, for errors.Is and errors.As.
func (es Errors) Unwrap() []error { return es }

func (es Errors) err() error {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].Error() < es[j].Error() })
	return es
}

// quote shows a user's value safely: quoted, control characters escaped,
// cut after 80 characters.
func quote(v string) string {
	r := []rune(v)
	if len(r) > 80 {
		v = string(r[:80]) + "…"
	}
	return fmt.Sprintf("%q", v)
}

func unknownKey(k string) error {
	var sim []string
	best := 4
	for _, d := range keys {
		dist := editDistance(k, d.Name)
		if dist < best {
			best, sim = dist, []string{d.Name}
		} else if dist == best && len(sim) < 3 {
			sim = append(sim, d.Name)
		}
	}
	if sim == nil {
		// Same last part in another section (e.g. "ring_time").
		_, last, _ := strings.Cut(k, ".")
		for _, d := range keys {
			if _, l, _ := strings.Cut(d.Name, "."); l == k || l == last {
				sim = append(sim, d.Name)
			}
		}
	}
	return &UnknownKeyError{Key: k, Similar: sim}
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
