package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

const userUsage = `Usage:
  tandem user create --email E --name N [--org NAME] [--role R | --admin] [--password-file F]
  tandem user reset-password --email E [--password-file F]
  tandem user list [--org NAME]

The password is read from --password-file, from standard input when it is not
a terminal, or asked for at the terminal. There is no default password.
`

func runUser(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprint(stderr, userUsage)
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("tandem user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, userUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	email := fs.String("email", "", "the person's email")
	name := fs.String("name", "", "the person's name")
	orgName := fs.String("org", "", "organization name or slug; created when it does not exist (with --admin)")
	role := fs.String("role", tandem.RoleMember, "role: admin, program_admin or member")
	isAdmin := fs.Bool("admin", false, "make the person an administrator (same as --role admin)")
	pwFile := fs.String("password-file", "", "read the password from this file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	a, closeDB, err := openApp(ctx, cfg, stderr, true)
	if err != nil {
		return err
	}
	defer closeDB()
	db := a.DB

	switch args[0] {
	case "create":
		if *isAdmin {
			*role = tandem.RoleAdmin
		}
		pw, err := readPassword(*pwFile, stdin, stderr)
		if err != nil {
			return err
		}
		p, created, err := createUser(ctx, a, *orgName, *name, *email, pw, *role)
		if err != nil {
			return err
		}
		if created != "" {
			fmt.Fprintf(stdout, "created organization %q\n", created)
		}
		fmt.Fprintf(stdout, "%s <%s> is %s of organization %d\n", p.Name, p.Email, tandem.RoleLabel(p.Role), p.OrgID)
		return nil
	case "reset-password":
		pw, err := readPassword(*pwFile, stdin, stderr)
		if err != nil {
			return err
		}
		if err := a.ResetPasswordByOperator(ctx, *email, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; their sessions are signed out\n", tandem.NormalizeEmail(*email))
		return nil
	case "list":
		return listUsers(ctx, db, *orgName, stdout)
	default:
		fmt.Fprint(stderr, userUsage)
		return fmt.Errorf("unknown user command %q", args[0])
	}
}

// createUser adds the person to the named organization; with no
// organization given it uses the only one, and with --admin it creates the
// organization when it does not exist (a first install from the CLI).
func createUser(ctx context.Context, a *app.App, orgName, name, email, pw, role string) (*tandem.Person, string, error) {
	org, err := findOrg(ctx, a.DB, orgName)
	if tandem.ErrorCode(err) == tandem.ENOTFOUND && orgName != "" && role == tandem.RoleAdmin {
		p, err := a.CreateOrgWithAdmin(ctx, app.SetupInput{OrgName: orgName, Name: name, Email: email, Password: pw})
		return p, orgName, err
	}
	if err != nil {
		return nil, "", err
	}
	p, err := a.AddMember(ctx, org.ID, name, email, pw, role)
	return p, "", err
}

// findOrg finds an organization by name or slug, or the only one when
// name is empty.
func findOrg(ctx context.Context, db *sqldb.DB, name string) (*tandem.Org, error) {
	orgs, err := db.ListOrgs(ctx)
	if err != nil {
		return nil, err
	}
	if name == "" {
		switch len(orgs) {
		case 0:
			return nil, tandem.Errorf(tandem.ENOTFOUND, "There is no organization yet: give --org NAME with --admin to create one.")
		case 1:
			return &orgs[0], nil
		default:
			return nil, tandem.Errorf(tandem.EINVALID, "There are %d organizations: choose one with --org.", len(orgs))
		}
	}
	for i := range orgs {
		if strings.EqualFold(orgs[i].Name, name) || orgs[i].Slug == name {
			return &orgs[i], nil
		}
	}
	return nil, tandem.Errorf(tandem.ENOTFOUND, "No organization named %q.", name)
}

func listUsers(ctx context.Context, db *sqldb.DB, orgName string, stdout io.Writer) error {
	org, err := findOrg(ctx, db, orgName)
	if err != nil {
		return err
	}
	people, err := db.ListMembers(ctx, org.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tACCOUNT")
	for _, p := range people {
		acct := "no (not invited)"
		if p.AccountID != 0 {
			acct = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Email, p.Name, p.Role, acct)
	}
	leavers, err := db.ListLeavers(ctx, org.ID)
	if err != nil {
		return err
	}
	for _, p := range leavers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Email, p.Name, p.Role, "no (left "+string(tandem.DateOf(*p.DeactivatedAt))+")")
	}
	return tw.Flush()
}

// readPassword reads a password from a file, from piped standard input, or
// from the terminal without echo (asked twice).
func readPassword(file string, stdin io.Reader, stderr io.Writer) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("password file: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password (at least 10 characters): ")
		pw, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Again: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(pw) != string(again) {
			return "", errors.New("the two passwords differ")
		}
		return string(pw), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	if line == "" {
		return "", errors.New("no password given: use --password-file, pipe it on standard input, or run at a terminal")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
