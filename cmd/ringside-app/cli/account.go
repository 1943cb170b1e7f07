package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ringside/ringside/app"
)

func init() {
	register(&Command{Name: "account",
		Usage:   "account set --server URI --user NAME [--password-stdin] | show | mailbox-password | password | smtp ...",
		Summary: "the SIP account; passwords only from standard input or a prompt",
		Prompts: accountPrompts, Run: runAccount})
}

func accountPrompts(args []string) []string {
	if len(args) == 0 {
		return nil
	}
	switch args[0] {
	case "set":
		if slices.Contains(args, "--password-stdin") || slices.Contains(args, "-password-stdin") {
			return []string{"SIP password: "}
		}
	case "mailbox-password":
		return []string{"New mailbox password (4 to 10 digits): "}
	case "password":
		return []string{"Current account password: ", "New account password: "}
	case "smtp":
		return smtpPrompts(args[1:])
	}
	return nil
}

func runAccount(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 {
		return usagef("account needs set, show, mailbox-password or password")
	}
	switch sub, rest := args[0], args[1:]; sub {
	case "set":
		return accountSet(ctx, e, rest)
	case "show":
		return accountShow(ctx, e)
	case "smtp":
		return runSMTP(ctx, e, rest)
	case "mailbox-password":
		pw, err := e.Secret(0, "mailbox password")
		if err != nil {
			return err
		}
		if err := e.App.SetMailboxPassword(ctx, pw); err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, "mailbox password changed (stored in the OS keyring)")
		return nil
	case "password":
		cur := ""
		if len(e.Input) > 0 {
			cur = e.Input[0]
		}
		next, err := e.Secret(1, "new account password")
		if err != nil {
			return err
		}
		if err := e.App.ChangeAccountPassword(ctx, cur, next); err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, "account password changed (stored in the OS keyring)")
		return nil
	default:
		return usagef("unknown account command %q", sub)
	}
}

func accountSet(ctx context.Context, e *Env, args []string) error {
	cur, err := e.App.Account(ctx)
	if err != nil && !errors.Is(err, app.ErrNoAccount) {
		return err
	}
	fs := newFlags("account set")
	fs.StringVar(&cur.Server, "server", cur.Server, "SIP over WebSocket URI (ws:// or wss://)")
	fs.StringVar(&cur.User, "user", cur.User, "SIP user name")
	fs.StringVar(&cur.AuthUser, "auth-user", cur.AuthUser, "authentication user name, if different")
	fs.StringVar(&cur.Domain, "domain", cur.Domain, "SIP domain (default: the server's host)")
	fs.StringVar(&cur.DisplayName, "display-name", cur.DisplayName, "name shown to the people you call")
	fs.StringVar(&cur.VoicemailURI, "voicemail-uri", cur.VoicemailURI, "voicemail SIP URI")
	withPW := fs.Bool("password-stdin", false, "read the SIP password from standard input")
	pw, err := parseWithPassword(e, fs, args, withPW, "SIP password")
	if err != nil {
		return err
	}
	acct, err := e.App.SetAccount(ctx, cur, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "account %s@%s saved\n", acct.User, acct.Domain)
	return nil
}

func accountShow(ctx context.Context, e *Env) error {
	a, err := e.App.Account(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "server        %s\nuser          %s\n", a.Server, a.User)
	if a.AuthUser != "" {
		fmt.Fprintf(e.Stdout, "auth user     %s\n", a.AuthUser)
	}
	fmt.Fprintf(e.Stdout, "domain        %s\ndisplay name  %s\nvoicemail     %s\n", a.Domain, a.DisplayName, orDash(a.VoicemailURI))
	fmt.Fprintf(e.Stdout, "SIP password  %s\n", secretState(e.App, app.SIPKey(a)))
	fmt.Fprintf(e.Stdout, "mailbox pw    %s\n", secretState(e.App, app.MailboxKey(a)))
	fmt.Fprintf(e.Stdout, "registration  %s\n", e.App.RegistrationState())
	return nil
}

func secretState(a *app.App, key string) string {
	ok, err := a.HasSecret(key)
	switch {
	case err != nil:
		return "unknown: " + err.Error()
	case ok:
		return "set (in the OS keyring)"
	}
	return "not set"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
