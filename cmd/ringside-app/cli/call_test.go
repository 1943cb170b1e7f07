package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/instance"
	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

func TestCallVerbsNeedTheRunningApp(t *testing.T) {
	r := newRunner(t)
	for _, args := range [][]string{{"call", "sip:bob@pbx"}, {"call"}, {"hangup"}, {"hangup", "x"}} {
		code, _, errs := r.run("", args...)
		if code != ExitRefused || !strings.Contains(errs, "ringside "+args[0]+" needs the running app: start ringside first") {
			t.Errorf("%v: %d %q", args, code, errs)
		}
	}
}

func TestCallVerbsInAppWithoutPhone(t *testing.T) {
	r := newRunner(t)
	a, err := app.Open(context.Background(), r.home, app.WithKeyring(r.kr))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var out, errb strings.Builder
	e := &Env{App: a, Stdout: &out, Stderr: &errb, InApp: true}
	if code := Exec(context.Background(), e, []string{"call", "1002"}); code != ExitRefused || !strings.Contains(errb.String(), "softphone is not running") {
		t.Fatalf("call: %d %q", code, errb.String())
	}
	out.Reset()
	if code := Exec(context.Background(), e, []string{"call"}); code != ExitOK || out.String() != "no current calls\n" {
		t.Fatalf("call list: %d %q", code, out.String())
	}
	errb.Reset()
	if code := Exec(context.Background(), e, []string{"hangup", "a", "b"}); code != ExitUsage {
		t.Fatalf("hangup a b: %d %q", code, errb.String())
	}
}

