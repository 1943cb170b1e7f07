package status

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func sampleTimeline() AgentTimeline {
	return AgentTimeline{Agent: Agent{ID: "1001", Name: "Ann, \"the\" agent"}, Stints: []Stint{
		closed(Available, ReasonAppStart, 0, time.Hour),
		{Status: AfterCallWork, Reason: ReasonAfterCallWork, Start: at(time.Hour), End: at(time.Hour + 1500*time.Millisecond), EndReason: ReasonAfterCallWork},
		{Status: Away, Reason: ReasonAfterCallWork, Start: at(time.Hour + 1500*time.Millisecond), Open: true},
	}}
}

func TestTimelineRoundTrip(t *testing.T) {
	now := at(2 * time.Hour)
	for name, write := range map[string]func(*bytes.Buffer, AgentTimeline, time.Time) error{
		"csv":  func(b *bytes.Buffer, tl AgentTimeline, n time.Time) error { return WriteTimelineCSV(b, tl, n) },
		"json": func(b *bytes.Buffer, tl AgentTimeline, n time.Time) error { return WriteTimelineJSON(b, tl, n) },
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			tl := sampleTimeline()
			if err := write(&b, tl, now); err != nil {
				t.Fatal(err)
			}
			got, err := ReadTimeline(&b, "ann."+name)
			if err != nil {
				t.Fatal(err)
			}
			if got.Agent != tl.Agent || len(got.Stints) != 3 {
				t.Fatalf("read back %+v", got)
			}
			last := got.Stints[2]
			if last.Open || !last.End.Equal(now) || last.EndReason != ReasonOpen {
				t.Errorf("open stint exported as %+v, want ended at export time with reason open", last)
			}
			if !got.Stints[1].End.Equal(at(time.Hour + 1500*time.Millisecond)) {
				t.Errorf("milliseconds lost: %s", got.Stints[1].End)
			}
			m1, _ := Compute(tl.Stints, at(0), now, now)
			m2, _ := Compute(got.Stints, at(0), now, now)
			for i := range m1.ByStatus {
				if m1.ByStatus[i] != m2.ByStatus[i] {
					t.Errorf("metrics differ after round trip: %+v vs %+v", m1.ByStatus[i], m2.ByStatus[i])
				}
			}
		})
	}
}

func TestReadTimelineErrors(t *testing.T) {
	head := "agent_id,agent,status,reason,start,end,end_reason\n"
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "empty file"},
		{"wrong header", "a,b,c,d,e,f,g\n", "line 1: header must be"},
		{"unknown status", head + "1,Ann,lunch,cli,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z,\n", "line 2: unknown status \"lunch\""},
		{"unknown reason", head + "1,Ann,away,whim,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z,\n", "unknown status change reason \"whim\""},
		{"end-only reason as start reason", head + "1,Ann,away,crash,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z,\n", "unknown status change reason"},
		{"bad time", head + "1,Ann,away,cli,yesterday,2026-11-02T09:00:00Z,\n", "start \"yesterday\": want an RFC 3339 time"},
		{"end before start", head + "1,Ann,away,cli,2026-11-02T09:00:00Z,2026-11-02T08:00:00Z,\n", "is before start"},
		{"two agents", head + "1,Ann,away,cli,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z,\n2,Bob,away,cli,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z,\n", "line 3: agent \"Bob\""},
		{"short line", head + "1,Ann,away\n", "line 2"},
		{"control char in name", head + "1,\"A\x01nn\",away,cli,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z,\n", "no control characters"},
		{"json wrong format", `{"format":"other","version":1,"stints":[]}`, "want \"ringside-timeline\" version 1"},
		{"json unknown field", `{"format":"ringside-timeline","version":1,"x":1}`, "not a timeline JSON document"},
		{"json bad stint", `{"format":"ringside-timeline","version":1,"stints":[{"status":"away","reason":"cli","start":"2026-11-02T08:00:00Z","end":"x","end_reason":""}]}`, "stint 1: end \"x\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadTimeline(strings.NewReader(tt.in), "team/ann.csv")
			if !errors.Is(err, ErrBadTimeline) {
				t.Fatalf("error %v, want ErrBadTimeline", err)
			}
			if !strings.Contains(err.Error(), "team/ann.csv") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name the file and say %q", err, tt.want)
			}
		})
	}
	defer func(n int) { maxTimelineFile = n }(maxTimelineFile)
	maxTimelineFile = 2 << 20
	var big bytes.Buffer
	big.WriteString(head)
	big.Write(bytes.Repeat([]byte("x"), maxTimelineFile))
	if _, err := ReadTimeline(&big, "big.csv"); err == nil || !strings.Contains(err.Error(), "larger than 2 MiB") {
		t.Errorf("oversized file: %v", err)
	}
}

func FuzzReadTimeline(f *testing.F) {
	var c, j bytes.Buffer
	WriteTimelineCSV(&c, sampleTimeline(), at(2*time.Hour))
	WriteTimelineJSON(&j, sampleTimeline(), at(2*time.Hour))
	f.Add(c.Bytes())
	f.Add(j.Bytes())
	f.Add([]byte("agent_id,agent,status,reason,start,end,end_reason\n"))
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tl, err := ReadTimeline(bytes.NewReader(data), "fuzz")
		if err != nil {
			if !errors.Is(err, ErrBadTimeline) {
				t.Fatalf("error not ErrBadTimeline: %v", err)
			}
			return
		}
		for _, s := range tl.Stints {
			if !s.Status.Valid() || s.End.Before(s.Start) || s.Open {
				t.Fatalf("accepted bad stint %+v", s)
			}
		}
		// What was read can be written and read again, with the same metrics.
		var b bytes.Buffer
		if err := WriteTimelineJSON(&b, tl, time.Unix(0, 0)); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadTimeline(&b, "again"); err != nil {
			t.Fatalf("re-read of a written timeline: %v", err)
		}
	})
}
