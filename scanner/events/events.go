package events

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Shape names a payload's kind, as the handler reports it.
type Shape string

const (
	EventBridgeObjectCreated Shape = "eventbridge:Object Created"
	S3Notification           Shape = "s3:notification"
	S3TestEvent              Shape = "s3:TestEvent"
	SQSMessages              Shape = "sqs"
	SNSNotification          Shape = "sns"
	SchedulerRunJob          Shape = "scheduler:run-job"
	DistributedMapBatch      Shape = "states:distributed-map-batch"
)

// Request is what a payload asks for.
type Request struct {
	Shape Shape
	// Objects are the objects to scan, in the payload's order.
	Objects []Ref
	// Ignored counts the records that name no new object (deletions,
	// restores, tags), which a notification may mix with creations.
	Ignored int
	// TestEvents counts S3's s3:TestEvent messages (nothing to scan).
	TestEvents int
	// Job and ScheduledTime name a scheduled job run.
	Job           string
	ScheduledTime time.Time
	ExecutionID   string
	// BatchInput is a Distributed Map batch's fixed input, as given.
	BatchInput json.RawMessage
}

// Ref names one object version to scan.
type Ref struct {
	Bucket string
	// Key is the object's key as the event gives it. AltKey, when not
	// empty, is the other reading of the key: an EventBridge event's key
	// URL-decoded (AWS does not document whether it is encoded).
	Key, AltKey  string
	VersionID    string
	ETag         string // without quotes
	Size         int64  // -1 when the event does not say
	LastModified time.Time
	StorageClass string
	// MessageID is the SQS message the object came in, for the partial
	// batch response (batchItemFailures).
	MessageID string
}

// maxNesting bounds messages inside messages (S3 in SNS in SQS is two).
const maxNesting = 4

// Parse reads a payload.
func Parse(payload []byte) (*Request, error) {
	req := &Request{}
	if err := req.parse(payload, "", 0); err != nil {
		return nil, err
	}
	return req, nil
}

// probe holds the fields that tell the shapes apart.
type probe struct {
	Records    json.RawMessage `json:"Records"`
	DetailType *string         `json:"detail-type"`
	Source     string          `json:"source"`
	Detail     json.RawMessage `json:"detail"`
	Event      string          `json:"Event"`
	Service    string          `json:"Service"`
	Trawl      string          `json:"trawl"`
	Items      json.RawMessage `json:"Items"`
	BatchInput json.RawMessage `json:"BatchInput"`
	Type       string          `json:"Type"`
	Message    *string         `json:"Message"`
}

func (req *Request) parse(payload []byte, messageID string, depth int) error {
	if depth > maxNesting {
		return fmt.Errorf("messages nested more than %d deep", maxNesting)
	}
	var p probe
	if err := json.Unmarshal(payload, &p); err != nil {
		return fmt.Errorf("payload is not a JSON object: %w", err)
	}
	shape := func(s Shape) {
		if depth == 0 {
			req.Shape = s
		}
	}
	switch {
	case p.Records != nil:
		return req.records(p.Records, messageID, depth)
	case p.DetailType != nil:
		shape(EventBridgeObjectCreated)
		return req.eventBridge(p, messageID)
	case p.Event == "s3:TestEvent":
		shape(S3TestEvent)
		req.TestEvents++
		return nil
	case p.Trawl != "":
		shape(SchedulerRunJob)
		return req.runJob(payload, p.Trawl)
	case p.Items != nil:
		shape(DistributedMapBatch)
		return req.mapBatch(payload)
	case p.Type == "Notification" && p.Message != nil:
		// An SNS message delivered to SQS without raw delivery.
		return req.parse([]byte(*p.Message), messageID, depth+1)
	}
	return fmt.Errorf("unrecognised event: a JSON object with fields %s; expected an S3 \"Object Created\" event "+
		"from EventBridge, S3 notification Records (directly or in SQS or SNS messages), a Scheduler input "+
		"{\"trawl\":\"run-job\",...} or a Distributed Map batch {\"Items\":[...]}", fieldNames(payload))
}

