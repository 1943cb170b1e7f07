package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// seed writes many preferences (so the file spans many pages) and reopens the
// store once more, so the backup holds them too.
func seed(t *testing.T, dir string) map[string]string {
	t.Helper()
	ctx := context.Background()
	want := map[string]string{"call.ring_time": "25"}
	for i := range 120 {
		want[fmt.Sprintf("test.key%03d", i)] = strings.Repeat(fmt.Sprint(i), 50)
	}
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SavePrefs(ctx, want); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, dir) // refreshes the backup: the database changed
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	return want
}

// snapshot maps every file in dir to a hash of its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = fmt.Sprintf("%x", sha256.Sum256(b))
	}
	return m
}

var damages = []struct {
	name   string
	cause  string // in the notice and the error
	damage func(t *testing.T, path string)
}{
	{"garbage", "file is not a database", func(t *testing.T, path string) {
		writeFile(t, path, bytes.Repeat([]byte("this is not SQLite "), 2000))
	}},
	{"truncated", "", func(t *testing.T, path string) {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, fi.Size()/2); err != nil {
			t.Fatal(err)
		}
	}},
	{"truncated-to-header", "", func(t *testing.T, path string) {
		if err := os.Truncate(path, 60); err != nil {
			t.Fatal(err)
		}
	}},
	{"zeroed-header-page", "file is not a database", func(t *testing.T, path string) {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteAt(make([]byte, 4096), 0); err != nil {
			t.Fatal(err)
		}
	}},
	{"header-write-version", "the database header is damaged (write version 48)", func(t *testing.T, path string) {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteAt([]byte("0"), 18); err != nil {
			t.Fatal(err)
		}
	}},
	{"version-table-emptied", "the schema_version table is empty although the database has tables", func(t *testing.T, path string) {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`DELETE FROM schema_version`); err != nil {
			t.Fatal(err)
		}
	}},
	{"emptied", "the file is empty", func(t *testing.T, path string) {
		writeFile(t, path, nil)
	}},
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestDamagedRestoredFromBackup(t *testing.T) {
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			want := seed(t, dir)
			d.damage(t, path)
			damagedBytes, _ := os.ReadFile(path)

			now := time.Date(2026, 11, 25, 19, 45, 12, 0, time.UTC)
			s := openT(t, dir, withClock(func() time.Time { return now }))
			aside := path + ".damaged-20261125T194512Z"
			n := s.Notice()
			for _, part := range []string{"the settings database " + path + " was damaged (" + d.cause,
				"restored the backup from 20", "the damaged file is kept at " + aside} {
				if !strings.Contains(n, part) {
					t.Errorf("Notice = %q\nwant it to contain %q", n, part)
				}
			}
			kept, err := os.ReadFile(aside)
			if err != nil || !bytes.Equal(kept, damagedBytes) {
				t.Errorf("damaged file not kept as it was at %s (%v)", aside, err)
			}
			got, err := s.LoadPrefs(context.Background())
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("prefs after restore: %d keys, %v; want the %d saved", len(got), err, len(want))
			}
			integrityOK(t, s)
			fi, err := os.Stat(path)
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("restored database mode %v, %v; want 0600", fi.Mode().Perm(), err)
			}
			s.Close()

			// The next Open finds a good database and says nothing.
			s = openT(t, dir)
			if s.Notice() != "" {
				t.Errorf("second Open: Notice = %q, want none", s.Notice())
			}
		})
	}
}

func TestDamagedWithoutBackup(t *testing.T) {
	for _, d := range damages {
		for _, bak := range []string{"none", "garbage"} {
			if d.name == "emptied" && bak == "none" {
				continue // an empty file without a backup is a new database
			}
			t.Run(d.name+"/backup-"+bak, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, FileName)
				seed(t, dir)
				d.damage(t, path)
				switch bak {
				case "none":
					os.Remove(path + backupSuffix)
				case "garbage":
					writeFile(t, path+backupSuffix, bytes.Repeat([]byte{0xde, 0xad}, 5000))
				}
				before := snapshot(t, dir)

				s, err := Open(context.Background(), dir)
				if err == nil {
					s.Close()
					t.Fatal("Open of a damaged database without a usable backup succeeded")
				}
				var de *DamagedError
				if !errors.Is(err, ErrDamaged) || !errors.As(err, &de) || de.Path != path {
					t.Fatalf("Open error %v (%T); want a *DamagedError for %s", err, err, path)
				}
				msg := err.Error()
				wantParts := []string{"the settings database " + path + " is damaged (" + d.cause,
					"nothing was changed", "move the damaged file aside", "mv " + path}
				if bak == "none" {
					wantParts = append(wantParts, "no backup exists")
				} else {
					wantParts = append(wantParts, "its backup "+path+backupSuffix+" cannot be used (file is not a database)")
				}
				for _, part := range wantParts {
					if !strings.Contains(msg, part) {
						t.Errorf("error %q\nwant it to contain %q", msg, part)
					}
				}
				if after := snapshot(t, dir); !reflect.DeepEqual(after, before) {
					t.Errorf("Open changed the data directory:\nbefore %v\nafter  %v", before, after)
				}
			})
		}
	}
}

