package softphone

import (
	"sync"
	"time"

	"github.com/pion/rtp"
)

// jitterBuffer reorders received audio packets and plays them out one per
// 20 ms tick. Its depth adapts to the measured interarrival jitter (RFC 3550
// section 6.4.1): it holds about twice the jitter, at least one frame and at
// most maxFrames, and drops a frame to catch up when too much has piled up.
type jitterBuffer struct {
	mu        sync.Mutex
	pkts      map[uint16]*rtp.Packet
	next      uint16
	started   bool
	maxFrames int
	target    int
	rate      float64 // RTP clock rate
	jitter    float64 // seconds
	lastTr    float64
	haveTr    bool
	base      time.Time
	lost      int
	late      int
}

func newJitterBuffer(maxDelay time.Duration, clockRate uint32) *jitterBuffer {
	m := int(maxDelay / (20 * time.Millisecond))
	if m < 2 {
		m = 2
	}
	return &jitterBuffer{pkts: make(map[uint16]*rtp.Packet), maxFrames: m, target: 1, rate: float64(clockRate), base: time.Now()}
}

// seqLess compares sequence numbers with wrap-around.
func seqLess(a, b uint16) bool { return int16(a-b) < 0 }

func (j *jitterBuffer) push(p *rtp.Packet, at time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.started && seqLess(p.SequenceNumber, j.next) {
		j.late++
		return
	}
	if len(j.pkts) >= 4*j.maxFrames {
		return // flood: keep what we have
	}
	// Interarrival jitter, RFC 3550 section 6.4.1.
	tr := at.Sub(j.base).Seconds() - float64(p.Timestamp)/j.rate
	if j.haveTr {
		d := tr - j.lastTr
		if d < 0 {
			d = -d
		}
		if d < 1 {
			j.jitter += (d - j.jitter) / 16
		}
	}
	j.lastTr, j.haveTr = tr, true
	t := int(2*j.jitter/0.020) + 1
	j.target = min(max(t, 1), j.maxFrames)
	j.pkts[p.SequenceNumber] = p
}

// pop returns the packet to play now, or nil to conceal a gap (or wait, when
// not started).
func (j *jitterBuffer) pop() *rtp.Packet {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.started {
		if len(j.pkts) < j.target {
			return nil
		}
		j.next = j.lowest()
		j.started = true
	}
	// Too much buffered: drop the oldest to bring the delay back down.
	for len(j.pkts) > j.target+2 {
		delete(j.pkts, j.next)
		j.next++
	}
	p, ok := j.pkts[j.next]
	if ok {
		delete(j.pkts, j.next)
		j.next++
		return p
	}
	if len(j.pkts) == 0 {
		// Nothing buffered: wait for the stream rather than skip (a gap in
		// sending, such as DTMF or hold, is not a loss).
		j.started = false
		return nil
	}
	j.lost++
	j.next++
	return nil
}

func (j *jitterBuffer) lowest() uint16 {
	first := true
	var lo uint16
	for s := range j.pkts {
		if first || seqLess(s, lo) {
			lo, first = s, false
		}
	}
	return lo
}

// depth returns the current target in frames.
func (j *jitterBuffer) depth() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.target
}
