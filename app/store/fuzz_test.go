package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var (
	templateOnce sync.Once
	templateDB   []byte
	templateErr  error
)

// template is a small database with preferences and an account, checkpointed.
func template() ([]byte, error) {
	templateOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ringside-fuzz")
		if err != nil {
			templateErr = err
			return
		}
		defer os.RemoveAll(dir)
		ctx := context.Background()
		s, err := Open(ctx, dir)
		if err != nil {
			templateErr = err
			return
		}
		prefs := map[string]string{}
		for i := range 80 {
			prefs[fmt.Sprintf("section.key%02d", i)] = fmt.Sprint("a value for key ", i)
		}
		if err := s.SavePrefs(ctx, prefs); err != nil {
			templateErr = err
		}
		if err := s.SetAccount(ctx, Account{Server: "wss://pbx.example.com/ws", User: "alice", Domain: "example.com"}); err != nil {
			templateErr = err
		}
		s.Close()
		templateDB, err = os.ReadFile(filepath.Join(dir, FileName))
		if templateErr == nil {
			templateErr = err
		}
	})
	return templateDB, templateErr
}

// FuzzOpenDamaged overwrites bytes of a good database that has a good backup:
// Open must always succeed (the damage is either harmless to SQLite or
// restored from the backup), never panic, and leave a readable store.
func FuzzOpenDamaged(f *testing.F) {
	f.Add(uint32(0), []byte("garbage"))
	f.Add(uint32(16), []byte{0xff, 0xff})          // page size
	f.Add(uint32(18), []byte{9, 9})                // file format versions
	f.Add(uint32(28), []byte{0, 0, 0, 0x40})       // in-header page count
	f.Add(uint32(100), []byte{0x00, 0x00, 0x00})   // first b-tree page header
	f.Add(uint32(4096), make([]byte, 4096))        // a zeroed page
	f.Add(uint32(4096*2+8), []byte{0xde, 0xad, 1}) // cell pointers
	f.Fuzz(func(t *testing.T, off uint32, data []byte) {
		good, err := template()
		if err != nil {
			t.Fatal(err)
		}
		db := append([]byte(nil), good...)
		o := int(off % uint32(len(db)))
		copy(db[o:], data)
		dir := t.TempDir()
		path := filepath.Join(dir, FileName)
		writeFile(t, path, db)
		writeFile(t, path+backupSuffix, good)

		s, err := Open(context.Background(), dir)
		if err != nil {
			if errors.Is(err, ErrNewerSchema) {
				return // the damage made the schema version look newer: refused, clearly
			}
			t.Fatalf("Open with a good backup: %v", err)
		}
		defer s.Close()
		if _, err := s.LoadPrefs(context.Background()); err != nil && s.Notice() != "" {
			t.Fatalf("LoadPrefs after a restore: %v", err)
		}
	})
}
