package audio

import "sync/atomic"

// ring is a single-producer single-consumer byte queue. The audio callback is
// one side and a Go goroutine the other; neither allocates nor locks.
type ring struct {
	buf  []byte
	mask uint64
	w, r atomic.Uint64 // total bytes written and read
}

func newRing(size int) *ring {
	n := 1
	for n < size {
		n <<= 1
	}
	return &ring{buf: make([]byte, n), mask: uint64(n - 1)}
}

// len returns the bytes waiting to be read.
func (q *ring) len() int { return int(q.w.Load() - q.r.Load()) }

// write copies as much of p as fits and returns how much that was.
func (q *ring) write(p []byte) int {
	w, r := q.w.Load(), q.r.Load()
	free := uint64(len(q.buf)) - (w - r)
	n := min(uint64(len(p)), free)
	start := w & q.mask
	k := copy(q.buf[start:], p[:n])
	copy(q.buf, p[k:n])
	q.w.Store(w + n)
	return int(n)
}

// read copies up to len(p) bytes out and returns how many.
func (q *ring) read(p []byte) int {
	w, r := q.w.Load(), q.r.Load()
	n := min(uint64(len(p)), w-r)
	start := r & q.mask
	end := min(start+n, uint64(len(q.buf)))
	k := copy(p, q.buf[start:end])
	copy(p[k:n], q.buf)
	q.r.Store(r + n)
	return int(n)
}
