package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/vigie-app/vigie"
)

// orgForm is the data of the new-organisation page.
type orgForm struct {
	Name, Kind, ParentID string
	Parents              []vigie.Membership // organisations the user administers
	Errors               map[string]string
}

func adminOf(u *vigie.User) []vigie.Membership {
	var out []vigie.Membership
	for _, m := range u.Memberships {
		if m.Role == vigie.RoleAdmin {
			out = append(out, m)
		}
	}
	return out
}

func (s *Server) handleOrgForm(w http.ResponseWriter, r *http.Request) {
	parents := adminOf(currentUser(r))
	if len(parents) == 0 {
		s.fail(w, r, vigie.Errorf(vigie.EFORBIDDEN, "droits insuffisants / not allowed"))
		return
	}
	s.render(w, r, http.StatusOK, "org_new", s.page(r, "org.new", &orgForm{Kind: vigie.OrgSection, Parents: parents, Errors: map[string]string{}}))
}

// handleOrgCreate creates an organisation; its creator becomes its admin.
// Only an admin of some organisation may create one.
func (s *Server) handleOrgCreate(w http.ResponseWriter, r *http.Request) {
	parents := adminOf(currentUser(r))
	if len(parents) == 0 {
		s.fail(w, r, vigie.Errorf(vigie.EFORBIDDEN, "droits insuffisants / not allowed"))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	f := &orgForm{Name: strings.TrimSpace(r.PostForm.Get("name")), Kind: r.PostForm.Get("kind"), ParentID: r.PostForm.Get("parent_id"),
		Parents: parents, Errors: map[string]string{}}
	if f.Name == "" {
		f.Errors["name"] = "err.required"
	}
	if !slices.Contains([]string{vigie.OrgSection, vigie.OrgUnion, vigie.OrgFederation}, f.Kind) {
		f.Errors["kind"] = "err.choice"
	}
	if f.ParentID != "" && !slices.ContainsFunc(parents, func(m vigie.Membership) bool { return m.OrgID == f.ParentID }) {
		f.Errors["parent_id"] = "err.choice"
	}
	if len(f.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "org_new", s.page(r, "org.new", f))
		return
	}
	o := &vigie.Organisation{Name: f.Name, Kind: f.Kind, ParentID: f.ParentID}
	if err := s.cfg.Orgs.CreateOrganisation(r.Context(), o); err != nil {
		if c := vigie.ErrorCode(err); c == vigie.EINVALID || c == vigie.ECONFLICT {
			f.Errors["name"] = vigie.ErrorMessage(err)
			s.render(w, r, statusOf(err), "org_new", s.page(r, "org.new", f))
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.org")
	http.Redirect(w, r, "/o/"+o.ID+"/systems", http.StatusSeeOther)
}

// workplacesData is the data of the workplaces page.
type workplacesData struct {
	Workplaces []*vigie.Workplace
	Edit       *vigie.Workplace // the workplace in the form (new when ID is "")
	Headcount  string
	Errors     map[string]string
}

func (s *Server) handleWorkplaces(w http.ResponseWriter, r *http.Request) {
	wps, err := s.cfg.Workplaces.FindWorkplaces(r.Context(), currentOrg(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &workplacesData{Workplaces: wps, Edit: &vigie.Workplace{}, Errors: map[string]string{}}
	if id := r.URL.Query().Get("edit"); id != "" {
		for _, wp := range wps {
			if wp.ID == id {
				d.Edit = wp
				if wp.Headcount.Known {
					d.Headcount = strconv.Itoa(wp.Headcount.V)
				}
			}
		}
	}
	s.render(w, r, http.StatusOK, "workplaces", s.page(r, "workplaces.title", d))
}

func (s *Server) handleWorkplaceSave(w http.ResponseWriter, r *http.Request) {
	org := currentOrg(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	wps, err := s.cfg.Workplaces.FindWorkplaces(r.Context(), org.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	wp := &vigie.Workplace{OrgID: org.ID}
	if id := r.PostForm.Get("id"); id != "" {
		i := slices.IndexFunc(wps, func(x *vigie.Workplace) bool { return x.ID == id })
		if i < 0 {
			s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "lieu de travail introuvable / workplace not found"))
			return
		}
		c := *wps[i]
		wp = &c
	}
	d := &workplacesData{Workplaces: wps, Edit: wp, Errors: map[string]string{}}
	wp.Name = strings.TrimSpace(r.PostForm.Get("name"))
	wp.Kind = r.PostForm.Get("kind")
	wp.StaffBody = r.PostForm.Get("staff_body")
	wp.Sector = strings.TrimSpace(r.PostForm.Get("sector"))
	d.Headcount = strings.TrimSpace(r.PostForm.Get("headcount"))
	if wp.Name == "" {
		d.Errors["name"] = "err.required"
	}
	if wp.Kind != "" && !slices.Contains(vigie.Enums["organisation.kind"], wp.Kind) {
		d.Errors["kind"] = "err.choice"
	}
	if wp.StaffBody != "" && !slices.Contains(vigie.Enums["organisation.staff_bodies"], wp.StaffBody) {
		d.Errors["staff_body"] = "err.choice"
	}
	wp.Headcount = vigie.OptInt{}
	if d.Headcount != "" {
		n, err := strconv.Atoi(d.Headcount)
		if err != nil || n < 0 {
			d.Errors["headcount"] = "err.int"
		} else {
			wp.Headcount = vigie.IntOf(n)
		}
	}
	if len(d.Errors) == 0 {
		if wp.ID == "" {
			err = s.cfg.Workplaces.CreateWorkplace(r.Context(), wp)
		} else {
			err = s.cfg.Workplaces.UpdateWorkplace(r.Context(), wp)
		}
		if err == nil {
			s.setFlash(r, "flash.workplace")
			http.Redirect(w, r, "/o/"+org.ID+"/workplaces", http.StatusSeeOther)
			return
		}
		if c := vigie.ErrorCode(err); c != vigie.EINVALID && c != vigie.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		field := "name"
		var e *vigie.Error
		if asVigie(err, &e) && e.Field != "" {
			field = e.Field
		}
		d.Errors[field] = vigie.ErrorMessage(err)
	}
	s.render(w, r, http.StatusUnprocessableEntity, "workplaces", s.page(r, "workplaces.title", d))
}

// membersData is the data of the members page.
type membersData struct {
	Members []vigie.Membership
	// Invitations are the pending invitations of the organisation.
	Invitations []*vigie.Invitation
	Users       map[string]*vigie.User
	Email       string
	Role        string
	Error       string
	// Account is the form that creates an account (accounts.go).
	Account *accountForm
}

func (s *Server) membersPage(w http.ResponseWriter, r *http.Request, status int, d *membersData) {
	ms, err := s.cfg.Orgs.Members(r.Context(), currentOrg(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Members = ms
	if d.Invitations, err = s.cfg.Orgs.Invitations(r.Context(), currentOrg(r).ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Role == "" {
		d.Role = string(vigie.RoleReader)
	}
	if d.Account == nil {
		d.Account = &accountForm{Role: string(vigie.RoleReader), Errors: map[string]string{}}
	}
	d.Users = map[string]*vigie.User{}
	for _, m := range ms {
		if u, err := s.cfg.Users.FindUserByID(r.Context(), m.UserID); err == nil {
			d.Users[m.UserID] = u
		}
	}
	s.render(w, r, status, "members", s.page(r, "members.title", d))
}

func (s *Server) handleMembers(w http.ResponseWriter, r *http.Request) {
	s.membersPage(w, r, http.StatusOK, &membersData{Role: string(vigie.RoleReader)})
}

// handleMemberSet changes the role of a member of the organisation; anyone
// else is invited (invitations.go), never added.
func (s *Server) handleMemberSet(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	d := &membersData{Role: string(vigie.RoleReader)}
	role := vigie.Role(r.PostForm.Get("role"))
	if !role.Valid() {
		d.Error = s.loc(r).T("members.role") + " : " + s.loc(r).T("err.choice")
		s.membersPage(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	if err := s.cfg.Orgs.SetMember(r.Context(), currentOrg(r).ID, r.PostForm.Get("user_id"), role); err != nil {
		if c := vigie.ErrorCode(err); c == vigie.EINVALID || c == vigie.ECONFLICT {
			d.Error = vigie.ErrorMessage(err)
			s.membersPage(w, r, statusOf(err), d)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.member")
	http.Redirect(w, r, "/o/"+currentOrg(r).ID+"/members", http.StatusSeeOther)
}

func (s *Server) handleMemberRemove(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	if err := s.cfg.Orgs.RemoveMember(r.Context(), currentOrg(r).ID, r.PostForm.Get("user_id")); err != nil {
		if c := vigie.ErrorCode(err); c == vigie.EINVALID || c == vigie.ECONFLICT {
			s.membersPage(w, r, statusOf(err), &membersData{Error: vigie.ErrorMessage(err), Role: string(vigie.RoleReader)})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.member.removed")
	http.Redirect(w, r, "/o/"+currentOrg(r).ID+"/members", http.StatusSeeOther)
}

// EventsShown is the number of journal entries the events page shows.
const EventsShown = 200

// handleEvents shows the organisation's append-only journal, newest first.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Events == nil {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "journal indisponible / no journal"))
		return
	}
	evs, err := s.cfg.Events.FindEvents(r.Context(), currentOrg(r).ID, EventsShown)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "events", s.page(r, "events.title", evs))
}
