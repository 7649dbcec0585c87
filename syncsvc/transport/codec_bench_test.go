package transport_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// BenchmarkPushCodec marshals and unmarshals an office's push of 40 new
// cadres (pushOf40, in the compact form a current hub is sent) with
// package proto, with the generated code alone, and with the wire codec
// (what Connect calls: MarshalAppend into a reused buffer; Unmarshal into
// a new message, checking the bytes first). A micro-benchmark: it
// measures the marshalling of one message, not a sync.
func BenchmarkPushCodec(b *testing.B) {
	r := openReplica(b, syncsvc.RoleOffice, nil)
	node := r.Node()
	push := &syncv1.PushRequest{Node: node[:], Changes: transport.ChangesToProto(pushOf40(b, r), true)}
	data, err := proto.Marshal(push)
	if err != nil {
		b.Fatal(err)
	}
	codec := transport.VTCodec
	appender := codec.(interface {
		MarshalAppend([]byte, any) ([]byte, error)
	})
	run := func(name string, fn func() error) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	var buf []byte
	run("marshal/proto", func() error { _, err := proto.Marshal(push); return err })
	run("marshal/vt", func() error { _, err := push.MarshalVT(); return err })
	run("marshal-append/proto", func() error { buf, err = proto.MarshalOptions{}.MarshalAppend(buf[:0], push); return err })
	run("marshal-append/codec", func() error { buf, err = appender.MarshalAppend(buf[:0], push); return err })
	run("unmarshal/proto", func() error { return proto.Unmarshal(data, new(syncv1.PushRequest)) })
	run("unmarshal/vt", func() error { return new(syncv1.PushRequest).UnmarshalVT(data) })
	run("unmarshal/codec", func() error { return codec.Unmarshal(data, new(syncv1.PushRequest)) })
}
