package store_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/ringside/ringside/app/store"
)

func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "ringside-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	s, err := store.Open(ctx, dir)
	if err != nil {
		log.Fatal(err) // a *store.DamagedError says what the user can do
	}
	defer s.Close()
	if n := s.Notice(); n != "" {
		fmt.Println("tell the user:", n) // a damaged database was restored
	}
	if err := s.SavePrefs(ctx, map[string]string{"call.ring_time": "25"}); err != nil {
		log.Fatal(err)
	}
	if err := s.SetAccount(ctx, store.Account{Server: "wss://pbx.example.com/ws", User: "alice", Domain: "example.com"}); err != nil {
		log.Fatal(err)
	}
	prefs, err := s.LoadPrefs(ctx)
	if err != nil {
		log.Fatal(err)
	}
	a, ok, err := s.Account(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(prefs["call.ring_time"], a.User+"@"+a.Domain, ok)
	// Output: 25 alice@example.com true
}
