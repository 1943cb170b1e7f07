package interop_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

const wait = 30 * time.Second

// browserEvent is what the page reports.
type browserEvent struct {
	Ev    string  `json:"ev"`
	T     int64   `json:"t"` // browser clock, Unix ms
	Cause string  `json:"cause"`
	Msg   string  `json:"msg"`
	Level float64 `json:"level"`
}

// browser is a JsSIP softphone in headless Chromium.
type browser struct {
	t      testing.TB
	events chan browserEvent
	mu     sync.Mutex
	cmds   []string
}

func (b *browser) command(c string) {
	b.mu.Lock()
	b.cmds = append(b.cmds, c)
	b.mu.Unlock()
}

// next waits for the event named ev, failing on a failure event.
func (b *browser) next(t testing.TB, ev string) browserEvent {
	t.Helper()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case e := <-b.events:
			if e.Ev == ev {
				return e
			}
			if e.Ev == "ice" {
				t.Logf("browser ICE: %s", e.Msg)
			}
			if e.Ev == "jserror" || e.Ev == "regfailed" || (e.Ev == "failed" && ev != "failed") {
				t.Fatalf("browser: %s %s%s while waiting for %s", e.Ev, e.Cause, e.Msg, ev)
			}
		case <-timer.C:
			t.Fatalf("browser: no %s within %v", ev, wait)
		}
	}
}

