package app

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/secrets"
)

// MissedCall is what a missed-call notification tells.
type MissedCall struct {
	HistoryEntry
}

// Title is a one-line summary ("Missed call from Bob <sip:bob@pbx>").
func (m MissedCall) Title() string {
	who := m.Peer
	if m.PeerName != "" {
		who = m.PeerName + " <" + m.Peer + ">"
	}
	kind := "call"
	switch m.Origin {
	case "queue":
		kind = "queue call"
	case "ring_group":
		kind = "ring-group call"
	}
	return "Missed " + kind + " from " + who
}

// Body is the text of the notification.
func (m MissedCall) Body() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", m.Title())
	fmt.Fprintf(&b, "When:    %s\n", m.Start.Local().Format("Mon 2 Jan 2006 15:04:05 MST"))
	fmt.Fprintf(&b, "From:    %s\n", m.Peer)
	if m.PeerName != "" {
		fmt.Fprintf(&b, "Name:    %s\n", m.PeerName)
	}
	fmt.Fprintf(&b, "Origin:  %s\n", strings.ReplaceAll(m.Origin, "_", " "))
	fmt.Fprintf(&b, "Rang:    %d s\n", int(m.Ring.Round(time.Second)/time.Second))
	what := m.Result
	if m.Target != "" {
		what += ", sent to " + m.Target
	}
	fmt.Fprintf(&b, "Result:  %s\n", what)
	b.WriteString("\nSent by Ringside (call.missed_call_email).\n")
	return b.String()
}

// OnMissedCall sets the desktop notification hook (the UI sets it): fn runs
// on a goroutine of the App for every call that enters the missed-call list.
func (a *App) OnMissedCall(fn func(MissedCall)) {
	a.phoneState().notifyMu.Lock()
	a.phoneState().notify = fn
	a.phoneState().notifyMu.Unlock()
}

// missedCall notifies a missed call: the desktop hook when it is in the
// missed-call list, and email by call.missed_call_email.
func (a *App) missedCall(e HistoryEntry, v prefs.Values) {
	m := MissedCall{e}
	a.phoneState().notifyMu.Lock()
	fn := a.phoneState().notify
	a.phoneState().notifyMu.Unlock()
	if fn != nil && e.Missed {
		fn(m)
	}
	if !emailWanted(v["call.missed_call_email"], e.Origin) {
		return
	}
	a.phoneState().wg.Add(1)
	go func() {
		defer a.phoneState().wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if err := a.EmailMissedCall(ctx, m); err != nil {
			a.log.Warn("missed-call email not sent", "call", e.CallID, "err", err)
		}
	}()
}

// emailWanted applies call.missed_call_email to a call origin.
func emailWanted(setting, origin string) bool {
	switch setting {
	case "all":
		return true
	case "direct":
		return origin == "direct"
	case "queues_and_ring_groups":
		return origin == "queue" || origin == "ring_group"
	}
	return false
}

// SMTPAccount is the user's mail server for missed-call emails; its password
// lives in the OS keyring (SMTPKey).
type SMTPAccount struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	User string `json:"user"`
	// TLS is starttls (the default), tls (implicit TLS, port 465) or none.
	TLS string `json:"tls"`
}

// SMTPKey names the SMTP password in the keyring: smtp:<user>@<host>.
func SMTPKey(s SMTPAccount) string { return secrets.SMTPKey(s.User, s.Host) }

// ErrNoSMTP means no SMTP account is set up.
var ErrNoSMTP = errors.New("no SMTP account is set up; set one with: ringside smtp set --host HOST --port PORT --user USER --password-stdin")

func smtpHostOK(h string) bool { return len(h) <= 255 && smtpHostRe.MatchString(h) }

var smtpHostRe = regexp.MustCompile(`^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$`) // and at most 255 long

// CheckSMTP validates an SMTP account.
func CheckSMTP(s SMTPAccount) (SMTPAccount, error) {
	s.Host, s.User = strings.TrimSpace(s.Host), strings.TrimSpace(s.User)
	if s.TLS == "" {
		s.TLS = "starttls"
	}
	if !smtpHostOK(s.Host) {
		return s, &AccountError{"SMTP host", s.Host, "a host name such as smtp.example.com"}
	}
	if s.Port < 1 || s.Port > 65535 {
		return s, &AccountError{"SMTP port", fmt.Sprint(s.Port), "1 to 65535 (587 for starttls, 465 for tls)"}
	}
	if len(s.User) > 254 || strings.ContainsAny(s.User, " \t\r\n") {
		return s, &AccountError{"SMTP user", s.User, "a user name or address without spaces, or empty for no login"}
	}
	if s.TLS != "starttls" && s.TLS != "tls" && s.TLS != "none" {
		return s, &AccountError{"SMTP TLS mode", s.TLS, "starttls, tls or none"}
	}
	return s, nil
}

