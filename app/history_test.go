package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/app/callpolicy"
	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/softphone"
)

func writeDoc(t *testing.T, doc string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "prov.json")
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestHistoryRecordAndQuery(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t)
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for i, e := range []HistoryEntry{
		{CallID: "a", Direction: "incoming", Origin: "direct", Peer: "sip:bob@pbx", Result: ResultAnswered, EndedBy: EndedByRemote, Ring: 3 * time.Second, Talk: 65 * time.Second},
		{CallID: "b", Direction: "incoming", Origin: "queue", Peer: "sip:+1555@pbx", Result: ResultMissed, EndedBy: EndedBySystem, Code: 480, Ring: 20 * time.Second, Missed: true},
		{CallID: "c", Direction: "outgoing", Origin: "direct", Peer: "sip:carol@pbx", Result: ResultBusy, EndedBy: EndedByRemote, Code: 486, CallerID: "+442079460000"},
	} {
		e.Start = t0.Add(time.Duration(i) * time.Minute)
		got, err := a.RecordCall(ctx, e)
		if err != nil || got.ID == 0 {
			t.Fatalf("RecordCall: %+v %v", got, err)
		}
	}
	all, err := a.History(ctx, HistoryQuery{})
	if err != nil || len(all) != 3 {
		t.Fatalf("History: %d %v", len(all), err)
	}
	if all[0].CallID != "c" || all[2].CallID != "a" || all[2].Talk != 65*time.Second || !all[2].Start.Equal(t0) || all[0].CallerID != "+442079460000" {
		t.Fatalf("newest first, fields kept: %+v", all)
	}
	missed, err := a.History(ctx, HistoryQuery{MissedOnly: true})
	if err != nil || len(missed) != 1 || missed[0].CallID != "b" || !missed[0].Missed {
		t.Fatalf("missed: %+v %v", missed, err)
	}
	if _, err := a.RecordCall(ctx, HistoryEntry{CallID: "x", Direction: "sideways", Result: ResultMissed}); err == nil {
		t.Fatal("a bad direction was stored")
	}
}

