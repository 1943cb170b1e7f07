package app

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/softphone"
)

// kamailioNumber makes the Kamailio of the test scripts route calls to
// number to user (its htable "numbers", over the control socket beside the
// ctl script), until the test ends.
func kamailioNumber(t *testing.T, ctl, number, user string) {
	t.Helper()
	if ctl == "" {
		testenv.Missing(t, "Kamailio control ($RINGSIDE_TEST_KAMAILIO_CTL)")
	}
	kamcmd, err := exec.LookPath("kamcmd")
	if err != nil {
		testenv.Missing(t, "kamcmd (Debian package kamailio)")
	}
	sock := "unix:" + filepath.Join(filepath.Dir(ctl), "kamailio_ctl")
	if out, err := exec.Command(kamcmd, "-s", sock, "htable.sets", "numbers", "s:"+number, "s:"+user).CombinedOutput(); err != nil {
		t.Fatalf("kamcmd htable.sets numbers %s %s: %v\n%s", number, user, err, out)
	}
	t.Cleanup(func() { _ = exec.Command(kamcmd, "-s", sock, "htable.delete", "numbers", "s:"+number).Run() })
}

// The caller ID rule end to end: the agent (bob, a Ringside App) calls
// carol and transfers alice's call to carol through the real Kamailio;
// carol sees the number the proxy asserts (P-Asserted-Identity).
func TestCallerIDThroughKamailio(t *testing.T) {
	env := kamailioEnv(t)
	ctx := context.Background()
	a, _ := openTest(t)
	t.Cleanup(func() { a.StopPhone(context.Background()) })
	bob := env.Users[1]
	pw := bob.Password
	if _, err := a.SetAccount(ctx, Account{Server: env.WS + "/ws", User: bob.Name, Domain: env.Domain, DisplayName: "Bob Agent"}, &pw); err != nil {
		t.Fatal(err)
	}
	// The admin's provisioning gives the user numbers in two countries.
	doc := filepath.Join(t.TempDir(), "prov.json")
	if err := os.WriteFile(doc, []byte(`{"profile.numbers": ["+442079460000", "+15551230000"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Provision(ctx, doc); err != nil {
		t.Fatal(err)
	}
	setPrefs(t, a, "call.outbound_number", "+442079460000", "call.dynamic_caller_id", "off")
	startAgent(t, a)
	alice := newPeer(t, env, 0, nil)
	carol := newPeer(t, env, 2, softphone.CallHandlerFunc(func(context.Context, *softphone.Call) softphone.Plan {
		return softphone.Ring(0, nil)
	}))
	aliceURI := "sip:" + env.Users[0].Name + "@" + env.Domain
	bobURI := "sip:" + bob.Name + "@" + env.Domain
	carolURI := "sip:" + env.Users[2].Name + "@" + env.Domain
	// Numbers in the US and in London that reach carol.
	kamailioNumber(t, env.Ctl, "+12125550142", env.Users[2].Name)
	kamailioNumber(t, env.Ctl, "+442071234567", env.Users[2].Name)

	// call dials target from the app and returns what carol is offered.
	call := func(t *testing.T, target, want string) {
		t.Helper()
		until(t, "no calls at the agent", func() bool { return len(a.Calls()) == 0 })
		h0, _ := a.History(ctx, HistoryQuery{})
		lc, err := a.Call(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		in := carol.incoming()
		id, ok := in.AssertedIdentity()
		if !ok || id.Number != want || id.Name != "Bob Agent" {
			t.Errorf("carol sees asserted %+v %v, want \"Bob Agent\" %s", id, ok, want)
		}
		if in.Remote() != bobURI || in.RemoteName() != "Bob Agent" {
			t.Errorf("carol sees From %q %s, want \"Bob Agent\" %s", in.RemoteName(), in.Remote(), bobURI)
		}
		if lc.CallerID != want {
			t.Errorf("LiveCall.CallerID = %q, want %s", lc.CallerID, want)
		}
		if _, err := a.Hangup(ctx, lc.ID); err != nil {
			t.Fatal(err)
		}
		h := lastHistory(t, a, len(h0)+1)
		if h[0].Direction != "outgoing" || h[0].CallerID != want {
			t.Errorf("history: %+v, want caller ID %s", h[0], want)
		}
	}

	t.Run("outbound number", func(t *testing.T) {
		call(t, carolURI, "+442079460000")
		call(t, "+12125550142", "+442079460000") // dynamic caller ID off
	})

	t.Run("dynamic caller ID", func(t *testing.T) {
		setPrefs(t, a, "call.dynamic_caller_id", "on")
		call(t, "+12125550142", "+15551230000")
		call(t, "+442071234567", "+442079460000")
		call(t, carolURI, "+442079460000") // not a number: the outbound number
		setPrefs(t, a, "call.dynamic_caller_id", "off")
	})

	// alice calls the agent with her own caller ID, the agent answers and
	// blind-transfers her to carol.
	transfer := func(t *testing.T, mode string) *softphone.Call {
		t.Helper()
		until(t, "no calls at the agent", func() bool { return len(a.Calls()) == 0 })
		setPrefs(t, a, "call.blind_transfer_caller_id", mode)
		if err := a.SetStatus(ctx, status.Available, status.ReasonCLI); err != nil {
			t.Fatal(err)
		}
		h0 := lastHistory(t, a, 0)
		res := make(chan error, 1)
		go func() {
			_, err := alice.Dial(ctx, bobURI, softphone.Media{}, softphone.WithCallerID("Alice Caller", "+33142685300"))
			res <- err
		}()
		// What the proxy asserted.
		id := answerRinging(t, a, "alice", func(c LiveCall) bool { return c.CallerID == "+33142685300" })
		if err := waitErr(t, res); err != nil {
			t.Fatal(err)
		}
		if err := a.Transfer(ctx, id, carolURI); err != nil {
			t.Fatal(err)
		}
		in := carol.incoming()
		if in.Remote() != aliceURI {
			t.Errorf("carol sees From %s, want %s", in.Remote(), aliceURI)
		}
		actx, cancel := context.WithTimeout(ctx, phoneWait)
		defer cancel()
		if err := in.Answer(actx, softphone.Media{}); err != nil {
			t.Fatal(err)
		}
		until(t, "the agent's call transferred", func() bool { return len(a.Calls()) == 0 })
		// The call leaves the list before its history entry is written.
		h := lastHistory(t, a, len(h0)+1)
		if e := h[0]; e.Direction != "incoming" || e.CallerID != "+33142685300" {
			t.Errorf("history of alice's call: %+v, want caller ID +33142685300", e)
		}
		return in
	}
	hangupAll := func(t *testing.T) {
		hctx, cancel := context.WithTimeout(ctx, phoneWait)
		defer cancel()
		for _, c := range alice.Calls() {
			_ = c.Hangup(hctx)
		}
		until(t, "carol's calls ended", func() bool { return len(carol.Calls()) == 0 })
	}

	t.Run("blind transfer, local caller ID", func(t *testing.T) {
		in := transfer(t, "local")
		if id, ok := in.AssertedIdentity(); !ok || id.Number != "+442079460000" || id.Name != "Bob Agent" {
			t.Errorf("carol sees asserted %+v %v, want the agent's \"Bob Agent\" +442079460000", id, ok)
		}
		hangupAll(t)
	})

	t.Run("blind transfer, remote caller ID", func(t *testing.T) {
		in := transfer(t, "remote")
		if id, ok := in.AssertedIdentity(); !ok || id.Number != "+33142685300" || id.Name != "Alice Caller" {
			t.Errorf("carol sees asserted %+v %v, want alice's \"Alice Caller\" +33142685300", id, ok)
		}
		hangupAll(t)
	})
}
