package audit

// LeastFlagged returns, for the attribute named attr, the group with the
// lowest selection rate (pprev: the share of people flagged) among the
// groups of at least minN people, the larger group winning a tie. It is
// the reference a meeting reads most easily: every other group is then
// flagged as often or more. ok is false when no group has minN people or
// a selection rate.
func (r *Report) LeastFlagged(attr string, minN int) (value string, ok bool) {
	var best *Group
	var bestRate float64
	for i := range r.Attributes {
		a := &r.Attributes[i]
		if a.Name != attr {
			continue
		}
		for j := range a.Groups {
			g := &a.Groups[j]
			m, has := g.Metrics["pprev"]
			if !has || m.Value == nil || g.N < int64(minN) {
				continue
			}
			if best == nil || *m.Value < bestRate || *m.Value == bestRate && g.N > best.N {
				best, bestRate = g, *m.Value
			}
		}
	}
	if best == nil {
		return "", false
	}
	return best.Value, true
}
