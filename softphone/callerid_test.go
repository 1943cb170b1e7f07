package softphone_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// Dial refuses options it cannot send before anything goes out; no server
// is needed for that.
func TestDialOptionRefusals(t *testing.T) {
	p, err := softphone.New(softphone.Account{Server: "ws://127.0.0.1:1/ws", User: "judy", Password: "x"},
		softphone.WithReconnectBackoff(time.Hour, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		_ = p.Close(ctx)
	})
	for _, tc := range []struct {
		name string
		opt  softphone.DialOption
	}{
		{"Via", softphone.WithHeader("Via", "SIP/2.0/WS x")},
		{"from any case", softphone.WithHeader("fRoM", "<sip:x@y>")},
		{"compact To", softphone.WithHeader("t", "<sip:x@y>")},
		{"Call-ID", softphone.WithHeader("Call-ID", "x")},
		{"CSeq", softphone.WithHeader("CSeq", "1 INVITE")},
		{"Contact", softphone.WithHeader("Contact", "<sip:x@y>")},
		{"asserted identity", softphone.WithHeader("P-Asserted-Identity", "<sip:+1555@y>")},
		{"name with colon", softphone.WithHeader("X-A:", "v")},
		{"name with space", softphone.WithHeader("X A", "v")},
		{"empty name", softphone.WithHeader("", "v")},
		{"CRLF in value", softphone.WithHeader("X-A", "v\r\nVia: SIP/2.0/WS evil")},
		{"LF in value", softphone.WithHeader("X-A", "v\nx")},
		{"NUL in value", softphone.WithHeader("X-A", "v\x00")},
		{"number with letters", softphone.WithCallerID("Sales", "+44abc")},
		{"number too long", softphone.WithCallerID("Sales", "+123456789012345678901")},
		{"display with quote", softphone.WithCallerID(`Sa"les`, "+442079460000")},
		{"display with line break", softphone.WithCallerID("Sales\r\nVia: x", "+442079460000")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			c, err := p.Dial(ctx, "bob", softphone.Media{}, tc.opt)
			var oe *softphone.OptionError
			if c != nil || !errors.Is(err, softphone.ErrBadOption) || !errors.As(err, &oe) || oe.Allow == "" {
				t.Fatalf("Dial: %v %v, want an *OptionError", c, err)
			}
		})
	}
	if len(p.Calls()) != 0 {
		t.Fatalf("a refused Dial left calls: %d", len(p.Calls()))
	}
}

// alice calls bob with an outbound number: bob sees it asserted by the
// proxy, with alice's own address as From.
func TestCallerIDThroughKamailio(t *testing.T) {
	env := kamailio(t)
	bob := newPhone(t, env, 1, answerWith(func() softphone.Media { return softphone.Media{} }))
	alice := newPhone(t, env, 0, nil)
	alice.registered()
	bob.registered()
	aliceURI := "sip:" + env.Users[0].Name + "@" + env.Domain

	cases := []struct {
		name     string
		opts     []softphone.DialOption
		wantName string
		want     string // asserted number; "" for none
	}{
		{"outbound number", []softphone.DialOption{softphone.WithCallerID("Sales Desk", "+442079460000"), softphone.WithHeader("X-Campaign", "spring")}, "Sales Desk", "+442079460000"},
		{"no caller ID", nil, "", ""},
		{"not E.164: not asserted", []softphone.DialOption{softphone.WithCallerID("Ext", "2001")}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			call, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{}, tc.opts...)
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			in := bob.incoming()
			id, ok := in.AssertedIdentity()
			switch {
			case tc.want == "" && ok:
				t.Errorf("bob sees asserted %+v, want none", id)
			case tc.want != "" && (!ok || id.Number != tc.want || id.Name != tc.wantName):
				t.Errorf("bob sees asserted %+v %v, want %q %q", id, ok, tc.wantName, tc.want)
			}
			if in.Remote() != aliceURI {
				t.Errorf("bob sees From %s, want %s", in.Remote(), aliceURI)
			}
			if tc.wantName != "" && in.RemoteName() != tc.wantName {
				t.Errorf("bob sees From display %q, want %q", in.RemoteName(), tc.wantName)
			}
			if in.Header("P-Preferred-Identity") != "" {
				t.Errorf("the proxy passed P-Preferred-Identity on: %s", in.Header("P-Preferred-Identity"))
			}
			if tc.name == "outbound number" && in.Header("X-Campaign") != "spring" {
				t.Errorf("X-Campaign = %q", in.Header("X-Campaign"))
			}
			_ = call.Hangup(ctxWait(t))
			alice.ended(call)
			bob.ended(in)
		})
	}
}

// alice talks to bob and transfers him to carol: with a transfer caller ID
// carol sees alice's number asserted, else bob's own identity.
func TestTransferCallerIDThroughKamailio(t *testing.T) {
	env := kamailio(t)
	bob := newPhone(t, env, 1, answerWith(func() softphone.Media { return softphone.Media{} }))
	carol := newPhone(t, env, 2, answerWith(func() softphone.Media { return softphone.Media{} }))
	alice := newPhone(t, env, 0, nil)
	alice.registered()
	bob.registered()
	carol.registered()
	bobURI := "sip:" + env.Users[1].Name + "@" + env.Domain

	for _, tc := range []struct {
		name string
		opts []softphone.TransferOption
		want string
	}{
		{"local: the agent's number", []softphone.TransferOption{softphone.WithTransferCallerID("Agent Alice", "+15551230000")}, "+15551230000"},
		{"remote: the caller's own", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			call, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			bobCall := bob.incoming()
			if err := call.Transfer(ctxWait(t), env.Users[2].Name, tc.opts...); err != nil {
				t.Fatalf("Transfer: %v", err)
			}
			in := carol.incoming()
			if in.Remote() != bobURI {
				t.Errorf("carol sees From %s, want %s", in.Remote(), bobURI)
			}
			id, ok := in.AssertedIdentity()
			if tc.want == "" && ok {
				t.Errorf("carol sees asserted %+v, want none", id)
			}
			if tc.want != "" && (!ok || id.Number != tc.want || id.Name != "Agent Alice") {
				t.Errorf("carol sees asserted %+v %v, want %s", id, ok, tc.want)
			}
			alice.next("transfer done", func(e softphone.Event) bool {
				x, ok := e.(softphone.TransferEvent)
				return ok && x.Done && x.Call == call
			})
			alice.ended(call)
			bob.ended(bobCall)
			_ = in.Hangup(ctxWait(t))
			carol.ended(in)
			bob.ended(nil)
		})
	}
}
