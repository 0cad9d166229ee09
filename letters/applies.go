package letters

import (
	"slices"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

// Applies reports whether letter l can be used for the assessed system of
// d: one of the rules it rests on applies (an obligation of the assessment
// that a transitional provision does not spare, or a right of the
// assessment). Without an assessment every letter that fits the employer
// applies. When it does not, rule is the rule it rests on first and why
// says, in French and English, why it does not apply.
func Applies(l Letter, d Data) (ok bool, rule string, why Text) {
	if ok, _, _ := appliesOnly(l, d); ok {
		return true, "", Text{}
	}
	var spared *Obligation
	for _, id := range l.Required() {
		for i, o := range d.Obligations {
			if o.ID == id && spared == nil {
				spared = &d.Obligations[i]
			}
		}
	}
	b := law.MustLoad()
	rule = l.Required()[0]
	if spared != nil {
		rule = spared.ID
		why = Text{
			FR: spared.Title.FR + " ne s'applique pas à ce système : " + spared.Note.FR,
			EN: spared.Title.EN + " does not apply to this system: " + spared.Note.EN,
		}
	} else if r := b.Rule(rule); r != nil {
		why = Text{
			FR: r.Title.FR + " ne s'applique pas à ce système : son déclencheur (" + strings.TrimSuffix(lowerFirst(r.Trigger.FR), ".") + ") ne correspond pas à ses faits.",
			EN: r.Title.EN + " does not apply to this system: its trigger (" + strings.TrimSuffix(lowerFirst(r.Trigger.EN), ".") + ") does not match its facts.",
		}
	}
	if others := Offered(d); len(others) > 0 {
		var ids []string
		for _, o := range others {
			ids = append(ids, o.ID)
		}
		why.FR += " Lettres utilisables : " + strings.Join(ids, ", ") + "."
		why.EN += " Letters that can be used: " + strings.Join(ids, ", ") + "."
	}
	return false, rule, why
}

// CheckApplies is Applies as an EINVALID error naming the rule and why.
func CheckApplies(l Letter, d Data) error {
	ok, rule, why := Applies(l, d)
	if ok {
		return nil
	}
	return vigie.Errorf(vigie.EINVALID, "--template : la lettre %s repose sur %s, qui ne s'applique pas — %s / letter %s rests on %s, which does not apply — %s",
		l.ID, rule, why.FR, l.ID, rule, why.EN)
}

// Offered returns the letters of the catalogue that fit the employer of
// d.System, are usable on d.Date and rest on a rule that applies.
func Offered(d Data) []Letter {
	var out []Letter
	for _, l := range mustCatalogue() {
		if !l.Fits(d.System) || (!d.Date.IsZero() && !l.Available(d.Date)) {
			continue
		}
		if ok, _, _ := appliesOnly(l, d); ok {
			out = append(out, l.clone())
		}
	}
	return out
}

// appliesOnly is Applies without the list of other letters (no recursion).
func appliesOnly(l Letter, d Data) (bool, string, Text) {
	if !d.Assessed {
		return true, "", Text{}
	}
	for _, id := range l.Required() {
		for _, o := range d.Obligations {
			if o.ID == id && o.Status != "not_applicable" {
				return true, "", Text{}
			}
		}
		if slices.ContainsFunc(d.Rights, func(r Right) bool { return r.ID == id }) {
			return true, "", Text{}
		}
	}
	return false, l.Required()[0], Text{}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if len(r) > 1 && r[1] >= 'A' && r[1] <= 'Z' {
		return s
	}
	return strings.ToLower(string(r[0])) + string(r[1:])
}
