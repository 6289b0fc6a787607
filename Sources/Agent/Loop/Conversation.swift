import JSONValue
import ModelClient

/// The message list of one trajectory. Append-only between compactions, so each request's bytes
/// extend the previous request's and the server's prefix cache keeps hitting. Compaction rewrites
/// history in one batch, rarely: old observations become one-line stubs, then older turns fold into
/// the harness's ledger.
struct Conversation {
    enum Kind: String { case system, issue, ledger, assistant, observation, nudge }

    struct Entry {
        var message: ChatMessage
        var kind: Kind
        var step: Int
        /// For observations: a one-line description of the call that produced it, used as its stub.
        var callSummary: String?
        var stubbed = false
    }

    private(set) var entries: [Entry] = []

    var messages: [ChatMessage] { entries.map(\.message) }

    init() {}

    /// A conversation as a checkpoint saved it (a resumed run goes on from exactly these messages).
    init(restoring entries: [Entry]) { self.entries = entries }

    mutating func append(_ message: ChatMessage, kind: Kind, step: Int, callSummary: String? = nil) {
        entries.append(Entry(message: message, kind: kind, step: step, callSummary: callSummary))
    }

    /// Replaces the text of observations older than the last `keepLast` with a one-line stub.
    /// Returns how many were stubbed.
    mutating func stubObservations(keepingLast keepLast: Int) -> Int {
        let observationIndices = entries.indices.filter { entries[$0].kind == .observation && !entries[$0].stubbed }
        let toStub = observationIndices.dropLast(keepLast)
        for i in toStub {
            let summary = entries[i].callSummary ?? "a tool call"
            let original = entries[i].message.content ?? ""
            entries[i].message.content =
                "[output of \(summary) at step \(entries[i].step) removed to save context (\(original.utf8.count) bytes); call it again if you need it]"
            entries[i].stubbed = true
        }
        return toStub.count
    }

    /// Folds every turn except the last `keepTurns` into one ledger message placed right after the
    /// issue. Turns are folded whole (an assistant message with all its observations), so tool-call
    /// ids and their results stay paired. Returns how many turns were folded.
    mutating func fold(keepingLastTurns keepTurns: Int, ledger: String) -> Int {
        guard let firstTurn = entries.firstIndex(where: { $0.kind == .assistant }) else { return 0 }
        let turnStarts = entries.indices.filter { $0 >= firstTurn && entries[$0].kind == .assistant }
        guard turnStarts.count > keepTurns else {
            replaceLedger(ledger)
            return 0
        }
        let cut = turnStarts[turnStarts.count - keepTurns]
        let folded = turnStarts.count - keepTurns
        let head = entries[..<firstTurn].filter { $0.kind != .ledger }
        let ledgerEntry = Entry(message: .user(ledger), kind: .ledger, step: entries[cut].step)
        entries = head + [ledgerEntry] + entries[cut...]
        return folded
    }

    private mutating func replaceLedger(_ ledger: String) {
        if let i = entries.firstIndex(where: { $0.kind == .ledger }) {
            entries[i].message = .user(ledger)
        }
    }

    /// Bytes of the serialized message list: what the request will carry, near enough for budgeting.
    var serializedBytes: Int { entries.reduce(0) { $0 + $1.message.toJSON().serialized().utf8.count + 1 } }

    /// Bytes no compaction can remove: the system prompt, the issue and the ledger.
    var fixedBytes: Int {
        entries.filter { [.system, .issue, .ledger].contains($0.kind) }.reduce(0) { $0 + $1.message.toJSON().serialized().utf8.count + 1 }
    }

    /// The serialized messages array without its closing bracket: a request extends the previous
    /// one exactly when its prefix starts with the previous one's.
    var openPrefix: String {
        var text = JSON.array(messages.map { $0.toJSON() }).serialized()
        text.removeLast()
        return text
    }
}
