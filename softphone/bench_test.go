package softphone_test

import (
	"fmt"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkCallSetup measures, on loopback through Kamailio, the time from
// Dial to the first non-silent frame given to the callee's sink (and to the
// answer). Run with -benchtime=20x for the median of 20 calls.
func BenchmarkCallSetup(b *testing.B) {
	env := kamailio(b)
	var mu sync.Mutex
	var ears []*softphonetest.Probe
	bob := newPhone(b, env, 1, answerWith(func() softphone.Media {
		p := softphonetest.NewProbe()
		mu.Lock()
		ears = append(ears, p)
		mu.Unlock()
		return softphone.Media{Sink: p}
	}))
	alice := newPhone(b, env, 0, nil)
	alice.registered()
	bob.registered()
	var toAudio, toAnswer, dialToAudio []time.Duration
	for b.Loop() {
		start := time.Now()
		call, err := alice.Dial(ctxWait(b), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
		if err != nil {
			b.Fatalf("Dial: %v", err)
		}
		answered := time.Now()
		mu.Lock()
		ear := ears[len(ears)-1]
		mu.Unlock()
		if !ear.WaitLoud(1, wait) {
			b.Fatal("no audio at the callee")
		}
		sent := call.Stats().InviteSent
		toAudio = append(toAudio, ear.FirstLoud().Sub(sent))
		toAnswer = append(toAnswer, answered.Sub(sent))
		dialToAudio = append(dialToAudio, ear.FirstLoud().Sub(start))
		if err := call.Hangup(ctxWait(b)); err != nil {
			b.Fatal(err)
		}
		bob.ended(nil)
	}
	b.ReportMetric(ms(median(toAudio)), "ms-to-first-audio")
	b.ReportMetric(ms(median(toAnswer)), "ms-to-answer")
	b.ReportMetric(ms(median(dialToAudio)), "ms-dial-to-first-audio")
	fmt.Printf("call setup over %d calls (loopback, Kamailio): INVITE to first audio frame at callee median %.1f ms (target < 40 ms); INVITE to 200 OK median %.1f ms; Dial (offer and ICE gathering included) to first audio median %.1f ms\n",
		len(toAudio), ms(median(toAudio)), ms(median(toAnswer)), ms(median(dialToAudio)))
}

// burst is a Source of silence with a 1 kHz burst every period frames; it
// records when each burst's first frame was read.
type burst struct {
	mu     sync.Mutex
	tone   softphonetest.Tone
	n      int
	period int
	onsets []time.Time
}

func (s *burst) ReadFrame(f []int16) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	pos := s.n % s.period
	s.n++
	if pos < 5 {
		if pos == 0 {
			s.onsets = append(s.onsets, time.Now())
		}
		return s.tone.ReadFrame(f)
	}
	clear(f)
	return nil
}

// onsetProbe is a Sink that records when loud frames start after silence.
type onsetProbe struct {
	mu     sync.Mutex
	loud   bool
	onsets []time.Time
}

func (p *onsetProbe) WriteFrame(f []int16) error {
	var sum float64
	for _, v := range f {
		sum += float64(v) * float64(v)
	}
	loud := sum/float64(len(f)) > 1000*1000
	p.mu.Lock()
	if loud && !p.loud {
		p.onsets = append(p.onsets, time.Now())
	}
	p.loud = loud
	p.mu.Unlock()
	return nil
}

// BenchmarkMouthToEar measures the delay from a source frame being read to
// the same sound reaching the far sink, jitter buffer included (Opus,
// loopback through Kamailio).
func BenchmarkMouthToEar(b *testing.B) {
	env := kamailio(b)
	ear := &onsetProbe{}
	bob := newPhone(b, env, 1, answerWith(func() softphone.Media { return softphone.Media{Sink: ear} }))
	alice := newPhone(b, env, 0, nil)
	alice.registered()
	bob.registered()
	src := &burst{tone: softphonetest.Tone{Freq: 1000}, period: 15}
	call, err := alice.Dial(ctxWait(b), env.Users[1].Name, softphone.Media{Source: src})
	if err != nil {
		b.Fatalf("Dial: %v", err)
	}
	time.Sleep(500 * time.Millisecond) // let the jitter buffer settle
	src.mu.Lock()
	src.onsets = nil
	src.mu.Unlock()
	ear.mu.Lock()
	ear.onsets = nil
	ear.mu.Unlock()
	for b.Loop() {
		time.Sleep(300 * time.Millisecond) // one burst period
	}
	time.Sleep(300 * time.Millisecond)
	src.mu.Lock()
	sent := slices.Clone(src.onsets)
	src.mu.Unlock()
	ear.mu.Lock()
	got := slices.Clone(ear.onsets)
	ear.mu.Unlock()
	var delays []time.Duration
	for _, s := range sent {
		for _, g := range got {
			if d := g.Sub(s); d >= 0 && d < 250*time.Millisecond {
				delays = append(delays, d)
				break
			}
		}
	}
	_ = call.Hangup(ctxWait(b))
	if len(delays) == 0 {
		b.Fatalf("no burst heard (%d sent, %d onsets heard)", len(sent), len(got))
	}
	b.ReportMetric(ms(median(delays)), "ms-mouth-to-ear")
	fmt.Printf("mouth-to-ear (Opus, loopback, Kamailio, jitter buffer): median %.1f ms, max %.1f ms over %d bursts (target < 60 ms)\n",
		ms(median(delays)), ms(slices.Max(delays)), len(delays))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCPUPerCall measures the CPU of active Opus calls: both ends of
// each call run in this process, so a call's figure covers two legs (two
// encoders, two decoders, two jitter buffers, DTLS-SRTP both ways).
func BenchmarkCPUPerCall(b *testing.B) {
	env := kamailio(b)
	const calls = 4
	bob := newPhone(b, env, 1, answerWith(func() softphone.Media {
		return softphone.Media{Source: &softphonetest.Tone{Freq: 1000}, Sink: softphonetest.NewProbe()}
	}), softphone.WithMaxCalls(calls+1))
	alice := newPhone(b, env, 0, nil, softphone.WithMaxCalls(calls+1))
	alice.registered()
	bob.registered()
	var active []*softphone.Call
	for i := 0; i < calls; i++ {
		c, err := alice.Dial(ctxWait(b), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}, Sink: softphonetest.NewProbe()})
		if err != nil {
			b.Fatalf("Dial: %v", err)
		}
		active = append(active, c)
	}
	time.Sleep(time.Second)
	idleStart := time.Now()
	c0 := cpuTime()
	for b.Loop() {
		time.Sleep(time.Second)
	}
	wall := time.Since(idleStart)
	used := cpuTime() - c0
	for _, c := range active {
		_ = c.Hangup(ctxWait(b))
	}
	perCall := 100 * used.Seconds() / wall.Seconds() / calls
	b.ReportMetric(perCall, "%core/call")
	b.ReportMetric(perCall/2, "%core/leg")
	fmt.Printf("CPU per active Opus call: %.2f%% of one core for both ends (%.2f%% per end; target < 3%%), %d calls over %.1f s\n",
		perCall, perCall/2, calls, wall.Seconds())
}
