// Package callpolicy decides what Ringside's softphone does with a call, as a
// pure function of its inputs: the settings (prefs.Values), the availability
// status, the calls already in progress, the incoming call (caller, origin
// headers, whether it came from the account's own proxy) and the clock. It
// applies SPEC.md section 1 (which status offers which call origin) and
// section 3 (ring time, destination if no answer, call waiting, auto answer,
// caller ID), and hands calls to forwarding (section 5) where it applies.
//
// Decide returns a Plan (offer, answer now, redirect, reject, forward, local
// voicemail); CallerID picks the caller ID of an outgoing call; Origin reads
// a call's origin from configurable header Rules (DefaultRules when none).
//
// Decisions the SPEC leaves open, documented here and in the README:
//
//   - Queue, ring-group and click-to-call calls that ring out are answered
//     480 Temporarily Unavailable, so the queue moves on; only direct calls go
//     to the destination if no answer (or forwarding) after the ring time.
//   - Call waiting off: a new call while another call is up (dialing,
//     alerting, active or held) is "not offered" in the sense of section 1:
//     a queue or ring-group call gets 480 at once, a direct call goes at once
//     to forwarding or to the destination if no answer (486 Busy Here when
//     that destination is "hang up"). The plan is marked Busy so the call
//     history records it as busy.
//   - Auto answer never answers a call while another call is up: the new
//     call rings with the call-waiting tone instead (or takes the busy path
//     when call waiting is off), so auto answer never puts a call on hold.
//   - Auto-answer markers (Call-Info answer-after, Alert-Info
//     info=alert-autoanswer, Answer-Mode: Auto) and origin headers are trusted
//     only when the call came from the account's own proxy; otherwise the
//     call is a direct call without a marker.
//   - A trusted auto-answer marker makes a call a click-to-call call when no
//     origin rule matched.
package callpolicy
