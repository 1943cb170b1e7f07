package status

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Agent names whose timeline it is, in exports and team reports.
type Agent struct {
	ID   string `json:"agent_id"` // stable id: the SIP user, or whatever the caller chooses
	Name string `json:"agent"`    // display name
}

// key identifies an agent when timelines are merged: the same id and name
// (two people without an account may share an OS user name).
func (a Agent) key() string { return a.ID + "\x00" + a.Name }

// String returns the name, else the id, else "-".
func (a Agent) String() string {
	switch {
	case a.Name != "":
		return a.Name
	case a.ID != "":
		return a.ID
	}
	return "-"
}

// AgentTimeline is one agent's stints, as exported and imported.
type AgentTimeline struct {
	Agent  Agent
	Stints []Stint
}

// TimelineFormat is the "format" field of a JSON timeline export.
const TimelineFormat = "ringside-timeline"

// MaxTimelineFile is the largest timeline file ReadTimeline accepts (64 MiB,
// about a million stints).
const MaxTimelineFile = 64 << 20

// maxTimelineFile is MaxTimelineFile, lowered by tests.
var maxTimelineFile = MaxTimelineFile

// csvHeader is the first line of a CSV timeline export.
var csvHeader = []string{"agent_id", "agent", "status", "reason", "start", "end", "end_reason"}

const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// closeOpenStints returns stints with an open one ended at now, end reason
// "open" (an export is a picture of the timeline at one moment).
func closeOpenStints(stints []Stint, now time.Time) []Stint {
	out := make([]Stint, len(stints))
	for i, s := range stints {
		if s.Open {
			s.Open, s.End, s.EndReason = false, now, ReasonOpen
			if s.End.Before(s.Start) {
				s.End = s.Start
			}
		}
		out[i] = s
	}
	return out
}