// toneWAV writes a 48 kHz mono WAV of a sine tone for Chromium's fake microphone.
func toneWAV(t testing.TB, path string, freq float64) {
	t.Helper()
	const rate, secs = 48000, 2
	n := rate * secs
	buf := make([]byte, 44+2*n)
	copy(buf[0:], "RIFF")
	binary.LittleEndian.PutUint32(buf[4:], uint32(36+2*n))
	copy(buf[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(buf[16:], 16)
	binary.LittleEndian.PutUint16(buf[20:], 1)
	binary.LittleEndian.PutUint16(buf[22:], 1)
	binary.LittleEndian.PutUint32(buf[24:], rate)
	binary.LittleEndian.PutUint32(buf[28:], rate*2)
	binary.LittleEndian.PutUint16(buf[32:], 2)
	binary.LittleEndian.PutUint16(buf[34:], 16)
	copy(buf[36:], "data")
	binary.LittleEndian.PutUint32(buf[40:], uint32(2*n))
	for i := 0; i < n; i++ {
		v := int16(0.3 * 32767 * math.Sin(2*math.Pi*freq*float64(i)/rate))
		binary.LittleEndian.PutUint16(buf[44+2*i:], uint16(v))
	}
	if err := os.WriteFile(path, buf, 0o600); err != nil {
		t.Fatal(err)
	}
}

// startBrowser serves the JsSIP page and opens it in headless Chromium,
// registered as user.
func startBrowser(t testing.TB, env softphonetest.KamailioEnv, user softphonetest.User) *browser {
	t.Helper()
	chromium := testenv.Env(t, "RINGSIDE_TEST_CHROMIUM", "Chromium")
	b := &browser{t: t, events: make(chan browserEvent, 256)}
	files := http.FileServer(http.Dir("testdata/jssip"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/event":
			var e browserEvent
			data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
			if json.Unmarshal(data, &e) == nil {
				select {
				case b.events <- e:
				default:
				}
			}
		case "/cmd":
			b.mu.Lock()
			if len(b.cmds) > 0 {
				_, _ = io.WriteString(w, b.cmds[0])
				b.cmds = b.cmds[1:]
			}
			b.mu.Unlock()
		default:
			files.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	// Not t.TempDir: Chromium's helper processes may still write for a moment
	// after the kill, and t.TempDir fails the test on a non-empty directory.
	dir, err := os.MkdirTemp("", "ringside-jssip-")
	if err != nil {
		t.Fatal(err)
	}
	wav := filepath.Join(dir, "tone.wav")
	toneWAV(t, wav, 1000)
	q := url.Values{"ws": {env.WS}, "user": {user.Name}, "domain": {env.Domain}, "pw": {user.Password}}
	cmd := exec.Command(chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+filepath.Join(dir, "profile"),
		"--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
		"--use-file-for-fake-audio-capture="+wav,
		"--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
		"--disable-features=WebRtcHideLocalIpsWithMdns",
		srv.URL+"/index.html?"+q.Encode())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the whole process group
		_ = cmd.Wait()
		for i := 0; i < 40; i++ {
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	b.next(t, "registered")
	return b
}

func kamailio(t testing.TB) softphonetest.KamailioEnv {
	t.Helper()
	testenv.Env(t, "RINGSIDE_TEST_KAMAILIO_WS", "Kamailio (scripts/services/40-kamailio.sh)")
	env, ok := softphonetest.FromEnv()
	if !ok {
		testenv.Missing(t, "Kamailio test users ($RINGSIDE_TEST_SIP_USERS)")
	}
	return env.Group(2)
}

// phone is a Ringside softphone whose events go to a channel.
func phone(t testing.TB, env softphonetest.KamailioEnv, user int, h softphone.CallHandler) (*softphone.Phone, chan softphone.Event) {
	t.Helper()
	u := env.Users[user]
	p, err := softphone.New(softphone.Account{Server: env.WS, User: u.Name, Domain: env.Domain, Password: u.Password},
		softphone.WithLoopbackICE(), softphone.WithCallHandler(h), softphone.WithLevelInterval(0))
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan softphone.Event, 1024)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range p.Events() {
			select {
			case ch <- e:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		_ = p.Close(ctx)
		<-done
	})
	for e := range ch {
		if r, ok := e.(softphone.RegistrationEvent); ok && r.State == softphone.RegRegistered {
			break
		}
	}
	return p, ch
}

func nextEvent[T softphone.Event](t testing.TB, ch chan softphone.Event) T {
	t.Helper()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case e := <-ch:
			if x, ok := e.(T); ok {
				return x
			}
		case <-timer.C:
			var zero T
			t.Fatalf("no %T within %v", zero, wait)
		}
	}
}

func checkHears(t testing.TB, who string, p *softphonetest.Probe, freq float64) {
	t.Helper()
	if !p.WaitLoud(25, wait) {
		t.Fatalf("%s heard %d loud frames, want 25", who, p.LoudFrames())
	}
	// Wait for a clean window: on a loaded machine one may hold a gap.
	deadline := time.Now().Add(wait)
	for p.Level(freq) < 0.5 {
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v Hz has %.2f of the power, want most of it", who, freq, p.Level(freq))
		}
		p.WaitLoud(p.LoudFrames()+5, time.Second)
	}
}

func TestJsSIPInterop(t *testing.T) {
	env := kamailio(t)
	carol := startBrowser(t, env, env.Users[2])
	bobEar := softphonetest.NewProbe()
	bob, bobEvents := phone(t, env, 1, softphone.CallHandlerFunc(func(ctx context.Context, c *softphone.Call) softphone.Plan {
		return softphone.AnswerWith(softphone.Media{Source: &softphonetest.Tone{Freq: 440}, Sink: bobEar})
	}))

	t.Run("Ringside calls JsSIP", func(t *testing.T) {
		ear := softphonetest.NewProbe()
		call, err := bob.Dial(context.Background(), env.Users[2].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}, Sink: ear})
		if err != nil {
			t.Fatalf("Dial: %v", err)
		}
		carol.next(t, "incoming")
		carol.next(t, "heard")
		checkHears(t, "Ringside (from JsSIP's fake microphone)", ear, 1000)
		if err := call.Hangup(context.Background()); err != nil {
			t.Fatal(err)
		}
		carol.next(t, "ended")
		nextEvent[softphone.EndedEvent](t, bobEvents)
	})

	t.Run("JsSIP calls Ringside, DTMF, hangup", func(t *testing.T) {
		bobEar.Reset()
		carol.command("call sip:" + env.Users[1].Name + "@" + env.Domain)
		carol.next(t, "confirmed")
		in := nextEvent[softphone.IncomingCallEvent](t, bobEvents).Call
		checkHears(t, "Ringside", bobEar, 1000)
		carol.next(t, "heard")
		carol.command("dtmf 1234#")
		var got []rune
		for len(got) < 5 {
			got = append(got, nextEvent[softphone.DTMFEvent](t, bobEvents).Digit)
		}
		if string(got) != "1234#" {
			t.Errorf("DTMF from JsSIP %q, want 1234#", string(got))
		}
		carol.command("dtmfinfo 56")
		got = got[:0]
		for len(got) < 2 {
			got = append(got, nextEvent[softphone.DTMFEvent](t, bobEvents).Digit)
		}
		if string(got) != "56" {
			t.Errorf("DTMF by SIP INFO from JsSIP %q, want 56", string(got))
		}
		carol.command("hangup")
		if e := nextEvent[softphone.EndedEvent](t, bobEvents); e.Call != in || e.Reason != softphone.EndRemoteHangup {
			t.Errorf("ended %q, want remote hangup", e.Reason)
		}
	})
}

