package transport

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"unicode/utf8"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// wireCodec is the binary protobuf codec of the hub's handler and of the
// office's client, for the Connect and gRPC protocols alike. Only tests
// replace it (with a wrapper that counts the calls through it).
var wireCodec connect.Codec = vtCodec{}

// vtCodec is Connect's binary protobuf codec ("proto") with the code
// vtprotobuf generates beside each message of the sync service
// (MarshalVT, UnmarshalVT, SizeVT) in place of protobuf's reflection: the
// bytes are plain protobuf, the same as proto.Marshal's, so a peer using
// either codec reads the other's. A message without that code (a gRPC
// error's status, its details) is marshalled by package proto, as by
// Connect's own codec.
//
// Unmarshal keeps proto.Unmarshal's contract, which UnmarshalVT alone
// does not: the message is reset first (UnmarshalVT merges into what it
// holds), a string that is not UTF-8 is refused, and messages nested
// deeper than protobuf's recursion limit are refused before UnmarshalVT,
// which has no limit, recurses into them (checkWire). One difference is
// left: a known field sent with another wire type than its own, which
// proto.Unmarshal keeps as an unknown field, UnmarshalVT refuses. Only a
// peer whose proto changed the field's type could send one, a change the
// wire's compatibility never allows.
//
// Marshal does not check strings: where proto.Marshal fails on a string
// that is not UTF-8, MarshalVT sends it and the other end refuses it (with
// either codec), so the call fails either way. A replica refuses such a
// text when it is written (package text), and a hub takes none in.
type vtCodec struct{}

var _ connect.Codec = vtCodec{}

// vtMarshaler is a message with vtprotobuf's marshal and size code.
type vtMarshaler interface {
	SizeVT() int
	MarshalToSizedBufferVT(dst []byte) (int, error)
}

// vtUnmarshaler is a message with vtprotobuf's unmarshal code.
type vtUnmarshaler interface {
	UnmarshalVT(data []byte) error
}

// Name is "proto", the name of Connect's binary protobuf codec, which
// this one replaces: the content type on the wire does not change.
func (vtCodec) Name() string { return "proto" }

// Marshal returns the message's protobuf bytes.
func (c vtCodec) Marshal(msg any) ([]byte, error) { return c.MarshalAppend(nil, msg) }

// MarshalAppend appends the message's protobuf bytes to dst: Connect
// passes a buffer from its pool, which is grown only when too small.
func (vtCodec) MarshalAppend(dst []byte, msg any) ([]byte, error) {
	m, ok := msg.(vtMarshaler)
	if !ok {
		pm, ok := msg.(proto.Message)
		if !ok {
			return nil, errNotProto(msg)
		}
		return proto.MarshalOptions{}.MarshalAppend(dst, pm)
	}
	size := m.SizeVT()
	dst = slices.Grow(dst, size)
	// MarshalToSizedBufferVT writes from the end of a buffer of exactly
	// the message's size.
	n, err := m.MarshalToSizedBufferVT(dst[len(dst) : len(dst)+size])
	if err != nil {
		return nil, fmt.Errorf("marshal %T: %w", msg, err)
	}
	if n != size {
		return nil, fmt.Errorf("marshal %T: %d bytes written of %d sized (was it changed while marshalled?)", msg, n, size)
	}
	return dst[:len(dst)+size], nil
}

// MarshalStable is proto's deterministic marshalling, as in Connect's own
// codec; Connect uses it only for calls sent as HTTP GET, which the sync
// service has none of.
func (vtCodec) MarshalStable(msg any) ([]byte, error) {
	pm, ok := msg.(proto.Message)
	if !ok {
		return nil, errNotProto(msg)
	}
	return proto.MarshalOptions{Deterministic: true}.Marshal(pm)
}

// IsBinary reports that the codec's bytes are binary, not text.
func (vtCodec) IsBinary() bool { return true }

// Unmarshal replaces what the message holds by what data says, as
// proto.Unmarshal does.
func (vtCodec) Unmarshal(data []byte, msg any) error {
	pm, ok := msg.(proto.Message)
	if !ok {
		return errNotProto(msg)
	}
	m, ok := msg.(vtUnmarshaler)
	if !ok {
		if err := proto.Unmarshal(data, pm); err != nil {
			return fmt.Errorf("unmarshal into %T: %w", msg, err)
		}
		return nil
	}
	if err := checkWire(data, shapeOf(pm.ProtoReflect().Descriptor()), 0); err != nil {
		return fmt.Errorf("unmarshal into %T: %w", msg, err)
	}
	proto.Reset(pm)
	if err := m.UnmarshalVT(data); err != nil {
		return fmt.Errorf("unmarshal into %T: %w", msg, err)
	}
	return nil
}

func errNotProto(msg any) error {
	return fmt.Errorf("%T is not a protobuf message", msg)
}

// wireShape is what checkWire needs to know of a message type: which of
// its fields are strings that must be UTF-8 and which are messages.
type wireShape struct {
	// low holds the fields numbered below len(low), by number; high the
	// others, which a message seldom has.
	low  []fieldShape
	high map[protowire.Number]*fieldShape
}

// fieldShape is one field of a wireShape; the zero value is a field
// checkWire only skips.
type fieldShape struct {
	// utf8 is set for a string field whose bytes must be UTF-8.
	utf8 bool
	// msg is the shape of a message field's type.
	msg *wireShape
	// name is the field's full name, for the error.
	name protoreflect.FullName
}

