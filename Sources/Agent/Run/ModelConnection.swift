import Config
import ModelClient
import ModelRuntime

/// The model a run talks to: a started embedded server or a remote endpoint, with what was learned
/// about it (context size, whether it needs constrained actions).
final class ModelConnection: Sendable {
    struct OpenError: Error, CustomStringConvertible {
        var description: String
        var isConfiguration: Bool
        var isCancelled = false
    }

    let model: any ChatModel
    let contextSize: Int
    let defaultActionMode: ActionMode
    let modelName: String?
    /// Which sampling fields the server takes (the repair widens sampling with llama.cpp's).
    let sampling: SamplerDialect
    let description: String
    /// Names of environment variables that hold secrets for this model (its API key variable).
    let secretEnvironment: [String]
    private let local: LocalModelServer?

    private init(model: any ChatModel, contextSize: Int, defaultActionMode: ActionMode, modelName: String?, sampling: SamplerDialect,
                 description: String, local: LocalModelServer?, secretEnvironment: [String] = []) {
        self.model = model; self.contextSize = contextSize; self.defaultActionMode = defaultActionMode
        self.modelName = modelName; self.sampling = sampling; self.description = description; self.local = local
        self.secretEnvironment = secretEnvironment
    }

    static let defaultContextSize = Defaults.contextSize

    static func open(_ selection: ModelSelection, slots: Int, options: RunOptions) async throws(OpenError) -> ModelConnection {
        if let injected = options.injectedModel {
            return ModelConnection(model: injected, contextSize: options.contextSize ?? defaultContextSize,
                                   defaultActionMode: options.actionMode ?? .auto, modelName: nil, sampling: .openAI,
                                   description: "injected model", local: nil)
        }
        switch selection {
        case .embedded(let modelPath):
            var serverOptions = LocalModelServer.Options()
            serverOptions.modelPath = modelPath
            serverOptions.slots = slots
            serverOptions.contextSize = options.contextSize ?? defaultContextSize
            let server: LocalModelServer
            do { server = try await LocalModelServer.start(serverOptions) } catch {
                let configuration: Bool
                switch error {
                case .binaryNotFound, .modelNotFound, .corruptModel, .wrongModelSize, .portInUse: configuration = true
                default: configuration = false
                }
                throw OpenError(description: error.description, isConfiguration: configuration, isCancelled: error == .cancelled)
            }
            let client = ModelClient(endpoint: ModelEndpoint(baseURL: server.baseURL))
            // The embedded Qwen2.5-Coder models answer tool requests in prose; a schema keeps them on track.
            return ModelConnection(model: client, contextSize: server.contextSize, defaultActionMode: options.actionMode ?? .constrained,
                                   modelName: nil, sampling: .llamaCpp, description: "embedded llama-server at \(server.baseURL) with \(server.modelPath)", local: server)
        case .remote(let baseURL, let model, let apiKeyEnv):
            let client = ModelClient(endpoint: ModelEndpoint(baseURL: baseURL, model: model, apiKeyEnv: apiKeyEnv))
            let info: ServerInfo
            do { info = try await client.probe() } catch {
                throw OpenError(description: "cannot reach the model server at \(baseURL): \(error.description)", isConfiguration: false)
            }
            // llama-server's /props n_ctx is already per slot (`-c 32768 -np 4` reports 8192), so it
            // is used as is; dividing by total_slots would plan for a fraction of the real context.
            let context = options.contextSize ?? info.contextSize ?? defaultContextSize
            return ModelConnection(model: client, contextSize: context, defaultActionMode: options.actionMode ?? .auto,
                                   modelName: model ?? info.models.first, sampling: info.sampling, description: "\(baseURL) (\(model ?? info.models.first ?? "default model"))", local: nil,
                                   secretEnvironment: apiKeyEnv.map { [$0] } ?? [])
        }
    }

    func close() async { await local?.stop() }
}
