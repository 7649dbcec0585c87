package syncsvc

// builtinTypes are the record types every replica declares, each with the
// rule its records must keep and the size limits of its text columns
// (validate_builtin.go, bounds.go).
func builtinTypes() []RecordType {
	types := append([]RecordType{CommunityType(), CadreType(), conflictsType}, BranchTypes()...)
	types = append(types, CareTypes()...)
	types = append(types, VenueTypes()...)
	types = append(types, SettingType())
	for i := range types {
		types[i] = builtinRule(types[i])
	}
	return types
}
