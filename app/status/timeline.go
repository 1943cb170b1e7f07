package status

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ringside/ringside/app/store"
)

// Stint is one stretch of time in one status.
type Stint struct {
	Status    Status
	Reason    Reason    // why it started
	Start     time.Time // inclusive
	End       time.Time // exclusive; zero while Open
	EndReason Reason    // why it ended; empty while Open
	Open      bool      // still running
}

// Duration returns the stint's length, counting an open stint up to now.
func (s Stint) Duration(now time.Time) time.Duration {
	end := s.End
	if s.Open {
		end = now
	}
	if end.Before(s.Start) {
		return 0
	}
	return end.Sub(s.Start)
}

func ms(t time.Time) int64        { return t.UnixMilli() }
func fromMS(v int64) time.Time    { return time.UnixMilli(v).UTC() }
func nullMS(v sql.NullInt64) bool { return !v.Valid }

// Timeline returns the stints of the local timeline that overlap [from, to),
// oldest first, unclipped. A zero from or to leaves that side open.
func Timeline(ctx context.Context, st *store.Store, from, to time.Time) ([]Stint, error) {
	q := `SELECT status, reason, start_ms, end_ms, end_reason FROM status_stints WHERE 1=1`
	var args []any
	if !to.IsZero() {
		q += ` AND start_ms < ?`
		args = append(args, ms(to))
	}
	if !from.IsZero() {
		q += ` AND (end_ms IS NULL OR end_ms > ? OR (end_ms = start_ms AND start_ms >= ?))`
		args = append(args, ms(from), ms(from))
	}
	q += ` ORDER BY start_ms, id`
	rows, err := st.DB().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read status timeline: %w", err)
	}
	defer rows.Close()
	var out []Stint
	for rows.Next() {
		var s Stint
		var status, reason, endReason string
		var start int64
		var end sql.NullInt64
		if err := rows.Scan(&status, &reason, &start, &end, &endReason); err != nil {
			return nil, fmt.Errorf("read status timeline: %w", err)
		}
		s.Status, s.Reason, s.EndReason = Status(status), Reason(reason), Reason(endReason)
		s.Start = fromMS(start)
		if nullMS(end) {
			s.Open = true
		} else {
			s.End = fromMS(end.Int64)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read status timeline: %w", err)
	}
	return out, nil
}

// Stored returns the status the app resumes on its next start: while the app
// runs, its current status (the status before the call during after-call
// work). ok is false when no status was ever recorded.
func Stored(ctx context.Context, st *store.Store) (s Status, ok bool, err error) {
	var v string
	err = st.DB().QueryRowContext(ctx, `SELECT resume_status FROM status_state WHERE id = 1`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read status: %w", err)
	}
	if !Status(v).Valid() {
		return "", false, nil
	}
	return Status(v), true, nil
}

// SetStored sets the status the app takes on its next start; it is what
// `ringside status set` does when no app is running. Time outside a run of the
// app belongs to no status, so the timeline does not change.
func SetStored(ctx context.Context, st *store.Store, s Status) error {
	if !s.Valid() {
		return &UnknownStatusError{Key: string(s)}
	}
	return st.Tx(ctx, func(tx *sql.Tx) error { return saveResume(ctx, tx, s) })
}

func saveResume(ctx context.Context, tx *sql.Tx, s Status) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO status_state(id, resume_status) VALUES (1, ?)
		ON CONFLICT(id) DO UPDATE SET resume_status = excluded.resume_status`, string(s))
	return err
}

func saveHeartbeat(ctx context.Context, tx *sql.Tx, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE status_state SET heartbeat_ms = ? WHERE id = 1`, ms(at))
	return err
}

// closeOpen closes every open stint at end (never before its start).
func closeOpen(ctx context.Context, tx *sql.Tx, end time.Time, why Reason) error {
	_, err := tx.ExecContext(ctx, `UPDATE status_stints SET end_ms = MAX(start_ms, ?), end_reason = ?
		WHERE end_ms IS NULL`, ms(end), string(why))
	return err
}

func openStint(ctx context.Context, tx *sql.Tx, s Status, why Reason, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO status_stints(status, reason, start_ms) VALUES (?, ?, ?)`,
		string(s), string(why), ms(at))
	return err
}

// recoverCrash closes a stint left open by a run that died, at that run's last
// heartbeat (or the stint's start if later), and returns the heartbeat time.
func recoverCrash(ctx context.Context, tx *sql.Tx) (closed bool, at time.Time, err error) {
	var hb sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT heartbeat_ms FROM status_state WHERE id = 1`).Scan(&hb)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, time.Time{}, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE status_stints SET end_ms = MAX(start_ms, ?), end_reason = ?
		WHERE end_ms IS NULL`, hb.Int64, string(ReasonCrash))
	if err != nil {
		return false, time.Time{}, err
	}
	n, err := res.RowsAffected()
	return n > 0, fromMS(hb.Int64), err
}

// LastAlive returns the last heartbeat recorded by a running engine (or the
// moment it quit); ok is false when no engine ever ran. Read while no app
// runs, it is where an open stint (left by a crash) ends.
func LastAlive(ctx context.Context, st *store.Store) (t time.Time, ok bool, err error) {
	var hb int64
	err = st.DB().QueryRowContext(ctx, `SELECT heartbeat_ms FROM status_state WHERE id = 1`).Scan(&hb)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && hb == 0) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read status heartbeat: %w", err)
	}
	return fromMS(hb), true, nil
}

// lastEnd returns the latest end (or start) in the timeline, zero when empty.
func lastEnd(ctx context.Context, tx *sql.Tx) (time.Time, error) {
	var v sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT MAX(MAX(COALESCE(end_ms, start_ms), start_ms)) FROM status_stints`).Scan(&v)
	if err != nil || !v.Valid {
		return time.Time{}, err
	}
	return fromMS(v.Int64), nil
}
