package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/internal/testenv"
)

func entryOf(t *testing.T, p *prefsPage, key string) *widget.Entry {
	t.Helper()
	e, ok := p.fields[key].editor.(*widget.Entry)
	if !ok {
		t.Fatalf("%s: editor is %T, not an entry", key, p.fields[key].editor)
	}
	return e
}

func checkOf(t *testing.T, p *prefsPage, key string) *widget.Check {
	t.Helper()
	c, ok := p.fields[key].editor.(*widget.Check)
	if !ok {
		t.Fatalf("%s: editor is %T, not a check", key, p.fields[key].editor)
	}
	return c
}

func selectOf(t *testing.T, p *prefsPage, key string) *widget.Select {
	t.Helper()
	s, ok := p.fields[key].editor.(*widget.Select)
	if !ok {
		t.Fatalf("%s: editor is %T, not a select", key, p.fields[key].editor)
	}
	return s
}

// retype replaces an entry's text by typing, as a user would.
func retype(e *widget.Entry, s string) {
	e.SetText("")
	test.Type(e, s)
}

// save taps Save and waits for the write.
func save(t *testing.T, p *prefsPage) {
	t.Helper()
	if p.save_.Disabled() {
		t.Fatal("Save is disabled")
	}
	test.Tap(p.save_)
	p.wait()
}

// TestPrefsEveryKey checks that every setting of SPEC.md section 12 has a
// row, with the widget its kind needs, and that admin settings are read-only
// with the reason for an agent.
func TestPrefsEveryKey(t *testing.T) {
	p, _ := openPrefs(t, newTestApp(t))
	for _, k := range prefs.Keys() {
		f, ok := p.fields[k.Name]
		if !ok {
			t.Errorf("%s: no row in My preferences", k.Name)
			continue
		}
		if k.Admin {
			if !f.readOnly || f.hint.Text != managedByAdmin {
				t.Errorf("%s: admin setting not read-only with the reason (hint %q)", k.Name, f.hint.Text)
			}
			if _, ok := f.editor.(*widget.Label); !ok {
				t.Errorf("%s: read-only editor is %T", k.Name, f.editor)
			}
			continue
		}
		var want string
		switch {
		case k.Name == "call.outbound_number" || strings.HasSuffix(k.Name, "outgoing_message") || k.Name == "personalization.name_recording",
			strings.HasSuffix(k.Name, "_device"):
			want = "*widget.Select"
		case k.Kind == prefs.KindBool:
			want = "*widget.Check"
		case k.Kind == prefs.KindEnum:
			want = "*widget.Select"
		case k.Kind == prefs.KindList:
			want = "*fyne.Container"
		default:
			want = "*widget.Entry"
		}
		if got := typeName(f.editor); got != want {
			t.Errorf("%s: editor %s, want %s", k.Name, got, want)
		}
	}
	if !p.save_.Disabled() || !p.cancel.Disabled() {
		t.Error("Save/Cancel enabled before any change")
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *widget.Entry:
		return "*widget.Entry"
	case *widget.Check:
		return "*widget.Check"
	case *widget.Select:
		return "*widget.Select"
	case *widget.Label:
		return "*widget.Label"
	}
	return "*fyne.Container"
}

