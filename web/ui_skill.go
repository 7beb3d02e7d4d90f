package web

import (
	"net/http"
	"strconv"

	"github.com/tandemhq/tandem"
)

type skillsPage struct {
	Page
	Skills []tandem.Skill
	Form   Form
	// FormFor is the id of the skill whose rename or merge form has errors.
	FormFor int64
}

func (s *Server) showSkills(w http.ResponseWriter, r *http.Request, status int, form Form, formFor int64) {
	skills, err := s.app.ListSkills(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "skills", &skillsPage{Page: Page{Title: "Skill catalogue", Nav: "skills"}, Skills: skills, Form: form, FormFor: formFor})
}

func (s *Server) handleSkills(w http.ResponseWriter, r *http.Request) {
	s.showSkills(w, r, http.StatusOK, Form{}, 0)
}

// skillAction runs a catalogue change and shows the catalogue again, with
// the form's errors beside the skill they concern.
func (s *Server) skillAction(w http.ResponseWriter, r *http.Request, done string, fn func(id int64) error) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	err := fn(id)
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/skills", done)
	case tandem.EINVALID, tandem.ECONFLICT:
		s.showSkills(w, r, s.status(r, err), formFrom(r, err), id)
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) handleCreateSkill(w http.ResponseWriter, r *http.Request) {
	s.skillAction(w, r, "Skill added.", func(int64) error {
		_, err := s.app.CreateSkill(r.Context(), r.PostForm.Get("name"))
		return err
	})
}

func (s *Server) handleRenameSkill(w http.ResponseWriter, r *http.Request) {
	s.skillAction(w, r, "Skill renamed; profiles show the new name.", func(id int64) error {
		return s.app.RenameSkill(r.Context(), id, r.PostForm.Get("name"))
	})
}

func (s *Server) handleMergeSkill(w http.ResponseWriter, r *http.Request) {
	s.skillAction(w, r, "Skills merged; profiles moved to the remaining skill.", func(id int64) error {
		into, _ := strconv.ParseInt(r.PostForm.Get("into"), 10, 64)
		return s.app.MergeSkills(r.Context(), id, into)
	})
}

func (s *Server) handleRetireSkill(w http.ResponseWriter, r *http.Request) {
	retire := r.FormValue("retired") != "false"
	msg := "Skill retired: it stays on profiles but cannot be added anew."
	if !retire {
		msg = "Skill restored."
	}
	s.skillAction(w, r, msg, func(id int64) error {
		return s.app.SetSkillRetired(r.Context(), id, retire)
	})
}
