package softphone_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// three phones: alice calls bob, then transfers bob to carol.
func TestBlindTransfer(t *testing.T) {
	env := kamailio(t)
	bobEar := softphonetest.NewProbe()
	bobMouth := &softphonetest.Tone{Freq: 1000}
	bob := newPhone(t, env, 1, answerWith(func() softphone.Media {
		return softphone.Media{Source: bobMouth, Sink: bobEar}
	}))
	carolEar := softphonetest.NewProbe()
	carol := newPhone(t, env, 2, answerWith(func() softphone.Media {
		return softphone.Media{Source: &softphonetest.Tone{Freq: 440}, Sink: carolEar}
	}))
	alice := newPhone(t, env, 0, nil)
	alice.registered()
	bob.registered()
	carol.registered()

	call, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	bobCall := bob.incoming()
	checkTone(t, "bob", bobEar, 440, 1000)
	if err := call.Transfer(ctxWait(t), env.Users[2].Name); err != nil {
		t.Fatalf("Transfer: %v", err)
	}
	bob.next("transfer requested", func(e softphone.Event) bool {
		x, ok := e.(softphone.TransferEvent)
		return ok && x.Requested && x.Call == bobCall
	})
	alice.next("transfer done", func(e softphone.Event) bool {
		x, ok := e.(softphone.TransferEvent)
		return ok && x.Done && x.Code == 200
	})
	if e := alice.ended(call); e.Reason != softphone.EndTransferred {
		t.Errorf("alice's call ended %q, want transferred", e.Reason)
	}
	bob.ended(bobCall)
	// bob now talks with carol, with the same audio.
	carol.incoming()
	checkTone(t, "carol", carolEar, 1000, 440)
	bobEar.Reset()
	checkTone(t, "bob after transfer", bobEar, 440, 1000)
	for _, c := range carol.Calls() {
		_ = c.Hangup(ctxWait(t))
	}
	bob.ended(nil)
}

// alice talks to bob, puts him on hold, calls carol, then connects bob and carol.
func TestAttendedTransfer(t *testing.T) {
	env := kamailio(t)
	bobEar := softphonetest.NewProbe()
	bob := newPhone(t, env, 1, answerWith(func() softphone.Media {
		return softphone.Media{Source: &softphonetest.Tone{Freq: 1000}, Sink: bobEar}
	}))
	carolEar := softphonetest.NewProbe()
	carol := newPhone(t, env, 2, answerWith(func() softphone.Media {
		return softphone.Media{Source: &softphonetest.Tone{Freq: 440}, Sink: carolEar}
	}))
	alice := newPhone(t, env, 0, nil)
	alice.registered()
	bob.registered()
	carol.registered()

	toBob, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
	if err != nil {
		t.Fatalf("Dial bob: %v", err)
	}
	bobCall := bob.incoming()
	if err := toBob.Hold(ctxWait(t)); err != nil {
		t.Fatalf("Hold: %v", err)
	}
	toCarol, err := alice.Dial(ctxWait(t), env.Users[2].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 1000}})
	if err != nil {
		t.Fatalf("Dial carol: %v", err)
	}
	carolCall := carol.incoming()
	checkTone(t, "carol", carolEar, 1000, 440)

	if err := toBob.AttendedTransfer(ctxWait(t), toCarol); err != nil {
		t.Fatalf("AttendedTransfer: %v", err)
	}
	// carol's call with alice is replaced by one with bob.
	if e := carol.ended(carolCall); e.Reason != softphone.EndReplaced {
		t.Errorf("carol's call with alice ended %q, want replaced", e.Reason)
	}
	if e := alice.ended(toCarol); e.Reason != softphone.EndRemoteHangup {
		t.Errorf("alice's call to carol ended %q, want remote hangup", e.Reason)
	}
	if e := alice.ended(toBob); e.Reason != softphone.EndTransferred {
		t.Errorf("alice's call to bob ended %q, want transferred", e.Reason)
	}
	bob.ended(bobCall)
	bobEar.Reset()
	carolEar.Reset()
	checkTone(t, "bob with carol", bobEar, 440, 1000)
	checkTone(t, "carol with bob", carolEar, 1000, 440)
	for _, c := range bob.Calls() {
		_ = c.Hangup(context.Background())
	}
	carol.ended(nil)
}

