package callpolicy

import (
	"testing"
	"time"

	"github.com/ringside/ringside/app/status"
)

// BenchmarkDecide measures one decision for a queue call with custom-free
// default rules, an active call up and call waiting on (target: under 5 µs).
func BenchmarkDecide(b *testing.B) {
	in := Input{Prefs: with("call.auto_answer", "click_to_call", "forwarding.numbers", "+442079460001"), Status: status.Available,
		Live: []LiveState{LiveActive}, Call: Call{Caller: "sip:+15551234@pbx", FromProxy: true,
			Headers: HeaderMap{"Alert-Info": "<http://pbx/ring>;info=ring-group", "Call-Info": "<http://pbx/icon>;purpose=icon"}},
		Account: acct, Now: t0}
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		_ = Decide(in)
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N)/1000, "µs/decision")
}

// BenchmarkOutgoingCallerID measures the dynamic caller ID choice.
func BenchmarkOutgoingCallerID(b *testing.B) {
	v := with("call.dynamic_caller_id", "on", "profile.numbers", "+442079460000,+441614960000,+13125550100,+12125550100,+33142000000")
	b.ReportAllocs()
	for b.Loop() {
		_ = OutgoingCallerID(v, "tel:+1-212-555-0199")
	}
}
