import Agent
import Config
import ModelClient

/// `fixpoint doctor`'s `model context` line: is the context one trajectory gets at least
/// `ContextMinimum.tokens`? For `--model-url` the server is asked (`/props` n_ctx, which llama-server
/// reports per slot; vLLM's `max_model_len`); for the embedded model it is the context Fixpoint starts
/// llama-server with (per slot).
enum ModelContextCheck {
    static let name = "model context"

    /// A remote server, probed. `override` is `--context-size`, if given.
    static func remote(url: String, apiKeyEnv: String?, override: Int?) async -> DoctorCheck {
        let info: ServerInfo
        do { info = try await ModelClient(endpoint: ModelEndpoint(baseURL: url, apiKeyEnv: apiKeyEnv)).probe() } catch {
            return DoctorCheck(name: "model server", verdict: .bad, detail: "cannot reach the model server at \(url): \(error.description)",
                               fix: "start the server, or check --model-url (and --api-key-env)", required: true)
        }
        return verdict(for: info, url: url, override: override)
    }

    static func verdict(for info: ServerInfo, url: String, override: Int?) -> DoctorCheck {
        let minimum = ContextMinimum.tokens
        let slots = info.slots ?? 1
        let perSlot = slots > 1 ? " per slot (\(slots) slots)" : ""
        guard let served = info.contextSize else {
            let assumed = override ?? Defaults.contextSize
            return DoctorCheck(name: name, verdict: assumed >= minimum ? .optional : .bad,
                               detail: "\(url) does not say its context (no /props n_ctx or max_model_len); runs assume \(assumed) tokens",
                               fix: "pass --context-size with the server's real per-request context (at least \(minimum))", required: assumed < minimum)
        }
        if let override, override > served {
            return DoctorCheck(name: name, verdict: .bad,
                               detail: "--context-size \(override) is more than the \(served) tokens\(perSlot) \(url) serves: requests would overflow",
                               fix: "drop --context-size (the server's own figure is used) or give at most \(served)", required: true)
        }
        let planned = override ?? served
        if planned >= minimum {
            return DoctorCheck(name: name, verdict: .ok,
                               detail: "\(planned) tokens\(override == nil ? perSlot : " (--context-size; the server serves \(served)\(perSlot))") at \(url), minimum \(minimum)",
                               fix: "", required: true)
        }
        return DoctorCheck(name: name, verdict: .bad,
                           detail: "\(planned) tokens\(perSlot) at \(url) is below Fixpoint's minimum of \(minimum): a run would compact every few steps",
                           fix: restartAdvice(slots: slots, minimum: minimum), required: true)
    }

    /// The embedded llama-server is started with `-c <context × slots> -np <slots>`: each slot gets `context`.
    static func embedded(contextSize: Int?) -> DoctorCheck {
        let minimum = ContextMinimum.tokens
        let context = contextSize ?? Defaults.contextSize
        let ok = context >= minimum
        return DoctorCheck(name: name, verdict: ok ? .ok : .bad,
                           detail: "the embedded llama-server gets \(context) tokens per trajectory\(contextSize == nil ? "" : " (--context-size)"), minimum \(minimum)",
                           fix: ok ? "" : "pass --context-size \(minimum) or more", required: true)
    }

    static func restartAdvice(slots: Int, minimum: Int) -> String {
        "restart the server with a larger context: llama-server shares -c among its slots, so "
            + "`llama-server -c \(minimum * slots) -np \(slots)` gives each slot \(minimum)"
            + (slots > 1 ? " (or fewer slots: -np)" : "") + "; vLLM: --max-model-len \(minimum) or more"
    }
}
