package softphone

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// A wss:// server whose certificate does not verify is refused by default;
// the same server is accepted with its CA given, and the URI path is kept.
func TestWSSVerifiesCertificates(t *testing.T) {
	paths := make(chan string, 10)
	up := websocket.Upgrader{Subprotocols: []string{"sip"}}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths <- r.URL.Path
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	server := "wss" + strings.TrimPrefix(srv.URL, "https") + "/sip/ws"
	acct := Account{Server: server, User: "alice", Domain: "example.com", Password: "x"}

	run := func(opts ...Option) RegistrationEvent {
		t.Helper()
		p, err := New(acct, append(opts, WithReconnectBackoff(time.Hour, time.Hour))...)
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = p.Close(ctx)
		}()
		for e := range p.Events() {
			r, ok := e.(RegistrationEvent)
			if !ok || r.State == RegRegistering && r.Err == nil {
				continue
			}
			return r
		}
		return RegistrationEvent{}
	}

	r := run()
	var uerr *tls.CertificateVerificationError
	if r.State != RegFailed || !errors.As(r.Err, &uerr) {
		t.Errorf("default TLS: state %v, err %v; want failed with a certificate verification error", r.State, r.Err)
	}

	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	p, err := New(acct, WithTLSConfig(&tls.Config{RootCAs: pool}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go func() {
		for range p.Events() {
		}
	}()
	if _, err := p.waitConn(ctx); err != nil {
		t.Fatalf("with the CA: %v", err)
	}
	_ = p.Close(ctx)
	for len(paths) > 0 {
		if got := <-paths; got != "/sip/ws" {
			t.Errorf("server saw path %q, want /sip/ws", got)
		}
	}
}
