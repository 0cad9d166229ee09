package web

import (
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/vigie-app/vigie"
)

// The system form shows one block per staff body of the organisation for
// its consultation (deployment.consultations): the bodies the system's
// facts list, and any body that already has an entry. Each field is posted
// under its fact path, deployment.consultations[cse].opinion_on.

// consultBlock is the block of one staff body.
type consultBlock struct {
	Body   string
	Fields []consultField
}

// consultField is one field of a block.
type consultField struct {
	Path, Name, Kind string
	Options          []string
}

// ID is the HTML id of the field's input.
func (f consultField) ID() string { return fid(f.Path) }

// consultKinds gives the form kind of each field of a consultation.
var consultKinds = map[string]string{
	"information_received_on": kindDate, "expert_appointed": kindTri, "levels": kindEnum,
	"information_sufficient": kindTri, "opinion_on": kindDate,
}

// consultBlocks returns the blocks to show for the staff bodies in st (the
// values of organisation.staff_bodies) and the bodies with an entry.
func consultBlocks(st *formState) []consultBlock {
	var out []consultBlock
	for _, b := range vigie.StaffBodies {
		show := slices.Contains(st.Sets["organisation.staff_bodies"], b)
		for _, f := range vigie.ConsultationFields {
			if v := st.Values[vigie.ConsultationPath(b, f)]; v != "" && v != vigie.Unknown {
				show = true
			}
		}
		if !show {
			continue
		}
		blk := consultBlock{Body: b}
		for _, f := range vigie.ConsultationFields {
			cf := consultField{Path: vigie.ConsultationPath(b, f), Name: f, Kind: consultKinds[f]}
			if f == "levels" {
				cf.Options = vigie.Enums["deployment.consultations.levels"]
			}
			blk.Fields = append(blk.Fields, cf)
		}
		out = append(out, blk)
	}
	return out
}

// consultState adds the consultation facts of s to st.
func consultState(s *vigie.System, st *formState) {
	facts := s.Facts()
	for _, p := range vigie.ConsultationPaths() {
		v := facts[p]
		_, f, _ := vigie.SplitConsultationPath(p)
		if v == vigie.Unknown && consultKinds[f] != kindTri {
			v = ""
		}
		st.Values[p] = v
	}
}

// parseConsultations reads the blocks of the form into s: an entry for each
// body with at least one known field. A body described both by its block
// and by the single-body fields is an error on those fields, as in a file.
func parseConsultations(form url.Values, s *vigie.System, st *formState, errs map[string]fieldError) {
	// A field of a consultation that is no body's field (a forged body or
	// field name) is refused under its own name.
	for k := range form {
		if strings.HasPrefix(k, "deployment.consultations") {
			if _, _, ok := vigie.SplitConsultationPath(k); !ok {
				errs[k] = fieldError{ID: "err.consult.field"}
			}
		}
	}
	var cs []vigie.Consultation
	for _, b := range vigie.StaffBodies {
		c := vigie.Consultation{Body: b}
		known := false
		for _, f := range vigie.ConsultationFields {
			p := vigie.ConsultationPath(b, f)
			raw := strings.TrimSpace(form.Get(p))
			st.Values[p] = raw
			if raw == "" || raw == vigie.Unknown {
				if consultKinds[f] == kindTri {
					st.Values[p] = vigie.Unknown
				}
				continue
			}
			switch f {
			case "information_received_on", "opinion_on":
				d, err := vigie.ParseDate(raw)
				if err != nil {
					errs[p] = fieldError{ID: "err.date"}
					continue
				}
				if f == "opinion_on" {
					c.OpinionOn = d
				} else {
					c.InformationReceivedOn = d
				}
			case "expert_appointed", "information_sufficient":
				t, err := vigie.ParseTri(raw)
				if err != nil {
					errs[p] = fieldError{ID: "err.tri"}
					continue
				}
				if f == "expert_appointed" {
					c.ExpertAppointed = t
				} else {
					c.InformationSufficient = t
				}
				if !t.Known() {
					continue
				}
			case "levels":
				if !slices.Contains(vigie.Enums["deployment.consultations.levels"], raw) {
					errs[p] = fieldError{ID: "err.choice"}
					continue
				}
				c.Levels = raw
			}
			known = true
		}
		if known {
			cs = append(cs, c)
		}
	}
	s.Deployment.Consultations = cs
	if err := vigie.CheckConsultations("form", s); err != nil {
		var e *vigie.Error
		if errors.As(err, &e) && e.Field != "" {
			errs[e.Field] = fieldError{ID: "err.consult.both"}
		}
	}
}