// maxLowField bounds wireShape.low.
const maxLowField = 256

// shapes caches each message type's wireShape by its descriptor.
var (
	shapes   sync.Map // protoreflect.MessageDescriptor → *wireShape
	shapesMu sync.Mutex
)

// shapeOf returns md's wireShape, built on first use.
func shapeOf(md protoreflect.MessageDescriptor) *wireShape {
	if s, ok := shapes.Load(md); ok {
		return s.(*wireShape)
	}
	shapesMu.Lock()
	defer shapesMu.Unlock()
	building := map[protoreflect.MessageDescriptor]*wireShape{}
	s := buildShape(md, building)
	// Stored once all are filled in: a reader never follows a field to a
	// shape still being built.
	for md, s := range building {
		shapes.Store(md, s)
	}
	return s
}

// buildShape builds md's wireShape and those of the messages it holds
// that shapes lacks, and records each in building as it begins it, so a
// message type that holds itself (Value, through ValueList) points at its
// own shape. Callers hold shapesMu and store what building holds.
func buildShape(md protoreflect.MessageDescriptor, building map[protoreflect.MessageDescriptor]*wireShape) *wireShape {
	if s, ok := shapes.Load(md); ok {
		return s.(*wireShape)
	}
	if s, ok := building[md]; ok {
		return s
	}
	s := &wireShape{}
	building[md] = s
	fields := md.Fields()
	low := 0
	for i := range fields.Len() {
		if n := int(fields.Get(i).Number()); n < maxLowField && n >= low {
			low = n + 1
		}
	}
	s.low = make([]fieldShape, low)
	for i := range fields.Len() {
		fd := fields.Get(i)
		var f fieldShape
		switch fd.Kind() {
		case protoreflect.StringKind:
			f.utf8 = enforceUTF8(fd)
		case protoreflect.MessageKind:
			f.msg = buildShape(fd.Message(), building)
		default:
			// Nothing checkWire looks into. A group (proto2's; the sync
			// service has none) is skipped whole, protowire bounding its
			// nesting.
			continue
		}
		f.name = fd.FullName()
		if int(fd.Number()) < len(s.low) {
			s.low[fd.Number()] = f
		} else {
			if s.high == nil {
				s.high = map[protowire.Number]*fieldShape{}
			}
			s.high[fd.Number()] = &f
		}
	}
	return s
}

// enforceUTF8 reports whether proto.Unmarshal refuses a string field
// whose bytes are not UTF-8: every string of a proto3 file (as package
// protobuf's internal/strs.EnforceUTF8 decides).
func enforceUTF8(fd protoreflect.FieldDescriptor) bool {
	if fd.Syntax() == protoreflect.Editions {
		if e, ok := fd.(interface{ EnforceUTF8() bool }); ok {
			return e.EnforceUTF8()
		}
	}
	return fd.Syntax() == protoreflect.Proto3
}

// errRecursionDepth is proto.Unmarshal's error for messages nested too deep.
var errRecursionDepth = errors.New("exceeded maximum recursion depth")

// checkWire reads data, the wire form of a message of shape s nested
// depth deep, without building it, and returns an error where
// proto.Unmarshal would, and UnmarshalVT would not: a string field that is
// not UTF-8, and messages nested deeper than protowire's
// DefaultRecursionLimit, proto.Unmarshal's. UnmarshalVT would otherwise
// recurse as deep as the bytes go: a Value holding a list holding a Value,
// and so on, takes a few bytes a level, and a request of about 10 MB (the
// hub takes 16 MiB) nests deep enough to crash the hub, a stack overflow
// being fatal. Malformed data it can't read is refused as well; what it
// doesn't check, UnmarshalVT does.
func checkWire(data []byte, s *wireShape, depth int) error {
	if depth >= protowire.DefaultRecursionLimit {
		return errRecursionDepth
	}
	for i := 0; i < len(data); {
		// Tags and lengths are mostly one byte: read those here, the
		// others with protowire.
		var tag uint64
		if b := data[i]; b < 0x80 {
			tag, i = uint64(b), i+1
		} else {
			v, n := protowire.ConsumeVarint(data[i:])
			if n < 0 {
				return protowire.ParseError(n)
			}
			tag, i = v, i+n
		}
		num, typ := protowire.DecodeTag(tag)
		if num < protowire.MinValidNumber || num > protowire.MaxValidNumber {
			return errors.New("invalid field number")
		}
		switch typ {
		case protowire.BytesType:
			var size uint64
			if i < len(data) && data[i] < 0x80 {
				size, i = uint64(data[i]), i+1
			} else {
				v, n := protowire.ConsumeVarint(data[i:])
				if n < 0 {
					return protowire.ParseError(n)
				}
				size, i = v, i+n
			}
			if size > uint64(len(data)-i) {
				return io.ErrUnexpectedEOF
			}
			v := data[i : i+int(size)]
			i += int(size)
			var f *fieldShape
			if int(num) < len(s.low) {
				f = &s.low[num]
			} else if s.high != nil {
				f = s.high[num]
			}
			switch {
			case f == nil:
			case f.utf8:
				if !utf8.Valid(v) {
					return fmt.Errorf("field %s contains invalid UTF-8", f.name)
				}
			case f.msg != nil:
				if err := checkWire(v, f.msg, depth+1); err != nil {
					return err
				}
			}
		default:
			n := protowire.ConsumeFieldValue(num, typ, data[i:])
			if n < 0 {
				return protowire.ParseError(n)
			}
			i += n
		}
	}
	return nil
}
