package prefs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// MaxDocument is the largest settings document (import or provisioning)
// accepted, in bytes.
const MaxDocument = 1 << 20

// MarshalJSON writes v as one JSON object in display order: numbers as
// numbers, lists as arrays of strings, everything else as strings. It holds
// no secrets: passwords are never settings.
func (v Values) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, k := range keys {
		name, _ := json.Marshal(k.Name)
		val, err := jsonValue(k, v[k.Name])
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "  %s: %s", name, val)
		if i < len(keys)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

func jsonValue(k *Key, v string) ([]byte, error) {
	switch k.Kind {
	case KindInt:
		if _, err := strconv.Atoi(v); err == nil {
			return []byte(v), nil
		}
	case KindList:
		items := List(v)
		if items == nil {
			items = []string{}
		}
		return json.Marshal(items)
	}
	return json.Marshal(v)
}

// ParseDocument reads a settings document (an export, or an admin's
// provisioning document): one JSON object whose members are setting keys.
// Values may be strings as on the command line, JSON numbers for numbers,
// true/false for on/off and arrays of strings for lists. Every problem is
// reported, with the key it concerns; nothing is checked against the current
// values here (Apply does that).
func ParseDocument(data []byte) ([]Change, error) {
	if len(data) > MaxDocument {
		return nil, fmt.Errorf("settings document: %d bytes is too large; at most %d bytes are allowed", len(data), MaxDocument)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("settings document: it is empty; expected a JSON object of settings such as {\"call.ring_time\": 20}")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("settings document: not a JSON object of settings (%v)", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("settings document: unexpected data after the JSON object")
	}
	if raw == nil {
		return nil, fmt.Errorf("settings document: expected a JSON object of settings, got null")
	}
	var errs Errors
	var changes []Change
	for _, k := range sortedKeys(raw) {
		key, err := Lookup(k)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s, err := docValue(key, raw[k])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		changes = append(changes, Change{Key: k, Value: s})
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return changes, nil
}

func docValue(k *Key, raw json.RawMessage) (string, error) {
	bad := func(what string) error {
		return &ValueError{Key: k.Name, Value: string(raw), Allowed: k.Allowed() + " (" + what + ")"}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return "", bad("not valid JSON")
	}
	switch t := x.(type) {
	case string:
		return t, nil
	case json.Number:
		if k.Kind != KindInt {
			return "", bad("a number is not allowed here")
		}
		return t.String(), nil
	case bool:
		if k.Kind != KindBool {
			return "", bad("true/false is not allowed here")
		}
		if t {
			return "on", nil
		}
		return "off", nil
	case []any:
		if k.Kind != KindList {
			return "", bad("a list is not allowed here")
		}
		items := make([]string, 0, len(t))
		for _, it := range t {
			s, ok := it.(string)
			if !ok || strings.Contains(s, ",") {
				return "", bad("list items must be strings without commas")
			}
			items = append(items, s)
		}
		return strings.Join(items, ","), nil
	}
	return "", bad("expected a string, number, true/false or list")
}

func sortedKeys(m map[string]json.RawMessage) []string {
	// Display order for known keys, then unknown ones alphabetically.
	var out []string
	for _, k := range keys {
		if _, ok := m[k.Name]; ok {
			out = append(out, k.Name)
		}
	}
	var unknown []string
	for k := range m {
		if _, ok := byName[k]; !ok {
			unknown = append(unknown, k)
		}
	}
	sortStrings(unknown)
	return append(out, unknown...)
}