// SMTP returns the SMTP account, or ErrNoSMTP.
func (a *App) SMTP(ctx context.Context) (SMTPAccount, error) {
	var s SMTPAccount
	err := a.store.DB().QueryRowContext(ctx, `SELECT host, port, user, tls_mode FROM smtp_account WHERE id = 1`).
		Scan(&s.Host, &s.Port, &s.User, &s.TLS)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNoSMTP
	}
	if err != nil {
		return s, fmt.Errorf("read the SMTP account: %w", err)
	}
	return s, nil
}

// SetSMTP validates and stores the SMTP account; when password is not nil it
// goes to the keyring first, so a keyring failure changes nothing.
func (a *App) SetSMTP(ctx context.Context, s SMTPAccount, password *string) (SMTPAccount, error) {
	s, err := CheckSMTP(s)
	if err != nil {
		return s, err
	}
	if password != nil {
		if *password == "" {
			return s, errors.New("SMTP password: empty; give the password on standard input")
		}
		if err := a.keyring.Set(SMTPKey(s), *password); err != nil {
			return s, fmt.Errorf("SMTP password not saved, nothing changed: %w", err)
		}
	}
	_, err = a.store.DB().ExecContext(ctx, `INSERT INTO smtp_account (id, host, port, user, tls_mode) VALUES (1, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET host = excluded.host, port = excluded.port, user = excluded.user, tls_mode = excluded.tls_mode`,
		s.Host, s.Port, s.User, s.TLS)
	if err != nil {
		return s, fmt.Errorf("save the SMTP account: %w", err)
	}
	return s, nil
}

// WithSMTPTLSConfig sets the TLS configuration for the SMTP server (tests
// trust their own certificate with it). The default verifies the server
// against the system roots.
func WithSMTPTLSConfig(c *tls.Config) Option { return func(a *App) { a.phoneState().smtpTLS = c } }

// EmailMissedCall sends the missed-call email to general.email through the
// SMTP account.
func (a *App) EmailMissedCall(ctx context.Context, m MissedCall) error {
	v, err := a.Prefs(ctx)
	if err != nil {
		return err
	}
	to := v["general.email"]
	if to == "" {
		return errors.New("missed-call email: general.email is not set (an administrator sets it through provisioning)")
	}
	return a.SendMail(ctx, to, m.Title(), m.Body())
}

// SendMail sends a plain-text email through the SMTP account. Errors never
// carry the password.
func (a *App) SendMail(ctx context.Context, to, subject, body string) error {
	s, err := a.SMTP(ctx)
	if err != nil {
		return err
	}
	pw := ""
	if s.User != "" {
		pw, err = a.keyring.Get(SMTPKey(s))
		if err != nil {
			if isNotFound(err) {
				return fmt.Errorf("the SMTP password for %s is not in the OS keyring; set it with: ringside smtp set --password-stdin", SMTPKey(s))
			}
			return fmt.Errorf("SMTP password: %w", err)
		}
	}
	from := s.User
	if !strings.Contains(from, "@") {
		v, err := a.Prefs(ctx)
		if err != nil {
			return err
		}
		from = v["general.email"]
	}
	msg := mail.NewMsg()
	if err := msg.From(from); err != nil {
		return fmt.Errorf("email sender %q: %w", from, err)
	}
	if err := msg.To(to); err != nil {
		return fmt.Errorf("email recipient %q: %w", to, err)
	}
	msg.Subject(subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(mail.TypeTextPlain, body)
	opts := []mail.Option{mail.WithPort(s.Port), mail.WithTimeout(30 * time.Second)}
	tlsConf := a.phoneState().smtpTLS
	if tlsConf == nil {
		tlsConf = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	tlsConf = tlsConf.Clone()
	if tlsConf.ServerName == "" {
		tlsConf.ServerName = s.Host
	}
	opts = append(opts, mail.WithTLSConfig(tlsConf))
	switch s.TLS {
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if s.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(s.User), mail.WithPassword(pw))
	}
	c, err := mail.NewClient(s.Host, opts...)
	if err != nil {
		return fmt.Errorf("SMTP %s:%d: %s", s.Host, s.Port, redact(err.Error(), pw))
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("SMTP %s:%d (%s): %s", s.Host, s.Port, s.TLS, redact(err.Error(), pw))
	}
	return nil
}

// redact removes a secret from a message.
func redact(msg, secret string) string {
	if secret == "" {
		return msg
	}
	return strings.ReplaceAll(msg, secret, "[redacted]")
}
