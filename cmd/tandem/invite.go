package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

const inviteUsage = `Usage:
  tandem people invite [--org ORG] [--department D] [--all-uninvited] [--email E ...]
                       [--resend] [--dry-run] [--json]

Invites people of the organization's directory (imported people are "not
invited yet") to make their account: each gets an invitation email with a
link of their own, sent by the server's background jobs (tandem serve must
be running), in their directory role. Choose whom with any of:

  --email E         a person by email (repeat it, or separate with commas)
  --department D    everyone in the department
  --all-uninvited   everyone not invited yet (within --department when both)

Someone with an account is never invited. Someone whose invitation is open
is not emailed again unless --resend is given (the invitation then runs for
another 7 days). --dry-run says what would be done and does nothing.

Output: one line per person ("invited", "resent", "already invited",
"has an account", "not in the directory"), then the counts. With --json,
one JSON object (the answer of POST /api/v1/invitations/bulk):

  {"dry_run": false,
   "invited": [PERSON…], "resent": [PERSON…], "already_invited": [PERSON…],
   "members": [PERSON…], "unknown": ["email"…],
   "counts": {"invited": N, "resent": N, "already_invited": N, "members": N, "unknown": N}}

where PERSON is {"person_id", "name", "email", "department", "role",
"guest", "status" (not_invited, invited, expired or member),
"invitation_id", "invited_at", "expires_at", "accepted_at"}; the last four
appear when known. Every list is present, empty rather than null.
`

// emailList is a repeatable --email flag that also takes a comma-separated
// list.
type emailList []string

func (l *emailList) String() string { return strings.Join(*l, ",") }

func (l *emailList) Set(v string) error {
	for _, e := range strings.Split(v, ",") {
		if e = strings.TrimSpace(e); e != "" {
			*l = append(*l, e)
		}
	}
	return nil
}

func runPeopleInvite(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	if err := oneVerb(args, "invite", inviteUsage, stderr); err != nil {
		return err
	}
	fs := flag.NewFlagSet("tandem people invite", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, inviteUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	orgName := fs.String("org", "", "organization name or slug; may be left out when there is only one")
	department := fs.String("department", "", "invite everyone in this department")
	all := fs.Bool("all-uninvited", false, "invite everyone not invited yet")
	var emails emailList
	fs.Var(&emails, "email", "invite the person with this email (repeatable; or comma-separated)")
	resend := fs.Bool("resend", false, "email open invitations again")
	dryRun := fs.Bool("dry-run", false, "say what would be done, do nothing")
	asJSON := fs.Bool("json", false, "print one JSON object (see above)")
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q: give emails with --email", rest[0])
	}
	if *department == "" && !*all && len(emails) == 0 {
		fs.Usage()
		return fmt.Errorf("choose whom to invite: --email, --department or --all-uninvited")
	}
	a, closeDB, err := openApp(ctx, cfg, stderr, !*dryRun)
	if err != nil {
		return err
	}
	defer closeDB()
	org, err := findOrg(ctx, a.DB, *orgName)
	if err != nil {
		return err
	}
	in := app.BulkInvite{Emails: emails, AllUninvited: *all, Resend: *resend, DryRun: *dryRun}
	if *department != "" {
		in.Filter = &sqldb.PeopleFilter{Department: *department}
	}
	res, err := a.InviteManyAsOperator(ctx, org.ID, in)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, app.BulkInviteReport(res, *dryRun))
	}
	verb := map[bool]string{false: "invited", true: "would invite"}[*dryRun]
	resent := map[bool]string{false: "resent", true: "would resend"}[*dryRun]
	line := func(what string, v tandem.Invitee) { fmt.Fprintf(stdout, "%-16s %s <%s>\n", what, v.Name, v.Email) }
	for _, v := range res.Invited {
		line(verb, v)
	}
	for _, v := range res.Resent {
		line(resent, v)
	}
	for _, v := range res.AlreadyInvited {
		line("already invited", v)
	}
	for _, v := range res.Members {
		line("has an account", v)
	}
	for _, e := range res.Unknown {
		fmt.Fprintf(stdout, "%-16s %s\n", "not in directory", e)
	}
	fmt.Fprintf(stdout, "%s: %d %s, %d %s, %d already invited, %d with an account, %d not in the directory\n",
		org.Name, len(res.Invited), verb, len(res.Resent), resent, len(res.AlreadyInvited), len(res.Members), len(res.Unknown))
	return nil
}
