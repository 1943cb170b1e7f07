package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/ringside/ringside/app"
)

func init() {
	register(&Command{Name: "audio",
		Usage: "audio devices | record --seconds N --name NAME [--device NAME] | import FILE --name NAME | " +
			"tts TEXT --name NAME | list [--format json] | play ID | export ID FILE | rename ID NAME | remove ID",
		Summary: "the audio library: names, greetings, messages",
		Run:     runAudio})
}

// parseInterleaved parses flags that may come before or after positional
// arguments ("import FILE --name X" as well as "import --name X FILE").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func runAudio(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 {
		return usagef("audio needs a command")
	}
	sub, rest := args[0], args[1:]
	fs := newFlags("audio " + sub)
	name := fs.String("name", "", "item name")
	kind := fs.String("kind", app.KindGreeting, "name, greeting or message")
	device := fs.String("device", "", "device name as `ringside audio devices` prints it")
	seconds := fs.Int("seconds", 0, "recording length in seconds")
	format := fs.String("format", "table", "table or json")
	pos, err := parseInterleaved(fs, rest)
	if err != nil {
		return err
	}
	need := func(n int, what string) error {
		if len(pos) != n {
			return usagef("audio %s needs %s", sub, what)
		}
		return nil
	}
	needName := func() error {
		if *name == "" {
			return usagef("audio %s needs --name NAME", sub)
		}
		return nil
	}
	switch sub {
	case "devices":
		devs, err := e.App.AudioDevices(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "KIND\tDEFAULT\tNAME")
		for _, d := range devs {
			def := ""
			if d.Default {
				def = "yes"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", d.Kind, def, d.Name)
		}
		return tw.Flush()
	case "record":
		if err := need(0, "no positional arguments"); err != nil {
			return err
		}
		if err := needName(); err != nil {
			return err
		}
		if *seconds < 1 || *seconds > 600 {
			return usagef("audio record needs --seconds N, from 1 to 600")
		}
		fmt.Fprintf(e.Stderr, "recording %d s…\n", *seconds)
		it, err := e.App.RecordItem(ctx, *name, *kind, *device, time.Duration(*seconds)*time.Second, nil)
		return printItem(e, it, err)
	case "import":
		if err := need(1, "FILE"); err != nil {
			return err
		}
		if err := needName(); err != nil {
			return err
		}
		it, err := e.App.ImportItem(ctx, e.Path(pos[0]), *name, *kind)
		return printItem(e, it, err)
	case "tts":
		if err := need(1, "TEXT (quoted)"); err != nil {
			return err
		}
		if err := needName(); err != nil {
			return err
		}
		it, err := e.App.SpeakItem(ctx, pos[0], *name, *kind)
		return printItem(e, it, err)
	case "list":
		items, err := e.App.Items(ctx)
		if err != nil {
			return err
		}
		if *format == "json" {
			if items == nil {
				items = []app.Item{}
			}
			enc := json.NewEncoder(e.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(items)
		}
		if *format != "table" {
			return usagef("--format %q: allowed: table, json", *format)
		}
		tw := tabwriter.NewWriter(e.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tKIND\tSOURCE\tSECONDS\tNAME")
		for _, it := range items {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f\t%s\n", it.ID, it.Kind, it.Source, it.Seconds, it.Name)
		}
		return tw.Flush()
	case "play":
		if err := need(1, "ID"); err != nil {
			return err
		}
		return e.App.PlayItem(ctx, pos[0], *device)
	case "export":
		if err := need(2, "ID FILE"); err != nil {
			return err
		}
		if err := e.App.ExportItem(ctx, pos[0], e.Path(pos[1])); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "wrote %s\n", pos[1])
		return nil
	case "rename":
		if err := need(2, "ID NAME"); err != nil {
			return err
		}
		return e.App.RenameItem(ctx, pos[0], pos[1])
	case "remove":
		if err := need(1, "ID"); err != nil {
			return err
		}
		if err := e.App.RemoveItem(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "removed %s\n", pos[0])
		return nil
	}
	return usagef("unknown audio command %q", sub)
}

func printItem(e *Env, it app.Item, err error) error {
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "%s (%s, %.1f s)\n%s\n", it.Name, it.Kind, it.Seconds, it.ID)
	return nil
}
