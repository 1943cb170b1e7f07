package softphone

import "sync"

// eventQueue delivers events in order on one channel without ever blocking
// the phone: events wait in an unbounded slice until the app reads them.
type eventQueue struct {
	mu     sync.Mutex
	items  []Event
	signal chan struct{}
	out    chan Event
	stop   chan struct{}
	done   chan struct{}
}

func newEventQueue() *eventQueue {
	q := &eventQueue{
		signal: make(chan struct{}, 1),
		out:    make(chan Event),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	go q.pump()
	return q
}

func (q *eventQueue) push(e Event) {
	q.mu.Lock()
	q.items = append(q.items, e)
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

func (q *eventQueue) pump() {
	defer close(q.done)
	defer close(q.out)
	for {
		q.mu.Lock()
		items := q.items
		q.items = nil
		q.mu.Unlock()
		for _, e := range items {
			select {
			case q.out <- e:
			case <-q.stop:
				return
			}
		}
		select {
		case <-q.signal:
		case <-q.stop:
			return
		}
	}
}

// close stops delivery, closes the channel and waits for the pump.
func (q *eventQueue) close() {
	close(q.stop)
	<-q.done
}
