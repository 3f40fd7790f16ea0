package pgstore

// WriterOf exposes writerOf to the tests.
func (s *Store) WriterOf(book string) int { return s.writerOf(book) }
