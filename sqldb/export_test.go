package sqldb

// SetClosureMoves sets closureMoves for a test and returns the restore.
func SetClosureMoves(n int) func() {
	old := closureMoves
	closureMoves = n
	return func() { closureMoves = old }
}
