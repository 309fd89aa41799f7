package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/spf13/cobra"

	"github.com/trawlsec/trawl/cmd/trawl-lambda/handler"
)

func newLambdaCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lambda",
		Short: "Run trawl's AWS Lambda handler locally",
	}
	var event, profile, region, endpoint string
	var pathStyle, verbose bool
	invoke := &cobra.Command{
		Use:   "invoke --event FILE",
		Short: "Run the Lambda handler on a recorded event and print its response",
		Long: `Run the handler that trawl's Lambda function runs (see deploy/) on a recorded
event, here, the way 'sam local invoke' does: S3 "Object Created" events from
EventBridge, S3 notifications (directly or in SQS or SNS messages), S3's test
event, or a Step Functions Distributed Map batch. The function's environment
variables (TRAWL_MANAGED_IDENTIFIERS, TRAWL_RESULTS, ...) configure it as they
do in AWS; the flags say how to reach S3. The response is printed as JSON: per
object its bucket, key, status, reason, and finding types and counts.`,
		Example: `  trawl lambda invoke --event event.json
  trawl lambda invoke --event - --endpoint-url http://127.0.0.1:9000 --path-style < event.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if event == "" {
				return usageError("lambda invoke needs --event FILE (or - for standard input)")
			}
			payload, err := readEvent(event)
			if err != nil {
				return usageError("--event: %v", err)
			}
			settings, err := handler.LoadSettings(context.Background(), os.Getenv)
			if err != nil {
				return usageError("%v", err)
			}
			fl := cmd.Flags()
			if fl.Changed("profile") {
				settings.S3.Profile = profile
			}
			if fl.Changed("region") {
				settings.S3.Region = region
			}
			if fl.Changed("endpoint-url") {
				settings.S3.EndpointURL = endpoint
			}
			if fl.Changed("path-style") {
				settings.S3.PathStyle = pathStyle
			}
			level := slog.LevelWarn
			if verbose {
				level = slog.LevelDebug
			}
			log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			cfg, err := settings.Build(ctx, log)
			if err != nil {
				return usageError("%v", err)
			}
			h, err := handler.New(cfg)
			if err != nil {
				return &exitErr{code: exitError, err: err}
			}
			// Through aws-lambda-go's own invocation path, as in AWS.
			out, err := lambda.NewHandler(h.Invoke).Invoke(ctx, payload)
			if err != nil {
				return &exitErr{code: exitError, err: fmt.Errorf("handler: %w", err)}
			}
			var pretty any
			if json.Unmarshal(out, &pretty) == nil {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(pretty)
			}
			_, err = stdout.Write(out)
			return err
		},
	}
	fl := invoke.Flags()
	fl.StringVar(&event, "event", "", "the event payload: a JSON file, or - for standard input")
	fl.StringVar(&profile, "profile", "", "S3: AWS shared config profile (default: the standard credential chain)")
	fl.StringVar(&region, "region", "", "S3: region (default: AWS_REGION, then each bucket's own)")
	fl.StringVar(&endpoint, "endpoint-url", "", "S3: endpoint of an S3-compatible server, e.g. http://127.0.0.1:9000 (or TRAWL_ENDPOINT_URL)")
	fl.BoolVar(&pathStyle, "path-style", false, "S3: path-style addressing, for MinIO and the like (or TRAWL_PATH_STYLE)")
	fl.BoolVarP(&verbose, "verbose", "v", false, "log details to standard error")
	cmd.AddCommand(invoke)
	return cmd
}

// maxEventSize is Lambda's synchronous payload limit.
const maxEventSize = 6 << 20

func readEvent(name string) ([]byte, error) {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxEventSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxEventSize {
		return nil, fmt.Errorf("larger than Lambda's 6 MB payload limit")
	}
	return b, nil
}
