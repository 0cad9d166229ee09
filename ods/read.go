package ods

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// Table is a sheet read back by Read: its name, and each row's cells as
// text (paragraphs joined by a newline) with their value types.
type Table struct {
	Name  string
	Rows  [][]string
	Types [][]string
}

// Read reads the tables of an .ods file written by Write (or any simple
// spreadsheet without repeated cells), for tests and checks.
func Read(b []byte) ([]Table, error) {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	for _, f := range z.File {
		if f.Name != "content.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return readContent(rc)
	}
	return nil, errors.New("ods: no content.xml")
}

const (
	nsTable = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsText  = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	nsOff   = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
)

func readContent(r io.Reader) ([]Table, error) {
	d := xml.NewDecoder(r)
	var (
		tables []Table
		cell   *strings.Builder
		paras  int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return tables, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Space == nsTable && t.Name.Local == "table":
				tb := Table{}
				for _, a := range t.Attr {
					if a.Name.Space == nsTable && a.Name.Local == "name" {
						tb.Name = a.Value
					}
				}
				tables = append(tables, tb)
			case t.Name.Space == nsTable && t.Name.Local == "table-row":
				tb := &tables[len(tables)-1]
				tb.Rows = append(tb.Rows, nil)
				tb.Types = append(tb.Types, nil)
			case t.Name.Space == nsTable && t.Name.Local == "table-cell":
				tb := &tables[len(tables)-1]
				typ := ""
				for _, a := range t.Attr {
					if a.Name.Space == nsOff && a.Name.Local == "value-type" {
						typ = a.Value
					}
				}
				tb.Types[len(tb.Types)-1] = append(tb.Types[len(tb.Types)-1], typ)
				cell, paras = &strings.Builder{}, 0
			case t.Name.Space == nsText && t.Name.Local == "p" && cell != nil:
				if paras > 0 {
					cell.WriteByte('\n')
				}
				paras++
			}
		case xml.CharData:
			if cell != nil {
				cell.Write(t)
			}
		case xml.EndElement:
			if t.Name.Space == nsTable && t.Name.Local == "table-cell" && cell != nil {
				tb := &tables[len(tables)-1]
				tb.Rows[len(tb.Rows)-1] = append(tb.Rows[len(tb.Rows)-1], cell.String())
				cell = nil
			}
		}
	}
}
