package findings

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestS3BucketMetadata(t *testing.T) {
	local := s3Bucket(Object{Key: "a.txt"})
	if local.Arn != "" || local.Owner != nil || local.DefaultServerSideEncryption != nil || local.PublicAccess != nil {
		t.Errorf("local file got bucket metadata: %+v", local)
	}
	bare := s3Bucket(Object{Bucket: "b", Key: "k"})
	if bare.Arn != "arn:aws:s3:::b" || bare.Owner != nil {
		t.Errorf("bucket without info: %+v", bare)
	}
	info := &BucketInfo{OwnerID: "abc", OwnerName: "ops", EncryptionType: "aws:kms", KMSMasterKeyID: "key-1", EffectivePermission: "NOT_PUBLIC"}
	b := s3Bucket(Object{Bucket: "b", Key: "k", BucketInfo: info})
	raw, _ := json.Marshal(b)
	for _, want := range []string{`"owner":{"displayName":"ops","id":"abc"}`, `"defaultServerSideEncryption":{"encryptionType":"aws:kms","kmsMasterKeyId":"key-1"}`,
		`"publicAccess":{"effectivePermission":"NOT_PUBLIC","permissionConfiguration":{"accountLevelPermissions":{"blockPublicAccess":{"blockPublicAcls":false`,
		`"tags":[]`, `"allowsUnencryptedObjectUploads":"FALSE"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("s3Bucket JSON %s lacks %s", raw, want)
		}
	}
}
