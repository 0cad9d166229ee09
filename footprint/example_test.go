package footprint_test

import (
	"fmt"

	"github.com/vigie-app/vigie/footprint"
)

// One 400-token answer of Mistral Large 2 in France (vector V4 of the
// reference), then 2,000 users × 20 requests a day × 220 days.
func ExampleEstimate() {
	users, perDay, days := footprint.Exact(2000), footprint.Exact(20), footprint.Exact(220)
	res, err := footprint.Estimate(footprint.Input{
		Model:          "mistral-large-latest",
		OutputTokens:   footprint.Exact(400),
		Zone:           "FRA",
		Users:          &users,
		RequestsPerDay: &perDay,
		Days:           &days,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Method)
	fmt.Println(footprint.FormatRange(res.PerRequest.EnergyKWh, "energy_kwh", "en"))
	fmt.Println(footprint.FormatRange(res.PerRequest.GWP.Range, "gwp_kgco2e", "en"))
	fmt.Println(footprint.FormatRange(res.PerYear.GWP.Range, "gwp_kgco2e", "fr"))
	// Output:
	// ecologits-0.9.1
	// 0.354 Wh
	// 44.1 mg CO2e
	// 388 kg CO2e
}
