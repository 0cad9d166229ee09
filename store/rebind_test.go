package store

import "testing"

func TestRebind(t *testing.T) {
	q := "SELECT a FROM t WHERE x = ? AND y IN (?, ?) LIMIT ?"
	if got := rebind(SQLite, q); got != q {
		t.Fatalf("sqlite: %q", got)
	}
	if got, want := rebind(Postgres, q), "SELECT a FROM t WHERE x = $1 AND y IN ($2, $3) LIMIT $4"; got != want {
		t.Fatalf("postgres: %q, want %q", got, want)
	}
	if got := rebind(Postgres, "SELECT 1"); got != "SELECT 1" {
		t.Fatalf("no placeholder: %q", got)
	}
}

func TestSearchTextKeepsEachWordOnce(t *testing.T) {
	got := searchText("Contrôle fiscal", "DGFiP", "Listes de contrôle : le contrôle fiscal ciblé")
	if want := "controle fiscal dgfip listes de : le cible"; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
	if Fold("Évaluation ŒUVRE Ça l’outil") != "evaluation oeuvre ca l'outil" {
		t.Fatalf("Fold: %q", Fold("Évaluation ŒUVRE Ça l’outil"))
	}
}
