package ui

import (
	"context"
	"errors"
	"fmt"
	"github.com/ringside/ringside/audio"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/prefs"
)

// prefsPage is "My preferences": tabs General, Call settings and Voicemail &
// greetings with every setting, and one Save and Cancel for all of them.
// Nothing is written until Save; a refused save keeps what was typed and
// shows each problem beside its setting.
type prefsPage struct {
	a   *app.App
	w   fyne.Window
	log *slog.Logger
	// startPhone restarts the softphone after the SIP account changed (nil:
	// leave it alone).
	startPhone func(ctx context.Context) error
	// onSaved is called on the Fyne thread after a save that changed something.
	onSaved func()

	saved   prefs.Values // what the store holds, as last read
	fields  map[string]*field
	order   []*field
	tabs    *container.AppTabs
	save_   *widget.Button
	cancel  *widget.Button
	banner  *widget.Label // "Saved", or what went wrong
	acct    *widget.Label // the SIP account, or how to set one up
	acctB   *widget.Button
	outb    *enumSelect
	itemSel map[string]*enumSelect // audio item settings
	items   []app.Item
	devSel  map[string]*enumSelect // audio device settings
	devices []audio.Device
	loaded  bool
	busy    bool
	fwdOn   string // forwarding.enabled as last shown, to relayout on a flip

	wg sync.WaitGroup // loads and saves
}

func newPrefsPage(a *app.App, w fyne.Window, log *slog.Logger) *prefsPage {
	return &prefsPage{a: a, w: w, log: log, fields: map[string]*field{}, itemSel: map[string]*enumSelect{},
		devSel: map[string]*enumSelect{}}
}

// sections of each tab: a title and the keys it shows.
type section struct {
	title, subtitle string
	keys            []string
	extra           string // "credentials" or "mailbox": buttons under the settings
}

var prefsTabs = []struct {
	name     string
	sections []section
}{
	{"General", []section{
		{"Personal details", "Your email address can only be changed by your administrator.",
			[]string{"general.first_name", "general.last_name", "general.location", "general.email"}, ""},
		{"Account credentials", "", nil, "credentials"},
		{"Security settings", "", []string{"security.two_factor"}, ""},
		{"Profile settings", "Your assigned platform configuration, shown for reference.",
			[]string{"profile.roles", "profile.groups", "profile.numbers", "profile.extensions"}, ""},
		{"Ringside", "Availability, audio devices and start-up.",
			[]string{"status.after_call_work_seconds", "audio.input_device", "audio.output_device", "audio.ringer_device", "app.start_minimized"}, ""},
	}},
	{"Call settings", []section{
		{"Outbound number", "The caller ID of your outgoing calls.", []string{"call.outbound_number", "call.dynamic_caller_id"}, ""},
		{"Incoming call options", "How calls that reach your extension are handled.",
			[]string{"call.no_answer_destination", "call.no_answer_target", "call.ring_time", "call.missed_call_email",
				"call.call_waiting", "call.auto_answer", "call.log_missed_queue_calls", "call.blind_transfer_caller_id"}, ""},
		{"Call recording", "Managed by your administrator.", []string{"recording.enabled", "recording.ai_insights"}, ""},
		{"Call forwarding", "When forwarding is on, more options appear.",
			[]string{"forwarding.enabled", "forwarding.numbers", "forwarding.inbound_caller_id", "forwarding.direct_calls_only",
				"forwarding.ring_extension_first", "forwarding.require_confirmation", "forwarding.outgoing_message",
				"forwarding.ring_strategy", "forwarding.no_answer_destination", "forwarding.no_answer_target",
				"forwarding.notify_numbers", "forwarding.ring_time"}, ""},
	}},
	{"Voicemail & greetings", []section{
		{"Voicemail settings", "How voicemail messages are handled and delivered.",
			[]string{"voicemail.notify_email", "voicemail.email_recipients", "voicemail.email_transcript", "voicemail.outgoing_message"}, ""},
		{"Voicemail access", "", []string{"voicemail.mailbox_number"}, "mailbox"},
		{"Personalization", "Callers find your extension by your name; this recording announces it.",
			[]string{"personalization.name_recording"}, ""},
	}},
}

// itemKeys hold an audio library item id, chosen with a select.
var itemKeys = []string{"forwarding.outgoing_message", "voicemail.outgoing_message", "personalization.name_recording"}

// deviceKeys are the settings chosen among the audio devices.
var deviceKeys = []string{"audio.input_device", "audio.output_device", "audio.ringer_device"}

func (p *prefsPage) buildUI() fyne.CanvasObject {
	// Read-only until the settings are read: the role decides what is editable.
	p.tabs = container.NewAppTabs()
	p.banner = widget.NewLabel("Loading your settings…")
	p.banner.Wrapping = fyne.TextWrapWord
	p.save_ = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), p.save)
	p.save_.Importance = widget.HighImportance
	p.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), p.revert)
	p.save_.Disable()
	p.cancel.Disable()
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(p.cancel, p.save_), p.banner)
	body := container.NewStack(p.tabs)
	p.load(nil)
	return container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), bar), nil, nil, body)
}

