// Command trawl finds sensitive data in files, directories and (later)
// buckets, and reports it in Amazon Macie's finding format.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitClean       = 0
	exitFindings    = 1 // default; --exit-code changes it
	exitError       = 2
	exitInterrupted = 130
)

// exitErr carries an exit code up to main. A nil err with a code is a
// normal exit with that code.
type exitErr struct {
	code int
	err  error
}

func (e *exitErr) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

// usageError is a bad flag or argument: exit 2 with the fix.
func usageError(format string, args ...any) error {
	return &exitErr{code: exitError, err: fmt.Errorf(format, args...)}
}

var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:           "trawl",
		Short:         "Find sensitive data in files and object storage, reported as Amazon Macie findings",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetArgs(args)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError("%v (run '%s --help' for the flags)", err, c.CommandPath())
	})
	root.AddCommand(newScanCmd(stdout, stderr), newIdentifiersCmd(stdout), newLambdaCmd(stdout, stderr))
	root.AddCommand(newFindingsCmd(stdout), newJobsCmd(stdout, stderr))
	err := root.Execute()
	if err == nil {
		return exitClean
	}
	var ee *exitErr
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "trawl: %v\n", ee.err)
		}
		return ee.code
	}
	// Cobra's own errors (unknown command, wrong argument count) are usage
	// errors too.
	fmt.Fprintf(stderr, "trawl: %v (run 'trawl --help' for usage)\n", err)
	return exitError
}
