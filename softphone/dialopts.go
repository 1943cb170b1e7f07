package softphone

import (
	"strings"
	"unicode"

	"github.com/emiago/sipgo/sip"
)

// DialOption tunes one outgoing call (Dial). Options check their values
// and Dial returns an *OptionError (matching ErrBadOption) before anything
// is sent when one is not allowed.
type DialOption func(*dialConfig) error

// dialConfig is what the DialOptions of one call ask for.
type dialConfig struct {
	display string       // From display name; "" keeps the account's
	number  string       // P-Preferred-Identity number; "" sends none
	ppi     string       // a whole P-Preferred-Identity value (from a REFER); wins over number
	headers []sip.Header // WithHeader, in order
	// onRinging, when set, is called (on the dialling goroutine) with the
	// first 180 or 183 the call gets: a transfer we carry out reports it.
	onRinging func(code int)
}

// WithCallerID sets the caller ID of the call: display becomes the From
// display name (empty keeps the account's), and number (E.164 such as
// +442079460000, or digits; empty sends none) goes out as
// P-Preferred-Identity: "display" <sip:number@domain>, which the proxy turns
// into P-Asserted-Identity when the user may use that number (RFC 3325).
// The From user stays the account's user: the proxy authenticates it.
func WithCallerID(display, number string) DialOption {
	return func(d *dialConfig) error {
		if err := checkDisplay("WithCallerID display name", display); err != nil {
			return err
		}
		if number != "" && !validNumber(number) {
			return &OptionError{Option: "WithCallerID number", Value: number, Allow: "an E.164 number such as +442079460000 (+ and up to 20 digits), or empty"}
		}
		d.display = display
		d.number = number
		return nil
	}
}

// reservedHeaders are the headers the phone writes itself (compact forms
// included); WithHeader refuses them.
var reservedHeaders = map[string]bool{
	"via": true, "v": true, "from": true, "f": true, "to": true, "t": true,
	"call-id": true, "i": true, "cseq": true, "contact": true, "m": true,
	"max-forwards": true, "route": true, "record-route": true,
	"content-length": true, "l": true, "content-type": true, "c": true,
	"authorization": true, "proxy-authorization": true, "allow": true,
	"supported": true, "k": true, "replaces": true, "referred-by": true, "b": true,
	"p-preferred-identity": true, "p-asserted-identity": true, "user-agent": true,
}

// WithHeader adds a header to the call's INVITE (for example Call-Info or
// a PBX's X- header). Names the phone writes itself (Via, From, To, Call-ID,
// CSeq, Contact, Route, Max-Forwards, Content-*, Authorization, Allow,
// Supported, Replaces, Referred-By, User-Agent, and the identity headers,
// which WithCallerID sets) are refused, as are values with line breaks.
func WithHeader(name, value string) DialOption {
	return func(d *dialConfig) error {
		if !isToken(name) {
			return &OptionError{Option: "WithHeader name", Value: name, Allow: "a SIP header name of letters, digits and - . ! % * _ + ` ' ~"}
		}
		if reservedHeaders[strings.ToLower(name)] {
			return &OptionError{Option: "WithHeader name", Value: name, Allow: "a header the phone does not write itself (not Via, From, To, Call-ID, CSeq, Contact, Route, Max-Forwards, Content-*, Authorization, Allow, Supported, Replaces, Referred-By, User-Agent; use WithCallerID for the identity)"}
		}
		if len(value) > 1024 || strings.ContainsFunc(value, func(r rune) bool { return r != '\t' && unicode.IsControl(r) }) {
			return &OptionError{Option: "WithHeader value", Value: value, Allow: "up to 1024 characters without line breaks or control characters"}
		}
		d.headers = append(d.headers, sip.NewHeader(name, strings.TrimSpace(value)))
		return nil
	}
}

// extraHeaders are the headers the options add to the INVITE; display is
// the From display name in effect.
func (d dialConfig) extraHeaders(display, domain string) []sip.Header {
	var out []sip.Header
	if d.ppi != "" {
		out = append(out, sip.NewHeader("P-Preferred-Identity", d.ppi))
	} else if d.number != "" {
		out = append(out, sip.NewHeader("P-Preferred-Identity", identityValue(display, d.number, domain)))
	}
	return append(out, d.headers...)
}

// TransferOption tunes one blind transfer (Call.Transfer).
type TransferOption func(*transferConfig) error

type transferConfig struct {
	display string
	number  string
}

