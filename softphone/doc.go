// Package softphone is Ringside's SIP user agent: SIP over WebSocket
// (RFC 7118, ws:// and wss://) for signalling and WebRTC (ICE, DTLS-SRTP,
// pion/webrtc) for media, so that it works with Kamailio, Asterisk,
// FreeSWITCH and browser softphones.
//
// A Phone registers one Account (digest authentication, RFC 5626
// +sip.instance/reg-id, refreshed before expiry, re-registered with backoff
// after the connection drops), places and receives calls, and reports
// everything as typed events on one channel (Phone.Events).
//
// The phone knows nothing of preferences or statuses: for each incoming
// call it asks a CallHandler for a Plan (ring, answer, redirect, reject).
// Audio comes from a Source and goes to a Sink, both working in 20 ms frames
// of mono signed 16-bit PCM at 48 kHz (FrameSamples samples); codecs are
// Opus (preferred), PCMU and PCMA, with RFC 4733 telephone-events for DTMF.
//
// There is no global state: several phones work in one process.
package softphone
