// Package instance keeps one running Ringside per data directory and lets
// other processes (the command line, tel:/sip: links, a second launch) talk to
// it over a local socket in the data directory. The socket is owner-only and
// every request must carry the token from an owner-only file beside it;
// oversized, garbled or unauthenticated requests are refused without harm.
package instance

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// File names in the data directory.
const (
	SocketName = "ringside.sock"
	TokenName  = "ringside.token"
	lockName   = "ringside.instance.lock"
)

// MaxMessage is the largest request or response accepted, in bytes.
const MaxMessage = 1 << 20

// ErrNotRunning means no Ringside app is running for the data directory.
var ErrNotRunning = errors.New("no running Ringside for this data directory")

// ErrRunning means another Ringside app already runs for the data directory.
var ErrRunning = errors.New("Ringside is already running for this data directory")

// ErrRefused means the running app refused the request (bad token or garbled message).
var ErrRefused = errors.New("request refused by the running Ringside")

// Request is one command for the running app: command-line arguments and
// what the caller read from its standard input (passwords typed at a prompt).
type Request struct {
	Token string   `json:"token"`
	Args  []string `json:"args"`
	Stdin []byte   `json:"stdin,omitempty"`
	// Dir is the caller's working directory, against which the verb
	// resolves relative file names.
	Dir string `json:"dir,omitempty"`
}

// Response is what the command printed and its exit code.
type Response struct {
	Stdout []byte `json:"stdout,omitempty"`
	Stderr []byte `json:"stderr,omitempty"`
	Code   int    `json:"code"`
	Error  string `json:"error,omitempty"` // set when the request itself was refused
}

// Handler runs one request in the running app.
type Handler func(ctx context.Context, req Request) Response

// Server is the running app's end of the socket.
type Server struct {
	ln     net.Listener
	token  string
	lock   *os.File
	h      Handler
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Listen claims the data directory for this process and serves h on its
// socket. It returns ErrRunning when another process holds it.
func Listen(dir string, h Handler, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	lock, err := lockFile(filepath.Join(dir, lockName))
	if err != nil {
		return nil, err
	}
	token, err := writeToken(filepath.Join(dir, TokenName))
	if err != nil {
		lock.Close()
		return nil, err
	}
	sock := filepath.Join(dir, SocketName)
	os.Remove(sock) // stale socket of a crashed instance: we hold the lock
	ln, err := net.Listen("unix", sock)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("listen on %s: %w", sock, err)
	}
	if err := os.Chmod(sock, 0o600); err != nil {
		ln.Close()
		lock.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{ln: ln, token: token, lock: lock, h: h, log: log, ctx: ctx, cancel: cancel}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

func writeToken(path string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(b)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(tok), 0o600); err != nil {
		return "", err
	}
	return tok, os.Rename(tmp, path)
}

// Close stops serving, waits for requests in progress and releases the directory.
func (s *Server) Close() error {
	s.cancel()
	err := s.ln.Close()
	s.wg.Wait()
	s.lock.Close()
	return err
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			if s.ctx.Err() == nil {
				s.log.Warn("instance socket accept failed", "err", err)
			}
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.handle(c)
		}()
	}
}

func (s *Server) handle(c net.Conn) {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var req Request
	if err := readMsg(c, &req); err != nil {
		if errors.Is(err, io.EOF) {
			return // a probe (Running): connected and closed without a word
		}
		s.log.Warn("instance socket: bad request refused", "err", err)
		writeMsg(c, Response{Code: 2, Error: "bad request: " + err.Error()})
		return
	}
	if subtle.ConstantTimeCompare([]byte(req.Token), []byte(s.token)) != 1 {
		s.log.Warn("instance socket: request with a wrong token refused")
		writeMsg(c, Response{Code: 2, Error: "wrong token"})
		return
	}
	c.SetReadDeadline(time.Time{})
	req.Token = ""
	resp := s.h(s.ctx, req)
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := writeMsg(c, resp); err != nil {
		s.log.Warn("instance socket: reply not sent", "err", err)
	}
}

// Call sends args to the app running for dir and returns its response, or
// ErrNotRunning when none answers.
func Call(ctx context.Context, dir string, args []string, stdin []byte) (Response, error) {
	cwd, _ := os.Getwd()
	tok, err := os.ReadFile(filepath.Join(dir, TokenName))
	if err != nil {
		return Response{}, ErrNotRunning
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", filepath.Join(dir, SocketName))
	if err != nil {
		return Response{}, ErrNotRunning
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()
	if err := writeMsg(c, Request{Token: string(tok), Args: args, Stdin: stdin, Dir: cwd}); err != nil {
		return Response{}, fmt.Errorf("talking to the running Ringside: %w", err)
	}
	var resp Response
	if err := readMsg(c, &resp); err != nil {
		return Response{}, fmt.Errorf("talking to the running Ringside: %w", err)
	}
	if resp.Error != "" {
		return resp, fmt.Errorf("%w: %s", ErrRefused, resp.Error)
	}
	return resp, nil
}

// Running reports whether an app is running for dir.
func Running(dir string) bool {
	c, err := net.DialTimeout("unix", filepath.Join(dir, SocketName), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func writeMsg(w io.Writer, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if len(body) > MaxMessage {
		return fmt.Errorf("message of %d bytes is over the %d byte limit", len(body), MaxMessage)
	}
	buf := make([]byte, 4+len(body))
	binary.BigEndian.PutUint32(buf, uint32(len(body)))
	copy(buf[4:], body)
	_, err = w.Write(buf)
	return err
}

func readMsg(r io.Reader, v any) error {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > MaxMessage {
		return fmt.Errorf("message of %d bytes is over the %d byte limit", n, MaxMessage)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return err
	}
	return json.Unmarshal(body, v)
}
