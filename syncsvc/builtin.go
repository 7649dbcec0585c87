package syncsvc

// builtinTypes are the record types the engine itself declares on every
// replica: the conflicts the hub records. A typed layer declares its own
// with Options.Types.
func builtinTypes() []RecordType {
	return []RecordType{conflictsType}
}