func TestHistoryEntryResults(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	now := t0.Add(30 * time.Second)
	redirectVM := callpolicy.Plan{Action: callpolicy.Redirect, Target: "sip:*97@pbx"}
	offered := &callpolicy.Plan{Action: callpolicy.Offer, RingFor: 20 * time.Second, Then: &redirectVM}
	queueOffered := &callpolicy.Plan{Action: callpolicy.Offer, Origin: status.Queue, RingFor: 20 * time.Second,
		Then: &callpolicy.Plan{Action: callpolicy.Reject, Code: 480, Origin: status.Queue}}
	busy := &callpolicy.Plan{Action: callpolicy.Reject, Code: 486, Busy: true}
	dnd := &redirectVM
	queue480 := &callpolicy.Plan{Action: callpolicy.Reject, Code: 480, Origin: status.Queue}
	in := func(reason softphone.EndReason, code int, answered bool) endFacts {
		f := endFacts{EndedEvent: softphone.EndedEvent{Reason: reason, Code: code}, ID: "id", Direction: softphone.Incoming,
			Remote: "sip:alice@pbx", Started: t0}
		if answered {
			f.Answered = t0.Add(5 * time.Second)
		}
		return f
	}
	out := in
	tests := []struct {
		name             string
		f                endFacts
		tc               trackedCall
		kv               []string
		result, endedBy  string
		missed, notified bool
		target           string
	}{
		{"answered, caller hung up", in(softphone.EndRemoteHangup, 0, true), trackedCall{plan: offered, rang: true}, nil, ResultAnswered, EndedByRemote, false, false, ""},
		{"answered, agent hung up", in(softphone.EndLocalHangup, 200, true), trackedCall{plan: offered, rang: true}, nil, ResultAnswered, EndedByLocal, false, false, ""},
		{"rang out to voicemail", in(softphone.EndRedirected, 302, false), trackedCall{plan: offered, rang: true}, nil, ResultMissed, EndedBySystem, true, true, "sip:*97@pbx"},
		{"caller gave up", in(softphone.EndCancelled, 487, false), trackedCall{plan: offered, rang: true}, nil, ResultMissed, EndedByRemote, true, true, ""},
		{"agent declined", in(softphone.EndDeclined, 603, false), trackedCall{plan: offered, rang: true, byAgent: "declined"}, nil, ResultRejected, EndedByLocal, false, false, ""},
		{"DND redirect", in(softphone.EndRedirected, 302, false), trackedCall{plan: dnd}, nil, ResultRedirected, EndedBySystem, true, true, "sip:*97@pbx"},
		{"busy, call waiting off", in(softphone.EndDeclined, 486, false), trackedCall{plan: busy}, nil, ResultBusy, EndedBySystem, true, true, ""},
		{"queue call not offered", in(softphone.EndDeclined, 480, false), trackedCall{plan: queue480, origin: status.Queue}, nil, ResultRejected, EndedBySystem, false, false, ""},
		{"queue call missed, logged", in(softphone.EndDeclined, 480, false), trackedCall{plan: queueOffered, origin: status.Queue, rang: true}, nil, ResultMissed, EndedBySystem, true, true, ""},
		{"queue call missed, not logged", in(softphone.EndDeclined, 480, false), trackedCall{plan: queueOffered, origin: status.Queue, rang: true},
			[]string{"call.log_missed_queue_calls", "off"}, ResultMissed, EndedBySystem, false, true, ""},
		{"outgoing answered", out(softphone.EndLocalHangup, 200, true), trackedCall{}, nil, ResultAnswered, EndedByLocal, false, false, ""},
		{"outgoing busy", out(softphone.EndRejected, 486, false), trackedCall{}, nil, ResultBusy, EndedByRemote, false, false, ""},
		{"outgoing declined", out(softphone.EndRejected, 603, false), trackedCall{}, nil, ResultRejected, EndedByRemote, false, false, ""},
		{"outgoing cancelled", out(softphone.EndLocalHangup, 0, false), trackedCall{}, nil, ResultCancelled, EndedByLocal, false, false, ""},
		{"outgoing failed", out(softphone.EndFailed, 0, false), trackedCall{}, nil, ResultFailed, EndedBySystem, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			if tt.name[:8] == "outgoing" {
				f.Direction = softphone.Outgoing
			}
			v := prefs.Defaults()
			for i := 0; i+1 < len(tt.kv); i += 2 {
				v[tt.kv[i]] = tt.kv[i+1]
			}
			tc := tt.tc
			if tc.plan != nil {
				tc.origin = tc.plan.Origin
			}
			e, notified := historyEntry(f, &tc, v, now)
			if e.Result != tt.result || e.EndedBy != tt.endedBy || e.Missed != tt.missed || notified != tt.notified || e.Target != tt.target {
				t.Fatalf("entry %+v notified=%v; want result %s ended_by %s missed %v notified %v target %q",
					e, notified, tt.result, tt.endedBy, tt.missed, tt.notified, tt.target)
			}
			if f.Answered.IsZero() && (e.Ring != 30*time.Second || e.Talk != 0) || !f.Answered.IsZero() && (e.Ring != 5*time.Second || e.Talk != 25*time.Second) {
				t.Fatalf("durations ring %v talk %v", e.Ring, e.Talk)
			}
		})
	}
}

func TestFromProxy(t *testing.T) {
	for _, tt := range []struct {
		via  string
		want bool
	}{
		{"SIP/2.0/WS 127.0.0.1:5066;branch=z9hG4bK1;rport", true},
		{"SIP/2.0/WSS pbx.example.com;branch=z9hG4bK1", true},
		{"SIP/2.0/WS [::1]:5066;branch=z9hG4bK1", false},
		{"SIP/2.0/WS evil.example.net:5066;branch=z9hG4bK1, SIP/2.0/WS 127.0.0.1", false},
		{"", false},
		{"garbage", false},
	} {
		if got := fromProxy(callpolicy.HeaderMap{"Via": tt.via}, []string{"127.0.0.1", "pbx.example.com"}); got != tt.want {
			t.Errorf("fromProxy(%q) = %v, want %v", tt.via, got, tt.want)
		}
	}
}

func FuzzFromProxy(f *testing.F) {
	f.Add("SIP/2.0/WS 127.0.0.1:5066;branch=z9hG4bK1;rport")
	f.Add("SIP/2.0/WS [::1]:;branch")
	f.Fuzz(func(t *testing.T, via string) {
		got := fromProxy(callpolicy.HeaderMap{"Via": via}, []string{"127.0.0.1", "pbx.example.com"})
		if got && !strings.Contains(via, "127.0.0.1") && !strings.Contains(strings.ToLower(via), "pbx.example.com") {
			t.Fatalf("fromProxy(%q) trusted a foreign hop", via)
		}
	})
}

func TestInstanceURNStable(t *testing.T) {
	a := Account{User: "1001", Domain: "pbx"}
	u1, u2 := instanceURN("/d", a), instanceURN("/d", a)
	if u1 != u2 || len(u1) != len("urn:uuid:")+36 || instanceURN("/e", a) == u1 {
		t.Fatalf("%s %s", u1, u2)
	}
}
