// Package audit is vigie's discrimination audit engine: it streams a file of
// individual decisions or scores once, counts per group, and reports group
// disparities with honest statistics. It is pure: data in, report out; it
// reads the io.Reader it is given and nothing else.
//
// # Use
//
//	thr := 0.5
//	rep, err := audit.RunFile(ctx, "scores.csv", audit.Config{
//		Groups:    []string{"sexe", "nationalite"},
//		Score:     "score", Threshold: &thr,      // flagged iff score >= 0.5
//		Label:     "fraude_constatee",            // optional observed outcome
//		Direction: audit.Adverse,                 // being flagged harms the person
//	})
//	json.NewEncoder(w).Encode(rep)               // the vigie/audit/v1 contract
//	rep.WriteText(w, "fr")                       // plain language, or "en"
//	rep.WriteHTML(w, "fr")                       // tables and SVG charts
//
// [Run] takes any io.Reader (CSV; Parquet needs an io.ReaderAt such as an
// *os.File) and [RunFile] a path. [ReadHeader] and [ReadHeaderFile] read
// only the header (and five sample rows) so that a form can offer the
// columns. Errors in the input or the configuration are *vigie.Error with
// code vigie.EINVALID and a message in French then English (" / ")
// naming the file, line, column or flag; a report is returned only whole.
// A [Report] survives a JSON round trip: a stored report renders the same
// text ([Report.WriteText]), HTML ([Report.WriteHTML]) and sentences
// ([Report.Sentence]) as the one computed.
//
// # Reading
//
// CSV: the delimiter (, ; tab |, or runs of blanks) and the encoding (UTF-8
// or Windows-1252) are detected on the first MiB, a UTF-8 BOM is skipped,
// duplicated header names are renamed name.2, name.3… with a warning. Two
// readers implement the same grammar (see csv.go): a parallel one that cuts
// the input into 1 MiB blocks at record boundaries (quote-aware, so quoted
// newlines are handled) and parses them on Config.Workers goroutines, and
// a careful sequential byte-by-byte reader; tests and a fuzz target check
// they give identical counts. Parquet is read with apache/arrow-go's
// parquet/file column readers, only the used columns, one row group at a
// time, in batches of 4096 rows. Memory
// is bounded by the number of groups (at most Config.MaxGroups values per
// attribute), never by the number of rows.
//
// A row with a missing or invalid value in a used column is excluded and
// counted by reason (input.exclusions), with the first such line.
//
// # Statistics
//
// Per group: TP, FP, FN, TN (with a label) and the rates pprev, fpr, fnr,
// tpr, tnr, precision, fdr, npv, for, prev, each with its Wilson 95 %
// interval. Against the reference group (Config.Reference, else the largest,
// ties to the lexically first value): ratio with Katz interval, difference
// with Newcombe interval, exact band membership on counts, the excess count
// x − p_ref·n, a two-proportion z test or Fisher's exact test when an
// expected count is below 5, Holm (and Benjamini–Hochberg) adjustment over
// every comparison of the report. Verdict: "disparity" when the ratio
// interval lies outside [0.8, 1.25] and the Holm-adjusted p < Alpha,
// "parity" when it lies inside, otherwise "insufficient" — always when a
// denominator is below MinN. A ratio whose reference rate is 0 is null with
// its reason, never capped. With Intersect the combinations of the group
// columns are one more attribute; every attribute gets the smoothed
// empirical differential fairness ε (Foulds et al. 2020) with the pair of
// groups and the term that attain it. The definitions and the test vectors
// are in docs/audit.md.
//
// The direction is explicit: the flag is the event counted; Config.Direction
// says whether it is adverse or favourable to the person, and every output
// says so.
package audit
