package assets

import _ "embed"

// PhoneSVG is the phone handset icon of the Phone page and the call button
// (Material Design "call", Apache License 2.0, as Fyne's own theme icons).
//
//go:embed icons/phone.svg
var PhoneSVG []byte
