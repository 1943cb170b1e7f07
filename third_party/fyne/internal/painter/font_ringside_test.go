package painter

import (
	"testing"

	"fyne.io/fyne/v2"
)

// Ringside: the emoji face and the language font are added on the first rune
// the theme's fonts lack, in upstream's order, and the emoji face is shared.
func TestRingsideLazyFaces(t *testing.T) {
	ClearFontCache()
	regular := CachedFontFace(fyne.TextStyle{}, nil, nil).Fonts.(*dynamicFontMap)
	bold := CachedFontFace(fyne.TextStyle{Bold: true}, nil, nil).Fonts.(*dynamicFontMap)
	if len(regular.faces) != 1 || !regular.lazy {
		t.Fatalf("regular style: %d faces loaded up front (lazy %v), want 1", len(regular.faces), regular.lazy)
	}
	if f := regular.ResolveFace('A'); f != regular.faces[0] || len(regular.faces) != 1 {
		t.Fatalf("'A' resolved to another face or loaded more (%d faces)", len(regular.faces))
	}
	emoji := regular.ResolveFace('😀')
	if regular.lazy || len(regular.faces) < 2 || regular.faces[1] != emoji {
		t.Fatalf("after an emoji: lazy %v, %d faces, emoji face second: %v", regular.lazy, len(regular.faces), len(regular.faces) > 1 && regular.faces[1] == emoji)
	}
	if _, ok := emoji.NominalGlyph('😀'); !ok {
		t.Fatal("the emoji face has no glyph for 😀")
	}
	if bold.ResolveFace('😀') != emoji {
		t.Error("the bold style parsed the emoji font again")
	}
}
