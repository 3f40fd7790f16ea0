//go:build !race

package tests

// raceEnabled is true when the tests run with -race: the harness then builds
// the binaries with -race too.
const raceEnabled = false
