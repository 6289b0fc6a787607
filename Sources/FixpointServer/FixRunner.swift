import Agent

/// How the server runs the agent. `Fixer.run` in production; tests inject a scripted runner.
/// Cancelling the calling task must stop the run and yield an outcome whose end reason is `cancelled`.
public typealias FixRunner = @Sendable (
    _ request: FixRequest, _ model: ModelSelection, _ onEvent: @escaping @Sendable (AgentEvent) -> Void
) async -> FixOutcome

public enum FixRunners {
    public static let agent: FixRunner = { request, model, onEvent in
        await Fixer.run(request, model: model, onEvent: onEvent)
    }
}