// TestPrefsSave drives each tab: type, tap, save, and checks the store.
func TestPrefsSave(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, p *prefsPage)
		want map[string]string
	}{
		{"general: name and location", func(t *testing.T, p *prefsPage) {
			retype(entryOf(t, p, "general.first_name"), "Grace")
			retype(entryOf(t, p, "general.last_name"), "Hopper")
			test.Type(entryOf(t, p, "general.location"), "Arlington")
		}, map[string]string{"general.first_name": "Grace", "general.last_name": "Hopper", "general.location": "Arlington"}},
		{"general: after-call work and start minimized", func(t *testing.T, p *prefsPage) {
			retype(entryOf(t, p, "status.after_call_work_seconds"), "45")
			test.Tap(checkOf(t, p, "app.start_minimized"))
		}, map[string]string{"status.after_call_work_seconds": "45", "app.start_minimized": "on"}},
		{"call settings: incoming call options", func(t *testing.T, p *prefsPage) {
			retype(entryOf(t, p, "call.ring_time"), "35")
			selectOf(t, p, "call.no_answer_destination").SetSelected("Queue")
			if !p.fields["call.no_answer_target"].label.Visible() {
				t.Error("no-answer target hidden for a queue")
			}
			test.Type(entryOf(t, p, "call.no_answer_target"), "sip:sales@pbx.example.com")
			test.Tap(checkOf(t, p, "call.call_waiting"))
			selectOf(t, p, "call.auto_answer").SetSelected("Click-to-call only")
			selectOf(t, p, "call.blind_transfer_caller_id").SetSelected("Local")
		}, map[string]string{"call.ring_time": "35", "call.no_answer_destination": "queue",
			"call.no_answer_target": "sip:sales@pbx.example.com", "call.call_waiting": "off",
			"call.auto_answer": "click_to_call", "call.blind_transfer_caller_id": "local"}},
		{"call settings: forwarding", func(t *testing.T, p *prefsPage) {
			if p.fields["forwarding.numbers"].label.Visible() {
				t.Error("forwarding options shown while forwarding is off")
			}
			test.Tap(checkOf(t, p, "forwarding.enabled"))
			if !p.fields["forwarding.numbers"].label.Visible() {
				t.Error("forwarding options hidden while forwarding is on")
			}
			le := p.fields["forwarding.numbers"].list
			test.Tap(le.add)
			test.Type(le.entries[0], "+44 20 7946 0000")
			test.Tap(le.add)
			test.Type(le.entries[1], "sip:desk@pbx.example.com")
			selectOf(t, p, "forwarding.ring_strategy").SetSelected("Memory hunt")
			retype(entryOf(t, p, "forwarding.ring_extension_first"), "10")
		}, map[string]string{"forwarding.enabled": "on", "forwarding.numbers": "+442079460000,sip:desk@pbx.example.com",
			"forwarding.ring_strategy": "memory_hunt", "forwarding.ring_extension_first": "10"}},
		{"voicemail: email notification", func(t *testing.T, p *prefsPage) {
			test.Tap(checkOf(t, p, "voicemail.notify_email"))
			le := p.fields["voicemail.email_recipients"].list
			test.Tap(le.add)
			test.Type(le.entries[0], "ada@example.com")
			test.Tap(checkOf(t, p, "voicemail.email_transcript"))
		}, map[string]string{"voicemail.notify_email": "on", "voicemail.email_recipients": "ada@example.com",
			"voicemail.email_transcript": "on"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestApp(t, prefs.Change{Key: "general.first_name", Value: "Ada"}, prefs.Change{Key: "general.last_name", Value: "Lovelace"})
			p, _ := openPrefs(t, a)
			tt.edit(t, p)
			for k, want := range tt.want {
				if got := stored(t, a, k); got == want {
					t.Fatalf("%s already %q before Save: something was written early", k, got)
				}
				if msg := p.fields[k].msg; msg.Visible() {
					t.Errorf("%s: inline message %q for a good value", k, msg.Text)
				}
			}
			save(t, p)
			for k, want := range tt.want {
				if got := stored(t, a, k); got != want {
					t.Errorf("%s = %q after Save, want %q (banner %q)", k, got, want, p.banner.Text)
				}
			}
			if !strings.HasPrefix(p.banner.Text, "Saved") || p.banner.Importance != widget.SuccessImportance {
				t.Errorf("banner %q after a save", p.banner.Text)
			}
			if !p.save_.Disabled() {
				t.Error("Save still enabled after saving")
			}
		})
	}
}

