import JSONValue
import ModelClient

/// The message list of one trajectory. Append-only between compactions, so each request's bytes
/// extend the previous request's and the server's prefix cache keeps hitting. Compaction rewrites
/// history in one batch, rarely: old observations become one-line stubs, then older turns fold into
/// the harness's ledger.
///
/// Each entry keeps its message's serialized bytes, made when the message is set, so budgeting and
/// prefix tracking cost a sum and a comparison per step instead of serializing the whole history
/// again (it is hundreds of kilobytes late in a long run).
struct Conversation {
    enum Kind: String { case system, issue, ledger, assistant, observation, nudge }

    struct Entry {
        var message: ChatMessage {
            didSet { serialized = message.toJSON().serializedBytes() }
        }
        /// `message` as the request carries it (`JSON.serialized` is byte-stable).
        private(set) var serialized: [UInt8]
        var kind: Kind
        var step: Int
        /// For observations: a one-line description of the call that produced it, used as its stub.
        var callSummary: String?
        var stubbed = false

        init(message: ChatMessage, kind: Kind, step: Int, callSummary: String? = nil, stubbed: Bool = false) {
            self.message = message
            serialized = message.toJSON().serializedBytes()
            self.kind = kind
            self.step = step
            self.callSummary = callSummary
            self.stubbed = stubbed
        }
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

    /// Bytes of the serialized message list (`[`, the messages, commas, `]`): exactly what the
    /// request's `messages` array carries.
    var serializedBytes: Int { entries.isEmpty ? 2 : entries.reduce(1) { $0 + $1.serialized.count + 1 } }

    /// Bytes no compaction can remove: the system prompt, the issue and the ledger.
    var fixedBytes: Int {
        entries.reduce(0) { [.system, .issue, .ledger].contains($1.kind) ? $0 + $1.serialized.count + 1 : $0 }
    }

    /// Each message as serialized: a request's bytes extend the previous request's exactly when
    /// the previous one's messages are, byte for byte, the first of these (see `extends(_:)`).
    var serializedMessages: [[UInt8]] { entries.map(\.serialized) }
}

extension [[UInt8]] {
    /// Whether a messages array made of these serialized messages extends, byte for byte, one made
    /// of `previous` (without its closing bracket): each earlier message unchanged and none removed.
    /// (One complete JSON object is never a proper prefix of another, so this is the byte-prefix test.)
    func extends(_ previous: [[UInt8]]) -> Bool {
        guard count >= previous.count else { return false }
        return zip(self, previous).allSatisfy { $0 == $1 }
    }
}
