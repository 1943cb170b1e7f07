package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
)

// The password dialogs use password entries (never echoed), hand the text
// straight to the App, which keeps it only in the OS keyring, and neither
// log it nor show it in a message.

// credentials is the General tab's "Account credentials" section: the SIP
// account and the account password.
func (p *prefsPage) credentials() fyne.CanvasObject {
	p.acct = widget.NewLabel("Reading the account…")
	p.acct.Wrapping = fyne.TextWrapWord
	p.acctB = widget.NewButtonWithIcon("Set up SIP account…", theme.AccountIcon(), p.accountDialog)
	pw := widget.NewButtonWithIcon("Change account password…", theme.LoginIcon(), p.accountPasswordDialog)
	return container.NewVBox(p.acct, container.NewHBox(p.acctB, pw))
}

// mailbox is the "Voicemail access" section's password button.
func (p *prefsPage) mailbox() fyne.CanvasObject {
	return container.NewHBox(widget.NewButtonWithIcon("Change mailbox password…", theme.LoginIcon(), p.mailboxPasswordDialog))
}

func (p *prefsPage) showAccount(acct app.Account, err error) {
	if p.acct == nil {
		return
	}
	switch {
	case errors.Is(err, app.ErrNoAccount):
		p.acct.SetText("No SIP account set up yet. Set one up here or with `ringside account set`.")
		p.acctB.SetText("Set up SIP account…")
	case err != nil:
		p.acct.SetText("The SIP account could not be read: " + err.Error())
	default:
		p.acct.SetText("SIP account " + acct.User + "@" + acct.Domain + " on " + acct.Server)
		p.acctB.SetText("Edit SIP account…")
	}
}

// accountDialog sets up or edits the SIP account; the password is optional
// when editing (empty keeps the stored one).
func (p *prefsPage) accountDialog() {
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		cur, _ := p.a.Account(ctx) // ErrNoAccount: an empty form
		fyne.Do(func() { p.showAccountDialog(cur) })
	})
}

func (p *prefsPage) showAccountDialog(cur app.Account) {
	server, user, auth := widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	display, vm, pw := widget.NewEntry(), widget.NewEntry(), widget.NewPasswordEntry()
	server.SetText(cur.Server)
	server.SetPlaceHolder("wss://pbx.example.com:8443/ws")
	user.SetText(cur.User)
	auth.SetText(cur.AuthUser)
	auth.SetPlaceHolder("same as the user name")
	display.SetText(cur.DisplayName)
	vm.SetText(cur.VoicemailURI)
	vm.SetPlaceHolder("sip:*97@pbx.example.com, or empty for Ringside's voicemail")
	pw.SetPlaceHolder("leave empty to keep the stored one")
	items := []*widget.FormItem{
		widget.NewFormItem("Server", server), widget.NewFormItem("User", user),
		widget.NewFormItem("Auth user", auth), widget.NewFormItem("Display name", display),
		widget.NewFormItem("Voicemail URI", vm), widget.NewFormItem("SIP password", pw),
	}
	d := dialog.NewForm("SIP account", "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		acct := app.Account{Server: server.Text, User: user.Text, AuthUser: auth.Text, DisplayName: display.Text,
			VoicemailURI: vm.Text, Domain: cur.Domain}
		var secret *string
		if pw.Text != "" {
			s := pw.Text
			secret = &s
		} else if cur.User == "" {
			dialog.ShowError(errors.New("SIP password: empty; type the account's SIP password"), p.w)
			return
		}
		p.run("SIP account saved.", func(ctx context.Context) error {
			if _, err := p.a.SetAccount(ctx, acct, secret); err != nil {
				return err
			}
			// The softphone registers with the new account.
			if p.startPhone == nil {
				return nil
			}
			if err := p.a.StopPhone(ctx); err != nil {
				p.log.Warn("softphone not stopped", "err", err)
			}
			if err := p.startPhone(ctx); err != nil {
				return fmt.Errorf("SIP account saved, but the softphone did not start: %w", err)
			}
			return nil
		}, func() { p.load(nil) })
	}, p.w)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

func (p *prefsPage) accountPasswordDialog() {
	cur, next, again := widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem("Current password", cur), widget.NewFormItem("New password", next),
		widget.NewFormItem("New password again", again),
	}
	items[1].HintText = "At least 10 characters with three of: lower case, upper case, digits, symbols"
	d := dialog.NewForm("Change account password", "Change", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		if next.Text != again.Text {
			dialog.ShowError(errors.New("account password: the two new passwords differ; nothing changed"), p.w)
			return
		}
		c, n := cur.Text, next.Text
		p.run("Account password changed.", func(ctx context.Context) error {
			return p.a.ChangeAccountPassword(ctx, c, n)
		}, nil)
	}, p.w)
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
}

func (p *prefsPage) mailboxPasswordDialog() {
	next, again := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	items := []*widget.FormItem{widget.NewFormItem("New password", next), widget.NewFormItem("Again", again)}
	items[0].HintText = "4 to 10 digits, not your mailbox number"
	d := dialog.NewForm("Change mailbox password", "Change", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		if next.Text != again.Text {
			dialog.ShowError(errors.New("mailbox password: the two passwords differ; nothing changed"), p.w)
			return
		}
		n := next.Text
		p.run("Mailbox password changed.", func(ctx context.Context) error {
			return p.a.SetMailboxPassword(ctx, n)
		}, nil)
	}, p.w)
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
}

// run calls fn off the Fyne thread and tells the user how it went.
func (p *prefsPage) run(done string, fn func(context.Context) error, then func()) {
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err := fn(ctx)
		fyne.Do(func() {
			if err != nil {
				dialog.ShowError(err, p.w)
				return
			}
			p.setBanner(done, widget.SuccessImportance)
			if then != nil {
				then()
			}
		})
	})
}