// TestPrefsRefused types bad values: each shows its message as typed (or on
// Save for rules between settings), Save writes nothing and the form keeps
// what was typed.
func TestPrefsRefused(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(t *testing.T, p *prefsPage)
		key     string // where the message shows
		inline  bool   // shown while typing, before Save
		msgPart string
	}{
		{"ring time out of range", func(t *testing.T, p *prefsPage) {
			retype(entryOf(t, p, "call.ring_time"), "500")
		}, "call.ring_time", true, "5 to 120"},
		{"empty first name", func(t *testing.T, p *prefsPage) {
			retype(entryOf(t, p, "general.first_name"), "")
		}, "general.first_name", true, "1 to 64"},
		{"bad forwarding number", func(t *testing.T, p *prefsPage) {
			test.Tap(checkOf(t, p, "forwarding.enabled"))
			le := p.fields["forwarding.numbers"].list
			test.Tap(le.add)
			test.Type(le.entries[0], "not a number")
		}, "forwarding.numbers", true, "not a number"},
		{"forwarding on without numbers", func(t *testing.T, p *prefsPage) {
			test.Tap(checkOf(t, p, "forwarding.enabled"))
		}, "forwarding.numbers", false, "at least one number"},
		{"queue without a target", func(t *testing.T, p *prefsPage) {
			selectOf(t, p, "call.no_answer_destination").SetSelected("Queue")
		}, "call.no_answer_target", false, "target"},
		{"voicemail email without recipients", func(t *testing.T, p *prefsPage) {
			test.Tap(checkOf(t, p, "voicemail.notify_email"))
		}, "voicemail.email_recipients", false, "email address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestApp(t, prefs.Change{Key: "general.first_name", Value: "Ada"}, prefs.Change{Key: "general.last_name", Value: "Lovelace"})
			before, _ := a.Prefs(t.Context())
			p, _ := openPrefs(t, a)
			tt.edit(t, p)
			f := p.fields[tt.key]
			if tt.inline != f.msg.Visible() {
				t.Errorf("inline message shown %v before Save, want %v (%q)", f.msg.Visible(), tt.inline, f.msg.Text)
			}
			typed := f.get()
			save(t, p)
			after, _ := a.Prefs(t.Context())
			for k, v := range before {
				if after[k] != v {
					t.Errorf("%s changed to %q by a refused save", k, after[k])
				}
			}
			if !f.msg.Visible() || !strings.Contains(strings.ToLower(f.msg.Text), strings.ToLower(tt.msgPart)) {
				t.Errorf("message beside %s: %q (visible %v), want it to mention %q", tt.key, f.msg.Text, f.msg.Visible(), tt.msgPart)
			}
			if f.get() != typed {
				t.Errorf("form lost what was typed: %q, was %q", f.get(), typed)
			}
			if !strings.HasPrefix(p.banner.Text, "Not saved") || p.banner.Importance != widget.DangerImportance {
				t.Errorf("banner %q", p.banner.Text)
			}
			// Cancel puts the saved values back.
			test.Tap(p.cancel)
			if f.get() != before[tt.key] || f.msg.Visible() {
				t.Errorf("after Cancel %s = %q (message %q), want %q", tt.key, f.get(), f.msg.Text, before[tt.key])
			}
		})
	}
}

// TestPrefsPasswords changes the mailbox password through its dialog: the
// entry never shows the secret and the keyring gets it.
func TestPrefsPasswords(t *testing.T) {
	a := newTestApp(t)
	if _, err := a.SetAccount(t.Context(), accountForTest(), ptr("sip-secret-1")); err != nil {
		t.Fatal(err)
	}
	p, w := openPrefs(t, a)
	p.mailboxPasswordDialog()
	var pw []*widget.Entry
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if e, ok := o.(*widget.Entry); ok && e.Password {
			pw = append(pw, e)
		}
	}
	if len(pw) != 2 {
		t.Fatalf("%d password entries in the dialog, want 2", len(pw))
	}
	test.Type(pw[0], "4321")
	test.Type(pw[1], "4321")
	var change *widget.Button
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Change" {
			change = b
		}
	}
	test.Tap(change)
	p.wait()
	acct, _ := a.Account(t.Context())
	if ok, err := a.HasSecret("mailbox:" + acct.User + "@" + acct.Domain); err != nil || !ok {
		t.Fatalf("mailbox password not in the keyring: %v %v", ok, err)
	}
	if strings.Contains(p.banner.Text, "4321") || !strings.Contains(p.banner.Text, "changed") {
		t.Errorf("banner %q", p.banner.Text)
	}
}

// TestPrefsDeviceChoices lists the test PulseAudio's devices for the
// microphone, speaker and ringer settings, with the system default first.
func TestPrefsDeviceChoices(t *testing.T) {
	testenv.Env(t, "RINGSIDE_TEST_PULSE", "PulseAudio")
	p, _ := openPrefs(t, newTestApp(t))
	in, out := p.devSel["audio.input_device"], p.devSel["audio.output_device"]
	if len(in.values) < 2 || in.values[0] != "default" || in.sel.Options[0] != "System default" {
		t.Fatalf("microphone choices %v", in.values)
	}
	if len(out.values) < 2 || slices.Equal(in.values, out.values) {
		t.Errorf("speaker choices %v (microphones %v)", out.values, in.values)
	}
}
