package callpolicy

import (
	"errors"
	"testing"
	"time"

	"github.com/ringside/ringside/app/status"
)

func TestDefaultOrigins(t *testing.T) {
	tests := []struct {
		h    HeaderMap
		want status.Origin
	}{
		{nil, status.Direct},
		{HeaderMap{"X-Call-Origin": "queue"}, status.Queue},
		{HeaderMap{"x-call-origin": "Ring_Group"}, status.RingGroup},
		{HeaderMap{"X-Call-Origin": "click-to-call"}, status.ClickToCall},
		{HeaderMap{"X-Call-Origin": "direct", "X-Queue": "x"}, status.Direct},
		{HeaderMap{"X-Queue": "support"}, status.Queue},
		{HeaderMap{"X-CC-Queue": "support@default"}, status.Queue},
		{HeaderMap{"X-Ring-Group": "600"}, status.RingGroup},
		{HeaderMap{"Alert-Info": "<http://pbx/ring>;info=queue"}, status.Queue},
		{HeaderMap{"Alert-Info": "info=RingGroup"}, status.RingGroup},
		{HeaderMap{"Alert-Info": "<http://pbx/ring>;info=alert-autoanswer"}, status.Direct},
	}
	for _, tt := range tests {
		if got := Origin(nil, tt.h); got != tt.want {
			t.Errorf("Origin(%v) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

func TestParseRules(t *testing.T) {
	text := "# PBX rules\nX-Queue => queue\n  Alert-Info: ring-group => ring_group\n\nX-Click: yes => click_to_call\n"
	rules, err := ParseRules(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{{"X-Queue", "", status.Queue}, {"Alert-Info", "ring-group", status.RingGroup}, {"X-Click", "yes", status.ClickToCall}}
	if len(rules) != len(want) {
		t.Fatalf("rules = %+v", rules)
	}
	for i := range want {
		if rules[i] != want[i] {
			t.Fatalf("rule %d = %+v, want %+v", i, rules[i], want[i])
		}
	}
	back, err := ParseRules(FormatRules(rules))
	if err != nil || len(back) != 3 || back[1] != want[1] {
		t.Fatalf("round trip: %+v %v", back, err)
	}
	for _, bad := range []string{"X-Queue queue", "X-Queue => vip", "Bad Header => queue", ": x => queue", "X-A: \x01 => queue"} {
		_, err := ParseRules(bad)
		var re *RuleError
		if !errors.As(err, &re) || !errors.Is(err, ErrBadRule) || re.Line != 1 {
			t.Errorf("ParseRules(%q) = %v, want a RuleError on line 1", bad, err)
		}
	}
}

func TestAutoAnswerMarker(t *testing.T) {
	tests := []struct {
		h      HeaderMap
		marked bool
		after  time.Duration
	}{
		{nil, false, 0},
		{HeaderMap{"Call-Info": "<sip:pbx>;answer-after=0"}, true, 0},
		{HeaderMap{"Call-Info": "<sip:pbx>; Answer-After = 5"}, true, 5 * time.Second},
		{HeaderMap{"Call-Info": "<http://x/a;answer-after=5>;purpose=icon"}, false, 0},
		{HeaderMap{"Call-Info": "<http://x/icon>;purpose=icon, <sip:pbx>;answer-after=2"}, true, 2 * time.Second},
		{HeaderMap{"Call-Info": "<sip:pbx>;answer-after=99999"}, true, 0},
		{HeaderMap{"Call-Info": "<sip:pbx>;answer-after=600"}, true, maxAnswerAfter},
		{HeaderMap{"Call-Info": "<sip:pbx>;answer-after"}, true, 0},
		{HeaderMap{"Alert-Info": "<http://www.notused.com>;info=alert-autoanswer;delay=0"}, true, 0},
		{HeaderMap{"Alert-Info": "info=Auto Answer"}, false, 0},
		{HeaderMap{"Answer-Mode": "Auto"}, true, 0},
		{HeaderMap{"Answer-Mode": "manual"}, false, 0},
		{HeaderMap{"Answer-Mode": "automatic"}, false, 0},
	}
	for _, tt := range tests {
		m, a := AutoAnswerMarker(tt.h)
		if m != tt.marked || a != tt.after {
			t.Errorf("AutoAnswerMarker(%v) = %v %v, want %v %v", tt.h, m, a, tt.marked, tt.after)
		}
	}
}

func FuzzParseRules(f *testing.F) {
	f.Add("X-Queue => queue\nAlert-Info: ring => ring_group")
	f.Add("# c\n\n=>")
	f.Fuzz(func(t *testing.T, s string) {
		rules, err := ParseRules(s)
		if err != nil {
			return
		}
		back, err := ParseRules(FormatRules(rules))
		if err != nil || len(back) != len(rules) {
			t.Fatalf("round trip of %q: %v %v", s, back, err)
		}
	})
}

func FuzzAutoAnswerMarker(f *testing.F) {
	f.Add("<sip:pbx>;answer-after=3", "info=alert-autoanswer", "Auto")
	f.Add("<<;answer-after=", ">>;", "auto;")
	f.Fuzz(func(t *testing.T, ci, ai, am string) {
		_, after := AutoAnswerMarker(HeaderMap{"Call-Info": ci, "Alert-Info": ai, "Answer-Mode": am})
		if after < 0 || after > maxAnswerAfter {
			t.Fatalf("after = %v", after)
		}
	})
}

func FuzzOutgoingCallerID(f *testing.F) {
	f.Add("+442079460123")
	f.Add("sip:0044 20@x")
	f.Fuzz(func(t *testing.T, dialled string) {
		v := with("call.dynamic_caller_id", "on", "profile.numbers", "+442079460000,+13125550100")
		got := OutgoingCallerID(v, dialled)
		if got.Number != "+442079460000" && got.Number != "+13125550100" {
			t.Fatalf("OutgoingCallerID(%q) = %+v", dialled, got)
		}
	})
}
