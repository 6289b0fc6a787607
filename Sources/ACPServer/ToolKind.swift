import Agent

/// ACP's `ToolKind` for each of the agent's tools, so clients pick the right icon and grouping.
enum ToolKind: String, Sendable {
    case read, edit, search, execute, think, other

    /// By the tool's role where the event says it, else by the tool's name.
    init(tool: String, role: ToolRole?) {
        switch (role, tool) {
        case (_, "search"): self = .search
        case (.looks?, _): self = .read
        case (.edits?, _): self = .edit
        case (.runs?, _): self = .execute
        case (.submits?, _): self = .think
        case (nil, _): self.init(tool: tool)
        }
    }

    init(tool: String) {
        switch tool {
        case "read_file", "list_files", "git_diff": self = .read
        case "edit_file", "write_file", "apply_patch": self = .edit
        case "search": self = .search
        case "run_tests", "run_command": self = .execute
        case "submit": self = .think
        default: self = .other
        }
    }
}
