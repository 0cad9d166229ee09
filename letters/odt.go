package letters

import (
	"io"
	"strings"
	"time"

	"github.com/vigie-app/vigie/odt"
)

// ODTMimeType is the media type of an OpenDocument text.
const ODTMimeType = odt.MimeType

// odtStyles are the paragraph and list styles of a letter.
const odtStyles = `<style:style style:name="Standard" style:family="paragraph" style:class="text">
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
`

// bodyXML is the letter as the children of <office:text>.
func (d *Document) bodyXML() string {
	var b strings.Builder
	lines := func(style string, ls []string) {
		if len(ls) == 0 {
			return
		}
		b.WriteString(`<text:p text:style-name="` + style + `">`)
		for i, l := range ls {
			if i > 0 {
				b.WriteString("<text:line-break/>")
			}
			b.WriteString(odt.Esc(l))
		}
		b.WriteString("</text:p>\n")
	}
	list := func(style string, items []string) {
		b.WriteString(`<text:list text:style-name="Bullets">` + "\n")
		for _, it := range items {
			b.WriteString(`<text:list-item><text:p text:style-name="` + style + `">` + odt.Esc(it) + "</text:p></text:list-item>\n")
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
			b.WriteString(`<text:h text:style-name="Heading_20_2" text:outline-level="2">` + odt.Esc(bl.Text) + "</text:h>\n")
		case BlockParagraph:
			lines("Standard", []string{bl.Text})
		case BlockList:
			list("List_20_Item", bl.Items)
		}
	}
	lines("Right_20_block", d.Signature)
	return b.String()
}

// WriteODT writes the letter as an OpenDocument text (see package odt).
// The output is deterministic: the entries are dated with the letter's date.
func (d *Document) WriteODT(w io.Writer) error {
	return odt.Write(w, odt.Doc{Lang: d.Lang, Title: d.Title, Subject: d.Subject, Styles: odtStyles, Body: d.bodyXML(),
		Date: time.Date(d.Date.Year, d.Date.Month, d.Date.Day, 0, 0, 0, 0, time.UTC)})
}
