// Package events reads the payloads that start a scan inside AWS and says
// what each asks for: the objects named by S3's "Object Created" events
// (through EventBridge, as classic S3 notifications, or inside SQS and SNS
// messages), a scheduled job run (EventBridge Scheduler's input), or a
// batch of keys from a Step Functions Distributed Map.
//
// Parsing is pure: nothing here calls AWS. The shapes follow AWS's
// documented payloads; a payload of any other shape is an error that names
// what it got, by field names only (a payload's values can be object keys
// a user considers private).
package events
