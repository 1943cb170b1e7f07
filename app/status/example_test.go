package status_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/app/status/statustest"
	"github.com/ringside/ringside/app/store"
)

// The call policy asks whether a call of some origin rings in a status.
func ExampleOffers() {
	for _, s := range []status.Status{status.Available, status.Away, status.DoNotDisturb} {
		fmt.Printf("%-15s direct %-5v queue %v\n", s.Name(), status.Offers(s, status.Direct), status.Offers(s, status.Queue))
	}
	// Output:
	// Available       direct true  queue true
	// Away            direct true  queue false
	// Do Not Disturb  direct false queue false
}

// An engine with after-call work: a call ends, and 30 seconds later the agent
// is back in the status before the call.
func ExampleEngine_CallEnded() {
	dir, _ := os.MkdirTemp("", "ringside-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	clock := statustest.NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	e, err := status.New(ctx, st, status.WithClock(clock), status.WithAfterCallWork(30))
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()

	e.Set(ctx, status.Away, status.ReasonTray)
	e.CallEnded(ctx)
	fmt.Println(e.Current())
	clock.Advance(30 * time.Second)
	fmt.Println(e.Current())

	m, _ := e.Metrics(ctx, time.Time{}, time.Time{})
	fmt.Println(m.Calls, m.AfterCallWorkPerCall)
	// Output:
	// after_call_work
	// away
	// 1 30s
}
