package chart_test

import (
	"fmt"
	"strings"

	"github.com/vigie-app/vigie/chart"
)

func Example() {
	c := chart.Chart{ID: "risks", Title: "Priorité des risques", Mark: chart.Bar,
		Axis: chart.Axis{Min: 0, Max: 9, Ticks: []chart.Tick{{Value: 0}, {Value: 3}, {Value: 6}, {Value: 9}}},
		Rows: []chart.Row{
			{Label: "Surveillance", Value: chart.V(9), Colour: "#b91c1c", Note: "élevée"},
			{Label: "Intensification", Value: chart.V(4), Colour: "#b45309", Note: "moyenne"},
		}}
	svg := c.SVG() // for a page or an ODT; c.DrawPDF draws the same in a PDF
	fmt.Println(strings.Count(svg, "<rect"), strings.Contains(svg, `<title id="risks-title">Priorité des risques</title>`))
	_, rows := c.Table()
	fmt.Println(rows)
	// Output:
	// 2 true
	// [[Surveillance élevée] [Intensification moyenne]]
}
