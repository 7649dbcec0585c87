package syncsvc

import "sync"

// sharedRead lets the calls that come while a read is under way share the
// next one: on a hub answering hundreds of calls at once, each call's
// Authenticate read the registry's mark in a read transaction of its own,
// and a reader's transaction after another connection's commit refills its
// page cache (BENCHMARKS.md, "The p99 target, third round"). A call never
// takes a value read before it came: it reads itself when no read is under
// way, and otherwise waits for the read that begins once the one under way
// ends, which it joins before that read begins.
type sharedRead[T any] struct {
	mu      sync.Mutex
	current *readFlight[T] // under way
	next    *readFlight[T] // to begin when current ends; calls that come join it
}

type readFlight[T any] struct {
	done   chan struct{}
	v      T
	err    error
	joined int // calls that wait for it besides the one that reads
}

// do returns read's result, read after do was called.
func (s *sharedRead[T]) do(read func() (T, error)) (T, error) {
	s.mu.Lock()
	if s.current == nil {
		f := &readFlight[T]{done: make(chan struct{})}
		s.current = f
		s.mu.Unlock()
		return s.run(f, read)
	}
	if f := s.next; f != nil {
		f.joined++
		s.mu.Unlock()
		<-f.done
		return f.v, f.err
	}
	f := &readFlight[T]{done: make(chan struct{})}
	s.next = f
	cur := s.current
	s.mu.Unlock()
	<-cur.done
	s.mu.Lock()
	s.next = nil // those who come from now on wait for a later read
	s.current = f
	s.mu.Unlock()
	return s.run(f, read)
}

// run reads for the flight f and hands the result to those who joined it.
func (s *sharedRead[T]) run(f *readFlight[T], read func() (T, error)) (T, error) {
	f.v, f.err = read()
	s.mu.Lock()
	if s.current == f {
		s.current = nil
	}
	s.mu.Unlock()
	close(f.done)
	return f.v, f.err
}
