package status

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0:00:00", 59*time.Second + 999*time.Millisecond: "0:00:59", 61 * time.Minute: "1:01:00",
		50 * time.Hour: "50:00:00", -time.Second: "0:00:00",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%s) = %q, want %q", d, got, want)
		}
	}
}

func teamReport(t *testing.T) Report {
	t.Helper()
	h, m := time.Hour, time.Minute
	ann := AgentTimeline{Agent: Agent{ID: "1001", Name: "Ann"}, Stints: []Stint{
		closed(Available, ReasonAppStart, 0, 1*h),
		closed(AfterCallWork, ReasonAfterCallWork, 1*h, 1*h+3*m),
	}}
	bob := AgentTimeline{Agent: Agent{ID: "1002", Name: "Bob"}, Stints: []Stint{
		closed(OnBreak, ReasonTray, 0, 30*m),
	}}
	team, err := ComputeTeam([]AgentTimeline{ann, bob}, at(0), at(8*h), at(8*h))
	if err != nil {
		t.Fatal(err)
	}
	return TeamReport(team)
}

func TestReportTable(t *testing.T) {
	m, _ := Compute(sampleTimeline().Stints, at(0), at(2*time.Hour), at(2*time.Hour))
	var b bytes.Buffer
	if err := LocalReport(m).WriteTable(&b, time.UTC); err != nil {
		t.Fatal(err)
	}
	want := `Time in status, 2026-11-02 08:00 to 2026-11-02 10:00 (UTC)

STATUS                    TOTAL    STINTS  AVERAGE  
Available                 1:00:00  1       1:00:00  
Away                      0:59:58  1       0:59:58  
After-call work           0:00:01  1       0:00:01  
On break                  0:00:00  0       0:00:00  
Unavailable               0:00:00  0       0:00:00  
Do Not Disturb            0:00:00  0       0:00:00  
(all)                     2:00:00                   
After-call work per call  0:00:01  1                
`
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	teamReport(t).WriteTable(&b, time.UTC)
	out := b.String()
	for _, s := range []string{"AGENT", "Ann    Available", "Bob    On break                  0:30:00  1", "team   (all)                     1:33:00"} {
		if !strings.Contains(out, s) {
			t.Errorf("team table lacks %q:\n%s", s, out)
		}
	}
}

func TestReportCSVAndJSON(t *testing.T) {
	r := teamReport(t)
	var b bytes.Buffer
	if err := r.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+3*6 {
		t.Fatalf("%d CSV lines, want header + 18", len(recs))
	}
	if strings.Join(recs[1], ",") != "1001,Ann,2026-11-02T08:00:00Z,2026-11-02T16:00:00Z,available,3600.000,1,3600.000,1,180.000" {
		t.Errorf("first line %v", recs[1])
	}
	if recs[13][0] != "*" || recs[13][1] != "team" {
		t.Errorf("team line %v", recs[13])
	}
	b.Reset()
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Agents []struct {
			Agent    string `json:"agent"`
			Statuses []struct {
				Status       string  `json:"status"`
				TotalSeconds float64 `json:"total_seconds"`
			} `json:"statuses"`
			Calls int `json:"calls"`
		} `json:"agents"`
		Team *struct {
			TotalSeconds float64 `json:"total_seconds"`
		} `json:"team"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Agents) != 2 || doc.Agents[0].Calls != 1 || doc.Agents[1].Statuses[3].TotalSeconds != 1800 || doc.Team.TotalSeconds != 5580 {
		t.Errorf("JSON report %s", b.String())
	}
}
