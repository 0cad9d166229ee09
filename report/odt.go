package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vigie-app/vigie/odt"
)

// odtStyles are the dossier's named styles: real headings (so that the
// table of contents and the navigator work), body text, lists, table
// texts, warnings.
const odtStyles = `<style:style style:name="Standard" style:family="paragraph" style:class="text"/>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
<style:paragraph-properties fo:margin-bottom="0.2cm" fo:text-align="justify"/>
</style:style>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard" style:class="chapter">
<style:paragraph-properties fo:margin-bottom="0.3cm"/>
<style:text-properties style:font-name="Liberation Sans" fo:font-size="22pt" fo:font-weight="bold"/>
</style:style>
<style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Standard" style:class="chapter">
<style:paragraph-properties fo:margin-bottom="0.5cm"/>
<style:text-properties style:font-name="Liberation Sans" fo:font-size="12pt" fo:color="#4b5563"/>
</style:style>
<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
<style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>
<style:text-properties style:font-name="Liberation Sans" fo:font-weight="bold"/>
</style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1" style:class="text">
<style:paragraph-properties fo:break-before="page" fo:border-bottom="0.06cm solid #111827" fo:padding-bottom="0.1cm"/>
<style:text-properties fo:font-size="16pt"/>
</style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2" style:class="text">
<style:text-properties fo:font-size="12pt"/>
</style:style>
<style:style style:name="Field_20_label" style:display-name="Field label" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="List_20_Item" style:display-name="List Item" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:margin-bottom="0.1cm"/>
</style:style>
<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
<style:paragraph-properties fo:margin-bottom="0cm"/>
<style:text-properties fo:font-size="9pt"/>
</style:style>
<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">
<style:text-properties style:font-name="Liberation Sans" fo:font-weight="bold"/>
</style:style>
<style:style style:name="Table_20_Code" style:display-name="Table Code" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">
<style:text-properties style:font-name="Liberation Mono" fo:font-size="7.5pt"/>
</style:style>
<style:style style:name="Caption" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
<style:paragraph-properties fo:margin-top="0.1cm" fo:margin-bottom="0.3cm"/>
<style:text-properties fo:font-size="9pt" fo:font-style="italic" fo:color="#4b5563"/>
</style:style>
<style:style style:name="Warning" style:family="paragraph" style:parent-style-name="Text_20_body">
<style:paragraph-properties fo:background-color="#fef3c7" fo:border-left="0.1cm solid #92400e" fo:padding="0.15cm"/>
</style:style>
<style:style style:name="Contents_20_Heading" style:display-name="Contents Heading" style:family="paragraph" style:parent-style-name="Heading" style:class="index">
<style:text-properties fo:font-size="14pt"/>
</style:style>
<style:style style:name="Contents_20_1" style:display-name="Contents 1" style:family="paragraph" style:parent-style-name="Standard" style:class="index"/>
<text:list-style style:name="Bullets">
<text:list-level-style-bullet text:level="1" text:bullet-char="•">
<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.6cm" fo:text-indent="-0.4cm" fo:margin-left="0.6cm"/>
</style:list-level-properties>
</text:list-level-style-bullet>
</text:list-style>
`

