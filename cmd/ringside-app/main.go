// Command ringside-app is the Ringside app: with no verb it opens the window
// (or brings the running one forward); with a verb it runs that command, in
// the running app when there is one. Users start it through `ringside`
// (cmd/ringside), which answers the quickest verbs itself.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/ringside/ringside/cmd/ringside-app/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o, err := cli.ParseGlobal(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) || err == nil && len(o.Args) > 0 && (o.Args[0] == "help" || o.Args[0] == "--help") {
		cli.Help(os.Stdout)
		return
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ringside: %v\n\n", err)
		cli.Help(os.Stderr)
		os.Exit(cli.ExitUsage)
	}
	if len(o.Args) > 0 {
		os.Exit(cli.Run(ctx, o, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(runGUI(ctx, o))
}
