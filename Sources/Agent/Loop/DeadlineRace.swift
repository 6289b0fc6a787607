import Foundation

/// Races one job against the run's wall-clock deadline (`--timeout`), so a model request that hangs
/// or crawls ends when the time is up instead of whenever the server gives up. The loser is
/// cancelled: a model request's cancellation aborts its curl transfer within ~50 ms.
enum DeadlineRace {
    enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case deadlinePassed
    }

    /// `deadline` is seconds since the reference date (as `TrajectorySettings.deadline`); nil means none.
    static func run<Value: Sendable>(until deadline: Double?, _ work: @escaping @Sendable () async -> Value) async -> Outcome<Value> {
        guard let deadline else { return .finished(await work()) }
        let left = deadline - Date().timeIntervalSinceReferenceDate
        guard left > 0 else { return .deadlinePassed }
        return await withTaskGroup(of: Outcome<Value>?.self) { group in
            group.addTask { .finished(await work()) }
            group.addTask {
                // Cancelled: the work finished first, or the whole run was cancelled (then the work's
                // own answer, a cancellation, is the one that counts).
                do { try await Task.sleep(for: .seconds(left)) } catch { return nil }
                return .deadlinePassed
            }
            for await answer in group {
                guard let answer else { continue }
                group.cancelAll()
                return answer
            }
            return .deadlinePassed
        }
    }
}
