package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/ringside/ringside/assets"
)

// phoneIcon is the phone handset, coloured by the theme like Fyne's icons.
var phoneIcon fyne.Resource = theme.NewThemedResource(fyne.NewStaticResource("phone.svg", assets.PhoneSVG))
