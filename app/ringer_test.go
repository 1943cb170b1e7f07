package app

import (
	"context"
	"testing"

	"github.com/ringside/ringside/audio/audiotest"
)

func TestToneCycles(t *testing.T) {
	for name, tc := range map[string]struct {
		b    interface{ Frames() int }
		want int
	}{
		"ringtone": {ringtoneCycle(), 3 * 16000}, "call waiting": {callWaitingCycle(), 5 * 16000}, "auto answer": {autoAnswerBeep(), 4000},
	} {
		if tc.b.Frames() != tc.want {
			t.Errorf("%s: %d frames, want %d", name, tc.b.Frames(), tc.want)
		}
	}
	if f := audiotest.Frequency(callWaitingCycle()); f < 430 || f > 450 {
		t.Errorf("call-waiting beep at %.0f Hz, want 440", f)
	}
}

// TestRingerFollowsCalls rings while a call is offered, stops when the
// caller gives up, and beeps the call-waiting tone for a second call while
// one is up — through the real Kamailio, with PulseAudio as the devices.
func TestRingerFollowsCalls(t *testing.T) {
	env := kamailioEnv(t)
	ctx := context.Background()
	a, _ := openTest(t)
	t.Cleanup(func() { a.StopPhone(context.Background()) })
	bob := env.Users[1]
	pw := bob.Password
	if _, err := a.SetAccount(ctx, Account{Server: env.WS + "/ws", User: bob.Name, Domain: env.Domain}, &pw); err != nil {
		t.Fatal(err)
	}
	startAgent(t, a)
	a.StartRinger()
	alice := newPeer(t, env, 0, nil)
	carol := newPeer(t, env, 2, nil)
	bobURI := "sip:" + bob.Name + "@" + env.Domain

	dctx, cancel := context.WithCancel(ctx)
	res := alice.dial(dctx, bobURI)
	until(t, "the ringtone", func() bool { return a.Ringing() == "ringtone" })
	cancel()
	waitErr(t, res)
	until(t, "silence after the caller gave up", func() bool { return a.Ringing() == "" })

	// A call up, then a second one offered: the call-waiting beep.
	res = alice.dial(ctx, bobURI)
	until(t, "the first call ringing", func() bool { return len(a.Calls()) == 1 })
	if err := a.Answer(ctx, a.Calls()[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := waitErr(t, res); err != nil {
		t.Fatal(err)
	}
	until(t, "silence once answered", func() bool { return a.Ringing() == "" })
	c2ctx, cancel2 := context.WithCancel(ctx)
	defer cancel2()
	res2 := carol.dial(c2ctx, bobURI)
	until(t, "the call-waiting beep", func() bool { return a.Ringing() == "call_waiting" })
	cancel2()
	waitErr(t, res2)
	until(t, "silence again", func() bool { return a.Ringing() == "" })
	a.Hangup(ctx, "")
}
