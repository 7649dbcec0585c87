package care

// VisitKinds returns every kind of visit, in the order a form offers them.
func VisitKinds() []VisitKind { return visitKinds.Codes() }

// HelpKinds returns every kind of help, in the order a form offers them.
func HelpKinds() []HelpKind { return helpKinds.Codes() }
