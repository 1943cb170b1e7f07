package callpolicy

import (
	"strconv"
	"strings"
	"time"
)

// maxAnswerAfter bounds the delay an answer-after parameter may ask for.
const maxAnswerAfter = 60 * time.Second

// AutoAnswerMarker reads the auto-answer marks of an INVITE: Call-Info with
// an answer-after=N parameter (N seconds), Alert-Info with
// info=alert-autoanswer, or Answer-Mode: Auto (RFC 5373). after is the
// delay asked for (0: at once, the most common). The caller decides whether
// the headers can be trusted.
func AutoAnswerMarker(h Headers) (marked bool, after time.Duration) {
	if h == nil {
		return false, 0
	}
	if v := h.Header("Call-Info"); v != "" {
		if d, ok := answerAfter(v); ok {
			return true, d
		}
	}
	if v := h.Header("Alert-Info"); v != "" && (containsFold(v, "alert-autoanswer") || containsFold(v, "info=autoanswer") || containsFold(v, "info=auto-answer")) {
		return true, 0
	}
	if v := strings.TrimSpace(h.Header("Answer-Mode")); len(v) >= 4 && strings.EqualFold(v[:4], "auto") && (len(v) == 4 || v[4] == ';' || v[4] == ' ') {
		return true, 0
	}
	return false, 0
}

// answerAfter finds an answer-after parameter in a Call-Info value
// (possibly several comma-separated entries) outside any <URI>.
func answerAfter(v string) (time.Duration, bool) {
	depth := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '<':
			depth++
		case '>':
			if depth > 0 {
				depth--
			}
		case ';':
			if depth != 0 {
				continue
			}
			rest := strings.TrimLeft(v[i+1:], " \t")
			const p = "answer-after"
			if len(rest) < len(p) || !strings.EqualFold(rest[:len(p)], p) {
				continue
			}
			rest = strings.TrimLeft(rest[len(p):], " \t")
			if rest == "" || rest[0] != '=' {
				return 0, true // a bare answer-after: at once
			}
			rest = strings.TrimLeft(rest[1:], " \t")
			end := 0
			for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
				end++
			}
			n, err := strconv.Atoi(rest[:end])
			if err != nil || end > 4 {
				return 0, true
			}
			return min(time.Duration(n)*time.Second, maxAnswerAfter), true
		}
	}
	return 0, false
}