// BenchmarkJsSIPCallSetup prints, beside the softphone's own figure
// (softphone BenchmarkCallSetup), the time from JsSIP's call() in Chromium to
// the first audio frame at a Ringside callee, on the same loopback path
// through Kamailio; and from Ringside's Dial to the first audio JsSIP reports
// (its getStats audio level, polled every 10 ms).
func BenchmarkJsSIPCallSetup(b *testing.B) {
	env := kamailio(b)
	carol := startBrowser(b, env, env.Users[2])
	var mu sync.Mutex
	var ear *softphonetest.Probe
	bob, bobEvents := phone(b, env, 1, softphone.CallHandlerFunc(func(ctx context.Context, c *softphone.Call) softphone.Plan {
		mu.Lock()
		defer mu.Unlock()
		ear = softphonetest.NewProbe()
		return softphone.AnswerWith(softphone.Media{Sink: ear})
	}))
	var jsToRingside, ringsideToJS []time.Duration
	for b.Loop() {
		carol.command("call sip:" + env.Users[1].Name + "@" + env.Domain)
		start := time.UnixMilli(carol.next(b, "calling").T)
		carol.next(b, "confirmed")
		in := nextEvent[softphone.IncomingCallEvent](b, bobEvents).Call
		mu.Lock()
		e := ear
		mu.Unlock()
		if !e.WaitLoud(1, wait) {
			b.Fatal("no audio from JsSIP")
		}
		jsToRingside = append(jsToRingside, e.FirstLoud().Sub(start))
		_ = in.Hangup(context.Background())
		carol.next(b, "ended")
		nextEvent[softphone.EndedEvent](b, bobEvents)

		t0 := time.Now()
		call, err := bob.Dial(context.Background(), env.Users[2].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
		if err != nil {
			b.Fatalf("Dial: %v", err)
		}
		heard := time.UnixMilli(carol.next(b, "heard").T)
		ringsideToJS = append(ringsideToJS, heard.Sub(t0))
		_ = call.Hangup(context.Background())
		carol.next(b, "ended")
		nextEvent[softphone.EndedEvent](b, bobEvents)
	}
	med := func(d []time.Duration) float64 {
		s := slices.Clone(d)
		slices.Sort(s)
		return float64(s[len(s)/2].Microseconds()) / 1000
	}
	b.ReportMetric(med(jsToRingside), "ms-jssip-call-to-ringside-audio")
	b.ReportMetric(med(ringsideToJS), "ms-ringside-dial-to-jssip-audio")
	fmt.Printf("JsSIP 3.13 in headless Chromium, loopback through Kamailio, median of %d: JsSIP call() to first audio frame at a Ringside callee %.1f ms; Ringside Dial to first audio level at JsSIP %.1f ms (10 ms stats polling)\n",
		len(jsToRingside), med(jsToRingside), med(ringsideToJS))
}
