package store

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkOpenLoadPrefs measures what a CLI command such as `prefs get`
// pays for the store: Open (lock, quick_check, migrations check, no backup
// since nothing changed) + LoadPrefs + Close, on a warm small database.
func BenchmarkOpenLoadPrefs(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	prefs := map[string]string{}
	for i := range 60 {
		prefs[fmt.Sprintf("section.key%02d", i)] = fmt.Sprint("value ", i)
	}
	if err := s.SavePrefs(ctx, prefs); err != nil {
		b.Fatal(err)
	}
	s.Close()
	openT := func() {
		s, err := Open(ctx, dir)
		if err != nil {
			b.Fatal(err)
		}
		if p, err := s.LoadPrefs(ctx); err != nil || len(p) != len(prefs) {
			b.Fatalf("LoadPrefs: %d keys, %v", len(p), err)
		}
		s.Close()
	}
	openT() // refreshes the backup once: the database changed
	for b.Loop() {
		openT()
	}
}

// BenchmarkOpenSavePref is the same for `prefs set`: Open + one SavePrefs
// (an fsynced commit) + Close, which also makes the next Open refresh the
// backup; the two alternate here as they would in use.
func BenchmarkOpenSavePref(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		s, err := Open(ctx, dir)
		if err != nil {
			b.Fatal(err)
		}
		i++
		if err := s.SavePrefs(ctx, map[string]string{"call.ring_time": fmt.Sprint(i%50 + 10)}); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
