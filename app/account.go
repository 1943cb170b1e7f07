package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/ringside/ringside/app/secrets"
	"github.com/ringside/ringside/app/store"
)

// Account is the SIP account (no password: that lives in the OS keyring).
type Account = store.Account

// AccountError says which account field is wrong and what is allowed.
type AccountError struct {
	Field, Value, Allowed string
}

func (e *AccountError) Error() string {
	return fmt.Sprintf("account %s: %q is not allowed; allowed: %s", e.Field, e.Value, e.Allowed)
}

var (
	sipUserRe = regexp.MustCompile(`^[A-Za-z0-9._~!$&'()*+;=%-]+$`)  // and at most 64: sipUser
	domainRe  = regexp.MustCompile(`^[A-Za-z0-9.-]+(:[0-9]{1,5})?$`) // and at most 253 + port
	digitsRe  = regexp.MustCompile(`^[0-9]{4,10}$`)
)

// Bounded repetitions ({1,253}) would compile into very large programs that
// every start of the binary pays for; lengths are checked apart.
func sipUser(s string) bool { return len(s) <= 64 && sipUserRe.MatchString(s) }

// CheckAccount validates a and fills the domain from the server when empty.
func CheckAccount(a Account) (Account, error) {
	u, err := url.Parse(a.Server)
	if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" || u.User != nil {
		return a, &AccountError{"server", a.Server, "a SIP-over-WebSocket URI such as wss://pbx.example.com:8443/ws (ws:// only for local tests)"}
	}
	if !sipUser(a.User) {
		return a, &AccountError{"user", a.User, "a SIP user name of 1 to 64 letters, digits or . _ ~ - characters"}
	}
	if a.AuthUser != "" && !sipUser(a.AuthUser) {
		return a, &AccountError{"auth user", a.AuthUser, "a SIP user name of 1 to 64 letters, digits or . _ ~ - characters, or empty to use the user name"}
	}
	if a.Domain == "" {
		a.Domain = u.Hostname()
	}
	if len(a.Domain) > 259 || !domainRe.MatchString(a.Domain) {
		return a, &AccountError{"domain", a.Domain, "a host name such as pbx.example.com"}
	}
	a.DisplayName = strings.TrimSpace(a.DisplayName)
	if len([]rune(a.DisplayName)) > 64 || strings.ContainsFunc(a.DisplayName, unicode.IsControl) || strings.ContainsAny(a.DisplayName, `"\`) {
		return a, &AccountError{"display name", a.DisplayName, "up to 64 characters without quotes, backslashes or control characters"}
	}
	if a.VoicemailURI != "" && !strings.HasPrefix(a.VoicemailURI, "sip:") && !strings.HasPrefix(a.VoicemailURI, "sips:") {
		return a, &AccountError{"voicemail URI", a.VoicemailURI, "a SIP URI such as sip:*97@pbx.example.com, or empty for Ringside's local voicemail"}
	}
	return a, nil
}

// SIPKey, MailboxKey and AccountKey name an account's secrets in the keyring.
func SIPKey(a Account) string     { return secrets.SIPKey(a.User, a.Domain) }
func MailboxKey(a Account) string { return secrets.MailboxKey(a.User, a.Domain) }
func AccountKey(a Account) string { return secrets.AccountKey(a.User, a.Domain) }

// Account returns the SIP account, or ErrNoAccount.
func (a *App) Account(ctx context.Context) (Account, error) {
	acct, ok, err := a.store.Account(ctx)
	if err != nil {
		return Account{}, err
	}
	if !ok {
		return Account{}, ErrNoAccount
	}
	return acct, nil
}

// SetAccount validates and stores the account; when password is not nil it
// goes to the OS keyring first, so a keyring failure changes nothing.
func (a *App) SetAccount(ctx context.Context, acct Account, password *string) (Account, error) {
	acct, err := CheckAccount(acct)
	if err != nil {
		return acct, err
	}
	if password != nil {
		if *password == "" {
			return acct, errors.New("SIP password: empty; give the password on standard input")
		}
		if err := a.keyring.Set(SIPKey(acct), *password); err != nil {
			return acct, fmt.Errorf("SIP password not saved, nothing changed: %w", err)
		}
	}
	if err := a.store.SetAccount(ctx, acct); err != nil {
		return acct, fmt.Errorf("save account: %w", err)
	}
	return acct, nil
}

// HasSecret reports whether the keyring holds key; an unreachable keyring is an error.
func (a *App) HasSecret(key string) (bool, error) {
	_, err := a.keyring.Get(key)
	if err == nil {
		return true, nil
	}
	if isNotFound(err) {
		return false, nil
	}
	return false, err
}

// SIPPassword returns the account's SIP password from the keyring.
func (a *App) SIPPassword(acct Account) (string, error) { return a.keyring.Get(SIPKey(acct)) }

// SetMailboxPassword checks (4 to 10 digits) and stores the voicemail
// mailbox password in the keyring.
func (a *App) SetMailboxPassword(ctx context.Context, pw string) error {
	acct, err := a.Account(ctx)
	if err != nil {
		return err
	}
	if !digitsRe.MatchString(pw) {
		return errors.New("mailbox password: not allowed; allowed: 4 to 10 digits")
	}
	v, err := a.Prefs(ctx)
	if err != nil {
		return err
	}
	if pw == v["voicemail.mailbox_number"] {
		return errors.New("mailbox password: must not be the mailbox number")
	}
	return a.keyring.Set(MailboxKey(acct), pw)
}

// ChangeAccountPassword replaces the account password after checking the
// current one (when one is stored) and the strength rule.
func (a *App) ChangeAccountPassword(ctx context.Context, current, next string) error {
	acct, err := a.Account(ctx)
	if err != nil {
		return err
	}
	old, err := a.keyring.Get(AccountKey(acct))
	switch {
	case err == nil:
		if current != old {
			return errors.New("account password: the current password is wrong; nothing changed")
		}
	case !isNotFound(err):
		return err
	}
	if msg := passwordStrength(next, acct.User); msg != "" {
		return errors.New("account password: " + msg)
	}
	return a.keyring.Set(AccountKey(acct), next)
}

// passwordStrength returns what is wrong with pw, or "".
func passwordStrength(pw, user string) string {
	const rule = "at least 10 characters with three of: lower case, upper case, digits, symbols; not containing your user name"
	classes := 0
	for _, f := range []func(rune) bool{unicode.IsLower, unicode.IsUpper, unicode.IsDigit, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r)
	}} {
		if strings.IndexFunc(pw, f) >= 0 {
			classes++
		}
	}
	if len([]rune(pw)) < 10 || classes < 3 || user != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(user)) {
		return "too weak; required: " + rule
	}
	return ""
}

// RegistrationState says whether the softphone is registered, in words
// ("registered as 1001@pbx.example.com"); without a softphone running in
// this process it says so.
func (a *App) RegistrationState() string { return a.registrationState() }
