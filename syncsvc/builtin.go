package syncsvc

// builtinTypes are the record types every replica declares.
func builtinTypes() []RecordType {
	types := append([]RecordType{CommunityType(), CadreType(), conflictsType}, BranchTypes()...)
	types = append(types, CareTypes()...)
	return append(types, VenueTypes()...)
}
