import Agent

/// How a run service runs the agent. `Fixer.run` in production; tests inject a scripted runner.
/// Cancelling the calling task must stop the run and yield an outcome whose end reason is `cancelled`.
public typealias FixRunner = @Sendable (_ plan: FixPlan, _ onEvent: @escaping @Sendable (AgentEvent) -> Void) async -> FixOutcome

public enum FixRunners {
    /// Keeps each run's base snapshot, so a finished run can be applied through the Git layer's safe apply.
    public static let agent: FixRunner = { plan, onEvent in
        var options = plan.options()
        options.retainBase = true
        return await Fixer.run(plan.request, model: plan.model, options: options, onEvent: onEvent)
    }
}
