// Package odt writes OpenDocument text files (.odt) that LibreOffice and
// other office suites open and edit: a zip whose first entry is the stored
// "mimetype", then content.xml, styles.xml, meta.xml, any pictures, and
// META-INF/manifest.xml that lists them. The caller gives the body, its
// styles and its pictures; this package does the packaging, once for every
// document vigie writes (letters, dossiers).
//
// Output is deterministic: the entries are dated with the document's date.
package odt

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"hash/crc32"
	"io"
	"strconv"
	"strings"
	"time"
)

// MimeType is the media type of an OpenDocument text.
const MimeType = "application/vnd.oasis.opendocument.text"

// NS declares the namespaces a document's elements use, with the ODF
// version; it goes on the root element of content.xml and styles.xml.
const NS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
	`xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ` +
	`xmlns:xlink="http://www.w3.org/1999/xlink" ` +
	`xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" ` +
	`xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ` +
	`xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"`

// Doc is one document to write.
type Doc struct {
	Lang           string // "fr" or "en"
	Title, Subject string
	Date           time.Time // creation date, and the date of the zip entries
	// Styles are the children of <office:styles> (paragraph, text, table,
	// list styles); the default paragraph style (Liberation Serif 11 pt in
	// the document's language) is always there.
	Styles string
	// AutoStyles are the children of <office:automatic-styles> of
	// content.xml (column widths, cell borders).
	AutoStyles string
	// Body is the children of <office:text>.
	Body string
	// PageNumbers puts the page number in the footer of every page.
	PageNumbers bool
	// Margins of the A4 page: top, bottom, left, right, in cm; zero: 2, 2, 2.2, 2.2.
	Margins [4]float64
	// Files are pictures and other parts, referenced from Body by Name.
	Files []File
}

// File is one part of the package besides the XML streams.
type File struct {
	Name      string // path in the zip, e.g. "Pictures/chart-1.svg"
	MediaType string // e.g. "image/svg+xml"
	Data      []byte
}

// Esc escapes s for XML text and attribute values.
func Esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (d *Doc) stylesXML() string {
	lang, country := "fr", "FR"
	if d.Lang == "en" {
		lang, country = "en", "GB"
	}
	m := d.Margins
	if m == [4]float64{} {
		m = [4]float64{2, 2, 2.2, 2.2}
	}
	cm := func(x float64) string { return strings.TrimRight(strings.TrimRight(ftoa(x), "0"), ".") + "cm" }
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<office:document-styles " + NS + ">\n")
	b.WriteString(`<office:font-face-decls>
<style:font-face style:name="Liberation Serif" svg:font-family="&apos;Liberation Serif&apos;" style:font-family-generic="roman" style:font-pitch="variable"/>
<style:font-face style:name="Liberation Sans" svg:font-family="&apos;Liberation Sans&apos;" style:font-family-generic="swiss" style:font-pitch="variable"/>
</office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph">
<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm"/>
<style:text-properties style:font-name="Liberation Serif" fo:font-size="11pt" fo:language="` + lang + `" fo:country="` + country + `"/>
</style:default-style>
`)
	b.WriteString(d.Styles)
	b.WriteString("</office:styles>\n<office:automatic-styles>\n")
	b.WriteString(`<style:page-layout style:name="Page">
<style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="` + cm(m[0]) + `" fo:margin-bottom="` + cm(m[1]) + `" fo:margin-left="` + cm(m[2]) + `" fo:margin-right="` + cm(m[3]) + `"/>
`)
	if d.PageNumbers {
		b.WriteString(`<style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.3cm"/></style:footer-style>
`)
	}
	b.WriteString("</style:page-layout>\n")
	if d.PageNumbers {
		b.WriteString(`<style:style style:name="MPFooter" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="9pt"/></style:style>
`)
	}
	b.WriteString("</office:automatic-styles>\n<office:master-styles>\n")
	if d.PageNumbers {
		b.WriteString(`<style:master-page style:name="Standard" style:page-layout-name="Page"><style:footer><text:p text:style-name="MPFooter"><text:page-number text:select-page="current">1</text:page-number></text:p></style:footer></style:master-page>
`)
	} else {
		b.WriteString(`<style:master-page style:name="Standard" style:page-layout-name="Page"/>` + "\n")
	}
	b.WriteString("</office:master-styles>\n</office:document-styles>\n")
	return b.String()
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

func (d *Doc) contentXML() string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n<office:document-content " + NS + ">\n<office:automatic-styles>\n" +
		d.AutoStyles + "</office:automatic-styles>\n<office:body>\n<office:text>\n" + d.Body +
		"</office:text>\n</office:body>\n</office:document-content>\n"
}

func (d *Doc) metaXML() string {
	date := d.Date.UTC().Format("2006-01-02T15:04:05")
	return `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta ` + NS + `>
<office:meta>
<meta:generator>vigie</meta:generator>
<dc:title>` + Esc(d.Title) + `</dc:title>
<dc:subject>` + Esc(d.Subject) + `</dc:subject>
<dc:language>` + Esc(d.Lang) + `</dc:language>
<meta:creation-date>` + date + `</meta:creation-date>
<dc:date>` + date + `</dc:date>
</office:meta>
</office:document-meta>
`
}

func (d *Doc) manifestXML() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` + "\n")
	b.WriteString(` <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="` + MimeType + `"/>` + "\n")
	for _, n := range []string{"content.xml", "styles.xml", "meta.xml"} {
		b.WriteString(` <manifest:file-entry manifest:full-path="` + n + `" manifest:media-type="text/xml"/>` + "\n")
	}
	for _, f := range d.Files {
		b.WriteString(` <manifest:file-entry manifest:full-path="` + Esc(f.Name) + `" manifest:media-type="` + Esc(f.MediaType) + `"/>` + "\n")
	}
	b.WriteString("</manifest:manifest>\n")
	return b.String()
}

// Write writes d as an .odt package.
func Write(w io.Writer, d Doc) error {
	mod := d.Date.UTC()
	z := zip.NewWriter(w)
	// The mimetype entry is written raw: stored, no extra field, no data
	// descriptor, so that its bytes sit at a fixed offset (ODF 1.3 part 2, 3.3).
	mtDate, mtTime := msDOSDateTime(mod)
	mt, err := z.CreateRaw(&zip.FileHeader{
		Name: "mimetype", Method: zip.Store,
		CRC32:            crc32.ChecksumIEEE([]byte(MimeType)),
		CompressedSize64: uint64(len(MimeType)), UncompressedSize64: uint64(len(MimeType)),
		ModifiedDate: mtDate, ModifiedTime: mtTime,
	})
	if err != nil {
		return err
	}
	if _, err := io.WriteString(mt, MimeType); err != nil {
		return err
	}
	parts := []File{{Name: "content.xml", Data: []byte(d.contentXML())}, {Name: "styles.xml", Data: []byte(d.stylesXML())},
		{Name: "meta.xml", Data: []byte(d.metaXML())}}
	parts = append(parts, d.Files...)
	parts = append(parts, File{Name: "META-INF/manifest.xml", Data: []byte(d.manifestXML())})
	for _, f := range parts {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.Data); err != nil {
			return err
		}
	}
	return z.Close()
}

// msDOSDateTime returns the MS-DOS date and time of t, as zip headers hold them.
func msDOSDateTime(t time.Time) (date, clock uint16) {
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	clock = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, clock
}
