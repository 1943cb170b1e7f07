package softphone

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pion/sdp/v3"
)

// ptInfo is what an RTP payload type stands for in a session description.
type ptInfo struct {
	name string // lower case encoding name: opus, pcmu, pcma, telephone-event
	rate uint32
}

// checkOffer checks that a session description from the network is usable
// before any media work: it parses, has an audio stream with a codec we
// support, and carries WebRTC's ICE credentials and DTLS fingerprint.
func checkOffer(body []byte, codecs []string) error {
	var sd sdp.SessionDescription
	if err := sd.UnmarshalString(string(body)); err != nil {
		return fmt.Errorf("%w: %v", ErrBadSDP, err)
	}
	var audio *sdp.MediaDescription
	for _, m := range sd.MediaDescriptions {
		if m.MediaName.Media == "audio" && m.MediaName.Port.Value != 0 {
			audio = m
			break
		}
	}
	if audio == nil {
		return fmt.Errorf("%w: no audio stream", ErrBadSDP)
	}
	pts := mediaPTs(audio)
	found := false
	for _, f := range audio.MediaName.Formats {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > 127 {
			continue
		}
		if info, ok := pts[uint8(n)]; ok {
			for _, c := range codecs {
				if strings.EqualFold(c, info.name) {
					found = true
				}
			}
		}
	}
	if !found {
		return fmt.Errorf("%w: no codec in common (we accept %s)", ErrBadSDP, strings.Join(codecs, ", "))
	}
	_, fpSession := sd.Attribute("fingerprint")
	_, fpMedia := audio.Attribute("fingerprint")
	if !fpSession && !fpMedia {
		return fmt.Errorf("%w: no DTLS fingerprint (plain RTP is not supported)", ErrBadSDP)
	}
	_, ufSession := sd.Attribute("ice-ufrag")
	_, ufMedia := audio.Attribute("ice-ufrag")
	if !ufSession && !ufMedia {
		return fmt.Errorf("%w: no ICE credentials", ErrBadSDP)
	}
	return nil
}

// mediaPTs maps the payload types of one media description.
func mediaPTs(m *sdp.MediaDescription) map[uint8]ptInfo {
	out := map[uint8]ptInfo{0: {"pcmu", 8000}, 8: {"pcma", 8000}}
	for _, a := range m.Attributes {
		if a.Key != "rtpmap" {
			continue
		}
		ptStr, rest, ok := strings.Cut(a.Value, " ")
		if !ok {
			continue
		}
		pt, err := strconv.Atoi(ptStr)
		if err != nil || pt < 0 || pt > 127 {
			continue
		}
		parts := strings.Split(rest, "/")
		if len(parts) < 2 {
			continue
		}
		rate, err := strconv.Atoi(parts[1])
		if err != nil || rate <= 0 {
			continue
		}
		out[uint8(pt)] = ptInfo{name: strings.ToLower(parts[0]), rate: uint32(rate)}
	}
	return out
}

// ptMapOf merges the audio payload types of the given descriptions.
func ptMapOf(descs ...string) map[uint8]ptInfo {
	out := map[uint8]ptInfo{}
	for _, d := range descs {
		var sd sdp.SessionDescription
		if sd.UnmarshalString(d) != nil {
			continue
		}
		for _, m := range sd.MediaDescriptions {
			if m.MediaName.Media != "audio" {
				continue
			}
			for k, v := range mediaPTs(m) {
				out[k] = v
			}
		}
	}
	return out
}

// sdpDirection returns the direction of the first audio stream (sendrecv,
// sendonly, recvonly or inactive). A connection address of 0.0.0.0 is not
// read as hold: pion writes it in every description.
func sdpDirection(body string) string {
	inAudio := false
	dir := "sendrecv"
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.HasPrefix(line, "m=") {
			if inAudio {
				break
			}
			inAudio = strings.HasPrefix(line, "m=audio")
			continue
		}
		switch line {
		case "a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive":
			if inAudio {
				dir = line[2:]
			}
		}
	}
	return dir
}

// sdpICEUfrag returns the ICE user fragment of the first audio stream or session.
func sdpICEUfrag(body string) string {
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimRight(line, "\r")
		if v, ok := strings.CutPrefix(line, "a=ice-ufrag:"); ok {
			return v
		}
	}
	return ""
}

// withDirection rewrites the direction of every media stream and sets the
// session version of the o= line (RFC 3264 section 8).
func withDirection(body, dir string, version uint64) string {
	lines := strings.Split(strings.TrimRight(body, "\r\n"), "\n")
	out := make([]string, 0, len(lines)+2)
	inMedia, wrote := false, false
	flush := func() {
		if inMedia && !wrote {
			out = append(out, "a="+dir)
		}
	}
	for _, line := range lines {
		line = strings.TrimRight(line, "\r")
		switch {
		case strings.HasPrefix(line, "o="):
			f := strings.Fields(line)
			if len(f) >= 6 {
				f[2] = strconv.FormatUint(version, 10)
				line = strings.Join(f, " ")
			}
		case strings.HasPrefix(line, "m="):
			flush()
			inMedia, wrote = true, false
		case line == "a=sendrecv" || line == "a=sendonly" || line == "a=recvonly" || line == "a=inactive":
			if inMedia {
				line = "a=" + dir
				wrote = true
			}
		}
		out = append(out, line)
	}
	flush()
	return strings.Join(out, "\r\n") + "\r\n"
}

// sdpVersion returns the session version of the o= line.
func sdpVersion(body string) uint64 {
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "o=") {
			f := strings.Fields(strings.TrimSpace(line))
			if len(f) >= 6 {
				v, _ := strconv.ParseUint(f[2], 10, 64)
				return v
			}
		}
	}
	return 0
}

// answerDirection is our answer to an offered direction, given whether we
// hold the call ourselves.
func answerDirection(offered string, localHold bool) string {
	var send, recv bool
	switch offered {
	case "sendrecv":
		send, recv = true, true
	case "sendonly":
		recv = true
	case "recvonly":
		send = true
	}
	if localHold {
		recv = false
	}
	return dirString(send, recv)
}

func dirString(send, recv bool) string {
	switch {
	case send && recv:
		return "sendrecv"
	case send:
		return "sendonly"
	case recv:
		return "recvonly"
	}
	return "inactive"
}

func dirAllows(dir string) (send, recv bool) {
	switch dir {
	case "sendrecv":
		return true, true
	case "sendonly":
		return true, false
	case "recvonly":
		return false, true
	}
	return false, false
}
