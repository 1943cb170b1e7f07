package prefs

import (
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is the shape of a setting's value.
type Kind int

// The kinds of values.
const (
	KindText Kind = iota
	KindBool
	KindEnum
	KindInt
	KindList
)

// A parser turns a user's text into the canonical form, or says what is allowed.
type parser struct {
	allowed string
	parse   func(string) (string, bool)
}

var (
	e164Re      = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	digitsRe    = regexp.MustCompile(`^[0-9]{1,15}$`)
	itemIDRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`) // and at most 64: itemID
	groupNameRe = regexp.MustCompile(`^[^,\x00-\x1f\x7f]+$`)  // and at most 64 characters
	sipURIRe    = regexp.MustCompile(`^sips?:[^\s,<>"]+$`)
)

// normaliseNumber accepts E.164 with spaces, dots, dashes or brackets between
// digits ("+44 20 7946-0000") and returns it compact ("+442079460000").
func normaliseNumber(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ' ', '-', '.', '(', ')':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func textParser(minLen, maxLen int) parser {
	allowed := fmt.Sprintf("text of %d to %d characters without control characters", minLen, maxLen)
	if minLen == 0 {
		allowed = fmt.Sprintf("text of up to %d characters without control characters", maxLen)
	}
	return parser{allowed, func(s string) (string, bool) {
		s = strings.TrimSpace(s)
		if !utf8.ValidString(s) {
			return "", false
		}
		n := utf8.RuneCountInString(s)
		if n < minLen || n > maxLen {
			return "", false
		}
		for _, r := range s {
			if unicode.IsControl(r) {
				return "", false
			}
		}
		return s, true
	}}
}

func boolParser() parser {
	return parser{"on or off (also true or false)", func(s string) (string, bool) {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "on", "true":
			return "on", true
		case "off", "false":
			return "off", true
		}
		return "", false
	}}
}

func enumParser(values ...string) parser {
	return parser{"one of " + strings.Join(values, ", "), func(s string) (string, bool) {
		s = strings.TrimSpace(s)
		for _, v := range values {
			if s == v {
				return v, true
			}
		}
		return "", false
	}}
}

func intParser(lo, hi int, unit string) parser {
	return parser{fmt.Sprintf("a whole number of %s from %d to %d", unit, lo, hi), func(s string) (string, bool) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < lo || n > hi {
			return "", false
		}
		return strconv.Itoa(n), true
	}}
}

func emailParser() parser {
	return parser{"an email address such as name@example.com", func(s string) (string, bool) {
		s = strings.TrimSpace(s)
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s || a.Name != "" || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
			return "", false
		}
		return s, true
	}}
}

func e164Parser() parser {
	return parser{"a phone number in E.164 form such as +442079460000", func(s string) (string, bool) {
		s = normaliseNumber(strings.TrimSpace(s))
		return s, e164Re.MatchString(s)
	}}
}

func digitsParser() parser {
	return parser{"digits only, 1 to 15 of them", func(s string) (string, bool) {
		s = strings.TrimSpace(s)
		return s, digitsRe.MatchString(s)
	}}
}

// destinationParser accepts a SIP URI, and an extension (digits) or, with
// e164, an E.164 number.
func destinationParser(e164 bool) parser {
	allowed := "a SIP URI (sip:name@host) or an extension (digits)"
	if e164 {
		allowed = "an E.164 number (+442079460000) or a SIP URI (sip:name@host)"
	}
	return parser{allowed, func(s string) (string, bool) {
		s = strings.TrimSpace(s)
		if sipURIRe.MatchString(s) && len(s) <= 256 {
			return s, true
		}
		if e164 {
			n := normaliseNumber(s)
			return n, e164Re.MatchString(n)
		}
		return s, digitsRe.MatchString(s)
	}}
}

func itemParser(none string) parser {
	return parser{none + ", or the id of an audio library item (`ringside audio list`)", func(s string) (string, bool) {
		s = strings.TrimSpace(s)
		return s, s == none || len(s) <= 64 && itemIDRe.MatchString(s)
	}}
}

func deviceParser() parser {
	return parser{"default, or a device name as `ringside audio devices` prints it", func(s string) (string, bool) {
		p := textParser(1, 200)
		return p.parse(s)
	}}
}

func groupParser() parser {
	return parser{"a group name of 1 to 64 characters without commas", func(s string) (string, bool) {
		s = strings.TrimSpace(s)
		return s, utf8.RuneCountInString(s) <= 64 && groupNameRe.MatchString(s)
	}}
}

// listParser parses a comma-separated list of items, each with elem; the
// list has minN to maxN items and no repeats.
func listParser(elem parser, minN, maxN int) parser {
	count := fmt.Sprintf("up to %d", maxN)
	if minN > 0 {
		count = fmt.Sprintf("%d to %d", minN, maxN)
	}
	allowed := fmt.Sprintf("a comma-separated list of %s items, each %s, no repeats", count, elem.allowed)
	return parser{allowed, func(s string) (string, bool) {
		items, ok := parseList(s, elem)
		if !ok || len(items) < minN || len(items) > maxN {
			return "", false
		}
		return strings.Join(items, ","), true
	}}
}

func parseList(s string, elem parser) ([]string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		v, ok := elem.parse(part)
		if !ok || seen[v] {
			return nil, false
		}
		seen[v] = true
		out = append(out, v)
	}
	return out, true
}

// List splits a canonical list value into its items.
func List(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

func isSpace(s string) bool { return strings.TrimSpace(s) == "" }

func itoa(n int) string { return strconv.Itoa(n) }