func TestDamagedWhileAnotherStoreIsOpen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	seed(t, dir)
	other := openT(t, dir)
	writeFile(t, path, bytes.Repeat([]byte("x"), 8192))
	before := snapshot(t, dir)
	s, err := Open(context.Background(), dir)
	if err == nil {
		s.Close()
		t.Fatal("Open restored a backup under an open store")
	}
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "another Ringside process has it open") {
		t.Fatalf("Open error = %v; want ErrBusy saying another process has it open", err)
	}
	if after := snapshot(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("Open changed the data directory")
	}
	other.Close()
	s = openT(t, dir)
	if !strings.Contains(s.Notice(), "restored the backup") {
		t.Errorf("Notice after the other store closed = %q", s.Notice())
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	if _, err := s.DB().Exec(`INSERT INTO schema_version(version, name, applied_at) VALUES (9999, '9999_future.sql', 'x')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(context.Background(), dir)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a newer schema")
	}
	if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "schema version 9999, newer than this Ringside knows") ||
		!strings.Contains(err.Error(), "update Ringside") || !strings.Contains(err.Error(), filepath.Join(dir, FileName)) {
		t.Fatalf("Open error = %v", err)
	}
}

func TestBackupRefreshedOnlyWhenChanged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bak := filepath.Join(dir, FileName+backupSuffix)
	s := openT(t, dir)
	s.Close()
	first, err := os.Stat(bak)
	if err != nil {
		t.Fatalf("no backup after the first Open: %v", err)
	}
	for range 3 {
		s = openT(t, dir)
		if _, err := s.LoadPrefs(ctx); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	if fi, _ := os.Stat(bak); !os.SameFile(fi, first) || !fi.ModTime().Equal(first.ModTime()) {
		t.Fatalf("backup rewritten although the database did not change")
	}
	s = openT(t, dir)
	if err := s.SavePrefs(ctx, map[string]string{"call.ring_time": "30"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	openT(t, dir).Close()
	if fi, _ := os.Stat(bak); os.SameFile(fi, first) {
		t.Fatalf("backup not refreshed after a change")
	}
	// The backup holds the change.
	copyDir := t.TempDir()
	b, err := os.ReadFile(bak)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(copyDir, FileName), b)
	got, err := openT(t, copyDir).LoadPrefs(ctx)
	if err != nil || got["call.ring_time"] != "30" {
		t.Fatalf("prefs in the backup = %v, %v; want call.ring_time=30", got, err)
	}
}

func TestTwoStoresShareTheDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b := openT(t, dir), openT(t, dir)
	if err := a.SavePrefs(ctx, map[string]string{"call.ring_time": "40"}); err != nil {
		t.Fatal(err)
	}
	if got, err := b.LoadPrefs(ctx); err != nil || got["call.ring_time"] != "40" {
		t.Fatalf("second store reads %v, %v", got, err)
	}
}

func TestOpenWaitsForARestoreAndHonoursContext(t *testing.T) {
	dir := t.TempDir()
	openT(t, dir).Close()
	l, alone, err := lockDir(context.Background(), dir) // as a restoring process would
	if err != nil || !alone {
		t.Fatalf("lockDir = %v, %v", alone, err)
	}
	defer l.release()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if s, err := Open(ctx, dir); !errors.Is(err, context.DeadlineExceeded) {
		if err == nil {
			s.Close()
		}
		t.Fatalf("Open while another process restores: %v; want it to wait until the context ends", err)
	}
}

// TestCloseRefreshesBackup: the last Store to close a changed database leaves
// a backup holding that change, and the next Open has nothing to refresh;
// with another Store still open, closing leaves the backup alone.
func TestCloseRefreshesBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	s := openT(t, dir)
	other := openT(t, dir)
	if err := s.SavePrefs(ctx, map[string]string{"call.ring_time": "35"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if !backupStale(path) {
		t.Fatal("closing beside another open store refreshed the backup")
	}
	other.Close()
	if backupStale(path) {
		t.Fatal("the backup is stale after the last store closed")
	}
	// The backup alone holds the change.
	if err := os.Rename(path+backupSuffix, path); err != nil {
		t.Fatal(err)
	}
	s = openT(t, dir)
	got, err := s.LoadPrefs(ctx)
	if err != nil || got["call.ring_time"] != "35" {
		t.Fatalf("backup holds %v (%v), want call.ring_time 35", got, err)
	}
}
