package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// configEnv names the config file when --config is not given.
const configEnv = "TRAWL_CONFIG"

// envName is the variable that sets a flag: TRAWL_ and the flag's name
// in capitals, dashes as underscores (--max-memory: TRAWL_MAX_MEMORY).
func envName(flag string) string {
	return "TRAWL_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// applyConfig sets the flags a command was not given from TRAWL_*
// variables, then from the --config file: flags win over variables,
// variables over the file, the file over defaults.
func applyConfig(cmd *cobra.Command, configFile string) error {
	if configFile == "" {
		configFile = os.Getenv(configEnv)
	}
	fromFile, err := readConfig(cmd, configFile)
	if err != nil {
		return err
	}
	var firstErr error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if firstErr != nil || f.Changed || f.Name == "config" || f.Name == "help" {
			return
		}
		if v, ok := os.LookupEnv(envName(f.Name)); ok {
			if err := cmd.Flags().Set(f.Name, v); err != nil {
				firstErr = usageError("%s=%q: %v (it sets --%s)", envName(f.Name), v, err, f.Name)
			}
			return
		}
		for _, v := range fromFile[f.Name] {
			if err := cmd.Flags().Set(f.Name, v); err != nil {
				firstErr = usageError("%s: %s: %q: %v", configFile, f.Name, v, err)
				return
			}
		}
	})
	return firstErr
}

// readConfig reads the YAML config file's values for cmd: top-level keys
// are flag names and apply to every command that has the flag; a key
// naming a command ("scan", "report", "findings list") holds flags for
// that command only, and wins over the top level.
func readConfig(cmd *cobra.Command, name string) (map[string][]string, error) {
	if name == "" {
		return nil, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, usageError("--config: %v", err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, usageError("--config %s is not YAML (flag: value lines): %v", name, err)
	}
	known := allFlags(cmd.Root())
	path := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	top, mine := map[string][]string{}, map[string][]string{}
	var read func(section string, m map[string]any, into map[string][]string) error
	read = func(section string, m map[string]any, into map[string][]string) error {
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok && section == "" {
				if !known.commands[k] {
					return usageError("--config %s: %q is neither a flag nor a command", name, k)
				}
				if k == path {
					if err := read(k, sub, mine); err != nil {
						return err
					}
				}
				continue
			}
			if !known.flags[k] {
				return usageError("--config %s: unknown flag %q%s (keys are flag names without dashes)", name, k, inSection(section))
			}
			vals, err := configValues(v)
			if err != nil {
				return usageError("--config %s: %s%s: %v", name, k, inSection(section), err)
			}
			into[k] = vals
		}
		return nil
	}
	if err := read("", doc, top); err != nil {
		return nil, err
	}
	for k, v := range mine {
		top[k] = v
	}
	return top, nil
}

func inSection(s string) string {
	if s == "" {
		return ""
	}
	return " in " + s
}

// configValues turns a YAML value into the strings Set takes: a list is
// one Set per element (repeatable and list flags).
func configValues(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return nil, fmt.Errorf("no value")
	case []any:
		var out []string
		for _, e := range x {
			if _, nested := e.(map[string]any); nested {
				return nil, fmt.Errorf("a list holds a map: give plain values")
			}
			out = append(out, fmt.Sprint(e))
		}
		return out, nil
	case map[string]any:
		return nil, fmt.Errorf("a map where a value belongs")
	}
	return []string{fmt.Sprint(v)}, nil
}

type flagNames struct{ flags, commands map[string]bool }

// allFlags collects every flag and command path of the command tree.
func allFlags(root *cobra.Command) flagNames {
	n := flagNames{flags: map[string]bool{}, commands: map[string]bool{}}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c != root {
			n.commands[strings.TrimPrefix(c.CommandPath(), root.Name()+" ")] = true
		}
		c.Flags().VisitAll(func(f *pflag.Flag) { n.flags[f.Name] = true })
		c.PersistentFlags().VisitAll(func(f *pflag.Flag) { n.flags[f.Name] = true })
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	delete(n.flags, "help")
	delete(n.flags, "config")
	return n
}
