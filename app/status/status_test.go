package status

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Status
		ok   bool
	}{
		{"available", Available, true},
		{"AWAY", Away, true},
		{"after-call-work", AfterCallWork, true},
		{" on break ", OnBreak, true},
		{"unavailable", Unavailable, true},
		{"do_not_disturb", DoNotDisturb, true},
		{"dnd", "", false},
		{"", "", false},
		{"busy", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.ok {
				if err != nil || got != tt.want {
					t.Fatalf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			if !errors.Is(err, ErrUnknownStatus) {
				t.Fatalf("Parse(%q) error = %v, want ErrUnknownStatus", tt.in, err)
			}
			for _, k := range Keys() {
				if !strings.Contains(err.Error(), k) {
					t.Errorf("error %q does not list %s", err, k)
				}
			}
		})
	}
}

func TestNames(t *testing.T) {
	want := map[Status]string{Available: "Available", Away: "Away", AfterCallWork: "After-call work",
		OnBreak: "On break", Unavailable: "Unavailable", DoNotDisturb: "Do Not Disturb"}
	if len(All) != 6 {
		t.Fatalf("All has %d statuses, want 6", len(All))
	}
	for _, s := range All {
		if s.Name() != want[s] {
			t.Errorf("%s.Name() = %q, want %q", s, s.Name(), want[s])
		}
	}
	if Status("x").Valid() || Status("x").Name() != "x" {
		t.Error("unknown status treated as valid")
	}
}

// TestOffers is SPEC.md section 1's table, with click-to-call (the agent's own
// call) offered in every status.
func TestOffers(t *testing.T) {
	tests := []struct {
		s                             Status
		direct, queue, ringGroup, c2c bool
	}{
		{Available, true, true, true, true},
		{Away, true, false, false, true},
		{AfterCallWork, true, false, false, true},
		{OnBreak, false, false, false, true},
		{Unavailable, false, false, false, true},
		{DoNotDisturb, false, false, false, true},
		{Status("bogus"), false, false, false, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.s), func(t *testing.T) {
			for o, want := range map[Origin]bool{Direct: tt.direct, Queue: tt.queue, RingGroup: tt.ringGroup, ClickToCall: tt.c2c} {
				if got := Offers(tt.s, o); got != want {
					t.Errorf("Offers(%s, %s) = %v, want %v", tt.s, o, got, want)
				}
			}
			if OffersDirect(tt.s) != tt.direct || OffersQueue(tt.s) != tt.queue {
				t.Error("OffersDirect/OffersQueue disagree with Offers")
			}
		})
	}
	if Offers(Available, Origin(42)) {
		t.Error("unknown origin offered")
	}
	if Origin(42).String() != "unknown" || RingGroup.String() != "ring_group" {
		t.Error("Origin.String")
	}
}
