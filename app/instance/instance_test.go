package instance

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func echo(ctx context.Context, req Request) Response {
	if req.Token != "" || req.Dir == "" {
		return Response{Code: 99}
	}
	return Response{Stdout: []byte(strings.Join(req.Args, " ") + "|" + string(req.Stdin)), Code: len(req.Args)}
}

func TestRoundTripAndOneInstance(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := Call(ctx, dir, []string{"x"}, nil); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("call with nothing running: %v", err)
	}
	s, err := Listen(dir, echo, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(dir, echo, nil); !errors.Is(err, ErrRunning) {
		t.Fatalf("second instance: %v, want ErrRunning", err)
	}
	resp, err := Call(ctx, dir, []string{"status", "set", "away"}, []byte("pw"))
	if err != nil || string(resp.Stdout) != "status set away|pw" || resp.Code != 3 {
		t.Fatalf("call: %+v %v", resp, err)
	}
	for _, name := range []string{SocketName, TokenName} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v (%v), want owner-only", name, st.Mode().Perm(), err)
		}
	}
	s.Close()
	if Running(dir) {
		t.Error("still running after Close")
	}
	// The directory can be claimed again, even with the stale socket file left.
	s2, err := Listen(dir, echo, nil)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
}

func TestBadRequestsAreRefusedWithoutHarm(t *testing.T) {
	dir := t.TempDir()
	s, err := Listen(dir, echo, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sock := filepath.Join(dir, SocketName)
	send := func(raw []byte) string {
		c, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write(raw)
		c.(*net.UnixConn).CloseWrite()
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		var resp Response
		if err := readMsg(c, &resp); err != nil {
			return "closed: " + err.Error()
		}
		return resp.Error
	}
	frame := func(body string) []byte {
		b := make([]byte, 4+len(body))
		binary.BigEndian.PutUint32(b, uint32(len(body)))
		copy(b[4:], body)
		return b
	}
	huge := make([]byte, 4)
	binary.BigEndian.PutUint32(huge, MaxMessage+1)
	cases := map[string][]byte{
		"garbage":     []byte("GET / HTTP/1.1\r\n\r\n"),
		"not json":    frame("{{{"),
		"no token":    frame(`{"args":["status"]}`),
		"wrong token": frame(`{"token":"0000","args":["status"]}`),
		"oversized":   huge,
		"truncated":   frame(`{"token":"`)[:8],
	}
	for name, raw := range cases {
		if got := send(raw); got == "" {
			t.Errorf("%s: accepted", name)
		}
	}
	// Still serving real requests.
	resp, err := Call(context.Background(), dir, []string{"ok"}, nil)
	if err != nil || string(resp.Stdout) != "ok|" {
		t.Fatalf("after bad requests: %+v %v", resp, err)
	}
}
