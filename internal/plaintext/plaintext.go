// Package plaintext finds, for the tests of several packages, what a
// sentence a user reads must not hold: a rule or procedure id, a fact path
// of the system file, an identifier with underscores, a command-line flag.
// Things are named by their title; ids may only be small secondary tags.
package plaintext

import (
	"regexp"
	"slices"
)

// Faults returns what is wrong with text: the ids (among ids), fact paths,
// identifiers and flags it contains.
func Faults(text string, ids []string) []string {
	var out []string
	for _, m := range idPattern.FindAllString(text, -1) {
		if slices.Contains(ids, m) {
			out = append(out, "id "+m)
		}
	}
	for _, m := range pathPattern.FindAllString(text, -1) {
		out = append(out, "fact path "+m)
	}
	text = pathPattern.ReplaceAllString(text, " ")
	for _, m := range snakePattern.FindAllString(text, -1) {
		out = append(out, "identifier "+m)
	}
	for _, m := range flagPattern.FindAllStringSubmatch(text, -1) {
		out = append(out, "flag "+m[1])
	}
	return out
}

var (
	// idPattern finds the words that look like a rule or procedure id
	// (AIA-26-7, CT-NT, PROC-A); Faults keeps those that are ids.
	idPattern = regexp.MustCompile(`\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b`)
	// pathPattern is word.word where a word has an underscore or a bracket,
	// or starts with a section of the system file.
	pathPattern = regexp.MustCompile(`\b(?:(?:organisation|deployment|purpose|capabilities|decisions|data|work|usage|jobs|embodied)(?:\.[a-z][a-z_]*(?:\[[a-z_]+\])?)+|[a-z]+(?:_[a-z]+)+\.[a-z_]+|[a-z_]+\[[a-z_]+\](?:\.[a-z_]+)?)`)
	// snakePattern is an identifier with an underscore (in_progress,
	// ai_act_role).
	snakePattern = regexp.MustCompile(`\b[a-z]+(?:_[a-z0-9]+)+\b`)
	flagPattern  = regexp.MustCompile(`(?:^|[\s(«"“])(--[a-z][a-z-]*)`)
)
