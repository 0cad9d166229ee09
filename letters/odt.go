package letters

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"hash/crc32"
	"io"
	"strings"
	"time"
)

// ODTMimeType is the media type of an OpenDocument text.
const ODTMimeType = "application/vnd.oasis.opendocument.text"

const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" ` +
	`xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ` +
	`xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"`

const odtStyles = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles ` + odfNS + `>
<office:font-face-decls>
<style:font-face style:name="Liberation Serif" svg:font-family="&apos;Liberation Serif&apos;" style:font-family-generic="roman" style:font-pitch="variable"/>
</office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph">
<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm"/>
<style:text-properties style:font-name="Liberation Serif" fo:font-size="11pt" fo:language="{{LANG}}" fo:country="{{COUNTRY}}"/>
</style:default-style>
<style:style style:name="Standard" style:family="paragraph" style:class="text">
<style:paragraph-properties fo:text-align="justify"/>
</style:style>
<style:style style:name="Sender" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:text-align="start" fo:margin-bottom="0.6cm"/>
</style:style>
<style:style style:name="Right_20_block" style:display-name="Right block" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:margin-left="8.5cm" fo:text-align="start" fo:margin-bottom="0.5cm"/>
</style:style>
<style:style style:name="Subject" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:margin-top="0.6cm" fo:margin-bottom="0.5cm" fo:text-align="start"/>
<style:text-properties fo:font-weight="bold"/>
</style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="2" style:class="text">
<style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always" fo:text-align="start"/>
<style:text-properties fo:font-size="12pt" fo:font-weight="bold"/>
</style:style>
<style:style style:name="List_20_Item" style:display-name="List Item" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:margin-bottom="0.1cm"/>
</style:style>
<style:style style:name="Notes" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:margin-top="0.1cm" fo:text-align="start"/>
<style:text-properties fo:font-size="9pt" fo:color="#444444"/>
</style:style>
<text:list-style style:name="Bullets">
<text:list-level-style-bullet text:level="1" text:bullet-char="•">
<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.6cm" fo:text-indent="-0.4cm" fo:margin-left="0.6cm"/>
</style:list-level-properties>
</text:list-level-style-bullet>
</text:list-style>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="Page">
<style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.2cm" fo:margin-right="2.2cm"/>
</style:page-layout>
</office:automatic-styles>
<office:master-styles>
<style:master-page style:name="Standard" style:page-layout-name="Page"/>
</office:master-styles>
</office:document-styles>
`

// odtFiles lists the files of the ODT after the mimetype, with their media
// types for the manifest.
var odtFiles = []struct{ name, media string }{
	{"content.xml", "text/xml"},
	{"styles.xml", "text/xml"},
	{"meta.xml", "text/xml"},
}

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (d *Document) contentXML() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<office:document-content ` + odfNS + `>` + "\n")
	b.WriteString("<office:body>\n<office:text>\n")
	lines := func(style string, ls []string) {
		if len(ls) == 0 {
			return
		}
		b.WriteString(`<text:p text:style-name="` + style + `">`)
		for i, l := range ls {
			if i > 0 {
				b.WriteString("<text:line-break/>")
			}
			b.WriteString(esc(l))
		}
		b.WriteString("</text:p>\n")
	}
	list := func(style string, items []string) {
		b.WriteString(`<text:list text:style-name="Bullets">` + "\n")
		for _, it := range items {
			b.WriteString(`<text:list-item><text:p text:style-name="` + style + `">` + esc(it) + "</text:p></text:list-item>\n")
		}
		b.WriteString("</text:list>\n")
	}
	lines("Sender", d.From)
	lines("Right_20_block", d.To)
	lines("Right_20_block", []string{d.PlaceDate})
	lines("Subject", []string{d.Subject})
	for _, bl := range d.Body {
		switch bl.Kind {
		case BlockHeading:
			b.WriteString(`<text:h text:style-name="Heading_20_2" text:outline-level="2">` + esc(bl.Text) + "</text:h>\n")
		case BlockParagraph:
			lines("Standard", []string{bl.Text})
		case BlockList:
			list("List_20_Item", bl.Items)
		}
	}
	lines("Right_20_block", d.Signature)
	b.WriteString("</office:text>\n</office:body>\n</office:document-content>\n")
	return b.String()
}

func (d *Document) metaXML() string {
	date := d.Date.String() + "T00:00:00"
	return `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta ` + odfNS + `>
<office:meta>
<meta:generator>vigie</meta:generator>
<dc:title>` + esc(d.Title) + `</dc:title>
<dc:subject>` + esc(d.Subject) + `</dc:subject>
<dc:language>` + esc(d.Lang) + `</dc:language>
<meta:creation-date>` + date + `</meta:creation-date>
<dc:date>` + date + `</dc:date>
</office:meta>
</office:document-meta>
`
}

func manifestXML() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` + "\n")
	b.WriteString(` <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="` + ODTMimeType + `"/>` + "\n")
	for _, f := range odtFiles {
		b.WriteString(` <manifest:file-entry manifest:full-path="` + f.name + `" manifest:media-type="` + f.media + `"/>` + "\n")
	}
	b.WriteString("</manifest:manifest>\n")
	return b.String()
}

// WriteODT writes the letter as an OpenDocument text: a zip whose first
// entry is the uncompressed "mimetype", then content.xml, styles.xml,
// meta.xml and META-INF/manifest.xml, which lists them. The output is
// deterministic: the entries are dated with the letter's date.
func (d *Document) WriteODT(w io.Writer) error {
	mod := time.Date(d.Date.Year, d.Date.Month, d.Date.Day, 0, 0, 0, 0, time.UTC)
	z := zip.NewWriter(w)
	// The mimetype entry is written raw: stored, no extra field, no data
	// descriptor, so that its bytes sit at a fixed offset (ODF 1.3 part 2, 3.3).
	mtDate, mtTime := msDOSDateTime(mod)
	mt, err := z.CreateRaw(&zip.FileHeader{
		Name: "mimetype", Method: zip.Store,
		CRC32:            crc32.ChecksumIEEE([]byte(ODTMimeType)),
		CompressedSize64: uint64(len(ODTMimeType)), UncompressedSize64: uint64(len(ODTMimeType)),
		ModifiedDate: mtDate, ModifiedTime: mtTime,
	})
	if err != nil {
		return err
	}
	if _, err := io.WriteString(mt, ODTMimeType); err != nil {
		return err
	}
	lang, country := "fr", "FR"
	if d.Lang == "en" {
		lang, country = "en", "GB"
	}
	styles := strings.NewReplacer("{{LANG}}", lang, "{{COUNTRY}}", country).Replace(odtStyles)
	body := map[string]string{"content.xml": d.contentXML(), "styles.xml": styles, "meta.xml": d.metaXML()}
	for _, f := range odtFiles {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, body[f.name]); err != nil {
			return err
		}
	}
	fw, err := z.CreateHeader(&zip.FileHeader{Name: "META-INF/manifest.xml", Method: zip.Deflate, Modified: mod})
	if err != nil {
		return err
	}
	if _, err := io.WriteString(fw, manifestXML()); err != nil {
		return err
	}
	return z.Close()
}

// msDOSDateTime returns the MS-DOS date and time of t, as zip headers hold them.
func msDOSDateTime(t time.Time) (date, clock uint16) {
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	clock = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, clock
}
