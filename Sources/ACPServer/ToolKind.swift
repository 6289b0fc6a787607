/// ACP's `ToolKind` for each of the agent's tools, so clients pick the right icon and grouping.
enum ToolKind: String, Sendable {
    case read, edit, search, execute, think, other

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
