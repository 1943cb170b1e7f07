package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app/prefs"
)

// managedByAdmin is the reason shown beside every read-only setting.
const managedByAdmin = "Managed by your administrator"

// enumNames are the words "My preferences" shows for enum values.
var enumNames = map[string]string{
	"voicemail": "Voicemail", "ivr": "IVR", "queue": "Queue", "team": "Team", "agent": "Another agent",
	"hangup": "Hang up", "disabled": "Disabled", "all": "All calls", "direct": "Direct calls only",
	"queues_and_ring_groups": "Queues & ring groups only", "click_to_call": "Click-to-call only",
	"remote": "Remote", "local": "Local", "ring_all": "Ring all", "hunt": "Hunt", "memory_hunt": "Memory hunt",
	"on": "On", "off": "Off", "none": "None", "": "None", "default": "Default (generated from your name)",
}

// enumName returns how v is shown to users.
func enumName(v string) string {
	if n, ok := enumNames[v]; ok {
		return n
	}
	return v
}

// field is one setting's row in "My preferences": its label, its editor (or
// a read-only value with the reason), a hint saying what is allowed, and an
// inline message when the value typed is not allowed.
type field struct {
	key      *prefs.Key
	readOnly bool
	label    *widget.Label
	editor   fyne.CanvasObject
	hint     *widget.Label
	msg      *widget.Label
	cell     *fyne.Container
	list     *listEditor // list settings only
	get      func() string
	set      func(string)
	// changed is called after every edit (the form validates and tracks
	// unsaved changes).
	changed func(*field)
}

// newField builds the editor that fits k: a select for enums, a check for
// on/off, an entry for numbers and text, a list editor for lists. readOnly
// shows the value as text with the reason instead.
func newField(k *prefs.Key, readOnly bool, w fyne.Window) *field {
	f := &field{key: k, readOnly: readOnly, label: widget.NewLabel(k.Label)}
	f.msg = widget.NewLabel("")
	f.msg.Importance = widget.DangerImportance
	f.msg.Wrapping = fyne.TextWrapWord
	f.msg.Hide()
	f.hint = widget.NewLabel("")
	f.hint.Wrapping = fyne.TextWrapWord
	f.hint.TextStyle = fyne.TextStyle{Italic: true}
	f.hint.Hide()
	notify := func() {
		if f.changed != nil {
			f.changed(f)
		}
	}
	switch {
	case readOnly:
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		var cur string
		f.get = func() string { return cur }
		f.set = func(v string) {
			cur = v
			l.SetText(readOnlyText(k, v))
		}
		f.editor = l
		f.setHint(managedByAdmin)
	case k.Kind == prefs.KindBool:
		c := widget.NewCheck("", func(bool) { notify() })
		f.get = func() string { return onOff(c.Checked) }
		f.set = func(v string) { c.SetChecked(v == "on") }
		f.editor = c
	case k.Kind == prefs.KindEnum:
		s := newEnumSelect(k.Enum, func() { notify() })
		f.get, f.set, f.editor = s.get, s.set, s.sel
	case k.Kind == prefs.KindList:
		le := newListEditor(k, w, notify)
		f.get, f.set, f.editor, f.list = le.get, le.set, le.buildUI(), le
	default:
		e := widget.NewEntry()
		e.OnChanged = func(string) { notify() }
		f.get = func() string { return e.Text }
		f.set = func(v string) { e.SetText(v) }
		f.editor = e
		if k.Kind == prefs.KindInt {
			f.setHint(capitalise(k.Allowed()))
		}
	}
	f.cell = container.NewVBox(f.editor, f.hint, f.msg)
	return f
}

// setHint shows s under the editor ("" hides it).
func (f *field) setHint(s string) {
	f.hint.SetText(s)
	f.hint.Hidden = s == ""
	f.hint.Refresh()
}

// setMsg shows an error under the editor ("" hides it).
func (f *field) setMsg(s string) {
	f.msg.SetText(s)
	if s == "" {
		f.msg.Hide()
	} else {
		f.msg.Show()
	}
}

// show shows or hides the whole row.
func (f *field) show(on bool) {
	if on {
		f.label.Show()
		f.cell.Show()
	} else {
		f.label.Hide()
		f.cell.Hide()
	}
}

// validate checks the typed value with the key's own rule and returns the
// inline message ("" when the value is allowed).
func (f *field) validate() string {
	if f.readOnly {
		return ""
	}
	if f.key.Kind == prefs.KindList {
		return listMessage(f.key, prefs.List(f.get()))
	}
	if _, err := f.key.Parse(f.get()); err != nil {
		return "Not allowed: " + f.key.Allowed() + "."
	}
	return ""
}

func readOnlyText(k *prefs.Key, v string) string {
	switch {
	case v == "":
		return "Not set"
	case k.Kind == prefs.KindList:
		return strings.Join(prefs.List(v), ", ")
	case k.Kind == prefs.KindBool || k.Kind == prefs.KindEnum:
		return enumName(v)
	}
	return v
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// enumSelect is a select showing enum values by their names.
type enumSelect struct {
	sel    *widget.Select
	values []string
	names  map[string]string // overrides enumName (audio items by name)
}

func (s *enumSelect) name(v string) string {
	if n, ok := s.names[v]; ok {
		return n
	}
	return enumName(v)
}

func newEnumSelect(values []string, changed func()) *enumSelect {
	s := &enumSelect{values: values}
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = enumName(v)
	}
	s.sel = widget.NewSelect(names, func(string) { changed() })
	return s
}

func (s *enumSelect) get() string {
	i := s.sel.SelectedIndex()
	if i < 0 || i >= len(s.values) {
		return ""
	}
	return s.values[i]
}

func (s *enumSelect) set(v string) {
	for i, x := range s.values {
		if x == v {
			s.sel.SetSelectedIndex(i)
			return
		}
	}
	// A value this version does not list (kept as it is).
	s.values = append(s.values, v)
	s.sel.Options = append(s.sel.Options, s.name(v))
	s.sel.SetSelectedIndex(len(s.values) - 1)
}

// choices rebuilds the options (for selects whose values come from other
// settings, such as the outbound number from your numbers).
func (s *enumSelect) choices(values []string, names map[string]string) {
	cur := s.get()
	s.names = names
	s.values = append([]string(nil), values...)
	s.sel.Options = make([]string, len(values))
	for i, v := range values {
		s.sel.Options[i] = s.name(v)
	}
	s.sel.ClearSelected()
	if cur != "" {
		s.set(cur)
	}
}

// newChoiceField is a field edited with a select of given values (the
// outbound number, audio items), whose key is text in the store.
func newChoiceField(k *prefs.Key, values []string, w fyne.Window) (*field, *enumSelect) {
	f := newField(k, true, w) // labels and messages; the editor is replaced
	f.readOnly = false
	f.setHint("")
	s := newEnumSelect(values, func() {
		if f.changed != nil {
			f.changed(f)
		}
	})
	f.get, f.set, f.editor = s.get, s.set, s.sel
	f.cell = container.NewVBox(f.editor, f.hint, f.msg)
	return f, s
}

// errorText writes a save error for the field it belongs to.
func errorText(err error) string {
	var ve *prefs.ValueError
	var re *prefs.RuleError
	var pe *prefs.PermissionError
	switch {
	case asErr(err, &ve):
		return fmt.Sprintf("Not allowed: %s.", ve.Allowed)
	case asErr(err, &re):
		return capitalise(re.Msg) + "."
	case asErr(err, &pe):
		return managedByAdmin + "; ask them to change it."
	}
	return err.Error()
}
