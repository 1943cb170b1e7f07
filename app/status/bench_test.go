package status_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/app/status/statustest"
	"github.com/ringside/ringside/app/store"
)

// yearOfStints returns a year of an agent's working days: 250 days of 8 hours
// with a change every 12 minutes (40 stints a day, 10 000 stints), calls with
// after-call work among them.
func yearOfStints() []status.Stint {
	start := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	cycle := []status.Status{status.Available, status.AfterCallWork, status.Available, status.Away,
		status.Available, status.OnBreak, status.Available, status.AfterCallWork, status.DoNotDisturb, status.Unavailable}
	var out []status.Stint
	for d := 0; d < 250; d++ {
		day := start.AddDate(0, 0, d)
		for i := 0; i < 40; i++ {
			s := cycle[i%len(cycle)]
			r := status.ReasonTray
			if s == status.AfterCallWork {
				r = status.ReasonAfterCallWork
			}
			a := day.Add(time.Duration(i) * 12 * time.Minute)
			out = append(out, status.Stint{Status: s, Reason: r, Start: a, End: a.Add(12 * time.Minute), EndReason: status.ReasonTray})
		}
	}
	return out
}

// BenchmarkComputeYear computes a year's metrics from stints in memory.
func BenchmarkComputeYear(b *testing.B) {
	stints := yearOfStints()
	from, to := stints[0].Start, stints[len(stints)-1].End
	b.ReportAllocs()
	for b.Loop() {
		if _, err := status.Compute(stints, from, to, to); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(stints)), "stints")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(stints)), "ns/stint")
}

// BenchmarkMetricsYearFromStore reads a year of stints from the SQLite
// timeline and computes the metrics, as `ringside report` does.
func BenchmarkMetricsYearFromStore(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	stints := yearOfStints()
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		for _, s := range stints {
			if _, err := tx.ExecContext(ctx, `INSERT INTO status_stints(status, reason, start_ms, end_ms, end_reason)
				VALUES (?, ?, ?, ?, ?)`, string(s.Status), string(s.Reason), s.Start.UnixMilli(), s.End.UnixMilli(), string(s.EndReason)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	to := stints[len(stints)-1].End
	e, err := status.New(ctx, st, status.WithClock(statustest.NewClock(to)))
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	from := stints[0].Start
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, err := e.Metrics(ctx, from, to)
		if err != nil {
			b.Fatal(err)
		}
		if m.Of(status.Available).Stints != 4000 {
			b.Fatalf("available stints %d", m.Of(status.Available).Stints)
		}
	}
	b.ReportMetric(float64(len(stints)), "stints")
}

// BenchmarkSet measures one status change (two statements and a commit with
// synchronous=FULL).
func BenchmarkSet(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	e, err := status.New(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	i := 0
	for b.Loop() {
		i++
		if err := e.Set(ctx, status.All[i%2], status.ReasonCLI); err != nil {
			b.Fatal(err)
		}
	}
}
