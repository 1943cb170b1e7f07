package callpolicy

import "testing"

func TestOutgoingCallerID(t *testing.T) {
	nums := "+442079460000,+441614960000,+13125550100,+12125550100,+33142000000"
	tests := []struct {
		name    string
		kv      []string
		dialled string
		want    CallerID
	}{
		{"static: outbound number", []string{"call.outbound_number", "+13125550100"}, "+441614960123", CallerID{Number: "+13125550100"}},
		{"static: first number without outbound", nil, "+12125550199", CallerID{Number: "+442079460000"}},
		{"dynamic: same area code", []string{"call.dynamic_caller_id", "on"}, "+441614960123", CallerID{Number: "+441614960000", Dynamic: true}},
		{"dynamic: longest prefix in the US", []string{"call.dynamic_caller_id", "on"}, "tel:+1-212-555-0199", CallerID{Number: "+12125550100", Dynamic: true}},
		{"dynamic: country only", []string{"call.dynamic_caller_id", "on"}, "0033 6 12 34 56 78", CallerID{Number: "+33142000000", Dynamic: true}},
		{"dynamic: sip uri with number", []string{"call.dynamic_caller_id", "on"}, "sip:+13125550111@pbx", CallerID{Number: "+13125550100", Dynamic: true}},
		{"dynamic: outbound number wins a tie", []string{"call.dynamic_caller_id", "on", "call.outbound_number", "+441614960000"}, "+44 20 1234 5678", CallerID{Number: "+442079460000", Dynamic: true}},
		{"dynamic: no country match", []string{"call.dynamic_caller_id", "on"}, "+4930123456", CallerID{Number: "+442079460000"}},
		{"dynamic: +4 prefix is not country 44", []string{"call.dynamic_caller_id", "on", "profile.numbers", "+442079460000,+4930111111", "call.outbound_number", "+4930111111"}, "+4520304050", CallerID{Number: "+4930111111"}},
		{"dynamic: extension", []string{"call.dynamic_caller_id", "on"}, "1002", CallerID{Number: "+442079460000"}},
		{"dynamic: name", []string{"call.dynamic_caller_id", "on"}, "sip:bob@pbx", CallerID{Number: "+442079460000"}},
		{"no numbers", []string{"profile.numbers", ""}, "+442079460001", CallerID{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := with(append([]string{"profile.numbers", nums}, tt.kv...)...)
			if got := OutgoingCallerID(v, tt.dialled); got != tt.want {
				t.Fatalf("OutgoingCallerID(%q) = %+v, want %+v", tt.dialled, got, tt.want)
			}
		})
	}
}

func TestTransferCallerID(t *testing.T) {
	v := with("profile.numbers", "+442079460000")
	if id, local := TransferCallerID(v, "sip:+15551234@pbx"); id != "sip:+15551234@pbx" || local {
		t.Fatalf("remote: %q %v", id, local)
	}
	v["call.blind_transfer_caller_id"] = "local"
	if id, local := TransferCallerID(v, "sip:+15551234@pbx"); id != "+442079460000" || !local {
		t.Fatalf("local: %q %v", id, local)
	}
}

func TestCountryCodeLen(t *testing.T) {
	for n, want := range map[string]int{"+12125550100": 1, "+74951234567": 1, "+442079460000": 2, "+4930123": 2, "+353123456": 3, "+8801712": 3, "+": 0} {
		if got := countryCodeLen(n); got != want {
			t.Errorf("countryCodeLen(%q) = %d, want %d", n, got, want)
		}
	}
}
