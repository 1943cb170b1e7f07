// Package prefs defines every Ringside setting ("My preferences"): its type,
// default, validation, the rules between settings and who may change what.
// Values are kept in a canonical text form (booleans on/off, lists
// comma-separated) that the store saves as it is.
package prefs

import (
	"slices"
	"strings"
)

// Role is what a user may do: agent (default), supervisor or admin.
type Role string

// The roles, from least to most privileged.
const (
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// Values maps every key to its canonical value.
type Values map[string]string

// Defaults returns a new Values with every key at its default.
func Defaults() Values {
	v := make(Values, len(keys))
	for _, k := range keys {
		v[k.Name] = k.Default
	}
	return v
}

// FromStored builds Values from what the store holds: defaults for missing
// keys; keys Ringside no longer knows are ignored.
func FromStored(stored map[string]string) Values {
	v := Defaults()
	for k, val := range stored {
		if _, ok := byName[k]; ok {
			v[k] = val
		}
	}
	return v
}

// Clone returns a copy of v.
func (v Values) Clone() Values {
	c := make(Values, len(v))
	for k, val := range v {
		c[k] = val
	}
	return c
}

// On reports whether a boolean key is on.
func (v Values) On(key string) bool { return v[key] == "on" }

// List returns a list key's items.
func (v Values) List(key string) []string { return List(v[key]) }

// Role returns the most privileged of the user's roles (profile.roles).
func (v Values) Role() Role {
	roles := v.List("profile.roles")
	switch {
	case slices.Contains(roles, string(RoleAdmin)):
		return RoleAdmin
	case slices.Contains(roles, string(RoleSupervisor)):
		return RoleSupervisor
	}
	return RoleAgent
}

// MayChange reports whether role may change key.
func MayChange(role Role, k *Key) bool { return !k.Admin || role == RoleAdmin }

// Env gives the rules what they need to know from outside the settings.
type Env struct {
	// ItemExists reports whether an audio library item exists; nil accepts
	// any well-formed id.
	ItemExists func(id string) bool
}

// Change is one requested change: a key and the user's raw text.
type Change struct {
	Key, Value string
}

// Apply checks changes made by role against cur and returns the new values,
// with only the keys whose value changed in diff. It checks everything first:
// on any problem it returns every problem found (as Errors, or the single
// error) and changes nothing. A change that leaves a read-only key's value as
// it is is accepted, so an export can be imported back as it is.
func Apply(cur Values, role Role, changes []Change, env Env) (next Values, diff map[string]string, err error) {
	var errs Errors
	next = cur.Clone()
	diff = map[string]string{}
	for _, c := range changes {
		k, err := Lookup(c.Key)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if c.Value == cur[k.Name] {
			continue // unchanged, even where the value is an unset default
		}
		v, err := k.Parse(c.Value)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if v == cur[k.Name] {
			continue
		}
		if !MayChange(role, k) {
			errs = append(errs, &PermissionError{Key: k.Name, Role: role})
			continue
		}
		next[k.Name] = v
		diff[k.Name] = v
	}
	if len(errs) == 0 {
		errs = append(errs, check(next, diff, env)...)
	}
	if err := errs.err(); err != nil {
		return cur, nil, err
	}
	return next, diff, nil
}

// Check returns every rule that v breaks, as Errors, or nil.
func Check(v Values, env Env) error {
	all := map[string]string{}
	for k, val := range v {
		all[k] = val
	}
	return Errors(check(v, all, env)).err()
}

// isOwn reports whether dest (a number, extension or SIP URI) is one of the
// user's own numbers or extensions, which would ring back to them.
func isOwn(v Values, dest string) bool {
	own := append(v.List("profile.numbers"), v.List("profile.extensions")...)
	user := dest
	if strings.HasPrefix(dest, "sip:") || strings.HasPrefix(dest, "sips:") {
		_, rest, _ := strings.Cut(dest, ":")
		user, _, _ = strings.Cut(rest, "@")
	}
	return slices.Contains(own, user) || slices.Contains(own, normaliseNumber(user))
}