func TestHistoryCommand(t *testing.T) {
	r := newRunner(t)
	code, out, _ := r.run("", "history")
	if code != 0 || out != "no calls yet\n" {
		t.Fatalf("empty: %d %q", code, out)
	}
	a, err := app.Open(context.Background(), r.home, app.WithKeyring(r.kr))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for _, e := range []app.HistoryEntry{
		{CallID: "1", Direction: "incoming", Origin: "direct", Peer: "sip:bob@pbx", PeerName: "Bob", Result: app.ResultAnswered, EndedBy: "remote", Start: t0, Ring: 2 * time.Second, Talk: 75 * time.Second},
		{CallID: "2", Direction: "incoming", Origin: "queue", Peer: "sip:+1555@pbx", Result: app.ResultMissed, EndedBy: "system", Target: "sip:*97@pbx", Start: t0.Add(time.Minute), Ring: 20 * time.Second, Missed: true},
	} {
		if _, err := a.RecordCall(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	code, out, _ = r.run("", "history")
	if code != 0 || !strings.Contains(out, "Bob <sip:bob@pbx>") || !strings.Contains(out, "missed -> sip:*97@pbx") || !strings.Contains(out, "1:15") {
		t.Fatalf("table: %d\n%s", code, out)
	}
	code, out, _ = r.run("", "history", "--missed", "--format", "json")
	var got []app.HistoryEntry
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got) != 1 || got[0].CallID != "2" {
		t.Fatalf("json: %d %s", code, out)
	}
	if code, _, errs := r.run("", "history", "--format", "xml"); code != ExitUsage || !strings.Contains(errs, "use table or json") {
		t.Fatalf("bad format: %d %q", code, errs)
	}
}

func TestSMTPCommand(t *testing.T) {
	r := newRunner(t)
	if code, _, errs := r.run("", "smtp", "show"); code != ExitRefused || !strings.Contains(errs, "no SMTP account") {
		t.Fatalf("show before set: %d %q", code, errs)
	}
	code, out, errs := r.run("Smtp-Secret-1\n", "smtp", "set", "--host", "smtp.example.com", "--port", "587", "--user", "ada@example.com", "--password-stdin")
	if code != 0 || !strings.Contains(out, "smtp.example.com:587 (starttls) saved") {
		t.Fatalf("set: %d %q %q", code, out, errs)
	}
	if r.kr.m["smtp:ada@example.com@smtp.example.com"] != "Smtp-Secret-1" {
		t.Fatalf("keyring: %v", r.kr.m)
	}
	code, out, _ = r.run("", "smtp", "show")
	if code != 0 || !strings.Contains(out, "set (in the OS keyring)") || strings.Contains(out, "Smtp-Secret-1") {
		t.Fatalf("show: %d %q", code, out)
	}
	if code, _, errs := r.run("", "smtp", "set", "--tls", "ssl"); code != ExitRefused || !strings.Contains(errs, "starttls, tls or none") {
		t.Fatalf("bad tls: %d %q", code, errs)
	}
	if code, _, errs := r.run("", "smtp", "set", "secret"); code != ExitUsage || !strings.Contains(errs, "passwords are never arguments") {
		t.Fatalf("password argument: %d %q", code, errs)
	}
}

// TestCallAndHangupInRunningApp places and ends a call with `ringside call`
// and `ringside hangup` sent over the instance socket to an app whose
// softphone is registered at the real Kamailio; carol's softphone rings.
func TestCallAndHangupInRunningApp(t *testing.T) {
	testenv.Env(t, "RINGSIDE_TEST_KAMAILIO_WS", "Kamailio (scripts/services/40-kamailio.sh)")
	env, ok := softphonetest.FromEnv()
	if !ok {
		testenv.Missing(t, "Kamailio test users ($RINGSIDE_TEST_SIP_USERS)")
	}
	ctx := context.Background()
	r := newRunner(t)
	bob := env.Users[1]
	if code, _, errs := r.run(bob.Password+"\n", "account", "set", "--server", env.WS+"/ws", "--user", bob.Name, "--domain", env.Domain, "--password-stdin"); code != 0 {
		t.Fatalf("account set: %s", errs)
	}
	a, err := app.Open(ctx, r.home, app.WithKeyring(r.kr))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.StartPhone(ctx, app.WithSoftphoneOptions(softphone.WithLoopbackICE(), softphone.WithLevelInterval(0))); err != nil {
		t.Fatal(err)
	}
	srv, err := instance.Listen(r.home, Handler(a, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	carol := env.Users[2]
	rang := make(chan *softphone.Call, 1)
	cp, err := softphone.New(softphone.Account{Server: env.WS + "/ws", User: carol.Name, Domain: env.Domain, Password: carol.Password},
		softphone.WithLoopbackICE(), softphone.WithLevelInterval(0),
		softphone.WithCallHandler(softphone.CallHandlerFunc(func(_ context.Context, c *softphone.Call) softphone.Plan {
			rang <- c
			return softphone.Ring(0, nil)
		})))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for range cp.Events() {
		}
	}()
	defer cp.Close(ctx)
	deadline := time.Now().Add(20 * time.Second)
	for !a.Registered() || cp.Registration().State != softphone.RegRegistered {
		if time.Now().After(deadline) {
			t.Fatalf("not registered: %s", a.RegistrationState())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, out, _ := r.run("", "account", "show"); code != 0 || !strings.Contains(out, "registered as "+bob.Name+"@"+env.Domain) {
		t.Fatalf("account show: %s", out)
	}
	target := "sip:" + carol.Name + "@" + env.Domain
	code, out, errs := r.run("", "call", target)
	if code != 0 || !strings.Contains(out, "calling "+target+": alerting (call ") {
		t.Fatalf("call: %d %q %q", code, out, errs)
	}
	select {
	case <-rang:
	case <-time.After(20 * time.Second):
		t.Fatal("carol's phone did not ring")
	}
	if code, out, _ := r.run("", "call"); code != 0 || !strings.Contains(out, target) || !strings.Contains(out, "alerting") {
		t.Fatalf("call list: %q", out)
	}
	if code, out, errs := r.run("", "hangup"); code != 0 || out != "1 call(s) ended\n" {
		t.Fatalf("hangup: %d %q %q", code, out, errs)
	}
	deadline = time.Now().Add(20 * time.Second)
	for {
		h, _ := a.History(ctx, app.HistoryQuery{})
		if len(h) == 1 && h[0].Result == app.ResultCancelled {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("history: %+v", h)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, out, _ := r.run("", "history", "--format", "json"); code != 0 || !strings.Contains(out, `"result": "cancelled"`) {
		t.Fatalf("history: %q", out)
	}
}
