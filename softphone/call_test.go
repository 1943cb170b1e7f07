package softphone_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

func TestRegisterAndCallBothWays(t *testing.T) {
	env := kamailio(t)
	bobEar := softphonetest.NewProbe()
	bob := newPhone(t, env, 1, answerWith(func() softphone.Media {
		return softphone.Media{Source: &softphonetest.Tone{Freq: 1000}, Sink: bobEar}
	}), softphone.WithLevelInterval(100*time.Millisecond))
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
	bob.next("audio levels of both ways", func(e softphone.Event) bool {
		l, ok := e.(softphone.AudioLevelEvent)
		return ok && l.Call == in && l.Inbound > -30 && l.Outbound > -30
	})

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

func TestCodecs(t *testing.T) {
	env := kamailio(t)
	for _, codec := range []string{softphone.CodecOpus, softphone.CodecPCMU, softphone.CodecPCMA} {
		t.Run(codec, func(t *testing.T) {
			bobEar := softphonetest.NewProbe()
			bob := newPhone(t, env, 1, answerWith(func() softphone.Media {
				return softphone.Media{Source: &softphonetest.Tone{Freq: 1000}, Sink: bobEar}
			}))
			alice := newPhone(t, env, 0, nil, softphone.WithCodecs(codec))
			alice.registered()
			bob.registered()
			aliceEar := softphonetest.NewProbe()
			call, err := alice.Dial(ctxWait(t), "sip:"+env.Users[1].Name+"@"+env.Domain, softphone.Media{Source: &softphonetest.Tone{Freq: 440}, Sink: aliceEar})
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			checkTone(t, "bob", bobEar, 440, 1000)
			checkTone(t, "alice", aliceEar, 1000, 440)
			in := bob.incoming()
			if err := in.Hangup(ctxWait(t)); err != nil {
				t.Fatal(err)
			}
			if e := alice.ended(call); e.Reason != softphone.EndRemoteHangup {
				t.Errorf("alice's call ended with %q, want remote hangup", e.Reason)
			}
		})
	}
}

func TestDTMFHoldMute(t *testing.T) {
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
	checkTone(t, "bob", bobEar, 440, 1000)

	const digits = "1590*#AD"
	if err := call.SendDTMF(digits); err != nil {
		t.Fatal(err)
	}
	var got []rune
	for range digits {
		e := bob.next("DTMF", func(e softphone.Event) bool { _, ok := e.(softphone.DTMFEvent); return ok }).(softphone.DTMFEvent)
		got = append(got, e.Digit)
	}
	if string(got) != digits {
		t.Errorf("bob received DTMF %q, want %q", string(got), digits)
	}
	if err := call.SendDTMF("x"); err == nil {
		t.Error("SendDTMF(x) succeeded, want an error")
	}

	// Hold: bob hears it as a remote hold and stops hearing alice.
	if err := call.Hold(ctxWait(t)); err != nil {
		t.Fatalf("Hold: %v", err)
	}
	alice.next("held", func(e softphone.Event) bool { h, ok := e.(softphone.HeldEvent); return ok && h.Held && !h.Remote })
	bob.next("held by remote", func(e softphone.Event) bool { h, ok := e.(softphone.HeldEvent); return ok && h.Held && h.Remote })
	if l, _ := call.Held(); !l {
		t.Error("Held() local = false after Hold")
	}
	if _, r := in.Held(); !r {
		t.Error("bob's Held() remote = false after alice's Hold")
	}
	if err := call.Resume(ctxWait(t)); err != nil {
		t.Fatalf("Resume: %v", err)
	}
	bob.next("resumed by remote", func(e softphone.Event) bool { h, ok := e.(softphone.HeldEvent); return ok && !h.Held && h.Remote })
	bobEar.Reset()
	checkTone(t, "bob after resume", bobEar, 440, 1000)

	// Bob holds and resumes too.
	if err := in.Hold(ctxWait(t)); err != nil {
		t.Fatalf("bob Hold: %v", err)
	}
	alice.next("held by remote", func(e softphone.Event) bool { h, ok := e.(softphone.HeldEvent); return ok && h.Held && h.Remote })
	if err := in.Resume(ctxWait(t)); err != nil {
		t.Fatalf("bob Resume: %v", err)
	}
	aliceEar.Reset()
	checkTone(t, "alice after bob's resume", aliceEar, 1000, 440)

	// Mute: bob hears silence, then the tone again.
	call.SetMute(true)
	call.SetMute(false)

	if err := in.Hangup(ctxWait(t)); err != nil {
		t.Fatal(err)
	}
	alice.ended(call)
}

func TestCancelRejectRedirect(t *testing.T) {
	env := kamailio(t)
	ringing := softphone.Ring(0, nil)
	bob := newPhone(t, env, 1, plan(ringing))
	alice := newPhone(t, env, 0, nil)
	alice.registered()
	bob.registered()

	t.Run("cancel before answer", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctxWait(t))
		errc := make(chan error, 1)
		go func() {
			_, err := alice.Dial(ctx, env.Users[1].Name, softphone.Media{})
			errc <- err
		}()
		alice.next("ringing", func(e softphone.Event) bool { _, ok := e.(softphone.RingingEvent); return ok })
		in := bob.incoming()
		bob.next("ringing here", func(e softphone.Event) bool { r, ok := e.(softphone.RingingEvent); return ok && r.Call == in })
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("Dial after cancel: %v, want context.Canceled", err)
		}
		if e := bob.ended(in); e.Reason != softphone.EndCancelled {
			t.Errorf("bob's call ended with %q, want cancelled", e.Reason)
		}
		alice.ended(nil)
	})

	t.Run("ring then answer", func(t *testing.T) {
		errc := make(chan error, 1)
		var call *softphone.Call
		go func() {
			var err error
			call, err = alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
			errc <- err
		}()
		in := bob.incoming()
		bob.next("ringing here", func(e softphone.Event) bool { r, ok := e.(softphone.RingingEvent); return ok && r.Call == in })
		ear := softphonetest.NewProbe()
		if err := in.Answer(ctxWait(t), softphone.Media{Sink: ear}); err != nil {
			t.Fatalf("Answer: %v", err)
		}
		if err := <-errc; err != nil {
			t.Fatalf("Dial: %v", err)
		}
		checkTone(t, "bob", ear, 440, 1000)
		if err := call.Hangup(ctxWait(t)); err != nil {
			t.Fatal(err)
		}
		bob.ended(in)
	})

	t.Run("decline 486", func(t *testing.T) {
		go func() {
			in := bob.incoming()
			_ = in.Decline(486)
		}()
		_, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{})
		var se *softphone.StatusError
		if !errors.As(err, &se) || se.Code != 486 {
			t.Fatalf("Dial: %v, want 486", err)
		}
		if e := alice.next("rejected", func(e softphone.Event) bool {
			x, ok := e.(softphone.EndedEvent)
			return ok && x.Reason == softphone.EndRejected
		}).(softphone.EndedEvent); e.Code != 486 {
			t.Errorf("ended %q %d, want rejected 486", e.Reason, e.Code)
		}
	})
}

func TestRingThenRedirect(t *testing.T) {
	env := kamailio(t)
	redirect := softphone.Redirect(env.Users[2].Name)
	bob := newPhone(t, env, 1, plan(softphone.Ring(time.Millisecond, &redirect)))
	carolEar := softphonetest.NewProbe()
	carol := newPhone(t, env, 2, answerWith(func() softphone.Media {
		return softphone.Media{Source: &softphonetest.Tone{Freq: 1000}, Sink: carolEar}
	}))
	alice := newPhone(t, env, 0, nil)
	alice.registered()
	bob.registered()
	carol.registered()
	aliceEar := softphonetest.NewProbe()
	call, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}, Sink: aliceEar})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	if e := bob.ended(nil); e.Reason != softphone.EndRedirected || e.Code != 302 {
		t.Errorf("bob's call ended %q %d, want redirected 302", e.Reason, e.Code)
	}
	checkTone(t, "carol", carolEar, 440, 1000)
	checkTone(t, "alice", aliceEar, 1000, 440)
	if err := call.Hangup(ctxWait(t)); err != nil {
		t.Fatal(err)
	}
	carol.ended(nil)
}
