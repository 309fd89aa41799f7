// Package handler is trawl's AWS Lambda function: it takes an invocation's
// payload (see scanner/events for the shapes), scans the objects it names
// and answers, per object, its status, reason and finding types and
// counts.
//
// It is deadline-aware. It stops taking objects when less than Margin of
// the invocation's time remains, lets the objects already started finish,
// and lists the objects it did not scan as unfinished, so that a retry (an
// SQS redelivery through batchItemFailures, the map's next attempt) picks
// them up. A result is written whole or not at all.
//
// The same handler serves the deployed function (cmd/trawl-lambda) and
// `trawl lambda invoke`, which runs it on a recorded event.
package handler
