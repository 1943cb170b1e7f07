package callpolicy

import (
	"strings"

	"github.com/ringside/ringside/app/prefs"
)

// CallerID is the caller ID of an outgoing call.
type CallerID struct {
	// Number is the E.164 number to present (From user and
	// P-Preferred-Identity); "" when the user has no number, in which case
	// the account's own identity is used.
	Number string
	// Dynamic is true when the number was chosen to match the dialled one.
	Dynamic bool
}

// OutgoingCallerID picks the caller ID of a call to dialled (a number, tel:
// or sip: URI): with call.dynamic_caller_id on, the user's number sharing
// the dialled number's country code and the longest further prefix (its
// area code); else, or when none shares the country code, the outbound number
// (call.outbound_number, else the first of profile.numbers).
func OutgoingCallerID(v prefs.Values, dialled string) CallerID {
	out := CallerID{Number: v.OutboundNumber()}
	if v["call.dynamic_caller_id"] != "on" {
		return out
	}
	d := dialledE164(dialled)
	if d == "" {
		return out
	}
	cc := countryCodeLen(d)
	best, bestLen := "", 0
	for _, n := range v.List("profile.numbers") {
		if len(n) < 1+cc || len(d) < 1+cc || n[:1+cc] != d[:1+cc] {
			continue
		}
		l := commonPrefix(n, d)
		if l > bestLen || l == bestLen && n == out.Number {
			best, bestLen = n, l
		}
	}
	if best == "" {
		return out
	}
	return CallerID{Number: best, Dynamic: best != out.Number}
}

// dialledE164 extracts an E.164 number (+digits) from what was dialled:
// "+44 20 7946 0000", "0044...", "tel:+44...", "sip:+44...@host". "" when
// it is not an international number (an extension, a name).
func dialledE164(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimSuffix(s, ">"), "<")
	if i := strings.IndexByte(s, ':'); i >= 0 {
		switch strings.ToLower(s[:i]) {
		case "tel", "sip", "sips":
			s = s[i+1:]
		default:
			return ""
		}
	}
	if i := strings.IndexAny(s, "@;"); i >= 0 {
		s = s[:i]
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return ""
		}
	}
	n := b.String()
	if strings.HasPrefix(n, "00") {
		n = "+" + n[2:]
	}
	if !strings.HasPrefix(n, "+") || len(n) < 4 || len(n) > 16 {
		return ""
	}
	return n
}

// twoDigitCodes are the ITU-T E.164 country codes of two digits; codes
// starting with 1 or 7 have one digit, every other code three.
var twoDigitCodes = map[string]bool{
	"20": true, "27": true, "30": true, "31": true, "32": true, "33": true, "34": true, "36": true, "39": true,
	"40": true, "41": true, "43": true, "44": true, "45": true, "46": true, "47": true, "48": true, "49": true,
	"51": true, "52": true, "53": true, "54": true, "55": true, "56": true, "57": true, "58": true,
	"60": true, "61": true, "62": true, "63": true, "64": true, "65": true, "66": true,
	"81": true, "82": true, "84": true, "86": true, "90": true, "91": true, "92": true, "93": true, "94": true, "95": true, "98": true,
}

// countryCodeLen returns the length of the country code of an E.164 number
// (+ excluded).
func countryCodeLen(n string) int {
	switch {
	case len(n) < 2:
		return 0
	case n[1] == '1' || n[1] == '7':
		return 1
	case len(n) >= 3 && twoDigitCodes[n[1:3]]:
		return 2
	}
	return 3
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// TransferCallerID returns the caller ID the target of a blind transfer
// should see (call.blind_transfer_caller_id): the original caller's (remote,
// the default) or the agent's own outbound number (local; "" when the user
// has no number: the account's own identity). local is true
// when the agent's identity must be carried in the REFER.
func TransferCallerID(v prefs.Values, originalCaller string) (id string, local bool) {
	if v["call.blind_transfer_caller_id"] == "local" {
		return v.OutboundNumber(), true // "": the account's own identity
	}
	return originalCaller, false
}
