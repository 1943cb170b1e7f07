package status

// Origin is where an incoming call comes from, as the call policy reads it
// from the INVITE (SPEC.md section 3).
type Origin int

// The call origins.
const (
	Direct      Origin = iota // a call to the agent's own number or extension
	Queue                     // a call distributed by a queue
	RingGroup                 // a call to a ring group the agent is in
	ClickToCall               // the PBX's call-back for a call the agent started by clicking a number
)

var originNames = [...]string{"direct", "queue", "ring_group", "click_to_call"}

// String returns the origin's key ("ring_group").
func (o Origin) String() string {
	if o >= 0 && int(o) < len(originNames) {
		return originNames[o]
	}
	return "unknown"
}

// Offers reports whether an incoming call of origin o rings while the agent is
// in status s (SPEC.md section 1). A call that is not offered is answered 480
// at once (queue, ring group) or goes at once to forwarding or the no-answer
// destination (direct). Direct calls ring in Available, Away and After-call
// work; queue and ring-group calls only in Available. A click-to-call call is
// the agent's own action (the PBX rings the agent first, then dials the
// number), so it is offered in every valid status. Nothing is offered in an
// unknown status or for an unknown origin.
func Offers(s Status, o Origin) bool {
	switch o {
	case ClickToCall:
		return s.Valid()
	case Direct:
		return s == Available || s == Away || s == AfterCallWork
	case Queue, RingGroup:
		return s == Available
	}
	return false
}

// OffersDirect reports whether a direct call rings in status s.
func OffersDirect(s Status) bool { return Offers(s, Direct) }

// OffersQueue reports whether a queue or ring-group call rings in status s.
func OffersQueue(s Status) bool { return Offers(s, Queue) }
