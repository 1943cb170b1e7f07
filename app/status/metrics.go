package status

import (
	"fmt"
	"sort"
	"time"
)

// StatusMetrics is the time spent in one status over a period.
type StatusMetrics struct {
	Status  Status
	Total   time.Duration // time in the status within the period
	Stints  int           // stints that overlap the period
	Average time.Duration // Total / Stints (the clipped length of one stint); 0 without stints
}

// Metrics is one agent's (or a team's) time in status over [From, To).
type Metrics struct {
	Agent    Agent // empty for the local agent unless the caller sets it
	From, To time.Time
	// ByStatus has one entry per status, in the order of All.
	ByStatus []StatusMetrics
	// Calls is the number of calls that started after-call work in the period
	// (stints of after_call_work with reason after_call_work).
	Calls int
	// AfterCallWorkPerCall is the time in After-call work (whatever started
	// it) divided by Calls; 0 without calls.
	AfterCallWorkPerCall time.Duration
	// Total is the time covered by stints in the period (the app's running
	// time).
	Total time.Duration
}

// Of returns the metrics of status s.
func (m Metrics) Of(s Status) StatusMetrics {
	for _, sm := range m.ByStatus {
		if sm.Status == s {
			return sm
		}
	}
	return StatusMetrics{Status: s}
}

// Compute returns the metrics of stints over [from, to). Each stint is clipped
// to the period; an open stint runs until now (and not past to). A zero from
// starts at the first stint; a zero to is now. A stint counts toward Stints
// when its clipped part is longer than zero, or when it has no length and
// starts within the period. Stints of unknown statuses are ignored.
func Compute(stints []Stint, from, to, now time.Time) (Metrics, error) {
	if to.IsZero() {
		to = now
	}
	if from.IsZero() {
		for _, s := range stints {
			if from.IsZero() || s.Start.Before(from) {
				from = s.Start
			}
		}
		if from.IsZero() || from.After(to) {
			from = to
		}
	}
	if to.Before(from) {
		return Metrics{}, fmt.Errorf("%w: from %s, to %s", ErrBadPeriod,
			from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	m := Metrics{From: from, To: to, ByStatus: make([]StatusMetrics, len(All))}
	idx := make(map[Status]int, len(All))
	for i, s := range All {
		m.ByStatus[i].Status = s
		idx[s] = i
	}
	for _, s := range stints {
		i, ok := idx[s.Status]
		if !ok {
			continue
		}
		end := s.End
		if s.Open {
			end = now
		}
		if end.Before(s.Start) {
			end = s.Start
		}
		a, b := s.Start, end
		if a.Before(from) {
			a = from
		}
		if b.After(to) {
			b = to
		}
		var d time.Duration
		switch {
		case a.Before(b):
			d = b.Sub(a)
		case s.Start.Equal(end) && !s.Start.Before(from) && s.Start.Before(to):
			d = 0
		default:
			continue
		}
		sm := &m.ByStatus[i]
		sm.Total += d
		sm.Stints++
		m.Total += d
		if s.Status == AfterCallWork && s.Reason == ReasonAfterCallWork && !s.Start.Before(from) {
			m.Calls++
		}
	}
	finish(&m)
	return m, nil
}

// finish fills the averages.
func finish(m *Metrics) {
	for i := range m.ByStatus {
		sm := &m.ByStatus[i]
		sm.Average = 0
		if sm.Stints > 0 {
			sm.Average = sm.Total / time.Duration(sm.Stints)
		}
	}
	m.AfterCallWorkPerCall = 0
	if m.Calls > 0 {
		m.AfterCallWorkPerCall = m.Of(AfterCallWork).Total / time.Duration(m.Calls)
	}
}

// Team is the metrics of several agents over one period, and their sum.
type Team struct {
	From, To time.Time
	Agents   []Metrics // sorted by agent name, then id
	Total    Metrics   // every agent together: sums, and averages over all stints
}

// ComputeTeam computes each agent's metrics from their timelines and the
// team's total. Timelines of the same agent (same id and name) are merged,
// a stint exported twice counted once. now ends the open stints of timelines that have any.
func ComputeTeam(timelines []AgentTimeline, from, to, now time.Time) (Team, error) {
	merged := map[string]*AgentTimeline{}
	var order []string
	for _, tl := range timelines {
		k := tl.Agent.key()
		if m, ok := merged[k]; ok {
			m.Stints = append(m.Stints, tl.Stints...)
			continue
		}
		c := AgentTimeline{Agent: tl.Agent, Stints: append([]Stint(nil), tl.Stints...)}
		merged[k] = &c
		order = append(order, k)
	}
	// One period for everyone: the earliest stint when from is zero.
	if from.IsZero() {
		for _, k := range order {
			for _, s := range merged[k].Stints {
				if from.IsZero() || s.Start.Before(from) {
					from = s.Start
				}
			}
		}
		if from.IsZero() {
			from = to
			if from.IsZero() {
				from = now
			}
		}
	}
	if to.IsZero() {
		to = now
	}
	t := Team{From: from, To: to}
	t.Total = Metrics{Agent: Agent{Name: "team"}, From: from, To: to, ByStatus: make([]StatusMetrics, len(All))}
	for i, s := range All {
		t.Total.ByStatus[i].Status = s
	}
	for _, k := range order {
		tl := merged[k]
		m, err := Compute(dedupe(tl.Stints), from, to, now)
		if err != nil {
			return Team{}, err
		}
		m.Agent = tl.Agent
		t.Agents = append(t.Agents, m)
		for i := range m.ByStatus {
			t.Total.ByStatus[i].Total += m.ByStatus[i].Total
			t.Total.ByStatus[i].Stints += m.ByStatus[i].Stints
		}
		t.Total.Calls += m.Calls
		t.Total.Total += m.Total
	}
	finish(&t.Total)
	sort.SliceStable(t.Agents, func(i, j int) bool {
		a, b := t.Agents[i].Agent, t.Agents[j].Agent
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
	return t, nil
}

// dedupe sorts stints by start and drops exact repeats (the same stint
// exported twice).
func dedupe(in []Stint) []Stint {
	sort.SliceStable(in, func(i, j int) bool { return in[i].Start.Before(in[j].Start) })
	out := in[:0]
	for _, s := range in {
		if n := len(out); n > 0 {
			p := out[n-1]
			if p.Status == s.Status && p.Start.Equal(s.Start) && p.End.Equal(s.End) && p.Open == s.Open {
				continue
			}
		}
		out = append(out, s)
	}
	return out
}
