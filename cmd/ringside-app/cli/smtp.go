package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ringside/ringside/app"
)

func init() {
	register(&Command{Name: "smtp",
		Usage:   "smtp set --host HOST --port PORT [--user USER] [--tls starttls|tls|none] [--password-stdin] | show | test",
		Summary: "the SMTP account for missed-call emails; the password only from standard input or a prompt",
		Prompts: smtpPrompts, Run: runSMTP})
}

func smtpPrompts(args []string) []string {
	if len(args) > 0 && args[0] == "set" && (slices.Contains(args, "--password-stdin") || slices.Contains(args, "-password-stdin")) {
		return []string{"SMTP password: "}
	}
	return nil
}

func runSMTP(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 {
		return usagef("smtp needs set, show or test")
	}
	switch sub, rest := args[0], args[1:]; sub {
	case "set":
		return smtpSet(ctx, e, rest)
	case "show":
		s, err := e.App.SMTP(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "host      %s\nport      %d\nuser      %s\ntls       %s\npassword  %s\n",
			s.Host, s.Port, orDash(s.User), s.TLS, secretState(e.App, app.SMTPKey(s)))
		return nil
	case "test":
		v, err := e.App.Prefs(ctx)
		if err != nil {
			return err
		}
		to := v["general.email"]
		if to == "" {
			return errors.New("general.email is not set: there is no address to send the test to")
		}
		ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if err := e.App.SendMail(ctx, to, "Ringside test email", "This is a test of the SMTP account Ringside uses for missed-call emails.\n"); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "test email sent to %s\n", to)
		return nil
	default:
		return usagef("unknown smtp command %q", sub)
	}
}

func smtpSet(ctx context.Context, e *Env, args []string) error {
	cur, err := e.App.SMTP(ctx)
	if err != nil && !errors.Is(err, app.ErrNoSMTP) {
		return err
	}
	if cur.Port == 0 {
		cur.Port = 587
	}
	fs := newFlags("smtp set")
	fs.StringVar(&cur.Host, "host", cur.Host, "SMTP server host")
	fs.IntVar(&cur.Port, "port", cur.Port, "SMTP server port (587 starttls, 465 tls)")
	fs.StringVar(&cur.User, "user", cur.User, "login user (empty: no login)")
	fs.StringVar(&cur.TLS, "tls", cur.TLS, "starttls, tls or none")
	withPW := fs.Bool("password-stdin", false, "read the SMTP password from standard input")
	pw, err := parseWithPassword(e, fs, args, withPW, "SMTP password")
	if err != nil {
		return err
	}
	s, err := e.App.SetSMTP(ctx, cur, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "SMTP account %s:%d (%s) saved\n", s.Host, s.Port, s.TLS)
	return nil
}
