package lang

import (
	"bytes"
	"log"
	"os"
	"testing"

	"fyne.io/fyne/v2"
)

// The POSIX locale (LANG=C, LANG=C.UTF-8, LANG=POSIX) asks for no language:
// English, and no error in the log.
func TestRingsidePOSIXLocale(t *testing.T) {
	var buf bytes.Buffer
	log.SetOutput(&buf)
	defer log.SetOutput(os.Stderr)
	for _, tc := range []struct {
		locs []string
		want fyne.Locale
	}{
		{[]string{"C"}, "en"},
		{[]string{"POSIX"}, "en"},
		{[]string{"C", "fr-FR"}, "fr"},
		{[]string{"de-DE"}, "de"},
	} {
		if got := closestSupportedLocale(tc.locs); got != tc.want {
			t.Errorf("closestSupportedLocale(%q) = %q, want %q", tc.locs, got, tc.want)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("logged: %s", buf.String())
	}
}
