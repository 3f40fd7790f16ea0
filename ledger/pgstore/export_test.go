package pgstore

// WriterOf exposes writerOf to the tests.
func (s *Store) WriterOf(book string) int { return s.writerOf(book) }

// SetVerifyPageSize sets how many journals VerifyPeriods reads at a time
// until the test ends.
func SetVerifyPageSize(t interface{ Cleanup(func()) }, n int) {
	old := verifyPageSize
	verifyPageSize = n
	t.Cleanup(func() { verifyPageSize = old })
}
