import JSONValue

/// The client capabilities Fixpoint acts on, read once from `initialize`.
public struct ClientCapabilities: Sendable, Equatable {
    public var applyEdit = false
    public var documentChanges = false
    public var resourceOperations: Set<String> = []
    public var changeAnnotations = false
    public var workDoneProgress = false
    public var showDocument = false
    public var showMessageRequest = false

    public init() {}

    public init(_ json: JSON?) {
        let c = json ?? .null
        applyEdit = c["workspace"]?["applyEdit"]?.boolValue ?? false
        let edit = c["workspace"]?["workspaceEdit"]
        documentChanges = edit?["documentChanges"]?.boolValue ?? false
        resourceOperations = Set(edit?["resourceOperations"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        changeAnnotations = edit?["changeAnnotationSupport"] != nil
        workDoneProgress = c["window"]?["workDoneProgress"]?.boolValue ?? false
        showDocument = c["window"]?["showDocument"]?["support"]?.boolValue ?? false
        showMessageRequest = c["window"]?["showMessage"] != nil
    }
}
