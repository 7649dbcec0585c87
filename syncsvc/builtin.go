package syncsvc

// builtinTypes are the record types every replica declares.
func builtinTypes() []RecordType {
	return append([]RecordType{CommunityType(), CadreType(), conflictsType}, BranchTypes()...)
}
