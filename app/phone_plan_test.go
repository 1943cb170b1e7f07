package app

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/ringside/ringside/app/callpolicy"
	"github.com/ringside/ringside/softphone"
)

// TestCarryOut checks how policy plans become softphone plans, including the
// fallbacks while forwarding and local voicemail do not exist.
func TestCarryOut(t *testing.T) {
	a, _ := openTest(t)
	log := slog.New(slog.DiscardHandler)
	redirect := callpolicy.Plan{Action: callpolicy.Redirect, Target: "sip:carol@pbx"}
	busy := callpolicy.Plan{Action: callpolicy.Reject, Code: 486}
	vm := callpolicy.Plan{Action: callpolicy.LocalVoicemail}
	fw := callpolicy.Plan{Action: callpolicy.Forward, Forwarding: &callpolicy.Forwarding{Numbers: []string{"+442079460001"}}, Then: &redirect}
	tests := []struct {
		name string
		in   callpolicy.Plan
		want softphone.Plan
	}{
		{"offer then redirect", callpolicy.Plan{Action: callpolicy.Offer, RingFor: 20 * time.Second, Then: &redirect},
			softphone.Ring(20*time.Second, &softphone.Plan{Action: softphone.ActRedirect, Target: "sip:carol@pbx"})},
		{"offer then 486", callpolicy.Plan{Action: callpolicy.Offer, RingFor: 5 * time.Second, Then: &busy},
			softphone.Ring(5*time.Second, &softphone.Plan{Action: softphone.ActReject, Code: 486})},
		{"offer then local voicemail: 480", callpolicy.Plan{Action: callpolicy.Offer, RingFor: 5 * time.Second, Then: &vm},
			softphone.Ring(5*time.Second, &softphone.Plan{Action: softphone.ActReject, Code: 480})},
		{"offer then forwarding: its fallback", callpolicy.Plan{Action: callpolicy.Offer, RingFor: 15 * time.Second, Then: &fw},
			softphone.Ring(15*time.Second, &softphone.Plan{Action: softphone.ActRedirect, Target: "sip:carol@pbx"})},
		{"forward at once: its fallback", fw, softphone.Redirect("sip:carol@pbx")},
		{"forward without fallback: 480", callpolicy.Plan{Action: callpolicy.Forward}, softphone.Reject(480)},
		{"reject 480", callpolicy.Plan{Action: callpolicy.Reject, Code: 480}, softphone.Reject(480)},
		{"redirect", redirect, softphone.Redirect("sip:carol@pbx")},
		{"local voicemail: 480", vm, softphone.Reject(480)},
		{"answer now", callpolicy.Plan{Action: callpolicy.Answer}, softphone.AnswerWith(softphone.Media{})},
		{"answer after 3 s", callpolicy.Plan{Action: callpolicy.Answer, AnswerAfter: 3 * time.Second},
			softphone.Ring(3*time.Second, &softphone.Plan{Action: softphone.ActAnswer})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.carryOut(context.Background(), nil, tt.in, log)
			if got.Action != tt.want.Action || got.Code != tt.want.Code || got.Target != tt.want.Target || got.RingFor != tt.want.RingFor ||
				(got.Then == nil) != (tt.want.Then == nil) {
				t.Fatalf("carryOut = %+v, want %+v", got, tt.want)
			}
			if w := tt.want.Then; w != nil {
				if g := got.Then; g.Action != w.Action || g.Code != w.Code || g.Target != w.Target {
					t.Fatalf("then = %+v, want %+v", *g, *w)
				}
			}
		})
	}
}

// BenchmarkIncomingDecision measures what the app does for each INVITE
// before the softphone acts: read the settings and the status from the
// store, and run the call policy.
func BenchmarkIncomingDecision(b *testing.B) {
	kr := &memKeyring{m: map[string]string{}}
	a, err := Open(context.Background(), b.TempDir(), WithKeyring(kr))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	if _, err := a.StartStatus(context.Background()); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	call := callpolicy.Call{Caller: "sip:+15551234@pbx", FromProxy: true, Headers: callpolicy.HeaderMap{"X-Queue": "support"}}
	acct := Account{Domain: "pbx.example.com"}
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		_, _ = a.decide(context.Background(), log, call, nil, acct, nil)
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/float64(b.N), "µs/INVITE")
}
