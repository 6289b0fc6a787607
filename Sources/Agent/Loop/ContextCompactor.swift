/// Keeps a trajectory's conversation inside the model's context. It calibrates prompt tokens per byte
/// from the server's own counts, and when the next request (plus the step's output budget) would pass
/// 90% of the room — or the server reported an overflow — compacts in one batch: old observations
/// become stubs, then older turns fold into the ledger. Compacting rarely and in one batch keeps the
/// server's prefix cache hitting in between.
///
/// Hysteresis: the target is measured in the room compaction can free — the room less the part no
/// compaction removes (system prompt, tool schemas, issue, ledger) — so the next compaction is half
/// that free room away, however large the fixed part. (A target of half the whole room could not be
/// reached at 4K, where the fixed part is over half of it: the loop compacted on 95 of 100 steps.)
struct ContextCompactor {
    /// What one compaction did, in estimated tokens (as the journal records it).
    typealias Compaction = JournalEntry.Compaction

    let configuredContextSize: Int
    /// Observations kept verbatim when old ones are stubbed, and turns kept when history is folded.
    let keepObservations: Int
    let keepTurns: Int
    /// What the harness knows about the run; it replaces folded turns.
    var ledger: Ledger
    /// Prompt tokens per byte of request body, from the server's latest count.
    private(set) var tokensPerByte = 0.3
    private var serverContextSize: Int?

    init(settings: TrajectorySettings) {
        configuredContextSize = settings.contextSize
        keepObservations = settings.keepObservations
        keepTurns = settings.keepTurns
        ledger = Ledger(goal: settings.issue, testCommand: settings.testCommand)
    }

    /// The server's own number wins once it has reported an overflow.
    var contextSize: Int { serverContextSize ?? configuredContextSize }

    /// Observations are bounded by the context: a quarter of it at most, and 16 KiB.
    var observationByteLimit: Int { min(16 * 1024, max(2048, Int(Double(configuredContextSize) / tokensPerByte / 4))) }

    mutating func calibrate(promptTokens: Int, requestBytes: Int) {
        if promptTokens > 0, requestBytes > 0 { tokensPerByte = Double(promptTokens) / Double(requestBytes) }
    }

    mutating func noteServerContextSize(_ size: Int) { serverContextSize = size }

    /// A resumed run keeps the calibration and the ledger its checkpoint recorded.
    mutating func restore(ledger: Ledger, tokensPerByte: Double) {
        self.ledger = ledger
        if tokensPerByte > 0 { self.tokensPerByte = tokensPerByte }
    }

    /// `overhead`: bytes every request carries besides the messages (the tool schemas).
    func estimatedTokens(_ conversation: Conversation, overhead: Int) -> Int {
        Int(Double(conversation.serializedBytes + overhead) * tokensPerByte)
    }

    /// Compacts when the next request would not fit in the context less `reserve` output tokens, or
    /// always when `force`d (after an overflow). `diff` is the change so far, for the ledger.
    mutating func compactIfNeeded(_ conversation: inout Conversation, overhead: Int, reserve: Int, force: Bool,
                                  diff: () async -> String) async -> Compaction? {
        let room = contextSize - reserve
        let estimate = estimatedTokens(conversation, overhead: overhead)
        guard force || estimate > Int(Double(room) * 0.9) else { return nil }
        // What compaction cannot remove, and the room it can free: the target keeps 70% of that
        // free room empty, so the next compaction is many steps away.
        let fixed = Int(Double(conversation.fixedBytes + overhead) * tokensPerByte)
        let target = fixed + max(0, room - fixed) * 3 / 10
        let stubbed = conversation.stubObservations(keepingLast: force ? 2 : keepObservations)
        var folded = 0
        if estimatedTokens(conversation, overhead: overhead) > target || force {
            ledger.diffStat = Ledger.diffStat(of: await diff())
            var keep = keepTurns
            repeat {
                folded += conversation.fold(keepingLastTurns: keep, ledger: ledger.render())
                keep /= 2
            } while keep >= 1 && estimatedTokens(conversation, overhead: overhead) > target
        }
        return Compaction(beforeTokens: estimate, afterTokens: estimatedTokens(conversation, overhead: overhead),
                          stubbed: stubbed, folded: folded)
    }
}
