package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is Fyne's default theme (light or dark as the desktop says) with
// input borders dark enough to see an unchecked box or an empty entry in both
// variants.
type appTheme struct{ fyne.Theme }

// Theme returns Ringside's theme.
func Theme() fyne.Theme { return appTheme{theme.DefaultTheme()} }

func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameInputBorder {
		if v == theme.VariantLight {
			return color.NRGBA{0x8c, 0x8c, 0x8c, 0xff}
		}
		return color.NRGBA{0x80, 0x80, 0x86, 0xff}
	}
	return t.Theme.Color(n, v)
}
