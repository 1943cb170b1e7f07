package app

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Call results recorded in the history.
const (
	ResultAnswered   = "answered"   // talked
	ResultMissed     = "missed"     // rang here, nobody answered
	ResultRedirected = "redirected" // sent on (302) at once, by the settings or the agent
	ResultRejected   = "rejected"   // refused at once (480 for a queue call not offered, 603 declined)
	ResultBusy       = "busy"       // not offered because another call was up (call waiting off), or busy far end
	ResultCancelled  = "cancelled"  // outgoing: the agent gave up before the answer
	ResultFailed     = "failed"     // outgoing: could not be set up
)

// Who ended a call.
const (
	EndedByLocal  = "local"  // the agent
	EndedByRemote = "remote" // the other party
	EndedBySystem = "system" // the call settings, a timer, an error
)

// HistoryEntry is one call of the call history.
type HistoryEntry struct {
	ID        int64         `json:"id"`
	CallID    string        `json:"call_id"`
	Direction string        `json:"direction"` // incoming or outgoing
	Origin    string        `json:"origin"`    // direct, queue, ring_group, click_to_call
	Peer      string        `json:"peer"`      // the other party's SIP URI
	PeerName  string        `json:"peer_name,omitempty"`
	Result    string        `json:"result"`
	EndedBy   string        `json:"ended_by,omitempty"`
	Code      int           `json:"code,omitempty"`      // SIP status that ended it, if any
	Target    string        `json:"target,omitempty"`    // where a redirected call went
	CallerID  string        `json:"caller_id,omitempty"` // outgoing: the number presented
	Start     time.Time     `json:"start"`
	Ring      time.Duration `json:"ring_ns"`
	Talk      time.Duration `json:"talk_ns"`
	Missed    bool          `json:"missed"` // shown in the missed-call list
}

// HistoryQuery selects history entries.
type HistoryQuery struct {
	MissedOnly bool      // only the missed-call list
	Since      time.Time // zero: from the beginning
	Limit      int       // 0: 500
}

// History returns calls of the history, newest first.
func (a *App) History(ctx context.Context, q HistoryQuery) ([]HistoryEntry, error) {
	if q.Limit <= 0 {
		q.Limit = 500
	}
	query := `SELECT id, call_id, direction, origin, peer, peer_name, result, ended_by, code, target, caller_id,
		start_ms, ring_ms, talk_ms, missed FROM call_history WHERE start_ms >= ?`
	if q.MissedOnly {
		query += ` AND missed = 1`
	}
	query += ` ORDER BY start_ms DESC, id DESC LIMIT ?`
	rows, err := a.store.DB().QueryContext(ctx, query, q.Since.UnixMilli(), q.Limit)
	if err != nil {
		return nil, fmt.Errorf("read call history: %w", err)
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var e HistoryEntry
		var start, ring, talk int64
		var missed int
		if err := rows.Scan(&e.ID, &e.CallID, &e.Direction, &e.Origin, &e.Peer, &e.PeerName, &e.Result, &e.EndedBy,
			&e.Code, &e.Target, &e.CallerID, &start, &ring, &talk, &missed); err != nil {
			return nil, fmt.Errorf("read call history: %w", err)
		}
		e.Start = time.UnixMilli(start)
		e.Ring, e.Talk = time.Duration(ring)*time.Millisecond, time.Duration(talk)*time.Millisecond
		e.Missed = missed == 1
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read call history: %w", err)
	}
	return out, nil
}

// RecordCall adds a call to the history and returns it with its id.
func (a *App) RecordCall(ctx context.Context, e HistoryEntry) (HistoryEntry, error) {
	missed := 0
	if e.Missed {
		missed = 1
	}
	var id int64
	err := a.store.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO call_history (call_id, direction, origin, peer, peer_name, result,
			ended_by, code, target, caller_id, start_ms, ring_ms, talk_ms, missed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			e.CallID, e.Direction, e.Origin, e.Peer, e.PeerName, e.Result, e.EndedBy, e.Code, e.Target, e.CallerID,
			e.Start.UnixMilli(), max(e.Ring, 0).Milliseconds(), max(e.Talk, 0).Milliseconds(), missed)
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return e, fmt.Errorf("record call in the history: %w", err)
	}
	e.ID = id
	return e, nil
}
