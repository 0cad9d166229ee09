package plaintext

import "testing"

// The patterns find what they must and leave plain sentences alone.
func TestPlainFaults(t *testing.T) {
	ids := []string{"AIA-FR", "CT-NT", "PROC-A"}
	for _, c := range []struct {
		text string
		want int
	}{
		{"Voir AIA-FR.", 1},
		{"la procédure PROC-A", 1},
		{"deployment.consultations[cse].opinion_on est inconnu", 1},
		{"le fait organisation.headcount", 1},
		{"statut in_progress", 1},
		{"relancer avec --expert", 1},
		{"Règlement (UE) 2024/1689, art. 26(7) ; RG 24/01457", 0},
		{"L'avis du CSE (L2312-8) est réputé rendu. Article 5(1)(f).", 0},
		{"TJ Nanterre, n° 25/02856 ; COVID-19 ; e.g. a data subject", 0},
		{"deux tirets -- puis un mot", 0},
	} {
		if got := Faults(c.text, ids); len(got) != c.want {
			t.Errorf("%q: %v, want %d fault(s)", c.text, got, c.want)
		}
	}
}
