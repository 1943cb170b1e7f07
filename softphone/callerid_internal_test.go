package softphone

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/softphone/softphonetest"
)

func TestParseIdentity(t *testing.T) {
	for _, tc := range []struct {
		in     string
		ok     bool
		name   string
		uri    string
		number string
	}{
		{`"Sales" <sip:+442079460000@ringside.test>`, true, "Sales", "sip:+442079460000@ringside.test", "+442079460000"},
		{`<sip:+15551230000@ringside.test;user=phone>`, true, "", "sip:+15551230000@ringside.test;user=phone", "+15551230000"},
		{`Ann <tel:+15551230000>, <sip:+15551230000@x>`, true, "Ann", "tel:+15551230000", "+15551230000"},
		{`"Ann Lee" <sips:ann@x>`, true, "Ann Lee", "sips:ann@x", "ann"},
		{`sip:+4420@x`, false, "", "", ""},               // not a name-addr
		{`<http://x>`, false, "", "", ""},                // not sip/tel
		{`<tel:abc>`, false, "", "", ""},                 // not a number
		{`"a\"b" <sip:1@x>`, false, "", "", ""},          // escaped quote
		{"\"a\r\nVia: x\" <sip:1@x>", false, "", "", ""}, // line break
		{`<sip:1@x?Route=%3Csip:evil%3E>`, false, "", "", ""},
		{`"unterminated <sip:1@x>`, false, "", "", ""},
		{``, false, "", "", ""},
	} {
		id, ok := parseIdentity(tc.in)
		if ok != tc.ok || id.Name != tc.name || id.URI != tc.uri || id.Number != tc.number {
			t.Errorf("parseIdentity(%q) = %+v %v, want %q %q %q %v", tc.in, id, ok, tc.name, tc.uri, tc.number, tc.ok)
		}
	}
}

func TestReferIdentity(t *testing.T) {
	ppi := identityValue("Agent Smith", "+442079460000", "ringside.test")
	referTo := "<sip:carol@ringside.test?P-Preferred-Identity=" + hvalueEscape(ppi) + ">"
	if strings.ContainsAny(referTo[1:len(referTo)-1], `"<> +`) {
		t.Fatalf("Refer-To not escaped: %s", referTo)
	}
	target, rep, err := referTarget(referTo)
	if err != nil || target != "sip:carol@ringside.test" || rep != "" {
		t.Fatalf("referTarget: %q %q %v", target, rep, err)
	}
	id, ok := referIdentity(referTo)
	if !ok || id.Name != "Agent Smith" || id.Number != "+442079460000" || id.value() != ppi {
		t.Fatalf("referIdentity: %+v %v, want %s", id, ok, ppi)
	}
	for _, v := range []string{
		"<sip:carol@x>",
		"<sip:carol@x?Replaces=a%3Bto-tag%3D1%3Bfrom-tag%3D2>",
		"<sip:carol@x?P-Preferred-Identity=%ZZ>",
		"<sip:carol@x?P-Preferred-Identity=%22a%22%20%3Csip%3A1%40x%3E%0D%0AVia%3A%20y>",
	} {
		if id, ok := referIdentity(v); ok {
			t.Errorf("referIdentity(%q) = %+v, want none", v, id)
		}
	}
	// P-Asserted-Identity embedded is taken too (sent on as preferred).
	if id, ok := referIdentity("<sip:c@x?P-Asserted-Identity=%3Ctel%3A%2B15551230000%3E>"); !ok || id.Number != "+15551230000" {
		t.Errorf("embedded P-Asserted-Identity: %+v %v", id, ok)
	}
}

func TestDialConfigHeaders(t *testing.T) {
	var d dialConfig
	for _, o := range []DialOption{WithCallerID("Sales", "+442079460000"), WithHeader("X-Campaign", " spring ")} {
		if err := o(&d); err != nil {
			t.Fatal(err)
		}
	}
	hs := d.extraHeaders("Sales", "ringside.test")
	var got []string
	for _, h := range hs {
		got = append(got, h.Name()+": "+h.Value())
	}
	want := []string{`P-Preferred-Identity: "Sales" <sip:+442079460000@ringside.test>`, "X-Campaign: spring"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("headers %q, want %q", got, want)
	}
	if hs := (dialConfig{number: "+15551230000"}).extraHeaders("", "d"); len(hs) != 1 || hs[0].Value() != "<sip:+15551230000@d>" {
		t.Fatalf("without display: %v", hs)
	}
	if hs := (dialConfig{}).extraHeaders("x", "d"); len(hs) != 0 {
		t.Fatalf("no options: %v", hs)
	}
}