// alice talks to bob, puts him on hold and calls carol; while carol's phone
// still rings alice cancels that call and transfers bob to carol (a
// semi-attended transfer): carol's phone rings again, now with bob; she
// answers and bob and carol talk; alice has no call left.
func TestSemiAttendedTransfer(t *testing.T) {
	env := kamailio(t)
	bobEar := softphonetest.NewProbe()
	bob := newPhone(t, env, 1, answerWith(func() softphone.Media {
		return softphone.Media{Source: &softphonetest.Tone{Freq: 1000}, Sink: bobEar}
	}))
	carolEar := softphonetest.NewProbe()
	carol := newPhone(t, env, 2, plan(softphone.Ring(time.Minute, nil)))
	alice := newPhone(t, env, 0, nil)
	alice.registered()
	bob.registered()
	carol.registered()

	toBob, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
	if err != nil {
		t.Fatalf("Dial bob: %v", err)
	}
	bobCall := bob.incoming()
	if err := toBob.Hold(ctxWait(t)); err != nil {
		t.Fatalf("Hold: %v", err)
	}
	dialed := make(chan error, 1)
	go func() {
		_, err := alice.Dial(ctxWait(t), env.Users[2].Name, softphone.Media{})
		dialed <- err
	}()
	ringing := alice.next("carol ringing", func(e softphone.Event) bool {
		_, ok := e.(softphone.RingingEvent)
		return ok
	}).(softphone.RingingEvent).Call
	consult := carol.incoming()

	if err := ringing.Cancel(ctxWait(t)); err != nil {
		t.Fatalf("Cancel while carol rings: %v", err)
	}
	if e := carol.ended(consult); e.Reason != softphone.EndCancelled {
		t.Errorf("carol's first call ended %q, want cancelled", e.Reason)
	}
	if err := <-dialed; err == nil {
		t.Error("Dial of the cancelled call returned no error")
	}
	if err := ringing.Cancel(ctxWait(t)); !errors.Is(err, softphone.ErrCallEnded) {
		t.Errorf("Cancel of an ended call: %v, want ErrCallEnded", err)
	}
	if err := toBob.Transfer(ctxWait(t), env.Users[2].Name); err != nil {
		t.Fatalf("Transfer: %v", err)
	}
	if code, done := toBob.TransferProgress(); code < 100 || done {
		t.Errorf("TransferProgress after the REFER was accepted: %d %v", code, done)
	}
	fromBob := carol.incoming()
	if !strings.Contains(fromBob.Remote(), env.Users[1].Name) {
		t.Errorf("carol's second call is from %s, want bob", fromBob.Remote())
	}
	// bob's phone tells alice that carol rings (NOTIFY 180).
	alice.next("transfer ringing", func(e softphone.Event) bool {
		x, ok := e.(softphone.TransferEvent)
		return ok && x.Call == toBob && x.Code == 180 && !x.Done
	})
	if code, done := toBob.TransferProgress(); code != 180 || done {
		t.Errorf("TransferProgress while carol rings: %d %v, want 180 false", code, done)
	}
	if err := fromBob.Answer(ctxWait(t), softphone.Media{Source: &softphonetest.Tone{Freq: 440}, Sink: carolEar}); err != nil {
		t.Fatalf("carol answers: %v", err)
	}
	if e := alice.ended(toBob); e.Reason != softphone.EndTransferred {
		t.Errorf("alice's call to bob ended %q, want transferred", e.Reason)
	}
	if code, done := toBob.TransferProgress(); code != 200 || !done {
		t.Errorf("TransferProgress at the end: %d %v, want 200 true", code, done)
	}
	bob.ended(bobCall)
	if n := len(alice.Calls()); n != 0 {
		t.Errorf("alice still has %d calls", n)
	}
	checkTone(t, "bob with carol", bobEar, 440, 1000)
	checkTone(t, "carol with bob", carolEar, 1000, 440)
	for _, c := range bob.Calls() {
		_ = c.Hangup(context.Background())
	}
	carol.ended(fromBob)
}
