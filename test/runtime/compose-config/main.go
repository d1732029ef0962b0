// Command compose-config prints a compose project as Docker Compose v2 reads
// it, as JSON: the compose file interpolated with the project folder's .env,
// each service's env_file read into its environment, relative paths resolved.
// It loads the project with compose-go, the library Compose v2 itself uses,
// so that the runtime harness reads a bundle exactly as `docker compose up`
// does (Debian's docker-compose is 1.29, whose .env parser differs).
//
// Usage: compose-config <project folder>
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-config <project folder>")
		os.Exit(2)
	}
	dir := os.Args[1]
	// The options `docker compose` itself passes (cmd/compose/compose.go), in its order; the
	// caller's environment stands for the user's shell.
	options, err := cli.NewProjectOptions(
		[]string{filepath.Join(dir, "docker-compose.yaml")},
		cli.WithWorkingDirectory(dir),
		cli.WithOsEnv,
		cli.WithEnvFiles(),
		cli.WithDotEnv,
		cli.WithInterpolation(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	project, err = project.WithServicesEnvironmentResolved(true)
	if err != nil {
		fail(err)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compose-config:", err)
	os.Exit(1)
}
