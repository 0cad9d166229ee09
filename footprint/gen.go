//go:build ignore

// gen.go converts the unmodified EcoLogits files in testdata/ecologits-0.9.1
// into vigie's embedded format in data/. Run it with `go generate ./footprint`.
// TestGeneratedDataUpToDate fails if the committed files differ from its output.
package main

import (
	"log"
	"os"

	"github.com/vigie-app/vigie/footprint/internal/convert"
)

func main() {
	models, err := os.ReadFile("testdata/ecologits-0.9.1/models.json")
	if err != nil {
		log.Fatal(err)
	}
	mixes, err := os.ReadFile("testdata/ecologits-0.9.1/electricity_mixes.csv")
	if err != nil {
		log.Fatal(err)
	}
	m, err := convert.Models(models, convert.EcoLogits091)
	if err != nil {
		log.Fatal(err)
	}
	z, err := convert.Zones(mixes, convert.EcoLogits091)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("data/ecologits-0.9.1-models.json", m, 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("data/ecologits-0.9.1-zones.json", z, 0o644); err != nil {
		log.Fatal(err)
	}
}
