package cite

import "testing"

func TestHTML(t *testing.T) {
	for _, c := range []struct{ in, page, want string }{
		{"A. de Vries, « The growing energy footprint of artificial intelligence », Joule, 2023", "fr",
			`A. de Vries, « <span lang="en">The growing energy footprint of artificial intelligence</span> », Joule, 2023`},
		{"Code du travail (Légifrance) ; Ordonnance n° 2017-1386 du 22 septembre 2017", "en",
			`<span lang="fr">Code du travail (Légifrance) ; Ordonnance n° 2017-1386 du 22 septembre 2017</span>`},
		{"Code du travail, art. L2312-8", "fr", "Code du travail, art. L2312-8"},
		{"Google, Environmental Report 2024", "fr", `<span lang="en">Google, Environmental Report 2024</span>`},
		{"Mistral AI, analyse de cycle de vie / Mistral AI, LCA of Mistral Large 2 (reviewed by Resilio and Hubblo)", "fr",
			`Mistral AI, analyse de cycle de vie / <span lang="en">Mistral AI, LCA of Mistral Large 2 (reviewed by Resilio and Hubblo)</span>`},
		{"IEA, Electricity 2024", "en", "IEA, Electricity 2024"},
		{"<b>« The report »</b>", "fr", `&lt;b&gt;« <span lang="en">The report</span> »&lt;/b&gt;`},
	} {
		if got := HTML(c.in, c.page); got != c.want {
			t.Errorf("HTML(%q, %s)\n got %s\nwant %s", c.in, c.page, got, c.want)
		}
	}
}
