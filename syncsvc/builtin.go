package syncsvc

// builtinTypes are the record types every replica declares.
func builtinTypes() []RecordType {
	return []RecordType{CommunityType(), CadreType(), conflictsType}
}
