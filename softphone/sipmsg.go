package softphone

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/emiago/sipgo/sip"
)

const allowMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, INFO"

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n]
}

func newBranch() string { return "z9hG4bK" + randomToken(16) }

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// reqSpec describes a request to build.
type reqSpec struct {
	method      sip.RequestMethod
	ruri        sip.Uri
	from        *sip.FromHeader
	to          *sip.ToHeader
	callID      string
	cseq        uint32
	branch      string
	routes      []string // Route header values, in order
	contact     *sip.ContactHeader
	body        []byte
	contentType string
	extra       []sip.Header
}

// build makes the request for the connection c.
func (p *Phone) build(c *conn, s reqSpec) *sip.Request {
	req := sip.NewRequest(s.method, s.ruri)
	transport := "WS"
	if p.srv.Scheme == "wss" {
		transport = "WSS"
	}
	host := "invalid.invalid"
	if c != nil {
		host = c.host
	}
	via := &sip.ViaHeader{ProtocolName: "SIP", ProtocolVersion: "2.0", Transport: transport, Host: host, Params: sip.NewParams()}
	via.Params.Add("branch", s.branch)
	req.AppendHeader(via)
	for _, r := range s.routes {
		req.AppendHeader(sip.NewHeader("Route", r))
	}
	mf := sip.MaxForwardsHeader(70)
	req.AppendHeader(&mf)
	req.AppendHeader(s.from)
	req.AppendHeader(s.to)
	cid := sip.CallIDHeader(s.callID)
	req.AppendHeader(&cid)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: s.cseq, MethodName: s.method})
	if s.contact != nil {
		req.AppendHeader(s.contact)
	}
	for _, h := range s.extra {
		req.AppendHeader(h)
	}
	if s.method != sip.ACK && s.method != sip.CANCEL {
		req.AppendHeader(sip.NewHeader("Allow", allowMethods))
		req.AppendHeader(sip.NewHeader("User-Agent", p.cfg.userAgent))
	}
	if len(s.body) > 0 {
		req.AppendHeader(sip.NewHeader("Content-Type", s.contentType))
	}
	req.SetBody(s.body)
	return req
}

// contactHeader is our Contact in dialogs: the public GRUU the registrar
// gave us (RFC 5627), which reaches this phone on whatever connection it has
// now, or else the Contact we registered.
func (p *Phone) contactHeader(c *conn) *sip.ContactHeader {
	p.mu.Lock()
	gruu := p.gruu
	p.mu.Unlock()
	if gruu != nil {
		return &sip.ContactHeader{Address: *gruu.Clone(), Params: sip.NewParams()}
	}
	return p.regContact(c)
}

// regContact is the Contact we register: a made-up host with transport=ws
// (RFC 7118 section 5.2) and the RFC 5626 instance; REGISTER adds reg-id.
func (p *Phone) regContact(c *conn) *sip.ContactHeader {
	host := "invalid.invalid"
	if c != nil {
		host = c.host
	}
	u := sip.Uri{Scheme: "sip", User: p.acct.User, Host: host, UriParams: sip.NewParams()}
	u.UriParams.Add("transport", "ws")
	u.UriParams.Add("ob", "")
	h := &sip.ContactHeader{Address: u, Params: sip.NewParams()}
	h.Params.Add("+sip.instance", `"<`+p.instance+`>"`)
	return h
}

// aor is our address of record.
func (p *Phone) aor() sip.Uri {
	return sip.Uri{Scheme: "sip", User: p.acct.User, Host: p.domain}
}

func (p *Phone) fromHeader(tag string) *sip.FromHeader {
	h := &sip.FromHeader{DisplayName: p.acct.DisplayName, Address: p.aor(), Params: sip.NewParams()}
	h.Params.Add("tag", tag)
	return h
}

