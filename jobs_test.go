package vigie_test

import (
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

const jobsFile = `schema: vigie/system/v1
name: Synthèses générées
jobs:
  posts_cut: 217
  posts_threatened: null
  posts_created: 23
  announced_on: 2023-09-05
  procedure: pse
  dismissals_30_days: 209
evidence:
  - fact: jobs.posts_cut
    source: employer
    document: "document d'information-consultation, p. 2"
    date: 2023-09-05
`

func TestParseJobs(t *testing.T) {
	s, err := vigie.ParseSystem("jobs.yaml", []byte(jobsFile))
	if err != nil {
		t.Fatal(err)
	}
	j := s.Jobs
	if j == nil || j.PostsCut != vigie.IntOf(217) || j.PostsThreatened.Known || j.PostsCreated != vigie.IntOf(23) ||
		j.AnnouncedOn.String() != "2023-09-05" || j.Procedure != vigie.ProcedurePSE || j.Dismissals30Days != vigie.IntOf(209) {
		t.Fatalf("jobs decoded as %+v", j)
	}
	if !vigie.IsFactPath("jobs.posts_cut") || !vigie.IsFactPath("jobs.dismissals_30_days") {
		t.Error("jobs.* are not fact paths")
	}
	if got := s.Facts()["jobs.procedure"]; got != "pse" {
		t.Errorf("Facts()[jobs.procedure] = %q", got)
	}
	// A file without jobs has them unknown.
	s2, err := vigie.ParseSystem("nojobs.yaml", []byte("schema: vigie/system/v1\nname: x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s2.Jobs != nil || s2.Facts()["jobs.posts_cut"] != "unknown" {
		t.Errorf("missing jobs: %+v %q", s2.Jobs, s2.Facts()["jobs.posts_cut"])
	}
}

func TestParseJobsErrors(t *testing.T) {
	for _, tc := range []struct{ repl, path string }{
		{"procedure: pse", "jobs.procedure"},
		{"posts_cut: 217", "jobs.posts_cut"},
		{"announced_on: 2023-09-05", "jobs.announced_on"},
	} {
		bad := map[string]string{
			"procedure: pse":           "procedure: licenciement",
			"posts_cut: 217":           "posts_cut: -3",
			"announced_on: 2023-09-05": "announced_on: 2023-13-40",
		}[tc.repl]
		_, err := vigie.ParseSystem("jobs.yaml", []byte(strings.Replace(jobsFile, tc.repl, bad, 1)))
		if vigie.ErrorCode(err) != vigie.EINVALID || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s: got %v, want EINVALID naming %s", bad, err, tc.path)
		}
	}
	_, err := vigie.ParseSystem("jobs.yaml", []byte(strings.Replace(jobsFile, "fact: jobs.posts_cut", "fact: jobs.posts_lost", 1)))
	if vigie.ErrorCode(err) != vigie.EINVALID || !strings.Contains(err.Error(), "jobs.posts_lost") {
		t.Errorf("evidence on an unknown jobs fact: %v", err)
	}
}

func TestCheckSharing(t *testing.T) {
	for in, want := range map[string]string{"": "section", "section": "section", "federation": "federation", "public": "public"} {
		if got, err := vigie.CheckSharing("sharing", in); err != nil || got != want {
			t.Errorf("CheckSharing(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := vigie.CheckSharing("--share", "everyone"); vigie.ErrorCode(err) != vigie.EINVALID || !strings.Contains(err.Error(), "--share") {
		t.Errorf("CheckSharing(everyone) = %v", err)
	}
}
