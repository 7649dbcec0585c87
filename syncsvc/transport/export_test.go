package transport

// ChangeToProto lets the package's external tests build raw requests.
var ChangeToProto = changeToProto