func (p *prefsPage) shown() {
	if p.loaded && !p.dirty() && !p.busy {
		p.load(nil) // pick up changes made from the command line
	}
}

// load reads the settings off the Fyne thread and fills the form; then is
// called on the Fyne thread afterwards.
func (p *prefsPage) load(then func()) {
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		v, err := p.a.Prefs(ctx)
		acct, aerr := p.a.Account(ctx)
		items, ierr := p.a.Items(ctx)
		if ierr != nil {
			p.log.Error("audio library not read", "err", ierr)
		}
		devs, derr := p.a.AudioDevices(ctx)
		if derr != nil {
			p.log.Warn("audio devices not listed", "err", derr)
		}
		fyne.Do(func() {
			if err != nil {
				p.log.Error("settings not read", "err", err)
				p.setBanner("Your settings could not be read: "+err.Error(), widget.DangerImportance)
				return
			}
			if !p.loaded {
				p.build(v.Role())
				p.loaded = true
			}
			p.items = items
			p.devices = devs
			p.fill(v)
			p.showAccount(acct, aerr)
			p.setBanner("", widget.MediumImportance)
			if then != nil {
				then()
			}
		})
	})
}

// build makes the tabs and fields for role.
func (p *prefsPage) build(role prefs.Role) {
	for _, tab := range prefsTabs {
		var cards []fyne.CanvasObject
		for _, s := range tab.sections {
			form := container.New(layout.NewFormLayout())
			for _, name := range s.keys {
				f := p.newFieldFor(name, role)
				form.Add(f.label)
				form.Add(f.cell)
			}
			var content fyne.CanvasObject = form
			switch s.extra {
			case "credentials":
				content = container.NewVBox(form, p.credentials())
			case "mailbox":
				content = container.NewVBox(form, p.mailbox())
			}
			cards = append(cards, widget.NewCard(s.title, s.subtitle, content))
		}
		p.tabs.Append(container.NewTabItem(tab.name, container.NewVScroll(container.NewVBox(cards...))))
	}
}

func (p *prefsPage) newFieldFor(name string, role prefs.Role) *field {
	k, err := prefs.Lookup(name)
	if err != nil {
		panic(err) // a programming error: prefsTabs names a key prefs does not have
	}
	ro := !prefs.MayChange(role, k)
	var f *field
	switch {
	case name == "call.outbound_number" && !ro:
		f, p.outb = newChoiceField(k, []string{""}, p.w)
	case slices.Contains(itemKeys, name) && !ro:
		var sel *enumSelect
		f, sel = newChoiceField(k, []string{k.Default}, p.w)
		p.itemSel[name] = sel
		f.setHint("Record, import or make messages with text to speech in the Audio library.")
	case slices.Contains(deviceKeys, name) && !ro:
		var sel *enumSelect
		f, sel = newChoiceField(k, []string{k.Default}, p.w)
		p.devSel[name] = sel
	default:
		f = newField(k, ro, p.w)
	}
	f.changed = p.changed
	p.fields[name] = f
	p.order = append(p.order, f)
	return f
}

// fill shows v in every field and takes it as the saved state.
func (p *prefsPage) fill(v prefs.Values) {
	p.saved = v
	if p.outb != nil {
		p.outb.choices(append([]string{""}, v.List("profile.numbers")...), nil)
		if len(v.List("profile.numbers")) == 0 {
			p.fields["call.outbound_number"].setHint("Your administrator has not assigned you any numbers yet.")
		}
	}
	for key, sel := range p.itemSel {
		def, _ := prefs.Lookup(key)
		values, names := []string{def.Default}, map[string]string{}
		for _, it := range p.items {
			values = append(values, it.ID)
			names[it.ID] = it.Name + " (" + strings.ToLower(kindNames[it.Kind]) + ")"
		}
		sel.choices(values, names)
	}
	for key, sel := range p.devSel {
		kind := audio.Playback
		if key == "audio.input_device" {
			kind = audio.Capture
		}
		values, names := []string{"default"}, map[string]string{"default": "System default"}
		for _, d := range p.devices {
			if d.Kind == kind && !slices.Contains(values, d.Name) {
				values = append(values, d.Name)
				names[d.Name] = d.Name
			}
		}
		sel.choices(values, names)
	}
	for _, f := range p.order {
		f.set(v[f.key.Name])
		f.setMsg("")
	}
	p.updateState()
}

// changed runs after every edit: inline validation, dependent rows,
// Save/Cancel.
func (p *prefsPage) changed(f *field) {
	if p.saved == nil {
		return
	}
	if f.get() == p.saved[f.key.Name] {
		f.setMsg("")
	} else {
		f.setMsg(f.validate())
	}
	p.updateState()
}

