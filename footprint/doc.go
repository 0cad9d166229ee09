// Package footprint estimates the environmental footprint of generative-AI
// text requests with the EcoLogits method, then scales it to a deployment.
//
// The method is EcoLogits by GenAI Impact (Rincé & Banse, "EcoLogits:
// Evaluating the Environmental Impacts of Generative AI", JOSS 10(111):7471,
// 2025, doi:10.21105/joss.07471), reimplemented here from its published
// description (vigie's reference/footprint.md); the model table and the
// electricity mixes come from EcoLogits 0.9.1 (MPL-2.0).
package footprint

//go:generate go run gen.go
