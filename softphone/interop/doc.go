// Package interop holds the softphone's interoperability tests against a
// browser softphone: JsSIP 3.13 in headless Chromium, registered on the same
// Kamailio, calling and called by Ringside's softphone. The package has no
// code of its own besides tests.
package interop
