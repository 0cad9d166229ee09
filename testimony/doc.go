// Package testimony holds the anonymous questionnaire that workers answer
// about an AI system, and the rules that keep them untraceable: the
// questions as data (questions.yaml, versioned, French and English), the
// aggregation of answers with a minimum group size and complementary
// suppression, and the conversion of a closed campaign's results into
// evidence for the system's work.* facts.
//
// The package is pure: no database, no clock, no network. The store keeps
// the answers (with the ISO week of their submission only) and the web and
// command-line adapters feed them here.
//
// Suppression. A count is shown only when it is 0 or at least the minimum
// group size k (default 5). When a table hides a count, it hides others
// until the hidden counts are at least two and together hold at least k
// answers, so that no hidden count can be derived from the total and the
// shown ones. Nothing is shown while fewer than k answered. A breakdown by
// work unit is shown for a question only when every one of its cells,
// including the row of answers that gave no unit, is 0 or at least k, so
// that no difference between a unit and the whole reveals a small group.
package testimony
