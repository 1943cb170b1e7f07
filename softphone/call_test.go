package softphone_test

import (
	"testing"

	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

func TestRegisterAndCallBothWays(t *testing.T) {
	env := kamailio(t)
	bobEar := softphonetest.NewProbe()
	bob := newPhone(t, env, 1, answerWith(func() softphone.Media {
		return softphone.Media{Source: &softphonetest.Tone{Freq: 1000}, Sink: bobEar}
	}))
	alice := newPhone(t, env, 0, nil)
	alice.registered()
	bob.registered()

	aliceEar := softphonetest.NewProbe()
	call, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}, Sink: aliceEar})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	in := bob.incoming()
	bob.answered(in)
	checkTone(t, "bob", bobEar, 440, 1000)
	checkTone(t, "alice", aliceEar, 1000, 440)

	if err := call.Hangup(ctxWait(t)); err != nil {
		t.Fatalf("Hangup: %v", err)
	}
	if e := bob.ended(in); e.Reason != softphone.EndRemoteHangup {
		t.Errorf("bob's call ended with %q, want %q", e.Reason, softphone.EndRemoteHangup)
	}
	if e := alice.ended(call); e.Reason != softphone.EndLocalHangup {
		t.Errorf("alice's call ended with %q, want %q", e.Reason, softphone.EndLocalHangup)
	}
}
