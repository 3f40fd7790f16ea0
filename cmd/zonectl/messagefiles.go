package main

import "os"

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
