package callpolicy_test

import (
	"fmt"
	"time"

	"github.com/ringside/ringside/app/callpolicy"
	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/status"
)

// A queue call to an agent on break is answered 480 at once, so that the
// queue offers it to the next agent; a direct call rings for the ring time
// and then goes to the destination if no answer.
func ExampleDecide() {
	v := prefs.Defaults()
	v["call.ring_time"] = "15"
	v["call.no_answer_destination"] = "agent"
	v["call.no_answer_target"] = "1002"
	acct := callpolicy.Account{Domain: "pbx.example.com"}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

	queue := callpolicy.Call{Headers: callpolicy.HeaderMap{"X-Queue": "support"}, FromProxy: true}
	p := callpolicy.Decide(callpolicy.Input{Prefs: v, Status: status.OnBreak, Call: queue, Account: acct, Now: now})
	fmt.Println(p.Action, p.Code, p.Origin)

	direct := callpolicy.Call{FromProxy: true}
	p = callpolicy.Decide(callpolicy.Input{Prefs: v, Status: status.Available, Call: direct, Account: acct, Now: now})
	fmt.Println(p.Action, p.RingFor, p.Deadline.Format("15:04:05"), "then", p.Then.Action, p.Then.Target)
	// Output:
	// reject 480 queue
	// offer 15s 09:00:15 then redirect sip:1002@pbx.example.com
}

// With dynamic caller ID, a call to Manchester goes out with the user's
// Manchester number.
func ExampleOutgoingCallerID() {
	v := prefs.Defaults()
	v["profile.numbers"] = "+442079460000,+441614960000"
	v["call.dynamic_caller_id"] = "on"
	fmt.Println(callpolicy.OutgoingCallerID(v, "+44 161 496 0123").Number)
	// Output: +441614960000
}
