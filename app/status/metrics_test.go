package status

import (
	"errors"
	"testing"
	"time"
)

var m0 = time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return m0.Add(d) }

func closed(s Status, r Reason, from, to time.Duration) Stint {
	return Stint{Status: s, Reason: r, Start: at(from), End: at(to), EndReason: ReasonManual}
}

func TestCompute(t *testing.T) {
	h, m := time.Hour, time.Minute
	day := []Stint{
		closed(Available, ReasonAppStart, 0, 1*h),                // 08:00-09:00
		closed(AfterCallWork, ReasonAfterCallWork, 1*h, 1*h+2*m), // 09:00-09:02, one call
		closed(Available, ReasonAfterCallWork, 1*h+2*m, 2*h),     // 09:02-10:00
		closed(OnBreak, ReasonTray, 2*h, 2*h+15*m),               // 10:00-10:15
		closed(Available, ReasonTray, 2*h+15*m, 3*h),             // 10:15-11:00
		closed(AfterCallWork, ReasonAfterCallWork, 3*h, 3*h+4*m), // 11:00-11:04, second call
		closed(AfterCallWork, ReasonManual, 3*h+4*m, 3*h+5*m),    // agent stays one more minute
		closed(Away, ReasonManual, 3*h+5*m, 4*h),                 // 11:05-12:00
	}
	type want struct {
		s      Status
		total  time.Duration
		stints int
		avg    time.Duration
	}
	tests := []struct {
		name     string
		stints   []Stint
		from, to time.Time
		now      time.Time
		want     []want
		calls    int
		perCall  time.Duration
		total    time.Duration
	}{
		{
			name: "whole day", stints: day, from: at(0), to: at(24 * h), now: at(24 * h),
			want: []want{
				{Available, 1*h + 58*m + 45*m, 3, (1*h + 58*m + 45*m) / 3},
				{AfterCallWork, 7 * m, 3, 7 * m / 3},
				{OnBreak, 15 * m, 1, 15 * m},
				{Away, 55 * m, 1, 55 * m},
				{Unavailable, 0, 0, 0},
				{DoNotDisturb, 0, 0, 0},
			},
			calls: 2, perCall: 3*m + 30*time.Second, total: 4 * h,
		},
		{
			name: "clipped to 09:30-10:10", stints: day, from: at(90 * m), to: at(2*h + 10*m), now: at(24 * h),
			want: []want{
				{Available, 30 * m, 1, 30 * m},
				{OnBreak, 10 * m, 1, 10 * m},
				{AfterCallWork, 0, 0, 0},
			},
			calls: 0, perCall: 0, total: 40 * m,
		},
		{
			name:   "a call's after-call work starting before the period is not counted as a call",
			stints: day, from: at(1*h + 1*m), to: at(1*h + 30*m), now: at(24 * h),
			want: []want{
				{AfterCallWork, 1 * m, 1, 1 * m},
				{Available, 28 * m, 1, 28 * m},
			},
			calls: 0, perCall: 0, total: 29 * m,
		},
		{
			name: "open stint counted up to now",
			stints: []Stint{
				closed(Available, ReasonAppStart, 0, 10*m),
				{Status: DoNotDisturb, Reason: ReasonCLI, Start: at(10 * m), Open: true},
			},
			from: at(0), to: at(1 * h), now: at(25 * m),
			want: []want{
				{Available, 10 * m, 1, 10 * m},
				{DoNotDisturb, 15 * m, 1, 15 * m},
			},
			total: 25 * m,
		},
		{
			name:   "open stint stops at the period's end",
			stints: []Stint{{Status: Away, Reason: ReasonCLI, Start: at(0), Open: true}},
			from:   at(0), to: at(1 * h), now: at(5 * h),
			want:  []want{{Away, 1 * h, 1, 1 * h}},
			total: 1 * h,
		},
		{
			name: "zero to is now, zero from is the first stint",
			stints: []Stint{
				closed(Available, ReasonAppStart, 2*h, 3*h),
				{Status: Away, Reason: ReasonCLI, Start: at(3 * h), Open: true},
			},
			now:   at(3*h + 20*m),
			want:  []want{{Available, 1 * h, 1, 1 * h}, {Away, 20 * m, 1, 20 * m}},
			total: 1*h + 20*m,
		},
		{
			name: "zero-length stint inside the period counts as a stint",
			stints: []Stint{
				closed(Away, ReasonCLI, 10*m, 10*m),
				closed(Available, ReasonCLI, 10*m, 20*m),
				closed(Unavailable, ReasonCLI, 1*h, 1*h), // at the period's end: outside
			},
			from: at(0), to: at(1 * h), now: at(2 * h),
			want:  []want{{Away, 0, 1, 0}, {Available, 10 * m, 1, 10 * m}, {Unavailable, 0, 0, 0}},
			total: 10 * m,
		},
		{
			name: "stints outside the period and unknown statuses are ignored",
			stints: []Stint{
				closed(Available, ReasonCLI, 0, 1*h),
				closed("lunch", ReasonCLI, 1*h, 2*h),
				closed(Away, ReasonCLI, 3*h, 4*h),
			},
			from: at(1 * h), to: at(3 * h), now: at(5 * h),
			want:  []want{{Available, 0, 0, 0}, {Away, 0, 0, 0}},
			total: 0,
		},
		{
			name: "after-call work per call, rounded down to the nanosecond",
			stints: []Stint{
				closed(AfterCallWork, ReasonAfterCallWork, 0, 10*time.Second),
				closed(AfterCallWork, ReasonAfterCallWork, 10*time.Second, 30*time.Second),
				closed(AfterCallWork, ReasonAfterCallWork, 30*time.Second, 40*time.Second),
			},
			from: at(0), to: at(1 * h), now: at(1 * h),
			want:  []want{{AfterCallWork, 40 * time.Second, 3, 13333333333}},
			calls: 3, perCall: 13333333333, total: 40 * time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Compute(tt.stints, tt.from, tt.to, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				g := got.Of(w.s)
				if g.Total != w.total || g.Stints != w.stints || g.Average != w.avg {
					t.Errorf("%s: total %s, stints %d, average %s; want %s, %d, %s",
						w.s, g.Total, g.Stints, g.Average, w.total, w.stints, w.avg)
				}
			}
			if got.Calls != tt.calls || got.AfterCallWorkPerCall != tt.perCall {
				t.Errorf("calls %d, per call %s; want %d, %s", got.Calls, got.AfterCallWorkPerCall, tt.calls, tt.perCall)
			}
			if got.Total != tt.total {
				t.Errorf("total %s, want %s", got.Total, tt.total)
			}
			var sum time.Duration
			for _, sm := range got.ByStatus {
				sum += sm.Total
			}
			if sum != got.Total {
				t.Errorf("statuses add up to %s, total says %s", sum, got.Total)
			}
		})
	}
}

