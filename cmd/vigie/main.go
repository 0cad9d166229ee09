// Command vigie is the command-line tool and web server of vigie: it records
// the AI systems of a workplace, assesses them, audits score files, estimates
// footprints and computes legal deadlines. See README.md.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit status: 0 on success,
// 2 on bad input (vigie.EINVALID or a usage error), 1 otherwise.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "vigie: %s\n", userMessage(err))
	return exitCode(err)
}

// usageError marks an error in the command line itself (unknown flag,
// missing argument): exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	// Cobra reports unknown commands and bad argument counts as plain errors.
	msg := err.Error()
	if strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "accepts ") ||
		strings.HasPrefix(msg, "requires at least") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag") {
		return 2
	}
	if vigie.ErrorCode(err) == vigie.EINVALID {
		return 2
	}
	return 1
}

func userMessage(err error) string {
	var e *vigie.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "vigie",
		Short:         "vigie : registre et évaluation des systèmes d'IA au travail / AI systems at work: register and assessment",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%s: %w (voir / see: vigie %s --help)", c.CommandPath(), err, c.Name())}
	})
	for _, add := range commands {
		root.AddCommand(add())
	}
	return root
}

// commands lists the constructors of the subcommands. Each command lives in
// its own file and registers itself from an init function, so that the
// commands can be written side by side without touching this file.
var commands []func() *cobra.Command

func register(f func() *cobra.Command) { commands = append(commands, f) }
