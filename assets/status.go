package assets

import (
	"embed"
)

//go:generate sh -c "cd status && go run gen.go"

// statusIcons holds the tray icons, one 64x64 PNG per status key: a coloured
// disc with a cut-out glyph (check, clock hands, three dots, pause, cross,
// bar) so the status reads from the shape alone where icons are drawn in one
// colour.
//
//go:embed status/*.png
var statusIcons embed.FS

// StatusIcon returns the PNG tray icon of the status key ("available",
// "on_break"...), or nil for an unknown key.
func StatusIcon(key string) []byte {
	b, err := statusIcons.ReadFile("status/" + key + ".png")
	if err != nil {
		return nil
	}
	return b
}
