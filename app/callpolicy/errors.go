package callpolicy

import (
	"errors"
	"fmt"
)

// ErrBadRule is wrapped by RuleError: an origin rule line could not be read.
var ErrBadRule = errors.New("callpolicy: bad origin rule")

// RuleError names the origin rule line that is wrong and what is allowed.
type RuleError struct {
	Line  int    // 1-based line number
	Text  string // the line as given
	Allow string // what is allowed
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("origin rule line %d %q is not allowed: %s", e.Line, e.Text, e.Allow)
}

// Unwrap returns ErrBadRule.
func (e *RuleError) Unwrap() error { return ErrBadRule }
