package tandem_test

import (
	"testing"
	"time"

	"github.com/tandemhq/tandem"
)

func TestMeetingInputValidate(t *testing.T) {
	e := &tandem.Engagement{Kind: tandem.Coaching, Start: "2026-03-02", End: "2026-06-01"}
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	base := tandem.MeetingInput{Start: time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC), Minutes: 60, Place: "Room"}
	for name, tc := range map[string]struct {
		edit  func(in *tandem.MeetingInput)
		loc   *time.Location
		field string
	}{
		"OK":             {func(in *tandem.MeetingInput) {}, time.UTC, ""},
		"VideoOnly":      {func(in *tandem.MeetingInput) { in.Place, in.VideoURL = "", "https://meet.example/x" }, time.UTC, ""},
		"NoStart":        {func(in *tandem.MeetingInput) { in.Start = time.Time{} }, time.UTC, "start"},
		"TooShort":       {func(in *tandem.MeetingInput) { in.Minutes = 0 }, time.UTC, "minutes"},
		"Nowhere":        {func(in *tandem.MeetingInput) { in.Place = "" }, time.UTC, "place"},
		"ScriptLink":     {func(in *tandem.MeetingInput) { in.VideoURL = "javascript:alert(1)" }, time.UTC, "video_url"},
		"BeforeStart":    {func(in *tandem.MeetingInput) { in.Start = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC) }, time.UTC, "start"},
		"AfterEnd":       {func(in *tandem.MeetingInput) { in.Start = time.Date(2026, 6, 1, 23, 30, 0, 0, time.UTC) }, time.UTC, "start"},
		"FirstDayTokyo":  {func(in *tandem.MeetingInput) { in.Start = time.Date(2026, 3, 1, 23, 0, 0, 0, time.UTC) }, tokyo, ""},
		"LastDayInTokyo": {func(in *tandem.MeetingInput) { in.Start = time.Date(2026, 6, 1, 16, 0, 0, 0, time.UTC) }, tokyo, "start"},
	} {
		t.Run(name, func(t *testing.T) {
			in := base
			tc.edit(&in)
			err := in.Validate(e, tc.loc)
			if got := tandem.ErrorFields(err); (tc.field == "" && err != nil) || (tc.field != "" && got[tc.field] == "") {
				t.Errorf("%v, want a problem with %q", err, tc.field)
			}
		})
	}
	if !tandem.Stalled(&tandem.Engagement{Status: tandem.StatusActive, ActivatedAt: &base.Start}, nil, 30, base.Start.Add(31*24*time.Hour)) {
		t.Error("31 days without a session is not stalled")
	}
}

func TestLocalSessionDetail(t *testing.T) {
	sthlm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Skip(err)
	}
	d := tandem.SessionDetail(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), 60)
	if d != "2 Mar 2026 09:00 UTC, 60 min" {
		t.Fatalf("SessionDetail = %q", d)
	}
	for _, c := range []struct{ in, want string }{
		{d, "2 Mar 2026 10:00 CET, 60 min"},
		{"initiation → cultivation", "initiation → cultivation"},
		{"version 2, by Ada", "version 2, by Ada"},
	} {
		if got := tandem.LocalSessionDetail(c.in, sthlm); got != c.want {
			t.Errorf("LocalSessionDetail(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
