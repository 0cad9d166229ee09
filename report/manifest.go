package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
)

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// JSON returns the manifest as indented JSON ending with a newline; the
// same dossier always gives the same bytes.
func (m *Manifest) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Formats of a dossier.
const (
	FormatHTML = "html"
	FormatPDF  = "pdf"
	FormatODT  = "odt"
	FormatJSON = "json"
)

// Formats lists the formats.
var Formats = []string{FormatHTML, FormatPDF, FormatODT, FormatJSON}

// MediaTypes gives each format's media type.
var MediaTypes = map[string]string{FormatHTML: "text/html; charset=utf-8", FormatPDF: "application/pdf",
	FormatODT: "application/vnd.oasis.opendocument.text", FormatJSON: "application/json"}

// Write writes the dossier in format.
func (d *Dossier) Write(w io.Writer, format string) error {
	switch format {
	case FormatHTML:
		return d.WriteHTML(w)
	case FormatPDF:
		return d.WritePDF(w)
	case FormatODT:
		return d.WriteODT(w)
	}
	b, err := d.Manifest.JSON()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
