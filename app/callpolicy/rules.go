package callpolicy

import (
	"strings"

	"github.com/ringside/ringside/app/status"
)

// Headers gives the value of a header of the incoming INVITE ("" when
// absent). softphone.Call satisfies it.
type Headers interface {
	Header(name string) string
}

// HeaderMap is Headers over a map keyed by header name (any case); for tests
// and callers that already hold the headers.
type HeaderMap map[string]string

// Header returns the value of name, matched without regard to case.
func (m HeaderMap) Header(name string) string {
	if v, ok := m[name]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// Rule says that a call whose header Header contains Value (case-insensitive;
// empty Value: any non-empty value) has origin Origin.
type Rule struct {
	Header string
	Value  string
	Origin status.Origin
}

// DefaultRules are the origin rules used when the account configures none.
// They fit common PBXs: an explicit X-Call-Origin header, the queue and ring
// group headers that Asterisk/FreePBX dialplans and FreeSWITCH's
// mod_callcenter are usually set up to add, and the Alert-Info values PBXs
// use to give queue and ring-group calls a distinctive ring. The first rule
// that matches wins; a call no rule matches is a direct call (or a
// click-to-call call when it carries a trusted auto-answer marker).
var DefaultRules = []Rule{
	{Header: "X-Call-Origin", Value: "click", Origin: status.ClickToCall},
	{Header: "X-Call-Origin", Value: "queue", Origin: status.Queue},
	{Header: "X-Call-Origin", Value: "ring", Origin: status.RingGroup},
	{Header: "X-Call-Origin", Value: "group", Origin: status.RingGroup},
	{Header: "X-Call-Origin", Value: "direct", Origin: status.Direct},
	{Header: "X-Queue", Origin: status.Queue},
	{Header: "X-CC-Queue", Origin: status.Queue},
	{Header: "X-Ring-Group", Origin: status.RingGroup},
	{Header: "X-RingGroup", Origin: status.RingGroup},
	{Header: "Alert-Info", Value: "queue", Origin: status.Queue},
	{Header: "Alert-Info", Value: "ring-group", Origin: status.RingGroup},
	{Header: "Alert-Info", Value: "ringgroup", Origin: status.RingGroup},
	{Header: "Alert-Info", Value: "click-to-call", Origin: status.ClickToCall},
}

// originOf returns the origin the first matching rule gives.
func originOf(rules []Rule, h Headers) (status.Origin, bool) {
	if h == nil {
		return status.Direct, false
	}
	// Rules for the same header usually follow each other: read it once.
	last, v := "", ""
	for i := range rules {
		r := &rules[i]
		if i == 0 || r.Header != last {
			last, v = r.Header, h.Header(r.Header)
		}
		if v == "" {
			continue
		}
		if r.Value == "" || containsFold(v, r.Value) {
			return r.Origin, true
		}
	}
	return status.Direct, false
}

// Origin returns the origin of a call with headers h by rules (DefaultRules
// when rules is nil): the first rule that matches, else Direct.
func Origin(rules []Rule, h Headers) status.Origin {
	if rules == nil {
		rules = DefaultRules
	}
	o, _ := originOf(rules, h)
	return o
}

// containsFold reports whether s contains sub, ASCII case-insensitively,
// without allocating.
func containsFold(s, sub string) bool {
	n := len(sub)
	if n == 0 {
		return true
	}
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return true
		}
	}
	return false
}

var originKeys = map[string]status.Origin{
	"direct": status.Direct, "queue": status.Queue, "ring_group": status.RingGroup, "click_to_call": status.ClickToCall,
}

const ruleAllow = `"Header: value => origin" or "Header => origin" (any value), origin one of direct, queue, ring_group, click_to_call; # starts a comment`

// ParseRules reads origin rules, one per line:
//
//	X-Queue => queue
//	Alert-Info: ring-group => ring_group
//	# a comment
//
// The header name is a SIP header token; the value is matched as a
// case-insensitive substring; an empty text gives no rules.
func ParseRules(text string) ([]Rule, error) {
	var rules []Rule
	for i, line := range strings.Split(text, "\n") {
		raw := line
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := &RuleError{Line: i + 1, Text: raw, Allow: ruleAllow}
		lhs, rhs, ok := strings.Cut(line, "=>")
		if !ok {
			return nil, bad
		}
		o, ok := originKeys[strings.TrimSpace(rhs)]
		if !ok {
			return nil, bad
		}
		name, value, _ := strings.Cut(lhs, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !isToken(name) || len(value) > 200 || strings.ContainsFunc(value, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return nil, bad
		}
		rules = append(rules, Rule{Header: name, Value: value, Origin: o})
	}
	return rules, nil
}

// FormatRules writes rules in the form ParseRules reads.
func FormatRules(rules []Rule) string {
	var b strings.Builder
	for _, r := range rules {
		b.WriteString(r.Header)
		if r.Value != "" {
			b.WriteString(": ")
			b.WriteString(r.Value)
		}
		b.WriteString(" => ")
		b.WriteString(r.Origin.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// isToken reports whether s is a SIP header name (RFC 3261 token).
func isToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-.!%*_+`'~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
