package prefs

import "sort"

// Key describes one setting: its name, kind, default and who may change it.
type Key struct {
	Name    string
	Kind    Kind
	Default string
	// Admin marks keys that only an admin may change; others see them read-only.
	Admin bool
	// Enum lists the allowed values of enum and bool keys.
	Enum []string
	// Label is the name users know from "My preferences".
	Label string
	p     parser
}

// Allowed describes the values the key accepts, for messages and help.
func (k *Key) Allowed() string { return k.p.allowed }

// Parse checks raw against the key's rule and returns its canonical form
// (booleans on/off, numbers without padding, lists comma-separated and
// trimmed, phone numbers compact).
func (k *Key) Parse(raw string) (string, error) {
	v, ok := k.p.parse(raw)
	if !ok {
		return "", &ValueError{Key: k.Name, Value: raw, Allowed: k.p.allowed}
	}
	return v, nil
}

var noAnswer = []string{"voicemail", "ivr", "queue", "team", "agent", "hangup"}

// keys is every setting of SPEC.md section 12, in the order "My preferences" shows them.
var keys = []*Key{
	text("general.first_name", "First name", 1, 64),
	text("general.last_name", "Last name", 1, 64),
	text("general.location", "Location", 0, 100),
	admin(&Key{Name: "general.email", Label: "Email", Kind: KindText, p: optional(emailParser())}),
	admin(boolean("security.two_factor", "Two-factor authentication", "off")),
	admin(list("profile.roles", "Roles", "agent", listParser(enumParser("agent", "supervisor", "admin"), 1, 3))),
	admin(list("profile.groups", "Groups", "", listParser(groupParser(), 0, 100))),
	admin(list("profile.numbers", "Phone numbers", "", listParser(e164Parser(), 0, 100))),
	admin(list("profile.extensions", "Extensions", "", listParser(digitsParser(), 0, 100))),

	{Name: "call.outbound_number", Label: "Outbound number", Kind: KindText, p: optional(e164Parser())},
	boolean("call.dynamic_caller_id", "Dynamic caller ID", "off"),
	enum("call.no_answer_destination", "Destination if no answer", noAnswer...),
	{Name: "call.no_answer_target", Label: "No-answer target", Kind: KindText, p: optional(destinationParser(false))},
	integer("call.ring_time", "Ring time (seconds)", 20, 5, 120),
	enum("call.missed_call_email", "Notify missed calls by email", "disabled", "all", "direct", "queues_and_ring_groups"),
	boolean("call.call_waiting", "Call waiting", "on"),
	enum("call.auto_answer", "Auto answer calls", "disabled", "all", "click_to_call"),
	boolean("call.log_missed_queue_calls", "Log missed calls for queue calls", "on"),
	enum("call.blind_transfer_caller_id", "Blind transfer caller ID", "remote", "local"),

	admin(boolean("recording.enabled", "Call recording", "off")),
	admin(boolean("recording.ai_insights", "AI insights", "off")),

	boolean("forwarding.enabled", "Call forwarding", "off"),
	list("forwarding.numbers", "Forward to", "", listParser(destinationParser(true), 0, 10)),
	enum("forwarding.inbound_caller_id", "Inbound caller ID", "remote", "local"),
	boolean("forwarding.direct_calls_only", "Direct calls only", "off"),
	integer("forwarding.ring_extension_first", "Ring extension first for (seconds)", 0, 0, 120),
	boolean("forwarding.require_confirmation", "Require confirmation", "off"),
	item("forwarding.outgoing_message", "Outgoing message", "none"),
	enum("forwarding.ring_strategy", "Ring strategy", "ring_all", "hunt", "memory_hunt"),
	enum("forwarding.no_answer_destination", "Destination if no answer", noAnswer...),
	{Name: "forwarding.no_answer_target", Label: "No-answer target", Kind: KindText, p: optional(destinationParser(false))},
	list("forwarding.notify_numbers", "Number notifications recipient", "", listParser(destinationParser(true), 0, 10)),
	integer("forwarding.ring_time", "Ring time (seconds)", 20, 5, 120),

	boolean("voicemail.notify_email", "Notify via email", "off"),
	list("voicemail.email_recipients", "Email notifications recipient", "", listParser(emailParser(), 0, 20)),
	boolean("voicemail.email_transcript", "Email voicemail transcript", "off"),
	item("voicemail.outgoing_message", "Outgoing message", "none"),
	admin(&Key{Name: "voicemail.mailbox_number", Label: "Mailbox number", Kind: KindText, p: optional(digitsParser())}),

	item("personalization.name_recording", "Recorded name", "default"),
	integer("status.after_call_work_seconds", "After-call work (seconds)", 0, 0, 600),
	device("audio.input_device", "Microphone"),
	device("audio.output_device", "Speaker"),
	device("audio.ringer_device", "Ringer"),
	boolean("app.start_minimized", "Start minimized", "off"),
}

var byName = func() map[string]*Key {
	m := make(map[string]*Key, len(keys))
	for _, k := range keys {
		m[k.Name] = k
	}
	return m
}()

// Keys returns every setting in display order.
func Keys() []*Key { return append([]*Key(nil), keys...) }

// Names returns every setting's name, sorted.
func Names() []string {
	n := make([]string, len(keys))
	for i, k := range keys {
		n[i] = k.Name
	}
	sort.Strings(n)
	return n
}

// Lookup returns the key called name.
func Lookup(name string) (*Key, error) {
	if k, ok := byName[name]; ok {
		return k, nil
	}
	return nil, unknownKey(name)
}

func admin(k *Key) *Key { k.Admin = true; return k }

func text(name, label string, lo, hi int) *Key {
	return &Key{Name: name, Label: label, Kind: KindText, p: textParser(lo, hi)}
}

func boolean(name, label, def string) *Key {
	return &Key{Name: name, Label: label, Kind: KindBool, Default: def, Enum: []string{"off", "on"}, p: boolParser()}
}

func enum(name, label string, values ...string) *Key {
	return &Key{Name: name, Label: label, Kind: KindEnum, Default: values[0], Enum: values, p: enumParser(values...)}
}

func integer(name, label string, def, lo, hi int) *Key {
	return &Key{Name: name, Label: label, Kind: KindInt, Default: itoa(def), p: intParser(lo, hi, "seconds")}
}

func list(name, label, def string, p parser) *Key {
	return &Key{Name: name, Label: label, Kind: KindList, Default: def, p: p}
}

func item(name, label, none string) *Key {
	return &Key{Name: name, Label: label, Kind: KindText, Default: none, p: itemParser(none)}
}

func device(name, label string) *Key {
	return &Key{Name: name, Label: label, Kind: KindText, Default: "default", p: deviceParser()}
}

// optional lets a text key be empty (not set).
func optional(p parser) parser {
	return parser{p.allowed + " (or empty for none)", func(s string) (string, bool) {
		if len(s) == 0 || len(s) < 200 && isSpace(s) {
			return "", true
		}
		return p.parse(s)
	}}
}

func sortStrings(s []string) { sort.Strings(s) }
