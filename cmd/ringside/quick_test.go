package main

import (
	"slices"
	"testing"
)

// TestQuickVerb: which command lines ringside answers itself; the rest go to
// ringside-app, which has the whole command line and its messages.
func TestQuickVerb(t *testing.T) {
	cases := []struct {
		args []string
		home string
		ok   bool
	}{
		{[]string{"prefs", "get", "call.ring_time"}, "", true},
		{[]string{"--home", "/h", "prefs", "get", "call.ring_time"}, "/h", true},
		{[]string{"-home=/h", "prefs", "set", "call.ring_time", "30"}, "/h", true},
		{[]string{"--home=/h", "prefs", "set", "general.first_name", "Ada", "Lovelace"}, "/h", true},
		{[]string{"--home", "/a", "--home", "/b", "prefs", "get", "k"}, "/b", true},
		{nil, "", false},                                 // the window
		{[]string{"--minimized"}, "", false},             // the window
		{[]string{"prefs", "get"}, "", false},            // the table: ringside-app
		{[]string{"prefs", "set", "k"}, "", false},       // a usage error: ringside-app says it
		{[]string{"prefs", "get", "a", "b"}, "", false},  // ditto
		{[]string{"prefs", "export"}, "", false},         // other prefs verbs
		{[]string{"status"}, "", false},                  // other verbs
		{[]string{"--help"}, "", false},                  // help
		{[]string{"--home"}, "", false},                  // missing DIR
		{[]string{"--home="}, "", false},                 // empty DIR
		{[]string{"---home", "/h", "prefs"}, "", false},  // not a flag
		{[]string{"--", "prefs", "get", "k"}, "", false}, // terminator
		{[]string{"--bogus", "prefs", "get", "k"}, "", false},
	}
	for _, c := range cases {
		home, verb, ok := quickVerb(c.args)
		if ok != c.ok || home != c.home || ok && !slices.Equal(verb, c.args[len(c.args)-len(verb):]) {
			t.Errorf("quickVerb(%q) = %q, %q, %v; want home %q, ok %v", c.args, home, verb, ok, c.home, c.ok)
		}
	}
}
