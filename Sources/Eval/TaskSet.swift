import Foundation
import JSONValue

/// A task file: JSON Lines (one instance per line) or one JSON list of instances.
public enum TaskSet {
    public static func load(_ path: String) throws(EvalError) -> [EvalTask] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: path, "no such file, or not UTF-8 text")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var items: [JSON] = []
        if trimmed.hasPrefix("[") {
            guard let list = try? JSON.parse(trimmed), let array = list.arrayValue else {
                throw .unreadable(path: path, "starts with '[' but is not a JSON list")
            }
            items = array
        } else {
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = line.trimmingCharacters(in: .whitespaces)
                if line.isEmpty { continue }
                guard let item = try? JSON.parse(line) else { throw .unreadable(path: path, "line \(number + 1) is not JSON") }
                items.append(item)
            }
        }
        var tasks: [EvalTask] = []
        for (index, item) in items.enumerated() { tasks.append(try EvalTask(json: item, relativeTo: folder, index: index)) }
        var seen: Set<String> = []
        for task in tasks where !seen.insert(task.instanceID).inserted {
            throw .badTask(index: tasks.firstIndex(of: task) ?? 0, "instance_id '\(task.instanceID)' appears twice")
        }
        return tasks
    }

    /// `--only` keeps the named instances; `--shard I/N` keeps every N-th task starting at I (0-based).
    public static func select(_ tasks: [EvalTask], only: [String], shard: Shard?) -> [EvalTask] {
        var kept = only.isEmpty ? tasks : tasks.filter { only.contains($0.instanceID) }
        if let shard { kept = kept.enumerated().filter { $0.offset % shard.count == shard.index }.map(\.element) }
        return kept
    }

    public struct Shard: Sendable, Equatable {
        public var index: Int
        public var count: Int
        public init(parsing text: String) throws(EvalError) {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else { throw .badShard(text) }
            index = i; count = n
        }
    }
}
