package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/tandemhq/tandem"
)

// PasswordParams are the argon2id cost parameters. The defaults follow the
// OWASP password storage cheat sheet (19 MiB, 2 passes, 1 lane); the
// parameters are stored in each hash, so raising them later keeps old
// hashes working.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultPasswordParams are used unless a test lowers them.
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}

const saltLen, keyLen = 16, 32

// hashPassword returns a PHC-format argon2id hash of pw.
func (p PasswordParams) hashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword reports whether pw matches a hash made by hashPassword.
// An empty or malformed hash never matches.
func checkPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// errBusy refuses a hash when every slot stayed taken for HashWait.
var errBusy = tandem.Errorf(tandem.ETOOMANY, "The server is busy. Please try again in a few seconds.")

// busyRetry is the Retry-After of errBusy.
const busyRetry = 2 * time.Second

// hashSlot takes one of HashSlots, waiting up to HashWait (and no longer
// than ctx), and returns the function that gives it back.
func (a *App) hashSlot(ctx context.Context) (release func(), err error) {
	if a.HashSlots == nil {
		return func() {}, nil
	}
	select { // a free slot: no timer needed
	case a.HashSlots <- struct{}{}:
		return func() { <-a.HashSlots }, nil
	default:
	}
	t := time.NewTimer(a.HashWait)
	defer t.Stop()
	select {
	case a.HashSlots <- struct{}{}:
		return func() { <-a.HashSlots }, nil
	case <-t.C:
		return nil, retryAfter(errBusy, busyRetry)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// hash hashes a new password within a hash slot.
func (a *App) hash(ctx context.Context, pw string) (string, error) {
	release, err := a.hashSlot(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	if a.hashes != nil {
		a.hashes.Add(1)
	}
	return a.Password.hashPassword(pw)
}

// check checks a password against a hash within a hash slot. An empty
// hash stands for an unknown email: it is checked against dummyHash, so
// the answer takes as long as for a wrong password (and never matches).
func (a *App) check(ctx context.Context, hash, pw string) (bool, error) {
	release, err := a.hashSlot(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	if a.hashes != nil {
		a.hashes.Add(1)
	}
	if hash == "" {
		checkPassword(a.dummyHash(), pw)
		return false, nil
	}
	return checkPassword(hash, pw), nil
}
