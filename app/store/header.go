package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// checkHeader checks the fixed fields of an SQLite file's 100-byte header
// (https://www.sqlite.org/fileformat.html#the_database_header): SQLite
// accepts some damaged values (a write version above 2 only makes the file
// read-only), which would then fail later, less clearly.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot check it: %w", err)
	}
	defer f.Close()
	var h [100]byte
	if _, err := io.ReadFull(f, h[:]); errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &damage{reason: "file is not a database (shorter than an SQLite header)"}
	} else if err != nil {
		return fmt.Errorf("cannot check it: %w", err)
	}
	if !bytes.Equal(h[:16], []byte("SQLite format 3\x00")) {
		return &damage{reason: "file is not a database"}
	}
	bad := func(field string, v int) error {
		return &damage{reason: fmt.Sprintf("the database header is damaged (%s %d)", field, v)}
	}
	if ps := int(h[16])<<8 | int(h[17]); ps != 1 && (ps < 512 || ps&(ps-1) != 0) {
		return bad("page size", ps)
	}
	for i, field := range map[int]string{18: "write version", 19: "read version"} {
		if h[i] != 1 && h[i] != 2 {
			return bad(field, int(h[i]))
		}
	}
	if h[21] != 64 || h[22] != 32 || h[23] != 32 {
		return bad("payload fraction", int(h[21]))
	}
	if v := int(h[44])<<24 | int(h[45])<<16 | int(h[46])<<8 | int(h[47]); v > 4 {
		return bad("schema format", v)
	}
	if v := int(h[56])<<24 | int(h[57])<<16 | int(h[58])<<8 | int(h[59]); v > 3 {
		return bad("text encoding", v)
	}
	return nil
}
