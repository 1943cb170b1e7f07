package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/ringside/ringside/app/prefs"
)

func init() {
	register(&Command{Name: "prefs", Usage: "prefs get [KEY] | set KEY VALUE | export [FILE] | import FILE",
		Summary: "read or change settings", Run: runPrefs})
	register(&Command{Name: "provision", Usage: "provision FILE|URL",
		Summary: "apply an administrator's provisioning document (file or https:// URL)", Run: runProvision})
}

func runPrefs(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 {
		return usagef("prefs needs get, set, export or import")
	}
	switch sub, rest := args[0], args[1:]; sub {
	case "get":
		return prefsGet(ctx, e, rest)
	case "set":
		if len(rest) < 2 {
			return usagef("prefs set needs KEY VALUE (quote a value with spaces; \"\" for empty)")
		}
		v, err := e.App.SetPrefs(ctx, prefs.Change{Key: rest[0], Value: strings.Join(rest[1:], " ")})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "%s = %s\n", rest[0], v[rest[0]])
		return nil
	case "export":
		if len(rest) > 1 {
			return usagef("prefs export takes at most one FILE")
		}
		doc, err := e.App.ExportPrefs(ctx)
		if err != nil {
			return err
		}
		if len(rest) == 0 || rest[0] == "-" {
			_, err = e.Stdout.Write(doc)
			return err
		}
		return writeFileAtomic(e.Path(rest[0]), doc)
	case "import":
		if len(rest) != 1 {
			return usagef("prefs import needs FILE")
		}
		doc, err := readDocument(e.Path(rest[0]))
		if err != nil {
			return err
		}
		if _, err := e.App.ImportPrefs(ctx, doc); err != nil {
			return fmt.Errorf("import %s refused, nothing changed: %w", rest[0], err)
		}
		fmt.Fprintf(e.Stdout, "imported %s\n", rest[0])
		return nil
	default:
		return usagef("unknown prefs command %q", sub)
	}
}

func prefsGet(ctx context.Context, e *Env, args []string) error {
	if len(args) > 1 {
		return usagef("prefs get takes at most one KEY")
	}
	v, err := e.App.Prefs(ctx)
	if err != nil {
		return err
	}
	if len(args) == 1 {
		k, err := prefs.Lookup(args[0])
		if err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, v[k.Name])
		return nil
	}
	role := v.Role()
	tw := tabwriter.NewWriter(e.Stdout, 0, 0, 2, ' ', 0)
	for _, k := range prefs.Keys() {
		note := ""
		if !prefs.MayChange(role, k) {
			note = "\t(read-only: managed by your administrator)"
		}
		val := v[k.Name]
		if val == "" {
			val = "-"
		}
		fmt.Fprintf(tw, "%s\t%s%s\n", k.Name, val, note)
	}
	return tw.Flush()
}

func runProvision(ctx context.Context, e *Env, args []string) error {
	if len(args) != 1 {
		return usagef("provision needs one FILE or https:// URL")
	}
	src := args[0]
	if !strings.Contains(src, "://") {
		src = e.Path(src)
	}
	notes, err := e.App.Provision(ctx, src)
	if err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(e.Stderr, "note: "+n)
	}
	fmt.Fprintf(e.Stdout, "provisioned from %s\n", args[0])
	return nil
}

func readDocument(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > prefs.MaxDocument {
		return nil, fmt.Errorf("%s: %d bytes is too large for a settings document (at most %d)", path, st.Size(), prefs.MaxDocument)
	}
	buf := make([]byte, st.Size())
	_, err = f.ReadAt(buf, 0)
	if err != nil && st.Size() > 0 {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return buf, nil
}

// writeFileAtomic writes data to path owner-only, through a temporary file
// renamed into place, so a crash never leaves half a file.
func writeFileAtomic(path string, data []byte) error {
	if err := writeTemp(path, data); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

func writeTemp(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
