package status

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"
)

// Report is what `ringside report` prints: one agent's metrics, or each
// agent's and the team's total.
type Report struct {
	From, To time.Time
	Agents   []Metrics
	Total    *Metrics // the team's sum; nil for one agent
}

// LocalReport returns the report of one agent.
func LocalReport(m Metrics) Report {
	return Report{From: m.From, To: m.To, Agents: []Metrics{m}}
}

// TeamReport returns the report of a team: a row set per agent and the total.
func TeamReport(t Team) Report {
	tot := t.Total
	return Report{From: t.From, To: t.To, Agents: t.Agents, Total: &tot}
}

func (r Report) rows() []Metrics {
	if r.Total == nil {
		return r.Agents
	}
	return append(append([]Metrics(nil), r.Agents...), *r.Total)
}

// FormatDuration formats d as H:MM:SS (hours grow past 24), rounding down to the second.
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}

// WriteTable writes the report as an aligned text table with times in loc.
func (r Report) WriteTable(w io.Writer, loc *time.Location) error {
	if loc == nil {
		loc = time.Local
	}
	const day = "2006-01-02 15:04"
	fmt.Fprintf(w, "Time in status, %s to %s (%s)\n\n", r.From.In(loc).Format(day), r.To.In(loc).Format(day),
		r.From.In(loc).Format("MST"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	team := r.Total != nil
	if team {
		fmt.Fprint(tw, "AGENT\t")
	}
	fmt.Fprintln(tw, "STATUS\tTOTAL\tSTINTS\tAVERAGE\t")
	for _, m := range r.rows() {
		for _, sm := range m.ByStatus {
			if team {
				fmt.Fprintf(tw, "%s\t", m.Agent)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t\n", sm.Status.Name(), FormatDuration(sm.Total), sm.Stints, FormatDuration(sm.Average))
		}
		if team {
			fmt.Fprintf(tw, "%s\t", m.Agent)
		}
		fmt.Fprintf(tw, "%s\t%s\t\t\t\n", "(all)", FormatDuration(m.Total))
		if team {
			fmt.Fprintf(tw, "%s\t", m.Agent)
		}
		acw := "-"
		if m.Calls > 0 {
			acw = FormatDuration(m.AfterCallWorkPerCall)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t\t\n", "After-call work per call", acw, m.Calls)
	}
	return tw.Flush()
}

var reportCSVHeader = []string{"agent_id", "agent", "from", "to", "status", "total_seconds", "stints",
	"average_seconds", "calls", "after_call_work_per_call_seconds"}

func secs(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }

// WriteCSV writes the report as CSV: one line per agent and status, with the
// agent's calls and after-call work per call repeated on each of its lines;
// a team's total has agent_id "*" and agent "team".
func (r Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(reportCSVHeader)
	for i, m := range r.rows() {
		id := m.Agent.ID
		if r.Total != nil && i == len(r.rows())-1 {
			id = "*"
		}
		for _, sm := range m.ByStatus {
			cw.Write([]string{id, m.Agent.Name, r.From.UTC().Format(time.RFC3339), r.To.UTC().Format(time.RFC3339),
				string(sm.Status), secs(sm.Total), strconv.Itoa(sm.Stints), secs(sm.Average),
				strconv.Itoa(m.Calls), secs(m.AfterCallWorkPerCall)})
		}
	}
	cw.Flush()
	return cw.Error()
}

type jsonStatusMetrics struct {
	Status         string  `json:"status"`
	Name           string  `json:"name"`
	TotalSeconds   float64 `json:"total_seconds"`
	Stints         int     `json:"stints"`
	AverageSeconds float64 `json:"average_seconds"`
}

type jsonMetrics struct {
	AgentID                     string              `json:"agent_id"`
	Agent                       string              `json:"agent"`
	TotalSeconds                float64             `json:"total_seconds"`
	Statuses                    []jsonStatusMetrics `json:"statuses"`
	Calls                       int                 `json:"calls"`
	AfterCallWorkPerCallSeconds float64             `json:"after_call_work_per_call_seconds"`
}

type jsonReport struct {
	From   string        `json:"from"`
	To     string        `json:"to"`
	Agents []jsonMetrics `json:"agents"`
	Team   *jsonMetrics  `json:"team,omitempty"`
}

func toJSON(m Metrics) jsonMetrics {
	j := jsonMetrics{AgentID: m.Agent.ID, Agent: m.Agent.Name, TotalSeconds: m.Total.Seconds(),
		Calls: m.Calls, AfterCallWorkPerCallSeconds: m.AfterCallWorkPerCall.Seconds(),
		Statuses: []jsonStatusMetrics{}}
	for _, sm := range m.ByStatus {
		j.Statuses = append(j.Statuses, jsonStatusMetrics{Status: string(sm.Status), Name: sm.Status.Name(),
			TotalSeconds: sm.Total.Seconds(), Stints: sm.Stints, AverageSeconds: sm.Average.Seconds()})
	}
	return j
}

// WriteJSON writes the report as one JSON document.
func (r Report) WriteJSON(w io.Writer) error {
	doc := jsonReport{From: r.From.UTC().Format(time.RFC3339), To: r.To.UTC().Format(time.RFC3339),
		Agents: []jsonMetrics{}}
	for _, m := range r.Agents {
		doc.Agents = append(doc.Agents, toJSON(m))
	}
	if r.Total != nil {
		t := toJSON(*r.Total)
		doc.Team = &t
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
