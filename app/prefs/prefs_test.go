package prefs

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestEveryKeyHasRules checks that each key of SPEC.md section 12 exists with
// its default, and that its default is what a fresh install shows.
func TestDefaults(t *testing.T) {
	want := map[string]string{
		"general.first_name": "", "general.location": "", "general.email": "",
		"security.two_factor": "off", "profile.roles": "agent", "profile.numbers": "",
		"call.outbound_number": "", "call.dynamic_caller_id": "off",
		"call.no_answer_destination": "voicemail", "call.no_answer_target": "",
		"call.ring_time": "20", "call.missed_call_email": "disabled", "call.call_waiting": "on",
		"call.auto_answer": "disabled", "call.log_missed_queue_calls": "on",
		"call.blind_transfer_caller_id": "remote", "recording.enabled": "off",
		"recording.ai_insights": "off", "forwarding.enabled": "off", "forwarding.numbers": "",
		"forwarding.inbound_caller_id": "remote", "forwarding.direct_calls_only": "off",
		"forwarding.ring_extension_first": "0", "forwarding.require_confirmation": "off",
		"forwarding.outgoing_message": "none", "forwarding.ring_strategy": "ring_all",
		"forwarding.no_answer_destination": "voicemail", "forwarding.notify_numbers": "",
		"forwarding.ring_time": "20", "voicemail.notify_email": "off",
		"voicemail.email_recipients": "", "voicemail.email_transcript": "off",
		"voicemail.outgoing_message": "none", "voicemail.mailbox_number": "",
		"personalization.name_recording": "default", "status.after_call_work_seconds": "0",
		"audio.input_device": "default", "audio.output_device": "default",
		"audio.ringer_device": "default", "app.start_minimized": "off",
	}
	d := Defaults()
	for k, v := range want {
		if got, ok := d[k]; !ok || got != v {
			t.Errorf("default %s = %q (present %v), want %q", k, got, ok, v)
		}
	}
	if len(d) != 44 {
		t.Errorf("%d keys, want the 44 of SPEC.md section 12", len(d))
	}
	if d.Role() != RoleAgent {
		t.Errorf("a new account's role is %s, want agent", d.Role())
	}
}

