// Package status provides the agent's availability: the six statuses and the
// call-offering rules of each (SPEC.md section 1), the Engine that holds the
// current status, records every change in a timeline in the store (surviving
// restarts and crashes through a heartbeat) and runs the after-call work timer,
// and the time-in-status metrics computed from one agent's timeline or from
// several agents' exported timelines.
package status