// WriteTimelineCSV writes tl as CSV: a header line, then one stint a line with
// times in RFC 3339 UTC (milliseconds). A running stint ends at now with end
// reason "open".
func WriteTimelineCSV(w io.Writer, tl AgentTimeline, now time.Time) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, s := range closeOpenStints(tl.Stints, now) {
		rec := []string{tl.Agent.ID, tl.Agent.Name, string(s.Status), string(s.Reason),
			s.Start.UTC().Format(timeLayout), s.End.UTC().Format(timeLayout), string(s.EndReason)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

type jsonStint struct {
	Status    string `json:"status"`
	Reason    string `json:"reason"`
	Start     string `json:"start"`
	End       string `json:"end"`
	EndReason string `json:"end_reason"`
}

type jsonTimeline struct {
	Format     string      `json:"format"`
	Version    int         `json:"version"`
	AgentID    string      `json:"agent_id"`
	Agent      string      `json:"agent"`
	ExportedAt string      `json:"exported_at"`
	Stints     []jsonStint `json:"stints"`
}

// WriteTimelineJSON writes tl as one JSON document (format
// "ringside-timeline", version 1). A running stint ends at now with end
// reason "open".
func WriteTimelineJSON(w io.Writer, tl AgentTimeline, now time.Time) error {
	doc := jsonTimeline{Format: TimelineFormat, Version: 1, AgentID: tl.Agent.ID, Agent: tl.Agent.Name,
		ExportedAt: now.UTC().Format(timeLayout), Stints: []jsonStint{}}
	for _, s := range closeOpenStints(tl.Stints, now) {
		doc.Stints = append(doc.Stints, jsonStint{Status: string(s.Status), Reason: string(s.Reason),
			Start: s.Start.UTC().Format(timeLayout), End: s.End.UTC().Format(timeLayout),
			EndReason: string(s.EndReason)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// TimelineFileError says which file (and line or stint) of an imported
// timeline is wrong, and why.
type TimelineFileError struct {
	File  string
	Where string // "line 4", "stint 3", or empty
	Err   error
}

// Error names the file, where in it, and the problem.
func (e *TimelineFileError) Error() string {
	w := e.File
	if e.Where != "" {
		w += ", " + e.Where
	}
	return fmt.Sprintf("timeline %s: %v", w, e.Err)
}

// Unwrap returns ErrBadTimeline and the cause.
func (e *TimelineFileError) Unwrap() []error { return []error{ErrBadTimeline, e.Err} }

// ReadTimeline reads a timeline exported by WriteTimelineCSV or
// WriteTimelineJSON (told apart by the first character: "{" is JSON). file
// names it in errors. Every stint is checked: known status and reasons, times
// in RFC 3339, end not before start; a CSV file holds one agent. Files larger
// than MaxTimelineFile are refused.
func ReadTimeline(r io.Reader, file string) (AgentTimeline, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(maxTimelineFile)+1))
	if err != nil {
		return AgentTimeline{}, &TimelineFileError{File: file, Err: err}
	}
	if len(data) > maxTimelineFile {
		return AgentTimeline{}, &TimelineFileError{File: file,
			Err: fmt.Errorf("larger than %d MiB", maxTimelineFile>>20)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return readJSON(trimmed, file)
	}
	return readCSV(data, file)
}

func readJSON(data []byte, file string) (AgentTimeline, error) {
	var doc jsonTimeline
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return AgentTimeline{}, &TimelineFileError{File: file, Err: fmt.Errorf("not a timeline JSON document: %w", err)}
	}
	if doc.Format != TimelineFormat || doc.Version != 1 {
		return AgentTimeline{}, &TimelineFileError{File: file,
			Err: fmt.Errorf("format %q version %d: want %q version 1", doc.Format, doc.Version, TimelineFormat)}
	}
	tl := AgentTimeline{Agent: Agent{ID: doc.AgentID, Name: doc.Agent}}
	if err := checkAgent(tl.Agent); err != nil {
		return AgentTimeline{}, &TimelineFileError{File: file, Err: err}
	}
	for i, js := range doc.Stints {
		s, err := parseStint(js.Status, js.Reason, js.Start, js.End, js.EndReason)
		if err != nil {
			return AgentTimeline{}, &TimelineFileError{File: file, Where: fmt.Sprintf("stint %d", i+1), Err: err}
		}
		tl.Stints = append(tl.Stints, s)
	}
	return tl, nil
}

func readCSV(data []byte, file string) (AgentTimeline, error) {
	cr := csv.NewReader(bufio.NewReader(bytes.NewReader(data)))
	cr.FieldsPerRecord = len(csvHeader)
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return AgentTimeline{}, &TimelineFileError{File: file, Err: errors.New("empty file")}
	}
	if err != nil || strings.Join(head, ",") != strings.Join(csvHeader, ",") {
		return AgentTimeline{}, &TimelineFileError{File: file, Where: "line 1",
			Err: fmt.Errorf("header must be %s", strings.Join(csvHeader, ","))}
	}
	var tl AgentTimeline
	for n := 2; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		where := fmt.Sprintf("line %d", n)
		if err != nil {
			return AgentTimeline{}, &TimelineFileError{File: file, Where: where, Err: err}
		}
		a := Agent{ID: rec[0], Name: rec[1]}
		if n == 2 {
			if err := checkAgent(a); err != nil {
				return AgentTimeline{}, &TimelineFileError{File: file, Where: where, Err: err}
			}
			tl.Agent = a
		} else if a != tl.Agent {
			return AgentTimeline{}, &TimelineFileError{File: file, Where: where,
				Err: fmt.Errorf("agent %q (%s) differs from the first line's %q (%s): one agent per file", a.Name, a.ID, tl.Agent.Name, tl.Agent.ID)}
		}
		s, err := parseStint(rec[2], rec[3], rec[4], rec[5], rec[6])
		if err != nil {
			return AgentTimeline{}, &TimelineFileError{File: file, Where: where, Err: err}
		}
		tl.Stints = append(tl.Stints, s)
	}
	return tl, nil
}

func checkAgent(a Agent) error {
	for _, f := range []string{a.ID, a.Name} {
		if len(f) > 200 || strings.ContainsFunc(f, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return fmt.Errorf("agent name or id %.40q: at most 200 characters, no control characters", f)
		}
	}
	return nil
}

func parseStint(status, reason, start, end, endReason string) (Stint, error) {
	st, err := Parse(status)
	if err != nil {
		return Stint{}, err
	}
	r := Reason(reason)
	if !r.ChangeReason() {
		return Stint{}, fmt.Errorf("%w %q", ErrUnknownReason, reason)
	}
	er := Reason(endReason)
	if endReason != "" && !er.Valid() {
		return Stint{}, fmt.Errorf("%w %q (end_reason)", ErrUnknownReason, endReason)
	}
	a, err := time.Parse(time.RFC3339Nano, start)
	if err != nil {
		return Stint{}, fmt.Errorf("start %q: want an RFC 3339 time such as 2026-11-25T09:00:00Z", start)
	}
	b, err := time.Parse(time.RFC3339Nano, end)
	if err != nil {
		return Stint{}, fmt.Errorf("end %q: want an RFC 3339 time such as 2026-11-25T09:00:00Z", end)
	}
	if b.Before(a) {
		return Stint{}, fmt.Errorf("end %s is before start %s", end, start)
	}
	if a.Year() < 1970 || b.Year() > 9999 {
		return Stint{}, fmt.Errorf("times %s to %s outside 1970 to 9999", start, end)
	}
	return Stint{Status: st, Reason: r, Start: a.UTC(), End: b.UTC(), EndReason: er}, nil
}
