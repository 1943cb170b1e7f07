package softphone

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
	"github.com/gorilla/websocket"
)

// maxFrame is the largest WebSocket message read; a larger one breaks the
// connection (the phone reconnects). Messages up to it but over the body
// limit are answered 413.
const maxFrame = 256 << 10

// conn is one SIP over WebSocket connection (RFC 7118) to the server. It
// answers WebSocket pings and CRLF keepalives itself (sipgo v1.7.3 does not,
// emiago/sipgo#325), pings the server, and reports its end on done.
type conn struct {
	ws     *websocket.Conn
	log    *slog.Logger
	remote string // host:port of the server, as the source of requests
	host   string // our made-up Via/Contact host (RFC 7118 section 5.2)

	wmu  sync.Mutex
	done chan struct{}
	once sync.Once
	err  error
}

// dialWS opens the WebSocket to the account's server with subprotocol sip.
func dialWS(ctx context.Context, u *url.URL, tlsConf *tls.Config, log *slog.Logger) (*conn, error) {
	d := websocket.Dialer{
		Subprotocols:     []string{"sip"},
		HandshakeTimeout: 10 * time.Second,
		TLSClientConfig:  tlsConf,
		Proxy:            http.ProxyFromEnvironment,
		ReadBufferSize:   16 << 10,
		WriteBufferSize:  16 << 10,
	}
	ws, resp, err := d.DialContext(ctx, u.String(), nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", redactURL(u), err)
	}
	if ws.Subprotocol() != "sip" {
		ws.Close()
		return nil, fmt.Errorf("connect %s: server did not accept WebSocket subprotocol sip", redactURL(u))
	}
	ws.SetReadLimit(maxFrame)
	c := &conn{
		ws:     ws,
		log:    log,
		remote: ws.RemoteAddr().String(),
		host:   randomToken(10) + ".invalid",
		done:   make(chan struct{}),
	}
	return c, nil
}

func redactURL(u *url.URL) string {
	v := *u
	v.User = nil
	v.RawQuery = ""
	return v.String()
}

// close ends the connection with err as the reason (nil: closed by us).
func (c *conn) close(err error) {
	c.once.Do(func() {
		c.err = err
		c.wmu.Lock()
		_ = c.ws.SetWriteDeadline(time.Now().Add(time.Second))
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		c.wmu.Unlock()
		c.ws.Close()
		close(c.done)
	})
}

// closed reports whether the connection ended.
func (c *conn) closed() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// send writes one SIP message as one text frame.
func (c *conn) send(msg sip.Message) error {
	if c.closed() {
		return ErrNotConnected
	}
	data := []byte(msg.String())
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := c.ws.WriteMessage(websocket.TextMessage, data); err != nil {
		go c.close(fmt.Errorf("write: %w", err))
		return fmt.Errorf("%w: %v", ErrNotConnected, err)
	}
	return nil
}

// readLoop reads messages until the connection ends, handing each parsed SIP
// message to handle. Keepalives (pings, CRLF) are answered here. It returns
// after the connection is closed.
func (c *conn) readLoop(keepalive time.Duration, handle func(sip.Message, []byte)) {
	parser := sip.NewParser()
	deadline := func() { _ = c.ws.SetReadDeadline(time.Now().Add(3 * keepalive)) }
	deadline()
	c.ws.SetPingHandler(func(data string) error {
		deadline()
		c.wmu.Lock()
		defer c.wmu.Unlock()
		err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(5*time.Second))
		if err != nil && !errors.Is(err, websocket.ErrCloseSent) {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return nil
			}
			return err
		}
		return nil
	})
	c.ws.SetPongHandler(func(string) error { deadline(); return nil })
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			c.close(fmt.Errorf("read: %w", err))
			return
		}
		deadline()
		if typ != websocket.TextMessage && typ != websocket.BinaryMessage {
			continue
		}
		if len(bytes.Trim(data, "\r\n")) == 0 {
			// RFC 5626 section 3.5.1 keepalive: answer a double CRLF with one.
			if bytes.Equal(data, []byte("\r\n\r\n")) {
				c.wmu.Lock()
				_ = c.ws.WriteMessage(websocket.TextMessage, []byte("\r\n"))
				c.wmu.Unlock()
			}
			continue
		}
		msg, err := parser.ParseSIP(data)
		if err != nil {
			c.log.Warn("malformed SIP message ignored", "from", c.remote, "bytes", len(data), "err", err)
			continue
		}
		handle(msg, data)
	}
}

// pingLoop pings the server every interval until the connection ends or
// stop is closed.
func (c *conn) pingLoop(interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-stop:
			return
		case <-t.C:
			c.wmu.Lock()
			err := c.ws.WriteControl(websocket.PingMessage, []byte("ringside"), time.Now().Add(5*time.Second))
			c.wmu.Unlock()
			if err != nil {
				c.close(fmt.Errorf("ping: %w", err))
				return
			}
		}
	}
}
