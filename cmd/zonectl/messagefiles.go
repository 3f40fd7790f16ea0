package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// maxMessageFile is the largest single-window message file zonectl reads:
// the server takes no message larger than 4 MiB.
const maxMessageFile = 4 << 20

// readMessageFiles reads each named file whole, in order. A file that
// cannot be read, or is larger than a message may be, is a usage error
// naming the file; nothing is sent then.
func readMessageFiles(names []string) ([][]byte, error) {
	out := make([][]byte, len(names))
	for i, name := range names {
		st, err := os.Stat(name)
		if err != nil {
			return nil, usagef("%v", err)
		}
		if st.Size() > maxMessageFile {
			return nil, usagef("%s: %d bytes; a message is at most %d bytes", name, st.Size(), maxMessageFile)
		}
		if out[i], err = os.ReadFile(name); err != nil {
			return nil, usagef("%v", err)
		}
	}
	return out, nil
}

// writeMessage writes a message the server produced: to standard output
// when out is empty or "-", into the directory out under the server's file
// name, or to the file out; what says in the note what was written.
func (a *app) writeMessage(out string, data []byte, serverName, what string) error {
	if out == "" || out == "-" {
		_, err := a.stdout.Write(data)
		return err
	}
	path := out
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		path = filepath.Join(out, filepath.Base(serverName))
	}
	if err := os.WriteFile(path, data, 0o666); err != nil {
		return fmt.Errorf("writing %s: %w", what, err)
	}
	a.note("%s: %d bytes, %s (the server's name %s)", path, len(data), what, serverName)
	return nil
}
