package softphone_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// A phone that lets incoming calls ring for 20 seconds and then sends them to
// voicemail, places a call, sends DTMF and hangs up.
func Example() {
	toVoicemail := softphone.Redirect("sip:voicemail@example.com")
	phone, err := softphone.New(softphone.Account{
		Server:      "wss://sip.example.com/ws",
		User:        "alice",
		Domain:      "example.com",
		DisplayName: "Alice",
		Password:    "from the keyring",
	},
		softphone.WithLogger(slog.Default()),
		softphone.WithCallHandler(softphone.CallHandlerFunc(func(ctx context.Context, c *softphone.Call) softphone.Plan {
			return softphone.Ring(20*time.Second, &toVoicemail)
		})),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer phone.Close(context.Background())

	go func() {
		for e := range phone.Events() {
			switch e := e.(type) {
			case softphone.RegistrationEvent:
				fmt.Println("registration:", e.State)
			case softphone.IncomingCallEvent:
				fmt.Println("call from", e.Call.Remote())
			case softphone.EndedEvent:
				fmt.Println("call ended:", e.Reason, e.Code)
			}
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	call, err := phone.Dial(ctx, "bob", softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = call.SendDTMF("1234#")
	_ = call.Hangup(ctx)
}

// An outgoing call that presents a number of the user (the proxy asserts it
// to the callee), and a blind transfer in which the target sees the agent.
func ExamplePhone_Dial_callerID() {
	phone, err := softphone.New(softphone.Account{Server: "wss://sip.example.com/ws", User: "alice", Password: "from the keyring"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer phone.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	call, err := phone.Dial(ctx, "+12125550142", softphone.Media{},
		softphone.WithCallerID("Sales", "+15551230000"), softphone.WithHeader("X-Campaign", "spring"))
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = call.Transfer(ctx, "carol", softphone.WithTransferCallerID("Sales", "+15551230000"))
}

// What the callee shows: the asserted number when the proxy vouches for one.
func ExampleCall_AssertedIdentity() {
	show := func(c *softphone.Call) string {
		if id, ok := c.AssertedIdentity(); ok {
			return id.Name + " " + id.Number
		}
		return c.RemoteName() + " " + c.Remote()
	}
	_ = show
}
