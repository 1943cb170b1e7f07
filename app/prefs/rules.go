package prefs

import (
	"fmt"
	"slices"
	"strings"
)

// rule is one rule between settings. It is checked when any of its keys
// changed, so a rule broken before the change (for example by an older
// version's data) does not block unrelated changes.
type rule struct {
	keys  []string
	check func(v Values, env Env) string // "" when the rule holds
}

var needsTarget = []string{"ivr", "queue", "team", "agent"}

func targetRule(prefix string) rule {
	dest, target := prefix+".no_answer_destination", prefix+".no_answer_target"
	return rule{[]string{target, dest, "profile.numbers", "profile.extensions"}, func(v Values, _ Env) string {
		d, t := v[dest], v[target]
		if slices.Contains(needsTarget, d) && t == "" {
			return fmt.Sprintf("a target (SIP URI or extension) is required when %s is %s", dest, d)
		}
		if t != "" && isOwn(v, t) {
			return fmt.Sprintf("%s is your own number or extension; the call would ring back to you", quote(t))
		}
		return ""
	}}
}

func itemRule(key string) rule {
	return rule{[]string{key}, func(v Values, env Env) string {
		id := v[key]
		if id == "none" || id == "default" || env.ItemExists == nil || env.ItemExists(id) {
			return ""
		}
		return fmt.Sprintf("no audio library item has the id %s (`ringside audio list` shows them)", quote(id))
	}}
}

var rules = []rule{
	targetRule("call"),
	targetRule("forwarding"),
	{[]string{"call.outbound_number", "profile.numbers"}, func(v Values, _ Env) string {
		n := v["call.outbound_number"]
		if n == "" || slices.Contains(v.List("profile.numbers"), n) {
			return ""
		}
		nums := v.List("profile.numbers")
		if len(nums) == 0 {
			return fmt.Sprintf("%s is not one of your numbers: you have none yet (your administrator assigns them)", quote(n))
		}
		return fmt.Sprintf("%s is not one of your numbers (%s)", quote(n), strings.Join(nums, ", "))
	}},
	{[]string{"voicemail.email_recipients", "voicemail.notify_email"}, func(v Values, _ Env) string {
		if v.On("voicemail.notify_email") && v["voicemail.email_recipients"] == "" {
			return "at least one email address is required when voicemail.notify_email is on"
		}
		return ""
	}},
	{[]string{"forwarding.numbers", "forwarding.enabled"}, func(v Values, _ Env) string {
		if v.On("forwarding.enabled") && v["forwarding.numbers"] == "" {
			return "at least one number or SIP URI to forward to is required when forwarding.enabled is on (1 to 10)"
		}
		return ""
	}},
	{[]string{"forwarding.numbers", "profile.numbers", "profile.extensions"}, func(v Values, _ Env) string {
		for _, n := range v.List("forwarding.numbers") {
			if isOwn(v, n) {
				return fmt.Sprintf("%s is your own number or extension; forwarding to it would loop", quote(n))
			}
		}
		return ""
	}},
	{[]string{"call.missed_call_email", "general.email"}, func(v Values, _ Env) string {
		if m := v["call.missed_call_email"]; m != "disabled" && v["general.email"] == "" {
			return fmt.Sprintf("call.missed_call_email %s needs your email address (general.email), which your administrator has not set yet; choose disabled", m)
		}
		return ""
	}},
	itemRule("forwarding.outgoing_message"),
	itemRule("voicemail.outgoing_message"),
	itemRule("personalization.name_recording"),
}

// check returns the rules broken by v among those touching a changed key.
func check(v Values, changed map[string]string, env Env) []error {
	var errs []error
	for _, r := range rules {
		touched := false
		for _, k := range r.keys {
			if _, ok := changed[k]; ok {
				touched = true
				break
			}
		}
		if !touched {
			continue
		}
		if msg := r.check(v, env); msg != "" {
			errs = append(errs, &RuleError{Keys: r.keys, Msg: msg})
		}
	}
	return errs
}