// TestKeyValues is the table of every key's rule: accepted values with their
// canonical form, and refused ones.
func TestKeyValues(t *testing.T) {
	long := strings.Repeat("a", 65)
	tests := []struct {
		key, in, want string // want "" with bad=true: refused
		bad           bool
	}{
		{"general.first_name", "  Ada ", "Ada", false},
		{"general.first_name", "Ådå 李", "Ådå 李", false},
		{"general.first_name", strings.Repeat("é", 64), strings.Repeat("é", 64), false},
		{"general.first_name", "", "", true},
		{"general.first_name", "   ", "", true},
		{"general.first_name", long, "", true},
		{"general.first_name", "Ada\nLovelace", "", true},
		{"general.first_name", "Ada\x00", "", true},
		{"general.first_name", "\xff\xfe", "", true},
		{"general.last_name", "Lovelace", "Lovelace", false},
		{"general.last_name", "", "", true},
		{"general.location", "", "", false},
		{"general.location", "London, 3rd floor", "London, 3rd floor", false},
		{"general.location", strings.Repeat("x", 101), "", true},
		{"general.email", "ada@example.com", "ada@example.com", false},
		{"general.email", "", "", false},
		{"general.email", "ada@", "", true},
		{"general.email", "Ada <ada@example.com>", "", true},
		{"general.email", "ada@localhost", "", true},
		{"security.two_factor", "on", "on", false},
		{"security.two_factor", "TRUE", "on", false},
		{"security.two_factor", "false", "off", false},
		{"security.two_factor", "yes", "", true},
		{"profile.roles", "agent, supervisor", "agent,supervisor", false},
		{"profile.roles", "admin", "admin", false},
		{"profile.roles", "", "", true},
		{"profile.roles", "boss", "", true},
		{"profile.roles", "agent,agent", "", true},
		{"profile.groups", "Sales,Support EU", "Sales,Support EU", false},
		{"profile.groups", "", "", false},
		{"profile.numbers", "+44 20 7946-0000, +1 (212) 555-0100", "+442079460000,+12125550100", false},
		{"profile.numbers", "02079460000", "", true},
		{"profile.numbers", "+0123456789", "", true},
		{"profile.numbers", "+12345", "", true},
		{"profile.extensions", "2001,2002", "2001,2002", false},
		{"profile.extensions", "20a1", "", true},
		{"call.outbound_number", "+44 20 7946 0000", "+442079460000", false},
		{"call.outbound_number", "", "", false},
		{"call.outbound_number", "12", "", true},
		{"call.dynamic_caller_id", "on", "on", false},
		{"call.dynamic_caller_id", "1", "", true},
		{"call.no_answer_destination", "queue", "queue", false},
		{"call.no_answer_destination", "hangup", "hangup", false},
		{"call.no_answer_destination", "Voicemail", "", true},
		{"call.no_answer_destination", "another_agent", "", true},
		{"call.no_answer_target", "sip:sales@pbx.example.com", "sip:sales@pbx.example.com", false},
		{"call.no_answer_target", "2002", "2002", false},
		{"call.no_answer_target", "", "", false},
		{"call.no_answer_target", "sales queue", "", true},
		{"call.no_answer_target", "http://x", "", true},
		{"call.ring_time", "5", "5", false},
		{"call.ring_time", "120", "120", false},
		{"call.ring_time", " 030 ", "30", false},
		{"call.ring_time", "4", "", true},
		{"call.ring_time", "121", "", true},
		{"call.ring_time", "20s", "", true},
		{"call.ring_time", "2.5", "", true},
		{"call.ring_time", "99999999999999999999", "", true},
		{"call.missed_call_email", "queues_and_ring_groups", "queues_and_ring_groups", false},
		{"call.missed_call_email", "queues", "", true},
		{"call.call_waiting", "off", "off", false},
		{"call.auto_answer", "click_to_call", "click_to_call", false},
		{"call.auto_answer", "always", "", true},
		{"call.log_missed_queue_calls", "off", "off", false},
		{"call.blind_transfer_caller_id", "local", "local", false},
		{"call.blind_transfer_caller_id", "caller", "", true},
		{"recording.enabled", "on", "on", false},
		{"recording.ai_insights", "on", "on", false},
		{"forwarding.enabled", "on", "on", false},
		{"forwarding.numbers", "+442079460001, sip:bob@pbx.example.com", "+442079460001,sip:bob@pbx.example.com", false},
		{"forwarding.numbers", "+1,+2,+3", "", true},
		{"forwarding.numbers", "+441111111101,+441111111102,+441111111103,+441111111104,+441111111105,+441111111106,+441111111107,+441111111108,+441111111109,+441111111110,+441111111111", "", true},
		{"forwarding.numbers", "+441111111101,+441111111101", "", true},
		{"forwarding.inbound_caller_id", "local", "local", false},
		{"forwarding.direct_calls_only", "on", "on", false},
		{"forwarding.ring_extension_first", "0", "0", false},
		{"forwarding.ring_extension_first", "120", "120", false},
		{"forwarding.ring_extension_first", "-1", "", true},
		{"forwarding.ring_extension_first", "121", "", true},
		{"forwarding.require_confirmation", "on", "on", false},
		{"forwarding.outgoing_message", "none", "none", false},
		{"forwarding.outgoing_message", "greeting-1", "greeting-1", false},
		{"forwarding.outgoing_message", "../etc/passwd", "", true},
		{"forwarding.outgoing_message", strings.Repeat("a", 64), strings.Repeat("a", 64), false},
		{"forwarding.outgoing_message", strings.Repeat("a", 65), "", true},
		{"profile.groups", strings.Repeat("é", 64), strings.Repeat("é", 64), false},
		{"profile.groups", strings.Repeat("é", 65), "", true},
		{"forwarding.ring_strategy", "memory_hunt", "memory_hunt", false},
		{"forwarding.ring_strategy", "random", "", true},
		{"forwarding.no_answer_destination", "agent", "agent", false},
		{"forwarding.no_answer_target", "sip:ivr@pbx.example.com", "sip:ivr@pbx.example.com", false},
		{"forwarding.notify_numbers", "", "", false},
		{"forwarding.notify_numbers", "+442079460009", "+442079460009", false},
		{"forwarding.ring_time", "5", "5", false},
		{"forwarding.ring_time", "0", "", true},
		{"voicemail.notify_email", "on", "on", false},
		{"voicemail.email_recipients", "a@example.com, b@example.org", "a@example.com,b@example.org", false},
		{"voicemail.email_recipients", "a@example.com,nope", "", true},
		{"voicemail.email_transcript", "on", "on", false},
		{"voicemail.outgoing_message", "vm-greeting", "vm-greeting", false},
		{"voicemail.outgoing_message", "Greeting One", "", true},
		{"voicemail.mailbox_number", "5001", "5001", false},
		{"voicemail.mailbox_number", "50x1", "", true},
		{"personalization.name_recording", "default", "default", false},
		{"personalization.name_recording", "name-2", "name-2", false},
		{"personalization.name_recording", "none", "none", false},
		{"status.after_call_work_seconds", "0", "0", false},
		{"status.after_call_work_seconds", "600", "600", false},
		{"status.after_call_work_seconds", "601", "", true},
		{"audio.input_device", "Built-in Microphone (USB)", "Built-in Microphone (USB)", false},
		{"audio.output_device", "default", "default", false},
		{"audio.ringer_device", "", "", true},
		{"app.start_minimized", "on", "on", false},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.in, func(t *testing.T) {
			k, err := Lookup(tt.key)
			if err != nil {
				t.Fatal(err)
			}
			got, err := k.Parse(tt.in)
			if tt.bad {
				var ve *ValueError
				if !errors.As(err, &ve) || ve.Key != tt.key || !errors.Is(err, ErrInvalid) {
					t.Fatalf("Parse(%q) = %q, %v; want a ValueError for %s", tt.in, got, err, tt.key)
				}
				if !strings.Contains(err.Error(), tt.key) || !strings.Contains(err.Error(), "allowed:") {
					t.Errorf("message %q must name the key and what is allowed", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestEveryKeyIsInTheTable(t *testing.T) {
	// Every key must have at least one refused value or be free text: a
	// key without a rule is a bug.
	for _, k := range Keys() {
		if k.Allowed() == "" || k.Label == "" {
			t.Errorf("%s has no description of what is allowed or no label", k.Name)
		}
		if k.Default != "" {
			if v, err := k.Parse(k.Default); err != nil || v != k.Default {
				t.Errorf("%s default %q does not parse to itself: %q, %v", k.Name, k.Default, v, err)
			}
		}
	}
}

var adminKeys = []string{"general.email", "security.two_factor", "profile.roles", "profile.groups",
	"profile.numbers", "profile.extensions", "recording.enabled", "recording.ai_insights",
	"voicemail.mailbox_number"}

func TestPermissions(t *testing.T) {
	values := map[string]string{
		"general.email": "x@example.com", "security.two_factor": "on", "profile.roles": "supervisor",
		"profile.groups": "Sales", "profile.numbers": "+442079460000", "profile.extensions": "2001",
		"recording.enabled": "on", "recording.ai_insights": "on", "voicemail.mailbox_number": "5001",
	}
	for _, role := range []Role{RoleAgent, RoleSupervisor, RoleAdmin} {
		for _, key := range adminKeys {
			t.Run(string(role)+"/"+key, func(t *testing.T) {
				cur := Defaults()
				next, diff, err := Apply(cur, role, []Change{{key, values[key]}}, Env{})
				if role == RoleAdmin {
					if err != nil || next[key] == cur[key] || len(diff) != 1 {
						t.Fatalf("admin change of %s refused: %v", key, err)
					}
					return
				}
				var pe *PermissionError
				if !errors.As(err, &pe) || !errors.Is(err, ErrReadOnly) {
					t.Fatalf("%s changed %s: err %v", role, key, err)
				}
				if !strings.Contains(err.Error(), "managed by your administrator") || !strings.Contains(err.Error(), key) {
					t.Errorf("refusal %q must say the key is managed by the administrator", err)
				}
				if next[key] != cur[key] {
					t.Errorf("value changed despite the refusal")
				}
			})
		}
	}
	// Everything else is the user's own.
	for _, k := range Keys() {
		if k.Admin != contains(adminKeys, k.Name) {
			t.Errorf("%s: admin = %v, want %v", k.Name, k.Admin, !k.Admin)
		}
	}
	// Setting a read-only key to the value it has is no change, not a refusal.
	if _, _, err := Apply(Defaults(), RoleAgent, []Change{{"security.two_factor", "off"}}, Env{}); err != nil {
		t.Errorf("unchanged read-only key refused: %v", err)
	}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func TestRoleIsTheHighest(t *testing.T) {
	for in, want := range map[string]Role{"agent": RoleAgent, "agent,supervisor": RoleSupervisor, "supervisor,admin": RoleAdmin, "admin,agent": RoleAdmin} {
		v := Defaults()
		v["profile.roles"] = in
		if v.Role() != want {
			t.Errorf("roles %s: role %s, want %s", in, v.Role(), want)
		}
	}
}

func TestRules(t *testing.T) {
	base := Defaults()
	base["profile.numbers"] = "+442079460000,+12125550100"
	base["profile.extensions"] = "2001"
	base["general.email"] = "ada@example.com"
	items := map[string]bool{"greet-1": true}
	env := Env{ItemExists: func(id string) bool { return items[id] }}
	tests := []struct {
		name    string
		pre     map[string]string
		changes []Change
		errKey  string // "" = accepted
		errText string
	}{
		{"queue needs a target", nil, []Change{{"call.no_answer_destination", "queue"}}, "call.no_answer_target", "required"},
		{"queue with target", nil, []Change{{"call.no_answer_destination", "queue"}, {"call.no_answer_target", "sip:q@pbx.example.com"}}, "", ""},
		{"clearing the target of ivr", map[string]string{"call.no_answer_destination": "ivr", "call.no_answer_target": "3000"}, []Change{{"call.no_answer_target", ""}}, "call.no_answer_target", "required"},
		{"voicemail needs no target", nil, []Change{{"call.no_answer_destination", "voicemail"}}, "", ""},
		{"hangup needs no target", nil, []Change{{"call.no_answer_destination", "hangup"}}, "", ""},
		{"team needs a target", nil, []Change{{"call.no_answer_destination", "team"}}, "call.no_answer_target", "required"},
		{"agent needs a target", nil, []Change{{"call.no_answer_destination", "agent"}}, "call.no_answer_target", "required"},
		{"target is own extension", nil, []Change{{"call.no_answer_destination", "agent"}, {"call.no_answer_target", "2001"}}, "call.no_answer_target", "own number"},
		{"target is own extension by URI", nil, []Change{{"call.no_answer_destination", "agent"}, {"call.no_answer_target", "sip:2001@pbx.example.com"}}, "call.no_answer_target", "own number"},
		{"forwarding target required", nil, []Change{{"forwarding.no_answer_destination", "ivr"}}, "forwarding.no_answer_target", "required"},
		{"outbound one of numbers", nil, []Change{{"call.outbound_number", "+12125550100"}}, "", ""},
		{"outbound not one of numbers", nil, []Change{{"call.outbound_number", "+33123456789"}}, "call.outbound_number", "not one of your numbers"},
		{"voicemail email needs recipients", nil, []Change{{"voicemail.notify_email", "on"}}, "voicemail.email_recipients", "at least one email"},
		{"voicemail email with recipients", nil, []Change{{"voicemail.notify_email", "on"}, {"voicemail.email_recipients", "sup@example.com"}}, "", ""},
		{"emptying recipients while notifying", map[string]string{"voicemail.notify_email": "on", "voicemail.email_recipients": "a@example.com"}, []Change{{"voicemail.email_recipients", ""}}, "voicemail.email_recipients", "at least one"},
		{"forwarding needs numbers", nil, []Change{{"forwarding.enabled", "on"}}, "forwarding.numbers", "at least one"},
		{"forwarding with numbers", nil, []Change{{"forwarding.enabled", "on"}, {"forwarding.numbers", "+33123456789"}}, "", ""},
		{"forwarding to self", nil, []Change{{"forwarding.numbers", "+442079460000"}}, "forwarding.numbers", "loop"},
		{"missed call email needs an address", map[string]string{"general.email": ""}, []Change{{"call.missed_call_email", "all"}}, "call.missed_call_email", "general.email"},
		{"missed call email", nil, []Change{{"call.missed_call_email", "direct"}}, "", ""},
		{"greeting must exist", nil, []Change{{"voicemail.outgoing_message", "greet-2"}}, "voicemail.outgoing_message", "no audio library item"},
		{"greeting exists", nil, []Change{{"voicemail.outgoing_message", "greet-1"}}, "", ""},
		{"forwarding message must exist", nil, []Change{{"forwarding.outgoing_message", "nope"}}, "forwarding.outgoing_message", "no audio library item"},
		{"name recording must exist", nil, []Change{{"personalization.name_recording", "nope"}}, "personalization.name_recording", "no audio library item"},
		{"an old broken rule does not block others", map[string]string{"call.no_answer_destination": "queue"}, []Change{{"call.ring_time", "30"}}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur := base.Clone()
			for k, v := range tt.pre {
				cur[k] = v
			}
			next, _, err := Apply(cur, RoleAgent, tt.changes, env)
			if tt.errKey == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				for _, c := range tt.changes {
					k, _ := Lookup(c.Key)
					if v, _ := k.Parse(c.Value); next[c.Key] != v {
						t.Errorf("%s = %q after apply", c.Key, next[c.Key])
					}
				}
				return
			}
			var re *RuleError
			if !errors.As(err, &re) || re.Keys[0] != tt.errKey || !strings.Contains(err.Error(), tt.errText) {
				t.Fatalf("err = %v; want a rule error on %s containing %q", err, tt.errKey, tt.errText)
			}
			for k, v := range cur {
				if next[k] != v {
					t.Errorf("%s changed to %q despite the refusal", k, next[k])
				}
			}
		})
	}
}

func TestApplyIsAllOrNothing(t *testing.T) {
	cur := Defaults()
	_, diff, err := Apply(cur, RoleAgent, []Change{
		{"call.ring_time", "30"}, {"call.call_waiting", "maybe"}, {"general.email", "x@example.com"}, {"call.ringtime", "3"},
	}, Env{})
	var es Errors
	if !errors.As(err, &es) || len(es) != 3 {
		t.Fatalf("want 3 problems reported together, got %v", err)
	}
	if diff != nil || cur["call.ring_time"] != "20" {
		t.Errorf("something was applied: %v", diff)
	}
	if !strings.Contains(err.Error(), "did you mean call.ring_time") {
		t.Errorf("unknown key message should suggest the near key: %v", err)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	v := Defaults()
	v["general.first_name"] = "Ada"
	v["general.last_name"] = "Lovelace"
	v["profile.numbers"] = "+442079460000"
	v["call.ring_time"] = "45"
	v["forwarding.numbers"] = "+33123456789,sip:bob@pbx.example.com"
	v["general.email"] = "ada@example.com"
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(data, &generic); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, data)
	}
	if generic["call.ring_time"] != float64(45) {
		t.Errorf("ring time exported as %#v, want the number 45", generic["call.ring_time"])
	}
	if l, ok := generic["forwarding.numbers"].([]any); !ok || len(l) != 2 {
		t.Errorf("list exported as %#v", generic["forwarding.numbers"])
	}
	changes, err := ParseDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	// An agent may import an export of their own settings, admin fields included, unchanged.
	next, _, err := Apply(v, RoleAgent, changes, Env{})
	if err != nil {
		t.Fatalf("re-import refused: %v", err)
	}
	for k, val := range v {
		if next[k] != val {
			t.Errorf("%s: %q after round trip, want %q", k, next[k], val)
		}
	}
	// The same export onto defaults needs admin rights for the admin fields.
	if _, _, err := Apply(Defaults(), RoleAgent, changes, Env{}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("import of other admin values by an agent: %v, want read-only refusal", err)
	}
}

func TestParseDocumentRefusals(t *testing.T) {
	tests := map[string]string{
		"":                                 "empty",
		"[1,2]":                            "not a JSON object",
		"null":                             "null",
		`{"call.ring_time": 20} {}`:        "after the JSON object",
		`{"call.ring_time": true}`:         "true/false is not allowed",
		`{"call.call_waiting": 1}`:         "a number is not allowed",
		`{"call.ring_time": [1]}`:          "a list is not allowed",
		`{"profile.numbers": ["+1,+2"]}`:   "without commas",
		`{"call.ring_time": {"a": 1}}`:     "expected a string",
		`{"nope": "x"}`:                    "unknown setting",
		`{"call.ring_time": null}`:         "expected a string",
		"{\"call.ring_time\": 20":          "not a JSON object",
		strings.Repeat(" ", MaxDocument+1): "too large",
	}
	for in, want := range tests {
		name := in
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			_, err := ParseDocument([]byte(in))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %v, want it to say %q", err, want)
			}
		})
	}
}

func TestProvision(t *testing.T) {
	cur := Defaults()
	cur["profile.numbers"] = "+442079460000,+12125550100"
	cur["call.outbound_number"] = "+12125550100"
	doc := []byte(`{"profile.roles": ["agent","supervisor"], "profile.numbers": ["+442079460000"],
		"general.email": "ada@example.com", "recording.enabled": true, "voicemail.mailbox_number": "5001"}`)
	changes, err := ParseDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	next, diff, notes, err := Provision(cur, changes, Env{})
	if err != nil {
		t.Fatal(err)
	}
	if next.Role() != RoleSupervisor || next["recording.enabled"] != "on" || next["general.email"] != "ada@example.com" {
		t.Errorf("provisioning not applied: %v", diff)
	}
	if next["call.outbound_number"] != "" || len(notes) != 1 || next.OutboundNumber() != "+442079460000" {
		t.Errorf("outbound number not reset with a note: %q %v", next["call.outbound_number"], notes)
	}
	// A bad document is refused whole.
	bad, _ := ParseDocument([]byte(`{"general.email": "boss@example.com", "call.ring_time": 500}`))
	if after, _, _, err := Provision(next, bad, Env{}); err == nil || after["general.email"] != "ada@example.com" {
		t.Errorf("document with a bad ring time applied in part: %v", err)
	}
	changes, _ = ParseDocument([]byte(`{"general.email": "boss@example.com", "call.no_answer_destination": "queue"}`))
	after, _, _, err := Provision(next, changes, Env{})
	if err == nil || after["general.email"] != "ada@example.com" {
		t.Errorf("document breaking a rule applied in part: %v", err)
	}
}

func FuzzDocument(f *testing.F) {
	f.Add([]byte(`{"call.ring_time": 20, "profile.roles": ["admin"], "forwarding.enabled": true}`))
	f.Add([]byte(`{"call.no_answer_destination":"queue","call.no_answer_target":"sip:q@x.example"}`))
	f.Add([]byte(`{"voicemail.email_recipients":"a@b.example,c@d.example"}`))
	f.Add([]byte(`{"general.first_name":"\u0000"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		changes, err := ParseDocument(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		cur := Defaults()
		next, _, _, err := Provision(cur, changes, Env{})
		if err != nil {
			if next["call.ring_time"] != "20" {
				t.Fatal("refused document changed values")
			}
			return
		}
		// Whatever was accepted must parse back to itself and pass every rule it touched.
		for _, k := range Keys() {
			if v := next[k.Name]; v != "" {
				if got, err := k.Parse(v); err != nil || got != v {
					t.Fatalf("%s stored %q, not canonical: %q %v", k.Name, v, got, err)
				}
			}
		}
	})
}
