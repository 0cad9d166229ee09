package vigie

import (
	"fmt"
	"slices"
	"strings"
)

// ConsultationFields are the facts of an entry of deployment.consultations,
// in file order, after its body.
var ConsultationFields = []string{"information_received_on", "expert_appointed", "levels", "information_sufficient", "opinion_on"}

// LegacyConsultationFields are the single-body fields of the deployment
// section: they mean the first body of organisation.staff_bodies.
var LegacyConsultationFields = []string{"staff_body_informed", "staff_body_consulted", "consultation_opened_on", "expert_appointed", "staff_body_opinion_on"}

// ConsultationPath is the fact path of a field of the consultation of body:
// deployment.consultations[cse].opinion_on. Evidence and questions name
// the facts of a consultation this way.
func ConsultationPath(body, field string) string {
	return "deployment.consultations[" + body + "]." + field
}

// SplitConsultationPath returns the body and field of a path made by
// ConsultationPath; ok is false for any other path.
func SplitConsultationPath(p string) (body, field string, ok bool) {
	rest, found := strings.CutPrefix(p, "deployment.consultations[")
	if !found {
		return "", "", false
	}
	body, field, found = strings.Cut(rest, "].")
	if !found || !slices.Contains(StaffBodies, body) || !slices.Contains(ConsultationFields, field) {
		return "", "", false
	}
	return body, field, true
}

// ConsultationPaths returns the fact paths of the consultations of every
// staff body, body by body in the order of StaffBodies.
func ConsultationPaths() []string {
	var out []string
	for _, b := range StaffBodies {
		for _, f := range ConsultationFields {
			out = append(out, ConsultationPath(b, f))
		}
	}
	return out
}

// AllFactPaths returns FactPaths followed by ConsultationPaths: every fact
// whose value Facts reports.
func AllFactPaths() []string { return append(FactPaths(), ConsultationPaths()...) }

// Consultation returns the entry of deployment.consultations for body.
func (s *System) Consultation(body string) (Consultation, bool) {
	for _, c := range s.Deployment.Consultations {
		if c.Body == body {
			return c, true
		}
	}
	return Consultation{}, false
}

// LegacyConsultationGiven lists the single-body fields the file gives (a
// known value), by path.
func (s *System) LegacyConsultationGiven() []string {
	d := s.Deployment
	var out []string
	add := func(given bool, f string) {
		if given {
			out = append(out, "deployment."+f)
		}
	}
	add(d.StaffBodyInformed.Known(), "staff_body_informed")
	add(d.StaffBodyConsulted.Known(), "staff_body_consulted")
	add(!d.ConsultationOpenedOn.IsZero(), "consultation_opened_on")
	add(d.ExpertAppointed.Known(), "expert_appointed")
	add(!d.StaffBodyOpinionOn.IsZero(), "staff_body_opinion_on")
	return out
}

// FirstStaffBody returns the first body of organisation.staff_bodies, the
// body the single-body fields are about, or "" when none is known.
func (s *System) FirstStaffBody() string {
	if b := s.Organisation.StaffBodies; b.Known && len(b.Items) > 0 {
		return b.Items[0]
	}
	return ""
}

// consultationFacts adds the facts of the consultations to out, for every
// body (unknown when the body has no entry).
func (s *System) consultationFacts(out map[string]string) {
	for _, b := range StaffBodies {
		c, ok := s.Consultation(b)
		for _, f := range ConsultationFields {
			v := Unknown
			if ok {
				v = c.fact(f)
			}
			out[ConsultationPath(b, f)] = v
		}
	}
}

// fact returns the value of a field of c as text.
func (c Consultation) fact(field string) string {
	switch field {
	case "information_received_on":
		return dateFact(c.InformationReceivedOn)
	case "expert_appointed":
		return c.ExpertAppointed.String()
	case "levels":
		if c.Levels == "" {
			return Unknown
		}
		return c.Levels
	case "information_sufficient":
		return c.InformationSufficient.String()
	case "opinion_on":
		return dateFact(c.OpinionOn)
	}
	return Unknown
}

func dateFact(d Date) string {
	if d.IsZero() {
		return Unknown
	}
	return d.String()
}

// CheckConsultations checks what the walk over the YAML tree cannot: each
// entry names its body, once, and the single-body fields and an entry do
// not both describe the first staff body. file names the input in the
// message; the error's Field is the field at fault.
func CheckConsultations(file string, s *System) error {
	seen := map[string]int{}
	for i, c := range s.Deployment.Consultations {
		p := fmt.Sprintf("deployment.consultations[%d].body", i)
		if c.Body == "" || c.Body == Unknown {
			return &Error{Code: EINVALID, Field: p, Message: fmt.Sprintf("%s: %s : l'instance est obligatoire (%s) / %s: the staff body is required (%s)",
				file, p, strings.Join(StaffBodies, ", "), p, strings.Join(StaffBodies, ", "))}
		}
		if j, dup := seen[c.Body]; dup {
			return &Error{Code: EINVALID, Field: p, Message: fmt.Sprintf("%s: %s : l'instance %s figure déjà en deployment.consultations[%d] / %s: body %s is already in deployment.consultations[%d]",
				file, p, c.Body, j, p, c.Body, j)}
		}
		seen[c.Body] = i
	}
	first := s.FirstStaffBody()
	if i, ok := seen[first]; ok && first != "" {
		if given := s.LegacyConsultationGiven(); len(given) > 0 {
			p := fmt.Sprintf("deployment.consultations[%d]", i)
			return &Error{Code: EINVALID, Field: given[0], Message: fmt.Sprintf(
				"%s: %s : ce champ décrit la première instance (%s), déjà décrite par %s ; n'utiliser qu'une des deux formes / %s: this field describes the first staff body (%s), already described by %s; use only one of the two forms",
				file, given[0], first, p, given[0], first, p)}
		}
	}
	return nil
}