// fieldNames lists an object's top-level field names, never its values.
func fieldNames(payload []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(payload, &m) != nil || len(m) == 0 {
		return "(none)"
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, strconv.Quote(k))
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// record is one entry of Records: an S3 notification record, an SQS
// message or an SNS record (whose fields are capitalised).
type record struct {
	EventSource  string `json:"eventSource"`
	EventSource2 string `json:"EventSource"`
	EventName    string `json:"eventName"`
	MessageID    string `json:"messageId"`
	Body         string `json:"body"`
	SNS          *struct {
		Message string `json:"Message"`
	} `json:"Sns"`
	S3 *struct {
		Bucket struct {
			Name string `json:"name"`
		} `json:"bucket"`
		Object struct {
			Key       string `json:"key"`
			Size      *int64 `json:"size"`
			ETag      string `json:"eTag"`
			VersionID string `json:"versionId"`
		} `json:"object"`
	} `json:"s3"`
}

func (req *Request) records(raw json.RawMessage, messageID string, depth int) error {
	var recs []record
	if err := json.Unmarshal(raw, &recs); err != nil {
		return fmt.Errorf("Records is not a list of event records: %w", err)
	}
	for i, r := range recs {
		source := r.EventSource + r.EventSource2
		switch source {
		case "aws:s3":
			if depth == 0 {
				req.Shape = S3Notification
			}
			if err := req.s3Record(r, messageID); err != nil {
				return fmt.Errorf("Records[%d]: %w", i, err)
			}
		case "aws:sqs":
			if depth == 0 {
				req.Shape = SQSMessages
			}
			if err := req.parse([]byte(r.Body), r.MessageID, depth+1); err != nil {
				return fmt.Errorf("Records[%d] (SQS message %s): %w", i, r.MessageID, err)
			}
		case "aws:sns":
			if depth == 0 {
				req.Shape = SNSNotification
			}
			if r.SNS == nil {
				return fmt.Errorf("Records[%d]: an SNS record without Sns.Message", i)
			}
			if err := req.parse([]byte(r.SNS.Message), messageID, depth+1); err != nil {
				return fmt.Errorf("Records[%d] (SNS message): %w", i, err)
			}
		default:
			return fmt.Errorf("Records[%d] has eventSource %q; expected aws:s3, aws:sqs or aws:sns", i, source)
		}
	}
	return nil
}

func (req *Request) s3Record(r record, messageID string) error {
	if !strings.HasPrefix(r.EventName, "ObjectCreated:") {
		req.Ignored++
		return nil
	}
	if r.S3 == nil || r.S3.Bucket.Name == "" || r.S3.Object.Key == "" {
		return fmt.Errorf("an %s record without s3.bucket.name or s3.object.key", r.EventName)
	}
	// Classic notifications URL-encode keys, with '+' for a space.
	key, err := url.QueryUnescape(r.S3.Object.Key)
	if err != nil {
		return fmt.Errorf("s3.object.key is not URL-encoded as S3 writes it: %w", err)
	}
	ref := Ref{Bucket: r.S3.Bucket.Name, Key: key, VersionID: r.S3.Object.VersionID,
		ETag: strings.Trim(r.S3.Object.ETag, `"`), Size: -1, MessageID: messageID}
	if r.S3.Object.Size != nil {
		ref.Size = *r.S3.Object.Size
	}
	req.Objects = append(req.Objects, ref)
	return nil
}

// objectCreated is the detail of EventBridge's S3 "Object Created".
type objectCreated struct {
	Bucket struct {
		Name string `json:"name"`
	} `json:"bucket"`
	Object struct {
		Key       string `json:"key"`
		Size      *int64 `json:"size"`
		ETag      string `json:"etag"`
		VersionID string `json:"version-id"`
	} `json:"object"`
}

func (req *Request) eventBridge(p probe, messageID string) error {
	if *p.DetailType != "Object Created" || p.Source != "aws.s3" {
		return fmt.Errorf("EventBridge event %q from %q; expected \"Object Created\" from aws.s3 "+
			"(scheduled runs come from EventBridge Scheduler with {\"trawl\":\"run-job\",\"job\":NAME})",
			*p.DetailType, p.Source)
	}
	var d objectCreated
	if err := json.Unmarshal(p.Detail, &d); err != nil {
		return fmt.Errorf("Object Created detail: %w", err)
	}
	if d.Bucket.Name == "" || d.Object.Key == "" {
		return fmt.Errorf("Object Created event without detail.bucket.name or detail.object.key")
	}
	ref := Ref{Bucket: d.Bucket.Name, Key: d.Object.Key, VersionID: d.Object.VersionID,
		ETag: strings.Trim(d.Object.ETag, `"`), Size: -1, MessageID: messageID}
	if d.Object.Size != nil {
		ref.Size = *d.Object.Size
	}
	if alt, err := url.QueryUnescape(d.Object.Key); err == nil && alt != d.Object.Key {
		ref.AltKey = alt
	}
	req.Objects = append(req.Objects, ref)
	return nil
}

// runJobInput is the Scheduler input that runs a job.
type runJobInput struct {
	Trawl         string `json:"trawl"`
	Job           string `json:"job"`
	ScheduledTime string `json:"scheduledTime"`
	ExecutionID   string `json:"executionId"`
}

func (req *Request) runJob(payload []byte, verb string) error {
	if verb != "run-job" {
		return fmt.Errorf("unknown trawl action %q; the one action is run-job", verb)
	}
	var in runJobInput
	if err := json.Unmarshal(payload, &in); err != nil {
		return fmt.Errorf("run-job input: %w", err)
	}
	if in.Job == "" {
		return fmt.Errorf("run-job input without \"job\": name the job to run")
	}
	req.Job, req.ExecutionID = in.Job, in.ExecutionID
	if in.ScheduledTime != "" {
		t, err := time.Parse(time.RFC3339, in.ScheduledTime)
		if err != nil {
			return fmt.Errorf("run-job scheduledTime %q is not RFC 3339 (use <aws.scheduler.scheduled-time>)", in.ScheduledTime)
		}
		req.ScheduledTime = t
	}
	return nil
}

// mapItem is one ListObjectsV2 item of a Distributed Map batch.
type mapItem struct {
	Key          string `json:"Key"`
	Etag         string `json:"Etag"`
	Size         *int64 `json:"Size"`
	LastModified *int64 `json:"LastModified"` // epoch seconds
	StorageClass string `json:"StorageClass"`
	VersionID    string `json:"VersionId"`
	Bucket       string `json:"Bucket"`
}

type mapBatch struct {
	BatchInput json.RawMessage `json:"BatchInput"`
	Items      []mapItem       `json:"Items"`
}

func (req *Request) mapBatch(payload []byte) error {
	var b mapBatch
	if err := json.Unmarshal(payload, &b); err != nil {
		return fmt.Errorf("Distributed Map batch: %w", err)
	}
	var in struct {
		Bucket string `json:"bucket"`
	}
	if len(b.BatchInput) > 0 {
		if err := json.Unmarshal(b.BatchInput, &in); err != nil {
			return fmt.Errorf("Distributed Map BatchInput is not a JSON object: %w", err)
		}
	}
	req.BatchInput = b.BatchInput
	for i, it := range b.Items {
		bucket := it.Bucket
		if bucket == "" {
			bucket = in.Bucket
		}
		if bucket == "" || it.Key == "" {
			return fmt.Errorf("Items[%d] has no Key or no bucket: set BatchInput {\"bucket\": NAME} in the ItemBatcher", i)
		}
		ref := Ref{Bucket: bucket, Key: it.Key, ETag: strings.Trim(it.Etag, `"`), Size: -1,
			StorageClass: it.StorageClass, VersionID: it.VersionID}
		if it.Size != nil {
			ref.Size = *it.Size
		}
		if it.LastModified != nil {
			ref.LastModified = time.Unix(*it.LastModified, 0).UTC()
		}
		req.Objects = append(req.Objects, ref)
	}
	return nil
}