func FuzzIdentity(f *testing.F) {
	f.Add(`"Sales" <sip:+442079460000@ringside.test>`)
	f.Add(`<tel:+15551230000>`)
	f.Add("<sip:c@x?P-Preferred-Identity=%22A%22%20%3Csip%3A%2B1%40x%3E>")
	f.Fuzz(func(t *testing.T, v string) {
		if id, ok := parseIdentity(v); ok {
			// What we accept we can write back as one header value that
			// reads the same.
			out := id.value()
			if strings.ContainsAny(out, "\r\n") {
				t.Fatalf("identity %q written as %q", v, out)
			}
			id2, ok2 := parseIdentity(out)
			if !ok2 || id2 != id {
				t.Fatalf("round trip %q -> %q: %+v %v, was %+v", v, out, id2, ok2, id)
			}
		}
		if id, ok := referIdentity(v); ok && strings.ContainsAny(id.value(), "\r\n") {
			t.Fatalf("referIdentity(%q) gave a line break", v)
		}
		esc := hvalueEscape(v)
		if strings.ContainsAny(esc, "\"<>?&=;, \r\n+") {
			t.Fatalf("hvalueEscape(%q) = %q", v, esc)
		}
	})
}

// The proxy (deploy/kamailio) never passes on a P-Asserted-Identity that a
// phone wrote itself: only the one it makes from P-Preferred-Identity.
// WithHeader refuses the header, so the test puts it in by hand.
func TestKamailioStripsClientAssertedIdentity(t *testing.T) {
	testenv.Env(t, "RINGSIDE_TEST_KAMAILIO_WS", "Kamailio (scripts/services/40-kamailio.sh)")
	env, ok := softphonetest.FromEnv()
	if !ok {
		testenv.Missing(t, "Kamailio test users ($RINGSIDE_TEST_SIP_USERS)")
	}
	env = env.Group(1)
	offered := make(chan *Call, 4)
	start := func(u softphonetest.User, h CallHandler) *Phone {
		p, err := New(Account{Server: env.WS + "/ws", User: u.Name, Domain: env.Domain, Password: u.Password},
			WithLoopbackICE(), WithLevelInterval(0), WithCallHandler(h))
		if err != nil {
			t.Fatal(err)
		}
		registered := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			once := false
			for e := range p.Events() {
				if r, ok := e.(RegistrationEvent); ok && r.State == RegRegistered && !once {
					once = true
					close(registered)
				}
			}
		}()
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_ = p.Close(ctx)
			<-done
		})
		select {
		case <-registered:
		case <-time.After(20 * time.Second):
			t.Fatalf("%s did not register", u.Name)
		}
		return p
	}
	start(env.Users[1], CallHandlerFunc(func(_ context.Context, c *Call) Plan {
		offered <- c
		return Reject(486)
	}))
	alice := start(env.Users[0], nil)
	forged := sip.NewHeader("P-Asserted-Identity", `"Bank" <sip:+19995550000@`+env.Domain+`>`)
	for _, tc := range []struct {
		name string
		dc   dialConfig
		want string
	}{
		{"forged only", dialConfig{headers: []sip.Header{forged}}, ""},
		{"forged and preferred", dialConfig{number: "+442079460000", headers: []sip.Header{forged}}, "+442079460000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err := alice.dial(ctx, env.Users[1].Name, Media{}, "", "", tc.dc)
			var se *StatusError
			if !errors.As(err, &se) || se.Code != 486 {
				t.Fatalf("dial: %v, want 486", err)
			}
			var c *Call
			select {
			case c = <-offered:
			case <-ctx.Done():
				t.Fatal("no call offered")
			}
			id, ok := c.AssertedIdentity()
			if tc.want == "" && ok {
				t.Errorf("the callee sees asserted %+v, want none", id)
			}
			if tc.want != "" && (!ok || id.Number != tc.want) {
				t.Errorf("the callee sees asserted %+v %v, want %s", id, ok, tc.want)
			}
			c.mu.Lock()
			n := len(c.invite.GetHeaders("P-Asserted-Identity"))
			c.mu.Unlock()
			if n > 1 || strings.Contains(c.Header("P-Asserted-Identity"), "+19995550000") {
				t.Errorf("%d P-Asserted-Identity headers reached the callee: %s", n, c.Header("P-Asserted-Identity"))
			}
		})
	}
}
