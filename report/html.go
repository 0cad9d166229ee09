package report

import (
	"html"
	"io"
	"strings"

	"github.com/vigie-app/vigie/cite"
)

// htmlStyle is the dossier's stylesheet: readable on a screen from 390 px
// and printed on A4 with a page break before each section. The page loads
// nothing from elsewhere and runs no script.
const htmlStyle = `
:root{--ink:#111827;--muted:#4b5563;--rule:#d1d5db;--met:#166534;--met-bg:#dcfce7;--unmet:#991b1b;--unmet-bg:#fee2e2;
--unknown:#92400e;--unknown-bg:#fef3c7;--upcoming:#1e40af;--upcoming-bg:#dbeafe;--na:#374151;--na-bg:#f3f4f6}
*{box-sizing:border-box}
body{font-family:"Liberation Serif","Times New Roman",serif;color:var(--ink);line-height:1.45;margin:0 auto;max-width:52rem;padding:1rem;font-size:1.02rem}
h1,h2,h3{font-family:"Liberation Sans",Arial,sans-serif;line-height:1.2}
h1{font-size:1.9rem;margin:.2rem 0 .4rem}
h2{font-size:1.35rem;border-bottom:2px solid var(--ink);padding-bottom:.2rem;margin-top:2.2rem}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
.cover{border:2px solid var(--ink);padding:1.2rem;margin-bottom:1.5rem}
.cover .sub{color:var(--muted);margin:0 0 1rem}
dl.fields{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.25rem 1rem;margin:.6rem 0}
dl.fields dt{font-weight:bold} dl.fields dd{margin:0}
nav.toc ol{padding-left:1.4rem} nav.toc a{color:var(--ink)}
.scroll{overflow-x:auto;margin:.5rem 0 1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border:1px solid var(--rule);padding:.3rem .4rem;text-align:left;vertical-align:top}
thead th{background:#f3f4f6}
td.mono,td.mono code{font-family:"Liberation Mono",monospace;font-size:.78rem;word-break:break-all}
.tag{font-family:"Liberation Sans",Arial,sans-serif;font-size:.72rem;color:var(--muted);white-space:nowrap}
.st{font-weight:bold;white-space:nowrap}
.st::before{display:inline-block;width:1.1em}
.st-met{color:var(--met);background:var(--met-bg)} .st-met::before{content:"✓"}
.st-unmet,.st-high,.st-disparity{color:var(--unmet);background:var(--unmet-bg)} .st-unmet::before{content:"✗"}
.st-unknown,.st-medium{color:var(--unknown);background:var(--unknown-bg)} .st-unknown::before{content:"?"}
.st-upcoming,.st-in_progress{color:var(--upcoming);background:var(--upcoming-bg)} .st-upcoming::before,.st-in_progress::before{content:"→"}
.st-not_applicable,.st-low,.st-parity{color:var(--na);background:var(--na-bg)} .st-not_applicable::before{content:"–"}
.warning{border-left:4px solid var(--unknown);background:var(--unknown-bg);padding:.4rem .6rem;margin:.5rem 0}
figure{margin:.8rem 0 1rem} figcaption{font-size:.9rem;color:var(--muted)}
figure svg{display:block;max-width:100%;height:auto}
details{font-size:.85rem;margin:.3rem 0}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--rule);padding-top:.5rem}
@media (max-width:40rem){dl.fields{grid-template-columns:1fr;gap:0} dl.fields dd{margin-bottom:.4rem}}
@page{size:A4;margin:18mm 16mm 20mm}
@media print{
body{max-width:none;padding:0;font-size:10.5pt}
section.sec{break-before:page}
.cover{break-after:page;border:none;padding:0}
h2,h3{break-after:avoid} tr,figure{break-inside:avoid}
.scroll{overflow:visible} details{display:none}
table{font-size:8.5pt} a{color:inherit;text-decoration:none}
}
`

