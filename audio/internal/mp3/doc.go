// Package mp3 decodes MPEG-1 and MPEG-2 Layer III audio frame by frame. It
// is a fork of github.com/hajimehoshi/go-mp3 v0.3.4 (Apache-2.0, see
// LICENSE and NOTICE.md), rewritten for speed: lookup-table Huffman
// decoding, table requantisation, a DCT-IV IMDCT, a DCT-32 polyphase
// synthesis, no allocation per frame, and two options for callers that
// want less than full-band stereo: WithMono (channels added in the
// frequency domain, one filter bank) and WithSubbands (subbands above a
// cut-off neither decoded nor synthesised).
//
// The caller finds the frames (NextFrame, or its own index) and hands them
// to Decoder.Decode in order.
package mp3