// parseTarget turns what the user dialled into a SIP URI: a full sip: or
// sips: URI, a tel: URI or number, or a bare user (user@domain is added).
func (p *Phone) parseTarget(target string) (sip.Uri, error) {
	t := strings.TrimSpace(target)
	t = strings.TrimPrefix(strings.TrimSuffix(t, ">"), "<")
	var u sip.Uri
	switch {
	case t == "":
		return u, &ConfigError{Field: "call target", Value: target, Allow: "a SIP URI (sip:user@domain), a tel: number or a user name"}
	case strings.HasPrefix(strings.ToLower(t), "tel:"):
		num := strings.Map(func(r rune) rune {
			if r == '-' || r == '.' || r == ' ' || r == '(' || r == ')' {
				return -1
			}
			return r
		}, t[4:])
		if i := strings.IndexByte(num, ';'); i >= 0 {
			num = num[:i]
		}
		t = "sip:" + num + "@" + p.domain
	case !strings.Contains(t, ":"):
		if !strings.Contains(t, "@") {
			t += "@" + p.domain
		}
		t = "sip:" + t
	}
	if err := sip.ParseUri(t, &u); err != nil || (u.Scheme != "sip" && u.Scheme != "sips") || u.Host == "" {
		return u, &ConfigError{Field: "call target", Value: target, Allow: "a SIP URI (sip:user@domain), a tel: number or a user name"}
	}
	return u, nil
}

// routeValues returns the Record-Route (or other) header values of msg as a
// list of single name-addr values.
func routeValues(hs []sip.Header) []string {
	var out []string
	for _, h := range hs {
		out = append(out, splitAddrList(h.Value())...)
	}
	return out
}

// splitAddrList splits "<a>, <b>" at the commas outside <> and quotes.
func splitAddrList(v string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			quoted = !quoted
		case '<':
			if !quoted {
				depth++
			}
		case '>':
			if !quoted && depth > 0 {
				depth--
			}
		case ',':
			if !quoted && depth == 0 {
				if s := strings.TrimSpace(v[start:i]); s != "" {
					out = append(out, s)
				}
				start = i + 1
			}
		}
	}
	if s := strings.TrimSpace(v[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// addrURI returns the URI inside a name-addr or addr-spec value.
func addrURI(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j > 0 {
			return v[i+1 : i+j]
		}
		return v[i+1:]
	}
	if i := strings.IndexByte(v, ';'); i >= 0 {
		return v[:i]
	}
	return v
}

// referTarget splits a Refer-To value into the URI to call and the Replaces
// value embedded in its headers (RFC 3891), if any.
func referTarget(v string) (target string, replaces string, err error) {
	u := addrURI(v)
	if u == "" {
		return "", "", fmt.Errorf("%w: empty Refer-To", ErrBadState)
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		for _, kv := range strings.Split(u[i+1:], "&") {
			k, val, _ := strings.Cut(kv, "=")
			if strings.EqualFold(k, "Replaces") {
				if r, err := url.QueryUnescape(val); err == nil {
					replaces = r
				}
			}
		}
		u = u[:i]
	}
	return u, replaces, nil
}

// referIdentity returns the identity embedded in a Refer-To URI's headers
// (?P-Preferred-Identity=... or ?P-Asserted-Identity=..., escaped), which
// the new INVITE should carry as P-Preferred-Identity.
func referIdentity(v string) (Identity, bool) {
	u := addrURI(v)
	i := strings.IndexByte(u, '?')
	if i < 0 {
		return Identity{}, false
	}
	for _, kv := range strings.Split(u[i+1:], "&") {
		k, val, _ := strings.Cut(kv, "=")
		if !strings.EqualFold(k, "P-Preferred-Identity") && !strings.EqualFold(k, "P-Asserted-Identity") {
			continue
		}
		raw, err := url.PathUnescape(val) // not QueryUnescape: + stays +
		if err != nil {
			return Identity{}, false
		}
		return parseIdentity(raw)
	}
	return Identity{}, false
}

// replacesParams parses "callid;to-tag=X;from-tag=Y".
func replacesParams(v string) (callID, toTag, fromTag string, ok bool) {
	parts := strings.Split(v, ";")
	callID = strings.TrimSpace(parts[0])
	for _, p := range parts[1:] {
		k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch strings.ToLower(k) {
		case "to-tag":
			toTag = val
		case "from-tag":
			fromTag = val
		}
	}
	return callID, toTag, fromTag, callID != "" && toTag != "" && fromTag != ""
}

// parseSipfrag reads the status code of a message/sipfrag body.
func parseSipfrag(body []byte) int {
	line, _, _ := strings.Cut(string(body), "\n")
	f := strings.Fields(line)
	if len(f) < 2 || !strings.HasPrefix(f[0], "SIP/") {
		return 0
	}
	code, err := strconv.Atoi(f[1])
	if err != nil || code < 100 || code > 699 {
		return 0
	}
	return code
}

func headerValue(m interface{ GetHeader(string) sip.Header }, name string) string {
	if h := m.GetHeader(name); h != nil {
		return h.Value()
	}
	return ""
}