func TestComputeBadPeriod(t *testing.T) {
	if _, err := Compute(nil, at(time.Hour), at(0), at(0)); !errors.Is(err, ErrBadPeriod) {
		t.Errorf("Compute(to before from) = %v", err)
	}
	m, err := Compute(nil, time.Time{}, time.Time{}, at(0))
	if err != nil || m.Total != 0 || len(m.ByStatus) != 6 {
		t.Errorf("empty timeline: %+v %v", m, err)
	}
}

func TestComputeTeam(t *testing.T) {
	h, m := time.Hour, time.Minute
	ann := AgentTimeline{Agent: Agent{ID: "1001", Name: "Ann"}, Stints: []Stint{
		closed(Available, ReasonAppStart, 0, 1*h),
		closed(AfterCallWork, ReasonAfterCallWork, 1*h, 1*h+3*m),
	}}
	// The same agent's second file, overlapping the first by one stint.
	ann2 := AgentTimeline{Agent: Agent{ID: "1001", Name: "Ann"}, Stints: []Stint{
		closed(AfterCallWork, ReasonAfterCallWork, 1*h, 1*h+3*m),
		closed(Away, ReasonCLI, 1*h+3*m, 2*h),
	}}
	bob := AgentTimeline{Agent: Agent{ID: "1002", Name: "Bob"}, Stints: []Stint{
		closed(Available, ReasonAppStart, 0, 30*m),
		closed(AfterCallWork, ReasonAfterCallWork, 30*m, 31*m),
		closed(OnBreak, ReasonTray, 31*m, 1*h),
	}}
	team, err := ComputeTeam([]AgentTimeline{bob, ann, ann2}, at(0), at(8*h), at(8*h))
	if err != nil {
		t.Fatal(err)
	}
	if len(team.Agents) != 2 || team.Agents[0].Agent.Name != "Ann" || team.Agents[1].Agent.Name != "Bob" {
		t.Fatalf("agents %+v", team.Agents)
	}
	a := team.Agents[0]
	if a.Total != 2*h || a.Calls != 1 || a.Of(AfterCallWork).Stints != 1 || a.Of(Away).Total != 57*m {
		t.Errorf("Ann: total %s calls %d acw stints %d away %s", a.Total, a.Calls, a.Of(AfterCallWork).Stints, a.Of(Away).Total)
	}
	tot := team.Total
	if tot.Total != 3*h || tot.Calls != 2 || tot.AfterCallWorkPerCall != 2*m {
		t.Errorf("team: total %s calls %d per call %s", tot.Total, tot.Calls, tot.AfterCallWorkPerCall)
	}
	if av := tot.Of(Available); av.Total != 90*m || av.Stints != 2 || av.Average != 45*m {
		t.Errorf("team available %+v", av)
	}
}