// WriteODT writes the dossier as an OpenDocument text: the same sections,
// headings as Heading 1 and 2, tables as tables, charts as SVG pictures.
func (d *Dossier) WriteODT(w io.Writer) error {
	var b, auto strings.Builder
	var files []odt.File
	e := odt.Esc
	t := func(fr, en string) string { return pick(d.Lang, fr, en) }
	para := func(style, text string) {
		b.WriteString(`<text:p text:style-name="` + style + `">` + e(text) + "</text:p>\n")
	}
	fields := func(fs []Field) {
		for _, f := range fs {
			b.WriteString(`<text:p text:style-name="Text_20_body"><text:span text:style-name="Field_20_label">` + e(f.Label) + t(" : ", ": ") + "</text:span>" + e(f.Value) + "</text:p>\n")
		}
	}
	// Status cells: one automatic cell style per status, with the HTML's colours.
	statuses := []string{"met", "unmet", "high", "disparity", "unknown", "medium", "upcoming", "in_progress", "not_applicable", "low", "parity"}
	for _, st := range statuses {
		c := statusRGB[st]
		auto.WriteString(fmt.Sprintf(`<style:style style:name="cell-%s" style:family="table-cell"><style:table-cell-properties fo:background-color="#%02x%02x%02x" fo:border="0.5pt solid #d1d5db" fo:padding="0.06cm"/></style:style>`+"\n", st, c[1][0], c[1][1], c[1][2]))
	}
	auto.WriteString(`<style:style style:name="cell" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #d1d5db" fo:padding="0.06cm"/></style:style>` + "\n")
	auto.WriteString(`<style:style style:name="cell-head" style:family="table-cell"><style:table-cell-properties fo:background-color="#f3f4f6" fo:border="0.5pt solid #d1d5db" fo:padding="0.06cm"/></style:style>` + "\n")
	auto.WriteString(`<style:style style:name="fr-chart" style:family="graphic"><style:graphic-properties style:wrap="none" style:vertical-pos="top" style:horizontal-pos="center" style:horizontal-rel="paragraph"/></style:style>` + "\n")
	for _, st := range statuses {
		c := statusRGB[st]
		auto.WriteString(fmt.Sprintf(`<style:style style:name="st-%s" style:family="text"><style:text-properties fo:font-weight="bold" fo:color="#%02x%02x%02x"/></style:style>`+"\n", st, c[0][0], c[0][1], c[0][2]))
	}
	auto.WriteString(`<style:style style:name="tag" style:family="text"><style:text-properties fo:font-size="7pt" fo:color="#4b5563"/></style:style>` + "\n")
	const textWidth = 16.6 // cm between the margins
	tables, charts := 0, 0

	para("Title", d.Title)
	para("Subtitle", d.Subtitle)
	fields(d.Cover)
	b.WriteString(`<text:table-of-content text:name="` + e(t("Sommaire", "Contents")) + `" text:protected="false">` +
		`<text:table-of-content-source text:outline-level="1" text:use-index-marks="false"><text:index-title-template text:style-name="Contents_20_Heading">` + e(t("Sommaire", "Contents")) + `</text:index-title-template>` +
		`<text:table-of-content-entry-template text:outline-level="1" text:style-name="Contents_20_1"><text:index-entry-chapter/><text:index-entry-text/><text:index-entry-tab-stop style:type="right" style:leader-char="."/><text:index-entry-page-number/></text:table-of-content-entry-template>` +
		`</text:table-of-content-source><text:index-body><text:index-title text:name="` + e(t("Sommaire", "Contents")) + `_Head"><text:p text:style-name="Contents_20_Heading">` + e(t("Sommaire", "Contents")) + `</text:p></text:index-title>`)
	for i, s := range d.Sections {
		b.WriteString(`<text:p text:style-name="Contents_20_1">` + fmt.Sprintf("%d. ", i+1) + e(s.Title) + "</text:p>")
	}
	b.WriteString("</text:index-body></text:table-of-content>\n")

	for i, s := range d.Sections {
		b.WriteString(`<text:h text:style-name="Heading_20_1" text:outline-level="1">` + fmt.Sprintf("%d. ", i+1) + e(s.Title) + "</text:h>\n")
		for _, bl := range s.Blocks {
			switch bl.Kind {
			case Heading:
				b.WriteString(`<text:h text:style-name="Heading_20_2" text:outline-level="2">` + e(bl.Text) + "</text:h>\n")
			case Paragraph:
				if bl.Text != "" {
					para("Text_20_body", bl.Text)
				}
			case Warning:
				para("Warning", "⚠ "+bl.Text)
			case List:
				b.WriteString(`<text:list text:style-name="Bullets">` + "\n")
				for _, it := range bl.Items {
					b.WriteString(`<text:list-item><text:p text:style-name="List_20_Item">` + e(it) + "</text:p></text:list-item>\n")
				}
				b.WriteString("</text:list>\n")
			case Fields:
				fields(bl.Fields)
			case Table:
				tables++
				tb := bl.Table
				name := fmt.Sprintf("Table%d", tables)
				total := 0.0
				ws := make([]float64, len(tb.Head))
				for i := range ws {
					ws[i] = 1
					if i < len(tb.Widths) {
						ws[i] = tb.Widths[i]
					}
					total += ws[i]
				}
				auto.WriteString(fmt.Sprintf(`<style:style style:name="%s" style:family="table"><style:table-properties style:width="%.2fcm" table:align="margins"/></style:style>`+"\n", name, textWidth))
				for i, wv := range ws {
					auto.WriteString(fmt.Sprintf(`<style:style style:name="%s.C%d" style:family="table-column"><style:table-column-properties style:column-width="%.2fcm"/></style:style>`+"\n", name, i, textWidth*wv/total))
				}
				if tb.Caption != "" {
					b.WriteString(`<text:p text:style-name="Heading_20_2">` + e(tb.Caption) + "</text:p>\n")
				}
				b.WriteString(`<table:table table:name="` + name + `" table:style-name="` + name + `">` + "\n")
				for i := range ws {
					b.WriteString(fmt.Sprintf(`<table:table-column table:style-name="%s.C%d"/>`, name, i))
				}
				b.WriteString("\n<table:table-header-rows><table:table-row>")
				for _, h := range tb.Head {
					b.WriteString(`<table:table-cell table:style-name="cell-head" office:value-type="string"><text:p text:style-name="Table_20_Heading">` + e(h) + "</text:p></table:table-cell>")
				}
				b.WriteString("</table:table-row></table:table-header-rows>\n")
				for _, r := range tb.Rows {
					b.WriteString("<table:table-row>")
					for ci := range ws {
						c := Cell{}
						if ci < len(r) {
							c = r[ci]
						}
						style, ps := "cell", "Table_20_Contents"
						text := e(c.Text)
						if _, ok := statusRGB[c.Status]; ok {
							style = "cell-" + c.Status
							text = `<text:span text:style-name="st-` + c.Status + `">` + text + "</text:span>"
						}
						if c.Mono {
							ps = "Table_20_Code"
						}
						if c.Tag != "" {
							text += `<text:line-break/><text:span text:style-name="tag">` + e(c.Tag) + "</text:span>"
						}
						b.WriteString(`<table:table-cell table:style-name="` + style + `" office:value-type="string"><text:p text:style-name="` + ps + `">` + text + "</text:p></table:table-cell>")
					}
					b.WriteString("</table:table-row>\n")
				}
				b.WriteString("</table:table>\n")
			case Figure:
				charts++
				c := bl.Chart
				name := fmt.Sprintf("Pictures/chart-%d.svg", charts)
				svg := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + c.SVG()
				// A picture needs a size: the chart's own width is the text's.
				svg = strings.Replace(svg, `width="100%"`, fmt.Sprintf(`width="%.2fcm" height="%.2fcm"`, textWidth, c.Size(textWidth)), 1)
				files = append(files, odt.File{Name: name, MediaType: "image/svg+xml", Data: []byte(svg)})
				b.WriteString(fmt.Sprintf(`<text:p text:style-name="Standard"><draw:frame draw:style-name="fr-chart" draw:name="chart%d" text:anchor-type="as-char" svg:width="%.2fcm" svg:height="%.2fcm"><draw:image xlink:href="%s" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/><svg:title>%s</svg:title><svg:desc>%s</svg:desc></draw:frame></text:p>`+"\n",
					charts, textWidth, c.Size(textWidth), name, e(c.Title), e(c.Title)))
				para("Caption", c.Title)
			}
		}
	}
	date := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if !d.Date.IsZero() {
		date = d.Date.Time()
	}
	return odt.Write(w, odt.Doc{Lang: d.Lang, Title: d.Title, Subject: d.Subtitle, Styles: odtStyles, AutoStyles: auto.String(),
		Body: b.String(), PageNumbers: true, Margins: [4]float64{1.8, 1.8, 2.2, 2.2}, Files: files,
		Date: date})
}