// WithTransferCallerID asks the transferred party to present display and
// number (as in WithCallerID) to the transfer target: the identity travels
// as a P-Preferred-Identity header embedded in the Refer-To URI (RFC 3515
// section 2.1), which a Ringside phone (and many others) copies into its new
// INVITE. The transferred party's proxy decides whether it may be asserted.
func WithTransferCallerID(display, number string) TransferOption {
	return func(t *transferConfig) error {
		if err := checkDisplay("WithTransferCallerID display name", display); err != nil {
			return err
		}
		if !validNumber(number) {
			return &OptionError{Option: "WithTransferCallerID number", Value: number, Allow: "an E.164 number such as +442079460000 (+ and up to 20 digits)"}
		}
		t.display, t.number = display, number
		return nil
	}
}

func checkDisplay(option, display string) error {
	if len([]rune(display)) > 64 || strings.ContainsAny(display, "\"\\") || strings.ContainsFunc(display, unicode.IsControl) {
		return &OptionError{Option: option, Value: display, Allow: "up to 64 characters without quotes, backslashes or control characters"}
	}
	return nil
}

// validNumber accepts + (optional) and 1 to 20 digits.
func validNumber(n string) bool {
	d := strings.TrimPrefix(n, "+")
	if d == "" || len(d) > 20 {
		return false
	}
	for _, r := range d {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isToken reports whether s is an RFC 3261 token.
func isToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-.!%*_+`'~", r):
		default:
			return false
		}
	}
	return true
}

// identityValue is a P-Preferred-Identity / P-Asserted-Identity value:
// "display" <sip:number@domain>, or <sip:number@domain> without a name.
func identityValue(display, number, domain string) string {
	u := "<sip:" + number + "@" + domain + ">"
	if display == "" {
		return u
	}
	return `"` + display + `" ` + u
}

// Identity is an identity the network asserts for the far end of a call
// (P-Asserted-Identity, RFC 3325).
type Identity struct {
	Name   string // display name; may be empty
	URI    string // sip:, sips: or tel: URI
	Number string // the user part of a sip: URI, or the tel: number
}

// parseIdentity reads the first name-addr of a P-Asserted-Identity or
// P-Preferred-Identity value. Only sip:, sips: and tel: URIs are taken;
// display names with quotes inside, backslashes or control characters are
// refused, so the result can be written back into a header as is.
func parseIdentity(v string) (Identity, bool) {
	if len(v) > 512 || strings.ContainsFunc(v, unicode.IsControl) {
		return Identity{}, false
	}
	first := splitFirst(v)
	var id Identity
	lt := strings.IndexByte(first, '<')
	if lt < 0 || !strings.HasSuffix(strings.TrimSpace(first), ">") {
		return Identity{}, false
	}
	name := strings.TrimSpace(first[:lt])
	if strings.HasPrefix(name, `"`) {
		if len(name) < 2 || !strings.HasSuffix(name, `"`) {
			return Identity{}, false
		}
		name = name[1 : len(name)-1]
	}
	if strings.ContainsAny(name, "\"\\<>") {
		return Identity{}, false
	}
	id.Name = strings.TrimSpace(name)
	raw := strings.TrimSpace(first[lt+1 : len(strings.TrimSpace(first))-1])
	if strings.ContainsAny(raw, "<>\" ,") {
		return Identity{}, false
	}
	lower := strings.ToLower(raw)
	switch {
	case strings.HasPrefix(lower, "tel:"):
		num := raw[4:]
		if i := strings.IndexByte(num, ';'); i >= 0 {
			num = num[:i]
		}
		if !validNumber(num) {
			return Identity{}, false
		}
		id.URI, id.Number = raw, num
	case strings.HasPrefix(lower, "sip:"), strings.HasPrefix(lower, "sips:"):
		var u sip.Uri
		if sip.ParseUri(raw, &u) != nil || u.Host == "" || u.User == "" || len(u.Headers) > 0 {
			return Identity{}, false
		}
		id.URI, id.Number = raw, u.User
	default:
		return Identity{}, false
	}
	return id, true
}

// value writes the identity back as a header value.
func (id Identity) value() string {
	if id.Name == "" {
		return "<" + id.URI + ">"
	}
	return `"` + id.Name + `" <` + id.URI + ">"
}

// hvalueEscape escapes an embedded URI header value (RFC 3261 hvalue):
// letters, digits and - _ . ! ~ * ' ( ) stay, everything else becomes %XX
// (+ too: some parsers read it as a space).
func hvalueEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9',
			strings.IndexByte("-_.!~*'()", ch) >= 0:
			b.WriteByte(ch)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[ch>>4])
			b.WriteByte(hex[ch&15])
		}
	}
	return b.String()
}