// WriteHTML writes the dossier as one self-contained HTML page.
func (d *Dossier) WriteHTML(w io.Writer) error {
	var b strings.Builder
	e := html.EscapeString
	b.WriteString("<!DOCTYPE html>\n<html lang=\"" + e(d.Lang) + "\"><head><meta charset=\"utf-8\">\n")
	b.WriteString(`<meta name="viewport" content="width=device-width, initial-scale=1">` + "\n")
	b.WriteString("<title>" + e(d.Title) + "</title>\n<style>" + htmlStyle + "</style></head><body>\n")
	d.writeHTMLBody(&b)
	b.WriteString("</body></html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// HTMLBody returns the dossier without its page head, to be previewed
// inside another page; the page must carry Style.
func (d *Dossier) HTMLBody() string {
	var b strings.Builder
	d.writeHTMLBody(&b)
	return b.String()
}

// Style is the stylesheet of the dossier's HTML.
func Style() string { return htmlStyle }

func (d *Dossier) writeHTMLBody(b *strings.Builder) {
	e := html.EscapeString
	t := func(fr, en string) string { return pick(d.Lang, fr, en) }
	b.WriteString(`<header class="cover"><h1>` + e(d.Title) + `</h1><p class="sub">` + e(d.Subtitle) + "</p>\n")
	writeFields(b, d.Cover)
	b.WriteString(`<nav class="toc" aria-label="` + e(t("Sommaire", "Contents")) + `"><h2>` + e(t("Sommaire", "Contents")) + "</h2><ol>")
	for _, s := range d.Sections {
		b.WriteString(`<li><a href="#` + e(s.ID) + `">` + e(s.Title) + "</a></li>")
	}
	b.WriteString("</ol></nav></header>\n")
	for _, s := range d.Sections {
		b.WriteString(`<section class="sec" id="` + e(s.ID) + `"><h2>` + e(s.Title) + "</h2>\n")
		for _, bl := range s.Blocks {
			writeBlock(b, bl, d.Lang)
		}
		b.WriteString("</section>\n")
	}
	b.WriteString("<footer>" + e(t("Dossier établi avec vigie ; chaque chiffre se reproduit par la commande indiquée en annexe.", "Dossier made with vigie; every figure can be reproduced by the command given in the annex.")) + "</footer>\n")
}

func writeFields(b *strings.Builder, fs []Field) {
	e := html.EscapeString
	b.WriteString(`<dl class="fields">`)
	for _, f := range fs {
		b.WriteString("<dt>" + e(f.Label) + "</dt><dd>" + e(f.Value) + "</dd>")
	}
	b.WriteString("</dl>\n")
}

func writeBlock(b *strings.Builder, bl Block, lang string) {
	e := html.EscapeString
	switch bl.Kind {
	case Heading:
		b.WriteString("<h3>" + e(bl.Text) + "</h3>\n")
	case Paragraph:
		if bl.Text != "" {
			b.WriteString("<p>" + e(bl.Text) + "</p>\n")
		}
	case Warning:
		b.WriteString(`<p class="warning">⚠ ` + e(bl.Text) + "</p>\n")
	case List:
		b.WriteString("<ul>")
		for i, it := range bl.Items {
			// A cited source keeps the language of the work it names.
			if i < len(bl.Cites) && bl.Cites[i] != "" {
				if k := strings.LastIndex(it, bl.Cites[i]); k >= 0 {
					b.WriteString("<li>" + e(it[:k]) + cite.HTML(bl.Cites[i], lang) + e(it[k+len(bl.Cites[i]):]) + "</li>")
					continue
				}
			}
			b.WriteString("<li>" + e(it) + "</li>")
		}
		b.WriteString("</ul>\n")
	case Fields:
		writeFields(b, bl.Fields)
	case Table:
		writeTable(b, bl.Table)
	case Figure:
		c := bl.Chart
		b.WriteString("<figure>" + c.SVG() + "<figcaption>" + e(c.Title) + "</figcaption>")
		b.WriteString("<details><summary>" + e(pick(lang, "Les mêmes chiffres en tableau", "The same figures as a table")) + "</summary>" + c.TableHTML() + "</details></figure>\n")
	}
}

// tagHTML is an id shown as a small secondary tag after a text.
func tagHTML(tag string) string {
	if tag == "" {
		return ""
	}
	return ` <small class="tag">` + html.EscapeString(tag) + "</small>"
}

func writeTable(b *strings.Builder, t *TableData) {
	e := html.EscapeString
	b.WriteString(`<div class="scroll"><table>`)
	if t.Caption != "" {
		b.WriteString("<caption>" + e(t.Caption) + "</caption>")
	}
	b.WriteString("<thead><tr>")
	for _, h := range t.Head {
		b.WriteString(`<th scope="col">` + e(h) + "</th>")
	}
	b.WriteString("</tr></thead><tbody>")
	for _, r := range t.Rows {
		b.WriteString("<tr>")
		for _, c := range r {
			switch {
			case c.Status != "":
				b.WriteString(`<td><span class="st st-` + e(c.Status) + `">` + e(c.Text) + "</span></td>")
			case c.Mono:
				b.WriteString(`<td class="mono"><code>` + e(c.Text) + "</code></td>")
			case c.Lang != "":
				b.WriteString(`<td><span lang="` + e(c.Lang) + `">` + e(c.Text) + "</span>" + tagHTML(c.Tag) + "</td>")
			default:
				b.WriteString("<td>" + e(c.Text) + tagHTML(c.Tag) + "</td>")
			}
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table></div>\n")
}
