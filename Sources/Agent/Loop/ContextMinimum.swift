/// The smallest context a long run works well in. Below it the fixed part of every request (system
/// prompt, tool schemas, issue and orientation: about 1,800 tokens) and one answer's budget leave
/// room for only a few steps of history, so the loop compacts every few steps and the server's prefix
/// cache stops helping (measured in docs/performance.md: at 4,096 tokens 95 compactions per 100
/// steps before the hysteresis change). The run still goes on; the start of the run says so.
public enum ContextMinimum {
    public static let tokens = 8192

    /// The warning for a context below the minimum, nil otherwise.
    public static func warning(contextSize: Int) -> String? {
        guard contextSize < tokens else { return nil }
        return "the context (\(contextSize) tokens) is below Fixpoint's minimum of \(tokens) for long runs: expect compaction every few steps "
            + "and little prefix-cache reuse; start the model server with a larger context (llama-server -c, per slot) or pass --context-size"
    }
}
