// Command trawl-lambda is trawl as an AWS Lambda function (the
// provided.al2023 runtime runs it as bootstrap): it scans the objects that
// S3 events, SQS and SNS messages or a Step Functions Distributed Map batch
// name, configured by environment variables (see package handler).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/trawlsec/trawl/cmd/trawl-lambda/handler"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	settings, err := handler.LoadSettings(context.Background(), os.Getenv)
	if err != nil {
		fail(log, err)
	}
	cfg, err := settings.Build(context.Background(), log)
	if err != nil {
		fail(log, err)
	}
	h, err := handler.New(cfg)
	if err != nil {
		fail(log, err)
	}
	lambda.Start(h.Invoke)
}

// fail ends an init that cannot work; Lambda reports the message as the
// init error.
func fail(log *slog.Logger, err error) {
	log.Error("configuration", "err", err.Error())
	fmt.Fprintln(os.Stderr, "trawl-lambda:", err)
	os.Exit(2)
}