// updateState shows the rows that depend on others and enables Save and
// Cancel when something changed.
func (p *prefsPage) updateState() {
	fwdOn := p.value("forwarding.enabled") == "on"
	relayout := p.fwdOn != onOff(fwdOn)
	p.fwdOn = onOff(fwdOn)
	for _, f := range p.order {
		if f.key.Name != "forwarding.enabled" && len(f.key.Name) > 11 && f.key.Name[:11] == "forwarding." {
			f.show(fwdOn)
		}
	}
	for _, pre := range []string{"call.", "forwarding."} {
		if t, ok := p.fields[pre+"no_answer_target"]; ok {
			needs := slices.Contains([]string{"ivr", "queue", "team", "agent"}, p.value(pre+"no_answer_destination"))
			show := needs && (pre == "call." || fwdOn)
			relayout = relayout || show != t.label.Visible()
			t.show(show)
		}
	}
	if relayout {
		for _, it := range p.tabs.Items {
			it.Content.Refresh() // the scroll takes the new height
		}
	}
	if p.dirty() && !p.busy {
		p.save_.Enable()
		p.cancel.Enable()
	} else {
		p.save_.Disable()
		p.cancel.Disable()
	}
}

func (p *prefsPage) value(name string) string {
	if f, ok := p.fields[name]; ok {
		return f.get()
	}
	return p.saved[name]
}

// changes returns the edits not saved yet.
func (p *prefsPage) changes() []prefs.Change {
	var out []prefs.Change
	for _, f := range p.order {
		if f.readOnly {
			continue
		}
		if v := f.get(); v != p.saved[f.key.Name] {
			out = append(out, prefs.Change{Key: f.key.Name, Value: v})
		}
	}
	return out
}

func (p *prefsPage) dirty() bool { return p.saved != nil && len(p.changes()) > 0 }

// save writes every edit at once, off the Fyne thread; on refusal the form
// stays as typed and each problem shows beside its setting.
func (p *prefsPage) save() {
	ch := p.changes()
	if len(ch) == 0 || p.busy {
		return
	}
	p.busy = true
	p.updateState()
	p.setBanner("Saving…", widget.MediumImportance)
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		next, err := p.a.SetPrefs(ctx, ch...) // the App applies them (after-call work...)
		fyne.Do(func() {
			p.busy = false
			if err != nil {
				p.showErrors(err)
				p.updateState()
				return
			}
			p.fill(next)
			p.setBanner(fmt.Sprintf("Saved at %s.", time.Now().Format("15:04")), widget.SuccessImportance)
			if p.onSaved != nil {
				p.onSaved()
			}
		})
	})
}

// showErrors puts each problem of a refused save beside its setting.
func (p *prefsPage) showErrors(err error) {
	var list []error
	var es prefs.Errors
	if errors.As(err, &es) {
		list = es
	} else {
		list = []error{err}
	}
	var other []string
	var first *field
	for _, e := range list {
		f := p.fields[errKey(e)]
		if f == nil || !f.label.Visible() {
			other = append(other, e.Error())
			continue
		}
		msg := f.validate() // names the bad item of a list
		if msg == "" {
			msg = errorText(e)
		}
		f.setMsg(msg)
		if first == nil {
			first = f
		}
	}
	msg := fmt.Sprintf("Not saved: %d problem(s); see the messages in red. Nothing was changed.", len(list))
	if len(other) > 0 {
		msg = "Not saved, nothing was changed: " + other[0]
	}
	p.setBanner(msg, widget.DangerImportance)
	if first != nil {
		p.selectTabOf(first.key.Name)
	}
}

// errKey names the setting an error is about.
func errKey(err error) string {
	var ve *prefs.ValueError
	var re *prefs.RuleError
	var pe *prefs.PermissionError
	switch {
	case asErr(err, &ve):
		return ve.Key
	case asErr(err, &re):
		return re.Keys[0]
	case asErr(err, &pe):
		return pe.Key
	}
	return ""
}

func asErr[T any](err error, target *T) bool { return errors.As(err, target) }

// selectTabOf brings the tab holding name forward.
func (p *prefsPage) selectTabOf(name string) {
	for i, tab := range prefsTabs {
		for _, s := range tab.sections {
			if slices.Contains(s.keys, name) {
				p.tabs.SelectIndex(i)
				return
			}
		}
	}
}

// revert drops the edits.
func (p *prefsPage) revert() {
	if p.saved != nil {
		p.fill(p.saved)
		p.setBanner("Changes discarded.", widget.MediumImportance)
	}
}

func (p *prefsPage) setBanner(s string, imp widget.Importance) {
	p.banner.Importance = imp
	p.banner.SetText(s)
}

// wait waits for loads and saves in flight.
func (p *prefsPage) wait() { p.wg.Wait() }
