package app

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/ringside/ringside/app/prefs"
)

// mailbox is a real SMTP server (emersion/go-smtp) on 127.0.0.1 that keeps
// what it receives.
type mailbox struct {
	mu       sync.Mutex
	user, pw string
	authed   []string
	msgs     []received
	got      chan struct{}
}

type received struct {
	from string
	to   []string
	data string
}

type mboxSession struct {
	m      *mailbox
	authed bool
	cur    received
}

func (s *mboxSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *mboxSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pw string) error {
		if user != s.m.user || pw != s.m.pw {
			return errors.New("invalid credentials")
		}
		s.authed = true
		s.m.mu.Lock()
		s.m.authed = append(s.m.authed, user)
		s.m.mu.Unlock()
		return nil
	}), nil
}
func (s *mboxSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.cur.from = from
	return nil
}
func (s *mboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}
func (s *mboxSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = string(b)
	s.m.mu.Lock()
	s.m.msgs = append(s.m.msgs, s.cur)
	s.m.mu.Unlock()
	s.cur = received{}
	select {
	case s.m.got <- struct{}{}:
	default:
	}
	return nil
}
func (s *mboxSession) Reset()        { s.cur = received{} }
func (s *mboxSession) Logout() error { return nil }

// startSMTP starts the server with STARTTLS on a self-signed certificate for
// 127.0.0.1 and returns its port and a TLS config that trusts it.
func startSMTP(t *testing.T, user, pw string) (*mailbox, int, *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	m := &mailbox{user: user, pw: pw, got: make(chan struct{}, 8)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mboxSession{m: m}, nil }))
	srv.Domain = "127.0.0.1"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return m, l.Addr().(*net.TCPAddr).Port, &tls.Config{RootCAs: pool}
}

func (m *mailbox) wait(t *testing.T, n int) []received {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		m.mu.Lock()
		if len(m.msgs) >= n {
			out := append([]received(nil), m.msgs...)
			m.mu.Unlock()
			return out
		}
		m.mu.Unlock()
		select {
		case <-m.got:
		case <-deadline:
			t.Fatalf("%d message(s) expected, none more arrived", n)
		}
	}
}

func TestMissedCallEmail(t *testing.T) {
	ctx := context.Background()
	const pw = "s3cret-Smtp-pw"
	mb, port, tlsConf := startSMTP(t, "agent@example.com", pw)
	a, kr := openTest(t, WithSMTPTLSConfig(tlsConf))
	if _, err := a.SMTP(ctx); !errors.Is(err, ErrNoSMTP) {
		t.Fatalf("SMTP before set: %v", err)
	}
	p := pw
	s, err := a.SetSMTP(ctx, SMTPAccount{Host: "127.0.0.1", Port: port, User: "agent@example.com"}, &p)
	if err != nil {
		t.Fatal(err)
	}
	if s.TLS != "starttls" || kr.m["smtp:agent@example.com@127.0.0.1"] != pw {
		t.Fatalf("account %+v, keyring %v", s, kr.m)
	}
	if _, err := a.Provision(ctx, writeDoc(t, `{"general.email": "agent@example.com"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetPrefs(ctx, prefs.Change{Key: "call.missed_call_email", Value: "direct"}); err != nil {
		t.Fatal(err)
	}
	v, _ := a.Prefs(ctx)
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	// A queue call is filtered out by "direct"; the direct one is sent.
	a.missedCall(HistoryEntry{CallID: "q1", Direction: "incoming", Origin: "queue", Peer: "sip:+15550001@pbx", Result: ResultMissed, Start: start, Missed: true}, v)
	a.missedCall(HistoryEntry{CallID: "d1", Direction: "incoming", Origin: "direct", Peer: "sip:bob@pbx", PeerName: "Bob Stone",
		Result: ResultMissed, Target: "sip:*97@pbx", Ring: 20 * time.Second, Start: start, Missed: true}, v)
	a.phoneState().wg.Wait()
	msgs := mb.wait(t, 1)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1 (the queue call is filtered out)", len(msgs))
	}
	m := msgs[0]
	if m.from != "agent@example.com" || len(m.to) != 1 || m.to[0] != "agent@example.com" {
		t.Fatalf("envelope %q -> %v", m.from, m.to)
	}
	for _, want := range []string{"Subject: Missed call from Bob Stone <sip:bob@pbx>", "Rang:    20 s", "missed, sent to sip:*97@pbx", "Origin:  direct"} {
		if !strings.Contains(m.data, want) {
			t.Errorf("message lacks %q:\n%s", want, m.data)
		}
	}
	if strings.Contains(m.data, pw) {
		t.Fatal("the message carries the SMTP password")
	}
	if len(mb.authed) != 1 {
		t.Fatalf("logins: %v", mb.authed)
	}

	// A wrong password: a clear error without the password in it.
	wrong := "Wrong-Pw-123"
	if _, err := a.SetSMTP(ctx, s, &wrong); err != nil {
		t.Fatal(err)
	}
	err = a.SendMail(ctx, "agent@example.com", "x", "y")
	if err == nil || strings.Contains(err.Error(), wrong) || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("wrong password: %v", err)
	}
}

func TestEmailWanted(t *testing.T) {
	for _, tt := range []struct {
		setting, origin string
		want            bool
	}{
		{"disabled", "direct", false}, {"all", "queue", true}, {"all", "direct", true},
		{"direct", "direct", true}, {"direct", "ring_group", false},
		{"queues_and_ring_groups", "queue", true}, {"queues_and_ring_groups", "ring_group", true}, {"queues_and_ring_groups", "direct", false},
	} {
		if got := emailWanted(tt.setting, tt.origin); got != tt.want {
			t.Errorf("emailWanted(%s, %s) = %v", tt.setting, tt.origin, got)
		}
	}
}

func TestCheckSMTP(t *testing.T) {
	for _, bad := range []SMTPAccount{{Host: "", Port: 587}, {Host: "smtp.example.com", Port: 0}, {Host: "smtp.example.com", Port: 587, TLS: "ssl"},
		{Host: "smtp example", Port: 25}, {Host: "h", Port: 25, User: "a b"}} {
		if _, err := CheckSMTP(bad); err == nil {
			t.Errorf("CheckSMTP(%+v) accepted", bad)
		}
	}
	if s, err := CheckSMTP(SMTPAccount{Host: " smtp.example.com ", Port: 465, TLS: "tls"}); err != nil || s.Host != "smtp.example.com" {
		t.Fatalf("%+v %v", s, err)
	}
}
