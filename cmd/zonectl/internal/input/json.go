package input

import (
	"bytes"
	"encoding/json"
	"io"
)

// JSONObjects reads one JSON value, a JSON array of them, or a sequence of
// them (JSON Lines), after a UTF-8 byte-order mark if any, and calls each
// with every value's text and line; each refuses what is not the object
// it expects. what names the objects for an empty file ("journals"). An
// error each returns stops the reading and is returned; syntax errors and
// stray data name their line.
func JSONObjects(data []byte, name, what string, each func(raw json.RawMessage, line int) error) error {
	data = stripBOM(data)
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return &Error{File: name, Msg: "no " + what + " in the file"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	array := trimmed[0] == '['
	if array {
		if _, err := dec.Token(); err != nil {
			return jsonSyntax(name, data, err)
		}
	}
	for dec.More() {
		before := int(dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return jsonSyntax(name, data, err)
		}
		start := before + len(data[before:]) - len(bytes.TrimLeft(data[before:], " \t\r\n,"))
		if err := each(raw, lineAt(data, start)); err != nil {
			return err
		}
	}
	if array {
		if _, err := dec.Token(); err != nil {
			return jsonSyntax(name, data, err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return &Error{File: name, Line: lineAt(data, int(dec.InputOffset())), Msg: "unexpected data after the JSON array"}
		}
	} else if _, err := dec.Token(); err != io.EOF {
		// dec.More is false on a stray ']' or '}'; say where it is.
		return &Error{File: name, Line: lineAt(data, int(dec.InputOffset())), Msg: "unexpected data; expected a JSON object"}
	}
	return nil
}

// IsObject reports whether a JSON value is an object.
func IsObject(raw json.RawMessage) bool { return len(raw) > 0 && raw[0] == '{' }
