package prefs

import (
	"fmt"
	"slices"
)

// Provision applies an administrator's provisioning document over cur, with
// the admin's rights (admin-managed fields and roles included). The document
// is refused whole on any problem. Where the new profile.numbers no longer
// holds the user's outbound number, that choice is reset to the first number
// and a note says so, rather than refusing the administrator's change.
func Provision(cur Values, changes []Change, env Env) (next Values, diff map[string]string, notes []string, err error) {
	setsOutbound := false
	var numbers *string
	for _, c := range changes {
		switch c.Key {
		case "call.outbound_number":
			setsOutbound = true
		case "profile.numbers":
			v := c.Value
			numbers = &v
		}
	}
	if numbers != nil && !setsOutbound && cur["call.outbound_number"] != "" {
		k, _ := Lookup("profile.numbers")
		if nums, perr := k.Parse(*numbers); perr == nil && !slices.Contains(List(nums), cur["call.outbound_number"]) {
			changes = append(changes, Change{Key: "call.outbound_number", Value: ""})
			notes = append(notes, fmt.Sprintf("call.outbound_number: %s is no longer one of your numbers; outgoing calls now show your first number", cur["call.outbound_number"]))
		}
	}
	next, diff, err = Apply(cur, RoleAdmin, changes, env)
	if err != nil {
		return cur, nil, nil, err
	}
	return next, diff, notes, nil
}

// OutboundNumber returns the caller ID for outgoing calls: the chosen
// outbound number, else the first of the user's numbers, else "".
func (v Values) OutboundNumber() string {
	if n := v["call.outbound_number"]; n != "" {
		return n
	}
	if nums := v.List("profile.numbers"); len(nums) > 0 {
		return nums[0]
	}
	return ""
}
